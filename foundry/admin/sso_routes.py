"""The park admin's universities: their single sign-on connection, and its check."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from foundry.admin.sso_forms import (
    CLAIM_FIELDS,
    CheckConnectionForm,
    SsoConnectionForm,
    split_domains,
)
from foundry.admin.university_queries import (
    UNIVERSITY_SORTS,
    linked_user_counts,
    universities_statement,
)
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.sso.models import SsoConnection
from foundry.sso.services import CheckStep, check_connection, configure_connection
from foundry.universities.models import University
from foundry.urls import absolute_url
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("admin_universities", __name__)
log = logging.getLogger(__name__)

# Words in the label of a message of configure_connection() that name its form field; a
# claim is named by its key, most specific first ("student number" before "name").
_CLAIM_WORDS = (
    ("claim_student_number", "student number"),
    ("claim_graduation_year", "graduation year"),
    ("claim_study_level", "study level"),
    ("claim_staff_role", "staff role"),
    ("claim_affiliation", "affiliation"),
    ("claim_faculty", "faculty"),
    ("claim_email", "mail"),
    ("claim_name", "name"),
)
_FIELD_WORDS = (
    ("client_secret", "secret"),
    ("client_id", "client id"),
    ("scopes", "scope"),
    ("domains", "domain"),
    ("issuer", "issuer"),
)


@bp.before_request
@login_required
def _park_admins_only():
    require("admin.access")


def _university_or_404(code: str) -> University:
    return db.first_or_404(db.select(University).where(University.code == code))


@bp.get("/admin/universities")
def index():
    sorting = sorting_from_request(UNIVERSITY_SORTS, "code")
    query = (request.args.get("q") or "").strip()[:100] or None
    stmt = apply_sorting(universities_statement(query), sorting, UNIVERSITY_SORTS, University.id)
    page = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    return render_template(
        "admin/universities.html",
        page=page,
        sorting=sorting,
        query=query or "",
        linked=linked_user_counts([u.id for u in page.items]),
    )


@bp.route("/admin/universities/<code>/sso", methods=["GET", "POST"])
def sso(code: str):
    university = _university_or_404(code)
    require("sso.configure", university)
    connection: SsoConnection | None = university.sso
    form = SsoConnectionForm(
        university,
        has_secret=connection is not None,
        data=None if request.method == "POST" else _form_data(university, connection),
    )
    if form.validate_on_submit():
        with on_refusal(
            lambda error: _render(university, _with_error_shown(form, error), status=400),
            catching=InvalidInput,
        ):
            configure_connection(
                university,
                actor=current_user,
                issuer=form.issuer.data,
                client_id=form.client_id.data,
                client_secret=form.client_secret.data or None,
                scopes=" ".join(form.scopes.data.split()),
                domains=split_domains(form.domains.data),
                claims=form.claims(),
                enabled=form.enabled.data,
            )
        flash(_("Sign-in settings for %(code)s are saved.", code=university.code), "success")
        return redirect(url_for("admin_universities.sso", code=university.code), 303)
    status = 400 if form.is_submitted() else 200
    return _render(university, form, status=status)


@bp.post("/admin/universities/<code>/sso/check")
def check(code: str):
    university = _university_or_404(code)
    require("sso.configure", university)
    if not CheckConnectionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    connection = university.sso
    form = SsoConnectionForm(
        university,
        has_secret=connection is not None,
        formdata=None,
        data=_form_data(university, connection),
    )
    if connection is None:
        flash(_("Save the sign-in settings before checking them."), "warning")
        return _render(university, form, status=409)
    return _render(university, form, checks=_run_check(connection))


def _run_check(connection: SsoConnection) -> list:
    """The service reports every failure as a step; anything else it lets slip becomes a
    failed step too, so a broken IdP is never a 500 here."""
    try:
        return list(check_connection(connection))
    except Exception:  # noqa: BLE001  (reported on the page and logged in full)
        log.exception("SSO check of %s failed unexpectedly", connection.issuer)
        return [
            CheckStep(
                label=_("Run the check"),
                ok=False,
                detail=_("The check stopped on an unexpected error; it is in the server log."),
            )
        ]


def _render(university: University, form, status: int = 200, checks=None):
    return render_template(
        "admin/sso.html",
        university=university,
        connection=university.sso,
        form=form,
        check_form=CheckConnectionForm(),
        checks=checks,
        callback_url=_callback_url(university),
        linked_users=linked_user_counts([university.id]).get(university.id, 0),
    ), status


def _callback_url(university: University) -> str | None:
    """The redirect URI to register at the IdP, on PUBLIC_BASE_URL when it is set."""
    try:
        return absolute_url(url_for("sso.callback", code=university.code))
    except BuildError:  # the SSO sign-in blueprint is not registered in this build
        return None


def _form_data(university: University, connection: SsoConnection | None) -> dict:
    data = {"domains": "\n".join(d.domain for d in university.domains), "enabled": True}
    if connection is not None:
        data.update(
            issuer=connection.issuer,
            client_id=connection.client_id,
            scopes=connection.scopes,
            enabled=connection.enabled,
            **{name: getattr(connection, name) for name, _k, _l, _r in CLAIM_FIELDS},
        )
    else:
        defaults = SsoConnection.__table__.columns
        data.update(
            {
                name: defaults[name].default.arg if defaults[name].default is not None else None
                for name, _k, _l, _r in CLAIM_FIELDS
            }
        )
    return data


def _with_error_shown(form: SsoConnectionForm, error: InvalidInput) -> SsoConnectionForm:
    field, message = _field_for(form, error)
    field.errors.append(message)
    return form


def _field_for(form: SsoConnectionForm, error: InvalidInput) -> tuple:
    """The form field a service message is about, and the message to show there. The
    service writes "Issuer: ...", "Claim for faculty: ..."; the label before the colon
    names the field (the field shows its own label, so the message drops it)."""
    head, _sep, rest = error.message.partition(":")
    topic = head.lower().replace("_", " ")
    words = _CLAIM_WORDS + _FIELD_WORDS if "claim" in topic else _FIELD_WORDS
    for field_name, word in words:
        if word in topic:
            return form[field_name], (rest.strip()[:1].upper() + rest.strip()[1:]) or head
    return form.issuer, error.message
