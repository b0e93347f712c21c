"""What the check-in pages read: a session's attendee list (one query, whatever its size)
and the figures above it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from foundry.accounts.models import User
from foundry.extensions import db
from foundry.programmes.checkin_models import Attendance, CheckInMethod, Ticket
from foundry.programmes.checkin_tokens import display_code
from foundry.programmes.models import ProgrammeSession, Registration, RegistrationStatus
from foundry.students.models import StudentProfile


@dataclass(frozen=True)
class Attendee:
    registration_id: int
    name: str
    code: str
    version: int
    checked_in_at: datetime | None
    method: CheckInMethod | None

    @property
    def shown_code(self) -> str:
        return display_code(self.code)

    def as_json(self) -> dict:
        return {
            "id": self.registration_id,
            "name": self.name,
            "code": self.code,
            "version": self.version,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
        }


def attendees(session: ProgrammeSession) -> list[Attendee]:
    """The session's registered people with their tickets and attendance, by name (call
    checkin.ensure_tickets first, so that everyone has a ticket)."""
    rows = db.session.execute(
        sa.select(
            Registration.id,
            User.display_name,
            Ticket.code,
            Ticket.version,
            Attendance.checked_in_at,
            Attendance.method,
        )
        .join(StudentProfile, StudentProfile.id == Registration.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .join(Ticket, Ticket.registration_id == Registration.id)
        .outerjoin(Attendance, Attendance.registration_id == Registration.id)
        .where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(User.display_name, Registration.id)
    )
    return [Attendee(*row) for row in rows]


def session_for_check_in(session_id: int) -> ProgrammeSession | None:
    return db.session.scalar(
        sa.select(ProgrammeSession)
        .where(ProgrammeSession.id == session_id)
        .options(joinedload(ProgrammeSession.programme))
    )


def registration_for_ticket(registration_id: int) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .options(joinedload(Registration.session).joinedload(ProgrammeSession.programme))
    )
