"""Recruiters run the pipeline: board and list, applicant, moves, notes, interviews, offers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.applications import board_cache
from foundry.applications.forms import (
    BulkMoveForm,
    InterviewForm,
    InterviewRunForm,
    MoveForm,
    NoteForm,
    OfferForm,
)
from foundry.applications.interviews import (
    SlotProposal,
    SlotRun,
    check_proposals,
    proposals_of_run,
    propose_slots,
    slots_of,
)
from foundry.applications.labels import STATUS_LABELS, STATUS_STYLES
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
from foundry.applications.services import add_note, bulk_move, check_company_move, move
from foundry.applications.states import Mover, allowed_moves
from foundry.errors import InvalidInput, NotFound, wants_json
from foundry.extensions import db
from foundry.postings.loading import without_lists
from foundry.postings.models import Posting
from foundry.reports import cache
from foundry.urls import id_url
from foundry.web import (
    apply_sorting,
    form_error_messages,
    on_refusal,
    page_from_request,
    require,
    sorting_from_request,
)

bp = Blueprint("pipeline", __name__)

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
VIEWS = ("board", "list")
# What the applicant page can open for a move from the board that needs more than a click.
OPENABLE = ("interview", "offer", "reject")


@bp.context_processor
def status_labels():
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "STATUS_STYLES": STATUS_STYLES,
        "board_moves": board_moves,
        "id_url": id_url,
    }


def board_moves(status: ApplicationStatus) -> list[ApplicationStatus]:
    """Where a card in `status` can go from the board, in the pipeline's order."""
    moves = allowed_moves(status, Mover.COMPANY)
    return [s for s in ApplicationStatus if s in moves]


def _managed_posting(slug: str, posting_id: int) -> Posting:
    # The pipeline shows the posting's title and dates, none of its lists.
    posting = db.get_or_404(Posting, posting_id, options=without_lists())
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
    counts = status_counts(Application.posting_id == posting.id)
    page = board = None
    if view == "list":
        stmt = apply_sorting(
            pipeline_statement(posting, status, name), sorting, PIPELINE_SORTS, Application.id
        )
        per_page = current_app.config["PAGE_SIZE"]
        page = db.paginate(stmt, page=page_number, per_page=per_page, error_out=False)
    elif sum(counts.values()):
        board = board_cache.board(
            posting.id,
            request.query_string,
            str(get_locale()),
            lambda: render_template(
                "applications/_board.html",
                columns=board_columns(posting, name),
                status=status,
                counts=counts,
                csrf_token=lambda: cache.FORM_TOKEN,
            ),
        )
    return render_template(
        "applications/pipeline.html",
        posting=posting,
        view=view,
        status=status,
        name=name or "",
        sorting=sorting,
        page=page,
        board=board,
        counts=counts,
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
    flash(
        _("%(n)d applicants moved to “%(status)s”.", n=len(moved), status=STATUS_LABELS[target]),
        "success",
    )
    return redirect(url_for("pipeline.board", slug=slug, posting_id=posting.id, view="list"), 303)


# --- one applicant ------------------------------------------------------------------------------


def _applicant_page(
    application: Application,
    status: int = 200,
    errors: dict | None = None,
    preview: list[SlotProposal] | None = None,
    opened: str | None = None,
    **forms,
):
    """The applicant's page; `errors` holds a service's message per form (interview, run,
    offer), `preview` the times a run would propose, `opened` the form to open."""
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
        run_form=forms.get("run_form") or InterviewRunForm(formdata=None),
        offer_form=forms.get("offer_form") or OfferForm(formdata=None),
        preview=preview,
        opened=opened,
    )
    return page, status


@bp.get("/pipeline/applications/<int:application_id>")
@login_required
def applicant(application_id: int):
    application = _managed_application(application_id)
    opened = request.args.get("open") or None
    if opened is not None and opened not in OPENABLE:
        raise InvalidInput(_("That form is not known."))
    return _applicant_page(application, opened=opened)


