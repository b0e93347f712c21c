"""A student replaces a lost or shared ticket: a new code and QR code, the old ones refused
at the door (by token and by typed code), audited; asked to confirm first; nobody else may,
and not once the session has ended or the student is checked in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.errors import DomainError
from foundry.extensions import db as database
from foundry.programmes import checkin, checkin_tokens
from foundry.programmes.checkin import Scan, check_in
from foundry.programmes.checkin_models import CheckInMethod, Ticket
from foundry.programmes.models import RegistrationStatus
from tests.conftest import csrf_from
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today, ticket_and_token


@pytest.fixture
def seat(world, db):
    registration = pf.registration(world.student_a1, session_today(world))
    ticket, token = ticket_and_token(registration)
    registration.old = (ticket.code, ticket.version, token)
    db.session.commit()
    return registration


def _url(registration, action="ticket/replace"):
    return f"/programmes/registrations/{registration.id}/{action}"


def _replace(client, registration, confirmed=True):
    page = client.get(_url(registration, "ticket"))
    data = {"csrf_token": csrf_from(page), **({"confirmed": "yes"} if confirmed else {})}
    return client.post(_url(registration), data=data)


def _ticket(registration) -> tuple[str, int]:
    database.session.expire_all()
    ticket = database.session.get(Ticket, registration.id)
    return ticket.code, ticket.version


def test_the_old_ticket_is_refused_at_the_door_and_the_new_one_works(world, client, login_as, seat):
    old_code, old_version, old_token = seat.old
    login_as(world.student_a1)
    asked = _replace(client, seat, confirmed=False)
    assert asked.status_code == 200 and "Replace your ticket?" in asked.text
    assert _ticket(seat) == (old_code, old_version)  # nothing changed before the answer
    response = _replace(client, seat)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "Your ticket is replaced" in page
    new_code, new_version = _ticket(seat)
    assert new_version == old_version + 1 and new_code != old_code
    assert checkin_tokens.display_code(new_code) in page
    events = database.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "programme.ticket_replaced")
    ).all()
    assert [e.actor_id for e in events] == [world.student_a1.id]
    session = seat.session
    for scan in (
        Scan(CheckInMethod.SCAN, token=old_token),
        Scan(CheckInMethod.CODE, code=old_code),
    ):
        with pytest.raises(DomainError):
            check_in(world.recruiter_a, session, scan)
    ticket = database.session.get(Ticket, seat.id)
    result = check_in(
        world.recruiter_a,
        session,
        Scan(CheckInMethod.SCAN, token=checkin.token_of(seat, ticket)),
    )
    assert result.newly


@pytest.mark.parametrize("who", ["student_a1_other", "recruiter_a", "dean_a1", "park_admin"])
def test_nobody_else_replaces_the_ticket(world, client, login_as, seat, who):
    login_as(getattr(world, who))
    page = client.get("/programmes")
    response = client.post(_url(seat), data={"csrf_token": csrf_from(page), "confirmed": "yes"})
    assert response.status_code == 403
    assert _ticket(seat) == seat.old[:2]


def test_anonymous_visitors_are_sent_to_sign_in(client, seat):
    response = client.post(_url(seat), data={"confirmed": "yes"})
    assert response.status_code in (302, 400)
    assert _ticket(seat) == seat.old[:2]


def test_a_post_without_its_token_is_refused(world, client, login_as, seat):
    login_as(world.student_a1)
    response = client.post(_url(seat), data={"confirmed": "yes"})
    assert response.status_code == 400
    assert _ticket(seat) == seat.old[:2]


def test_not_after_the_session_ended_nor_once_checked_in(world, client, login_as, seat, db):
    login_as(world.student_a1)
    ticket = database.session.get(Ticket, seat.id)
    check_in(world.recruiter_a, seat.session, Scan(CheckInMethod.CODE, code=ticket.code))
    db.session.commit()
    assert "Replace my ticket" not in client.get(_url(seat, "ticket")).text
    response = _replace(client, seat)
    assert response.status_code == 409 and "already checked in" in response.text
    assert _ticket(seat) == seat.old[:2]

    other = pf.registration(world.student_a1_other, seat.session)
    ticket_and_token(other)
    seat.session.starts_at -= timedelta(hours=4)
    seat.session.ends_at -= timedelta(hours=4)
    db.session.commit()
    login_as(world.student_a1_other)
    before = _ticket(other)
    response = _replace(client, other)
    assert response.status_code == 409 and "has ended" in response.text
    assert _ticket(other) == before


def test_a_waitlisted_student_has_no_ticket_to_replace(world, client, login_as, db):
    waiting = pf.registration(
        world.student_a1, session_today(world), status=RegistrationStatus.WAITLISTED
    )
    db.session.commit()
    login_as(world.student_a1)
    page = client.get("/programmes")
    response = client.post(_url(waiting), data={"csrf_token": csrf_from(page), "confirmed": "yes"})
    assert response.status_code == 409
    assert database.session.get(Ticket, waiting.id) is None
