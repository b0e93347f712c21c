"""The students, applications and placements behind each figure, against the hand count
of tests/reports/dataset.py (the dean of faculty A1, 2025/26)."""

from __future__ import annotations

import pytest

from foundry.errors import InvalidInput
from foundry.placements.models import PlacementSource
from foundry.policy import report_scope
from foundry.reports.drilldown import SORTS, dashboard_table_rows, drilldown_page, iter_drilldown
from foundry.reports.figures import figure_title, parse_figure
from foundry.reports.filters import ReportFilter, ReportScope
from foundry.reports.metrics import dashboard


@pytest.fixture
def view(known):
    scope = report_scope(known.dean_a1)
    f = ReportFilter.for_academic_year(2025)
    return scope, f, dashboard(f, scope)


def everything(key, scope, f, sort="name"):
    rows, total = drilldown_page(parse_figure(key), f, scope, sort, 1, 200)
    assert total == len(rows)
    return rows


def test_placed_lists_exactly_the_placed_students(known, view):
    scope, f, d = view
    rows = everything("placed", scope, f)
    assert [r.student_name for r in rows] == ["S01 Chan", "S02 Wong", "S08 Leung", "S10 Yip"]
    assert len(rows) == d.placed.value
    s2 = rows[1]
    # placed twice (pl2 on the portal, pl3 recorded): the first of the year, and a count
    assert (s2.placement_id, s2.events, s2.source) == (known.pl2.id, 2, PlacementSource.PORTAL)
    assert (s2.company, s2.posting_title, s2.date) == ("Alpha Robotics", "P1", known.pl2.placed_at)
    s8 = rows[2]
    assert (s8.source, s8.company, s8.posting_title) == (
        PlacementSource.RECORDED,
        "Beta Fintech",
        "Part-time analyst",
    )


@pytest.mark.parametrize(
    ("key", "students"),
    [
        ("active", ["s1", "s3", "s4", "s9", "s10"]),
        ("applied", ["s1", "s3", "s9", "s10"]),
        ("interviewed", ["s1", "s2", "s10"]),
        ("offered", ["s1", "s2", "s10"]),
        ("placed", ["s1", "s2", "s8", "s10"]),
    ],
)
def test_each_stage_lists_its_students_once(known, view, key, students):
    scope, f, d = view
    rows = everything(key, scope, f)
    assert sorted(r.profile_id for r in rows) == sorted(getattr(known, s).id for s in students)
    assert len(rows) == d.figure(key).value


def test_a_student_with_several_offers_is_listed_once_with_their_first(known, view):
    scope, f, _d = view
    s1 = next(r for r in everything("offered", scope, f) if r.profile_id == known.s1.id)
    assert (s1.application_id, s1.events, s1.date) == (known.a1.id, 2, known.a1.offered_at)


def test_active_shows_a_sign_in_without_an_application(known, view):
    scope, f, _d = view
    s4 = next(r for r in everything("active", scope, f) if r.profile_id == known.s4.id)
    assert (s4.application_id, s4.company, s4.events) == (None, None, 1)
    assert s4.date.isoformat().startswith("2026-01-15")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("cluster:fintech", ["a2", "h1", "c2_app"]),
        ("cluster:none", []),
        ("kind:summer_internship", ["a1", "a2", "h1"]),
        ("month:2025-11", ["a2"]),  # 31 Oct 16:30 UTC is 1 Nov in Hong Kong
        ("month:2025-09", ["c1_app"]),  # the first instant of the year
        ("month:2026-08", ["c2_app"]),  # the last second of the year (c3 is next year's)
        ("month:2024-11", []),  # outside the period
        ("programme:none", []),
    ],
)
def test_breakdown_rows_list_their_applications(known, view, key, expected):
    scope, f, _d = view
    rows = everything(key, scope, f, "date")
    assert [r.application_id for r in rows] == [getattr(known, a).id for a in expected]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("placed:cluster:none", ["pl3"]),
        ("placed:company:none", ["pl3"]),
        ("placed:cluster:fintech", ["pl6", "pl7"]),
        ("placed:kind:graduate_role", ["pl3"]),
        ("placed:month:2025-09", ["pl6", "pl2"]),
        ("placed:programme:none", []),
    ],
)
def test_breakdown_rows_list_their_placements(known, view, key, expected):
    scope, f, _d = view
    rows = everything(key, scope, f, "date")
    assert [r.placement_id for r in rows] == [getattr(known, p).id for p in expected]


def test_every_row_and_month_of_the_dashboard_drills_down_to_its_count(view):
    scope, f, d = view
    checked = 0
    for breakdown in (d.by_cluster, d.top_companies, d.by_kind, d.by_programme, d.trend):
        for row in breakdown:
            _rows, applications = drilldown_page(parse_figure(row.figure_key), f, scope)
            _rows, placements = drilldown_page(parse_figure(row.placed_figure_key), f, scope)
            assert (applications, placements) == (row.applications, row.placements), row
            checked += 1
    assert checked == 8 + 3 + 5 + 3 + 12


