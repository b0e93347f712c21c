"""Postings: roles a park company offers, their eligibility, screening questions, the
per-university approvals some universities require, and students' saved postings and
searches."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import (
    POSTGRESQL_ONLY,
    ReportFacts,
    TimestampMixin,
    UTCDateTime,
    enum_column,
    utcnow,
)
from foundry.eligibility.models import EligibilityColumns, graduation_years_ordered
from foundry.extensions import db
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel


class PostingKind(enum.Enum):
    SUMMER_INTERNSHIP = "summer_internship"
    PART_TIME_INTERNSHIP = "part_time_internship"
    YEAR_LONG_PLACEMENT = "year_long_placement"
    GRADUATE_ROLE = "graduate_role"
    RESEARCH_ASSISTANT = "research_assistant"


class WorkMode(enum.Enum):
    ON_SITE = "on_site"
    HYBRID = "hybrid"
    REMOTE = "remote"


class PayPeriod(enum.Enum):
    HOUR = "hour"
    MONTH = "month"
    YEAR = "year"


class PostingStatus(enum.Enum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class ApprovalStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


posting_universities = sa.Table(
    "posting_universities",
    db.metadata,
    sa.Column("posting_id", sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "university_id", sa.ForeignKey("universities.id", ondelete="CASCADE"), primary_key=True
    ),
)

posting_faculties = sa.Table(
    "posting_faculties",
    db.metadata,
    sa.Column("posting_id", sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("faculty_id", sa.ForeignKey("faculties.id", ondelete="CASCADE"), primary_key=True),
)

posting_skills = sa.Table(
    "posting_skills",
    db.metadata,
    sa.Column("posting_id", sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_posting_skills_skill_id", "skill_id"),
)


# The weighted document PostgreSQL searches: the title weighted A, the rest D (the default).
# Stored, so that matching, phrase checks and ranking read it instead of parsing both texts
# again for every matching row (bench/search_cjk.py); to_tsvector keeps word positions, so
# phrases (<->) are checked against it as before.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, search_title), 'A'::\"char\")"
    " || to_tsvector('english'::regconfig, search_text)"
)

# The title's own document, an expression of the small search_title column (no TOAST read).
TITLE_VECTOR_SQL = "to_tsvector('english'::regconfig, search_title)"


class Posting(EligibilityColumns, TimestampMixin, db.Model):
    """A role. Empty eligibility lists mean "open to all" (every university, faculty, level).

    `search_title` and `search_text` are the denormalised documents that full-text search
    indexes (the title; the title, description, requirements, skills and the company's
    names), in the form of search_index.index_text, refreshed by the services that save the
    posting or rename its company (PostgreSQL: `search_vector`, their weighted tsvector,
    generated from them and GIN-indexed; SQLite: an FTS5 table).
    """

    __tablename__ = "postings"
    # The report summaries count its applications by the posting's company and kind.
    __report_facts__ = ReportFacts(
        moves_breakdowns=frozenset({"kind", "company_id", "company"}), on_delete=True
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[PostingKind] = mapped_column(enum_column(PostingKind, "posting_kind"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    location: Mapped[str] = mapped_column(sa.String(160), default="")
    work_mode: Mapped[WorkMode] = mapped_column(enum_column(WorkMode, "work_mode"))
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    duration_weeks: Mapped[int | None] = mapped_column()
    pay_min_hkd: Mapped[int | None] = mapped_column()
    pay_max_hkd: Mapped[int | None] = mapped_column()
    pay_period: Mapped[PayPeriod] = mapped_column(
        enum_column(PayPeriod, "pay_period"), default=PayPeriod.MONTH
    )
    openings: Mapped[int] = mapped_column(default=1)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[PostingStatus] = mapped_column(
        enum_column(PostingStatus, "posting_status"), default=PostingStatus.DRAFT
    )
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    search_title: Mapped[str] = mapped_column(sa.Text, default="")
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    company = relationship("Company", lazy="joined")
    universities = relationship("University", secondary=posting_universities, lazy="selectin")
    faculties = relationship("Faculty", secondary=posting_faculties, lazy="selectin")
    skills = relationship("Skill", secondary=posting_skills, lazy="selectin", order_by="Skill.name")
    levels: Mapped[list[PostingLevel]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    themes: Mapped[list[PostingTheme]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    questions: Mapped[list[ScreeningQuestion]] = relationship(
        back_populates="posting",
        cascade="all, delete-orphan",
        order_by="ScreeningQuestion.position",
        lazy="selectin",
    )
    approvals: Mapped[list[PostingApproval]] = relationship(
        back_populates="posting", cascade="all, delete-orphan", lazy="selectin"
    )

    # search_vector is a column of the table, not of the mapped class: the ORM never
    # selects, writes or fetches it back, since it exists on PostgreSQL only (SQLite searches
    # its FTS5 table; CREATE TABLE leaves the column out there). Queries name it through
    # SEARCH_VECTOR below.
    __mapper_args__ = {"exclude_properties": ["search_vector"]}
    __table_args__ = (
        sa.Column(
            "search_vector",
            TSVECTOR,
            sa.Computed(SEARCH_VECTOR_SQL, persisted=True),
            info={POSTGRESQL_ONLY: True},
        ),
        sa.CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
        sa.CheckConstraint("openings >= 1", name="openings_positive"),
        sa.CheckConstraint("pay_min_hkd IS NULL OR pay_min_hkd >= 0", name="pay_min_not_negative"),
        sa.CheckConstraint(
            "pay_min_hkd IS NULL OR pay_max_hkd IS NULL OR pay_min_hkd <= pay_max_hkd",
            name="pay_range_ordered",
        ),
        sa.CheckConstraint(
            "duration_weeks IS NULL OR duration_weeks BETWEEN 1 AND 260",
            name="duration_plausible",
        ),
        graduation_years_ordered(),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL", name="published_has_date"
        ),
        sa.Index("ix_postings_company_status", "company_id", "status"),
        # Newest open first: the deadline (and the search's kind and mode filters) are in it
        # so that walking it backwards tests them on the index, which the planner prefers
        # however few open rows it guesses (migration 0014).
        sa.Index(
            "ix_postings_open_newest", "status", "published_at", "deadline", "kind", "work_mode"
        ),
        sa.Index("ix_postings_status_deadline", "status", "deadline"),
        # Full-text search on PostgreSQL; SQLite uses the FTS5 table of search_index.py.
        # Search lists published postings only, so the indexes hold only those (0021): a
        # common word then matches the open postings, not every closed one too.
        sa.Index(
            "ix_postings_search",
            "search_vector",
            postgresql_using="gin",
            postgresql_where=sa.text("status = 'published'"),
        ).ddl_if(dialect="postgresql"),
        # The title hits that relevance lists first (search.py, _order).
        sa.Index(
            "ix_postings_search_title",
            sa.text(TITLE_VECTOR_SQL),
            postgresql_using="gin",
            postgresql_where=sa.text("status = 'published'"),
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def theme_values(self) -> list[Theme]:
        return [item.theme for item in self.themes]

    def is_open_for_applications(self, now: datetime | None = None) -> bool:
        """Published and before its deadline, judged at this moment (no cron needed)."""
        return self.status is PostingStatus.PUBLISHED and (now or utcnow()) < self.deadline


SEARCH_VECTOR = Posting.__table__.c.search_vector


class PostingLevel(db.Model):
    __tablename__ = "posting_levels"

    posting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[StudyLevel] = mapped_column(
        enum_column(StudyLevel, "study_level"), primary_key=True
    )


class PostingTheme(db.Model):
    __tablename__ = "posting_themes"

    posting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[Theme] = mapped_column(enum_column(Theme, "theme"), primary_key=True)

    __table_args__ = (sa.Index("ix_posting_themes_theme", "theme"),)


class ScreeningQuestion(db.Model):
    __tablename__ = "screening_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    prompt: Mapped[str] = mapped_column(sa.String(500))
    required: Mapped[bool] = mapped_column(default=True)

    posting: Mapped[Posting] = relationship(back_populates="questions")

    __table_args__ = (sa.UniqueConstraint("posting_id", "position"),)


class PostingApproval(db.Model):
    """A university's decision on showing a posting to its students (where it asks for one)."""

    __tablename__ = "posting_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("postings.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id", ondelete="CASCADE"))
    status: Mapped[ApprovalStatus] = mapped_column(
        enum_column(ApprovalStatus, "approval_status"), default=ApprovalStatus.PENDING
    )
    comment: Mapped[str | None] = mapped_column(sa.String(1000))
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posting: Mapped[Posting] = relationship(back_populates="approvals")
    university = relationship("University", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("posting_id", "university_id"),
        sa.Index("ix_posting_approvals_university_status", "university_id", "status"),
    )


class SavedPosting(db.Model):
    __tablename__ = "saved_postings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    posting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posting = relationship("Posting", lazy="joined")

    __table_args__ = (sa.Index("ix_saved_postings_posting_id", "posting_id"),)


class SavedSearch(db.Model):
    """A student's search (its query-string parameters) with an optional alert."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    alerts_enabled: Mapped[bool] = mapped_column(default=True)
    last_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("user_id", "name"),
        sa.Index("ix_saved_searches_alerts", "alerts_enabled", "last_alerted_at"),
    )
