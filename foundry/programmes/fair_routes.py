"""The fair pages of students and organisers: "Who's coming" at a career day or themed
drive (exhibitors by booth with their roles and free slots, searchable by company name),
booking and cancelling a slot, dropping a CV, and the organiser's decision on a booth
request. The company's side is in fair_company_routes.py.

The planned route is kept in the browser (static/js/fair-route.js, localStorage): the
exhibitors a student stars, plus those they booked, in booth order. Nothing about it is
stored on the server, so it needs no table and no one else can see it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.db import utcnow
from foundry.errors import InvalidInput, NotFound
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.postings.saved_routes import viewer_profile
from foundry.programmes import browse, fair_listing
from foundry.programmes import fair_queries as q
from foundry.programmes.fair_forms import (
    EXHIBITOR_STATUS_LABELS,
    SLOT_KIND_LABELS,
    ActionForm,
    DecideForm,
)
from foundry.programmes.fairs.booths import decide_booth, exhibitors_of, is_fair
from foundry.programmes.fairs.meetings import drop_cv
from foundry.programmes.fairs.models import FairBooking, FairExhibitor, FairSlot
from foundry.programmes.fairs.slots import book_slot, cancel_booking
from foundry.programmes.models import Programme
from foundry.students.services import profile_for
from foundry.web import confirm_or_ask, on_refusal, require

bp = Blueprint("fairs", __name__)


def _fair(programme_id: int) -> Programme:
    # The fair pages show no eligibility: its lists (three statements) stay unread.
    programme = db.session.get(Programme, programme_id, options=browse.card_options()[:3])
    if programme is None or not is_fair(programme):
        raise NotFound(_("There is no fair with this number."))
    if not policy.can(current_user, "programme.view", programme):
        raise NotFound(_("There is no fair with this number."))
    return programme


def _checked() -> None:
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))


def render_fair(programme: Programme, *, refusal=None, status: int = 200):
    now, profile = utcnow(), viewer_profile()
    query = request.args.get("q", "")
    mine = q.my_part(profile, programme)
    forms = profile is not None and mine.registered
    return render_template(
        "programmes/fair/fair.html",
        programme=programme,
        exhibitors=fair_listing.exhibitors(
            programme,
            query,
            str(get_locale()),
            now,
            forms=forms,
            dropped=mine.drops if forms else set(),
            kind_labels=SLOT_KIND_LABELS,
        ),
        query=query,
        registered=mine.registered,
        bookings=mine.bookings,
        is_student=profile is not None,
        kind_labels=SLOT_KIND_LABELS,
        refusal=refusal,
    ), status


@bp.get("/programmes/<int:programme_id>/fair")
def fair(programme_id: int):
    return render_fair(_fair(programme_id))


def _refused(programme: Programme):
    return lambda error: render_fair(
        programme, refusal=error, status=getattr(error, "status_code", 409)
    )


@bp.post("/programmes/fair/slots/<int:slot_id>/book")
@login_required
def book(slot_id: int):
    require("area.student")
    slot = db.get_or_404(FairSlot, slot_id)
    programme = _fair(slot.exhibitor.programme_id)
    _checked()
    with on_refusal(_refused(programme)):
        book_slot(current_user, profile_for(current_user), slot)
    flash(
        _(
            "You booked %(company)s at %(when)s (Hong Kong time).",
            company=slot.exhibitor.company.name,
            when=format_moment(slot.starts_at),
        ),
        "success",
    )
    return redirect(url_for("fairs.fair", programme_id=programme.id) + "#my-bookings", 303)


@bp.post("/programmes/fair/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int):
    booking = db.get_or_404(FairBooking, booking_id)
    # Only the student's own booking here; the company cancels from its booth page.
    require("fair.book", booking.profile)
    programme = _fair(booking.slot.exhibitor.programme_id)
    _checked()
    confirm_or_ask(
        _("Cancel your slot with %(company)s?", company=booking.slot.exhibitor.company.name),
        action=_("Cancel the booking"),
        cancel_url=url_for("fairs.fair", programme_id=programme.id),
        detail=_("The seat may go to another student at once."),
    )
    with on_refusal(_refused(programme)):
        cancel_booking(current_user, booking)
    flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("fairs.fair", programme_id=programme.id) + "#my-bookings", 303)


@bp.post("/programmes/fair/exhibitors/<int:exhibitor_id>/cv")
@login_required
def drop(exhibitor_id: int):
    require("area.student")
    exhibitor = db.get_or_404(FairExhibitor, exhibitor_id)
    programme = _fair(exhibitor.programme_id)
    _checked()
    with on_refusal(_refused(programme)):
        drop_cv(current_user, profile_for(current_user), exhibitor)
    flash(_("Your CV is with %(company)s.", company=exhibitor.company.name), "success")
    return redirect(url_for("fairs.fair", programme_id=programme.id, _anchor="who"), 303)


@bp.post("/organise/programmes/<int:programme_id>/exhibitors/<int:exhibitor_id>/decide")
@login_required
def decide(programme_id: int, exhibitor_id: int):
    exhibitor = db.get_or_404(FairExhibitor, exhibitor_id)
    if exhibitor.programme_id != programme_id:
        abort(404)
    require("programme.edit", exhibitor.programme)
    form = DecideForm()
    if not form.validate_on_submit():
        raise InvalidInput(" ".join(e for errors in form.errors.values() for e in errors))
    approve = request.form.get("decision") == "approve"
    if not approve:
        confirm_or_ask(
            _("Decline %(company)s's booth request?", company=exhibitor.company.name),
            action=_("Decline"),
            cancel_url=url_for("programme_organise.overview", programme_id=programme_id),
            detail=_("The company cannot ask again for this fair."),
        )
    decide_booth(current_user, exhibitor, approve, form.booth.data)
    if approve:
        flash(
            _(
                "%(company)s is approved at booth %(booth)s.",
                company=exhibitor.company.name,
                booth=exhibitor.booth,
            ),
            "success",
        )
    else:
        flash(_("%(company)s is declined.", company=exhibitor.company.name), "info")
    return redirect(url_for("programme_organise.overview", programme_id=programme_id), 303)


def fair_exhibitors(programme: Programme) -> list[FairExhibitor]:
    """For the organiser's overview: every exhibitor of a fair (empty for other kinds)."""
    return list(exhibitors_of(programme)) if is_fair(programme) else []


bp.add_app_template_global(fair_exhibitors, "fair_exhibitors")
bp.add_app_template_global(is_fair, "is_fair")
bp.add_app_template_global(DecideForm, "fair_decide_form")
bp.add_app_template_global(EXHIBITOR_STATUS_LABELS, "fair_status_labels")
