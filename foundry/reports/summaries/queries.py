"""The placement dashboard's statements for an academic year against the one before, read
from the summaries instead of the raw rows: the same results as foundry.reports.aggregates
(tests/reports compare the two), a few thousand summary rows read instead of hundreds of
thousands of applications and sign-ins at park scale (bench/dashboard.py).

The current academic year is the year so far (ReportFilter.to_today), compared with the
same days of the year before. The year so far is the summaries' row of the year: nothing
is stamped after now (the portal stamps events when they happen, and a placement recorded
by staff cannot be agreed in the future). For the same days of the year before:
- students per stage and the median come from report_student_years too: each row keeps
  when the student first applied, was interviewed, offered and placed that year (and
  report_sign_in_years when they first signed in), so a student counts in the first days
  of the year when that first time falls in them (and their first placement in them is
  their first of the year);
- the breakdowns (company, kind, programme, month) are kept per whole year, and for whole
  faculties (every viewer's default) per calendar month too (report_faculty_company_months,
  report_programme_kind_months, report_months): the whole months before the cut come from
  those, and the raw rows only for the days of the month the cut falls in (or, past its
  middle, the month whole less the raw rows of its days from the cut on): at most half a
  month of raw rows. For a cohort narrower than whole faculties the year's rows stand in
  for the months: the raw rows of those days, or once the cut is past the middle of the
  year the summaries' whole year less the raw rows of the rest: at most half a year. In
  the same statement as the summaries either way: still three statements a page.
"""

from __future__ import annotations

import sqlalchemy as sa

from foundry.companies.models import Company
from foundry.extensions import db
from foundry.reports.aggregates import STAGES, TOP_COMPANIES, clusters_of, middles, totals
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.sources import (
    BreakdownCounts,
    Middles,
    StageCount,
    breakdown_rows,
    middles_row,
    stage_rows,
)
from foundry.reports.summaries.models import (
    NO_PROGRAMME,
    CompanyYear,
    FacultyCompanyMonth,
    FacultyCompanyYear,
    KindYear,
    MonthCounts,
    ProgrammeKindMonth,
    SignInYear,
    StudentYear,
)
from foundry.reports.summaries.same_days import SameDays, same_days_of
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyProgramme

SUM_NAMES = ("apps", "places", "apps_prev", "places_prev")


def _years(f: ReportFilter) -> tuple[int, int]:
    if f.academic_year is None:
        raise ValueError("the summaries hold academic years only")
    if f.part_of_year and not f.to_today:
        raise ValueError("the summaries hold whole academic years and the year so far only")
    return f.academic_year, f.academic_year - 1


def _previous_from_raw(f: ReportFilter) -> bool:
    """The period compared with is the first days of a year: its breakdowns come from the
    raw rows of those days."""
    return f.previous().part_of_year


def _in_scope(
    table, f: ReportFilter, scope: ReportScope, both_years: bool = True
) -> list[sa.ColumnElement[bool]]:
    """The rows of the viewer's scope and the filter's cohort, of the year and the year
    before (or of the year alone)."""
    years = _years(f) if both_years else _years(f)[:1]
    return [table.academic_year.in_(years), *student_conditions(f, scope, table)]


def _before_cut(f: ReportFilter, first_column) -> sa.ColumnElement[bool]:
    """In the year before, within the period compared with: the student's first such event
    of the year falls before its end (always so for a whole year)."""
    if not f.previous().part_of_year:
        return sa.true()
    return first_column < f.previous().end


def stage_counts(f: ReportFilter, scope: ReportScope) -> dict[str, tuple[int, int]]:
    """Distinct students per stage in the academic year (or the year so far) and the one
    before (or its same days): one statement over report_student_years and, for "active"
    (applied or signed in), report_sign_in_years. The same days count the students whose
    first event of that stage in the year came before the cut."""
    t = StudentYear
    this_year, year_before = _years(f)
    reached = {
        "applied": t.applications > 0,
        "interviewed": t.interviews > 0,
        "offered": t.offers > 0,
        "placed": t.placements > 0,
    }
    before = {
        "applied": _before_cut(f, t.first_applied_at),
        "interviewed": _before_cut(f, t.first_interviewed_at),
        "offered": _before_cut(f, t.first_offered_at),
        "placed": _before_cut(f, t.first_placed_at),
    }

    def this(stage: str) -> sa.ColumnElement[int]:
        return sa.func.count().filter(t.academic_year == this_year, reached[stage])

    def the_year_before(stage: str) -> sa.ColumnElement[int]:
        return sa.func.count().filter(t.academic_year == year_before, reached[stage], before[stage])

    stages = sa.select(
        *(this(k).label(f"{k}_now") for k in reached),
        *(the_year_before(k).label(f"{k}_before") for k in reached),
    ).where(*_in_scope(t, f, scope))
    signed_in = _signed_in_only(f, scope)
    stages, signed_in = stages.subquery("stages"), signed_in.subquery("signed_in_only")
    row = (
        db.session.execute(
            sa.select(stages, signed_in).select_from(stages.join(signed_in, sa.true()))
        )
        .one()
        ._mapping
    )
    counts = {key: (int(row[f"{key}_now"]), int(row[f"{key}_before"])) for key in reached}
    counts["active"] = (
        counts["applied"][0] + int(row["signed_in_now"]),
        counts["applied"][1] + int(row["signed_in_before"]),
    )
    return {key: counts[key] for key in STAGES}


