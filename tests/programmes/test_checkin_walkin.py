"""Walk-ins: the organiser registers a student at the door by e-mail or student number
while seats remain (lock first, then count), and they are checked in at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.errors import PermissionDenied
from foundry.programmes.checkin import CheckInRefused
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.checkin_walkin import walk_in
from foundry.programmes.models import Registration, RegistrationStatus
from tests.factories import profile_of
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today
from tests.programmes.factories import count, statuses


def test_a_walk_in_takes_a_free_seat_and_is_checked_in(world, db):
    session = session_today(world, capacity=2)
    result = walk_in(world.recruiter_a, session, world.student_a1.email.upper())
    assert result.newly and result.attendance.method is CheckInMethod.WALK_IN
    assert statuses(session) == {profile_of(world.student_a1).id: RegistrationStatus.REGISTERED}


def test_a_walk_in_is_found_by_student_number(world, db):
    session = session_today(world)
    number = profile_of(world.student_a2).student_number
    assert walk_in(world.recruiter_a, session, f" {number} ").newly


def test_no_walk_in_when_the_session_is_full(world, db):
    session = session_today(world, capacity=1)
    pf.registration(world.student_a1_other, session)
    with pytest.raises(CheckInRefused, match="No seat is left"):
        walk_in(world.recruiter_a, session, world.student_a1.email)
    assert count(Registration) == 1 and count(Attendance) == 0


def test_before_the_start_a_walk_in_does_not_pass_the_waitlist(world, db):
    session = session_today(world, capacity=2)
    pf.registration(world.student_a1_other, session)
    pf.registration(world.student_a2, session, status=RegistrationStatus.WAITLISTED)
    with pytest.raises(CheckInRefused, match="No seat is left"):
        walk_in(world.recruiter_a, session, world.student_b1.email)


def test_the_waitlisted_student_at_the_door_takes_the_free_seat(world, db):
    session = session_today(world, capacity=2)
    pf.registration(world.student_a1_other, session)
    waiting = pf.registration(world.student_a2, session, status=RegistrationStatus.WAITLISTED)
    walk_in(world.recruiter_a, session, world.student_a2.email)
    assert waiting.status is RegistrationStatus.REGISTERED and count(Registration) == 2


def test_once_started_any_free_seat_goes_to_who_is_at_the_door(world, db):
    session = session_today(world, capacity=2)
    session.starts_at = utcnow() - timedelta(minutes=10)
    pf.registration(world.student_a1_other, session)
    pf.registration(world.student_a2, session, status=RegistrationStatus.WAITLISTED)
    assert walk_in(world.recruiter_a, session, world.student_b1.email).newly


def test_a_registered_student_is_simply_checked_in(world, db):
    session = session_today(world)
    pf.registration(world.student_a1, session)
    result = walk_in(world.recruiter_a, session, world.student_a1.email)
    assert result.attendance.method is CheckInMethod.LIST and count(Registration) == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the student's e-mail"),
        ("nobody@example.org", "No student has"),
        ("x" * 300, "Type"),
    ],
)
def test_an_unknown_student_is_refused_clearly(world, db, typed, message):
    session = session_today(world)
    with pytest.raises(Exception, match=message):
        walk_in(world.recruiter_a, session, typed)
    assert count(Registration) == 0


def test_only_the_organisers_take_walk_ins(world, db):
    session = session_today(world)
    for who in (world.recruiter_b, world.student_a1, world.dean_a1):
        with pytest.raises(PermissionDenied):
            walk_in(who, session, world.student_a1.email)
    assert count(Registration) == 0


def test_the_walk_in_form(world, client, login_as, post_form, db):
    session = session_today(world, capacity=1)
    db.session.commit()
    login_as(world.recruiter_a)
    page = f"/programmes/sessions/{session.id}/check-in"
    ok = post_form(page + "/walk-in", {"identifier": world.student_a1.email}, form_page=page)
    assert ok.status_code == 303
    assert "is checked in." in client.get(page).get_data(as_text=True)
    full = post_form(page + "/walk-in", {"identifier": world.student_a2.email}, form_page=page)
    assert full.status_code == 409 and "No seat is left" in full.get_data(as_text=True)
    empty = post_form(page + "/walk-in", {"identifier": ""}, form_page=page)
    assert empty.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
