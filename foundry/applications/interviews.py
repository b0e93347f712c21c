"""Interview scheduling: the recruiter proposes times, the student picks one, and both get
an iCalendar invitation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.applications.forms import MAX_SLOTS
from foundry.applications.ics import FILENAME, MIME_TYPE, interview_invite
from foundry.applications.models import Application, InterviewSlot
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.notices import company_link, tell, tell_student
from foundry.applications.services import add_message, change_status, lock
from foundry.applications.states import Mover, can_move
from foundry.audit.services import record
from foundry.companies.queries import company_members
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.i18n import format_moment

MIN_MINUTES = 10
MAX_MINUTES = 480


@dataclass(frozen=True)
class SlotProposal:
    starts_at: datetime  # aware
    duration_minutes: int
    location: str


def slots_of(application: Application) -> list[InterviewSlot]:
    return list(
        db.session.scalars(
            sa.select(InterviewSlot)
            .where(InterviewSlot.application_id == application.id)
            .order_by(InterviewSlot.starts_at, InterviewSlot.id)
        )
    )


def chosen_slot(application: Application) -> InterviewSlot | None:
    return next((slot for slot in slots_of(application) if slot.chosen_at), None)


def _check_proposals(proposals: list[SlotProposal]) -> None:
    if not 1 <= len(proposals) <= MAX_SLOTS:
        raise InvalidInput(_("Propose between 1 and %(n)d times.", n=MAX_SLOTS))
    now = utcnow()
    for proposal in proposals:
        if proposal.starts_at <= now:
            raise InvalidInput(_("A proposed time is in the past. Choose times still to come."))
        if not MIN_MINUTES <= proposal.duration_minutes <= MAX_MINUTES:
            raise InvalidInput(_("An interview lasts 10 to 480 minutes."))
        if not proposal.location.strip():
            raise InvalidInput(_("Give each proposed time a place or a video link."))
        if len(proposal.location.strip()) > 300:
            raise InvalidInput(_("Keep the place to 300 characters."))


def propose_slots(
    actor: User, application: Application, proposals: list[SlotProposal], message: str | None
) -> list[InterviewSlot]:
    """Offer the student 1–5 times, moving the application to the interview stage."""
    _check_proposals(proposals)
    lock(application)
    if application.status is S.INTERVIEW:
        if chosen_slot(application) is not None:
            raise DomainError(_("The student has already picked an interview time."))
        if message:
            add_message(actor, application, message)
    elif can_move(application.status, S.INTERVIEW, Mover.COMPANY):
        change_status(actor, application, S.INTERVIEW, Mover.COMPANY, message)
    else:
        raise DomainError(_("You can propose interview times only while the application is open."))
    slots = [
        InterviewSlot(
            application_id=application.id,
            starts_at=proposal.starts_at,
            duration_minutes=proposal.duration_minutes,
            location=proposal.location.strip(),
            proposed_by_id=actor.id,
        )
        for proposal in proposals
    ]
    db.session.add_all(slots)
    db.session.flush()
    record(
        actor,
        "application.interview_proposed",
        application,
        f"Proposed {len(slots)} interview time(s)",
        slot_ids=[slot.id for slot in slots],
    )
    title = application.posting.title
    times = [slot.starts_at for slot in slots]
    tell_student(
        application,
        "application.interview_proposed",
        lambda: _("Choose an interview time for “%(title)s”", title=title),
        lambda: (
            (message + "\n\n" if message else "")
            + _("Times offered (Hong Kong time):")
            + "\n"
            + "\n".join(format_moment(t) for t in times)
        ),
    )
    return slots


def choose_slot(actor: User, application: Application, slot_id: int) -> InterviewSlot:
    """The student picks one proposed time; both sides get the calendar invitation."""
    lock(application)
    if application.status is not S.INTERVIEW:
        raise DomainError(_("This application is no longer at the interview stage."))
    slots = slots_of(application)
    slot = next((s for s in slots if s.id == slot_id), None)
    if slot is None:
        raise NotFound(_("Choose one of the times offered for this application."))
    if any(s.chosen_at for s in slots):
        raise DomainError(_("You have already picked an interview time."))
    if slot.starts_at <= utcnow():
        raise InvalidInput(_("That time has passed. Choose a later one."))
    slot.chosen_at = utcnow()
    db.session.flush()
    record(actor, "application.interview_chosen", application, "Picked an interview time")
    _send_invites(application, slot)
    return slot


def organizer_of(slot: InterviewSlot) -> User | None:
    return db.session.get(User, slot.proposed_by_id) if slot.proposed_by_id else None


def invite_for(application: Application, slot: InterviewSlot) -> bytes:
    return interview_invite(slot, application, organizer_of(slot), application.profile.user)


def _send_invites(application: Application, slot: InterviewSlot) -> None:
    invite = (FILENAME, MIME_TYPE, invite_for(application, slot))
    title = application.posting.title
    name = application.profile.user.display_name
    when = slot.starts_at
    place = slot.location

    def details() -> str:
        return _(
            "%(when)s (Hong Kong time), %(minutes)d minutes, at %(place)s. "
            "The calendar invitation is attached.",
            when=format_moment(when),
            minutes=slot.duration_minutes,
            place=place,
        )

    tell_student(
        application,
        "application.interview_chosen",
        lambda: _("Your interview for “%(title)s”", title=title),
        details,
        attachment=invite,
    )
    organizer = organizer_of(slot)
    recruiters = [organizer] if organizer else company_members(application.company_id)
    for recruiter in recruiters:
        tell(
            recruiter,
            "application.interview_chosen",
            lambda: _("%(name)s picked an interview time", name=name),
            details,
            company_link(application),
            attachment=invite,
        )
