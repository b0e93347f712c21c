"""The pages show the engine's numbers: every figure, chart row and list total equals what
dashboard(), drilldown_page() and graduate_outcomes() say (their own tests count by hand)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest

from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from foundry.reports.outcomes import graduate_outcomes
from tests.reports.routes.factories import YEAR

STAT = re.compile(
    r'data-figure="(\w+)">\s*<div class="card-body">\s*<div class="tf-stat-value">'
    r'(?:<a href="([^"]*)">)?<span class="tf-figure-number">([^<]*)<'
)


@pytest.fixture
def dean(client, reports, login_as):
    login_as(reports.dean_x)
    return reports


def board_of(user, year=2025):
    return dashboard(ReportFilter.for_academic_year(year), report_scope(user))


def test_stat_cards_show_the_dashboards_figures_and_their_change(client, dean):
    board = board_of(dean.dean_x)
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    cards = {key: (url, value) for key, url, value in STAT.findall(html)}
    for stage in board.funnel:
        url, value = cards[stage.key]
        assert value == f"{stage.count:,}"
        assert f"figure={stage.key}" in url and "year=2025" in url
    assert cards["placement_rate"][1] == f"{board.placement_rate.value * 100:.0f}%"
    assert "↑" in html and "vs 2024/25" in html


def test_charts_have_a_name_a_summary_and_their_numbers(client, dean):
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    for chart in ("funnel", "trend", "cluster", "kind", "company", "programme"):
        assert f'aria-labelledby="{chart}-caption"' in html
        assert f'id="{chart}-summary"' in html
        assert f'id="{chart}-table"' in html
    assert 'role="img" aria-labelledby="trend-title-wide"' in html
    assert "<title>Oct 2025: 1 applications</title>" in html
    assert "Of 2 students who applied, 1 were interviewed, 1 got an offer and 1 were placed" in html
    assert "Placements rose from 0 in 2024/25 to 1 in 2025/26." in html


def test_every_chart_number_links_to_its_list(client, dean):
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    figures = {
        unquote(key)
        for key in re.findall(r'href="/reports/placements/list\?[^"]*figure=([^&"]+)', html)
    }
    assert {"active", "applied", "interviewed", "offered", "placed"} <= figures
    assert "cluster:ai_robotics" in figures and "placed:cluster:ai_robotics" in figures
    assert "kind:graduate_role" in figures
    assert f"company:{dean.alpha.id}" in figures
    assert f"programme:{dean.prog_x.id}" in figures
    assert "month:2025-10" in figures and "placed:month:2025-11" in figures
    # applications always go to a park posting: "outside the park" has no list to open
    assert "cluster:none" not in figures


def test_each_figures_list_has_exactly_that_many_rows(client, dean):
    board = board_of(dean.dean_x)
    for stage in board.funnel:
        html = client.get(f"/reports/placements/list?{YEAR}&figure={stage.key}").get_data(
            as_text=True
        )
        assert f'data-total="{stage.count}"' in html, stage.key
        assert html.count('<a href="/students/') == stage.count


def test_the_list_sorts_and_pages(client, dean, db):
    from tests import factories as f

    for number in range(55):
        profile = f.profile_of(
            f.student(dean.fac_x, programme_id=dean.prog_x.id, graduation_year=2026)
        )
        f.ApplicationFactory(
            profile=profile,
            posting=dean.alpha_job,
            submitted_at=datetime(2025, 9, 2, tzinfo=UTC) + timedelta(days=number),
        )
    db.session.commit()
    first = client.get(f"/reports/placements/list?{YEAR}&figure=applied").get_data(as_text=True)
    assert 'data-total="57"' in first and "1–50 of 57" in first
    second = client.get(f"/reports/placements/list?{YEAR}&figure=applied&page=2").get_data(
        as_text=True
    )
    assert second.count('<a href="/students/') == 7
    by_date = client.get(f"/reports/placements/list?{YEAR}&figure=applied&sort=-date").get_data(
        as_text=True
    )
    assert 'aria-sort="descending"' in by_date
    assert by_date.index("陳大文 Xena Chan") < by_date.index("Xavier Insider")


def test_the_list_says_so_when_it_is_empty(client, dean):
    html = client.get(f"/reports/placements/list?{YEAR}&figure=kind:research_assistant").get_data(
        as_text=True
    )
    assert 'data-total="0"' in html and "No one here" in html
    assert "Download CSV" not in html


def test_a_quiet_period_says_nothing_happened(client, dean):
    html = client.get("/reports/placements?year=2020").get_data(as_text=True)
    assert "Nothing happened in this period" in html


def test_custom_dates_are_kept_in_the_form_and_the_links(client, dean):
    html = client.get("/reports/placements?year=custom&from=2025-10-01&to=2025-10-31").get_data(
        as_text=True
    )
    assert 'value="2025-10-01"' in html and 'value="2025-10-31"' in html
    assert '<option value="custom" selected>' in html
    assert "figure=applied&amp;from=2025-10-01&amp;to=2025-10-31" in html or (
        "from=2025-10-01&amp;to=2025-10-31" in html
    )
    # Xavier applied on 10 October, Xena in January: one applicant in October
    cards = {key: value for key, _url, value in STAT.findall(html)}
    assert cards["applied"] == "1"


def test_choosing_a_year_ignores_dates_left_from_a_custom_range(client, dean):
    html = client.get("/reports/placements?year=2025&from=2025-10-01&to=2025-10-31").get_data(
        as_text=True
    )
    assert "2025/26 · UA · X Engineering" in html


def test_outcomes_page_shows_the_nace_table_and_the_rates(client, dean):
    summary = graduate_outcomes(
        2026, ReportFilter.for_academic_year(2025), report_scope(dean.dean_x)
    )
    html = client.get("/reports/outcomes?class=2026").get_data(as_text=True)
    for row in summary.rows:
        assert re.search(
            rf'data-outcome="{row.key}">\s*<th[^>]*>{re.escape(row.label)}</th>\s*'
            rf'<td class="tf-num"><a href="[^"]*outcome={row.key}[^"]*">{row.count}</a>',
            html,
        ), row.key
    assert summary.graduates == 2 and summary.known == 2
    assert "Knowledge rate" in html and "100%" in html
    assert "divided by all graduates (2)" in html
    assert "Career-outcomes rate" in html and "leaving out those not seeking" in html


def test_outcomes_default_to_the_latest_class_that_graduated(client, dean, monkeypatch):
    from datetime import date

    from foundry.reports import routes

    monkeypatch.setattr(routes, "hong_kong_today", lambda: date(2026, 10, 1))
    html = client.get("/reports/outcomes").get_data(as_text=True)
    assert "Class of 2026 · UA · X Engineering" in html
    monkeypatch.setattr(routes, "hong_kong_today", lambda: date(2026, 5, 1))
    html = client.get("/reports/outcomes").get_data(as_text=True)
    assert "Class of 2025 · UA · X Engineering" in html


def test_an_outcome_found_off_the_portal_is_marked(client, dean):
    html = client.get("/reports/outcomes/list?class=2026&outcome=continuing_education").get_data(
        as_text=True
    )
    assert "陳大文 Xena Chan" in html and "Xavier Insider" not in html
    assert "Found outside the portal" in html
    assert "Recorded by staff — found via graduate survey" in html
    assert "HKUST MPhil" in html


def test_the_dashboard_and_its_exports_speak_chinese(client, dean, post_form):
    post_form("/language", {"language": "zh_Hant", "next": "/"}, form_page="/reports/outcomes")
    response = client.get(f"/reports/placements?{YEAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "10月" in html  # the trend's month labels
    for url in (
        f"/reports/placements/export.xlsx?{YEAR}",
        f"/reports/placements/list/export.csv?{YEAR}&figure=placed",
        "/reports/outcomes/export.csv?class=2026",
    ):
        assert client.get(url, buffered=True).status_code == 200
