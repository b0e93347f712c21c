"""Where the placement dashboard's numbers come from: one interface, DashboardSource, that
both stores answer with the same typed rows, so the dashboard (foundry.reports.metrics)
never asks which one it reads.

- the report summaries (foundry.reports.summaries.queries.Summaries): an academic year, or
  the year so far, against the one before;
- the raw rows (foundry.reports.aggregates.RawRows): any period, a custom range included.

tests/reports/summaries/test_same_figures.py checks that the two give the same dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from foundry.reports.filters import ReportFilter, ReportScope


@dataclass(frozen=True)
class StageCount:
    """Distinct students who reached a stage (active, applied, interviewed, offered,
    placed) in the period and in the period before."""

    stage: str
    current: int
    previous: int


@dataclass(frozen=True)
class Middles:
    """The middle one or two of the placed students' days to placement, in the period and
    in the period before (the median is their mean)."""

    current: list[float]
    previous: list[float]


@dataclass(frozen=True)
class BreakdownCounts:
    """Applications submitted and placements agreed in the period and the period before,
    for one key of a breakdown: a cluster, kind, company (the top ten), programme or month
    ("YYYY-MM-01"). key None is a programme not given; label and label_zh name a company
    or programme."""

    dimension: str
    key: str | None
    label: str | None
    label_zh: str | None
    applications: int
    placements: int
    applications_previous: int
    placements_previous: int

    @property
    def numbers(self) -> tuple[int, int, int, int]:
        return (
            self.applications,
            self.placements,
            self.applications_previous,
            self.placements_previous,
        )


class DashboardSource(Protocol):
    """What the dashboard reads, in a fixed number of statements whatever the data."""

    def stage_counts(self, f: ReportFilter, scope: ReportScope) -> dict[str, StageCount]:
        """The stages by key, in the scope and the filter's cohort: one statement."""
        ...

    def median_middles(self, f: ReportFilter, scope: ReportScope) -> Middles:
        """The middle days to placement: one statement."""
        ...

    def breakdowns(self, f: ReportFilter, scope: ReportScope) -> list[BreakdownCounts]:
        """Every breakdown's rows: one statement."""
        ...


def stage_rows(counts: dict[str, tuple[int, int]]) -> dict[str, StageCount]:
    return {
        stage: StageCount(stage, int(now), int(before)) for stage, (now, before) in counts.items()
    }


def middles_row(found: dict[bool, list[float]]) -> Middles:
    return Middles(current=found[True], previous=found[False])


def breakdown_rows(rows) -> list[BreakdownCounts]:
    """Typed rows from a statement's (dimension, key, label, label_zh, the four counts)."""
    return [
        BreakdownCounts(dimension, key, label, label_zh, *(int(n or 0) for n in numbers))
        for dimension, key, label, label_zh, *numbers in rows
    ]
