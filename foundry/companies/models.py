"""Park companies. Their members are role memberships scoped to the company."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from foundry.db import ReportFacts, TimestampMixin, UTCDateTime, enum_column
from foundry.extensions import db
from foundry.taxonomy import Cluster, ParkLocation


class VerificationStatus(enum.Enum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class CompanySize(enum.Enum):
    MICRO = "1-10"
    SMALL = "11-50"
    MEDIUM = "51-200"
    LARGE = "201-1000"
    ENTERPRISE = "1000+"


class Company(TimestampMixin, db.Model):
    __tablename__ = "companies"
    # Deleting a company deletes its postings' applications and its placements (in SQL).
    __report_facts__ = ReportFacts(on_delete=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    name_zh: Mapped[str | None] = mapped_column(sa.String(100))
    cluster: Mapped[Cluster] = mapped_column(enum_column(Cluster, "cluster"))
    park_location: Mapped[ParkLocation] = mapped_column(enum_column(ParkLocation, "park_location"))
    size: Mapped[CompanySize] = mapped_column(enum_column(CompanySize, "company_size"))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    founded_year: Mapped[int | None] = mapped_column()
    verification_status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "verification_status"),
        default=VerificationStatus.UNVERIFIED,
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(
            "founded_year IS NULL OR founded_year BETWEEN 1900 AND 2100",
            name="founded_year_plausible",
        ),
        sa.CheckConstraint(
            "verification_status <> 'verified' OR verified_at IS NOT NULL",
            name="verified_has_date",
        ),
        sa.Index("ix_companies_verification_cluster", "verification_status", "cluster"),
        sa.Index("ix_companies_name", "name"),
    )

    @property
    def is_verified(self) -> bool:
        return self.verification_status is VerificationStatus.VERIFIED

    def __repr__(self) -> str:
        return f"<Company {self.slug}>"
