"""Organisers write, publish and cancel programmes and their sessions: the park's team any,
faculty staff their faculty's, company members their company's; everyone else is refused
and nothing is written. Cancelling tells everyone registered or waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.notifications.models import Notification, OutboxEmail
from foundry.programmes.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeSession,
    ProgrammeStatus,
    RegistrationStatus,
)
from foundry.programmes.services import (
    add_session,
    cancel_programme,
    create_programme,
    publish_programme,
    update_programme,
    update_session,
)
from tests.programmes import factories as pf
from tests.programmes.factories import count, programme_data, session_data

ANONYMOUS = AnonymousUserMixin()


def _who(world, name):
    return ANONYMOUS if name == "anonymous" else getattr(world, name)


ORGANISERS = {
    "park": lambda w: None,
    "faculty": lambda w: w.fac_a1,
    "company": lambda w: w.company_a,
}

# (organiser, who may run its programmes, who may not)
WHO = [
    (
        "park",
        ["park_admin"],
        ["dean_a1", "coordinator_a", "recruiter_a", "student_a1", "anonymous"],
    ),
    (
        "faculty",
        ["dean_a1", "coordinator_a", "park_admin"],
        ["officer_a2", "dean_b1", "coordinator_b", "recruiter_a", "student_a1", "anonymous"],
    ),
    (
        "company",
        ["company_admin_a", "recruiter_a", "park_admin"],
        ["recruiter_b", "dean_a1", "coordinator_a", "student_a1", "anonymous"],
    ),
]


@pytest.mark.parametrize(("organiser", "allowed", "refused"), WHO, ids=[w[0] for w in WHO])
def test_only_the_organisers_may_create_a_programme(world, organiser, allowed, refused):
    owner = ORGANISERS[organiser](world)
    for name in refused:
        with pytest.raises(PermissionDenied):
            create_programme(_who(world, name), owner, programme_data())
    assert count(Programme) == 0
    for name in allowed:
        programme = create_programme(_who(world, name), owner, programme_data())
        assert programme.status is ProgrammeStatus.DRAFT
    assert count(Programme) == len(allowed)


def _programme_of(world, organiser, **fields):
    owner = ORGANISERS[organiser](world)
    return pf.ProgrammeFactory(
        organiser_company=owner if organiser == "company" else None,
        organiser_faculty=owner if organiser == "faculty" else None,
        **fields,
    )


# Every service that changes a programme, as the outsider would call it.
CHANGES = {
    "update": lambda actor, p: update_programme(actor, p, programme_data(title_en="Hijacked")),
    "add_session": lambda actor, p: add_session(actor, p, session_data()),
    "update_session": lambda actor, p: update_session(
        actor, p.sessions[0], session_data(capacity=99)
    ),
    "publish": lambda actor, p: publish_programme(actor, p),
    "cancel": lambda actor, p: cancel_programme(actor, p, "Not yours to cancel."),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize(("organiser", "allowed", "refused"), WHO, ids=[w[0] for w in WHO])
def test_outsiders_change_nothing(world, db, change, organiser, allowed, refused):
    programme = _programme_of(world, organiser, status=ProgrammeStatus.DRAFT)
    session = pf.SessionFactory(programme=programme, capacity=5)
    db.session.commit()
    for name in refused:
        with pytest.raises(PermissionDenied):
            CHANGES[change](_who(world, name), programme)
        db.session.rollback()
    db.session.refresh(programme)
    db.session.refresh(session)
    assert programme.status is ProgrammeStatus.DRAFT and programme.title_en != "Hijacked"
    assert session.capacity == 5 and count(ProgrammeSession) == 1
    assert count(AuditEvent) == 0


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_organiser_may_change_their_own(world, change):
    programme = _programme_of(world, "company", status=ProgrammeStatus.DRAFT)
    pf.SessionFactory(programme=programme)
    CHANGES[change](world.recruiter_a, programme)
    assert count(AuditEvent) >= 1


def test_a_programme_is_written_as_typed_in_both_languages(world):
    data = programme_data(
        title_en="  AI in Action career day ",
        title_zh=" AI 實踐職業日 ",
        description_zh="與 150 間 AI 公司見面。",
        format=ProgrammeFormat.HYBRID,
        join_link="https://meet.example.org/ai-in-action",
        university_ids=[world.uni_a.id],
        faculty_ids=[world.fac_a1.id],
        graduation_year_from=2026,
        graduation_year_to=2028,
        open_to_non_local=False,
    )
    programme = create_programme(world.park_admin, None, data)
    assert programme.title("en") == "AI in Action career day"
    assert programme.title("zh_Hant") == "AI 實踐職業日"
    assert programme.description("zh_Hant") == "與 150 間 AI 公司見面。"
    assert programme.description("en") == ""
    assert [u.id for u in programme.universities] == [world.uni_a.id]
    assert programme.organiser_company is None and programme.organiser_faculty is None


# --- bad input: a clear message and nothing written ----------------------------------------

BAD_PROGRAMMES = [
    ({"title_en": "   "}, "title_en"),
    ({"title_en": "x" * 161}, "title_en"),
    ({"registration_closes_at": utcnow() - timedelta(days=2)}, "registration_closes_at"),
    ({"cancellation_cutoff_hours": -1}, "cancellation_cutoff_hours"),
    ({"cancellation_cutoff_hours": 721}, "cancellation_cutoff_hours"),
    ({"join_link": "javascript:alert(1)"}, "join_link"),
    ({"join_link": "http://meet.example.org/room"}, "join_link"),
    ({"graduation_year_from": 2029, "graduation_year_to": 2027}, "graduation_year_to"),
    ({"graduation_year_from": 27}, "graduation_year_from"),
    ({"venue": "v" * 301}, "venue"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_PROGRAMMES)
def test_bad_programme_input_is_refused_and_nothing_written(world, fields, field):
    with pytest.raises(InvalidInput) as refused:
        create_programme(world.park_admin, None, programme_data(**fields))
    assert refused.value.field == field and refused.value.message
    assert count(Programme) == 0


def test_faculties_must_belong_to_the_universities_chosen(world):
    data = programme_data(university_ids=[world.uni_b.id], faculty_ids=[world.fac_a1.id])
    with pytest.raises(InvalidInput, match="universities you chose"):
        create_programme(world.park_admin, None, data)
    assert count(Programme) == 0


BAD_SESSIONS = [
    ({"ends_at": utcnow() + timedelta(days=13)}, "A session must end after it starts."),
    ({"capacity": 0}, "between 1 and 10000"),
    ({"capacity": -5}, "between 1 and 10000"),
    ({"capacity": 10_001}, "between 1 and 10000"),
    ({"capacity": 1_000_000_000}, "between 1 and 10000"),
    ({"ends_at": utcnow() + timedelta(days=18)}, "at most 72 hours"),
    ({"starts_at": utcnow() - timedelta(days=1)}, "must start in the future"),
    ({"label": "l" * 121}, "120 characters"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_SESSIONS)
def test_bad_sessions_are_refused_and_nothing_written(world, fields, message):
    programme = pf.ProgrammeFactory()
    with pytest.raises(InvalidInput, match=message):
        add_session(world.park_admin, programme, session_data(**fields))
    assert count(ProgrammeSession) == 0


def test_a_sessions_seats_cannot_drop_below_those_taken(world, db):
    session = pf.SessionFactory(capacity=3)
    for student in (world.student_a1, world.student_a2):
        pf.registration(student, session)
    with pytest.raises(InvalidInput, match="Seats taken in this session: 2"):
        update_session(world.park_admin, session, session_data(capacity=1))
    db.session.refresh(session)
    assert session.capacity == 3
    update_session(world.park_admin, session, session_data(capacity=2))
    assert session.capacity == 2


# --- publishing ---------------------------------------------------------------------------


def test_publishing_needs_a_session_in_the_future(world):
    programme = pf.ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    with pytest.raises(DomainError, match="at least one session"):
        publish_programme(world.park_admin, programme)
    add_session(world.park_admin, programme, session_data())
    publish_programme(world.park_admin, programme)
    assert programme.status is ProgrammeStatus.PUBLISHED and programme.published_at


def test_an_online_programme_needs_its_join_link_and_an_in_person_one_its_venue(world):
    online = pf.ProgrammeFactory(
        status=ProgrammeStatus.DRAFT, format=ProgrammeFormat.HYBRID, join_link=None
    )
    pf.SessionFactory(programme=online)
    with pytest.raises(InvalidInput, match="join link"):
        publish_programme(world.park_admin, online)
    in_person = pf.ProgrammeFactory(status=ProgrammeStatus.DRAFT, venue=None)
    pf.SessionFactory(programme=in_person)
    with pytest.raises(InvalidInput, match="venue"):
        publish_programme(world.park_admin, in_person)
    assert online.status is in_person.status is ProgrammeStatus.DRAFT


def test_an_unverified_company_cannot_publish(world):
    programme = create_programme(
        world.recruiter_unverified, world.company_unverified, programme_data()
    )
    add_session(world.recruiter_unverified, programme, session_data())
    with pytest.raises(DomainError, match="verified"):
        publish_programme(world.recruiter_unverified, programme)
    assert programme.status is ProgrammeStatus.DRAFT


def test_only_a_draft_is_published(world):
    programme = pf.ProgrammeFactory()
    pf.SessionFactory(programme=programme)
    with pytest.raises(DomainError, match="Only a draft"):
        publish_programme(world.park_admin, programme)


# --- cancelling ---------------------------------------------------------------------------


def test_cancelling_tells_everyone_registered_or_waiting_once(world, db):
    programme = pf.ProgrammeFactory()
    morning = pf.SessionFactory(programme=programme, capacity=1)
    afternoon = pf.SessionFactory(programme=programme, capacity=5)
    pf.registration(world.student_a1, morning)
    pf.registration(world.student_a2, morning, RegistrationStatus.WAITLISTED)
    pf.registration(world.student_a1, afternoon)  # two sessions: one message
    pf.registration(world.student_b1, afternoon, RegistrationStatus.CANCELLED)  # gave up
    told = cancel_programme(world.park_admin, programme, "  The venue is flooded.  ")
    assert told == 2
    assert programme.status is ProgrammeStatus.CANCELLED
    assert programme.cancellation_message == "The venue is flooded."
    notified = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert notified == {world.student_a1.id, world.student_a2.id}
    emails = {e.to_address for e in db.session.scalars(db.select(OutboxEmail))}
    assert emails == {world.student_a1.email, world.student_a2.email}
    (body,) = {n.body for n in db.session.scalars(db.select(Notification))}
    assert "The venue is flooded." in body


def test_a_cancellation_needs_a_message_and_happens_once(world):
    programme = pf.ProgrammeFactory()
    with pytest.raises(InvalidInput, match="Say why"):
        cancel_programme(world.park_admin, programme, "   ")
    with pytest.raises(InvalidInput, match="1,000"):
        cancel_programme(world.park_admin, programme, "m" * 1001)
    assert programme.status is ProgrammeStatus.PUBLISHED
    cancel_programme(world.park_admin, programme, "Postponed to spring.")
    with pytest.raises(DomainError, match="cancelled"):
        cancel_programme(world.park_admin, programme, "Again.")
    with pytest.raises(DomainError, match="cancelled"):
        update_programme(world.park_admin, programme, programme_data())
    with pytest.raises(DomainError, match="cancelled"):
        add_session(world.park_admin, programme, session_data())


def test_a_started_session_is_no_longer_changed(world, db):
    session = pf.SessionFactory(starts_at=utcnow() - timedelta(minutes=5))
    with pytest.raises(DomainError, match="started"):
        update_session(world.park_admin, session, session_data())
