"""Placements: what deans report on, created when a student accepts an offer."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import UTCDateTime, utcnow
from foundry.extensions import db


class Placement(db.Model):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="SET NULL"), unique=True
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    posting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("postings.id", ondelete="SET NULL")
    )
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    confirmed_by_student_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile = relationship("StudentProfile", lazy="joined")
    company = relationship("Company", lazy="joined")
    posting = relationship("Posting")

    __table_args__ = (
        sa.CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name="dates_ordered",
        ),
        sa.Index("ix_placements_profile_id", "profile_id"),
        sa.Index("ix_placements_company_id", "company_id"),
    )
