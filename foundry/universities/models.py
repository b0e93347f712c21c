"""Universities, their e-mail domains, faculties and programmes of study."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import TimestampMixin, enum_column
from foundry.extensions import db


class StudyLevel(enum.Enum):
    UG = "ug"
    PG = "pg"
    PHD = "phd"


class University(TimestampMixin, db.Model):
    __tablename__ = "universities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    enabled: Mapped[bool] = mapped_column(default=True)
    # When set, a published posting shows to this university's students only once one of
    # its placement officers (or its coordinator) approves it.
    posting_approval_required: Mapped[bool] = mapped_column(default=False)

    domains: Mapped[list[UniversityDomain]] = relationship(
        back_populates="university",
        cascade="all, delete-orphan",
        order_by="UniversityDomain.domain",
    )
    faculties: Mapped[list[Faculty]] = relationship(
        back_populates="university", order_by="Faculty.name_en"
    )

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en

    def __repr__(self) -> str:
        return f"<University {self.code}>"


class UniversityDomain(db.Model):
    """An e-mail domain whose addresses belong to the university (e.g. connect.ust.hk)."""

    __tablename__ = "university_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(sa.String(253), unique=True)

    university: Mapped[University] = relationship(back_populates="domains")

    __table_args__ = (sa.CheckConstraint("domain = lower(domain)", name="domain_lowercase"),)


class Faculty(TimestampMixin, db.Model):
    __tablename__ = "faculties"

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(32))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(100))

    university: Mapped[University] = relationship(back_populates="faculties")
    programmes: Mapped[list[StudyProgramme]] = relationship(
        back_populates="faculty", order_by="StudyProgramme.name_en"
    )

    # (id, university_id) is referenced by rows that must name a faculty of their university.
    __table_args__ = (
        sa.UniqueConstraint("university_id", "code"),
        sa.UniqueConstraint("id", "university_id"),
    )

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en

    def __repr__(self) -> str:
        return f"<Faculty {self.code}>"


class StudyProgramme(TimestampMixin, db.Model):
    __tablename__ = "study_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    faculty_id: Mapped[int] = mapped_column(
        sa.ForeignKey("faculties.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(32))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    level: Mapped[StudyLevel] = mapped_column(enum_column(StudyLevel, "study_level"))

    faculty: Mapped[Faculty] = relationship(back_populates="programmes")

    __table_args__ = (
        sa.UniqueConstraint("faculty_id", "code"),
        sa.UniqueConstraint("id", "faculty_id"),
    )

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en
