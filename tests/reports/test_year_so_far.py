"""The current academic year is the year so far, compared with the same days of the year
before (Hong Kong days, 29 February matched by the 28th); a past year is compared whole
with the whole year before; a custom range with as many days before it; and no month still
to come is drawn. Counts by hand: tests/reports/year_so_far.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.metrics import dashboard
from foundry.reports.parsing import parse_filter
from foundry.reports.periods import hong_kong_today
from tests.reports import year_so_far
from tests.reports.test_query_count import add_applications
from tests.reports.year_so_far import TODAY, fix_clock
from tests.statements import recorded_statements


@pytest.fixture
def world(db, monkeypatch):
    fix_clock(monkeypatch)
    w = year_so_far.build()
    db.session.commit()
    return w


def stages(figures) -> dict[str, tuple]:
    return {
        key: (getattr(figures, key).value, getattr(figures, key).previous)
        for key in ("active", "applied", "interviewed", "offered", "placed")
    }


def test_in_december_the_year_so_far_is_compared_with_the_same_days_a_year_before():
    f = parse_filter({}, ReportScope(), TODAY)
    assert (f.first_day, f.last_day, f.academic_year, f.to_today) == (
        date(2026, 9, 1),
        date(2026, 12, 6),
        2026,
        True,
    )
    before = f.previous()
    assert (before.first_day, before.last_day, before.academic_year) == (
        date(2025, 9, 1),
        date(2025, 12, 6),
        2025,
    )
    assert before.start == datetime(2025, 8, 31, 16, tzinfo=UTC)  # 1 Sep 00:00 HKT
    assert before.end == datetime(2025, 12, 6, 16, tzinfo=UTC)  # 7 Dec 00:00 HKT
    assert f.label == "2026/27 to 6 Dec" and before.label == "2025/26 to 6 Dec"
    assert f.comparison() == "1 Sept – 6 Dec, against the same days of 2025/26"
    # The URL names the year (it means the year so far); the days before, their dates.
    assert f.query_args() == {"year": "2026"}
    assert before.query_args() == {"from": "2025-09-01", "to": "2025-12-06"}
    assert parse_filter(before.query_args(), ReportScope(), TODAY) == as_custom_range(before)


def as_custom_range(f: ReportFilter) -> ReportFilter:
    """The same days as a custom range (how a list of the days before is opened)."""
    return ReportFilter.for_days(f.first_day, f.last_day)


def test_today_is_the_hong_kong_day():
    # 6 Dec 2026 16:00 UTC is midnight in Hong Kong: 7 December has begun.
    assert hong_kong_today(datetime(2026, 12, 6, 15, 59, 59, tzinfo=UTC)) == date(2026, 12, 6)
    assert hong_kong_today(datetime(2026, 12, 6, 16, tzinfo=UTC)) == date(2026, 12, 7)


def test_the_year_so_far_reads_the_reports_clock(monkeypatch):
    fix_clock(monkeypatch, datetime(2026, 12, 6, 16, 30, tzinfo=UTC))
    f = ReportFilter.for_academic_year(2026, today=hong_kong_today())
    assert f.last_day == date(2026, 12, 7)
    assert f.previous().last_day == date(2025, 12, 7)


@pytest.mark.parametrize(
    ("today", "last_before"),
    [
        (date(2028, 2, 29), date(2027, 2, 28)),  # a leap day: the end of February before
        (date(2028, 3, 1), date(2027, 3, 1)),
        (date(2029, 2, 28), date(2028, 2, 28)),  # the leap day of the year before is after
        (date(2029, 3, 1), date(2028, 3, 1)),  # ... and now within: the whole of February
        (date(2026, 9, 1), date(2025, 9, 1)),  # the first day
    ],
)
def test_the_same_days_of_the_year_before_around_29_february(today, last_before):
    f = ReportFilter.for_academic_year(today.year if today.month >= 9 else today.year - 1, today)
    assert f.to_today and f.last_day == today
    assert f.previous().first_day == date(
        last_before.year if today.month >= 9 else last_before.year - 1, 9, 1
    )
    assert f.previous().last_day == last_before


def test_on_31_august_the_year_so_far_is_the_whole_year():
    f = ReportFilter.for_academic_year(2025, today=date(2026, 8, 31))
    assert f == ReportFilter.for_academic_year(2025)
    assert f.whole_year and f.previous() == ReportFilter.for_academic_year(2024)


def test_a_past_year_is_compared_whole_with_the_whole_year_before():
    f = parse_filter({"year": "2025"}, ReportScope(), TODAY)
    assert f.whole_year and not f.to_today
    assert (f.first_day, f.last_day) == (date(2025, 9, 1), date(2026, 8, 31))
    before = f.previous()
    assert before == ReportFilter.for_academic_year(2024)
    assert f.comparison() == "2025/26, against the whole of 2024/25"
    assert f.query_args() == {"year": "2025"}


def test_a_custom_range_is_compared_with_as_many_days_before_it_and_stops_at_today():
    past = parse_filter({"from": "2026-10-01", "to": "2026-10-31"}, ReportScope(), TODAY)
    assert (past.previous().first_day, past.previous().last_day) == (
        date(2026, 8, 31),
        date(2026, 9, 30),
    )
    assert past.comparison() == (
        "1 Oct 2026 – 31 Oct 2026, against the 31 days before it (31 Aug 2026 – 30 Sept 2026)"
    )
    running = parse_filter({"from": "2026-11-01", "to": "2027-01-31"}, ReportScope(), TODAY)
    assert (running.first_day, running.last_day) == (date(2026, 11, 1), TODAY)
    assert running.previous().last_day == date(2026, 10, 31)
    assert running.previous().days == running.days == 36
    one_day = parse_filter({"from": "2026-12-06", "to": "2026-12-06"}, ReportScope(), TODAY)
    assert one_day.comparison().endswith("against 1 day before it (5 Dec 2026 – 5 Dec 2026)")


@pytest.mark.parametrize("from_summaries", [True, False])
def test_the_dean_sees_the_year_so_far_against_the_same_days(world, from_summaries):
    f = parse_filter({}, report_scope(world.dean), TODAY)
    d = dashboard(f, report_scope(world.dean), from_summaries=from_summaries)
    assert stages(d) == {
        "active": (3, 4),
        "applied": (3, 3),
        "interviewed": (0, 1),
        "offered": (0, 0),
        "placed": (1, 1),
    }
    assert d.median_days_to_placement.value == 35.0
    assert d.median_days_to_placement.previous == 40.0
    (alpha,) = d.top_companies
    assert (alpha.applications, alpha.placements) == (3, 1)
    assert (alpha.applications_previous, alpha.placements_previous) == (3, 1)
    kinds = {r.key: r for r in d.by_kind if r.applications or r.applications_previous}
    assert {k: (r.applications_previous, r.placements_previous) for k, r in kinds.items()} == {
        world.job.kind.value: (3, 1)
    }
    programmes = {r.key: (r.applications, r.applications_previous) for r in d.by_programme}
    assert sum(a for a, _ in programmes.values()) == 3
    assert sum(b for _, b in programmes.values()) == 3


@pytest.mark.parametrize("from_summaries", [True, False])
def test_the_trend_has_no_month_still_to_come(world, from_summaries):
    f = parse_filter({}, report_scope(world.dean), TODAY)
    d = dashboard(f, report_scope(world.dean), from_summaries=from_summaries)
    assert [(p.month, p.applications, p.placements) for p in d.trend] == [
        ("2026-09", 1, 0),
        ("2026-10", 0, 1),
        ("2026-11", 1, 0),
        ("2026-12", 1, 0),
    ]
    # The same months a year before, cut at 6 December (s3's 7 December is not in it).
    assert [(p.month, p.applications, p.placements) for p in d.previous_trend] == [
        ("2025-09", 0, 0),
        ("2025-10", 2, 0),
        ("2025-11", 0, 1),
        ("2025-12", 1, 0),
    ]


@pytest.mark.parametrize("from_summaries", [True, False])
def test_late_in_the_year_the_same_days_are_the_year_before_but_its_last_weeks(
    world, from_summaries
):
    # On 30 June 2027 the same days of 2025/26 run to 30 June 2026: s6's application of
    # 20 July 2026 is not in them. (The summaries take those last weeks' raw rows from
    # their whole year rather than read ten months of raw rows.)
    f = ReportFilter.for_academic_year(2026, today=date(2027, 6, 30))
    d = dashboard(f, report_scope(world.dean), from_summaries=from_summaries)
    assert f.previous().last_day == date(2026, 6, 30)
    assert stages(d) == {
        "active": (3, 5),
        "applied": (3, 4),
        "interviewed": (0, 1),
        "offered": (0, 1),
        "placed": (1, 2),
    }
    (alpha,) = d.top_companies
    assert (alpha.applications_previous, alpha.placements_previous) == (4, 2)
    assert [p.month for p in d.previous_trend][-1] == "2026-06"
    assert sum(p.applications for p in d.previous_trend) == 4


def test_the_whole_past_year_still_counts_every_day_of_both_years(world):
    d = dashboard(ReportFilter.for_academic_year(2025), report_scope(world.dean))
    assert stages(d)["applied"] == (5, 0) and stages(d)["placed"] == (2, 0)
    assert len(d.trend) == 12


def test_a_year_still_to_come_draws_no_month(world):
    f = parse_filter({"year": "2027"}, report_scope(world.dean), TODAY)
    d = dashboard(f, report_scope(world.dean))
    assert d.trend == [] and stages(d)["applied"] == (0, 3)


def test_the_year_so_far_takes_three_statements_whatever_the_data(db, monkeypatch):
    fix_clock(monkeypatch, datetime(2025, 12, 6, 4, tzinfo=UTC))
    w = year_so_far.build()
    db.session.commit()
    scope = report_scope(w.dean)
    f = parse_filter({}, scope, date(2025, 12, 6))
    assert f.to_today and f.previous().part_of_year

    def statements() -> int:
        with recorded_statements() as executed:
            dashboard(f, scope)
        return len(executed)

    few = statements()
    add_applications(w.fac_x, students=10, postings=5)
    assert statements() == few == 3
