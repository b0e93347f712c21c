"""The placement dashboard's statements for an academic year against the one before, read
from the summaries instead of the raw rows: the same results as foundry.reports.aggregates
(tests/reports compare the two), a few thousand summary rows read instead of hundreds of
thousands of applications and sign-ins at park scale (bench/dashboard.py)."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.companies.models import Company
from foundry.extensions import db
from foundry.reports.aggregates import STAGES, TOP_COMPANIES, clusters_of, middles, totals
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.summaries.models import (
    NO_PROGRAMME,
    CompanyYear,
    FacultyCompanyYear,
    KindYear,
    MonthCounts,
    StudentYear,
)
from foundry.universities.models import StudyProgramme


def _years(f: ReportFilter) -> tuple[int, int]:
    if f.academic_year is None:
        raise ValueError("the summaries hold academic years only")
    return f.academic_year, f.academic_year - 1


def _in_scope(table, f: ReportFilter, scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    return [table.academic_year.in_(_years(f)), *student_conditions(f, scope, table)]


def stage_counts(f: ReportFilter, scope: ReportScope) -> dict[str, tuple[int, int]]:
    """Distinct students per stage in the academic year and the one before: one statement
    over report_student_years (a student is active when they applied or signed in)."""
    t = StudentYear
    reached = {
        "active": (t.applications > 0) | (t.sign_ins > 0),
        "applied": t.applications > 0,
        "interviewed": t.interviews > 0,
        "offered": t.offers > 0,
        "placed": t.placements > 0,
    }
    columns = [
        sa.func.count().filter(t.academic_year == year, reached[key])
        for year in _years(f)
        for key in STAGES
    ]
    row = db.session.execute(sa.select(*columns).where(*_in_scope(t, f, scope))).one()
    current, previous = row[: len(STAGES)], row[len(STAGES) :]
    return {key: (int(current[i]), int(previous[i])) for i, key in enumerate(STAGES)}


def median_middles(f: ReportFilter, scope: ReportScope) -> dict[bool, list[float]]:
    """The middle one or two of the placed students' days to placement, for the year
    (True) and the year before (False), from the placed students' rows only."""
    t = StudentYear
    placed = (
        sa.select(t.academic_year, t.days_to_placement)
        .where(t.days_to_placement.is_not(None), *_in_scope(t, f, scope))
        .subquery("placed")
    )
    return middles(
        placed.c.academic_year, placed.c.days_to_placement, lambda year: year == f.academic_year
    )


def _sums(table, f: ReportFilter) -> list[sa.ColumnElement]:
    """Applications and placements of the year, then of the year before."""
    current, previous = _years(f)
    return [
        sa.func.sum(table.applications).filter(table.academic_year == current).label("apps"),
        sa.func.sum(table.placements).filter(table.academic_year == current).label("places"),
        sa.func.sum(table.applications).filter(table.academic_year == previous).label("apps_prev"),
        sa.func.sum(table.placements).filter(table.academic_year == previous).label("places_prev"),
    ]


def breakdowns(f: ReportFilter, scope: ReportScope) -> list[sa.Row]:
    """The rows of foundry.reports.aggregates.breakdowns (by cluster, kind, top ten
    companies, programme and month), from the summaries: one statement."""
    no_label = sa.cast(sa.null(), sa.String)
    # Whole faculties need no cohort detail: the much smaller table adds them up already.
    companies = FacultyCompanyYear if f.whole_faculties else CompanyYear
    per_company = (
        sa.select(companies.company_id, *_sums(companies, f))
        .where(*_in_scope(companies, f, scope))
        .group_by(companies.company_id)
        .cte("per_company")
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
    per_kind = (
        sa.select(KindYear.kind, KindYear.programme_id, *_sums(KindYear, f))
        .where(*_in_scope(KindYear, f, scope))
        .group_by(KindYear.kind, KindYear.programme_id)
        .cte("per_kind")
    )
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
    by_month = (
        sa.select(
            sa.literal("month"),
            sa.cast(MonthCounts.month, sa.String),
            no_label,
            no_label,
            *_sums(MonthCounts, f),
        )
        .where(*_in_scope(MonthCounts, f, scope))
        .group_by(MonthCounts.month)
    )
    statement = sa.union_all(by_cluster, by_kind, sa.select(top_companies), by_programme, by_month)
    return db.session.execute(statement).all()
