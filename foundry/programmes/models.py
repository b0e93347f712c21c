"""Programmes, their sessions and the registrations of students.

A programme is organised by the park (no organiser row), a faculty or a company; it has
one or more sessions, each with its own times (stored UTC) and capacity. A student holds
at most one live registration (registered or waitlisted) per session: a partial unique
index says so on both engines. The waitlist is ordered by `sequence`, a number each
session hands out under its row lock (registration.py), so the order is the order in which
the registrations were accepted, whatever the clock or the id sequence say.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from foundry.eligibility.models import EligibilityColumns, graduation_years_ordered
from foundry.extensions import db
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel

# Shapes the database checks too (foundry/programmes/limits.py has the rest). The park's
# largest event is a career day of 3,000+ visitors: a session of more than 10,000 seats is
# a typing mistake; a cut-off a month ahead is the longest that makes sense.
MAX_CAPACITY = 10_000
MAX_CANCELLATION_CUTOFF_HOURS = 720


class ProgrammeKind(enum.Enum):
    WORKSHOP = "workshop"
    INSIGHT_SESSION = "insight_session"
    CAREER_DAY = "career_day"  # a career day or recruitment fair
    THEMED_DRIVE = "themed_drive"
    MENTORING = "mentoring"
    LANDING_ACTIVITY = "landing_activity"  # for non-local talent settling in


class ProgrammeFormat(enum.Enum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class ProgrammeStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(enum.Enum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


LIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
_LIVE_SQL = "status IN ('registered', 'waitlisted')"


programme_universities = sa.Table(
    "programme_universities",
    db.metadata,
    sa.Column("programme_id", sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "university_id", sa.ForeignKey("universities.id", ondelete="CASCADE"), primary_key=True
    ),
)

programme_faculties = sa.Table(
    "programme_faculties",
    db.metadata,
    sa.Column("programme_id", sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("faculty_id", sa.ForeignKey("faculties.id", ondelete="CASCADE"), primary_key=True),
)


class Programme(EligibilityColumns, TimestampMixin, db.Model):
    """An event or series. Eligibility is expressed as a posting's is (the same attributes,
    foundry.eligibility, read by its rules): empty lists mean open to all."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProgrammeKind] = mapped_column(enum_column(ProgrammeKind, "programme_kind"))
    status: Mapped[ProgrammeStatus] = mapped_column(
        enum_column(ProgrammeStatus, "programme_status"), default=ProgrammeStatus.DRAFT
    )
    title_en: Mapped[str] = mapped_column(sa.String(160))
    title_zh: Mapped[str | None] = mapped_column(sa.String(160))
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str | None] = mapped_column(sa.Text)
    theme: Mapped[Theme | None] = mapped_column(enum_column(Theme, "theme"))
    # Neither set: the park organises it.
    organiser_company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="RESTRICT")
    )
    organiser_faculty_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("faculties.id", ondelete="RESTRICT")
    )
    format: Mapped[ProgrammeFormat] = mapped_column(
        enum_column(ProgrammeFormat, "programme_format")
    )
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    # Shown only to the registered (the pages that show it come with the next sessions).
    join_link: Mapped[str | None] = mapped_column(sa.String(500))
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A registered student may cancel until this many hours before their session starts.
    cancellation_cutoff_hours: Mapped[int] = mapped_column(default=24)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancellation_message: Mapped[str | None] = mapped_column(sa.String(1000))

    organiser_company = relationship("Company", lazy="joined")
    organiser_faculty = relationship("Faculty", lazy="joined")
    universities = relationship("University", secondary=programme_universities, lazy="selectin")
    faculties = relationship("Faculty", secondary=programme_faculties, lazy="selectin")
    levels: Mapped[list[ProgrammeLevel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    sessions: Mapped[list[ProgrammeSession]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="(ProgrammeSession.starts_at, ProgrammeSession.id)",
    )

    __table_args__ = (
        sa.CheckConstraint("length(trim(title_en)) > 0", name="title_not_empty"),
        sa.CheckConstraint(
            "organiser_company_id IS NULL OR organiser_faculty_id IS NULL", name="one_organiser"
        ),
        sa.CheckConstraint(
            "registration_opens_at < registration_closes_at", name="registration_window_ordered"
        ),
        sa.CheckConstraint(
            f"cancellation_cutoff_hours BETWEEN 0 AND {MAX_CANCELLATION_CUTOFF_HOURS}",
            name="cutoff_plausible",
        ),
        graduation_years_ordered(),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL", name="published_has_date"
        ),
        sa.CheckConstraint(
            "status <> 'cancelled' OR (cancelled_at IS NOT NULL"
            " AND cancellation_message IS NOT NULL)",
            name="cancelled_has_date_and_message",
        ),
        sa.Index("ix_programmes_status_kind", "status", "kind"),
        sa.Index("ix_programmes_organiser_company_id", "organiser_company_id"),
        sa.Index("ix_programmes_organiser_faculty_id", "organiser_faculty_id"),
    )

    def title(self, locale: str) -> str:
        """The title in `locale`, English when it has no Chinese one."""
        return self.title_zh if locale.startswith("zh") and self.title_zh else self.title_en

    def description(self, locale: str) -> str:
        if locale.startswith("zh") and self.description_zh:
            return self.description_zh
        return self.description_en

    def registration_is_open(self, now: datetime | None = None) -> bool:
        """Published, and inside its registration window at this moment."""
        now = now or utcnow()
        return (
            self.status is ProgrammeStatus.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
        )

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.title_en!r}>"


