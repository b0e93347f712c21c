"""Tickets and their signed tokens: a round trip, and every way a token is refused with a
clear message (forged, other session or programme, revoked, replaced, replayed)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.programmes import checkin, checkin_tokens
from foundry.programmes.checkin import CheckInRefused, Scan
from foundry.programmes.checkin_models import CODE_ALPHABET, Attendance, CheckInMethod, Ticket
from foundry.programmes.models import RegistrationStatus
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today, ticket_and_token
from tests.programmes.factories import count

SCAN = CheckInMethod.SCAN


def _scan(token):
    return Scan(SCAN, token=token)


def test_a_token_round_trips_and_names_its_registration(world):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    ticket, token = ticket_and_token(registration)
    claims = checkin_tokens.verify(token)
    assert (claims.programme_id, claims.session_id, claims.registration_id, claims.version) == (
        session.programme_id,
        session.id,
        registration.id,
        ticket.version,
    )
    assert len(token) < 130  # a small QR code
    assert len(ticket.code) == 7 and set(ticket.code) <= set(CODE_ALPHABET)


def test_codes_are_unique_within_the_session(world, db):
    session = session_today(world, capacity=60)
    from tests.factories import student

    for _ in range(40):
        pf.registration(student(world.fac_a1), session)
    checkin.ensure_tickets(session)
    codes = list(db.session.scalars(sa.select(Ticket.code).where(Ticket.session_id == session.id)))
    assert len(codes) == 40 == len(set(codes))


def test_a_scan_checks_in_once_and_a_replay_says_when(world, db):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    _ticket, token = ticket_and_token(registration)
    first = checkin.check_in(world.recruiter_a, session, _scan(token))
    assert first.newly
    replay = checkin.check_in(world.recruiter_a, session, _scan(token))
    assert not replay.newly
    from foundry.i18n import format_clock

    name = world.student_a1.display_name
    assert replay.message == (
        f"{name} is already checked in, at {format_clock(first.attendance.checked_in_at)}."
    )
    assert count(Attendance) == 1


def test_a_forged_token_is_refused(world):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    _ticket, token = ticket_and_token(registration)
    payload, signature = token.split(".")
    # Another registration id under the same signature.
    forged_payload = checkin_tokens._b64encode(
        checkin_tokens._b64decode(payload).replace(
            f".{registration.id}.".encode(), f".{registration.id + 1}.".encode()
        )
    )
    for bad in (f"{forged_payload}.{signature}", token[:-3] + "AAA", "garbage", "a.b", ""):
        with pytest.raises(CheckInRefused, match="signature does not match"):
            checkin.check_in(world.recruiter_a, session, _scan(bad))
    assert count(Attendance) == 0


def test_a_token_signed_by_another_key_is_refused(world, app):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    ticket = checkin.ticket_of(registration)
    key = app.extensions.pop("checkin_signing_key")
    app.config["CHECKIN_SIGNING_KEY"] = checkin_tokens._b64encode(b"\x07" * 32)
    try:
        token = checkin.token_of(registration, ticket)
    finally:
        app.config.pop("CHECKIN_SIGNING_KEY")
        app.extensions["checkin_signing_key"] = key
    with pytest.raises(CheckInRefused, match="signature does not match"):
        checkin.check_in(world.recruiter_a, session, _scan(token))


def test_a_token_of_another_session_or_programme_is_refused(world):
    session = session_today(world)
    sibling = pf.SessionFactory(
        programme=session.programme, starts_at=session.starts_at, ends_at=session.ends_at
    )
    other_programme = session_today(world)
    _t, sibling_token = ticket_and_token(pf.registration(world.student_a1, sibling))
    _t, other_token = ticket_and_token(pf.registration(world.student_a1, other_programme))
    with pytest.raises(CheckInRefused, match="another session of this programme"):
        checkin.check_in(world.recruiter_a, session, _scan(sibling_token))
    with pytest.raises(CheckInRefused, match="another programme"):
        checkin.check_in(world.recruiter_a, session, _scan(other_token))


def test_a_cancelled_registrations_token_is_revoked(world, db):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    _ticket, token = ticket_and_token(registration)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = registration.created_at
    db.session.flush()
    with pytest.raises(CheckInRefused, match="was cancelled"):
        checkin.check_in(world.recruiter_a, session, _scan(token))


def test_a_replaced_ticket_version_is_refused(world, db):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    ticket, token = ticket_and_token(registration)
    ticket.version += 1
    db.session.flush()
    with pytest.raises(CheckInRefused, match="replaced by a newer one"):
        checkin.check_in(world.recruiter_a, session, _scan(token))


def test_codes_are_read_forgivingly_and_unknown_ones_refused(world):
    session = session_today(world)
    registration = pf.registration(world.student_a1, session)
    ticket, _token = ticket_and_token(registration)
    typed = f" {ticket.code[:3].lower()}-{ticket.code[3:]} "
    result = checkin.check_in(world.recruiter_a, session, Scan(CheckInMethod.CODE, code=typed))
    assert result.newly and result.attendance.method is CheckInMethod.CODE
    with pytest.raises(CheckInRefused, match="No ticket of this session has that code"):
        checkin.check_in(world.recruiter_a, session, Scan(CheckInMethod.CODE, code="ZZZZZZZ"))


def test_check_in_is_refused_outside_its_window(world, db):
    from datetime import timedelta

    session = session_today(world)
    session.starts_at += timedelta(days=3)
    session.ends_at += timedelta(days=3)
    registration = pf.registration(world.student_a1, session)
    _ticket, token = ticket_and_token(registration)
    with pytest.raises(CheckInRefused, match="opens at"):
        checkin.check_in(world.recruiter_a, session, _scan(token))
    assert count(Attendance) == 0