def _signed_in_only(f: ReportFilter, scope: ReportScope) -> sa.Select:
    """The students of the scope and cohort who signed in in the year, and in the year
    before (before the cut), without applying in it: one pass over their profiles, each
    looked up in the users who signed in that year (report_sign_in_years) and in that
    year's applicants (report_student_years), two small hashed sets per year. With the
    applicants, the "active" students (the raw rows count them the same way,
    foundry.reports.aggregates.stage_columns)."""
    s, t = SignInYear, StudentYear
    this_year, year_before = _years(f)

    def signed_in_without_applying(year: int, cut) -> sa.ColumnElement[bool]:
        signed_in = sa.select(s.user_id).where(s.academic_year == year, cut(s.first_signed_in_at))
        applicants = sa.select(t.profile_id).where(
            t.academic_year == year,
            t.applications > 0,
            cut(t.first_applied_at),
            *student_conditions(f, scope, t),  # their cohort is the profile's
        )
        return sa.and_(StudentProfile.user_id.in_(signed_in), StudentProfile.id.not_in(applicants))

    def whole(column) -> sa.ColumnElement[bool]:
        return sa.true()

    return sa.select(
        sa.func.count().filter(signed_in_without_applying(this_year, whole)).label("signed_in_now"),
        sa.func.count()
        .filter(signed_in_without_applying(year_before, lambda column: _before_cut(f, column)))
        .label("signed_in_before"),
    ).where(*student_conditions(f, scope))


def median_middles(f: ReportFilter, scope: ReportScope) -> dict[bool, list[float]]:
    """The middle one or two of the placed students' days to placement, for the year
    (True) and the year before (False), from the placed students' rows only. In the same
    days of the year before, a student's first placement in them is their first of the
    year: their days_to_placement when it came before the cut."""
    t = StudentYear
    placed = (
        sa.select(t.academic_year, t.days_to_placement)
        .where(
            t.days_to_placement.is_not(None),
            *_in_scope(t, f, scope),
            (t.academic_year == f.academic_year) | _before_cut(f, t.first_placed_at),
        )
        .subquery("placed")
    )
    return middles(
        placed.c.academic_year, placed.c.days_to_placement, lambda year: year == f.academic_year
    )


def _sums(table, f: ReportFilter) -> list[sa.ColumnElement]:
    """Applications and placements of the year, then of the year before."""
    current, previous = f.academic_year, f.academic_year - 1
    return [
        sa.func.sum(table.applications).filter(table.academic_year == current).label("apps"),
        sa.func.sum(table.placements).filter(table.academic_year == current).label("places"),
        sa.func.sum(table.applications).filter(table.academic_year == previous).label("apps_prev"),
        sa.func.sum(table.placements).filter(table.academic_year == previous).label("places_prev"),
    ]


