"""Every figure of the dashboard against a hand count of tests/reports/dataset.py.

Reading guide: "cur" is 2025/26, "prev" 2024/25; the students, applications and
placements named in the comments are those of the data set's docstring.
"""

from __future__ import annotations

from datetime import date

import pytest

from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.metrics import Figure, dashboard
from foundry.universities.models import StudyLevel


def rows(breakdown):
    """(key, applications, placements, previous applications, previous placements)."""
    return [
        (r.key, r.applications, r.placements, r.applications_previous, r.placements_previous)
        for r in breakdown
    ]


def figures(d):
    return {
        key: (getattr(d, key).value, getattr(d, key).previous)
        for key in ("active", "applied", "interviewed", "offered", "placed")
    }


@pytest.fixture
def dean_view(known):
    scope = report_scope(known.dean_a1)
    return dashboard(ReportFilter.for_academic_year(2025), scope)


def test_the_deans_stage_figures_are_the_hand_counts(dean_view):
    assert figures(dean_view) == {
        # cur: applicants s1 s3 s9 s10 + signed in s1 s4 (s8's sign-in failed; s2 was only
        #      interviewed, offered and placed) = 5
        # prev: applicants s1 s2 s5; s5's sign-in on 1 Sep 2024 (the one at 31 Aug 23:00
        #      HKT is before the year) = 3
        "active": (5, 3),
        # cur: s1 (a1, a2), s3 (c1 at the first instant, withdrawn; c2 at the last second),
        #      s9 (g1), s10 (h1) = 4; c3 (1 Sep 2026 HKT) is next year
        # prev: s1 (a3, withdrawn), s2 (b1, at 31 Aug 23:59:59 HKT), s5 (d1) = 3
        "applied": (4, 3),
        # cur: s1 (a1, a2), s2 (b1, sent last year), s10 (h1) = 3;  prev: s5 (d1) = 1
        "interviewed": (3, 1),
        # cur: s1 (two offers, counted once), s2, s10 = 3;  prev: s5 = 1
        "offered": (3, 1),
        # cur: s1 (pl1), s2 (pl2 and pl3: placed twice, counted once), s8 (pl6, recorded),
        #      s10 (pl7) = 4;  prev: s5 (pl4) = 1
        "placed": (4, 1),
    }


def test_the_deans_rates_and_median(dean_view):
    # placed / applied: 4 / 4 and 1 / 3
    assert dean_view.placement_rate == Figure(1.0, pytest.approx(1 / 3))
    # cur: s1 a3 2025-03-01 -> pl1 2025-11-03 = 247 days; s2 b1 2025-08-31 15:59:59 ->
    #      pl2 2025-09-25 15:59:59 = 25 days; s10 h1 2026-04-01 -> pl7 2026-05-15 = 44 days;
    #      s8 never applied (left out). Median of 25, 44, 247 = 44.
    # prev: s5 d1 2024-11-01 -> pl4 2024-12-05 = 34 days.
    assert dean_view.median_days_to_placement == Figure(44.0, 34.0)
    assert dean_view.median_days_to_placement.change == 10.0


def test_the_deans_funnel_converts_stage_to_stage(dean_view):
    funnel = [
        (s.key, s.count, s.previous, s.conversion, s.previous_conversion) for s in dean_view.funnel
    ]
    assert funnel == [
        ("active", 5, 3, None, None),
        ("applied", 4, 3, 4 / 5, 3 / 3),
        ("interviewed", 3, 1, 3 / 4, 1 / 3),
        ("offered", 3, 1, 3 / 3, 1 / 1),
        ("placed", 4, 1, 4 / 3, 1 / 1),
    ]


def test_the_deans_breakdown_by_cluster(dean_view):
    assert rows(dean_view.by_cluster) == [
        # a2 c2 h1 at C2; pl6 pl7
        ("fintech", 3, 2, 0, 0),
        # a1 c1 at C1; pl1 pl2; prev b1
        ("ai_robotics", 2, 2, 1, 0),
        # g1 at C3; prev a3 d1, pl4
        ("health_tech", 1, 0, 2, 1),
        # pl3 at MTR Corporation, outside the park
        ("none", 0, 1, 0, 0),
        ("microelectronics", 0, 0, 0, 0),
        ("new_materials", 0, 0, 0, 0),
        ("smart_city", 0, 0, 0, 0),
        ("sustainability", 0, 0, 0, 0),
    ]
    assert dean_view.by_cluster[3].label == "Outside the park"
    assert dean_view.by_cluster[0].figure_key == "cluster:fintech"
    assert dean_view.by_cluster[0].placed_figure_key == "placed:cluster:fintech"


