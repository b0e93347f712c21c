"""Students register for sessions: a seat while seats are free and nobody waits, else the
end of the waitlist; they give a place up until the cut-off, and the first waiting takes
the freed seat, told in-app and by e-mail. Every refusal is clear and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_login import AnonymousUserMixin

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError, PermissionDenied
from foundry.notifications.models import Notification, OutboxEmail
from foundry.programmes.models import (
    ProgrammeLevel,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.programmes.registration import (
    CannotRegister,
    cancel_registration,
    register,
    waitlist_position,
)
from foundry.programmes.services import update_session
from foundry.universities.models import StudyLevel
from tests.factories import profile_of, student
from tests.programmes import factories as pf
from tests.programmes.factories import count, session_data, statuses

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


def _students(world, n):
    return [student(world.fac_a1) for _ in range(n)]


def _register(user, session):
    return register(user, profile_of(user), session)


def test_a_student_gets_a_seat_and_is_told(world, db):
    session = pf.SessionFactory()
    registration = _register(world.student_a1, session)
    assert registration.status is REGISTERED and registration.sequence == 1
    (notice,) = db.session.scalars(sa.select(Notification)).all()
    assert notice.user_id == world.student_a1.id and "registered" in notice.title
    (email,) = db.session.scalars(sa.select(OutboxEmail)).all()
    assert email.to_address == world.student_a1.email
    assert count(AuditEvent, AuditEvent.action == "programme.registered") == 1


def test_the_notice_reads_in_the_students_language(world, db):
    world.student_a1.preferred_locale = "zh_Hant"
    session = pf.SessionFactory(programme=pf.ProgrammeFactory(title_zh="求職技巧工作坊"))
    _register(world.student_a1, session)
    (email,) = db.session.scalars(sa.select(OutboxEmail)).all()
    assert "求職技巧工作坊" in email.subject


def test_when_the_seats_are_gone_students_join_the_waitlist_in_order(world):
    session = pf.SessionFactory(capacity=2)
    people = _students(world, 4)
    rows = [_register(person, session) for person in people]
    assert [r.status for r in rows] == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    assert [waitlist_position(r) for r in rows] == [None, None, 1, 2]


def test_a_newcomer_never_takes_a_seat_while_anyone_waits(world, db):
    session = pf.SessionFactory(capacity=1)
    first, waiting, newcomer = _students(world, 3)
    _register(first, session)
    _register(waiting, session)
    # A seat appears without the services (an operator's fix in the database): the
    # newcomer still queues behind the one waiting.
    db.session.execute(
        sa.update(ProgrammeSession).where(ProgrammeSession.id == session.id).values(capacity=2)
    )
    late = _register(newcomer, session)
    assert late.status is WAITLISTED and waitlist_position(late) == 2


def test_a_full_session_without_a_waitlist_refuses_and_writes_nothing(world):
    session = pf.SessionFactory(capacity=1, waitlist_enabled=False)
    _register(world.student_a1, session)
    with pytest.raises(CannotRegister, match="full, and it keeps no waitlist"):
        _register(world.student_a2, session)
    assert statuses(session) == {profile_of(world.student_a1).id: REGISTERED}


def test_registering_twice_is_refused(world):
    session = pf.SessionFactory()
    _register(world.student_a1, session)
    with pytest.raises(CannotRegister, match="already registered"):
        _register(world.student_a1, session)
    assert count(Registration) == 1


def test_after_cancelling_a_student_may_register_again_at_the_back(world):
    session = pf.SessionFactory(capacity=1)
    first, second = _students(world, 2)
    mine = _register(first, session)
    _register(second, session)
    cancel_registration(first, mine)
    again = _register(first, session)
    assert again.status is WAITLISTED and again.sequence == 3
    assert count(Registration, Registration.profile_id == profile_of(first).id) == 2


@pytest.mark.parametrize(
    "who", ["student_a2", "dean_a1", "recruiter_a", "park_admin", "coordinator_a", "anonymous"]
)
def test_nobody_registers_another_student(world, who):
    session = pf.SessionFactory()
    actor = AnonymousUserMixin() if who == "anonymous" else getattr(world, who)
    with pytest.raises(PermissionDenied, match="only yourself"):
        register(actor, profile_of(world.student_a1), session)
    assert count(Registration) == 0


# (how the programme or session is set up, the refusal)
CLOSED = [
    ({"registration_opens_at": utcnow() + timedelta(days=1)}, None, "Registration opens at"),
    (
        {
            "registration_opens_at": utcnow() - timedelta(days=3),
            "registration_closes_at": utcnow() - timedelta(days=1),
        },
        None,
        "has closed",
    ),
    ({"status": ProgrammeStatus.DRAFT}, None, "not open for registration"),
    (
        {
            "status": ProgrammeStatus.CANCELLED,
            "cancelled_at": utcnow(),
            "cancellation_message": "x",
        },
        None,
        "has been cancelled",
    ),
    ({}, {"starts_at": utcnow() - timedelta(minutes=1)}, "already started"),
]


@pytest.mark.parametrize(("programme", "session", "message"), CLOSED)
def test_nobody_registers_outside_the_window(world, programme, session, message):
    event = pf.ProgrammeFactory(**programme)
    sitting = pf.SessionFactory(programme=event, **(session or {}))
    with pytest.raises(CannotRegister, match=message):
        _register(world.student_a1, sitting)
    assert count(Registration) == 0 and count(AuditEvent) == 0


def test_an_ineligible_student_is_told_why(world, db):
    event = pf.ProgrammeFactory(open_to_non_local=False, graduation_year_to=2026)
    event.universities = [world.uni_b]
    session = pf.SessionFactory(programme=event)
    profile = profile_of(world.student_a1)
    profile.non_local = True
    with pytest.raises(CannotRegister) as refused:
        _register(world.student_a1, session)
    assert refused.value.status_code == 403
    assert len(refused.value.reasons) == 3  # university, graduation year, non-local
    assert count(Registration) == 0


def test_a_level_limit_keeps_other_levels_out(world):
    event = pf.ProgrammeFactory()
    event.levels = [ProgrammeLevel(level=StudyLevel.PHD)]
    session = pf.SessionFactory(programme=event)
    with pytest.raises(CannotRegister, match="not eligible"):
        _register(world.student_a1, session)


def test_refusals_read_in_chinese(world):
    session = pf.SessionFactory(capacity=1, waitlist_enabled=False)
    _register(world.student_a1, session)
    with force_locale("zh_Hant"), pytest.raises(CannotRegister) as refused:
        _register(world.student_a2, session)
    assert refused.value.message == "此場次已額滿，且不設候補名單。"


# --- giving a place up and the waitlist moving up -----------------------------------------


def test_a_freed_seat_goes_to_the_first_waiting_who_is_told(world, db):
    session = pf.SessionFactory(capacity=2)
    a, b, c, d, e = _students(world, 5)
    seats = [_register(person, session) for person in (a, b)]
    waiting = [_register(person, session) for person in (c, d, e)]
    db.session.execute(sa.delete(Notification))
    db.session.execute(sa.delete(OutboxEmail))
    (promoted,) = cancel_registration(a, seats[0])
    assert promoted.id == waiting[0].id and promoted.status is REGISTERED
    assert promoted.promoted_at is not None
    (promoted,) = cancel_registration(b, seats[1])
    assert promoted.id == waiting[1].id
    assert statuses(session) == {
        profile_of(c).id: REGISTERED,
        profile_of(d).id: REGISTERED,
        profile_of(e).id: WAITLISTED,
    }
    assert waitlist_position(waiting[2]) == 1
    told = [
        n.user_id for n in db.session.scalars(sa.select(Notification).order_by(Notification.id))
    ]
    assert told == [c.id, d.id]
    mailed = [
        m.to_address for m in db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id))
    ]
    assert mailed == [c.email, d.email]
    assert count(AuditEvent, AuditEvent.action == "programme.promoted") == 2


def test_leaving_the_waitlist_promotes_nobody(world):
    session = pf.SessionFactory(capacity=1)
    a, b, c = _students(world, 3)
    _register(a, session)
    waiting = _register(b, session)
    _register(c, session)
    assert cancel_registration(b, waiting) == []
    assert statuses(session)[profile_of(c).id] is WAITLISTED


def test_a_seat_cannot_be_given_up_after_the_cut_off_but_a_waitlist_place_can(world, db):
    session = pf.SessionFactory(capacity=1, starts_at=utcnow() + timedelta(hours=3))
    seat = pf.registration(world.student_a1, session)
    waiting = pf.registration(world.student_a2, session, WAITLISTED)
    with pytest.raises(DomainError, match="Cancellations for this session closed at"):
        cancel_registration(world.student_a1, seat)
    db.session.refresh(seat)
    assert seat.status is REGISTERED and seat.cancelled_at is None
    assert cancel_registration(world.student_a2, waiting) == []
    assert waiting.status is CANCELLED


@pytest.mark.parametrize(
    "who", ["student_a2", "dean_a1", "coordinator_a", "recruiter_a", "park_admin", "anonymous"]
)
def test_nobody_cancels_another_students_registration(world, db, who):
    session = pf.SessionFactory()
    mine = pf.registration(world.student_a1, session)
    actor = AnonymousUserMixin() if who == "anonymous" else getattr(world, who)
    with pytest.raises(PermissionDenied, match="only your own"):
        cancel_registration(actor, mine)
    db.session.refresh(mine)
    assert mine.status is REGISTERED


def test_a_registration_is_cancelled_once(world):
    session = pf.SessionFactory()
    mine = pf.registration(world.student_a1, session)
    cancel_registration(world.student_a1, mine)
    with pytest.raises(DomainError, match="already cancelled"):
        cancel_registration(world.student_a1, mine)


def test_added_seats_go_to_the_waitlist_in_order(world):
    session = pf.SessionFactory(capacity=1)
    people = _students(world, 4)
    rows = [_register(person, session) for person in people]
    update_session(world.park_admin, session, session_data(capacity=3))
    assert [r.status for r in rows] == [REGISTERED, REGISTERED, REGISTERED, WAITLISTED]


def test_no_promotion_in_a_cancelled_programme(world):
    session = pf.SessionFactory(capacity=1)
    a, b = _students(world, 2)
    seat = _register(a, session)
    _register(b, session)
    session.programme.status = ProgrammeStatus.CANCELLED
    session.programme.cancelled_at = utcnow()
    session.programme.cancellation_message = "Cancelled."
    assert cancel_registration(a, seat) == []


# --- the schema guards what the services keep ---------------------------------------------


def test_the_database_refuses_a_second_live_registration(world, db):
    session = pf.SessionFactory()
    pf.registration(world.student_a1, session, CANCELLED)
    pf.registration(world.student_a1, session)  # cancelled ones are history
    with pytest.raises(sa.exc.IntegrityError):
        pf.registration(world.student_a1, session, WAITLISTED)


@pytest.mark.parametrize(
    "fields",
    [
        {"capacity": 0},
        {"capacity": -1},
        {"capacity": 10_001},
        {"ends_at": utcnow() + timedelta(days=13)},
    ],
)
def test_the_database_refuses_impossible_sessions(world, db, fields):
    with pytest.raises(sa.exc.IntegrityError):
        pf.SessionFactory(**fields)


# Under the session's lock: the session (the lock itself on PostgreSQL) and the programme
# read again, the count, the sequence, the registration, its audit line, notification and
# e-mail. Everyone registering for the session waits for this much of the one ahead.
UNDER_THE_LOCK = 8
ELIGIBILITY_TABLES = ("programme_universities", "programme_faculties", "programme_levels")


def _from_the_lock(statements):
    """The statements from the one that takes the session's lock to the commit."""
    for index, statement in enumerate(statements):
        sql = " ".join(statement.sql.split())
        if "FOR UPDATE" in sql or "SET last_sequence=programme_sessions.last_sequence" in sql:
            return statements[index:]
    raise AssertionError("no statement took the session's lock")


@pytest.mark.parametrize("capacity", [5, 1], ids=["a seat", "the waitlist"])
def test_the_lock_is_held_for_the_count_and_the_writes_only(world, db, capacity):
    from tests.statements import outline, recorded_statements

    session = pf.SessionFactory(capacity=capacity)
    _register(world.student_a1_other, session)
    db.session.commit()
    user = world.student_a1
    profile = profile_of(user)
    with recorded_statements() as statements:
        registration = register(user, profile, session)
        db.session.commit()
    assert registration.status is (REGISTERED if capacity == 5 else WAITLISTED)
    locked = _from_the_lock(statements)
    assert len(locked) <= UNDER_THE_LOCK + 1, outline(locked)  # + the lock on SQLite
    assert not any(table in s.sql for s in locked for table in ELIGIBILITY_TABLES)
