"""Student profiles, their skills, languages and themes, and CV documents."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from foundry.db import ReportFacts, TimestampMixin, UTCDateTime, enum_column, utcnow
from foundry.extensions import db
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel


class Proficiency(enum.Enum):
    NATIVE = "native"
    FLUENT = "fluent"
    WORKING = "working"
    BASIC = "basic"


student_skills = sa.Table(
    "student_skills",
    db.metadata,
    sa.Column(
        "profile_id", sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("skill_id", sa.ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_student_skills_skill_id", "skill_id"),
)


class Skill(db.Model):
    """A skill tag, stored once in its normalised (lower-case) form."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)

    __table_args__ = (
        sa.CheckConstraint("name = lower(name)", name="name_lowercase"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )


class StudentProfile(TimestampMixin, db.Model):
    __tablename__ = "student_profiles"
    # Every summary row carries the student's cohort: changing it moves all their counts.
    __report_facts__ = ReportFacts(
        moves_breakdowns=frozenset(
            {
                "university_id",
                "university",
                "faculty_id",
                "programme_id",
                "study_level",
                "graduation_year",
                "non_local",
            }
        ),
        on_insert=True,
        on_delete=True,
        refuse_bulk_writes=True,
        # The head counts (report_student_counts) count students per cohort, talent pool
        # and whether they have a CV.
        moves_head_counts=frozenset(
            {
                "university_id",
                "university",
                "faculty_id",
                "programme_id",
                "study_level",
                "graduation_year",
                "non_local",
                "talent_pool_opt_in",
            }
        ),
        head_count_on_write=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="RESTRICT")
    )
    faculty_id: Mapped[int] = mapped_column()
    programme_id: Mapped[int | None] = mapped_column()
    student_number: Mapped[str | None] = mapped_column(sa.String(32))
    study_level: Mapped[StudyLevel] = mapped_column(enum_column(StudyLevel, "study_level"))
    graduation_year: Mapped[int] = mapped_column()
    headline: Mapped[str | None] = mapped_column(sa.String(160))
    about: Mapped[str | None] = mapped_column(sa.Text)
    linkedin_url: Mapped[str | None] = mapped_column(sa.String(300))
    github_url: Mapped[str | None] = mapped_column(sa.String(300))
    website_url: Mapped[str | None] = mapped_column(sa.String(300))
    non_local: Mapped[bool] = mapped_column(default=False)
    talent_pool_opt_in: Mapped[bool] = mapped_column(default=False)
    talent_pool_opted_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", lazy="joined")
    university = relationship("University", lazy="joined")
    faculty = relationship(
        "Faculty",
        primaryjoin="StudentProfile.faculty_id == Faculty.id",
        foreign_keys=[faculty_id],
        lazy="joined",
        viewonly=True,
    )
    programme = relationship(
        "StudyProgramme",
        primaryjoin="StudentProfile.programme_id == StudyProgramme.id",
        foreign_keys=[programme_id],
        lazy="joined",
        viewonly=True,
    )
    skills: Mapped[list[Skill]] = relationship(
        secondary=student_skills, order_by=Skill.name, lazy="selectin"
    )
    languages: Mapped[list[StudentLanguage]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="StudentLanguage.language",
        lazy="selectin",
    )
    themes: Mapped[list[StudentTheme]] = relationship(
        cascade="all, delete-orphan", order_by="StudentTheme.theme", lazy="selectin"
    )
    cvs: Mapped[list[CVDocument]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="CVDocument.uploaded_at.desc()",
    )

    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["faculty_id", "university_id"],
            ["faculties.id", "faculties.university_id"],
            name="fk_student_profiles_faculty_of_university",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id", "faculty_id"],
            ["study_programmes.id", "study_programmes.faculty_id"],
            name="fk_student_profiles_programme_of_faculty",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "graduation_year BETWEEN 1990 AND 2100", name="graduation_year_plausible"
        ),
        sa.CheckConstraint(
            "talent_pool_opt_in = false OR talent_pool_opted_in_at IS NOT NULL",
            name="opt_in_has_date",
        ),
        sa.UniqueConstraint("university_id", "student_number"),
        sa.Index("ix_student_profiles_faculty_grad", "faculty_id", "graduation_year"),
        sa.Index("ix_student_profiles_university_id", "university_id"),
        sa.Index("ix_student_profiles_programme_id", "programme_id"),
        sa.Index("ix_student_profiles_talent_pool", "talent_pool_opt_in", "graduation_year"),
    )

    @property
    def theme_values(self) -> list[Theme]:
        return [t.theme for t in self.themes]


class StudentLanguage(db.Model):
    __tablename__ = "student_languages"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    proficiency: Mapped[Proficiency] = mapped_column(enum_column(Proficiency, "proficiency"))

    profile: Mapped[StudentProfile] = relationship(back_populates="languages")


class StudentTheme(db.Model):
    __tablename__ = "student_themes"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[Theme] = mapped_column(enum_column(Theme, "theme"), primary_key=True)


class CVDocument(db.Model):
    """A CV uploaded by a student. The PDF bytes live in the database so that every app
    server sees the same file and an upload is committed with its record or not at all."""

    __tablename__ = "cv_documents"
    # A student's first CV, or their last one gone, moves them in the head counts.
    __report_facts__ = ReportFacts(
        moves_head_counts=frozenset({"profile_id", "profile"}),
        head_count_on_write=True,
        refuse_bulk_writes=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    size_bytes: Mapped[int] = mapped_column()
    page_count: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))

    profile: Mapped[StudentProfile] = relationship(back_populates="cvs")

    __table_args__ = (
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("page_count > 0", name="page_count_positive"),
        sa.Index("ix_cv_documents_profile_id", "profile_id", "uploaded_at"),
    )