def test_the_deans_top_companies(known, dean_view):
    assert [(r.key, r.label) for r in dean_view.top_companies] == [
        (str(known.c2.id), "Beta Fintech"),
        (str(known.c1.id), "Alpha Robotics"),
        (str(known.c3.id), "Gamma Health"),
    ]
    assert [row[1:] for row in rows(dean_view.top_companies)] == [
        (3, 2, 0, 0),  # a2 c2 h1; pl6 pl7
        (2, 2, 1, 0),  # a1 c1; pl1 pl2; prev b1
        (1, 0, 2, 1),  # g1; prev a3 d1, pl4
    ]


def test_the_deans_breakdown_by_kind(dean_view):
    assert rows(dean_view.by_kind) == [
        ("summer_internship", 3, 3, 1, 0),  # a1 a2 h1; pl1 pl2 pl7; prev b1
        ("graduate_role", 1, 1, 0, 0),  # c1; pl3
        ("part_time_internship", 1, 1, 0, 0),  # c2; pl6
        ("year_long_placement", 1, 0, 0, 0),  # g1
        ("research_assistant", 0, 0, 2, 1),  # prev a3 d1; pl4
    ]


def test_the_deans_breakdown_by_programme(known, dean_view):
    assert rows(dean_view.by_programme) == [
        # s1 s2 s4 s8 s9 s10: a1 a2 g1 h1; pl1 pl2 pl3 pl6 pl7; prev a3 b1
        (str(known.pa1.id), 4, 5, 2, 0),
        # s3: c1 c2
        (str(known.pa1b.id), 2, 0, 0, 0),
        # s5, no programme: prev d1, pl4
        ("none", 0, 0, 1, 1),
    ]
    assert [r.label for r in dean_view.by_programme] == [
        "BEng Computing",
        "MSc Robotics",
        "Programme not given",
    ]


def test_the_deans_trend_is_per_hong_kong_month(dean_view):
    trend = {(p.month, p.applications, p.placements) for p in dean_view.trend}
    assert [p.month for p in dean_view.trend][0] == "2025-09"
    assert [p.month for p in dean_view.trend][-1] == "2026-08"
    assert len(dean_view.trend) == 12
    assert {t for t in trend if t[1] or t[2]} == {
        ("2025-09", 1, 2),  # c1 (1 Sep 00:00 HKT); pl2 (25 Sep 23:59:59 HKT), pl6
        ("2025-10", 1, 0),  # a1
        ("2025-11", 1, 1),  # a2 (31 Oct 16:30 UTC = 1 Nov HKT); pl1
        ("2026-03", 1, 0),  # g1
        ("2026-04", 1, 0),  # h1
        ("2026-05", 0, 2),  # pl3, pl7
        ("2026-08", 1, 0),  # c2 (31 Aug 23:59:59 HKT)
    }
    assert dean_view.trend[0].label == "Sept 2025"
    assert dean_view.trend[0].figure_key == "month:2025-09"
    previous = {(p.month, p.applications, p.placements) for p in dean_view.previous_trend}
    assert {t for t in previous if t[1] or t[2]} == {
        ("2024-11", 1, 0),  # d1
        ("2024-12", 0, 1),  # pl4
        ("2025-03", 1, 0),  # a3
        ("2025-08", 1, 0),  # b1 (31 Aug 23:59:59 HKT)
    }


def test_the_coordinator_adds_the_other_faculty(known):
    d = dashboard(ReportFilter.for_academic_year(2025), report_scope(known.coordinator_a))
    # faculty A2 adds s6: e1 submitted and interviewed this year, a sign-in
    assert figures(d) == {
        "active": (6, 3),
        "applied": (5, 3),
        "interviewed": (4, 1),
        "offered": (3, 1),
        "placed": (4, 1),
    }
    assert d.placement_rate.value == pytest.approx(4 / 5)
    assert d.median_days_to_placement == Figure(44.0, 34.0)
    assert rows(d.by_cluster)[0] == ("fintech", 4, 2, 0, 0)  # + e1 at C2


