"""The placement dashboard: figures for a period and the period before it, computed in SQL
with a fixed number of statements whatever the amount of data.

Definitions (each counts students in the viewer's scope and the filter's cohort):

- active: students who signed in (an audit event "user.sign_in" whose actor is the
  student's user) or submitted an application in the period;
- applied: students with an application submitted in the period (withdrawn ones count);
- interviewed / offered: students with an application that first reached an interview /
  an offer in the period (Application.interviewed_at / offered_at), whenever submitted;
- placed: students with a placement agreed in the period (Placement.placed_at), made on
  the portal or recorded by staff;
- placement rate: placed / applied (None when nobody applied);
- median days to placement: per placed student, the days from their first application
  ever to their first placement in the period; students with no application before that
  placement (e.g. only an off-portal placement) are left out;
- breakdowns count applications submitted in the period and placements agreed in it
  (not students), by company cluster, company (top ten by applications), posting kind and
  programme of study; the trend counts the same per calendar month in Hong Kong time.

Stages are counted per period, not per cohort of applicants: a student interviewed in
September for an application sent in August counts as interviewed in the new year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from foundry.applications.models import Application
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.postings.forms import KIND_LABELS
from foundry.postings.models import Posting, PostingKind
from foundry.reports.filters import ReportFilter, ReportScope, student_conditions
from foundry.reports.periods import format_month, months_between
from foundry.reports.sql import days_between, hk_month, in_cohort
from foundry.students.models import StudentProfile
from foundry.taxonomy import CLUSTER_LABELS, Cluster
from foundry.universities.models import StudyProgramme

SIGN_IN = "user.sign_in"
NONE_KEY = "none"  # breakdown key for "not known" (off-park employer, no kind, no programme)
TOP_COMPANIES = 10
STAGES = ("active", "applied", "interviewed", "offered", "placed")


# --- what the dashboard returns ---------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure for the period and for the period before it."""

    value: int | float | None
    previous: int | float | None

    @property
    def change(self) -> int | float | None:
        """value - previous (None when either is unknown)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def relative_change(self) -> float | None:
        """change / previous (None when previous is 0 or unknown)."""
        change = self.change
        return None if change is None or not self.previous else change / self.previous


@dataclass(frozen=True)
class FunnelStage:
    key: str  # the figure key: active, applied, interviewed, offered, placed
    label: str
    count: int
    previous: int
    conversion: float | None  # count / the stage before's count (None for the first, or /0)
    previous_conversion: float | None


@dataclass(frozen=True)
class BreakdownRow:
    dimension: str  # cluster, company, kind, programme
    key: str  # the cluster or kind value, the company or programme id, or "none"
    label: str
    applications: int  # submitted in the period
    placements: int  # agreed in the period
    applications_previous: int
    placements_previous: int

    @property
    def figure_key(self) -> str:
        """Drill-down key of the applications behind the row."""
        return f"{self.dimension}:{self.key}"

    @property
    def placed_figure_key(self) -> str:
        """Drill-down key of the placements behind the row."""
        return f"placed:{self.dimension}:{self.key}"


@dataclass(frozen=True)
class TrendPoint:
    month: str  # "YYYY-MM", Hong Kong time
    label: str  # "Sep 2025"
    applications: int
    placements: int

    @property
    def figure_key(self) -> str:
        return f"month:{self.month}"

    @property
    def placed_figure_key(self) -> str:
        return f"placed:month:{self.month}"


@dataclass(frozen=True)
class Dashboard:
    filter: ReportFilter
    previous_filter: ReportFilter
    active: Figure
    applied: Figure
    interviewed: Figure
    offered: Figure
    placed: Figure
    placement_rate: Figure  # fractions (0.25 is 25 %)
    median_days_to_placement: Figure  # days, one decimal
    funnel: list[FunnelStage]
    by_cluster: list[BreakdownRow]
    top_companies: list[BreakdownRow]
    by_kind: list[BreakdownRow]
    by_programme: list[BreakdownRow]
    trend: list[TrendPoint]
    previous_trend: list[TrendPoint] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        """One of the stage figures by key (active, applied, ...)."""
        if key not in STAGES:
            raise KeyError(key)
        return getattr(self, key)


def stage_labels() -> dict[str, str]:
    return {
        "active": _("Active on the portal"),
        "applied": _("Applied"),
        "interviewed": _("Interviewed"),
        "offered": _("Offered"),
        "placed": _("Placed"),
    }


def none_label(dimension: str) -> str:
    return {
        "cluster": _("Outside the park"),
        "company": _("Outside the park"),
        "kind": _("Kind not given"),
        "programme": _("Programme not given"),
    }[dimension]


# --- the statements ---------------------------------------------------------------------


def _stage_counts(f: ReportFilter, scope: ReportScope) -> dict[str, tuple[int, int]]:
    """Distinct students per stage, for the period and the previous one: one statement.

    The cohort (students in scope and in the filter's cohort) is read once; each stage is
    a semi-join from it, which the planner runs as an index probe per student for a small
    cohort (a faculty) or as a hash of the period's rows for a large one (the park). The
    applicants of a period are kept for both "applied" and "active"."""
    cohort = (
        sa.select(StudentProfile.id, StudentProfile.user_id)
        .where(*student_conditions(f, scope))
        .cte("cohort")
    )

    def having(profile_id, date_column, period: ReportFilter):
        return sa.select(cohort.c.id).where(
            cohort.c.id.in_(
                sa.select(profile_id).where(date_column >= period.start, date_column < period.end)
            )
        )

    def count(select) -> sa.ScalarSelect:
        return sa.select(sa.func.count()).select_from(select.subquery()).scalar_subquery()

    columns = []
    for index, period in enumerate((f, f.previous())):
        applicants = having(Application.profile_id, Application.submitted_at, period).cte(
            f"applicants_{index}"
        )
        signed_in = sa.select(cohort.c.id).where(
            cohort.c.user_id.in_(
                sa.select(AuditEvent.actor_id).where(
                    AuditEvent.action == SIGN_IN,
                    AuditEvent.occurred_at >= period.start,
                    AuditEvent.occurred_at < period.end,
                )
            )
        )
        columns += [
            # active: signed in or applied (UNION: once each)
            count(sa.union(signed_in, sa.select(applicants.c.id))),
            count(sa.select(applicants.c.id)),
            count(having(Application.profile_id, Application.interviewed_at, period)),
            count(having(Application.profile_id, Application.offered_at, period)),
            count(having(Placement.profile_id, Placement.placed_at, period)),
        ]
    row = db.session.execute(sa.select(*columns)).one()
    current, previous = row[: len(STAGES)], row[len(STAGES) :]
    return {key: (int(current[i]), int(previous[i])) for i, key in enumerate(STAGES)}


def _median_days(f: ReportFilter, scope: ReportScope) -> tuple[float | None, float | None]:
    """Median days from a placed student's first application ever to their first
    placement in the period (and in the previous period): one statement.

    The median is taken in SQL on both engines by numbering the durations (the middle one,
    or the mean of the middle two)."""
    in_current = sa.case((Placement.placed_at >= f.start, 1), else_=0)
    first_placements = (
        sa.select(
            Placement.profile_id.label("profile_id"),
            in_current.label("current"),
            sa.func.min(Placement.placed_at).label("placed_at"),
        )
        .where(
            Placement.placed_at >= f.previous().start,
            Placement.placed_at < f.end,
            in_cohort(Placement.profile_id, f, scope),
        )
        .group_by(Placement.profile_id, in_current)
        .subquery("first_placements")
    )
    first_application = (
        sa.select(sa.func.min(Application.submitted_at))
        .where(Application.profile_id == first_placements.c.profile_id)
        .scalar_subquery()
    )
    pairs = sa.select(
        first_placements.c.current,
        first_placements.c.placed_at,
        first_application.label("applied_at"),
    ).subquery("pairs")
    durations = (
        sa.select(
            pairs.c.current, days_between(pairs.c.placed_at, pairs.c.applied_at).label("days")
        )
        .where(pairs.c.applied_at <= pairs.c.placed_at)
        .subquery("durations")
    )
    numbered = sa.select(
        durations.c.current,
        durations.c.days,
        sa.func.row_number()
        .over(partition_by=durations.c.current, order_by=durations.c.days)
        .label("position"),
        sa.func.count().over(partition_by=durations.c.current).label("n"),
    ).subquery("numbered")
    middle = sa.or_(
        numbered.c.position == (numbered.c.n + 1) // 2,
        numbered.c.position == (numbered.c.n + 2) // 2,
    )
    rows = db.session.execute(
        sa.select(numbered.c.current, sa.func.avg(numbered.c.days))
        .where(middle)
        .group_by(numbered.c.current)
    ).all()
    medians = {int(current): round(float(days), 1) for current, days in rows}
    return medians.get(1), medians.get(0)


def _breakdowns(f: ReportFilter, scope: ReportScope) -> list[sa.Row]:
    """Applications and placements by cluster, kind, company (top ten), programme and
    Hong Kong month, for the period and the previous one: one statement that reads the
    cohort's applications and placements of the two periods once each.

    Rows: (dimension, key, label, label_zh, applications, placements, previous
    applications, previous placements). Applications are first counted per posting (a
    few thousand rows), then rolled up by the posting's company and kind.
    """
    start = f.previous().start
    conditions = student_conditions(f, scope)
    app_rows = (
        sa.select(
            Application.posting_id,
            StudentProfile.programme_id,
            hk_month(Application.submitted_at).label("month"),
            (Application.submitted_at >= f.start).label("current"),
        )
        .join(StudentProfile, StudentProfile.id == Application.profile_id)
        .where(Application.submitted_at >= start, Application.submitted_at < f.end, *conditions)
        .cte("app_rows")
    )
    place_rows = (
        sa.select(
            Placement.company_id,
            sa.type_coerce(Placement.kind, sa.String).label("kind"),
            StudentProfile.programme_id,
            hk_month(Placement.placed_at).label("month"),
            (Placement.placed_at >= f.start).label("current"),
        )
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .where(Placement.placed_at >= start, Placement.placed_at < f.end, *conditions)
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

    def sums(rows):
        return (
            sa.func.sum(rows.c.apps),
            sa.func.sum(rows.c.places),
            sa.func.sum(rows.c.apps_prev),
            sa.func.sum(rows.c.places_prev),
        )

    cluster = sa.func.coalesce(sa.type_coerce(Company.cluster, sa.String), NONE_KEY)
    by_cluster = (
        sa.select(sa.literal("cluster").label("dimension"), cluster.label("key"))
        .add_columns(no_label.label("label"), no_label.label("label_zh"), *sums(resolved))
        .select_from(resolved)
        .outerjoin(Company, Company.id == resolved.c.company_id)
        .group_by(cluster)
    )
    kind = sa.func.coalesce(resolved.c.kind, NONE_KEY)
    by_kind = (
        sa.select(sa.literal("kind"), kind, no_label, no_label, *sums(resolved))
        .select_from(resolved)
        .group_by(kind)
    )
    top_companies = (
        sa.select(
            sa.literal("company"),
            sa.cast(Company.id, sa.String),
            Company.name,
            no_label,
            *sums(resolved),
        )
        .select_from(resolved)
        .join(Company, Company.id == resolved.c.company_id)
        .group_by(Company.id, Company.name)
        .having(sa.or_(sa.func.sum(resolved.c.apps) > 0, sa.func.sum(resolved.c.places) > 0))
        .order_by(
            sa.func.sum(resolved.c.apps).desc(),
            sa.func.sum(resolved.c.places).desc(),
            Company.name,
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
            *sums(per_programme),
        )
        .select_from(per_programme)
        .outerjoin(StudyProgramme, StudyProgramme.id == per_programme.c.programme_id)
        .group_by(per_programme.c.programme_id, StudyProgramme.name_en, StudyProgramme.name_zh)
    )
    # Months: the period is told by the month itself, so everything counts as "current".
    per_month = sa.union_all(
        sa.select(
            app_rows.c.month,
            sa.func.count().label("apps"),
            zero.label("places"),
            zero.label("apps_prev"),
            zero.label("places_prev"),
        ).group_by(app_rows.c.month),
        sa.select(place_rows.c.month, zero, sa.func.count(), zero, zero).group_by(
            place_rows.c.month
        ),
    ).subquery("per_month")
    by_month = sa.select(
        sa.literal("month"),
        sa.cast(per_month.c.month, sa.String),
        no_label,
        no_label,
        *sums(per_month),
    ).group_by(per_month.c.month)
    statement = sa.union_all(by_cluster, by_kind, sa.select(top_companies), by_programme, by_month)
    return db.session.execute(statement).all()


# --- putting it together ----------------------------------------------------------------


def _ratio(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


def _funnel(counts: dict[str, tuple[int, int]]) -> list[FunnelStage]:
    labels = stage_labels()
    stages = []
    before: tuple[int, int] | None = None
    for key in STAGES:
        current, previous = counts[key]
        stages.append(
            FunnelStage(
                key=key,
                label=labels[key],
                count=current,
                previous=previous,
                conversion=_ratio(current, before[0]) if before else None,
                previous_conversion=_ratio(previous, before[1]) if before else None,
            )
        )
        before = (current, previous)
    return stages


def _row(dimension: str, key: str, label: str | None, counts) -> BreakdownRow:
    applications, placements, applications_previous, placements_previous = (
        int(n or 0) for n in counts
    )
    return BreakdownRow(
        dimension=dimension,
        key=key,
        label=label if label is not None else none_label(dimension),
        applications=applications,
        placements=placements,
        applications_previous=applications_previous,
        placements_previous=placements_previous,
    )


def _ordered(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    """Most applications first, then most placements, then by label."""
    return sorted(rows, key=lambda r: (-r.applications, -r.placements, str(r.label)))


def _enum_rows(dimension, enum_cls, labels, found: dict[str, tuple]) -> list[BreakdownRow]:
    """Every value of the enumeration (zeros included), plus "none" when it has counts."""
    rows = [
        _row(dimension, member.value, str(labels[member]), found.get(member.value, (0,) * 4))
        for member in enum_cls
    ]
    if NONE_KEY in found:
        rows.append(_row(dimension, NONE_KEY, None, found[NONE_KEY]))
    return _ordered(rows)


def dashboard(f: ReportFilter, scope: ReportScope) -> Dashboard:
    """Every figure of the placement dashboard for `f` within `scope`, against the
    previous period (see the module docstring for the definitions). Three statements."""
    previous_filter = f.previous()
    counts = _stage_counts(f, scope)
    figures = {key: Figure(*counts[key]) for key in STAGES}
    median = _median_days(f, scope)

    found: dict[str, dict[str, tuple]] = {
        dimension: {} for dimension in ("cluster", "kind", "month")
    }
    companies, programmes = [], []
    chinese = str(get_locale() or "").startswith("zh")
    for dimension, key, label, label_zh, *numbers in _breakdowns(f, scope):
        if dimension == "company":
            companies.append(_row("company", key, label, numbers))
        elif dimension == "programme":
            programmes.append(
                _row(
                    "programme",
                    key if key is not None else NONE_KEY,
                    (label_zh if chinese else label) if key is not None else None,
                    numbers,
                )
            )
        elif dimension == "month":
            # The month's first instant (PostgreSQL) or first day (SQLite): "YYYY-MM".
            found["month"][key[:7]] = (int(numbers[0] or 0), int(numbers[1] or 0))
        else:
            found[dimension][key] = tuple(numbers)

    def trend(period: ReportFilter) -> list[TrendPoint]:
        return [
            TrendPoint(month, format_month(month), *found["month"].get(month, (0, 0)))
            for month in months_between(period.start, period.end)
        ]

    return Dashboard(
        filter=f,
        previous_filter=previous_filter,
        **figures,
        placement_rate=Figure(
            _ratio(counts["placed"][0], counts["applied"][0]),
            _ratio(counts["placed"][1], counts["applied"][1]),
        ),
        median_days_to_placement=Figure(*median),
        funnel=_funnel(counts),
        by_cluster=_enum_rows("cluster", Cluster, CLUSTER_LABELS, found["cluster"]),
        top_companies=companies,
        by_kind=_enum_rows("kind", PostingKind, KIND_LABELS, found["kind"]),
        by_programme=_ordered(programmes),
        trend=trend(f),
        previous_trend=trend(previous_filter),
    )
