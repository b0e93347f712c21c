"""Applications with their frozen CV and answers, their history, recruiters' private notes,
interview slots and offers."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from foundry.db import ReportFacts, UTCDateTime, enum_column, utcnow
from foundry.extensions import db


class ApplicationStatus(enum.Enum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    OFFER = "offer"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Application(db.Model):
    """One student's application to one posting, with a copy of what they sent."""

    __tablename__ = "applications"
    # The report summaries count when it was sent (to which posting's company and kind)
    # and when it first reached an interview and an offer.
    __report_facts__ = ReportFacts(
        moves_breakdowns=frozenset(
            {"profile_id", "profile", "posting_id", "posting", "submitted_at"}
        ),
        moves_students=frozenset({"interviewed_at", "offered_at"}),
        on_insert=True,
        on_delete=True,
        refuse_bulk_writes=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    # Copied from the posting so that company-scoped lists need no join.
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED
    )
    cover_letter: Mapped[str] = mapped_column(sa.Text, default="")
    answers: Mapped[list] = mapped_column(sa.JSON, default=list)
    cv_title: Mapped[str] = mapped_column(sa.String(120))
    cv_filename: Mapped[str] = mapped_column(sa.String(255))
    cv_size_bytes: Mapped[int] = mapped_column()
    cv_page_count: Mapped[int] = mapped_column()
    cv_sha256: Mapped[str] = mapped_column(sa.String(64))
    cv_content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the application first reached an interview and an offer (kept even if it moved
    # on or was later rejected or withdrawn), so placement reports need no history scan.
    interviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    posting = relationship("Posting", lazy="joined")
    profile = relationship("StudentProfile", lazy="joined")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationEvent.created_at",
    )

    __table_args__ = (
        sa.UniqueConstraint("posting_id", "profile_id"),
        sa.CheckConstraint("length(cover_letter) <= 10000", name="cover_letter_length"),
        sa.Index("ix_applications_posting_status", "posting_id", "status"),
        # INCLUDE (PostgreSQL): the dashboard's per-student probes read no table rows.
        sa.Index(
            "ix_applications_profile_id",
            "profile_id",
            "submitted_at",
            postgresql_include=["posting_id", "interviewed_at", "offered_at"],
        ),
        sa.Index("ix_applications_company_status", "company_id", "status"),
        # Placement reports: applications of a period, then joined to the student.
        sa.Index(
            "ix_applications_submitted_at",
            "submitted_at",
            "profile_id",
            postgresql_include=["posting_id"],
        ),
        sa.Index("ix_applications_interviewed_at", "interviewed_at", "profile_id"),
        sa.Index("ix_applications_offered_at", "offered_at", "profile_id"),
    )


class ApplicationEvent(db.Model):
    """A change of status (or a message) in an application's history, shown to the student."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column(ApplicationStatus, "from_status")
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "to_status")
    )
    message: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")
    actor = relationship("User", lazy="joined")

    __table_args__ = (
        sa.Index("ix_application_events_application", "application_id", "created_at"),
    )


class ApplicationNote(db.Model):
    """A recruiter's private note: seen only by members of the company."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("length(body) BETWEEN 1 AND 5000", name="body_length"),
        sa.Index("ix_application_notes_application", "application_id", "created_at"),
    )


class InterviewSlot(db.Model):
    """A time the recruiter proposes; the student picks one (chosen_at is then set)."""

    __tablename__ = "interview_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=45)
    location: Mapped[str] = mapped_column(sa.String(300))
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint("duration_minutes BETWEEN 10 AND 480", name="duration_plausible"),
        sa.Index("ix_interview_slots_application", "application_id", "starts_at"),
    )


class Offer(db.Model):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    terms: Mapped[str] = mapped_column(sa.Text)
    pay_hkd: Mapped[int | None] = mapped_column()
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    respond_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("pay_hkd IS NULL OR pay_hkd >= 0", name="pay_not_negative"),
        sa.CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name="dates_ordered",
        ),
    )