class ProgrammeLevel(db.Model):
    __tablename__ = "programme_levels"

    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[StudyLevel] = mapped_column(
        enum_column(StudyLevel, "study_level"), primary_key=True
    )


class ProgrammeSession(db.Model):
    """One occurrence of a programme, with its own times and seats."""

    __tablename__ = "programme_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(sa.String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column()
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    # The last registration sequence handed out; moved only under the session's row lock.
    last_sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="sessions")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(f"capacity BETWEEN 1 AND {MAX_CAPACITY}", name="capacity_plausible"),
        sa.CheckConstraint("last_sequence >= 0", name="sequence_not_negative"),
        sa.Index("ix_programme_sessions_programme_starts", "programme_id", "starts_at"),
    )

    def cancellation_closes_at(self) -> datetime:
        """When registered students can no longer give up their seat."""
        return self.starts_at - timedelta(hours=self.programme.cancellation_cutoff_hours)

    def __repr__(self) -> str:
        return f"<ProgrammeSession {self.id} of {self.programme_id}>"


class Registration(db.Model):
    """A student's place in a session: a seat, a place on the waitlist, or given up."""

    __tablename__ = "programme_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE")
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    # Arrival order within the session (the waitlist's order): handed out under its lock.
    sequence: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[ProgrammeSession] = relationship(lazy="joined")
    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_has_date"
        ),
        sa.CheckConstraint("sequence >= 1", name="sequence_positive"),
        sa.UniqueConstraint("session_id", "sequence"),
        # One live registration per student per session; cancelled ones are history.
        sa.Index(
            "uq_programme_registrations_live",
            "session_id",
            "profile_id",
            unique=True,
            postgresql_where=sa.text(_LIVE_SQL),
            sqlite_where=sa.text(_LIVE_SQL),
        ),
        sa.Index("ix_programme_registrations_session_status", "session_id", "status", "sequence"),
        sa.Index("ix_programme_registrations_profile_id", "profile_id"),
    )

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"


class CalendarFeed(db.Model):
    """A student's personal calendar feed: the secret in its URL lets a calendar app read
    every live registration without a session. The database keeps a hash to find it and
    the secret encrypted (foundry.crypto) to show it again on "my programmes"; making a
    new one replaces both, so the old URL stops working at once."""

    __tablename__ = "programme_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_encrypted: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} of {self.profile_id}>"
