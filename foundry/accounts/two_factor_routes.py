"""The second factor's pages: the code asked after a correct password, the set-up a park
admin cannot skip, and the account page where anyone turns it on (and, except park
admins, off).

The password step leaves session["pending_sign_in"] = {"user_id", "session_version",
"at" (epoch seconds), "next"}; only these views turn it into a signed-in session."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from foundry import policy
from foundry.accounts.lockout import is_locked, register_failure, register_success
from foundry.accounts.models import User
from foundry.accounts.services import sign_in
from foundry.accounts.two_factor import (
    SecondFactorMethod,
    begin_enrolment,
    confirm_enrolment,
    disable_second_factor,
    recovery_codes_left,
    regenerate_recovery_codes,
    verify_second_factor,
)
from foundry.accounts.two_factor_forms import (
    DisableSecondFactorForm,
    EnrolmentCodeForm,
    NewRecoveryCodesForm,
    SignInCodeForm,
)
from foundry.audit.services import record
from foundry.errors import InvalidInput
from foundry.extensions import db, limiter
from foundry.unit_of_work import commit_refusal
from foundry.urls import safe_next_url
from foundry.web import on_refusal

bp = Blueprint("two_factor", __name__)

PENDING_SIGN_IN = "pending_sign_in"
# A code must follow the password within this time; setting up an app takes longer.
PENDING_SECONDS = 5 * 60
SETUP_SECONDS = 15 * 60
DEFAULT_RATE_LIMIT = "10 per minute"
RECOVERY_CODES_RUNNING_LOW = 3


class SignInRestart(Exception):
    """The pending sign-in cannot go on: back to the sign-in page with this message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@bp.errorhandler(SignInRestart)
def restart_sign_in(error: SignInRestart):
    session.pop(PENDING_SIGN_IN, None)
    flash(error.message, "warning")
    return redirect(url_for("accounts.sign_in"))


@bp.after_request
def never_cache(response: Response) -> Response:
    """These pages show keys and recovery codes: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _rate_limit() -> str:
    return current_app.config.get("TWO_FACTOR_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def _rate_limit_key() -> str:
    """Per account, not per address: changing IP does not buy more guesses."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    pending = session.get(PENDING_SIGN_IN)
    if isinstance(pending, dict) and isinstance(pending.get("user_id"), int):
        return f"pending:{pending['user_id']}"
    return f"address:{get_remote_address()}"


limit_codes = limiter.limit(_rate_limit, key_func=_rate_limit_key, methods=["POST"])


def _locked_message() -> str:
    return _(
        "Too many wrong attempts. For your security the account is locked for %(minutes)d minutes.",
        minutes=current_app.config["SIGN_IN_LOCKOUT_MINUTES"],
    )


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    next_url: str
    first_factor: str


def _pending_sign_in(max_seconds: int) -> PendingSignIn:
    """The user whose password was right a moment ago, if that still holds."""
    data = session.get(PENDING_SIGN_IN)
    try:
        user_id, version, at = (int(data[k]) for k in ("user_id", "session_version", "at"))
    except (KeyError, TypeError, ValueError):
        raise SignInRestart(_("Please sign in with your e-mail and password first.")) from None
    if not 0 <= time.time() - at <= max_seconds:
        raise SignInRestart(_("Your sign-in took too long. Please sign in again."))
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != version:
        raise SignInRestart(_("Your sign-in is no longer valid. Please sign in again."))
    if is_locked(user):
        raise SignInRestart(_locked_message())
    first_factor = str(data.get("first") or "password")[:40]
    return PendingSignIn(user=user, next_url=str(data.get("next") or ""), first_factor=first_factor)


def _finish_sign_in(pending: PendingSignIn, method: SecondFactorMethod) -> str:
    """Sign the user in (a fresh session); returns where to go next."""
    register_success(pending.user)
    sign_in(pending.user, method=f"{pending.first_factor}+{method.value}")
    return safe_next_url(pending.next_url, url_for("core.home"))


def _clear(field) -> None:
    field.data = ""
    field.raw_data = None


@bp.route("/sign-in/two-factor", methods=["GET", "POST"], endpoint="challenge")
@limit_codes
def challenge():
    pending = _pending_sign_in(PENDING_SECONDS)
    user = pending.user
    if not user.has_second_factor:
        if policy.must_use_second_factor(user):
            return redirect(url_for("two_factor.setup_during_sign_in"))
        raise SignInRestart(_("Your sign-in is no longer valid. Please sign in again."))
    form = SignInCodeForm()
    if form.validate_on_submit():
        method = verify_second_factor(user, form.code.data)
        if method is not None:
            destination = _finish_sign_in(pending, method)
            _flash_signed_in(user, method)
            return redirect(destination, 303)
        locked = register_failure(user)
        record(None, "user.sign_in_failed", user, reason="wrong_code")
        if locked:
            record(None, "user.locked", user, cause="second_factor_codes")
        commit_refusal()  # the wrong code counts towards the lockout, and is audited
        if locked:
            raise SignInRestart(_locked_message())
        form.code.errors.append(_("That code is not right. Type the newest code from your app."))
        _clear(form.code)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/two_factor_challenge.html", form=form), status


