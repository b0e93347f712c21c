"""University sign-in: choose the university, go to its IdP, come back, and (for a new
student) give the study details the IdP did not.

Each sign-in started in this browser is remembered in the signed session under its state
(several tabs may sign in at once), for ten minutes and for one use only. Every failure is
a 4xx page that says what to do, and one log line that says what went wrong."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.accounts.authentication import needs_second_factor
from foundry.accounts.services import sign_in, start_pending_sign_in
from foundry.errors import PermissionDenied
from foundry.extensions import db
from foundry.sso import client, discovery
from foundry.sso.discovery import SsoError
from foundry.sso.forms import OnboardingForm, UniversityChoiceForm
from foundry.sso.models import SsoConnection
from foundry.sso.onboarding import (
    complete_onboarding,
    graduation_years,
    pending_student_membership,
)
from foundry.sso.provisioning import provision
from foundry.sso.services import client_secret_of, university_by_code, university_by_email
from foundry.universities.models import StudyLevel, StudyProgramme, University
from foundry.urls import absolute_url, safe_next_url
from foundry.web import on_refusal

bp = Blueprint("sso", __name__)

FLOWS_KEY = "sso_flows"
ONBOARDING_KEY = "sso_onboarding"
FLOW_SECONDS = 600
MAX_PENDING_FLOWS = 5
IDP_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


def _enabled_connection(university: University | None) -> SsoConnection | None:
    if university is None or not university.enabled:
        return None
    connection = university.sso
    return connection if connection is not None and connection.enabled else None


def _sso_error_page(code: str, error: SsoError, *, retry: bool | None = None):
    """The error page; "Start again" is offered where starting again can help (by
    default after a 400). Nothing the sign-in wrote is kept: callers reach it through
    on_refusal, which rolls back first, or before writing anything."""
    retry = error.retry if retry is None else retry
    shown_code = "".join(c if c.isprintable() else "?" for c in code[:16])
    current_app.logger.warning("SSO %s: %s", shown_code, error.detail)
    university = university_by_code(code)
    return render_template(
        "sso/error.html",
        status=error.status,
        message=error.message,
        university=university,
        retry_url=url_for("sso.login", code=code)
        if (error.status == 400 if retry is None else retry) and university is not None
        else None,
    ), error.status


def _pending_flows() -> dict:
    """Sign-ins started in this browser and not yet expired, by state."""
    flows = session.get(FLOWS_KEY)
    if not isinstance(flows, dict):
        return {}
    now = time.time()
    return {
        state: flow
        for state, flow in flows.items()
        if isinstance(flow, dict) and now - flow.get("t", 0) < FLOW_SECONDS
    }


def _redirect_uri(code: str) -> str:
    """Our callback as registered at the IdP: on PUBLIC_BASE_URL when set, never on a Host
    header the visitor chose."""
    return absolute_url(url_for("sso.callback", code=code))


# --- choosing the university ---------------------------------------------------------------


def _university_from_choice(form: UniversityChoiceForm) -> University | None:
    code = (form.university.data or "").strip()
    if code:
        return university_by_code(code)
    return university_by_email(form.email.data)


@bp.post("/sign-in/university", endpoint="choose")
def choose():
    form = UniversityChoiceForm()
    if not form.validate_on_submit() or not (form.university.data or form.email.data):
        flash(_("Choose your university, or enter your university e-mail address."), "danger")
        return redirect(url_for("accounts.sign_in"), 303)
    university = _university_from_choice(form)
    if university is None:
        flash(
            _(
                "We do not know that university or e-mail domain. Choose your university in "
                "the list; companies and the park team sign in with their e-mail and password."
            ),
            "danger",
        )
        return redirect(url_for("accounts.sign_in"), 303)
    if _enabled_connection(university) is None:
        flash(
            _(
                "%(university)s has not switched on single sign-on with Talent Foundry yet.",
                university=university.name(str(get_locale())),
            ),
            "warning",
        )
        return redirect(url_for("accounts.sign_in"), 303)
    next_url = safe_next_url(form.next.data, "") or None
    return redirect(url_for("sso.login", code=university.code, next=next_url), 303)


# --- the round trip to the IdP --------------------------------------------------------------


@bp.get("/sso/<code>/login", endpoint="login")
def login(code: str):
    university = university_by_code(code)
    connection = _enabled_connection(university)
    if connection is None:
        flash(_("Single sign-on is not available for that university."), "warning")
        return redirect(url_for("accounts.sign_in"), 303)
    with on_refusal(lambda error: _sso_error_page(code, error), catching=SsoError):
        metadata = discovery.provider_metadata(connection.issuer)
        auth = client.authorization_request(
            metadata,
            client_id=connection.client_id,
            scopes=connection.scopes,
            redirect_uri=_redirect_uri(university.code),
        )
    flows = _pending_flows()
    while len(flows) >= MAX_PENDING_FLOWS:
        flows.pop(min(flows, key=lambda state: flows[state].get("t", 0)))
    flows[auth.state] = {
        "u": university.code,
        "n": auth.nonce,
        "v": auth.code_verifier,
        "next": safe_next_url(request.args.get("next"), ""),
        "t": time.time(),
    }
    session[FLOWS_KEY] = flows
    return redirect(auth.url, 303)


def _idp_error_page(code: str, error_code: str):
    shown = error_code if IDP_ERROR_CODE.match(error_code) else "error"
    if shown == "access_denied":
        message = _(
            "You cancelled signing in, or your university did not allow this sign-in. "
            "You can start again."
        )
        status = 403
    else:
        message = _(
            "Your university’s sign-in service did not sign you in (it answered “%(error)s”). "
            "Please start again.",
            error=shown,
        )
        status = 400
    error = SsoError(message, f"IdP returned error {shown!r}", status)
    return _sso_error_page(code, error, retry=True)


def _expired(detail: str) -> SsoError:
    message = _(
        "This sign-in link has expired or was started in another browser. Start again from "
        "this browser."
    )
    return SsoError(message, detail, 400)


def _take_flow(state: str) -> dict | None:
    """The sign-in this browser started under `state`, removed from the session so that it
    can be used only once."""
    flows = _pending_flows()
    flow = flows.pop(state, None) if state else None
    session[FLOWS_KEY] = flows
    return flow


@bp.get("/sso/<code>/callback", endpoint="callback")
def callback(code: str):
    flow = _take_flow(request.args.get("state", ""))
    if request.args.get("error"):
        return _idp_error_page(code, request.args.get("error", ""))
    with on_refusal(lambda error: _sso_error_page(code, error), catching=SsoError):
        university, result = _finish(code, flow)
    method = f"sso:{university.code}"
    if needs_second_factor(result.user):
        # A park admin, or someone who turned on the authenticator app: the university's
        # sign-in is only the first factor.
        start_pending_sign_in(result.user, flow.get("next") or "", first_factor=method)
        return redirect(url_for("two_factor.challenge"), 303)
    sign_in(result.user, method=method)
    if result.needs_onboarding:
        session[ONBOARDING_KEY] = {"student_number": result.student_number}
    current_app.logger.info(
        "SSO %s: user %s signed in%s", code, result.user.id, " (new)" if result.created else ""
    )
    if result.needs_onboarding:
        return redirect(url_for("sso.onboarding"), 303)
    if not result.has_access:
        return redirect(url_for("sso.no_access"), 303)
    return redirect(safe_next_url(flow.get("next"), url_for("core.home")), 303)


def _finish(code: str, flow: dict | None):
    """Check the response against the sign-in this browser started, exchange the code and
    provision the person."""
    if flow is None:
        raise _expired("callback state missing, unknown, used or expired")
    if flow.get("u") != code:
        raise _expired(f"state was issued for university {flow.get('u')!r}")
    university = university_by_code(code)
    connection = _enabled_connection(university)
    if connection is None:
        raise SsoError(
            _("Single sign-on is not available for that university."),
            "callback for a university without an enabled connection",
            404,
        )
    metadata = discovery.provider_metadata(connection.issuer)
    returned_issuer = request.args.get("iss")
    # RFC 9207: the response names its issuer, so a response from another IdP is refused.
    if returned_issuer is not None and returned_issuer != connection.issuer:
        raise SsoError(
            client.SIGN_IN_NOT_VERIFIED,
            f"response iss {returned_issuer[:200]!r} is not {connection.issuer!r}",
        )
    if returned_issuer is None and metadata.iss_parameter_supported:
        raise SsoError(client.SIGN_IN_NOT_VERIFIED, "response lacks iss (RFC 9207)")
    authorization_code = request.args.get("code", "")
    if not authorization_code or len(authorization_code) > 2000:
        raise SsoError(client.SIGN_IN_NOT_VERIFIED, "callback without a code")
    claims = client.complete_sign_in(
        metadata,
        client_id=connection.client_id,
        client_secret=client_secret_of(connection),
        code=authorization_code,
        code_verifier=flow.get("v", ""),
        redirect_uri=_redirect_uri(university.code),
        nonce=flow.get("n", ""),
        wanted_claims=[
            name
            for name in (
                connection.claim_email,
                connection.claim_name,
                connection.claim_affiliation,
                connection.claim_faculty,
            )
            if name
        ],
    )
    return university, provision(connection, claims)


# --- after the first sign-in ---------------------------------------------------------------


def _onboarding_form(membership) -> OnboardingForm:
    form = OnboardingForm()
    programmes = db.session.scalars(
        sa.select(StudyProgramme)
        .where(StudyProgramme.faculty_id == membership.faculty_id)
        .order_by(StudyProgramme.name_en)
    ).all()
    form.set_choices(graduation_years(), programmes, str(get_locale()))
    return form


@bp.route("/welcome", methods=["GET", "POST"], endpoint="onboarding")
@login_required
def onboarding():
    user = current_user._get_current_object()
    membership = pending_student_membership(user)
    if membership is None:
        if policy.can(user, "area.student"):
            return redirect(url_for("core.home"), 303)
        raise PermissionDenied(_("Only a new student completes this page."))
    form = _onboarding_form(membership)
    if request.method == "POST":
        if form.validate_on_submit():
            remembered = session.get(ONBOARDING_KEY)
            number = remembered.get("student_number") if isinstance(remembered, dict) else None
            with on_refusal(
                lambda _refusal: _onboarding_page(form, membership, 400),
                catching=SsoError,
                field=form.study_level,
            ):
                complete_onboarding(
                    user,
                    study_level=StudyLevel(form.study_level.data),
                    graduation_year=form.graduation_year.data,
                    programme=db.session.get(StudyProgramme, form.programme.data or 0),
                    student_number=number if isinstance(number, str) else None,
                )
            session.pop(ONBOARDING_KEY, None)
            flash(_("Welcome to Talent Foundry! Your student profile is ready."), "success")
            return redirect(url_for("core.home"), 303)
        return _onboarding_page(form, membership, 400)
    return _onboarding_page(form, membership)


def _onboarding_page(form: OnboardingForm, membership, status: int = 200):
    return render_template("sso/onboarding.html", form=form, membership=membership), status


@bp.get("/welcome/no-access", endpoint="no_access")
@login_required
def no_access():
    if current_user.memberships:
        return redirect(url_for("core.home"), 303)
    identities = sorted(current_user.identities, key=lambda i: i.id)
    university = identities[-1].university if identities else None
    return render_template("sso/no_access.html", university=university)
