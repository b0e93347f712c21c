"""The offline scanner's sync: idempotent (the same batch twice counts once; two scanners
who checked the same person both succeed with one attendance), a garbage batch is a 400
that writes nothing, garbage items get their own errors, and 1,000 queued scans are synced
in well under 5 s."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.i18n import format_clock
from foundry.programmes import checkin, checkin_sync
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.models import Registration, RegistrationStatus
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel
from tests.conftest import csrf_from
from tests.programmes import factories as pf
from tests.programmes.checkin_setup import session_today, ticket_and_token
from tests.programmes.factories import count


def _url(session):
    return f"/programmes/sessions/{session.id}/check-in/sync"


@pytest.fixture
def scanner(world, client, login_as):
    """POST a batch as the organiser (recruiter of company A), CSRF token in the header."""
    login_as(world.recruiter_a)
    token = csrf_from(client.get("/notifications"))

    def post(session, body, **kwargs):
        kwargs.setdefault("json", body)
        return client.post(
            _url(session),
            headers={"X-CSRFToken": token, "Accept": "application/json"},
            **kwargs,
        )

    return post


def _scan(scan_id, client_id="phone-1", at=None, **what):
    return {
        "scan_id": scan_id,
        "client_id": client_id,
        "scanned_at": (at or utcnow()).isoformat(),
        **what,
    }


@pytest.fixture
def two_people(world, db):
    session = session_today(world)
    first = pf.registration(world.student_a1, session)
    second = pf.registration(world.student_a1_other, session)
    tokens = [ticket_and_token(r)[1] for r in (first, second)]
    db.session.commit()
    return session, [first, second], tokens


def test_the_same_batch_synced_twice_counts_once(two_people, scanner):
    session, registrations, tokens = two_people
    batch = {"scans": [_scan("a", token=tokens[0]), _scan("b", token=tokens[1])]}
    first = scanner(session, batch).get_json()["results"]
    again = scanner(session, batch).get_json()["results"]
    assert [r["status"] for r in first] == ["checked_in", "checked_in"]
    assert again == first  # the same scans, recognised as themselves
    assert count(Attendance) == 2


def test_two_scanners_who_checked_the_same_person_both_succeed(two_people, scanner, world):
    session, registrations, tokens = two_people
    at = utcnow() - timedelta(minutes=20)
    one = scanner(session, {"scans": [_scan("x", "phone-1", at=at, token=tokens[0])]})
    two = scanner(session, {"scans": [_scan("y", "phone-2", token=tokens[0])]})
    assert one.get_json()["results"][0]["status"] == "checked_in"
    result = two.get_json()["results"][0]
    assert result["ok"] and result["status"] == "already_checked_in"
    name = world.student_a1.display_name
    assert result["message"] == f"{name} is already checked in, at {format_clock(at)}."
    (attendance,) = pf_all(Attendance)
    assert (attendance.client_id, attendance.scan_id) == ("phone-1", "x")
    assert attendance.checked_in_at == at.replace(microsecond=attendance.checked_in_at.microsecond)


def pf_all(model):
    from foundry.extensions import db

    return list(db.session.scalars(sa.select(model)))


def test_an_offline_scan_keeps_the_time_it_was_made(two_people, scanner):
    session, registrations, tokens = two_people
    at = utcnow() - timedelta(minutes=45)
    scanner(session, {"scans": [_scan("a", at=at, code=ticket_code(registrations[1]))]})
    (attendance,) = pf_all(Attendance)
    assert attendance.method is CheckInMethod.CODE
    assert abs((attendance.checked_in_at - at).total_seconds()) < 1
    assert attendance.recorded_at > attendance.checked_in_at


def ticket_code(registration):
    from foundry.extensions import db
    from foundry.programmes.checkin_models import Ticket

    return db.session.get(Ticket, registration.id).code


@pytest.mark.parametrize(
    "body",
    [
        None,  # not JSON at all
        [],
        {"scans": []},
        {"scans": "all of them"},
        {"nothing": 1},
        {"scans": [{"scan_id": "a"}] * (checkin_sync.MAX_SYNC_BATCH + 1)},
    ],
)
def test_a_garbage_batch_is_a_400_that_writes_nothing(two_people, scanner, body):
    session = two_people[0]
    if body is None:
        response = scanner(session, None, json=None, data="{not json", content_type="text/plain")
    else:
        response = scanner(session, body)
    assert response.status_code == 400
    assert response.get_json()["message"]
    assert count(Attendance) == 0


def test_garbage_items_get_their_own_errors_and_the_others_go_on(two_people, scanner):
    session, registrations, tokens = two_people
    future = utcnow() + timedelta(hours=1)
    items = [
        "not an object",
        {"scan_id": "no-client", "token": tokens[0], "scanned_at": utcnow().isoformat()},
        _scan("no-time", token=tokens[0]) | {"scanned_at": "yesterday"},
        _scan("naive", token=tokens[0]) | {"scanned_at": "2026-12-07T10:02:00"},
        _scan("both", token=tokens[0], code="ABCDEFG"),
        _scan("bad-id", registration_id="1; drop table"),
        _scan("forged", token=tokens[0][:-4] + "AAAA"),
        _scan("future", at=future, token=tokens[0]),
        _scan("good", token=tokens[1]),
    ]
    results = scanner(session, {"scans": items}).get_json()["results"]
    assert [r["ok"] for r in results] == [False] * 8 + [True]
    assert [r["status"] for r in results[:6]] == ["invalid"] * 6
    assert "signature does not match" in results[6]["message"]
    assert "in the future" in results[7]["message"]
    (attendance,) = pf_all(Attendance)
    assert attendance.registration_id == registrations[1].id


def test_a_batch_for_another_session_is_refused_per_item(two_people, scanner, world, db):
    session, _registrations, tokens = two_people
    other = session_today(world)
    db.session.commit()
    results = scanner(other, {"scans": [_scan("a", token=tokens[0])]}).get_json()["results"]
    assert not results[0]["ok"] and "another programme" in results[0]["message"]
    assert count(Attendance) == 0


def _crowd(session, faculty, n):
    """n students registered in the session, written in three flushes (not one by one)."""
    from foundry.extensions import db

    users = [User(email=f"crowd{i}@example.org", display_name=f"Crowd {i}") for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    profiles = [
        StudentProfile(
            user_id=user.id,
            university_id=faculty.university_id,
            faculty_id=faculty.id,
            study_level=StudyLevel.UG,
            graduation_year=2027,
        )
        for user in users
    ]
    db.session.add_all(profiles)
    db.session.flush()
    first = session.last_sequence + 1
    session.last_sequence += n
    rows = [
        Registration(
            session_id=session.id,
            profile_id=profile.id,
            status=RegistrationStatus.REGISTERED,
            sequence=first + i,
        )
        for i, profile in enumerate(profiles)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def test_1000_queued_scans_sync_in_under_5_seconds(world, db, scanner, record_property):
    session = session_today(world, capacity=1000)
    registrations = _crowd(session, world.fac_a1, 1000)
    checkin.ensure_tickets(session)
    db.session.flush()
    tokens = [checkin.token_of(r, checkin.ticket_of(r)) for r in registrations]
    db.session.commit()
    batch = {"scans": [_scan(f"s{i}", token=t) for i, t in enumerate(tokens)]}
    started = time.perf_counter()
    response = scanner(session, batch)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert all(r["status"] == "checked_in" for r in response.get_json()["results"])
    assert count(Attendance) == 1000
    record_property("sync_1000_seconds", round(elapsed, 3))
    print(f"\nsync of 1,000 queued scans: {elapsed:.3f} s ({db.engine.dialect.name})")
    assert elapsed < 5
    again = time.perf_counter()
    scanner(session, batch)  # synced again: still 1,000
    print(f"the same 1,000 synced again: {time.perf_counter() - again:.3f} s")
    assert count(Attendance) == 1000


def test_eight_scanners_syncing_the_same_people_at_once_leave_one_attendance_each(app, world, db):
    """Each scanner in its own thread, transaction and connection (on PostgreSQL they truly
    overlap): every scan succeeds, and each person has one attendance."""
    from tests.programmes.test_races import _race

    session = session_today(world)
    people = [pf.registration(u, session) for u in (world.student_a1, world.student_a1_other)]
    tokens = [ticket_and_token(r)[1] for r in people]
    db.session.commit()
    session_id, recruiter_id = session.id, world.recruiter_a.id
    answers: list[list[dict]] = []

    def scanner(n):
        def job():
            from foundry.extensions import db as _db
            from foundry.programmes.models import ProgrammeSession

            items = checkin_sync.parse_batch(
                {"scans": [_scan(f"{n}-{i}", f"phone-{n}", token=t) for i, t in enumerate(tokens)]}
            )
            answers.append(
                checkin_sync.sync_scans(
                    _db.session.get(User, recruiter_id),
                    _db.session.get(ProgrammeSession, session_id),
                    items,
                )
            )

        return job

    assert _race(app, [scanner(n) for n in range(8)]) == ["ok"] * 8
    assert all(result["ok"] for answer in answers for result in answer)
    statuses = [result["status"] for answer in answers for result in answer]
    assert statuses.count("checked_in") == 2  # one scan per person won; the others agree
    rows = db.session.execute(
        sa.select(Attendance.registration_id, sa.func.count()).group_by(Attendance.registration_id)
    ).all()
    assert sorted(rows) == sorted((r.id, 1) for r in people)


def test_a_batch_costs_the_same_statements_for_2_or_40_scans(world, db, scanner):
    from tests.statements import outline, recorded_statements

    counts = {}
    for n in (2, 40):
        session = session_today(world, capacity=40)
        registrations = _crowd_named(session, world.fac_a1, n, prefix=f"b{n}-")
        tokens = [ticket_and_token(r)[1] for r in registrations]
        db.session.commit()
        batch = {"scans": [_scan(f"{n}-{i}", token=t) for i, t in enumerate(tokens)]}
        with recorded_statements() as statements:
            assert scanner(session, batch).status_code == 200
        counts[n] = statements
    assert len(counts[2]) == len(counts[40]), outline(counts[40])


def _crowd_named(session, faculty, n, prefix):
    from foundry.extensions import db

    users = [User(email=f"{prefix}{i}@example.org", display_name=f"P {i}") for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    rows = []
    for user in users:
        profile = StudentProfile(
            user_id=user.id,
            university_id=faculty.university_id,
            faculty_id=faculty.id,
            study_level=StudyLevel.UG,
            graduation_year=2027,
        )
        db.session.add(profile)
        db.session.flush()
        rows.append(pf.registration(user, session))
    return rows
