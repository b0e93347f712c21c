"""The tables of the report summaries (see foundry.reports.summaries): derived data, kept in
step with the raw applications, placements, sign-ins and student profiles, and rebuilt from
them by `flask reports rebuild-summaries`.

Every row carries the student's cohort, copied from their profile, so that the viewer's
scope and the cohort filter apply to a summary exactly as they apply to StudentProfile
(ReportScope.conditions(columns=...)). "Not known" is 0 (programme, company) or "none"
(kind) rather than NULL, so every key column can take part in the unique key that upserts
conflict on, on both engines.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from foundry.db import UTCDateTime, enum_column
from foundry.extensions import db
from foundry.universities.models import StudyLevel

NO_PROGRAMME = 0
OUTSIDE_THE_PARK = 0  # company_id of a placement with an employer outside the park
NO_KIND = "none"

# When a student first applied, was interviewed, was offered and was placed, within an
# academic year (report_student_years). When they first signed in is in SignInYear.
FIRST_COLUMNS = (
    "first_applied_at",
    "first_interviewed_at",
    "first_offered_at",
    "first_placed_at",
)
COHORT_COLUMNS = (
    "university_id",
    "faculty_id",
    "programme_id",
    "study_level",
    "graduation_year",
    "non_local",
)


class Cohort:
    """The cohort columns of StudentProfile, as of the last change to the student."""

    university_id: Mapped[int] = mapped_column()
    faculty_id: Mapped[int] = mapped_column()
    programme_id: Mapped[int] = mapped_column()  # NO_PROGRAMME when none
    study_level: Mapped[StudyLevel] = mapped_column(enum_column(StudyLevel, "study_level"))
    graduation_year: Mapped[int] = mapped_column(sa.SmallInteger)
    non_local: Mapped[bool] = mapped_column()


class StudentYear(Cohort, db.Model):
    """One student in one academic year in which they applied, were interviewed, offered
    or placed: how many applications they sent, interviews and offers they reached and
    placements they agreed, when each first happened in the year (so that the first days of
    a year, to any day, count from these rows too), and the days from their first
    application within the 365 days before their first placement of the year to that
    placement. (Sign-ins are in SignInYear: a sign-in does not touch these rows.)"""

    __tablename__ = "report_student_years"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    applications: Mapped[int] = mapped_column()
    interviews: Mapped[int] = mapped_column()
    offers: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()
    days_to_placement: Mapped[float | None] = mapped_column(sa.Float)
    first_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_interviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # The dashboard reads a year's rows of a university or faculty from the index alone
        # on PostgreSQL: every other column it tests or counts rides along.
        sa.Index(
            "ix_report_student_years_scope",
            "academic_year",
            "university_id",
            "faculty_id",
            postgresql_include=[
                "programme_id",
                "study_level",
                "graduation_year",
                "non_local",
                "applications",
                "interviews",
                "offers",
                "placements",
                "days_to_placement",
                *FIRST_COLUMNS,
            ],
        ),
        # The median reads the placed students only, in order of their days.
        sa.Index(
            "ix_report_student_years_placed",
            "academic_year",
            "days_to_placement",
            postgresql_where=sa.text("days_to_placement IS NOT NULL"),
            sqlite_where=sa.text("days_to_placement IS NOT NULL"),
            postgresql_include=[*COHORT_COLUMNS, "first_placed_at"],
        ),
    )


class SignInYear(db.Model):
    """A user who signed in during an academic year (Hong Kong time), and when they first
    did in it: what the dashboard's "active" figure counts besides applications.

    Written where the sign-in happens (accounts.services.sign_in, through
    foundry.reports.summaries.sign_ins.count_sign_in) by an insert that does nothing when
    the row is there already: a sign-in locks no student and recomputes no summary. Kept
    per user, not per student, so that a student whose profile is made after they signed
    in counts from those sign-ins (the dashboard joins the profiles). Its definition is the
    audit log's sign-ins (foundry.messages.SIGN_IN), which the summaries' check compares it
    with."""

    __tablename__ = "report_sign_in_years"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    first_signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        # The dashboard reads a year's rows (and the first time, for the same days of the
        # year before) from the index alone on PostgreSQL.
        sa.Index(
            "ix_report_sign_in_years_year",
            "academic_year",
            "user_id",
            postgresql_include=["first_signed_in_at"],
        ),
    )


def _counted(table: str, *key: str) -> tuple:
    """The unique key (year, cohort, `key`) and the non-negative counts of a breakdown. On
    PostgreSQL the key's index carries the counts too, so the dashboard reads no table
    rows (an index-only scan of the viewer's university or faculty)."""
    return (
        sa.UniqueConstraint(
            *key,
            name=f"uq_{table}_key",
            postgresql_include=["applications", "placements"],
        ),
        sa.CheckConstraint("applications >= 0 AND placements >= 0", name="counts_not_negative"),
    )


class CompanyYear(Cohort, db.Model):
    """Applications sent to a company and placements agreed with it, per academic year and
    cohort; company OUTSIDE_THE_PARK for placements with an employer outside the park."""

    __tablename__ = "report_company_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    company_id: Mapped[int] = mapped_column()
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted(
        "report_company_years", "academic_year", *COHORT_COLUMNS, "company_id"
    )


class KindYear(Cohort, db.Model):
    """Applications and placements per academic year, cohort and kind of posting
    (NO_KIND for a placement recorded without one)."""

    __tablename__ = "report_kind_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    kind: Mapped[str] = mapped_column(sa.String(32))
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted("report_kind_years", "academic_year", *COHORT_COLUMNS, "kind")


class MonthCounts(Cohort, db.Model):
    """Applications and placements per calendar month (Hong Kong time, as its first day)
    and cohort."""

    __tablename__ = "report_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    month: Mapped[date] = mapped_column(sa.Date)
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted("report_months", "academic_year", *COHORT_COLUMNS, "month")


class FacultyCompanyYear(db.Model):
    """CompanyYear added up over programme, level, graduation year and origin: what a
    dashboard reads when its cohort is whole faculties or universities (the default of
    every viewer), tens of thousands of rows where CompanyYear has hundreds of thousands."""

    __tablename__ = "report_faculty_company_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    university_id: Mapped[int] = mapped_column()
    faculty_id: Mapped[int] = mapped_column()
    company_id: Mapped[int] = mapped_column()
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted(
        "report_faculty_company_years", "academic_year", "university_id", "faculty_id", "company_id"
    )


class FacultyCompanyMonth(db.Model):
    """FacultyCompanyYear per calendar month (Hong Kong time, as its first day): the
    dashboard of the year so far reads the same days of the year before from these rows,
    whole months, and from the raw rows only for the month the cut falls in."""

    __tablename__ = "report_faculty_company_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    month: Mapped[date] = mapped_column(sa.Date)
    university_id: Mapped[int] = mapped_column()
    faculty_id: Mapped[int] = mapped_column()
    company_id: Mapped[int] = mapped_column()
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted(
        "report_faculty_company_months",
        "academic_year",
        "university_id",
        "faculty_id",
        "month",
        "company_id",
    )


class ProgrammeKindMonth(db.Model):
    """KindYear added up over level, graduation year and origin, per calendar month: the
    kinds and programmes of the same days of the year before, as FacultyCompanyMonth."""

    __tablename__ = "report_programme_kind_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(sa.SmallInteger)
    month: Mapped[date] = mapped_column(sa.Date)
    university_id: Mapped[int] = mapped_column()
    faculty_id: Mapped[int] = mapped_column()
    programme_id: Mapped[int] = mapped_column()  # NO_PROGRAMME when none
    kind: Mapped[str] = mapped_column(sa.String(32))
    applications: Mapped[int] = mapped_column()
    placements: Mapped[int] = mapped_column()

    __table_args__ = _counted(
        "report_programme_kind_months",
        "academic_year",
        "university_id",
        "faculty_id",
        "month",
        "programme_id",
        "kind",
    )


class StudentCounts(Cohort, db.Model):
    """How many students a cohort has, by whether they joined the talent pool and have a
    CV: what the faculty and university home pages and the park admin's figures add up,
    a few hundred rows for a university where its profiles are tens of thousands. Kept by
    foundry.reports.summaries.head_counts at every flush (a student's row is read before
    and after, and the difference added)."""

    __tablename__ = "report_student_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_pool: Mapped[bool] = mapped_column()
    with_cv: Mapped[bool] = mapped_column()
    students: Mapped[int] = mapped_column()

    __table_args__ = (
        # Whatever of the cohort a page groups by, it reads the index alone on PostgreSQL.
        sa.UniqueConstraint(
            *COHORT_COLUMNS,
            "talent_pool",
            "with_cv",
            name="uq_report_student_counts_key",
            postgresql_include=["students"],
        ),
        sa.CheckConstraint("students >= 0", name="students_not_negative"),
    )


BREAKDOWN_TABLES: tuple[type, ...] = (
    CompanyYear,
    KindYear,
    MonthCounts,
    FacultyCompanyYear,
    FacultyCompanyMonth,
    ProgrammeKindMonth,
)
ALL_TABLES = (StudentYear, *BREAKDOWN_TABLES, SignInYear, StudentCounts)
