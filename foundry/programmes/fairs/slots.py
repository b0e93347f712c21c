"""Interview slots and group sessions at a fair booth, and their bookings.

No double booking on either side: a booking first takes the slot's row lock, then the
student's (so two bookings by one student serialise too), and only then counts the seats
and looks for the student's other bookings that overlap (lock first, then count). A student
books only while registered for the fair; a company books a candidate it pre-selected the
same way, and names alternates in order: when a seat is given up, the first alternate who
is free at that time moves in and is told, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied, refuse_duplicate
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.policy import can
from foundry.programmes.fairs.models import (
    MAX_GROUP_SEATS,
    BookingStatus,
    FairAlternate,
    FairBooking,
    FairExhibitor,
    FairSlot,
    SlotKind,
)
from foundry.programmes.models import ProgrammeSession, Registration, RegistrationStatus
from foundry.students.models import StudentProfile

# A 1:1 is a conversation, a group session a short talk: anything longer is a typing mistake.
MAX_SLOT_MINUTES = 180
MAX_ALTERNATES = 10


@dataclass
class SlotData:
    kind: SlotKind
    starts_at: datetime
    ends_at: datetime
    capacity: int = 1
    label: str | None = None


def _lock(model, row_id: int) -> None:
    """Hold the row's lock until the transaction ends (SQLite: the database's write lock,
    taken by a write that changes nothing, as registration.lock_session explains)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())
    else:
        db.session.execute(
            sa.update(model)
            .where(model.id == row_id)
            .values(id=model.id)
            # A write that changes nothing: the report summaries have nothing to follow.
            .execution_options(synchronize_session=False, report_summaries="unaffected")
        )


def _check_slot(exhibitor: FairExhibitor, data: SlotData) -> None:
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("slot times must be aware datetimes")
    if data.ends_at <= data.starts_at:
        raise InvalidInput(_("A slot must end after it starts."))
    if data.ends_at - data.starts_at > timedelta(minutes=MAX_SLOT_MINUTES):
        raise InvalidInput(_("Keep a slot to three hours at most."))
    if data.kind is SlotKind.ONE_TO_ONE and data.capacity != 1:
        raise InvalidInput(_("A 1:1 interview has exactly one seat."))
    if data.kind is SlotKind.GROUP and not 2 <= data.capacity <= MAX_GROUP_SEATS:
        raise InvalidInput(
            _("A group session seats between 2 and %(n)d students.", n=MAX_GROUP_SEATS)
        )
    if data.starts_at <= utcnow():
        raise InvalidInput(_("A slot must start in the future."))
    sessions = exhibitor.programme.sessions
    if not any(s.starts_at <= data.starts_at and data.ends_at <= s.ends_at for s in sessions):
        raise InvalidInput(_("A slot must fall within the fair's opening hours."))


def add_slot(actor: User, exhibitor: FairExhibitor, data: SlotData) -> FairSlot:
    """An approved exhibitor offers a 1:1 interview or a group session at its booth."""
    if not can(actor, "fair.manage_booth", exhibitor.company):
        raise PermissionDenied(_("Only the company's members offer slots at its booth."))
    if not exhibitor.is_approved:
        raise DomainError(_("Slots can be offered once the park has approved your booth."))
    _check_slot(exhibitor, data)
    slot = FairSlot(
        exhibitor_id=exhibitor.id,
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=data.capacity,
        label=(data.label or "").strip() or None,
    )
    db.session.add(slot)
    db.session.flush()
    record(actor, "fair.slot_added", slot, {"title": exhibitor.programme.title_en})
    return slot


def registered_for_fair(profile: StudentProfile, exhibitor: FairExhibitor) -> bool:
    return holds_a_seat_at(profile, exhibitor.programme_id)


def holds_a_seat_at(profile: StudentProfile | None, programme_id: int) -> bool:
    """Whether the student holds a seat (not a waitlist place) in a session of the programme."""
    if profile is None:
        return False
    return bool(db.session.scalar(sa.select(seat_held(profile.id, programme_id))))


def seat_held(profile_id: int, programme_id: int) -> sa.Exists:
    """The condition that the student holds a seat in a session of the programme (the fair
    page reads it in its one statement: fair_queries.my_part)."""
    return sa.exists().where(
        ProgrammeSession.id == Registration.session_id,
        ProgrammeSession.programme_id == programme_id,
        Registration.profile_id == profile_id,
        Registration.status == RegistrationStatus.REGISTERED,
    )


def _overlapping(profile: StudentProfile, slot: FairSlot) -> FairBooking | None:
    """The student's live booking, in any slot, whose time overlaps this slot's."""
    return db.session.scalars(
        sa.select(FairBooking)
        .join(FairSlot, FairSlot.id == FairBooking.slot_id)
        .where(
            FairBooking.profile_id == profile.id,
            FairBooking.status == BookingStatus.BOOKED,
            FairSlot.starts_at < slot.ends_at,
            FairSlot.ends_at > slot.starts_at,
        )
        .order_by(FairSlot.starts_at)
        .limit(1)
    ).first()


