"""Programmes, sessions and registrations for the tests (factory_boy, flushing into the
test session), and the data an organiser would type."""

from __future__ import annotations

from datetime import timedelta

import factory
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.content import ProgrammeData, SessionData
from foundry.programmes.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from tests.factories import BaseFactory, profile_of


class ProgrammeFactory(BaseFactory):
    """A published in-person workshop of the park, open to all, registration open now for
    ten days. (tests.factories.ProgrammeFactory is a programme of study.)"""

    class Meta:
        model = Programme

    kind = ProgrammeKind.WORKSHOP
    title_en = factory.Sequence(lambda n: f"Personal branding workshop {n}")
    title_zh = factory.Sequence(lambda n: f"個人品牌工作坊 {n}")
    description_en = "How to present yourself to AI startups."
    format = ProgrammeFormat.IN_PERSON
    venue = "Hong Kong Science Park, Building 19W, Room 201"
    registration_opens_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=10))
    cancellation_cutoff_hours = 24
    status = ProgrammeStatus.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda p: utcnow() if p.status is not ProgrammeStatus.DRAFT else None
    )


class SessionFactory(BaseFactory):
    """A two-hour session in two weeks, ten seats, with a waitlist."""

    class Meta:
        model = ProgrammeSession

    programme = factory.SubFactory(ProgrammeFactory)
    starts_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    capacity = 10
    waitlist_enabled = True


def registration(student, session, status=RegistrationStatus.REGISTERED) -> Registration:
    """A registration written directly (not through the services), next in the session's
    order, for setting up a session's places."""
    session.last_sequence += 1
    row = Registration(
        session_id=session.id,
        profile_id=profile_of(student).id,
        status=status,
        sequence=session.last_sequence,
        cancelled_at=utcnow() if status is RegistrationStatus.CANCELLED else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def programme_data(**fields) -> ProgrammeData:
    """What an organiser types for an in-person workshop, registration open now."""
    values = {
        "kind": ProgrammeKind.WORKSHOP,
        "title_en": "Job search techniques",
        "title_zh": "求職技巧",
        "format": ProgrammeFormat.IN_PERSON,
        "venue": "Hong Kong Science Park, Building 19W",
        "registration_opens_at": utcnow() - timedelta(hours=1),
        "registration_closes_at": utcnow() + timedelta(days=7),
        **fields,
    }
    return ProgrammeData(**values)


def session_data(**fields) -> SessionData:
    starts_at = fields.pop("starts_at", utcnow() + timedelta(days=14))
    values = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "capacity": 30,
        **fields,
    }
    return SessionData(**values)


def statuses(session) -> dict[int, RegistrationStatus]:
    """{profile id: status} of the session's live registrations, read from the database."""
    rows = db.session.execute(
        sa.select(Registration.profile_id, Registration.status).where(
            Registration.session_id == session.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    return {profile_id: status for profile_id, status in rows}


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
