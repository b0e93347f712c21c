"""Bookings racing for the same seat, or one student racing two overlapping slots, each in
its own thread, transaction and connection: never a double booking on either side."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.extensions import db as _db
from foundry.programmes.fairs.booths import decide_booth, request_booth
from foundry.programmes.fairs.models import BookingStatus, FairBooking, FairSlot, SlotKind
from foundry.programmes.fairs.slots import SlotData, add_slot, book_slot
from foundry.programmes.models import ProgrammeKind
from tests.factories import profile_of, student
from tests.programmes import factories as pf
from tests.programmes.test_races import _race


def _books(user_id: int, slot_id: int):
    def job():
        user = _db.session.get(User, user_id)
        book_slot(user, profile_of(user), _db.session.get(FairSlot, slot_id))

    return job


def _booked(slot_ids) -> list[tuple[int, int]]:
    _db.session.expire_all()
    rows = _db.session.execute(
        sa.select(FairBooking.slot_id, FairBooking.profile_id)
        .where(FairBooking.slot_id.in_(slot_ids), FairBooking.status == BookingStatus.BOOKED)
        .order_by(FairBooking.id)
    )
    return [(slot_id, profile_id) for slot_id, profile_id in rows]


@pytest.fixture
def slots(world, db):
    """A fair with Alpha's approved booth, a 1:1 slot and a group slot at the same time, and
    twelve students registered for the fair."""
    session = pf.SessionFactory(
        programme=pf.ProgrammeFactory(kind=ProgrammeKind.CAREER_DAY), capacity=100
    )
    session.ends_at = session.starts_at + timedelta(hours=7)
    booth = request_booth(
        world.recruiter_a, session.programme, world.company_a, [world.recruiter_a.id]
    )
    decide_booth(world.park_admin, booth, approve=True, booth="A1")
    starts = session.starts_at + timedelta(hours=1)
    one = add_slot(
        world.recruiter_a,
        booth,
        SlotData(SlotKind.ONE_TO_ONE, starts, starts + timedelta(minutes=10)),
    )
    group = add_slot(
        world.recruiter_a,
        booth,
        SlotData(SlotKind.GROUP, starts, starts + timedelta(minutes=30), capacity=5),
    )
    people = [student(world.fac_a1) for _ in range(12)]
    for person in people:
        pf.registration(person, session)
    db.session.commit()
    return one.id, group.id, [person.id for person in people]


def test_twelve_students_for_one_interview_slot_give_one_booking(app, slots):
    one, _group, people = slots
    outcomes = _race(app, [_books(user_id, one) for user_id in people])
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "This slot is full."}
    assert len(_booked([one])) == 1


def test_twelve_students_for_five_group_seats_give_five_bookings(app, slots):
    _one, group, people = slots
    outcomes = _race(app, [_books(user_id, group) for user_id in people])
    assert outcomes.count("ok") == 5
    assert len(_booked([group])) == 5


def test_one_student_racing_two_overlapping_slots_gets_one(app, slots):
    one, group, people = slots
    outcomes = _race(app, [_books(people[0], one), _books(people[0], group)])
    assert sorted(outcomes) == ["The student already has another booking at that time.", "ok"]
    assert len(_booked([one, group])) == 1