def test_the_previous_period_drills_down_too(known, view):
    scope, f, d = view
    rows = everything("placed", scope, f.previous())
    assert [r.profile_id for r in rows] == [known.s5.id]
    assert len(rows) == d.placed.previous


@pytest.mark.parametrize("sort", sorted(SORTS) + [f"-{key}" for key in sorted(SORTS)])
def test_every_sort_lists_the_same_rows(view, sort):
    scope, f, _d = view
    for key in ("applied", "placed", "cluster:fintech", "placed:kind:summer_internship"):
        by_name = everything(key, scope, f)
        assert sorted(map(repr, everything(key, scope, f, sort))) == sorted(map(repr, by_name))


def test_sorts_order_the_rows(known, view):
    scope, f, _d = view
    newest = everything("kind:summer_internship", scope, f, "-date")
    assert [r.application_id for r in newest] == [known.h1.id, known.a2.id, known.a1.id]
    by_company = everything("placed:kind:summer_internship", scope, f, "company")
    assert [r.company for r in by_company] == ["Alpha Robotics", "Alpha Robotics", "Beta Fintech"]


@pytest.mark.parametrize("sort", ["", "name; DROP TABLE users", "-", "id", "--date", "NAME"])
def test_unknown_sorts_are_refused(view, sort):
    scope, f, _d = view
    with pytest.raises(InvalidInput):
        drilldown_page(parse_figure("applied"), f, scope, sort)


def test_pages_add_up_to_the_whole_list(view):
    scope, f, _d = view
    whole = everything("active", scope, f)
    pages = []
    for page in (1, 2, 3):
        rows, total = drilldown_page(parse_figure("active"), f, scope, "name", page, 2)
        assert total == 5
        pages += rows
    assert pages == whole
    assert drilldown_page(parse_figure("active"), f, scope, "name", 4, 2) == ([], 5)
    assert drilldown_page(parse_figure("active"), f, scope, "name", -3, 0)[0] == whole[:1]


def test_the_stream_has_the_same_rows_as_the_pages(view):
    scope, f, d = view
    for key in ("active", "placed", "cluster:fintech", "placed:month:2026-05"):
        assert list(iter_drilldown(parse_figure(key), f, scope)) == everything(key, scope, f)
    assert list(iter_drilldown(parse_figure("placed"), f, scope, "-date"))[0].date.month == 5


@pytest.mark.parametrize(
    "key",
    [
        "",
        "placements",
        "applied:cluster:fintech",
        "cluster:",
        "cluster:fintech' OR 1=1 --",
        "company:abc",
        "company:1 OR 1=1",
        "company:99999999999",
        "kind:internship",
        "programme:-1",
        "programme:１",
        "month:2025-13",
        "month:2025-1",
        "month:1800-01",
        "placed:",
        "placed:placed:cluster:fintech",
        "placed:active",
        "placed:month:2025/09",
        "x" * 10_000,
    ],
)
def test_unknown_figures_are_refused(key):
    with pytest.raises(InvalidInput):
        parse_figure(key)


def test_figure_keys_round_trip():
    for key in ("applied", "cluster:fintech", "placed:company:12", "placed:programme:none"):
        assert parse_figure(key).key == key
    assert parse_figure("applied").date_kind == "submitted"
    assert parse_figure("placed:kind:graduate_role").date_kind == "placed"


EVERYTHING = ReportScope()  # the park admin's scope


def test_titles_name_the_figure(known):
    def title(key: str) -> str:
        return figure_title(parse_figure(key), EVERYTHING)

    assert title("placed") == "Placed"
    assert title("cluster:fintech") == "Applications: Fintech"
    assert title("placed:cluster:none") == "Placements: Outside the park"
    assert title(f"company:{known.c2.id}") == "Applications: Beta Fintech"
    assert title("month:2025-11") == "Applications: Nov 2025"
    assert title(f"programme:{known.pb1.id}") == "Applications: BEng Civil"


def test_a_title_never_names_another_faculty_s_programme(known):
    dean_a1 = report_scope(known.dean_a1)
    title = figure_title(parse_figure(f"programme:{known.pb1.id}"), dean_a1)
    assert title == "Applications: Unknown programme"
    assert title == figure_title(parse_figure("programme:987654"), dean_a1)


def test_the_dashboard_as_a_table(view):
    _scope, _f, d = view
    table = dashboard_table_rows(d)
    assert ("Figures", "Placed", 4, 1) in table
    assert ("Figures", "Median days from first application to placement", 44.0, 34.0) in table
    assert ("By company cluster", "Fintech: applications", 3, 0) in table
    assert ("Top companies", "Beta Fintech: placements", 2, 0) in table
    assert ("Month by month", "Nov 2025: applications", 1, 1) in table  # Nov 2024: d1
    assert {section for section, *_ in table} == {
        "Figures",
        "Funnel: conversion from the stage before",
        "By company cluster",
        "Top companies",
        "By posting kind",
        "By programme of study",
        "Month by month",
    }


def test_the_park_admin_drills_down_into_both_universities(known):
    rows = everything("placed", ReportScope(), ReportFilter.for_academic_year(2025))
    assert known.s7.id in {r.profile_id for r in rows}
    assert len(rows) == 5