def _flash_signed_in(user: User, method: SecondFactorMethod) -> None:
    flash(_("Signed in as %(name)s.", name=user.display_name), "success")
    left = recovery_codes_left(user)
    if method is SecondFactorMethod.RECOVERY_CODE and left <= RECOVERY_CODES_RUNNING_LOW:
        flash(
            ngettext(
                "You have %(num)d recovery code left. Make new ones on your account's "
                "second-factor page.",
                "You have %(num)d recovery codes left. Make new ones on your account's "
                "second-factor page.",
                left,
            ),
            "warning",
        )


@bp.route("/sign-in/two-factor/setup", methods=["GET", "POST"], endpoint="setup_during_sign_in")
@limit_codes
def setup_during_sign_in():
    """A park admin without a second factor sets one up before the sign-in completes."""
    pending = _pending_sign_in(SETUP_SECONDS)
    user = pending.user
    if user.has_second_factor or not policy.must_use_second_factor(user):
        return redirect(url_for("two_factor.challenge"))
    enrolment = begin_enrolment(user)
    form = EnrolmentCodeForm()
    if form.validate_on_submit():
        with _wrong_enrolment_code(enrolment, form, during_sign_in=True):
            codes = confirm_enrolment(user, form.code.data)
        destination = _finish_sign_in(pending, SecondFactorMethod.TOTP)
        return _show_recovery_codes(codes, destination)
    return _enrol_page(enrolment, form, during_sign_in=True)


def _enrol_page(enrolment, form: EnrolmentCodeForm, during_sign_in: bool):
    if form.is_submitted():
        commit_refusal()  # a new key, when one was made: the app may have scanned it
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/two_factor_enrol.html",
        enrolment=enrolment,
        form=form,
        during_sign_in=during_sign_in,
    ), status


def _wrong_enrolment_code(enrolment, form: EnrolmentCodeForm, during_sign_in: bool):
    """A wrong first code: the form again, the key kept (the app has it)."""

    def page(_refusal):
        _clear(form.code)
        return _enrol_page(enrolment, form, during_sign_in)

    return on_refusal(page, catching=InvalidInput, field=form.code, keep=True)


def _show_recovery_codes(codes: list[str], continue_url: str, replaced: bool = False):
    """Recovery codes are shown in this one response and never again."""
    return render_template(
        "accounts/two_factor_recovery_codes.html",
        codes=codes,
        continue_url=continue_url,
        replaced=replaced,
    )


def _identity_forms() -> tuple[DisableSecondFactorForm, NewRecoveryCodesForm]:
    disable_form = DisableSecondFactorForm(prefix="off")
    codes_form = NewRecoveryCodesForm(prefix="new")
    if not current_user.has_password:
        for form in (disable_form, codes_form):
            form.code.label.text = _("A code from your authenticator app (or a recovery code)")
    return disable_form, codes_form


def _manage_page(disable_form=None, codes_form=None, status: int = 200):
    default_disable, default_codes = _identity_forms()
    user = current_user
    return render_template(
        "accounts/two_factor_manage.html",
        user=user,
        codes_left=recovery_codes_left(user),
        must_keep=policy.must_use_second_factor(user),
        disable_form=disable_form or default_disable,
        codes_form=codes_form or default_codes,
        # The account security page is built by the password accounts, alongside.
        security_url=(
            url_for("accounts.security")
            if "accounts.security" in current_app.view_functions
            else None
        ),
    ), status


@bp.get("/account/two-factor", endpoint="manage")
@login_required
def manage():
    return _manage_page()


@bp.route("/account/two-factor/enrol", methods=["GET", "POST"], endpoint="enrol")
@login_required
@limit_codes
def enrol():
    user = current_user._get_current_object()
    if user.has_second_factor:
        flash(_("Your second factor is already on."), "info")
        return redirect(url_for("two_factor.manage"), 303)
    enrolment = begin_enrolment(user)
    form = EnrolmentCodeForm()
    if form.validate_on_submit():
        with _wrong_enrolment_code(enrolment, form, during_sign_in=False):
            codes = confirm_enrolment(user, form.code.data)
        return _show_recovery_codes(codes, url_for("two_factor.manage"))
    return _enrol_page(enrolment, form, during_sign_in=False)


@bp.post("/account/two-factor/disable", endpoint="disable")
@login_required
@limit_codes
def disable():
    user = current_user._get_current_object()
    disable_form, _codes_form = _identity_forms()
    if not disable_form.validate_on_submit():
        return _manage_page(disable_form=disable_form, status=400)
    with on_refusal(
        lambda _refusal: _manage_page(disable_form=disable_form, status=400),
        catching=InvalidInput,
        field=disable_form.code,
        keep=True,  # a wrong password or code counts towards the lockout
    ):
        disable_second_factor(
            user, password=disable_form.password.data, code=disable_form.code.data
        )
    flash(_("Your second factor is off."), "success")
    return redirect(url_for("two_factor.manage"), 303)


@bp.post("/account/two-factor/recovery-codes", endpoint="recovery_codes")
@login_required
@limit_codes
def recovery_codes():
    user = current_user._get_current_object()
    _disable_form, codes_form = _identity_forms()
    if not codes_form.validate_on_submit():
        return _manage_page(codes_form=codes_form, status=400)
    with on_refusal(
        lambda _refusal: _manage_page(codes_form=codes_form, status=400),
        catching=InvalidInput,
        field=codes_form.code,
        keep=True,  # a wrong password or code counts towards the lockout
    ):
        codes = regenerate_recovery_codes(
            user, password=codes_form.password.data, code=codes_form.code.data
        )
    return _show_recovery_codes(codes, url_for("two_factor.manage"), replaced=True)
