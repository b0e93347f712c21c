"""The organisers' pages for programmes: their list, the programme and session editors,
publishing, cancelling with a message, and each session's attendee list and its export.

Each organiser finds their list where they work: a company under /company/<slug>, a
faculty under /faculty/<id>, the park under /admin. A programme's own pages are under
/organise/programmes/<id> whoever organises it; "programme.edit" (and, for the attendees,
"programme.view_attendees") decides who may open them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.programmes.attendee_export import attendee_export
from foundry.programmes.content import ProgrammeInputError
from foundry.programmes.labels import (
    CHECK_IN_METHOD_LABELS,
    FORMAT_LABELS,
    KIND_LABELS,
    PROGRAMME_STATUS_LABELS,
    REGISTRATION_STATUS_LABELS,
)
from foundry.programmes.models import Programme, ProgrammeSession, ProgrammeStatus
from foundry.programmes.organiser_forms import (
    ActionForm,
    CancelProgrammeForm,
    ProgrammeForm,
    SessionForm,
    programme_form_data,
    session_form_data,
)
from foundry.programmes.organiser_queries import (
    ATTENDEE_FILTERS,
    Organiser,
    RowPage,
    attendees_statement,
    eligibility_universities,
    organiser_programmes_statement,
    organiser_sorts,
    programme_figures,
    session_places,
    status_counts,
)
from foundry.programmes.services import (
    add_session,
    cancel_programme,
    create_programme,
    publish_programme,
    update_programme,
    update_session,
)
from foundry.reports.exports import FORMATS, export_response
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.universities.models import Faculty
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("programme_organise", __name__)

PER_PAGE = 20
ATTENDEES_PER_PAGE = 50
PROGRAMME_URL = "/organise/programmes/<int:programme_id>"
SESSION_URL = f"{PROGRAMME_URL}/sessions/<int:session_id>"


@bp.context_processor
def programme_labels() -> dict:
    return {
        "KIND_LABELS": KIND_LABELS,
        "FORMAT_LABELS": FORMAT_LABELS,
        "PROGRAMME_STATUS_LABELS": PROGRAMME_STATUS_LABELS,
        "REGISTRATION_STATUS_LABELS": REGISTRATION_STATUS_LABELS,
        "STUDY_LEVEL_LABELS": STUDY_LEVEL_LABELS,
        "CHECK_IN_METHOD_LABELS": CHECK_IN_METHOD_LABELS,
        "organiser_url": organiser_url,
    }


def organiser_url(organiser: Organiser, page: str = "list") -> str:
    """The organiser's list ("list") or new-programme form ("new")."""
    endpoint = {"list": "programme_organise.programmes", "new": "programme_organise.new_programme"}[
        page
    ]
    if isinstance(organiser, Company):
        return url_for(f"{endpoint}_of_company", slug=organiser.slug)
    if isinstance(organiser, Faculty):
        return url_for(f"{endpoint}_of_faculty", faculty_id=organiser.id)
    return url_for(f"{endpoint}_of_park")


def organiser_of(programme: Programme) -> Organiser:
    return programme.organiser_company or programme.organiser_faculty


def _company(slug: str) -> Company:
    return db.first_or_404(sa.select(Company).where(Company.slug == slug))


# --- the organiser's list -------------------------------------------------------------------


@bp.get("/company/<slug>/programmes")
@login_required
def programmes_of_company(slug: str):
    return _list_page(_company(slug))


@bp.get("/faculty/<int:faculty_id>/programmes")
@login_required
def programmes_of_faculty(faculty_id: int):
    return _list_page(db.get_or_404(Faculty, faculty_id))


@bp.get("/admin/programmes")
@login_required
def programmes_of_park():
    return _list_page(None)


def _status_arg() -> ProgrammeStatus | None:
    raw = request.args.get("status") or None
    try:
        return ProgrammeStatus(raw) if raw else None
    except ValueError:
        raise InvalidInput(_("That status is not known.")) from None


