"""What each summary row is, as SQL over the raw tables: one SELECT per summary table, for
some students or for everyone. Maintenance (refreshing the students a change touched) and
the rebuild run the very same statements, so the two can never disagree on a definition.

The definitions mirror the raw queries of foundry.reports.aggregates for an academic year:
an application counts in the year it was submitted, an interview or offer in the year the
application first reached it, a placement in the year it was agreed (Hong Kong time), and
the student's cohort is their profile as it is now. A user's sign-ins count in the year they
happened: report_sign_in_years holds the first of each year, from the audit log.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.db import UTCDateTime
from foundry.messages import SIGN_IN
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.reports.aggregates import first_application_before
from foundry.reports.sql import days_between, hk_academic_year, hk_month_start
from foundry.reports.summaries.models import (
    COHORT_COLUMNS,
    FIRST_COLUMNS,
    NO_KIND,
    NO_PROGRAMME,
    OUTSIDE_THE_PARK,
    CompanyYear,
    FacultyCompanyMonth,
    FacultyCompanyYear,
    KindYear,
    MonthCounts,
    ProgrammeKindMonth,
)
from foundry.students.models import StudentProfile

# The statements for some students take their ids as this expanding parameter, so that
# each is built (and its SQL compiled) once: {PROFILE_IDS: [3, 5, 8]}.
PROFILE_IDS = "profile_ids"
USER_IDS = "user_ids"
STAGE_COUNTS = ("applications", "interviews", "offers", "placements")
STUDENT_YEAR_COLUMNS = (
    "profile_id",
    "academic_year",
    *COHORT_COLUMNS,
    *STAGE_COUNTS,
    "days_to_placement",
    *FIRST_COLUMNS,
)
# Which count each first_*_at column is the first of.
FIRST_OF = dict(zip(FIRST_COLUMNS, STAGE_COUNTS, strict=True))


def cohort_of_profile() -> list[sa.ColumnElement]:
    """StudentProfile's cohort columns as the summaries store them (unlabelled, so that
    GROUP BY repeats the expressions)."""
    return [
        StudentProfile.university_id,
        StudentProfile.faculty_id,
        # A literal, not a parameter: PostgreSQL must see the GROUP BY repeat the SELECT.
        sa.func.coalesce(StudentProfile.programme_id, sa.literal_column(str(NO_PROGRAMME))),
        StudentProfile.study_level,
        StudentProfile.graduation_year,
        StudentProfile.non_local,
    ]


def _labelled_cohort() -> list[sa.ColumnElement]:
    return [
        column.label(name) for column, name in zip(cohort_of_profile(), COHORT_COLUMNS, strict=True)
    ]


def _number(n: int) -> sa.ColumnElement[int]:
    return sa.literal_column(str(int(n)), sa.Integer)


def _only(column: sa.ColumnElement, some: bool) -> list[sa.ColumnElement[bool]]:
    """No condition for everyone; for some students, `column` in PROFILE_IDS."""
    return [column.in_(sa.bindparam(PROFILE_IDS, expanding=True))] if some else []


# --- report_student_years ---------------------------------------------------------------


def _events(some: bool) -> sa.Subquery:
    """One row per counted event: (profile_id, academic_year, the four counts, placed_at,
    at: when it happened)."""
    no_time = sa.cast(sa.null(), UTCDateTime)

    def event(profile_id, at, counts: tuple[int, ...], placed_at=no_time) -> sa.Select:
        return sa.select(
            profile_id.label("profile_id"),
            hk_academic_year(at).label("academic_year"),
            *(_number(n).label(name) for n, name in zip(counts, STAGE_COUNTS, strict=True)),
            placed_at.label("placed_at"),
            at.label("at"),
        )

    applications = _only(Application.profile_id, some)
    return sa.union_all(
        event(Application.profile_id, Application.submitted_at, (1, 0, 0, 0)).where(*applications),
        event(Application.profile_id, Application.interviewed_at, (0, 1, 0, 0)).where(
            Application.interviewed_at.is_not(None), *applications
        ),
        event(Application.profile_id, Application.offered_at, (0, 0, 1, 0)).where(
            Application.offered_at.is_not(None), *applications
        ),
        event(Placement.profile_id, Placement.placed_at, (0, 0, 0, 1), Placement.placed_at).where(
            *_only(Placement.profile_id, some)
        ),
    ).subquery("events")


def student_years(some: bool = False) -> sa.Select:
    """The report_student_years rows of every student, or of the students in PROFILE_IDS,
    with the columns of STUDENT_YEAR_COLUMNS in that order."""
    events = _events(some)
    per_year = (
        sa.select(
            events.c.profile_id,
            events.c.academic_year,
            *(sa.func.sum(events.c[name]).label(name) for name in STAGE_COUNTS),
            *(
                sa.func.min(sa.case((events.c[count] > 0, events.c.at))).label(first)
                for first, count in FIRST_OF.items()
            ),
        )
        .group_by(events.c.profile_id, events.c.academic_year)
        .subquery("per_year")
    )
    first_application = first_application_before(per_year.c.profile_id, per_year.c.first_placed_at)
    return sa.select(
        per_year.c.profile_id,
        per_year.c.academic_year,
        *_labelled_cohort(),
        *(per_year.c[name] for name in STAGE_COUNTS),
        days_between(per_year.c.first_placed_at, first_application).label("days_to_placement"),
        *(sa.type_coerce(per_year.c[first], UTCDateTime).label(first) for first in FIRST_COLUMNS),
    ).join(StudentProfile, StudentProfile.id == per_year.c.profile_id)


# --- report_sign_in_years -----------------------------------------------------------------

SIGN_IN_YEAR_COLUMNS = ("user_id", "academic_year", "first_signed_in_at")


def sign_in_years() -> sa.Select:
    """The report_sign_in_years rows: each user's first sign-in of each academic year in the
    audit log, with the columns of SIGN_IN_YEAR_COLUMNS in that order."""
    year = hk_academic_year(AuditEvent.occurred_at)
    return (
        sa.select(
            AuditEvent.actor_id,
            year.label("academic_year"),
            sa.type_coerce(sa.func.min(AuditEvent.occurred_at), UTCDateTime).label(
                "first_signed_in_at"
            ),
        )
        .where(AuditEvent.action == SIGN_IN, AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.actor_id, year)
    )


# --- the breakdowns ---------------------------------------------------------------------


def _facts(some: bool) -> sa.Subquery:
    """One row per application and per placement with every key a breakdown groups by."""
    applications = (
        sa.select(
            Application.profile_id.label("profile_id"),
            hk_academic_year(Application.submitted_at).label("academic_year"),
            Posting.company_id.label("company_id"),  # as the raw breakdowns count it
            sa.type_coerce(Posting.kind, sa.String).label("kind"),
            hk_month_start(Application.submitted_at).label("month"),
            _number(1).label("applications"),
            _number(0).label("placements"),
        )
        .join(Posting, Posting.id == Application.posting_id)
        .where(*_only(Application.profile_id, some))
    )
    placements = sa.select(
        Placement.profile_id,
        hk_academic_year(Placement.placed_at),
        sa.func.coalesce(Placement.company_id, OUTSIDE_THE_PARK),
        sa.func.coalesce(sa.type_coerce(Placement.kind, sa.String), NO_KIND),
        hk_month_start(Placement.placed_at),
        _number(0),
        _number(1),
    ).where(*_only(Placement.profile_id, some))
    return sa.union_all(applications, placements).subquery("facts")


# The columns that identify a row of each breakdown table (its unique key).
BREAKDOWN_KEYS = {
    CompanyYear: ("academic_year", *COHORT_COLUMNS, "company_id"),
    KindYear: ("academic_year", *COHORT_COLUMNS, "kind"),
    MonthCounts: ("academic_year", *COHORT_COLUMNS, "month"),
    FacultyCompanyYear: ("academic_year", "university_id", "faculty_id", "company_id"),
    FacultyCompanyMonth: ("academic_year", "university_id", "faculty_id", "month", "company_id"),
    ProgrammeKindMonth: (
        "academic_year",
        "university_id",
        "faculty_id",
        "month",
        "programme_id",
        "kind",
    ),
}


def breakdown_key_columns(table) -> tuple[str, ...]:
    return BREAKDOWN_KEYS[table]


def breakdown_rows(table) -> sa.Select:
    """Every row of a breakdown table: its key columns, then applications and placements."""
    facts = _facts(some=False)
    columns = {
        "academic_year": facts.c.academic_year,
        **dict(zip(COHORT_COLUMNS, cohort_of_profile(), strict=True)),
        "company_id": facts.c.company_id,
        "kind": facts.c.kind,
        "month": _month_as_date(facts.c.month),
    }
    key = [columns[name] for name in breakdown_key_columns(table)]
    return (
        sa.select(
            *(column.label(name) for column, name in zip(key, BREAKDOWN_KEYS[table], strict=True)),
            sa.func.sum(facts.c.applications).label("applications"),
            sa.func.sum(facts.c.placements).label("placements"),
        )
        .join(StudentProfile, StudentProfile.id == facts.c.profile_id)
        .group_by(*key)
    )


def facts_of_students() -> sa.Select:
    """Each application and placement of the students in PROFILE_IDS with every breakdown
    key (academic_year, the cohort, company_id, kind, month), applications and placements:
    what those students make up of the breakdown tables, before it is added up."""
    facts = _facts(some=True)
    return sa.select(
        facts.c.academic_year,
        *_labelled_cohort(),
        facts.c.company_id,
        facts.c.kind,
        _month_as_date(facts.c.month).label("month"),
        facts.c.applications,
        facts.c.placements,
    ).join(StudentProfile, StudentProfile.id == facts.c.profile_id)


def _month_as_date(column: sa.ColumnElement) -> sa.ColumnElement:
    """SQLite gives the month as the text "YYYY-MM-01": read it as a date on both."""
    return sa.type_coerce(column, sa.Date)


def profiles_of_users() -> sa.Select:
    """(profile id, user id) of the students whose users are in USER_IDS."""
    return sa.select(StudentProfile.id, StudentProfile.user_id).where(
        StudentProfile.user_id.in_(sa.bindparam(USER_IDS, expanding=True))
    )


def profiles_applied_to(posting_ids: Collection[int]) -> sa.Select:
    return sa.select(Application.profile_id).where(Application.posting_id.in_(sorted(posting_ids)))


def profiles_of_companies(company_ids: Collection[int]) -> sa.Select:
    ids = sorted(company_ids)
    return sa.union(
        sa.select(Application.profile_id)
        .join(Posting, Posting.id == Application.posting_id)
        .where(Posting.company_id.in_(ids)),
        sa.select(Placement.profile_id).where(Placement.company_id.in_(ids)),
    )