def _per(
    table,
    keys: tuple[str, ...],
    f: ReportFilter,
    scope: ReportScope,
    same_days: SameDays | None,
    monthly=None,
):
    """The summary `table`'s applications and placements of the year and the one before,
    per `keys` (apps, places, apps_prev, places_prev); with `same_days`, the previous
    counts are those of the same days (SameDays), from the `monthly` table's months when
    it says so."""
    zero = sa.literal_column("0")
    by_month = same_days is not None and same_days.months_before is not None
    whole_year_before = same_days is None or (same_days.sign < 0 and not by_month)
    summary = (
        sa.select(*(getattr(table, k).label(k) for k in keys), *_sums(table, f))
        .where(*_in_scope(table, f, scope, both_years=whole_year_before))
        .group_by(*(getattr(table, k) for k in keys))
    )
    if same_days is None:
        return summary
    parts = [summary]
    if by_month:
        parts.append(
            sa.select(
                *(getattr(monthly, k) for k in keys),
                zero,
                zero,
                sa.func.sum(monthly.applications),
                sa.func.sum(monthly.placements),
            )
            .where(
                monthly.academic_year == f.academic_year - 1,
                monthly.month < same_days.months_before,
                *student_conditions(f, scope, monthly),
            )
            .group_by(*(getattr(monthly, k) for k in keys))
        )
    facts = same_days.facts
    raw = sa.select(
        *(facts.c[k] for k in keys),
        zero,
        zero,
        sa.func.sum(facts.c.applications) * same_days.sign,
        sa.func.sum(facts.c.placements) * same_days.sign,
    ).group_by(*(facts.c[k] for k in keys))
    both = sa.union_all(*parts, raw).subquery()
    return sa.select(
        *(both.c[k] for k in keys),
        *(sa.func.sum(both.c[name]).label(name) for name in SUM_NAMES),
    ).group_by(*(both.c[k] for k in keys))


def breakdowns(f: ReportFilter, scope: ReportScope) -> list[sa.Row]:
    """The rows of foundry.reports.aggregates.breakdowns (by cluster, kind, top ten
    companies, programme and month), from the summaries: one statement."""
    no_label = sa.cast(sa.null(), sa.String)
    # Whole faculties need no cohort detail: the much smaller table adds them up already.
    companies = FacultyCompanyYear if f.whole_faculties else CompanyYear
    same_days = same_days_of(f, scope) if _previous_from_raw(f) else None
    per_company = _per(companies, ("company_id",), f, scope, same_days, FacultyCompanyMonth).cte(
        "per_company"
    )
    by_cluster = clusters_of(per_company)
    top_companies = (
        sa.select(
            sa.literal("company"),
            sa.cast(Company.id, sa.String),
            Company.name,
            no_label,
            per_company.c.apps,
            per_company.c.places,
            per_company.c.apps_prev,
            per_company.c.places_prev,
        )
        .join(Company, Company.id == per_company.c.company_id)
        .where(sa.or_(per_company.c.apps > 0, per_company.c.places > 0))
        .order_by(per_company.c.apps.desc(), per_company.c.places.desc(), Company.name, Company.id)
        .limit(TOP_COMPANIES)
        .subquery("top_companies")
    )
    # Every application and placement has exactly one kind row: programmes add them up.
    per_kind = _per(
        KindYear, ("kind", "programme_id"), f, scope, same_days, ProgrammeKindMonth
    ).cte("per_kind")
    by_kind = sa.select(
        sa.literal("kind"), per_kind.c.kind, no_label, no_label, *totals(per_kind)
    ).group_by(per_kind.c.kind)
    programme_id = sa.func.nullif(per_kind.c.programme_id, NO_PROGRAMME)
    by_programme = (
        sa.select(
            sa.literal("programme"),
            sa.cast(programme_id, sa.String),
            StudyProgramme.name_en,
            StudyProgramme.name_zh,
            *totals(per_kind),
        )
        .select_from(per_kind)
        .outerjoin(StudyProgramme, StudyProgramme.id == per_kind.c.programme_id)
        .group_by(programme_id, StudyProgramme.name_en, StudyProgramme.name_zh)
    )
    per_month = _per(MonthCounts, ("month",), f, scope, same_days, MonthCounts).subquery(
        "per_month"
    )
    by_month = sa.select(
        sa.literal("month"),
        sa.cast(per_month.c.month, sa.String),
        no_label,
        no_label,
        *(per_month.c[name] for name in SUM_NAMES),
    )
    statement = sa.union_all(by_cluster, by_kind, sa.select(top_companies), by_programme, by_month)
    return db.session.execute(statement).all()


class Summaries:
    """The dashboard's DashboardSource (foundry.reports.sources) over the report summaries:
    an academic year, or the year so far, against the one before."""

    def stage_counts(self, f: ReportFilter, scope: ReportScope) -> dict[str, StageCount]:
        return stage_rows(stage_counts(f, scope))

    def median_middles(self, f: ReportFilter, scope: ReportScope) -> Middles:
        return middles_row(median_middles(f, scope))

    def breakdowns(self, f: ReportFilter, scope: ReportScope) -> list[BreakdownCounts]:
        return breakdown_rows(breakdowns(f, scope))
