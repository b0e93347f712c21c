"""Students racing for the last seats, each in their own thread, transaction and
connection: exactly the seats there are, the rest on the waitlist in the order they were
accepted, and freed seats going to the waitlist in that order.

These run on both engines. On PostgreSQL the transactions truly overlap and the session's
row lock orders them. On SQLite they matter as much: its driver begins a transaction only
at the first write, so without the write that lock_session() makes first, two requests
both counted the same free seat (the test fails with the sequence taken twice)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.errors import DomainError
from foundry.extensions import db as _db
from foundry.notifications.models import Notification
from foundry.programmes.models import (
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)
from foundry.programmes.registration import cancel_registration, register
from foundry.programmes.services import cancel_programme
from foundry.students.models import StudentProfile
from tests.factories import profile_of, student
from tests.programmes import factories as pf

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED


def _race(app, jobs) -> list[str]:
    """Run each job(user, session) in its own thread, app context and database session, all
    released at once; each commits its own work. The outcome of each: "ok" or the refusal."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                job()
                _db.session.commit()
                outcomes[index] = "ok"
            except DomainError as refusal:
                _db.session.rollback()
                outcomes[index] = refusal.message
            except Exception as error:  # shown in the assertion, not lost in a thread
                _db.session.rollback()
                outcomes[index] = f"error: {error!r}"
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _registers(user_id: int, session_id: int):
    def job():
        user = _db.session.get(User, user_id)
        register(user, profile_of(user), _db.session.get(ProgrammeSession, session_id))

    return job


def _cancels(user_id: int, registration_id: int):
    def job():
        user = _db.session.get(User, user_id)
        cancel_registration(user, _db.session.get(Registration, registration_id))

    return job


def _rows(session_id: int) -> list[tuple[int, int, RegistrationStatus]]:
    """(sequence, profile id, status) of the session's live registrations, in order."""
    _db.session.expire_all()
    return [
        tuple(row)
        for row in _db.session.execute(
            sa.select(Registration.sequence, Registration.profile_id, Registration.status)
            .where(
                Registration.session_id == session_id,
                Registration.status != RegistrationStatus.CANCELLED,
            )
            .order_by(Registration.sequence)
        )
    ]


@pytest.fixture
def crowd(world, db):
    """A session of ten seats with a waitlist, and fifty eligible students."""
    session = pf.SessionFactory(capacity=10)
    people = [student(world.fac_a1) for _ in range(50)]
    db.session.commit()
    return session.id, [person.id for person in people]


def test_fifty_students_for_ten_seats_get_ten_seats_and_forty_places_in_order(app, crowd):
    session_id, people = crowd
    outcomes = _race(app, [_registers(user_id, session_id) for user_id in people])
    assert outcomes == ["ok"] * 50
    rows = _rows(session_id)
    assert [sequence for sequence, _p, _s in rows] == list(range(1, 51))
    assert [status for _q, _p, status in rows] == [REGISTERED] * 10 + [WAITLISTED] * 40
    assert len({profile for _q, profile, _s in rows}) == 50
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 50


def test_cancellations_racing_newcomers_promote_the_waitlist_in_order(app, world, crowd):
    session_id, people = crowd
    _race(app, [_registers(user_id, session_id) for user_id in people[:15]])
    before = _rows(session_id)
    seated = [profile for _q, profile, status in before if status is REGISTERED]
    waiting = [profile for _q, profile, status in before if status is WAITLISTED]
    assert len(seated) == 10 and len(waiting) == 5
    leaving = seated[:3]
    registrations = dict(
        _db.session.execute(
            sa.select(Registration.profile_id, Registration.id).where(
                Registration.session_id == session_id, Registration.profile_id.in_(leaving)
            )
        ).all()
    )
    users = dict(
        _db.session.execute(
            sa.select(StudentProfile.id, StudentProfile.user_id).where(
                StudentProfile.id.in_(leaving)
            )
        ).all()
    )
    newcomers = people[15:25]
    jobs = [_cancels(users[p], registrations[p]) for p in leaving]
    jobs += [_registers(user_id, session_id) for user_id in newcomers]
    assert _race(app, jobs) == ["ok"] * 13
    after = _rows(session_id)
    now_seated = {profile for _q, profile, status in after if status is REGISTERED}
    # The first three who waited took the three seats; nobody who came later did.
    assert now_seated == (set(seated) - set(leaving)) | set(waiting[:3])
    still_waiting = [profile for _q, profile, status in after if status is WAITLISTED]
    assert still_waiting[:2] == waiting[3:] and len(still_waiting) == 12


def test_a_double_click_registers_once(app, world, db):
    session = pf.SessionFactory(capacity=10)
    db.session.commit()
    user_id, session_id = world.student_a1.id, session.id
    outcomes = _race(app, [_registers(user_id, session_id), _registers(user_id, session_id)])
    assert sorted(outcomes) == ["You are already registered for this session.", "ok"]
    assert len(_rows(session_id)) == 1


def test_a_registration_racing_the_cancellation_is_either_told_or_refused(app, world, crowd):
    session_id, people = crowd
    admin_id = world.park_admin.id
    programme_id = _db.session.get(ProgrammeSession, session_id).programme_id

    def cancel():
        programme = _db.session.get(Programme, programme_id)
        cancel_programme(_db.session.get(User, admin_id), programme, "The venue is closed.")

    jobs = [_registers(user_id, session_id) for user_id in people[:20]]
    outcomes = _race(app, [*jobs[:10], cancel, *jobs[10:]])
    assert set(outcomes) <= {"ok", "This programme has been cancelled."}
    registered = {profile for _q, profile, _s in _rows(session_id)}
    assert len(registered) == outcomes.count("ok") - 1  # the cancellation's own "ok"
    told = set(
        _db.session.scalars(
            sa.select(StudentProfile.id)
            .join(Notification, Notification.user_id == StudentProfile.user_id)
            .where(Notification.message_key == "programme.cancelled")
        )
    )
    assert told == registered
