"""The SQL statements behind the placement dashboard (see foundry.reports.metrics for
what each figure means). Each returns plain rows; metrics.dashboard() assembles them."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.placements.models import Placement
from foundry.postings.models import Posting
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.sources import (
    BreakdownCounts,
    Middles,
    StageCount,
    breakdown_rows,
    middles_row,
    stage_rows,
)
from foundry.reports.sql import days_between, hk_month_start, in_cohort
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyProgramme

NONE_KEY = "none"  # breakdown key for "not known" (off-park employer, no kind, no programme)
TOP_COMPANIES = 10
STAGES = ("active", "applied", "interviewed", "offered", "placed")
MEDIAN_WINDOW_DAYS = 365  # median days to placement: applications this long before it


def cohort_of(f: ReportFilter, scope: ReportScope) -> sa.CTE:
    """The students in scope and in the filter's cohort: (id, user_id)."""
    return (
        sa.select(StudentProfile.id, StudentProfile.user_id)
        .where(*student_conditions(f, scope))
        .cte("cohort")
    )


def stage_columns(cohort: sa.CTE, period: ReportFilter, index: int) -> list[sa.ColumnElement]:
    """The five stage counts (STAGES) of the cohort in `period`, as scalar subqueries.

    Each stage is a semi-join from the cohort, which the planner runs as an index probe
    per student for a small cohort (a faculty) or as a hash of the period's rows for a
    large one (the park). The applicants of a period are kept for both "applied" and
    "active", and only the other students' sign-ins are looked up."""

    def having(profile_id, date_column):
        return sa.select(cohort.c.id).where(
            cohort.c.id.in_(
                sa.select(profile_id).where(date_column >= period.start, date_column < period.end)
            )
        )

    def count(select) -> sa.ScalarSelect:
        return sa.select(sa.func.count()).select_from(select.subquery()).scalar_subquery()

    applicants = having(Application.profile_id, Application.submitted_at).cte(f"applicants_{index}")
    # Only students who did not apply need their sign-ins looked up.
    signed_in_only = sa.select(cohort.c.id).where(
        cohort.c.id.not_in(sa.select(applicants.c.id)),
        cohort.c.user_id.in_(
            sa.select(AuditEvent.actor_id).where(
                AuditEvent.action == SIGN_IN,
                AuditEvent.occurred_at >= period.start,
                AuditEvent.occurred_at < period.end,
            )
        ),
    )
    return [
        # active: applied, or signed in without applying
        count(sa.select(applicants.c.id)) + count(signed_in_only),
        count(sa.select(applicants.c.id)),
        count(having(Application.profile_id, Application.interviewed_at)),
        count(having(Application.profile_id, Application.offered_at)),
        count(having(Placement.profile_id, Placement.placed_at)),
    ]


def stage_counts(f: ReportFilter, scope: ReportScope) -> dict[str, tuple[int, int]]:
    """Distinct students per stage, for the period and the previous one: one statement
    that reads the cohort once (stage_columns)."""
    cohort = cohort_of(f, scope)
    columns = stage_columns(cohort, f, 0) + stage_columns(cohort, f.previous(), 1)
    row = db.session.execute(sa.select(*columns)).one()
    current, previous = row[: len(STAGES)], row[len(STAGES) :]
    return {key: (int(current[i]), int(previous[i])) for i, key in enumerate(STAGES)}


def in_periods(column: sa.ColumnElement, *periods: ReportFilter) -> sa.ColumnElement[bool]:
    """`column` falls in one of the periods (which need not touch: the same days of two
    academic years leave a gap between them)."""
    return sa.or_(*((column >= p.start) & (column < p.end) for p in periods))


def median_middles(f: ReportFilter, scope: ReportScope) -> dict[bool, list[float]]:
    """The middle one or two of the placed students' days to placement, for the period
    (True) and the previous one (False): one statement. A student's days run from their
    first application within the MEDIAN_WINDOW_DAYS (365) days before their first placement
    in the period, to that placement; students with no application in that window are left
    out.

    The durations are numbered in SQL on both engines; the caller takes the mean of the
    middle ones (median_of), so this and the summaries' median agree to the last digit."""
    return middles(*durations(f, scope, (f, f.previous())), lambda current: bool(current))


