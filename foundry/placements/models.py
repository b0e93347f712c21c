"""Placements, graduate outcomes and supervisors' evaluations: what deans report on."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import ReportFacts, UTCDateTime, enum_column, utcnow
from foundry.extensions import db
from foundry.postings.models import PostingKind


class PlacementSource(enum.Enum):
    PORTAL = "portal"  # an offer accepted on Talent Foundry
    RECORDED = "recorded"  # recorded by faculty staff from outside the portal


class PlacementCompletion(enum.Enum):
    ONGOING = "ongoing"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


class Placement(db.Model):
    __tablename__ = "placements"
    # The report summaries count when it was agreed, with which company and of which kind.
    __report_facts__ = ReportFacts(
        moves_breakdowns=frozenset(
            {"profile_id", "profile", "company_id", "company", "kind", "placed_at"}
        ),
        on_insert=True,
        on_delete=True,
        refuse_bulk_writes=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="SET NULL"), unique=True
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    # A park company, or (recorded placements only) an employer outside the park by name.
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE")
    )
    employer_name: Mapped[str | None] = mapped_column(sa.String(200))
    posting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="SET NULL")
    )
    # The posting's kind (copied, so reports group without a join) or the staff's choice.
    kind: Mapped[PostingKind | None] = mapped_column(enum_column(PostingKind, "posting_kind"))
    role_title: Mapped[str | None] = mapped_column(sa.String(200))
    source: Mapped[PlacementSource] = mapped_column(
        enum_column(PlacementSource, "placement_source"),
        default=PlacementSource.PORTAL,
        server_default=PlacementSource.PORTAL.value,
    )
    # When the placement was agreed: the offer's acceptance, or the date staff record.
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    confirmed_by_student_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion: Mapped[PlacementCompletion] = mapped_column(
        enum_column(PlacementCompletion, "placement_completion"),
        default=PlacementCompletion.ONGOING,
        server_default=PlacementCompletion.ONGOING.value,
    )
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    supervisor_name: Mapped[str | None] = mapped_column(sa.String(120))
    supervisor_email: Mapped[str | None] = mapped_column(sa.String(254))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile = relationship("StudentProfile", lazy="joined")
    company = relationship("Company", lazy="joined")
    posting = relationship("Posting")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    evaluations: Mapped[list[PlacementEvaluation]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="PlacementEvaluation.id",
    )

    __table_args__ = (
        sa.CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name="dates_ordered",
        ),
        sa.CheckConstraint(
            "company_id IS NOT NULL OR employer_name IS NOT NULL", name="names_employer"
        ),
        sa.CheckConstraint(
            f"source <> '{PlacementSource.PORTAL.value}' OR company_id IS NOT NULL",
            name="portal_placement_has_company",
        ),
        sa.CheckConstraint(
            "completion <> 'ongoing' OR completed_on IS NULL", name="ongoing_not_completed"
        ),
        sa.Index("ix_placements_profile_id", "profile_id"),
        sa.Index("ix_placements_company_id", "company_id"),
        sa.Index("ix_placements_placed_at", "placed_at", "profile_id"),
    )

    @property
    def employer(self) -> str:
        return self.company.name if self.company is not None else (self.employer_name or "")


class EvaluationStage(enum.Enum):
    MID_TERM = "mid_term"
    FINAL = "final"


class PlacementEvaluation(db.Model):
    """A supervisor's short evaluation of a placement, asked for by a single-use link sent
    to the supervisor (who needs no account). Only the SHA-256 of the link's token is kept."""

    __tablename__ = "placement_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[EvaluationStage] = mapped_column(enum_column(EvaluationStage, "evaluation_stage"))
    supervisor_name: Mapped[str] = mapped_column(sa.String(120))
    supervisor_email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answers: 1 (poor) to 5 (excellent), and words.
    rating_overall: Mapped[int | None] = mapped_column()
    rating_technical: Mapped[int | None] = mapped_column()
    rating_professional: Mapped[int | None] = mapped_column()
    rating_communication: Mapped[int | None] = mapped_column()
    strengths: Mapped[str | None] = mapped_column(sa.Text)
    improvements: Mapped[str | None] = mapped_column(sa.Text)
    would_host_again: Mapped[bool | None] = mapped_column()

    placement: Mapped[Placement] = relationship(back_populates="evaluations")
    requested_by = relationship("User", foreign_keys=[requested_by_id])

    __table_args__ = (
        sa.UniqueConstraint("placement_id", "stage"),
        sa.CheckConstraint("supervisor_email = lower(supervisor_email)", name="email_lowercase"),
        *(
            sa.CheckConstraint(f"{column} IS NULL OR {column} BETWEEN 1 AND 5", name=column)
            for column in (
                "rating_overall",
                "rating_technical",
                "rating_professional",
                "rating_communication",
            )
        ),
        sa.CheckConstraint(
            "submitted_at IS NULL OR rating_overall IS NOT NULL", name="submitted_has_rating"
        ),
    )


class Outcome(enum.Enum):
    """NACE first-destination categories (unknown is the absence of a record)."""

    EMPLOYED_FULL_TIME = "employed_full_time"
    EMPLOYED_PART_TIME = "employed_part_time"
    SELF_EMPLOYED = "self_employed"
    POSTGRAD_INTERNSHIP = "postgrad_internship"
    CONTINUING_EDUCATION = "continuing_education"
    SEEKING = "seeking"
    NOT_SEEKING = "not_seeking"


# Counted as a positive career outcome (NACE): any employment, or further study.
CAREER_OUTCOMES = frozenset(
    {
        Outcome.EMPLOYED_FULL_TIME,
        Outcome.EMPLOYED_PART_TIME,
        Outcome.SELF_EMPLOYED,
        Outcome.POSTGRAD_INTERNSHIP,
        Outcome.CONTINUING_EDUCATION,
    }
)


class GraduateOutcome(db.Model):
    """A graduate's first destination as recorded by faculty staff (from a survey, the
    employer, LinkedIn...): it takes precedence over what portal placements suggest."""

    __tablename__ = "graduate_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "graduate_outcome"))
    employer_name: Mapped[str | None] = mapped_column(sa.String(200))
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="SET NULL")
    )
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    institution: Mapped[str | None] = mapped_column(sa.String(200))
    # Where staff learnt it, e.g. "graduate survey", "employer", "LinkedIn".
    found_via: Mapped[str] = mapped_column(sa.String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    profile = relationship("StudentProfile")
    company = relationship("Company")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