def booked_count(slot: FairSlot) -> int:
    """Seats taken in the slot; exact only under the slot's lock."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FairBooking)
        .where(FairBooking.slot_id == slot.id, FairBooking.status == BookingStatus.BOOKED)
    )


def _why_not(profile: StudentProfile, slot: FairSlot) -> str | None:
    """Why the student cannot have a seat in the slot now, or None; exact only under the
    slot's and the student's locks."""
    if slot.starts_at <= utcnow():
        return _("This slot has already started.")
    if not slot.exhibitor.is_approved:
        return _("This company is no longer at the fair.")
    if not registered_for_fair(profile, slot.exhibitor):
        return _("Register for the fair before booking a slot at a booth.")
    clash = _overlapping(profile, slot)
    if clash is not None and clash.slot_id == slot.id:
        return _("This slot is already booked for the student.")
    if clash is not None:
        return _("The student already has another booking at that time.")
    if booked_count(slot) >= slot.capacity:
        return _("This slot is full.")
    return None


def _book(actor: User, profile: StudentProfile, slot: FairSlot, preselected: bool) -> FairBooking:
    """Book under the locks; the caller has checked who may."""
    _lock(FairSlot, slot.id)
    _lock(StudentProfile, profile.id)
    db.session.refresh(slot)
    reason = _why_not(profile, slot)
    if reason is not None:
        raise DomainError(reason)
    return _add_booking(actor, profile, slot, preselected)


def _add_booking(
    actor: User, profile: StudentProfile, slot: FairSlot, preselected: bool
) -> FairBooking:
    booking = FairBooking(
        slot_id=slot.id, profile_id=profile.id, preselected=preselected, booked_by_id=actor.id
    )
    db.session.add(booking)
    with refuse_duplicate(_("This slot is already booked for the student.")):
        db.session.flush()
    exhibitor = slot.exhibitor
    params = {"title": exhibitor.programme.title_en, "company": exhibitor.company.name}
    record(actor, "fair.slot_booked", booking, params)
    return booking


def book_slot(actor: User, profile: StudentProfile, slot: FairSlot) -> FairBooking:
    """The student books a seat in a slot at a booth."""
    if not can(actor, "fair.book", profile):
        raise PermissionDenied(_("You can book slots only for yourself."))
    return _book(actor, profile, slot, preselected=False)


def preselect(actor: User, slot: FairSlot, profile: StudentProfile) -> FairBooking:
    """The company books a candidate it chose into its slot, and tells them."""
    if not can(actor, "fair.manage_booth", slot.exhibitor.company):
        raise PermissionDenied(_("Only the company's members book candidates into its slots."))
    booking = _book(actor, profile, slot, preselected=True)
    notify(
        profile.user,
        "fair.preselected",
        title=slot.exhibitor.programme.title_en,
        company=slot.exhibitor.company.name,
        when=slot.starts_at,
    )
    return booking


def name_alternates(actor: User, slot: FairSlot, profiles: list[StudentProfile]) -> None:
    """The company's alternates for the slot, in order (replacing the previous list)."""
    if not can(actor, "fair.manage_booth", slot.exhibitor.company):
        raise PermissionDenied(_("Only the company's members name alternates for its slots."))
    if len(profiles) > MAX_ALTERNATES:
        raise InvalidInput(_("Name at most %(n)d alternates.", n=MAX_ALTERNATES))
    if len({p.id for p in profiles}) != len(profiles):
        raise InvalidInput(_("Name each alternate once."))
    db.session.execute(sa.delete(FairAlternate).where(FairAlternate.slot_id == slot.id))
    for rank, profile in enumerate(profiles, start=1):
        db.session.add(FairAlternate(slot_id=slot.id, profile_id=profile.id, rank=rank))
    db.session.flush()
    record(actor, "fair.alternates_named", slot, {"count": len(profiles)})


def cancel_booking(actor: User, booking: FairBooking) -> FairBooking | None:
    """The student (or the company) gives the seat up; the first free alternate moves in.
    Returns the alternate's new booking, if any."""
    slot = booking.slot
    company = slot.exhibitor.company
    if not (can(actor, "fair.book", booking.profile) or can(actor, "fair.manage_booth", company)):
        raise PermissionDenied(_("You can cancel only your own bookings."))
    _lock(FairSlot, slot.id)
    db.session.refresh(booking)
    if booking.status is not BookingStatus.BOOKED:
        raise DomainError(_("This booking is already cancelled."))
    if slot.starts_at <= utcnow():
        raise DomainError(_("This slot has already started."))
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, utcnow()
    db.session.flush()
    record(actor, "fair.booking_cancelled", booking, {"title": slot.exhibitor.programme.title_en})
    return _move_in_alternate(actor, slot)


def _move_in_alternate(actor: User, slot: FairSlot) -> FairBooking | None:
    """Book the first alternate, by rank, who may have the freed seat (the caller holds the
    slot's lock), and tell them."""
    alternates = db.session.scalars(
        sa.select(FairAlternate)
        .where(FairAlternate.slot_id == slot.id)
        .order_by(FairAlternate.rank)
    ).all()
    for alternate in alternates:
        _lock(StudentProfile, alternate.profile_id)
        if _why_not(alternate.profile, slot) is not None:
            continue  # not registered for the fair, or booked elsewhere at that time
        booking = _add_booking(actor, alternate.profile, slot, preselected=True)
        db.session.delete(alternate)
        db.session.flush()
        notify(
            alternate.profile.user,
            "fair.preselected",
            title=slot.exhibitor.programme.title_en,
            company=slot.exhibitor.company.name,
            when=slot.starts_at,
        )
        return booking
    return None
