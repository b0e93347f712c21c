"""Sign-in (university SSO or password), sign-out, the development-only demo sign-in,
company sign-up, e-mail verification, password reset and the account security page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.accounts import limits
from foundry.accounts.authentication import (
    EmailNotVerified,
    SignInRefused,
    WrongCurrentPassword,
    authenticate,
    change_password,
    needs_second_factor,
)
from foundry.accounts.demo_directory import MAX_QUERY_LENGTH, demo_directory, ordered_roles
from foundry.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    DemoSignInForm,
    EmailOnlyForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
)
from foundry.accounts.labels import ROLE_LABELS
from foundry.accounts.models import TokenPurpose, User, UserSession
from foundry.accounts.queries import recent_sign_ins
from foundry.accounts.recovery import request_password_reset
from foundry.accounts.recovery import reset_password as reset_password_with
from foundry.accounts.services import (
    LinkExpired,
    LinkNotValid,
    continue_session,
    end_other_session,
    sign_in,
    sign_out,
    sign_out_everywhere,
    start_pending_sign_in,
    usable_link,
)
from foundry.accounts.session import current_session_row, live_sessions
from foundry.accounts.signup import (
    CompanySignUp,
    confirm_email,
    sign_up_company,
)
from foundry.accounts.signup import resend_verification as resend_verification_link
from foundry.companies.models import CompanySize
from foundry.errors import InvalidInput, render_error
from foundry.extensions import db
from foundry.security import allow_forms_to_lead_to
from foundry.sso.queries import enabled_universities, sign_in_origins
from foundry.taxonomy import Cluster, ParkLocation
from foundry.urls import safe_next_url
from foundry.web import on_refusal, require

bp = Blueprint("accounts", __name__)


@bp.errorhandler(429)
def too_many_attempts(error):
    return render_error(
        429,
        _(
            "There were too many attempts from your connection or for that e-mail address. "
            "Wait a minute, then try again."
        ),
    )


def _demo_enabled_or_404() -> None:
    if not current_app.config.get("DEMO_SIGN_IN"):
        abort(404)


def _sign_in_page(form: SignInForm, status: int = 200, refused: str | None = None):
    allow_forms_to_lead_to(sign_in_origins())
    return render_template(
        "accounts/sign_in.html",
        form=form,
        refused=refused,
        universities=enabled_universities(),
        next_url=form.next.data or "",
    ), status


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@limits.sign_in_per_client
@limits.sign_in_per_email
def sign_in_page():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next"), "")
        return _sign_in_page(form)
    form.next.data = safe_next_url(form.next.data, "")
    if not form.validate_on_submit():
        return _sign_in_page(form, 400)
    # A refused attempt is kept: it counts towards the lockout, and is audited.
    with (
        on_refusal(_unverified_page, catching=EmailNotVerified, keep=True),
        on_refusal(lambda refused: _refused_page(form, refused), catching=SignInRefused, keep=True),
    ):
        user = authenticate(form.email.data, form.password.data)
    if needs_second_factor(user):
        start_pending_sign_in(user, form.next.data)
        return redirect(url_for("two_factor.challenge"), 303)
    sign_in(user, method="password")
    flash(_("Signed in as %(name)s.", name=user.display_name), "success")
    return redirect(form.next.data or url_for("core.home"), 303)


def _refused_page(form: SignInForm, refused: SignInRefused):
    form.password.data = ""
    return _sign_in_page(form, 400, refused.message)


def _unverified_page(unverified: EmailNotVerified):
    resend = EmailOnlyForm(formdata=None, email=unverified.user.email)
    return render_template("accounts/unverified.html", form=resend), 403


@bp.route("/demo/sign-in", methods=["GET", "POST"])
def demo_sign_in():
    _demo_enabled_or_404()
    form = DemoSignInForm()
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        if user is None or not user.is_active:
            flash(_("That demo user no longer exists. Pick another."), "danger")
            return redirect(url_for("accounts.demo_sign_in")), 303
        sign_in(user, method="demo")
        flash(_("Signed in as %(name)s.", name=user.display_name), "success")
        return redirect(safe_next_url(form.next.data, url_for("core.home")), 303)
    if request.method == "POST":
        return _demo_sign_in_page(form, ""), 400
    form.next.data = safe_next_url(request.args.get("next"), "")
    return _demo_sign_in_page(form, request.args.get("q", ""))


def _demo_sign_in_page(form: DemoSignInForm, query: str) -> str:
    directory = demo_directory(str(get_locale()), ROLE_LABELS, query)
    return render_template(
        "accounts/demo_sign_in.html",
        directory=directory,
        ordered_roles=ordered_roles,
        query=query[:MAX_QUERY_LENGTH],
        form=form,
    )


@bp.post("/sign-out")
@login_required
def sign_out_view():
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    sign_out(current_user._get_current_object())
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.home"), 303)


def _security_page(password_form: ChangePasswordForm, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "accounts/security.html",
        user=user,
        password_form=password_form,
        everywhere_form=ConfirmForm(),
        identities=sorted(user.identities, key=lambda i: i.university.code),
        recent=recent_sign_ins(user),
        sessions=live_sessions(user),
        this_session=current_session_row(),
    ), status


@bp.get("/account/security")
@login_required
def security():
    return _security_page(ChangePasswordForm(account_email=current_user.email))


@bp.post("/account/security/password")
@login_required
def change_password_view():
    user = current_user._get_current_object()
    form = ChangePasswordForm(account_email=user.email)
    if not form.validate_on_submit():
        return _security_page(form, 400)
    with on_refusal(
        lambda _wrong: _security_page(form, 400),
        catching=WrongCurrentPassword,
        field=form.current_password,
        keep=True,  # the failure counts towards the lockout
    ):
        change_password(user, form.current_password.data, form.password.data)
    continue_session(user)  # the new password ended every session; this one goes on
    flash(_("Your password is changed. Your other sessions were signed out."), "success")
    return redirect(url_for("accounts.security"), 303)


@bp.post("/account/security/sessions/<session_id>/end")
@login_required
def end_session_view(session_id: str):
    row = db.session.get(UserSession, session_id[:64])
    if row is None or row.ended_at is not None:
        abort(404)
    require("session.end", row)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if row is current_session_row():
        sign_out(user)
        flash(_("You have signed out."), "info")
        return redirect(url_for("core.home"), 303)
    end_other_session(user, row)
    flash(_("That session is signed out."), "info")
    return redirect(url_for("accounts.security"), 303)


@bp.post("/account/security/sign-out-everywhere")
@login_required
def sign_out_everywhere_view():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sign_out_everywhere(current_user._get_current_object())
    flash(_("You were signed out on every device, this one included."), "info")
    return redirect(url_for("accounts.sign_in"), 303)


# --- company sign-up and e-mail verification -----------------------------------------


def _no_referrer(response):
    """Pages whose URL holds a secret link: never sent on to another site, never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_inbox(kind: str):
    return render_template("accounts/check_inbox.html", kind=kind)


