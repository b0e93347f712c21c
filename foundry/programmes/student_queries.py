"""What a student's own pages read of their registrations: the list on "my programmes"
(with each waitlist place's position, in one statement) and the registrations a student
holds in the sessions of one programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, lazyload

from foundry.extensions import db
from foundry.programmes.models import (
    LIVE_STATUSES,
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile

MAX_LISTED = 500  # a student with more registrations than this is a test, not a person


@dataclass(frozen=True)
class MyRegistration:
    registration: Registration
    position: int | None  # on the waitlist: 1 for the first in line

    @property
    def session(self) -> ProgrammeSession:
        return self.registration.session

    @property
    def programme(self) -> Programme:
        return self.registration.session.programme


@cache
def _statement(which: str) -> sa.Select:
    """The student's registrations (`which`: "all", their live ones, or their live ones in
    one programme), with each waitlist place's position, built once per process: building
    the select with its options and subquery cost as much Python as running it. The
    student's profile and the programme are bound at each execution."""
    ahead = aliased(Registration)
    position = (
        sa.select(sa.func.count())
        .where(
            ahead.session_id == Registration.session_id,
            ahead.status == RegistrationStatus.WAITLISTED,
            ahead.sequence <= Registration.sequence,
        )
        .correlate(Registration)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            Registration,
            sa.case((Registration.status == RegistrationStatus.WAITLISTED, position)),
        )
        .join(Registration.session)
        .join(ProgrammeSession.programme)
        .where(Registration.profile_id == sa.bindparam("profile_id"))
        .options(
            contains_eager(Registration.session)
            .contains_eager(ProgrammeSession.programme)
            .options(
                lazyload(Programme.universities),
                lazyload(Programme.faculties),
                lazyload(Programme.levels),
                lazyload(Programme.sessions),
            ),
            lazyload(Registration.profile),
        )
    )
    if which != "all":
        stmt = stmt.where(Registration.status.in_(LIVE_STATUSES))
    if which == "in-programme":
        return stmt.where(ProgrammeSession.programme_id == sa.bindparam("programme_id"))
    return stmt.order_by(ProgrammeSession.starts_at, Registration.id).limit(MAX_LISTED)


def my_registrations(
    profile: StudentProfile, now: datetime
) -> tuple[list[MyRegistration], list[MyRegistration]]:
    """(upcoming, past): the student's live registrations for sessions not yet ended,
    soonest first; and the rest (ended, or given up), latest first."""
    rows = db.session.execute(_statement("all"), {"profile_id": profile.id}).all()
    items = [MyRegistration(registration, position) for registration, position in rows]
    upcoming = [i for i in items if i.registration.is_live and i.session.ends_at > now]
    past = [i for i in items if not (i.registration.is_live and i.session.ends_at > now)]
    past.reverse()
    return upcoming, past


def live_registrations(profile: StudentProfile) -> list[Registration]:
    """Every live registration of the student (the calendar feed), in time order."""
    rows = db.session.execute(_statement("live"), {"profile_id": profile.id}).all()
    return [registration for registration, _position in rows]


def registrations_in(profile: StudentProfile, programme: Programme) -> dict[int, MyRegistration]:
    """{session id: the student's live registration} in the programme's sessions."""
    rows = db.session.execute(
        _statement("in-programme"), {"profile_id": profile.id, "programme_id": programme.id}
    ).all()
    return {
        registration.session_id: MyRegistration(registration, position)
        for registration, position in rows
    }