@bp.post("/pipeline/applications/<int:application_id>/move")
@login_required
def move_applicant(application_id: int):
    """The applicant page's move form and the board's cards (a form, or the script's
    fetch, which gets JSON). Moves that need more than a click open their form."""
    application = _managed_application(application_id)
    form = MoveForm()
    if not form.validate_on_submit():
        if wants_json() or form.back.data == "board":
            raise InvalidInput(" ".join(form_error_messages(form)))
        return _applicant_page(application, 400, move_form=form)
    target = ApplicationStatus(form.to_status.data)
    if form.back.data == "board":
        check_company_move(application, target)
        opened = _form_to_open(target, form.confirm.data)
        if opened:
            return _open_form(application, target, opened)
    move(current_user, application, target, form.message.data)
    name = application.profile.user.display_name
    done = _(
        "%(name)s moved to “%(status)s”. The student has been told.",
        name=name,
        status=STATUS_LABELS[target],
    )
    if wants_json():
        moves = [{"value": s.value, "label": str(STATUS_LABELS[s])} for s in board_moves(target)]
        return jsonify(ok=True, status=target.value, message=done, moves=moves)
    flash(done, "success")
    if form.back.data == "board":
        posting = application.posting
        return redirect(
            url_for(
                "pipeline.board",
                slug=posting.company.slug,
                posting_id=posting.id,
                _anchor=f"card-{application.id}",
            ),
            303,
        )
    return _back_to(application)


def _form_to_open(target: ApplicationStatus, confirmed: bool) -> str | None:
    """An interview needs its times and an offer its terms; a rejection is final, so it
    is confirmed (with an optional message) before it is sent."""
    if target is ApplicationStatus.INTERVIEW:
        return "interview"
    if target is ApplicationStatus.OFFER:
        return "offer"
    if target is ApplicationStatus.REJECTED and not confirmed:
        return "reject"
    return None


def _open_form(application: Application, target: ApplicationStatus, opened: str):
    anchor = {"interview": "interview-title", "offer": "offer-title", "reject": "move-title"}
    url = url_for(
        "pipeline.applicant",
        application_id=application.id,
        open=opened,
        _anchor=anchor[opened],
    )
    if not wants_json():
        return redirect(url, 303)
    messages = {
        "interview": _("Propose interview times to move this applicant to “Interview”."),
        "offer": _("Write the offer’s terms to move this applicant to “Offer”."),
        "reject": _("Confirm the rejection, with a message if you wish."),
    }
    return jsonify(ok=False, open=url, message=messages[opened], status=target.value)


@bp.post("/pipeline/applications/<int:application_id>/notes")
@login_required
def note(application_id: int):
    application = _managed_application(application_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, note_form=form)
    add_note(current_user, application, form.body.data)
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
    with on_refusal(
        lambda error: _applicant_page(
            application, error.status_code, {"interview": error.message}, interview_form=form
        )
    ):
        propose_slots(current_user, application, _proposals(form), form.message.data)
    flash(_("Times proposed. The student has been asked to pick one."), "success")
    return _back_to(application)


@bp.post("/pipeline/applications/<int:application_id>/interviews/run")
@login_required
def interview_run(application_id: int):
    """A run of times on one day: previewed first if the recruiter asks, then proposed."""
    application = _managed_application(application_id)
    form = InterviewRunForm()
    if not form.validate_on_submit():
        return _applicant_page(application, 400, run_form=form, opened="interview")
    run = SlotRun(
        day=form.day.data,
        first_start=form.first_start.data,
        duration_minutes=form.duration_minutes.data,
        count=form.count.data,
        gap_minutes=form.gap_minutes.data or 0,
        location=form.location.data,
    )
    with on_refusal(
        lambda error: _applicant_page(
            application,
            error.status_code,
            {"run": error.message},
            run_form=form,
            opened="interview",
        )
    ):
        proposals = proposals_of_run(run)
        if form.preview.data:
            check_proposals(current_user, application, proposals)
            return _applicant_page(
                application, preview=proposals, run_form=form, opened="interview"
            )
        propose_slots(current_user, application, proposals, form.message.data)
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
    with on_refusal(
        lambda error: _applicant_page(application, 400, {"offer": error.message}, offer_form=form),
        catching=InvalidInput,
    ):
        make_offer(current_user, application, terms, form.message.data)
    flash(_("Offer sent. The student has been told."), "success")
    return _back_to(application)
