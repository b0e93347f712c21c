"""Forms for signing in and out, company sign-up, e-mail verification, password reset and
the account security page. They check the shape of the input; whether a password is the
right one is decided by the services, never here."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    EqualTo,
    Length,
    Optional,
    ValidationError,
)

from foundry.accounts.email_address import InvalidEmailAddress, normalise_email
from foundry.accounts.passwords import PASSWORD_MAX_LENGTH, password_problems
from foundry.companies.models import CompanySize
from foundry.i18n import lazy_gettext as _l
from foundry.taxonomy import CLUSTER_LABELS, PARK_LOCATION_LABELS
from foundry.web_forms import web_address

EMAIL_MAX_LENGTH = 254


def canonical_email(form, field) -> None:
    """Validator: the field's data becomes the canonical address (see email_address)."""
    try:
        field.data = normalise_email(field.data)
    except InvalidEmailAddress as refused:
        raise ValidationError(refused.message) from None


def _email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(
                max=EMAIL_MAX_LENGTH, message=_l("An e-mail address has at most 254 characters.")
            ),
            canonical_email,
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"},
    )


class NewPasswordRules:
    """The rules of passwords.password_problems() as a validator. The form names the
    account's e-mail in `account_email` (a field's data or a fixed address)."""

    def __call__(self, form, field) -> None:
        email = getattr(form, "account_email", "") or ""
        problems = password_problems(field.data or "", email)
        if problems:
            raise ValidationError(" ".join(problems))


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), NewPasswordRules()],
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
    )
    return password, confirm


class DemoSignInForm(FlaskForm):
    user_id = IntegerField(validators=[DataRequired()])
    next = HiddenField()


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST so another site cannot trigger it."""


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=PASSWORD_MAX_LENGTH, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    """Resend a verification link, or ask for a password reset link."""

    email = _email_field()


class ConfirmForm(FlaskForm):
    """A button that confirms an action (verify an e-mail, sign out everywhere)."""


class SignUpForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("Your name can be at most 120 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(_l("Work e-mail"))
    password, confirm = _new_password_fields()
    company_name = StringField(
        _l("Company name"),
        validators=[
            DataRequired(_l("Enter the company name.")),
            Length(max=160, message=_l("The name can be at most 160 characters.")),
        ],
        render_kw={"autocomplete": "organization"},
    )
    cluster = SelectField(
        _l("Cluster"),
        choices=[(c.value, label) for c, label in CLUSTER_LABELS.items()],
        validators=[DataRequired(_l("Choose the company's cluster."))],
    )
    park_location = SelectField(
        _l("Park location"),
        choices=[(p.value, label) for p, label in PARK_LOCATION_LABELS.items()],
        validators=[DataRequired(_l("Choose where the company is in the park."))],
    )
    size = SelectField(
        _l("Company size (people)"),
        choices=[(s.value, s.value) for s in CompanySize],
        validators=[DataRequired(_l("Choose the company's size."))],
    )
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=300, message=_l("The address can be at most 300 characters.")),
            web_address,
            URL(message=_l("Enter a full address such as https://example.com.")),
        ],
        render_kw={"autocomplete": "url", "placeholder": "https://"},
    )

    @property
    def account_email(self) -> str:
        return self.email.data or ""


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password.")),
            Length(max=PASSWORD_MAX_LENGTH, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
