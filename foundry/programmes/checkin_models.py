"""Check-in records: a registration's ticket, its attendance, and a session's check-in
switches. (The design is in foundry/programmes/checkin.py.)

Kept beside models.py rather than in it: the ticket and the attendance are added to a
registration without touching the registration's own table, so registering stays exactly
what registration.py makes it.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import UTCDateTime, enum_column, utcnow
from foundry.extensions import db

# The typed code: no 0/O, 1/I/L, so that it reads back from a phone's screen unmistakably.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7
# A scanner's id and a scan's id, as the check-in page makes them (UUIDs, with room).
CLIENT_ID_MAX = 64
SCAN_ID_MAX = 64


class CheckInMethod(enum.Enum):
    SCAN = "scan"  # the organiser scanned the ticket's QR code
    CODE = "code"  # the organiser typed the ticket's code
    LIST = "list"  # the organiser picked the name from the list
    SELF = "self"  # the student, on their signed-in phone, while self check-in is open
    VIRTUAL = "virtual"  # the student opened the join link through the portal
    WALK_IN = "walk_in"  # registered at the door by the organiser


class Ticket(db.Model):
    """What a registration shows at the door: its typed code (unique in the session) and
    the version its signed token carries (raised to revoke every token issued before)."""

    __tablename__ = "programme_tickets"

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_registrations.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(sa.String(CODE_LENGTH))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("session_id", "code"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )


class Attendance(db.Model):
    """A registration's one attendance, however many times it was scanned. For a scan made
    offline, the scanner's client id and the scan's id say which scan it was, so that the
    same scan synced again is recognised as itself."""

    __tablename__ = "programme_attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_registrations.id", ondelete="CASCADE"), unique=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE")
    )
    method: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod, "check_in_method"))
    # When the person came in (an offline scan's own time); recorded_at: when we heard of it.
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    client_id: Mapped[str | None] = mapped_column(sa.String(CLIENT_ID_MAX))
    scan_id: Mapped[str | None] = mapped_column(sa.String(SCAN_ID_MAX))

    registration = relationship("Registration")

    __table_args__ = (sa.Index("ix_programme_attendances_session_id", "session_id"),)


class SessionCheckIn(db.Model):
    """A session's check-in switches, set by its organisers (no row: all closed)."""

    __tablename__ = "programme_session_checkins"

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    self_check_in_open: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
