"""A company's fair pages: the fairs it exhibits at or may ask a booth for, and its booth
at one fair: the roles it features, its slots (with a pre-selected candidate and
alternates), meetings recorded by the student's ticket code with a rating and note, an
invitation to apply, and its fair list (only the students who met it, booked it or
dropped it a CV), with the CVs dropped.

Every route loads the company by its slug and the exhibitor within that company (another
company's exhibitor is not found), then asks the policy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.models import Posting
from foundry.programmes import fair_queries as q
from foundry.programmes.fair_forms import (
    SLOT_KIND_LABELS,
    ActionForm,
    AlternatesForm,
    BoothRequestForm,
    CandidateForm,
    FeatureForm,
    InviteForm,
    MeetingForm,
    SlotForm,
)
from foundry.programmes.fairs import booths, meetings, slots
from foundry.programmes.fairs.booths import is_fair
from foundry.programmes.fairs.models import BoothMeeting, CVDrop, FairExhibitor, FairSlot
from foundry.programmes.models import Programme
from foundry.security import camera_allowed
from foundry.students.models import CVDocument, StudentProfile
from foundry.web import confirm_or_ask, on_refusal, pdf_response, require

bp = Blueprint("company_fairs", __name__)
BOOTH_URL = "/company/<slug>/fairs/exhibitors/<int:exhibitor_id>"


def _company(slug: str) -> Company:
    company = db.first_or_404(db.select(Company).where(Company.slug == slug))
    require("fair.manage_booth", company)
    return company


def _exhibitor(slug: str, exhibitor_id: int) -> FairExhibitor:
    company = _company(slug)
    exhibitor = db.session.get(FairExhibitor, exhibitor_id)
    if exhibitor is None or exhibitor.company_id != company.id:
        abort(404)
    return exhibitor


def _render_list(company: Company, form=None, refusal=None, status: int = 200):
    members = q.company_members(company)
    form = form or BoothRequestForm(formdata=None)
    form.representatives.choices = [(u.id, u.display_name) for u in members]
    return render_template(
        "programmes/fair/company_list.html",
        company=company,
        exhibits=q.company_exhibits(company),
        fairs=q.open_fairs(utcnow()),
        form=form,
        action_form=ActionForm(formdata=None),
        refusal=refusal,
    ), status


@bp.get("/company/<slug>/fairs")
@login_required
def index(slug: str):
    return _render_list(_company(slug))


@bp.post("/company/<slug>/fairs/<int:programme_id>/request")
@login_required
def request_booth(slug: str, programme_id: int):
    company = _company(slug)
    programme = db.get_or_404(Programme, programme_id)
    if not is_fair(programme):
        abort(404)
    form = BoothRequestForm()
    form.representatives.choices = [(u.id, u.display_name) for u in q.company_members(company)]
    if not form.validate_on_submit():
        return _render_list(company, form, status=400)
    with on_refusal(lambda e: _render_list(company, form, e, getattr(e, "status_code", 409))):
        booths.request_booth(
            current_user, programme, company, form.representatives.data, form.note.data
        )
    flash(_("Your booth request is with the organisers."), "success")
    return redirect(url_for("company_fairs.index", slug=company.slug), 303)


@bp.post(f"{BOOTH_URL}/withdraw")
@login_required
def withdraw(slug: str, exhibitor_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    _checked()
    confirm_or_ask(
        _("Withdraw from “%(title)s”?", title=exhibitor.programme.title(str(get_locale()))),
        action=_("Withdraw"),
        cancel_url=url_for("company_fairs.index", slug=slug),
        detail=_("Students can no longer book your slots or drop you a CV at this fair."),
    )
    booths.withdraw_booth(current_user, exhibitor)
    flash(_("Your company withdrew from the fair."), "info")
    return redirect(url_for("company_fairs.index", slug=slug), 303)


def _checked() -> None:
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))


def _render_booth(exhibitor: FairExhibitor, refusal=None, status: int = 200, **forms):
    people = q.candidates(exhibitor)
    postings = q.open_postings(exhibitor.company)
    feature = forms.get("feature") or FeatureForm(
        formdata=None, postings=[p.id for p in exhibitor.featured_postings]
    )
    feature.postings.choices = [(p.id, p.title) for p in postings]
    return render_template(
        "programmes/fair/booth.html",
        exhibitor=exhibitor,
        company=exhibitor.company,
        programme=exhibitor.programme,
        slots=q.exhibitor_slots(exhibitor),
        people=people,
        postings=postings,
        visitors=q.visitors(exhibitor),
        feature_form=feature,
        slot_form=forms.get("slot") or SlotForm(formdata=None),
        meeting_form=forms.get("meeting") or MeetingForm(formdata=None),
        action_form=ActionForm(formdata=None),
        kind_labels=SLOT_KIND_LABELS,
        refusal=refusal,
    ), status


def _back(exhibitor: FairExhibitor, anchor: str | None = None):
    url = url_for("company_fairs.booth", slug=exhibitor.company.slug, exhibitor_id=exhibitor.id)
    return redirect(url + (f"#{anchor}" if anchor else ""), 303)


def _refused(exhibitor: FairExhibitor, **forms):
    return lambda e: _render_booth(exhibitor, e, getattr(e, "status_code", 409), **forms)


@bp.get(BOOTH_URL)
@login_required
@camera_allowed
def booth(slug: str, exhibitor_id: int):
    return _render_booth(_exhibitor(slug, exhibitor_id))


@bp.post(f"{BOOTH_URL}/feature")
@login_required
def feature(slug: str, exhibitor_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    form = FeatureForm()
    form.postings.choices = [(p.id, p.title) for p in q.open_postings(exhibitor.company)]
    if not form.validate_on_submit():
        return _render_booth(exhibitor, status=400, feature=form)
    with on_refusal(_refused(exhibitor, feature=form)):
        booths.feature_postings(current_user, exhibitor, form.postings.data)
    flash(_("The roles you feature at the fair are saved."), "success")
    return _back(exhibitor)


@bp.post(f"{BOOTH_URL}/slots")
@login_required
def add_slot(slug: str, exhibitor_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    form = SlotForm()
    if not form.validate_on_submit():
        return _render_booth(exhibitor, status=400, slot=form)
    with on_refusal(_refused(exhibitor, slot=form)):
        slots.add_slot(current_user, exhibitor, form.to_data())
    flash(_("The slot is offered to students at the fair."), "success")
    return _back(exhibitor, "slots")


def _slot_of(exhibitor: FairExhibitor, slot_id: int) -> FairSlot:
    slot = db.session.get(FairSlot, slot_id)
    if slot is None or slot.exhibitor_id != exhibitor.id:
        abort(404)
    return slot


def _pick(exhibitor: FairExhibitor, form) -> dict[int, StudentProfile]:
    """The candidates the company may pick (came to its booth or applied), as choices."""
    people = {p.id: p for p in q.candidates(exhibitor)}
    form_field = getattr(form, "profile_id", None) or form.profile_ids
    form_field.choices = [(p.id, p.user.display_name) for p in people.values()]
    if not form.validate_on_submit():
        raise InvalidInput(_("Choose among the students who came to your booth or applied."))
    return people


@bp.post(f"{BOOTH_URL}/slots/<int:slot_id>/preselect")
@login_required
def preselect(slug: str, exhibitor_id: int, slot_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    slot, form = _slot_of(exhibitor, slot_id), CandidateForm()
    profile = _pick(exhibitor, form)[form.profile_id.data]
    with on_refusal(_refused(exhibitor)):
        slots.preselect(current_user, slot, profile)
    flash(
        _("%(name)s is booked into the slot and told.", name=profile.user.display_name), "success"
    )
    return _back(exhibitor, "slots")


@bp.post(f"{BOOTH_URL}/slots/<int:slot_id>/alternates")
@login_required
def alternates(slug: str, exhibitor_id: int, slot_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    slot, form = _slot_of(exhibitor, slot_id), AlternatesForm()
    people = _pick(exhibitor, form)
    with on_refusal(_refused(exhibitor)):
        slots.name_alternates(current_user, slot, [people[i] for i in form.profile_ids.data])
    flash(_("The alternates for the slot are saved."), "success")
    return _back(exhibitor, "slots")


@bp.post(f"{BOOTH_URL}/meetings")
@login_required
def meet(slug: str, exhibitor_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        return _render_booth(exhibitor, status=400, meeting=form)
    profile = q.profile_by_ticket(exhibitor.programme, form.code.data)
    if profile is None:
        form.code.errors.append(_("No one registered for this fair has this ticket code."))
        return _render_booth(exhibitor, status=404, meeting=form)
    with on_refusal(_refused(exhibitor, meeting=form), field=form.code):
        meetings.record_meeting(current_user, exhibitor, profile, form.rating.data, form.note.data)
    flash(_("You met %(name)s.", name=profile.user.display_name), "success")
    return _back(exhibitor, "visitors")


@bp.post(f"{BOOTH_URL}/meetings/<int:meeting_id>/invite")
@login_required
def invite(slug: str, exhibitor_id: int, meeting_id: int):
    exhibitor = _exhibitor(slug, exhibitor_id)
    meeting = db.session.get(BoothMeeting, meeting_id)
    if meeting is None or meeting.exhibitor_id != exhibitor.id:
        abort(404)
    form = InviteForm()
    form.posting_id.choices = [(p.id, p.title) for p in q.open_postings(exhibitor.company)]
    if not form.validate_on_submit():
        raise InvalidInput(_("Choose one of your company's roles open for applications."))
    posting = db.session.get(Posting, form.posting_id.data)
    with on_refusal(_refused(exhibitor)):
        meetings.invite_to_apply(current_user, meeting, posting)
    flash(_("%(name)s is invited to apply.", name=meeting.profile.user.display_name), "success")
    return _back(exhibitor, "visitors")


@bp.get("/company/<slug>/fairs/cv-drops/<int:drop_id>/cv")
@login_required
def dropped_cv(slug: str, drop_id: int):
    company = _company(slug)
    drop = db.session.get(CVDrop, drop_id)
    if drop is None or drop.exhibitor.company_id != company.id or drop.cv_document_id is None:
        abort(404)
    require("fair.download_dropped_cv", drop)
    cv = db.session.get(CVDocument, drop.cv_document_id)
    return pdf_response(cv.content, cv.original_filename)
