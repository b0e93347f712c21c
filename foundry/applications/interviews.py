"""Interview scheduling: the recruiter proposes times, the student picks one, and both get
an iCalendar invitation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from foundry.accounts.models import User
from foundry.applications.ics import FILENAME, MIME_TYPE, interview_invite
from foundry.applications.limits import MAX_GAP_MINUTES, MAX_SLOTS
from foundry.applications.models import Application, InterviewSlot
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.notices import company_link, tell_student
from foundry.applications.services import add_message, change_status, lock
from foundry.applications.states import Mover, can_move
from foundry.audit.services import record
from foundry.companies.queries import company_members
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.notifications.services import notify

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
MIN_MINUTES = 10
MAX_MINUTES = 480


@dataclass(frozen=True)
class SlotProposal:
    starts_at: datetime  # aware
    duration_minutes: int
    location: str

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class SlotRun:
    """Times one after another on one day, in Hong Kong time: `count` interviews of
    `duration_minutes`, the first at `first_start`, with `gap_minutes` between them."""

    day: date
    first_start: time
    duration_minutes: int
    count: int
    gap_minutes: int
    location: str


def proposals_of_run(run: SlotRun) -> list[SlotProposal]:
    """The times of a run, checked: on a day to come, all within that day."""
    if not 1 <= run.count <= MAX_SLOTS:
        raise InvalidInput(_("Propose between 1 and %(n)d times.", n=MAX_SLOTS))
    if not MIN_MINUTES <= run.duration_minutes <= MAX_MINUTES:
        raise InvalidInput(_("An interview lasts 10 to 480 minutes."))
    if not 0 <= run.gap_minutes <= MAX_GAP_MINUTES:
        raise InvalidInput(_("Keep the break between 0 and 240 minutes."))
    if run.day < utcnow().astimezone(HONG_KONG).date():
        raise InvalidInput(_("That day has passed. Choose a day still to come."))
    # Hong Kong keeps no daylight saving time, so wall-clock arithmetic is exact.
    first = datetime.combine(run.day, run.first_start, tzinfo=HONG_KONG)
    step = timedelta(minutes=run.duration_minutes + run.gap_minutes)
    starts = [first + step * n for n in range(run.count)]
    end_of_day = datetime.combine(run.day + timedelta(days=1), time(0), tzinfo=HONG_KONG)
    if starts[-1] + timedelta(minutes=run.duration_minutes) > end_of_day:
        raise InvalidInput(
            _("These times would run past midnight. Start earlier, or propose fewer or shorter.")
        )
    return [SlotProposal(start, run.duration_minutes, run.location) for start in starts]


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


def _overlap(proposal: SlotProposal, starts_at: datetime, minutes: int) -> bool:
    return (
        proposal.starts_at < starts_at + timedelta(minutes=minutes) and starts_at < proposal.ends_at
    )


def _check_overlaps(actor: User, application: Application, proposals: list[SlotProposal]) -> None:
    """Refuse times that overlap each other, or a time still in play that the same
    recruiter or anyone on the same posting proposed: one booked by an application still
    open, or one a student can still pick (their application is at the interview stage and
    nothing is booked yet). A withdrawn, rejected or declined application frees its time."""
    ordered = sorted(proposals, key=lambda p: p.starts_at)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if _overlap(later, earlier.starts_at, earlier.duration_minutes):
            raise InvalidInput(_("Two of the proposed times overlap. Space them apart."))
    earliest = ordered[0].starts_at - timedelta(minutes=MAX_MINUTES)
    latest = max(p.ends_at for p in proposals)
    other = aliased(InterviewSlot)
    booked = sa.select(other.id).where(
        other.application_id == Application.id, other.chosen_at.is_not(None)
    )
    in_play = sa.or_(
        sa.and_(
            InterviewSlot.chosen_at.is_not(None),
            Application.status.not_in([S.WITHDRAWN, S.REJECTED, S.DECLINED]),
        ),
        sa.and_(Application.status == S.INTERVIEW, ~booked.exists()),
    )
    existing = db.session.execute(
        sa.select(InterviewSlot.starts_at, InterviewSlot.duration_minutes)
        .join(Application, InterviewSlot.application_id == Application.id)
        .where(
            sa.or_(
                InterviewSlot.proposed_by_id == actor.id,
                Application.posting_id == application.posting_id,
            ),
            InterviewSlot.starts_at >= earliest,
            InterviewSlot.starts_at < latest,
            in_play,
        )
        .order_by(InterviewSlot.starts_at)
    ).all()
    for proposal in ordered:
        clash = next((row for row in existing if _overlap(proposal, *row)), None)
        if clash is not None:
            raise DomainError(
                _(
                    "%(when)s HKT overlaps an interview time already proposed by you or "
                    "on this posting (%(other)s HKT). Choose another time.",
                    when=format_moment(proposal.starts_at),
                    other=format_moment(clash.starts_at),
                )
            )


def check_proposals(actor: User, application: Application, proposals: list[SlotProposal]) -> None:
    """Raise the error propose_slots would raise for these times, writing nothing."""
    _check_proposals(proposals)
    _check_overlaps(actor, application, proposals)


def propose_slots(
    actor: User, application: Application, proposals: list[SlotProposal], message: str | None
) -> list[InterviewSlot]:
    """Offer the student 1–5 times, moving the application to the interview stage."""
    _check_proposals(proposals)
    lock(application)
    _check_overlaps(actor, application, proposals)
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
        {"count": len(slots)},
        slot_ids=[slot.id for slot in slots],
    )
    tell_student(
        application,
        "application.interview_proposed",
        title=application.posting.title,
        message=message or None,
        times=[slot.starts_at for slot in slots],
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
    record(actor, "application.interview_chosen", application)
    _send_invites(application, slot)
    return slot


def organizer_of(slot: InterviewSlot) -> User | None:
    return db.session.get(User, slot.proposed_by_id) if slot.proposed_by_id else None


def invite_for(application: Application, slot: InterviewSlot) -> bytes:
    return interview_invite(slot, application, organizer_of(slot), application.profile.user)


def _send_invites(application: Application, slot: InterviewSlot) -> None:
    invite = (FILENAME, MIME_TYPE, invite_for(application, slot))
    details = {"when": slot.starts_at, "minutes": slot.duration_minutes, "place": slot.location}
    tell_student(
        application,
        "application.interview_chosen.student",
        attachment=invite,
        title=application.posting.title,
        **details,
    )
    organizer = organizer_of(slot)
    recruiters = [organizer] if organizer else company_members(application.company_id)
    for recruiter in recruiters:
        notify(
            recruiter,
            "application.interview_chosen.company",
            company_link(application),
            attachment=invite,
            name=application.profile.user.display_name,
            **details,
        )
