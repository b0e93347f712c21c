"""The same days of the year before, for the summaries' breakdowns of the year so far
(foundry.reports.summaries.queries): which summary rows stand for them, and which raw rows
of the days around the cut are added to or taken from those (SameDays).

For whole faculties, the whole months before the cut come from the month tables
(report_faculty_company_months, report_programme_kind_months, report_months), and the raw
rows only cover the days of the cut's month on its shorter side: at most half a month,
whatever the size of the data. A narrower cohort has only the year tables: the raw rows
cover the days to the cut, or the rest of the year after it: at most half a year.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.reports import aggregates
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.periods import academic_year_bounds, day_of, start_of_day
from foundry.reports.sql import hk_month_start
from foundry.reports.summaries.models import NO_KIND, NO_PROGRAMME, OUTSIDE_THE_PARK
from foundry.students.models import StudentProfile


@dataclass(frozen=True)
class SameDays:
    """How the breakdowns count the first days of the year before: `facts` are the raw
    rows of some days, added (sign 1) to or taken (sign -1) from what the summaries give,
    whichever reads fewer days; the counts are the same. With `months_before`, the
    summaries are the month tables' months before that one (the cut's month, sign 1: its
    days before the cut are the raw rows; or the month after it, sign -1: its days from
    the cut on are); without, the year tables' whole year (sign -1) or nothing (sign 1)."""

    facts: sa.CTE
    sign: int
    months_before: date | None = None


def same_days_of(f: ReportFilter, scope: ReportScope) -> SameDays:
    """How the breakdowns of `f` count the same days of the year before (f.previous())."""
    before = f.previous()
    if f.whole_faculties:
        return _same_days_by_month(before, f, scope)
    year_start, year_end = academic_year_bounds(before.academic_year)
    if before.end - year_start <= year_end - before.end:
        return SameDays(_raw_facts(before, f, scope), 1)
    rest = dataclasses.replace(before, start=before.end, end=year_end)
    return SameDays(_raw_facts(rest, f, scope), -1)


def _same_days_by_month(before: ReportFilter, f: ReportFilter, scope: ReportScope) -> SameDays:
    """The whole months before the cut from the month tables, the cut's month from the raw
    rows of its days before the cut, or past its middle from the month table less the raw
    rows of its days from the cut on. (Hong Kong keeps UTC+8: its months start at a fixed
    instant, and the cut is a Hong Kong midnight.)"""
    cut = day_of(before.end)
    first = date(cut.year, cut.month, 1)
    following = date(cut.year + 1, 1, 1) if cut.month == 12 else date(cut.year, cut.month + 1, 1)
    month_start, month_end = start_of_day(first), start_of_day(following)
    if before.end - month_start <= month_end - before.end:
        days = dataclasses.replace(before, start=month_start)
        return SameDays(_raw_facts(days, f, scope), 1, months_before=first)
    rest = dataclasses.replace(before, start=before.end, end=month_end)
    return SameDays(_raw_facts(rest, f, scope), -1, months_before=following)


def _raw_facts(days: ReportFilter, f: ReportFilter, scope: ReportScope) -> sa.CTE:
    """Each application and placement of the cohort in `days`, from the raw rows, keyed as
    the summaries key them (company OUTSIDE_THE_PARK, kind NO_KIND, programme
    NO_PROGRAMME when not known)."""
    before = days
    conditions = student_conditions(f, scope)
    programme = sa.func.coalesce(StudentProfile.programme_id, NO_PROGRAMME)
    one, zero = sa.literal_column("1"), sa.literal_column("0")
    applications = (
        sa.select(
            Posting.company_id.label("company_id"),
            sa.type_coerce(Posting.kind, sa.String).label("kind"),
            programme.label("programme_id"),
            hk_month_start(Application.submitted_at).label("month"),
            one.label("applications"),
            zero.label("placements"),
        )
        .join(Posting, Posting.id == Application.posting_id)
        .join(StudentProfile, StudentProfile.id == Application.profile_id)
        .where(aggregates.in_periods(Application.submitted_at, before), *conditions)
    )
    placements = (
        sa.select(
            sa.func.coalesce(Placement.company_id, OUTSIDE_THE_PARK),
            sa.func.coalesce(sa.type_coerce(Placement.kind, sa.String), NO_KIND),
            programme,
            hk_month_start(Placement.placed_at),
            zero,
            one,
        )
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .where(aggregates.in_periods(Placement.placed_at, before), *conditions)
    )
    return sa.union_all(applications, placements).cte("same_days")
