"""Nobody is checked in at a programme that has been cancelled: not by a scan, a code or
the list, not by a queued offline scan, and not by self check-in."""

from __future__ import annotations

import pytest

from foundry.db import utcnow
from foundry.programmes import checkin
from foundry.programmes.checkin import CheckInRefused, Scan
from foundry.programmes.checkin_models import Attendance, CheckInMethod, SessionCheckIn
from foundry.programmes.checkin_student import self_check_in
from foundry.programmes.models import ProgrammeStatus
from foundry.programmes.services import cancel_programme
from tests.factories import student
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today
from tests.programmes.factories import count


@pytest.fixture
def cancelled(world, db):
    session = session_today(world)
    registration = pf.registration(student(world.fac_a1), session)
    cancel_programme(world.recruiter_a, session.programme, "The venue is closed.")
    assert session.programme.status is ProgrammeStatus.CANCELLED
    return session, registration


def test_the_organiser_cannot_check_anyone_in(world, cancelled):
    session, registration = cancelled
    scan = Scan(CheckInMethod.LIST, registration_id=registration.id)
    with pytest.raises(CheckInRefused, match="cancelled"):
        checkin.check_in(world.recruiter_a, session, scan)
    with pytest.raises(CheckInRefused, match="cancelled"):
        checkin.check_window(session, utcnow())
    assert count(Attendance) == 0


def test_the_student_cannot_check_in_on_their_phone(world, cancelled, db):
    session, registration = cancelled
    db.session.add(SessionCheckIn(session_id=session.id, self_check_in_open=True))
    db.session.flush()
    with pytest.raises(CheckInRefused, match="cancelled"):
        self_check_in(registration.profile.user, registration)
    assert count(Attendance) == 0
