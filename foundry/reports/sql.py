"""SQL expressions the reports need that SQLite and PostgreSQL spell differently, and the
cohort condition every report query applies.

Datetimes are stored as naive UTC on both engines (foundry.db.UTCDateTime).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from foundry.extensions import db
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.students.models import StudentProfile


class hk_month_start(FunctionElement):
    """The first day (a DATE) of the calendar month, in Hong Kong time, of a UTC timestamp."""

    type = sa.Date()
    inherit_cache = True
    name = "hk_month_start"


@compiles(hk_month_start)
def _hk_month_start_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    return f"strftime('%Y-%m-01', {compiler.process(column, **kw)}, '+8 hours')"


@compiles(hk_month_start, "postgresql")
def _hk_month_start_postgresql(element, compiler, **kw):
    (column,) = element.clauses
    return (
        f"CAST(date_trunc('month', {compiler.process(column, **kw)} + interval '8 hours') AS DATE)"
    )


class hk_academic_year(FunctionElement):
    """The academic year (1 September to 31 August, Hong Kong time) of a UTC timestamp, named
    by the year it starts: moving the Hong Kong time eight months back lands every day from
    1 September to 31 August in the same calendar year."""

    type = sa.Integer()
    inherit_cache = True
    name = "hk_academic_year"


@compiles(hk_academic_year)
def _hk_academic_year_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    # SQLite's '-8 months' may push a day past the end of a short month into the next one
    # (31 Oct -> "31 Feb" -> 3 Mar), never into the next year.
    return (
        f"CAST(strftime('%Y', {compiler.process(column, **kw)}, '+8 hours', '-8 months') "
        "AS INTEGER)"
    )


@compiles(hk_academic_year, "postgresql")
def _hk_academic_year_postgresql(element, compiler, **kw):
    (column,) = element.clauses
    return (
        f"CAST(EXTRACT(YEAR FROM {compiler.process(column, **kw)} + interval '8 hours' "
        "- interval '8 months') AS INTEGER)"
    )


class hk_day_start(FunctionElement):
    """The naive UTC instant a Hong Kong date begins (16:00 UTC the day before): what a
    stored timestamp is compared with to ask "on or after that day, in Hong Kong". Hong
    Kong has kept UTC+8 all year since 1979, so the offset is fixed."""

    type = sa.DateTime()
    inherit_cache = True
    name = "hk_day_start"


@compiles(hk_day_start)
def _hk_day_start_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    # The stored timestamps' own text form (foundry.db.UTCDateTime), so they compare as text.
    return f"strftime('%Y-%m-%d %H:%M:%f000', {compiler.process(column, **kw)}, '-8 hours')"


@compiles(hk_day_start, "postgresql")
def _hk_day_start_postgresql(element, compiler, **kw):
    (column,) = element.clauses
    return f"(CAST({compiler.process(column, **kw)} AS TIMESTAMP) - interval '8 hours')"


class days_between(FunctionElement):
    """Days (with a fraction) from the second timestamp to the first."""

    type = sa.Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = element.clauses
    return (
        f"(julianday({compiler.process(later, **kw)}) "
        f"- julianday({compiler.process(earlier, **kw)}))"
    )


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = element.clauses
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} "
        f"- {compiler.process(earlier, **kw)})) / 86400.0)"
    )


def in_cohort(profile_id: sa.ColumnElement, f: ReportFilter, scope: ReportScope):
    """`profile_id` belongs to a student in the viewer's scope and the filter's cohort.

    With no condition at all (the park admin, no cohort filter) this is TRUE, and the
    planner need not visit student_profiles; otherwise it is a semi-join on them.
    """
    conditions = student_conditions(f, scope)
    if not conditions:
        return sa.true()
    return profile_id.in_(sa.select(StudentProfile.id).where(*conditions))


def page_with_total(statement: sa.Select, page: int, per_page: int) -> tuple[list, int]:
    """One page of an ordered statement and the total number of its rows: one statement
    (the total rides along as a window count), two only for a page past the end."""
    offset = (page - 1) * per_page
    rows = db.session.execute(
        statement.add_columns(sa.func.count().over().label("_total")).limit(per_page).offset(offset)
    ).all()
    if rows:
        return rows, int(rows[0]._total)
    if offset == 0:
        return [], 0
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    return [], int(total or 0)