def test_the_park_admin_sees_both_universities(known):
    d = dashboard(ReportFilter.for_academic_year(2025), ReportScope())
    # university B adds s7: f1 submitted, interviewed and offered, pl5 placed
    assert figures(d) == {
        "active": (7, 3),
        "applied": (6, 3),
        "interviewed": (5, 1),
        "offered": (4, 1),
        "placed": (5, 1),
    }
    assert d.placement_rate.value == pytest.approx(5 / 6)
    # + s7 f1 2025-10-01 -> pl5 2026-02-01 = 123 days: median of 25, 44, 123, 247 is
    # the mean of the middle two, (44 + 123) / 2
    assert d.median_days_to_placement == Figure(83.5, 34.0)
    assert [row[1:] for row in rows(d.top_companies)] == [
        (4, 2, 0, 0),  # C2: a2 c2 h1 e1; pl6 pl7
        (3, 3, 1, 0),  # C1: a1 c1 f1; pl1 pl2 pl5; prev b1
        (1, 0, 2, 1),  # C3: g1; prev a3 d1, pl4
    ]


@pytest.mark.parametrize(
    ("cohort", "expected"),
    [
        # s3 only (MSc Robotics, postgraduate): c1 c2; nothing else
        ({"programme": "pa1b"}, {"active": (1, 0), "applied": (1, 0), "placed": (0, 0)}),
        ({"study_level": StudyLevel.PG}, {"active": (1, 0), "applied": (1, 0), "placed": (0, 0)}),
        # s5 only: last year's application and placement
        ({"study_level": StudyLevel.PHD}, {"active": (0, 1), "applied": (0, 1), "placed": (0, 1)}),
        # s3 s9 graduate in 2027
        ({"graduation_year": 2027}, {"active": (2, 0), "applied": (2, 0), "placed": (0, 0)}),
        # s2 s9: g1 this year; s2 interviewed, offered and placed this year, applied last
        (
            {"non_local": True},
            {
                "active": (1, 1),
                "applied": (1, 1),
                "interviewed": (1, 0),
                "offered": (1, 0),
                "placed": (1, 0),
            },
        ),
        # everyone else of A1: s1 s3 s10 applied, s4 signed in; s1 s8 s10 placed
        (
            {"non_local": False},
            {
                "active": (4, 2),
                "applied": (3, 2),
                "interviewed": (2, 1),
                "offered": (2, 1),
                "placed": (3, 1),
            },
        ),
    ],
)
def test_cohort_filters(known, cohort, expected):
    if "programme" in cohort:
        cohort = {"programme_id": getattr(known, cohort["programme"]).id}
    f = ReportFilter.for_academic_year(2025, **cohort)
    d = dashboard(f, report_scope(known.dean_a1))
    got = figures(d)
    assert {key: got[key] for key in expected} == expected


def test_a_custom_range_and_the_range_before_it(known):
    # 1 Sep - 30 Nov 2025 in Hong Kong: 91 days; the previous period is the 91 days before
    f = ReportFilter.for_days(date(2025, 9, 1), date(2025, 11, 30))
    assert f.previous().label == "2 Jun 2025 – 31 Aug 2025"
    d = dashboard(f, report_scope(known.dean_a1))
    # c1 (s3), a1 a2 (s1); placed pl6 (s8), pl2 (s2), pl1 (s1); prev: b1 (s2) only
    assert d.applied == Figure(2, 1)
    assert d.placed == Figure(3, 0)
    assert [p.month for p in d.trend] == ["2025-09", "2025-10", "2025-11"]


def test_an_empty_period_has_no_rates(known):
    d = dashboard(ReportFilter.for_academic_year(2019), report_scope(known.dean_a1))
    assert d.applied == Figure(0, 0)
    assert d.placement_rate == Figure(None, None)
    assert d.median_days_to_placement == Figure(None, None)
    assert d.top_companies == []
    assert d.funnel[1].conversion is None