def durations(
    f: ReportFilter, scope: ReportScope, periods: tuple[ReportFilter, ...]
) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """The columns (current, days) of the placed students' days to placement in `periods`
    (f, its previous period or both): current is 1 for a placement in f, else 0."""
    in_current = sa.case((Placement.placed_at >= f.start, 1), else_=0)
    first_placements = (
        sa.select(
            Placement.profile_id.label("profile_id"),
            in_current.label("current"),
            sa.func.min(Placement.placed_at).label("placed_at"),
        )
        .where(
            in_periods(Placement.placed_at, *periods),
            in_cohort(Placement.profile_id, f, scope),
        )
        .group_by(Placement.profile_id, in_current)
        .subquery("first_placements")
    )
    pairs = sa.select(
        first_placements.c.current,
        first_placements.c.placed_at,
        first_application_before(first_placements.c.profile_id, first_placements.c.placed_at).label(
            "applied_at"
        ),
    ).subquery("pairs")
    spans = (
        sa.select(
            pairs.c.current, days_between(pairs.c.placed_at, pairs.c.applied_at).label("days")
        )
        .where(pairs.c.applied_at <= pairs.c.placed_at)
        .subquery("durations")
    )
    return spans.c.current, spans.c.days


def middles(group, days, is_current) -> dict[bool, list[float]]:
    """The middle one or two `days` of each `group` (two columns of one selectable), for
    the period (True) and the previous one (False) as `is_current(group value)` says: the
    values are numbered in SQL, one row or two per group come back."""
    numbered = (
        sa.select(
            group.label("group"),
            days.label("days"),
            sa.func.row_number().over(partition_by=group, order_by=days).label("position"),
            sa.func.count().over(partition_by=group).label("n"),
        )
        .where(days.is_not(None))
        .subquery("numbered")
    )
    middle = sa.or_(
        numbered.c.position == (numbered.c.n + 1) // 2,
        numbered.c.position == (numbered.c.n + 2) // 2,
    )
    found: dict[bool, list[float]] = {True: [], False: []}
    for value, day_count in db.session.execute(
        sa.select(numbered.c.group, numbered.c.days).where(middle)
    ):
        found[is_current(value)].append(float(day_count))
    return found


def first_application_before(profile_id, placed_at) -> sa.ScalarSelect:
    """When the student first applied within the MEDIAN_WINDOW_DAYS before `placed_at` (a
    placement is not the outcome of an application sent years before): None if they did
    not. A correlated subquery over the index on (profile_id, submitted_at)."""
    return (
        sa.select(sa.func.min(Application.submitted_at))
        .where(
            Application.profile_id == profile_id,
            Application.submitted_at <= placed_at,
            days_between(placed_at, Application.submitted_at) <= MEDIAN_WINDOW_DAYS,
        )
        .scalar_subquery()
    )


def median_of(middles: list[float]) -> float | None:
    """The median from its middle one or two values, in days with one decimal."""
    return round(sum(middles) / len(middles), 1) if middles else None


def totals(rows) -> tuple[sa.ColumnElement, ...]:
    """The four counts of a breakdown row added up: applications and placements of the
    period, then of the previous period (columns apps, places, apps_prev, places_prev)."""
    return (
        sa.func.sum(rows.c.apps),
        sa.func.sum(rows.c.places),
        sa.func.sum(rows.c.apps_prev),
        sa.func.sum(rows.c.places_prev),
    )


def clusters_of(rows) -> sa.Select:
    """The cluster rows of the breakdowns from `rows` of (company_id, the four counts); a
    company_id of no park company counts as "none" (outside the park)."""
    no_label = sa.cast(sa.null(), sa.String)
    cluster = sa.func.coalesce(sa.type_coerce(Company.cluster, sa.String), NONE_KEY)
    return (
        sa.select(sa.literal("cluster").label("dimension"), cluster.label("key"))
        .add_columns(no_label.label("label"), no_label.label("label_zh"), *totals(rows))
        .select_from(rows)
        .outerjoin(Company, Company.id == rows.c.company_id)
        .group_by(cluster)
    )


