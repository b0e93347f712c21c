"""Students apply, follow their applications, withdraw, pick interview slots, answer offers;
the frozen CV and the interview invitation are downloaded here."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.applications import mine_cache
from foundry.applications.forms import (
    NEW_CV,
    AcceptOfferForm,
    ChooseSlotForm,
    DeclineOfferForm,
    WithdrawForm,
    apply_form_for,
)
from foundry.applications.ics import FILENAME, MIME_TYPE
from foundry.applications.interviews import choose_slot, invite_for, slots_of
from foundry.applications.labels import STATUS_LABELS, STATUS_STYLES
from foundry.applications.models import Application, ApplicationStatus, InterviewSlot
from foundry.applications.offers import (
    accept_offer,
    decline_offer,
    offer_of,
    other_open_offers,
)
from foundry.applications.queries import (
    MY_SORTS,
    events_of,
    my_applications_statement,
    status_counts,
)
from foundry.applications.services import (
    CannotApply,
    NewCV,
    Submission,
    check_can_apply,
    submit_application,
    withdraw,
)
from foundry.applications.states import OPEN_STATES
from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.postings.loading import apply_loader_options
from foundry.postings.models import Posting
from foundry.security import pdf_framable_by_us
from foundry.students.models import StudentProfile
from foundry.students.services import profile_for
from foundry.urls import id_url
from foundry.web import (
    apply_sorting,
    on_refusal,
    page_from_request,
    pdf_response,
    require,
    sorting_from_request,
)

bp = Blueprint("applications", __name__)


@bp.context_processor
def status_labels():
    return {"STATUS_LABELS": STATUS_LABELS, "STATUS_STYLES": STATUS_STYLES, "id_url": id_url}


def _my_profile() -> StudentProfile:
    require("area.student")
    profile = profile_for(current_user)
    if profile is None:
        raise NotFound(_("You have no student profile yet."))
    return profile


def _my_application(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    require("application.respond", application)
    return application


def status_arg() -> ApplicationStatus | None:
    raw = request.args.get("status") or None
    try:
        return ApplicationStatus(raw) if raw else None
    except ValueError:
        raise InvalidInput(_("That filter value is not known.")) from None


# --- applying ---------------------------------------------------------------------------


def _refused(posting: Posting, refusal: CannotApply):
    page = render_template("applications/cannot_apply.html", posting=posting, refusal=refusal)
    return page, refusal.status_code


def _apply_page(posting, profile, form, status=200, error=None):
    page = render_template(
        "applications/apply.html", posting=posting, profile=profile, form=form, error=error
    )
    return page, status


def _submission(form, posting: Posting) -> Submission:
    if form.cv_choice.data != NEW_CV:
        return Submission(
            int(form.cv_choice.data), None, form.cover_letter.data or "", form.answers()
        )
    upload = form.cv_file.data
    title = (form.cv_title.data or "").strip() or _("CV for %(title)s", title=posting.title)
    new_cv = NewCV(title[:120], upload.filename or "cv.pdf", upload.read())
    return Submission(None, new_cv, form.cover_letter.data or "", form.answers())


@bp.route("/postings/<int:posting_id>/apply", methods=["GET", "POST"])
@login_required
def apply(posting_id: int):
    profile = _my_profile()
    posting = db.get_or_404(Posting, posting_id, options=apply_loader_options(profile))
    form = apply_form_for(posting, profile.cvs)
    if not form.validate_on_submit():
        # The form only for whoever may apply. A valid submission is checked once, by
        # submit_application (checked here as well, every application read it all twice).
        with on_refusal(lambda refusal: _refused(posting, refusal), catching=CannotApply):
            check_can_apply(profile, posting)
        return _apply_page(posting, profile, form, 400 if form.is_submitted() else 200)
    with on_refusal(
        lambda error: (
            _refused(posting, error)
            if isinstance(error, CannotApply)
            else _apply_page(posting, _my_profile(), form, 400, error.message)
        ),
        catching=(CannotApply, InvalidInput),
    ):
        application = submit_application(current_user, profile, posting, _submission(form, posting))
    flash(_("Your application is sent. Follow its progress here."), "success")
    return redirect(url_for("applications.detail", application_id=application.id), 303)


# --- following my applications ------------------------------------------------------------


@bp.get("/me/applications")
@login_required
def mine():
    profile = _my_profile()
    status = status_arg()
    sorting = sorting_from_request(MY_SORTS, "-submitted")
    number = page_from_request()

    def render() -> str:
        stmt = apply_sorting(
            my_applications_statement(profile, status), sorting, MY_SORTS, Application.id
        )
        counts = status_counts(Application.profile_id == profile.id)
        page = db.paginate(stmt, page=number, per_page=20, error_out=False, count=False)
        # The total is one of the counts by status (or their sum): no statement of its own.
        page.total = counts[status] if status else sum(counts.values())
        return render_template(
            "applications/_mine.html", page=page, sorting=sorting, status=status, counts=counts
        )

    content = mine_cache.applications_list(
        profile.id, request.query_string, str(get_locale()), render
    )
    return render_template("applications/mine.html", content=content)


def _detail_page(application: Application, status: int = 200, **forms):
    slots = slots_of(application)
    choose_form = forms.get("choose_form") or ChooseSlotForm(formdata=None)
    choose_form.slot_id.choices = [(slot.id, slot.id) for slot in slots]
    page = render_template(
        "applications/detail.html",
        application=application,
        events=events_of(application),
        slots=slots,
        chosen=next((slot for slot in slots if slot.chosen_at), None),
        offer=offer_of(application),
        other_offers=other_open_offers(application),
        can_withdraw=application.status in OPEN_STATES,
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(formdata=None),
        choose_form=choose_form,
        accept_form=forms.get("accept_form") or AcceptOfferForm(formdata=None),
        decline_form=forms.get("decline_form") or DeclineOfferForm(formdata=None),
    )
    return page, status


@bp.get("/me/applications/<int:application_id>")
@login_required
def detail(application_id: int):
    return _detail_page(_my_application(application_id))


@bp.post("/me/applications/<int:application_id>/withdraw")
@login_required
def withdraw_application(application_id: int):
    application = _my_application(application_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _detail_page(application, 400, withdraw_form=form)
    withdraw(current_user, application, form.reason.data)
    flash(_("Your application is withdrawn. The company has been told."), "info")
    return redirect(url_for("applications.detail", application_id=application.id), 303)


@bp.post("/me/applications/<int:application_id>/interview")
@login_required
def choose_interview(application_id: int):
    application = _my_application(application_id)
    form = ChooseSlotForm()
    if not form.validate_on_submit():
        return _detail_page(application, 400, choose_form=form)
    choose_slot(current_user, application, form.slot_id.data)
    flash(_("Your interview time is booked. We sent you a calendar invitation."), "success")
    return redirect(url_for("applications.detail", application_id=application.id), 303)


@bp.post("/me/applications/<int:application_id>/offer/accept")
@login_required
def accept(application_id: int):
    application = _my_application(application_id)
    form = AcceptOfferForm()
    if not form.validate_on_submit():
        return _detail_page(application, 400, accept_form=form)
    accept_offer(current_user, application, form.decline_other_offers.data)
    flash(_("Congratulations! You accepted the offer and your placement is confirmed."), "success")
    return redirect(url_for("applications.detail", application_id=application.id), 303)


@bp.post("/me/applications/<int:application_id>/offer/decline")
@login_required
def decline(application_id: int):
    application = _my_application(application_id)
    form = DeclineOfferForm()
    if not form.validate_on_submit():
        return _detail_page(application, 400, decline_form=form)
    decline_offer(current_user, application, form.reason.data)
    flash(_("You declined the offer. The company has been told."), "info")
    return redirect(url_for("applications.detail", application_id=application.id), 303)


# --- downloads ------------------------------------------------------------------------------


@bp.get("/applications/<int:application_id>/cv")
@login_required
@pdf_framable_by_us
def cv(application_id: int):
    """The CV exactly as sent with the application, even if the student deleted theirs."""
    application = db.get_or_404(Application, application_id)
    require("application.cv", application)
    return pdf_response(application.cv_content, application.cv_filename)


@bp.get("/applications/<int:application_id>/interviews/<int:slot_id>/invite.ics")
@login_required
def interview_invite(application_id: int, slot_id: int):
    application = db.get_or_404(Application, application_id)
    if not policy.can(current_user, "application.respond", application):
        require("application.manage", application)
    slot = db.get_or_404(InterviewSlot, slot_id)
    if slot.application_id != application.id or slot.chosen_at is None:
        raise NotFound(_("There is no booked interview at this address."))
    return Response(
        invite_for(application, slot),
        mimetype=MIME_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{FILENAME}"',
            "Cache-Control": "private, no-store",
        },
    )
