"""The placement dashboard: figures for a period and the period it is compared with,
computed in SQL with a fixed number of statements whatever the amount of data.

Like is compared with like (ReportFilter.previous): a past academic year with the whole
year before; the current year so far (1 Sep to today, Hong Kong time) with the same days of
the year before; a custom range (stopped at today) with as many days just before it. The
month-by-month trend never shows a month still to come.

Definitions (each counts students in the viewer's scope and the filter's cohort):

- active: students who signed in (foundry.messages.SIGN_IN: an audit event whose actor is
  the student's user; report_sign_in_years keeps the first of each academic year) or
  submitted an application in the period;
- applied: students with an application submitted in the period (withdrawn ones count);
- interviewed / offered: students with an application that first reached an interview /
  an offer in the period (Application.interviewed_at / offered_at), whenever submitted;
- placed: students with a placement agreed in the period (Placement.placed_at), made on
  the portal or recorded by staff;
- placement rate: placed / applied (None when nobody applied);
- median days to placement: per placed student, the days from their first application
  within the 365 days before their first placement in the period to that placement (an
  application sent years before does not make a later placement look slow); students
  with no application in those 365 days (e.g. only an off-portal placement) are left out;
- breakdowns count applications submitted in the period and placements agreed in it
  (not students), by company cluster, company (top ten by applications), posting kind and
  programme of study; the trend counts the same per calendar month in Hong Kong time.

Stages are counted per period, not per cohort of applicants: a student interviewed in
September for an application sent in August counts as interviewed in the new year.

The numbers come from one DashboardSource (foundry.reports.sources): the report summaries
for an academic year or the year so far, the raw rows for a custom range (source_for).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import gettext as _

from foundry.postings.labels import KIND_LABELS
from foundry.postings.models import PostingKind
from foundry.reports import cache
from foundry.reports.aggregates import NONE_KEY, STAGES, TOP_COMPANIES, RawRows, median_of
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.periods import format_month, hong_kong_today, months_between
from foundry.reports.sources import DashboardSource
from foundry.reports.summaries.queries import Summaries
from foundry.taxonomy import CLUSTER_LABELS, Cluster

__all__ = [
    "NONE_KEY",
    "STAGES",
    "TOP_COMPANIES",
    "BreakdownRow",
    "Dashboard",
    "Figure",
    "FunnelStage",
    "TrendPoint",
    "dashboard",
    "none_label",
    "source_for",
    "stage_labels",
]


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


def _counts_something(numbers) -> bool:
    """A row with a count that is not zero (the summaries' same days of a year, taken from
    its whole year, may leave rows that add up to nothing: the raw rows have none)."""
    return numbers is not None and any(int(n or 0) for n in numbers)


def _enum_rows(dimension, enum_cls, labels, found: dict[str, tuple]) -> list[BreakdownRow]:
    """Every value of the enumeration (zeros included), plus "none" when it has counts."""
    rows = [
        _row(dimension, member.value, str(labels[member]), found.get(member.value, (0,) * 4))
        for member in enum_cls
    ]
    if _counts_something(found.get(NONE_KEY)):
        rows.append(_row(dimension, NONE_KEY, None, found[NONE_KEY]))
    return _ordered(rows)


SUMMARIES: DashboardSource = Summaries()
RAW_ROWS: DashboardSource = RawRows()


def source_for(f: ReportFilter, from_summaries: bool | None = None) -> DashboardSource:
    """Where the dashboard for `f` reads: the summaries for an academic year or the year so
    far (unless `from_summaries` is False), the raw rows for a custom range."""
    if from_summaries is None:
        from_summaries = f.whole_year or f.to_today
    return SUMMARIES if from_summaries else RAW_ROWS


def dashboard(f: ReportFilter, scope: ReportScope, from_summaries: bool | None = None) -> Dashboard:
    """Every figure of the placement dashboard for `f` within `scope`, against the
    previous period (see the module docstring for the definitions). Three statements, from
    the source_for(f) (`from_summaries` forces the summaries or the raw rows), or none
    when the dashboards' cache has them (foundry.reports.cache)."""
    source = source_for(f, from_summaries)
    previous_filter = f.previous()
    stage_counts, middles, breakdowns = cache.numbers(
        "summaries" if source is SUMMARIES else "raw",
        f,
        scope,
        lambda: (
            source.stage_counts(f, scope),
            source.median_middles(f, scope),
            source.breakdowns(f, scope),
        ),
    )
    counts = {stage: (row.current, row.previous) for stage, row in stage_counts.items()}
    figures = {key: Figure(*counts[key]) for key in STAGES}
    median = (median_of(middles.current), median_of(middles.previous))

    found: dict[str, dict[str, tuple]] = {
        dimension: {} for dimension in ("cluster", "kind", "month")
    }
    companies, programmes = [], []
    chinese = str(get_locale() or "").startswith("zh")
    for row in breakdowns:
        numbers = row.numbers
        if row.dimension == "company":
            companies.append(_row("company", row.key, row.label, numbers))
        elif row.dimension == "programme":
            if _counts_something(numbers):
                programmes.append(
                    _row(
                        "programme",
                        row.key if row.key is not None else NONE_KEY,
                        (row.label_zh if chinese else row.label) if row.key is not None else None,
                        numbers,
                    )
                )
        elif row.dimension == "month":
            # The month as its first day, "YYYY-MM-01": the key is "YYYY-MM".
            found["month"][row.key[:7]] = numbers
        else:
            found[row.dimension][row.key] = numbers

    today = hong_kong_today()
    this_month = f"{today.year:04d}-{today.month:02d}"

    def trend(period: ReportFilter, previous: bool = False) -> list[TrendPoint]:
        # Each month's numbers: (applications, placements) of the period, then of the
        # previous period. Months still to come are not drawn (a future year has none).
        counted = slice(2, 4) if previous else slice(0, 2)
        return [
            TrendPoint(month, format_month(month), *found["month"].get(month, (0,) * 4)[counted])
            for month in months_between(period.start, period.end)
            if month <= this_month
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
        previous_trend=trend(previous_filter, previous=True),
    )
