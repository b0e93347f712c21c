"""Recruiters run the pipeline: board and list, applicant, moves, notes, interviews, offers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.applications.forms import (
    STATUS_LABELS,
    STATUS_STYLES,
    BulkMoveForm,
    InterviewForm,
    MoveForm,
    NoteForm,
    OfferForm,
)
from foundry.applications.interviews import SlotProposal, propose_slots, slots_of
from foundry.applications.models import Application, ApplicationStatus
from foundry.applications.offers import OfferTerms, make_offer, offer_of
from foundry.applications.queries import (
    PIPELINE_SORTS,
    board_columns,
    events_of,
    notes_of,
    pipeline_statement,
    status_counts,
)
from foundry.applications.routes import status_arg
from foundry.applications.services import add_note, bulk_move, move
from foundry.applications.states import Mover, allowed_moves
from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.postings.models import Posting
from foundry.web import (
    apply_sorting,
    form_error_messages,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("pipeline", __name__)

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
VIEWS = ("board", "list")


@bp.context_processor
def status_labels():
    return {"STATUS_LABELS": STATUS_LABELS, "STATUS_STYLES": STATUS_STYLES}


def _managed_posting(slug: str, posting_id: int) -> Posting:
    posting = db.get_or_404(Posting, posting_id)
    require("application.manage", posting)
    if posting.company.slug != slug:
        raise NotFound(_("This posting does not belong to that company."))
    return posting


def _managed_application(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    require("application.manage", application)
    return application


def _back_to(application: Application):
    return redirect(url_for("pipeline.applicant", application_id=application.id), 303)


# --- the posting's pipeline -----------------------------------------------------------------


@bp.get("/company/<slug>/postings/<int:posting_id>/pipeline")
@login_required
def board(slug: str, posting_id: int):
    posting = _managed_posting(slug, posting_id)
    view = request.args.get("view", "board")
    if view not in VIEWS:
        raise InvalidInput(_("That view is not known."))
    status = status_arg()
    name = (request.args.get("q") or "").strip()[:100] or None
    sorting = sorting_from_request(PIPELINE_SORTS, "-submitted")
    page_number = page_from_request()
    page = columns = None
    if view == "list":
        stmt = apply_sorting(
            pipeline_statement(posting, status, name), sorting, PIPELINE_SORTS, Application.id
        )
        per_page = current_app.config["PAGE_SIZE"]
        page = db.paginate(stmt, page=page_number, per_page=per_page, error_out=False)
    else:
        columns = board_columns(posting, name)
    return render_template(
        "applications/pipeline.html",
        posting=posting,
        view=view,
        status=status,
        name=name or "",
        sorting=sorting,
        page=page,
        columns=columns,
        counts=status_counts(Application.posting_id == posting.id),
        bulk_form=BulkMoveForm(formdata=None),
        bulk_targets=_bulk_targets(),
    )


def _bulk_targets() -> list[ApplicationStatus]:
    """States a recruiter can move someone to (offers are made one by one, with terms)."""
    targets = set().union(*(allowed_moves(s, Mover.COMPANY) for s in ApplicationStatus))
    return [s for s in ApplicationStatus if s in targets and s is not ApplicationStatus.OFFER]


@bp.post("/company/<slug>/postings/<int:posting_id>/pipeline/move")
@login_required
def bulk(slug: str, posting_id: int):
    posting = _managed_posting(slug, posting_id)
    form = BulkMoveForm()
    if not form.validate_on_submit():
        raise InvalidInput(" ".join(form_error_messages(form)))
    target = ApplicationStatus(form.to_status.data)
    moved = bulk_move(current_user, posting, form.application_ids.data, target, form.message.data)
    db.session.commit()
    flash(
        _("%(n)d applicants moved to “%(status)s”.", n=len(moved), status=STATUS_LABELS[target]),
        "success",
    )
    return redirect(url_for("pipeline.board", slug=slug, posting_id=posting.id, view="list"), 303)


# --- one applicant ------------------------------------------------------------------------------


def _applicant_page(
    application: Application, status: int = 200, errors: dict | None = None, **forms
):
    """The applicant's page; `errors` holds a service's message per form (interview, offer)."""
    moves = allowed_moves(application.status, Mover.COMPANY)
    page = render_template(
        "applications/applicant.html",
        application=application,
        profile=application.profile,
        events=events_of(application),
        notes=notes_of(application),
        slots=slots_of(application),
        offer=offer_of(application),
        moves=[s for s in ApplicationStatus if s in moves and s is not ApplicationStatus.OFFER],
        can_offer=ApplicationStatus.OFFER in moves,
        can_interview=application.status is ApplicationStatus.INTERVIEW
        or ApplicationStatus.INTERVIEW in moves,
        errors=errors or {},
        move_form=forms.get("move_form") or MoveForm(formdata=None),
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        interview_form=forms.get("interview_form") or InterviewForm(formdata=None),
        offer_form=forms.get("offer_form") or OfferForm(formdata=None),
    )
    return page, status


@bp.get("/pipeline/applications/<int:application_id>")
@login_required
def applicant(application_id: int):
    return _applicant_page(_managed_application(application_id))


@bp.post("/pipeline/applications/<int:application_id>/move")
@login_required
def move_applicant(application_id: int):
    application = _managed_application(application_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, move_form=form)
    move(current_user, application, ApplicationStatus(form.to_status.data), form.message.data)
    db.session.commit()
    flash(_("Moved. The student has been told."), "success")
    return _back_to(application)


@bp.post("/pipeline/applications/<int:application_id>/notes")
@login_required
def note(application_id: int):
    application = _managed_application(application_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, note_form=form)
    add_note(current_user, application, form.body.data)
    db.session.commit()
    flash(_("Note saved. Only your company can read it."), "success")
    return _back_to(application)


def _proposals(form: InterviewForm) -> list[SlotProposal]:
    return [
        SlotProposal(
            starts_at=datetime.combine(row.day.data, row.time.data, tzinfo=HONG_KONG),
            duration_minutes=row.duration_minutes.data,
            location=row.location.data or "",
        )
        for row in form.filled_rows()
    ]


@bp.post("/pipeline/applications/<int:application_id>/interviews")
@login_required
def interviews(application_id: int):
    application = _managed_application(application_id)
    form = InterviewForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, interview_form=form)
    try:
        propose_slots(current_user, application, _proposals(form), form.message.data)
    except InvalidInput as error:
        db.session.rollback()
        return _applicant_page(application, 400, {"interview": error.message}, interview_form=form)
    db.session.commit()
    flash(_("Times proposed. The student has been asked to pick one."), "success")
    return _back_to(application)


@bp.post("/pipeline/applications/<int:application_id>/offer")
@login_required
def offer(application_id: int):
    application = _managed_application(application_id)
    form = OfferForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, offer_form=form)
    terms = OfferTerms(
        terms=form.terms.data,
        pay_hkd=form.pay_hkd.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        respond_by=form.respond_by.data,
    )
    try:
        make_offer(current_user, application, terms, form.message.data)
    except InvalidInput as error:
        db.session.rollback()
        return _applicant_page(application, 400, {"offer": error.message}, offer_form=form)
    db.session.commit()
    flash(_("Offer sent. The student has been told."), "success")
    return _back_to(application)
