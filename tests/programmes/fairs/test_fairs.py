"""Career days and fairs: booths asked for and approved, slots offered and booked with no
double booking on either side, alternates moving into a freed seat, meetings at the booth,
invitations to apply and CV drops. Each refusal is clear and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.notifications.models import Notification
from foundry.programmes.fairs.booths import (
    decide_booth,
    exhibitors_of,
    feature_postings,
    request_booth,
    withdraw_booth,
)
from foundry.programmes.fairs.meetings import (
    booth_visitor_ids,
    drop_cv,
    invite_to_apply,
    record_meeting,
)
from foundry.programmes.fairs.models import (
    BookingStatus,
    BoothMeeting,
    CVDrop,
    ExhibitorStatus,
    FairBooking,
    FairExhibitor,
    FairSlot,
    SlotKind,
)
from foundry.programmes.fairs.slots import (
    SlotData,
    add_slot,
    book_slot,
    cancel_booking,
    name_alternates,
    preselect,
)
from foundry.programmes.models import ProgrammeKind, ProgrammeStatus
from tests import factories as f
from tests.factories import profile_of, student
from tests.programmes import factories as pf
from tests.programmes.factories import count


@pytest.fixture
def fair(world, db):
    """A career day in two weeks, 10:00 to 17:00 (one session of 500 seats)."""
    session = pf.SessionFactory(
        programme=pf.ProgrammeFactory(kind=ProgrammeKind.CAREER_DAY, title_en="AI in Action"),
        capacity=500,
    )
    session.ends_at = session.starts_at + timedelta(hours=7)
    db.session.flush()
    return session


@pytest.fixture
def booth(world, fair):
    """Alpha Robotics, approved at booth A12 with its recruiter as representative."""
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id]
    )
    decide_booth(world.park_admin, exhibitor, approve=True, booth="A12")
    return exhibitor


def _slot(fair, minutes_in=60, length=10, kind=SlotKind.ONE_TO_ONE, capacity=1):
    starts = fair.starts_at + timedelta(minutes=minutes_in)
    return SlotData(kind, starts, starts + timedelta(minutes=length), capacity)


def _attendee(world, fair):
    user = student(world.fac_a1)
    pf.registration(user, fair)
    return user


# --- booths -------------------------------------------------------------------------------


def test_a_company_asks_for_a_booth_and_the_park_approves_it_with_a_number(world, fair, db):
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id], "Two people"
    )
    assert exhibitor.status is ExhibitorStatus.REQUESTED
    assert [u.id for u in exhibitor.representatives] == [world.recruiter_a.id]
    decide_booth(world.park_admin, exhibitor, approve=True, booth=" A12 ")
    assert exhibitor.status is ExhibitorStatus.APPROVED and exhibitor.booth == "A12"
    told = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.message_key == "fair.booth_approved")
    ).all()
    assert told == [world.recruiter_a.id]
    assert exhibitors_of(fair.programme) == [exhibitor]


@pytest.mark.parametrize(
    "who, company",
    [
        ("recruiter_b", "company_a"),  # another company's member
        ("recruiter_unverified", "company_unverified"),  # not verified
        ("student_a1", "company_a"),
        ("dean_a1", "company_a"),
    ],
)
def test_only_a_verified_companys_members_ask_for_its_booth(world, fair, who, company):
    with pytest.raises(PermissionDenied):
        request_booth(getattr(world, who), fair.programme, getattr(world, company), [1])
    assert count(FairExhibitor) == 0


def test_booth_requests_with_bad_input_are_refused_and_write_nothing(world, fair, db):
    programme = fair.programme
    with pytest.raises(InvalidInput, match="at least one representative"):
        request_booth(world.recruiter_a, programme, world.company_a, [])
    with pytest.raises(InvalidInput, match="members of your company"):
        request_booth(world.recruiter_a, programme, world.company_a, [world.recruiter_b.id])
    with pytest.raises(InvalidInput, match="1,000 characters"):
        request_booth(
            world.recruiter_a, programme, world.company_a, [world.recruiter_a.id], "x" * 1001
        )
    workshop = pf.SessionFactory().programme
    with pytest.raises(InvalidInput, match="career days"):
        request_booth(world.recruiter_a, workshop, world.company_a, [world.recruiter_a.id])
    assert count(FairExhibitor) == 0


def test_a_booth_for_a_past_or_cancelled_fair_is_refused(world, fair, db):
    fair.starts_at = fair.starts_at - timedelta(days=30)
    fair.ends_at = fair.starts_at + timedelta(hours=7)
    with pytest.raises(DomainError, match="already begun"):
        request_booth(world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id])
    fair.starts_at = fair.starts_at + timedelta(days=60)
    fair.ends_at = fair.starts_at + timedelta(hours=7)
    fair.programme.status = ProgrammeStatus.CANCELLED
    fair.programme.cancelled_at, fair.programme.cancellation_message = fair.starts_at, "Closed"
    with pytest.raises(DomainError, match="not open"):
        request_booth(world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id])
    assert count(FairExhibitor) == 0


def test_asking_twice_is_refused_but_asking_again_after_withdrawing_is_not(world, fair):
    args = (fair.programme, world.company_a, [world.recruiter_a.id])
    exhibitor = request_booth(world.recruiter_a, *args)
    with pytest.raises(DomainError, match="already asked"):
        request_booth(world.company_admin_a, *args)
    withdraw_booth(world.company_admin_a, exhibitor)
    assert exhibitor.status is ExhibitorStatus.WITHDRAWN
    again = request_booth(world.company_admin_a, *args)
    assert again.id == exhibitor.id and again.status is ExhibitorStatus.REQUESTED


def test_only_the_organiser_decides_and_a_booth_number_is_given_once(world, fair, booth):
    other = request_booth(
        world.recruiter_b, fair.programme, world.company_b, [world.recruiter_b.id]
    )
    for outsider in (world.recruiter_b, world.recruiter_a, world.dean_a1, world.student_a1):
        with pytest.raises(PermissionDenied):
            decide_booth(outsider, other, approve=True, booth="B1")
    with pytest.raises(InvalidInput, match="booth number"):
        decide_booth(world.park_admin, other, approve=True, booth=" ")
    with pytest.raises(InvalidInput, match="already given"):
        decide_booth(world.park_admin, other, approve=True, booth="A12")
    assert other.status is ExhibitorStatus.REQUESTED and other.booth is None
    assert count(FairExhibitor, FairExhibitor.status == ExhibitorStatus.APPROVED) == 1


def test_a_company_features_only_its_own_open_roles(world, fair, booth, db):
    own = f.PostingFactory(company=world.company_a)
    closed = f.PostingFactory(company=world.company_a, deadline=fair.starts_at - timedelta(days=40))
    foreign = f.PostingFactory(company=world.company_b)
    for ids in ([own.id, foreign.id], [closed.id]):
        with pytest.raises(InvalidInput, match="open for applications"):
            feature_postings(world.recruiter_a, booth, ids)
    with pytest.raises(PermissionDenied):
        feature_postings(world.recruiter_b, booth, [own.id])
    feature_postings(world.recruiter_a, booth, [own.id])
    assert [p.id for p in booth.featured_postings] == [own.id]


# --- slots and bookings -------------------------------------------------------------------


def test_slots_are_offered_by_an_approved_exhibitor_within_the_fair_hours(world, fair, booth):
    slot = add_slot(world.recruiter_a, booth, _slot(fair))
    assert slot.capacity == 1
    group = add_slot(world.recruiter_a, booth, _slot(fair, 120, 30, SlotKind.GROUP, 50))
    assert group.kind is SlotKind.GROUP
    with pytest.raises(PermissionDenied):
        add_slot(world.recruiter_b, booth, _slot(fair))
    bad = [
        (_slot(fair, 60, -10), "end after it starts"),
        (_slot(fair, 60, 10, SlotKind.ONE_TO_ONE, 2), "exactly one seat"),
        (_slot(fair, 60, 30, SlotKind.GROUP, 51), "between 2 and 50"),
        (_slot(fair, 60, 30, SlotKind.GROUP, 1), "between 2 and 50"),
        (_slot(fair, -30, 10), "opening hours"),
        (_slot(fair, 60, 240), "three hours"),
    ]
    for data, message in bad:
        with pytest.raises(InvalidInput, match=message):
            add_slot(world.recruiter_a, booth, data)
    assert count(FairSlot) == 2


def test_slots_wait_for_the_booth_to_be_approved(world, fair):
    exhibitor = request_booth(
        world.recruiter_a, fair.programme, world.company_a, [world.recruiter_a.id]
    )
    with pytest.raises(DomainError, match="approved your booth"):
        add_slot(world.recruiter_a, exhibitor, _slot(fair))


def test_a_registered_student_books_and_nobody_double_books(world, fair, booth, db):
    slot = add_slot(world.recruiter_a, booth, _slot(fair, 60))
    overlapping = add_slot(world.recruiter_a, booth, _slot(fair, 65, 30, SlotKind.GROUP, 10))
    later = add_slot(world.recruiter_a, booth, _slot(fair, 200))
    first, second = _attendee(world, fair), _attendee(world, fair)
    booking = book_slot(first, profile_of(first), slot)
    assert booking.status is BookingStatus.BOOKED and not booking.preselected
    with pytest.raises(DomainError, match="already booked"):
        book_slot(first, profile_of(first), slot)
    with pytest.raises(DomainError, match="full"):
        book_slot(second, profile_of(second), slot)
    with pytest.raises(DomainError, match="another booking at that time"):
        book_slot(first, profile_of(first), overlapping)
    book_slot(first, profile_of(first), later)
    with pytest.raises(PermissionDenied):
        book_slot(second, profile_of(first), later)
    outsider = student(world.fac_a1)  # not registered for the fair
    with pytest.raises(DomainError, match="Register for the fair"):
        book_slot(outsider, profile_of(outsider), overlapping)
    assert count(FairBooking) == 2


def test_a_freed_seat_goes_to_the_first_alternate_who_is_free(world, fair, booth, db):
    slot = add_slot(world.recruiter_a, booth, _slot(fair, 60))
    clash = add_slot(world.recruiter_a, booth, _slot(fair, 60, 10, SlotKind.GROUP, 5))
    holder, busy, free = (_attendee(world, fair) for _ in range(3))
    booking = preselect(world.recruiter_a, slot, profile_of(holder))
    assert booking.preselected
    book_slot(busy, profile_of(busy), clash)
    name_alternates(world.recruiter_a, slot, [profile_of(busy), profile_of(free)])
    moved_in = cancel_booking(holder, booking)
    assert moved_in is not None and moved_in.profile_id == profile_of(free).id
    told = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.message_key == "fair.preselected")
    ).all()
    assert sorted(told) == sorted([holder.id, free.id])
    with pytest.raises(DomainError, match="already cancelled"):
        cancel_booking(holder, booking)


def test_alternates_are_named_once_each_and_only_by_the_company(world, fair, booth):
    slot = add_slot(world.recruiter_a, booth, _slot(fair, 60))
    someone = _attendee(world, fair)
    with pytest.raises(InvalidInput, match="once"):
        name_alternates(world.recruiter_a, slot, [profile_of(someone)] * 2)
    with pytest.raises(PermissionDenied):
        name_alternates(world.recruiter_b, slot, [profile_of(someone)])
    with pytest.raises(PermissionDenied):
        preselect(world.recruiter_b, slot, profile_of(someone))


def test_another_student_cannot_cancel_a_booking(world, fair, booth):
    slot = add_slot(world.recruiter_a, booth, _slot(fair, 60))
    holder, other = _attendee(world, fair), _attendee(world, fair)
    booking = book_slot(holder, profile_of(holder), slot)
    for outsider in (other, world.recruiter_b):
        with pytest.raises(PermissionDenied):
            cancel_booking(outsider, booking)
    assert booking.status is BookingStatus.BOOKED


# --- at the booth ---------------------------------------------------------------------------


def test_a_representative_records_a_meeting_once_and_invites_the_student(world, fair, booth, db):
    visitor = _attendee(world, fair)
    meeting = record_meeting(world.recruiter_a, booth, profile_of(visitor), 4, "Strong ROS 2")
    again = record_meeting(world.recruiter_a, booth, profile_of(visitor), note="Second chat")
    assert again.id == meeting.id and again.rating == 4 and again.note == "Second chat"
    assert count(BoothMeeting) == 1
    role = f.PostingFactory(company=world.company_a)
    invite_to_apply(world.recruiter_a, meeting, role)
    (notice,) = db.session.scalars(
        sa.select(Notification).where(Notification.message_key == "fair.invited_to_apply")
    ).all()
    assert notice.user_id == visitor.id and notice.link == f"/postings/{role.id}"
    with pytest.raises(InvalidInput, match="open for applications"):
        invite_to_apply(world.recruiter_a, meeting, f.PostingFactory(company=world.company_b))


def test_meetings_with_bad_input_or_by_outsiders_are_refused(world, fair, booth):
    visitor = _attendee(world, fair)
    with pytest.raises(PermissionDenied):
        record_meeting(world.recruiter_b, booth, profile_of(visitor))
    with pytest.raises(InvalidInput, match="1 to 5"):
        record_meeting(world.recruiter_a, booth, profile_of(visitor), rating=6)
    with pytest.raises(InvalidInput, match="1,000"):
        record_meeting(world.recruiter_a, booth, profile_of(visitor), note="x" * 1001)
    with pytest.raises(DomainError, match="not registered"):
        record_meeting(world.recruiter_a, booth, profile_of(world.student_b1))
    assert count(BoothMeeting) == 0


def test_a_student_drops_their_newest_cv_in_one_tap(world, fair, booth, db):
    visitor = _attendee(world, fair)
    with pytest.raises(DomainError, match="Upload a CV"):
        drop_cv(visitor, profile_of(visitor), booth)
    f.CVFactory(profile=profile_of(visitor))
    newer = f.CVFactory(profile=profile_of(visitor))
    drop = drop_cv(visitor, profile_of(visitor), booth)
    assert drop.cv_document_id == newer.id
    assert drop_cv(visitor, profile_of(visitor), booth).id == drop.id
    with pytest.raises(PermissionDenied):
        drop_cv(world.student_a1, profile_of(visitor), booth)
    assert count(CVDrop) == 1


def test_a_company_sees_only_the_students_who_came_to_its_booth(world, fair, booth):
    met, dropped, booked, elsewhere = (_attendee(world, fair) for _ in range(4))
    record_meeting(world.recruiter_a, booth, profile_of(met))
    f.CVFactory(profile=profile_of(dropped))
    drop_cv(dropped, profile_of(dropped), booth)
    slot = add_slot(world.recruiter_a, booth, _slot(fair, 60))
    book_slot(booked, profile_of(booked), slot)
    other = request_booth(
        world.recruiter_b, fair.programme, world.company_b, [world.recruiter_b.id]
    )
    decide_booth(world.park_admin, other, approve=True, booth="B1")
    record_meeting(world.recruiter_b, other, profile_of(elsewhere))
    expected = {profile_of(u).id for u in (met, dropped, booked)}
    assert booth_visitor_ids(booth) == expected
    assert booth_visitor_ids(other) == {profile_of(elsewhere).id}
