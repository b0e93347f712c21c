"""The student's ticket (their own, only while they hold a seat), self check-in while the
organiser has it open, and the join redirect that records virtual attendance and never
shows the link to anyone but the registered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foundry.db import utcnow
from foundry.programmes import checkin_tokens
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.models import ProgrammeFormat, RegistrationStatus
from tests.conftest import csrf_from
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today
from tests.programmes.factories import count

JOIN_LINK = "https://meet.example.com/ai-in-action-4f7"


def _ticket(registration):
    return f"/programmes/registrations/{registration.id}/ticket"


@pytest.fixture
def seat(world, db):
    registration = pf.registration(world.student_a1, session_today(world))
    db.session.commit()
    return registration


def test_the_student_sees_a_qr_code_that_carries_a_valid_token(world, client, login_as, seat):
    login_as(world.student_a1)
    response = client.get(_ticket(seat))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "data:image/svg+xml" in page
    assert response.headers["Cache-Control"] == "private, no-store"
    from foundry.extensions import db
    from foundry.programmes.checkin_models import Ticket

    code = db.session.get(Ticket, seat.id).code
    assert checkin_tokens.display_code(code) in page


@pytest.mark.parametrize("who", ["student_a1_other", "recruiter_a", "dean_a1", "park_admin"])
def test_nobody_else_sees_the_ticket(world, client, login_as, seat, who):
    login_as(getattr(world, who))
    response = client.get(_ticket(seat))
    assert response.status_code == 403
    assert "data:image/svg+xml" not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, seat):
    response = client.get(_ticket(seat))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED])
def test_no_ticket_without_a_seat(world, client, login_as, db, status):
    registration = pf.registration(world.student_a1, session_today(world), status=status)
    db.session.commit()
    login_as(world.student_a1)
    response = client.get(_ticket(registration))
    assert response.status_code == 409
    assert "Only a registration with a seat has a ticket." in response.get_data(as_text=True)


def _self_check_in(client, registration):
    token = csrf_from(client.get(_ticket(registration)))
    return client.post(
        f"/programmes/registrations/{registration.id}/check-in", data={"csrf_token": token}
    )


def test_self_check_in_only_once_the_organiser_opens_it(world, client, login_as, seat, db):
    login_as(world.student_a1)
    refused = _self_check_in(client, seat)
    assert refused.status_code == 409
    assert "Self check-in is not open" in refused.get_data(as_text=True)
    assert count(Attendance) == 0
    from foundry.programmes.checkin_student import set_self_check_in

    set_self_check_in(world.recruiter_a, seat.session, True)
    db.session.commit()
    assert "Check in now" in client.get(_ticket(seat)).get_data(as_text=True)
    assert _self_check_in(client, seat).status_code == 303
    page = client.get(_ticket(seat)).get_data(as_text=True)
    assert "Checked in at" in page and "Check in now" not in page
    import sqlalchemy as sa

    from foundry.extensions import db as _db

    (attendance,) = _db.session.scalars(sa.select(Attendance)).all()
    assert attendance.method is CheckInMethod.SELF


def test_a_student_cannot_check_in_with_someone_elses_ticket(world, client, login_as, seat, db):
    from foundry.programmes.checkin_student import set_self_check_in

    set_self_check_in(world.recruiter_a, seat.session, True)
    db.session.commit()
    login_as(world.student_a1_other)
    token = csrf_from(client.get("/notifications"))
    response = client.post(
        f"/programmes/registrations/{seat.id}/check-in", data={"csrf_token": token}
    )
    assert response.status_code == 403 and count(Attendance) == 0


def test_only_the_organisers_open_self_check_in(world, seat):
    from foundry.errors import PermissionDenied
    from foundry.programmes.checkin_student import set_self_check_in

    for who in (world.student_a1, world.recruiter_b, world.dean_a1):
        with pytest.raises(PermissionDenied):
            set_self_check_in(who, seat.session, True)


# --- the join link ------------------------------------------------------------------------


@pytest.fixture
def online(world, db):
    session = session_today(world, format=ProgrammeFormat.HYBRID, join_link=JOIN_LINK)
    session.starts_at = utcnow() - timedelta(minutes=5)
    registration = pf.registration(world.student_a1, session)
    db.session.commit()
    return session.programme, registration


def test_the_registered_student_is_sent_to_the_link_and_attends(world, client, login_as, online):
    programme, registration = online
    login_as(world.student_a1)
    response = client.get(f"/programmes/{programme.id}/join")
    assert response.status_code == 303 and response.headers["Location"] == JOIN_LINK
    assert response.headers["Referrer-Policy"] == "no-referrer"
    client.get(f"/programmes/{programme.id}/join")  # opened twice: one attendance
    import sqlalchemy as sa

    from foundry.extensions import db

    (attendance,) = db.session.scalars(sa.select(Attendance)).all()
    assert attendance.method is CheckInMethod.VIRTUAL
    assert attendance.registration_id == registration.id


def test_opening_the_link_days_before_records_no_attendance(world, client, login_as, db):
    session = session_today(world, format=ProgrammeFormat.VIRTUAL, join_link=JOIN_LINK)
    session.starts_at += timedelta(days=3)
    session.ends_at += timedelta(days=3)
    pf.registration(world.student_a1, session)
    db.session.commit()
    login_as(world.student_a1)
    response = client.get(f"/programmes/{session.programme_id}/join")
    assert response.headers["Location"] == JOIN_LINK and count(Attendance) == 0


@pytest.mark.parametrize("who", ["student_a1_other", "recruiter_a", "recruiter_b", "park_admin"])
def test_nobody_else_gets_the_link(world, client, login_as, online, who):
    programme, _registration = online
    login_as(getattr(world, who))
    response = client.get(f"/programmes/{programme.id}/join")
    assert response.status_code == 404
    assert JOIN_LINK not in response.get_data(as_text=True)
    assert count(Attendance) == 0


def test_a_waitlisted_or_cancelled_student_gets_no_link(world, client, login_as, db):
    session = session_today(world, format=ProgrammeFormat.VIRTUAL, join_link=JOIN_LINK)
    pf.registration(world.student_a1, session, status=RegistrationStatus.WAITLISTED)
    pf.registration(world.student_a2, session, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    for who in (world.student_a1, world.student_a2):
        login_as(who)
        response = client.get(f"/programmes/{session.programme_id}/join")
        assert response.status_code == 404 and JOIN_LINK not in response.get_data(as_text=True)


def test_anonymous_visitors_get_no_link(client, online):
    response = client.get(f"/programmes/{online[0].id}/join")
    assert response.status_code == 302 and JOIN_LINK not in response.headers["Location"]
