"""Who attended a programme: a student's attendances at its sessions that have ended.

What comes after the event (feedback, the certificate of attendance) is open only to a
student checked in at one of the programme's sessions once that session has ended; the
policy reads a ProgrammeAttendee for that ("programme.give_feedback",
"programme.certificate"), so the rule is decided in one place whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from foundry.extensions import db
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.models import Programme, ProgrammeSession, Registration
from foundry.students.models import StudentProfile


@dataclass(frozen=True)
class AttendedSession:
    session: ProgrammeSession
    checked_in_at: datetime
    method: CheckInMethod


@dataclass(frozen=True)
class ProgrammeAttendee:
    """A student and a programme, with the ended sessions they were checked in at (none:
    they did not attend, or not yet)."""

    profile: StudentProfile
    programme: Programme
    sessions: tuple[AttendedSession, ...]

    @property
    def attended(self) -> bool:
        return bool(self.sessions)


def _attended_where(profile_ids, now: datetime):
    return (
        sa.select(Registration.profile_id, ProgrammeSession.programme_id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .where(Registration.profile_id.in_(profile_ids), ProgrammeSession.ends_at <= now)
    )


def attendee_of(profile: StudentProfile, programme: Programme, now: datetime) -> ProgrammeAttendee:
    """The student's ended, attended sessions of the programme, in time order (one
    statement; the sessions are the programme's own, already loaded with it)."""
    rows = db.session.execute(
        sa.select(Registration.session_id, Attendance.checked_in_at, Attendance.method)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .where(
            Registration.profile_id == profile.id,
            ProgrammeSession.programme_id == programme.id,
            ProgrammeSession.ends_at <= now,
        )
    ).all()
    by_session = {session_id: (at, method) for session_id, at, method in rows}
    sessions = tuple(
        AttendedSession(session, *by_session[session.id])
        for session in programme.sessions
        if session.id in by_session
    )
    return ProgrammeAttendee(profile, programme, sessions)


def attended_programme_ids(
    profile: StudentProfile, programme_ids: Iterable[int], now: datetime
) -> set[int]:
    """Of these programmes, those the student attended a session of that has ended."""
    ids = list(set(programme_ids))
    if not ids:
        return set()
    rows = db.session.execute(
        _attended_where([profile.id], now).where(ProgrammeSession.programme_id.in_(ids)).distinct()
    ).all()
    return {programme_id for _profile_id, programme_id in rows}
