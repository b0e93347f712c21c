"""Forms of the second factor: a code at sign-in, the first code that confirms a new key,
and the password-or-code check before turning it off or making new recovery codes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from foundry.accounts.passwords import PASSWORD_MAX_LENGTH
from foundry.accounts.two_factor import CODE_MAX_LENGTH, SecondFactorMethod, normalised_code
from foundry.i18n import lazy_gettext as _l

_CODE_CHARACTERS = Regexp(
    r"^[0-9A-Za-z\s-]*$", message=_l("Use only the digits and letters of the code.")
)
_CODE_LENGTH = Length(
    max=CODE_MAX_LENGTH, message=_l("A code has at most %(max)d characters.", max=CODE_MAX_LENGTH)
)


def _a_code(form, field) -> None:
    if field.data and normalised_code(field.data) is None:
        raise ValidationError(
            _l("Enter the 6-digit code from your app, or one of your recovery codes.")
        )


def _an_app_code(form, field) -> None:
    parsed = normalised_code(field.data)
    if field.data and (parsed is None or parsed[0] is not SecondFactorMethod.TOTP):
        raise ValidationError(_l("Enter the 6-digit code your app shows."))


class SignInCodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code or recovery code"),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app.")),
            _CODE_LENGTH,
            _CODE_CHARACTERS,
            _a_code,
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
            "maxlength": CODE_MAX_LENGTH,
        },
    )


class EnrolmentCodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code from your app"),
        validators=[
            DataRequired(_l("Enter the 6-digit code your app shows.")),
            _CODE_LENGTH,
            _CODE_CHARACTERS,
            _an_app_code,
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": CODE_MAX_LENGTH,
        },
    )


class ConfirmIdentityForm(FlaskForm):
    """Either the current password or a code: checked by the service, which counts a
    wrong answer as a failed sign-in."""

    password = PasswordField(
        _l("Your current password"),
        validators=[
            Optional(),
            Length(
                max=PASSWORD_MAX_LENGTH,
                message=_l("A password has at most %(max)d characters.", max=PASSWORD_MAX_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Or a code from your authenticator app (or a recovery code)"),
        validators=[Optional(), _CODE_LENGTH, _CODE_CHARACTERS, _a_code],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
            "maxlength": CODE_MAX_LENGTH,
        },
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.password.data or self.code.data):
            self.code.errors.append(_l("Enter your password or a code."))
            return False
        return True


class DisableSecondFactorForm(ConfirmIdentityForm):
    """Turn the second factor off (its fields carry their own prefix on the page)."""


class NewRecoveryCodesForm(ConfirmIdentityForm):
    """Replace the recovery codes."""