def _list_page(organiser: Organiser):
    require("programme.create", organiser)
    status, now = _status_arg(), utcnow()
    sorts = organiser_sorts(now)
    sorting = sorting_from_request(sorts, "-updated")
    stmt = apply_sorting(
        organiser_programmes_statement(organiser, status),
        sorting,
        sorts,
        Programme.id.desc(),
        nulls_last=frozenset({"next"}),
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=PER_PAGE, error_out=False)
    counts = status_counts(organiser)
    return render_template(
        "programmes/organise/list.html",
        organiser=organiser,
        page=page,
        status=status,
        sorting=sorting,
        counts=counts,
        total=sum(counts.values()),
        figures=programme_figures([p.id for p in page.items], now),
    )


# --- writing a programme --------------------------------------------------------------------


def _programme_form(**kwargs) -> ProgrammeForm:
    form = ProgrammeForm(**kwargs)
    form.set_choices(eligibility_universities(), str(get_locale()))
    return form


def _editor(form, organiser: Organiser, programme: Programme | None = None, refusal=None):
    """The programme's form (new or saved), with a service's refusal shown on its field."""
    if refusal is not None:
        form.show_error(refusal)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "programmes/organise/edit.html", form=form, organiser=organiser, programme=programme
    ), status


@bp.route("/company/<slug>/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme_of_company(slug: str):
    return _new_programme(_company(slug))


@bp.route("/faculty/<int:faculty_id>/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme_of_faculty(faculty_id: int):
    return _new_programme(db.get_or_404(Faculty, faculty_id))


@bp.route("/admin/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme_of_park():
    return _new_programme(None)


def _new_programme(organiser: Organiser):
    require("programme.create", organiser)
    form = _programme_form()
    if not form.validate_on_submit():
        return _editor(form, organiser)
    with on_refusal(lambda error: _editor(form, organiser, None, error), catching=InvalidInput):
        programme = create_programme(current_user, organiser, form.to_data())
    flash(_("The draft is saved. Add its sessions, then publish it."), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


def _programme(programme_id: int, action: str = "programme.edit") -> Programme:
    programme = db.get_or_404(Programme, programme_id)
    require(action, programme)
    return programme


def _changeable(programme: Programme) -> Programme:
    if programme.status is ProgrammeStatus.CANCELLED:
        raise DomainError(_("This programme has been cancelled; it can no longer be changed."))
    return programme


@bp.get(PROGRAMME_URL)
@login_required
def overview(programme_id: int):
    return _overview_page(_programme(programme_id))


def _overview_page(programme: Programme, refusal: DomainError | None = None):
    """The organiser's page of a programme; a refused publication shows why."""
    return render_template(
        "programmes/organise/overview.html",
        programme=programme,
        organiser=organiser_of(programme),
        places=session_places(programme),
        refusal=refusal,
        form=ActionForm(),
        now=utcnow(),
    ), (refusal.status_code if refusal else 200)


@bp.route(f"{PROGRAMME_URL}/edit", methods=["GET", "POST"])
@login_required
def edit_programme(programme_id: int):
    programme = _changeable(_programme(programme_id))
    organiser = organiser_of(programme)
    form = _programme_form(data=programme_form_data(programme))
    if not form.validate_on_submit():
        return _editor(form, organiser, programme)
    with on_refusal(
        lambda error: _editor(form, organiser, programme, error), catching=ProgrammeInputError
    ):
        update_programme(current_user, programme, form.to_data())
    flash(_("The programme is saved."), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


@bp.post(f"{PROGRAMME_URL}/publish")
@login_required
def publish(programme_id: int):
    programme = _programme(programme_id)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    with on_refusal(lambda error: _overview_page(programme, error)):
        publish_programme(current_user, programme)
    flash(_("The programme is published: students can find it and register."), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


@bp.route(f"{PROGRAMME_URL}/cancel", methods=["GET", "POST"])
@login_required
def cancel(programme_id: int):
    programme = _changeable(_programme(programme_id))
    form = CancelProgrammeForm()
    if not form.validate_on_submit():
        return _cancel_page(form, programme)
    with on_refusal(
        lambda error: _cancel_page(form, programme, error), catching=ProgrammeInputError
    ):
        told = cancel_programme(current_user, programme, form.message.data)
    flash(_("The programme is cancelled. People told: %(n)d.", n=told), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


def _cancel_page(form, programme: Programme, refusal=None):
    if refusal is not None:
        form.show_error(refusal)
    places = session_places(programme).values()
    return render_template(
        "programmes/organise/cancel.html",
        form=form,
        programme=programme,
        organiser=organiser_of(programme),
        to_tell=sum(registered + waiting for registered, waiting in places),
    ), (400 if form.is_submitted() else 200)


# --- sessions -------------------------------------------------------------------------------


def _session(programme: Programme, session_id: int) -> ProgrammeSession:
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or session.programme_id != programme.id:
        raise NotFound(_("This session is not part of the programme."))
    return session


def _session_editor(form, programme, session=None, refusal=None):
    if refusal is not None:
        form.show_error(refusal)
    return render_template(
        "programmes/organise/session_edit.html",
        form=form,
        programme=programme,
        organiser=organiser_of(programme),
        session=session,
    ), (400 if form.is_submitted() else 200)


@bp.route(f"{PROGRAMME_URL}/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(programme_id: int):
    programme = _changeable(_programme(programme_id))
    form = SessionForm()
    if not form.validate_on_submit():
        return _session_editor(form, programme)
    with on_refusal(
        lambda error: _session_editor(form, programme, None, error), catching=InvalidInput
    ):
        add_session(current_user, programme, form.to_data())
    flash(_("The session is added."), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


@bp.route(f"{SESSION_URL}/edit", methods=["GET", "POST"])
@login_required
def edit_session(programme_id: int, session_id: int):
    programme = _changeable(_programme(programme_id))
    session = _session(programme, session_id)
    form = SessionForm(data=session_form_data(session))
    if not form.validate_on_submit():
        return _session_editor(form, programme, session)
    with on_refusal(
        lambda error: _session_editor(form, programme, session, error),
        catching=ProgrammeInputError,
    ):
        update_session(current_user, session, form.to_data())
    flash(_("The session is saved."), "success")
    return redirect(url_for(".overview", programme_id=programme.id), 303)


# --- attendees ------------------------------------------------------------------------------


def _attendee_args() -> tuple[str, str | None]:
    shown = request.args.get("shown") or "all"
    if shown not in ATTENDEE_FILTERS:
        raise InvalidInput(_("That filter value is not known."))
    return shown, (request.args.get("q") or "").strip()[:100] or None


@bp.get(f"{SESSION_URL}/attendees")
@login_required
def attendees(programme_id: int, session_id: int):
    programme = _programme(programme_id, "programme.view_attendees")
    session = _session(programme, session_id)
    shown, query = _attendee_args()
    stmt = attendees_statement(session, shown, query)
    page = RowPage(stmt, page_from_request(), ATTENDEES_PER_PAGE)
    registered, waiting = session_places(programme).get(session.id, (0, 0))
    return render_template(
        "programmes/organise/attendees.html",
        programme=programme,
        organiser=organiser_of(programme),
        session=session,
        page=page,
        shown=shown,
        query=query or "",
        registered=registered,
        waiting=waiting,
        ended=session.ends_at <= utcnow(),
    )


@bp.get(f"{SESSION_URL}/attendees.<fmt>")
@login_required
def export_attendees(programme_id: int, session_id: int, fmt: str):
    """Audit the export, then stream it (the request's commit writes the audit line before
    the first byte leaves, as the reports' exports do)."""
    programme = _programme(programme_id, "programme.view_attendees")
    session = _session(programme, session_id)
    if fmt not in FORMATS:
        raise NotFound(_("Exports come as CSV or Excel (.xlsx)."))
    export = attendee_export(session, str(get_locale()))
    record(
        current_user,
        "programme.attendees_exported",
        programme,
        {"title": programme.title_en, "format": fmt.upper()},
        session_id=session.id,
    )
    return export_response(export, fmt)
