"""The dashboard reads its numbers through one interface (foundry.reports.sources), the
same typed rows whichever store answers: it takes any DashboardSource as it is."""

from __future__ import annotations

from foundry.reports import metrics
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.sources import BreakdownCounts, Middles, StageCount


class FixedSource:
    """A DashboardSource with numbers of its own."""

    def stage_counts(self, f, scope):
        numbers = {"active": (9, 8), "applied": (6, 5), "interviewed": (4, 3)}
        numbers |= {"offered": (2, 2), "placed": (2, 1)}
        return {stage: StageCount(stage, *pair) for stage, pair in numbers.items()}

    def median_middles(self, f, scope):
        return Middles(current=[10.0, 20.0], previous=[7.0])

    def breakdowns(self, f, scope):
        return [
            BreakdownCounts("company", "42", "Alpha Robotics", None, 3, 1, 2, 0),
            BreakdownCounts("month", "2025-10-01", None, None, 2, 0, 1, 1),
        ]


def test_the_dashboard_takes_its_figures_from_whichever_source_answers(monkeypatch):
    monkeypatch.setattr(metrics, "source_for", lambda f, from_summaries=None: FixedSource())
    d = metrics.dashboard(ReportFilter.for_academic_year(2025), ReportScope())
    assert (d.active.value, d.active.previous) == (9, 8)
    assert (d.placement_rate.value, d.placement_rate.previous) == (2 / 6, 1 / 5)
    assert (d.median_days_to_placement.value, d.median_days_to_placement.previous) == (15.0, 7.0)
    assert [(r.key, r.applications, r.placements_previous) for r in d.top_companies] == [
        ("42", 3, 0)
    ]
    october = next(point for point in d.trend if point.month == "2025-10")
    assert (october.applications, october.placements) == (2, 0)


def test_both_stores_answer_through_the_interface():
    for source in (metrics.SUMMARIES, metrics.RAW_ROWS):
        assert callable(source.stage_counts)
        assert callable(source.median_middles)
        assert callable(source.breakdowns)
    academic_year = ReportFilter.for_academic_year(2025)
    assert metrics.source_for(academic_year) is metrics.SUMMARIES
    custom = ReportFilter.for_days(academic_year.first_day, academic_year.first_day)
    assert metrics.source_for(custom) is metrics.RAW_ROWS