def breakdowns(f: ReportFilter, scope: ReportScope) -> list[sa.Row]:
    """Applications and placements by cluster, kind, company (top ten), programme and
    Hong Kong month, for the period and the previous one: one statement that reads the
    cohort's applications and placements of the two periods once each.

    Rows: (dimension, key, label, label_zh, applications, placements, previous
    applications, previous placements). Applications are first counted per posting (a
    few thousand rows), then rolled up by the posting's company and kind.
    """
    periods = (f, f.previous())
    conditions = student_conditions(f, scope)
    app_rows = (
        sa.select(
            Application.posting_id,
            StudentProfile.programme_id,
            hk_month_start(Application.submitted_at).label("month"),
            (Application.submitted_at >= f.start).label("current"),
        )
        .join(StudentProfile, StudentProfile.id == Application.profile_id)
        .where(in_periods(Application.submitted_at, *periods), *conditions)
        .cte("app_rows")
    )
    place_rows = (
        sa.select(
            Placement.company_id,
            sa.type_coerce(Placement.kind, sa.String).label("kind"),
            StudentProfile.programme_id,
            hk_month_start(Placement.placed_at).label("month"),
            (Placement.placed_at >= f.start).label("current"),
        )
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .where(in_periods(Placement.placed_at, *periods), *conditions)
        .cte("place_rows")
    )
    zero = sa.literal_column("0")
    no_label = sa.cast(sa.null(), sa.String)

    def counts(rows):
        return (
            sa.func.count().filter(rows.c.current),
            sa.func.count().filter(sa.not_(rows.c.current)),
        )

    def as_applications(rows):
        current, previous = counts(rows)
        return (
            current.label("apps"),
            zero.label("places"),
            previous.label("apps_prev"),
            zero.label("places_prev"),
        )

    def as_placements(rows):
        current, previous = counts(rows)
        return (
            zero.label("apps"),
            current.label("places"),
            zero.label("apps_prev"),
            previous.label("places_prev"),
        )

    per_posting = (
        sa.select(app_rows.c.posting_id, *as_applications(app_rows))
        .group_by(app_rows.c.posting_id)
        .subquery("per_posting")
    )
    resolved = sa.union_all(
        sa.select(
            Posting.company_id.label("company_id"),
            sa.type_coerce(Posting.kind, sa.String).label("kind"),
            per_posting.c.apps,
            zero.label("places"),
            per_posting.c.apps_prev,
            zero.label("places_prev"),
        ).join(Posting, Posting.id == per_posting.c.posting_id),
        sa.select(place_rows.c.company_id, place_rows.c.kind, *as_placements(place_rows)).group_by(
            place_rows.c.company_id, place_rows.c.kind
        ),
    ).cte("resolved")

    by_cluster = clusters_of(resolved)
    kind = sa.func.coalesce(resolved.c.kind, NONE_KEY)
    by_kind = (
        sa.select(sa.literal("kind"), kind, no_label, no_label, *totals(resolved))
        .select_from(resolved)
        .group_by(kind)
    )
    top_companies = (
        sa.select(
            sa.literal("company"),
            sa.cast(Company.id, sa.String),
            Company.name,
            no_label,
            *totals(resolved),
        )
        .select_from(resolved)
        .join(Company, Company.id == resolved.c.company_id)
        .group_by(Company.id, Company.name)
        .having(sa.or_(sa.func.sum(resolved.c.apps) > 0, sa.func.sum(resolved.c.places) > 0))
        .order_by(
            sa.func.sum(resolved.c.apps).desc(),
            sa.func.sum(resolved.c.places).desc(),
            Company.name,
            Company.id,
        )
        .limit(TOP_COMPANIES)
        .subquery("top_companies")
    )
    per_programme = sa.union_all(
        sa.select(app_rows.c.programme_id, *as_applications(app_rows)).group_by(
            app_rows.c.programme_id
        ),
        sa.select(place_rows.c.programme_id, *as_placements(place_rows)).group_by(
            place_rows.c.programme_id
        ),
    ).subquery("per_programme")
    by_programme = (
        sa.select(
            sa.literal("programme"),
            sa.cast(per_programme.c.programme_id, sa.String),
            StudyProgramme.name_en,
            StudyProgramme.name_zh,
            *totals(per_programme),
        )
        .select_from(per_programme)
        .outerjoin(StudyProgramme, StudyProgramme.id == per_programme.c.programme_id)
        .group_by(per_programme.c.programme_id, StudyProgramme.name_en, StudyProgramme.name_zh)
    )
    # Months: a custom range that starts mid-month shares its first month with the previous
    # period, so each month keeps the two periods' counts apart like the other breakdowns.
    per_month = sa.union_all(
        sa.select(app_rows.c.month, *as_applications(app_rows)).group_by(app_rows.c.month),
        sa.select(place_rows.c.month, *as_placements(place_rows)).group_by(place_rows.c.month),
    ).subquery("per_month")
    by_month = sa.select(
        sa.literal("month"),
        sa.cast(per_month.c.month, sa.String),
        no_label,
        no_label,
        *totals(per_month),
    ).group_by(per_month.c.month)
    statement = sa.union_all(by_cluster, by_kind, sa.select(top_companies), by_programme, by_month)
    return db.session.execute(statement).all()


class RawRows:
    """The dashboard's DashboardSource (foundry.reports.sources) over the raw rows: any
    period, a custom range included."""

    def stage_counts(self, f: ReportFilter, scope: ReportScope) -> dict[str, StageCount]:
        return stage_rows(stage_counts(f, scope))

    def median_middles(self, f: ReportFilter, scope: ReportScope) -> Middles:
        return middles_row(median_middles(f, scope))

    def breakdowns(self, f: ReportFilter, scope: ReportScope) -> list[BreakdownCounts]:
        return breakdown_rows(breakdowns(f, scope))