@bp.route("/sign-up", methods=["GET", "POST"])
@limits.emails_per_client
@limits.emails_per_recipient
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignUpForm()
    if not form.validate_on_submit():
        return _sign_up_page(form)
    # A university address, or no address we take, is refused under the e-mail field.
    with on_refusal(lambda _refusal: _sign_up_page(form), catching=InvalidInput, field=form.email):
        sign_up_company(
            CompanySignUp(
                display_name=form.display_name.data,
                email=form.email.data,
                password=form.password.data,
                company_name=form.company_name.data,
                cluster=Cluster(form.cluster.data),
                park_location=ParkLocation(form.park_location.data),
                size=CompanySize(form.size.data),
                website=form.website.data,
            )
        )
    return _check_inbox("sign_up")


def _sign_up_page(form: SignUpForm):
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/sign_up.html", form=form), status


def _link_problem(problem, resend_endpoint: str | None):
    form = EmailOnlyForm(formdata=None)
    page = render_template(
        "accounts/link_problem.html",
        message=problem.message,
        form=form,
        resend_endpoint=resend_endpoint,
    )
    return _no_referrer(current_app.make_response((page, problem.status_code)))


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    with on_refusal(
        lambda problem: _link_problem(problem, "accounts.resend_verification"),
        catching=(LinkNotValid, LinkExpired),
    ):
        link = usable_link(TokenPurpose.VERIFY_EMAIL, token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        # A GET only shows the button: mail scanners that open links must not use them up.
        page = render_template("accounts/verify_email.html", form=form, email=link.email)
        status = 400 if request.method == "POST" else 200
        return _no_referrer(current_app.make_response((page, status)))
    with on_refusal(
        lambda problem: _link_problem(problem, "accounts.resend_verification"),
        catching=LinkExpired,
    ):
        confirm_email(link)
    flash(_("Thank you: your e-mail address is confirmed. You can sign in now."), "success")
    return redirect(url_for("accounts.sign_in"), 303)


@bp.route("/verify-email/resend", methods=["GET", "POST"])
@limits.emails_per_client
@limits.emails_per_recipient
def resend_verification():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/email_only.html", form=form, kind="resend"), status
    resend_verification_link(form.email.data)
    return _check_inbox("resend")


# --- forgotten passwords ---------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.emails_per_client
@limits.emails_per_recipient
def forgot_password():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/email_only.html", form=form, kind="forgot"), status
    request_password_reset(form.email.data)
    return _check_inbox("forgot")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    with on_refusal(
        lambda problem: _link_problem(problem, "accounts.forgot_password"),
        catching=(LinkNotValid, LinkExpired),
    ):
        link = usable_link(TokenPurpose.RESET_PASSWORD, token)
    form = ResetPasswordForm(account_email=link.email)
    if not form.validate_on_submit():
        page = render_template("accounts/reset_password.html", form=form, email=link.email)
        status = 400 if request.method == "POST" else 200
        return _no_referrer(current_app.make_response((page, status)))
    with on_refusal(
        lambda problem: _link_problem(problem, "accounts.forgot_password"), catching=LinkExpired
    ):
        reset_password_with(link, form.password.data)
    if current_user.is_authenticated:
        sign_out(current_user._get_current_object())
    flash(_("Your new password is set. Sign in with it."), "success")
    return redirect(url_for("accounts.sign_in"), 303)
