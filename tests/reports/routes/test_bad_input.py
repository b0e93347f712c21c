"""Bad input: a clear message and a 4xx, never a 500, never a leak."""

from __future__ import annotations

import pytest

from tests.reports.routes.factories import OUTSIDERS, YEAR


@pytest.fixture
def dean(client, reports, login_as):
    login_as(reports.dean_x)
    return reports


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=custom&from=2026-05-01&to=2026-01-01", "is before the start date"),
        ("from=2026-05-01&to=2026-01-01", "is before the start date"),
        ("year=1800", "academic year (year) must be a year"),
        ("year=abc", "academic year (year) must be a year"),
        ("year=custom&from=2026-02-30&to=2026-03-01", "start date (from) must be a date"),
        ("year=custom&from=2026-01-01", "Give an end date"),
        ("faculty=abc", "Unknown faculty."),
        ("faculty=99999", "Unknown faculty."),
        ("faculty=99999999999999999999", "Unknown faculty."),
        ("programme=1%20OR%201=1", "Unknown programme."),
        ("grad=2027%27%20OR%201=1--", "graduation year (grad) must be a year"),
        ("grad=1800", "graduation year (grad) must be a year"),
        ("level=professor", "Unknown study level"),
        ("origin=mars", "Unknown origin"),
    ],
)
def test_the_dashboard_shows_what_is_wrong_with_the_filters(client, dean, query, message):
    response = client.get(f"/reports/placements?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'role="alert" id="filter-error"' in html
    assert 'aria-label="Report filters"' in html  # the form is there to correct it
    assert "data-figure=" not in html  # and no figure
    for outsider in OUTSIDERS:
        assert outsider not in html


def test_a_refused_value_is_marked_on_its_field(client, dean):
    html = client.get("/reports/placements?grad=1800").get_data(as_text=True)
    field = html[html.index('id="filter-grad"') - 120 : html.index('id="filter-grad"') + 300]
    assert "is-invalid" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="filter-error"' in field


def test_what_was_typed_comes_back_escaped(client, dean):
    html = client.get(
        "/reports/placements?year=custom&from=%3Cscript%3Ealert(1)%3C/script%3E&to=2026-01-01"
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "query",
    [
        "figure=garbage",
        "figure=",
        "figure=company:abc",
        "figure=company:1%20OR%201=1",
        "figure=cluster:nowhere",
        "figure=placed:month:2025-13",
        "figure=month:1800-01",
        f"figure=applied&{YEAR}&sort=password",
        f"figure=applied&{YEAR}&page=-1",
        f"figure=applied&{YEAR}&page=abc",
        "figure=applied&year=1800",
    ],
)
def test_the_list_refuses_a_bad_figure_sort_or_page(client, dean, query):
    response = client.get(f"/reports/placements/list?{query}")
    assert response.status_code == 400
    assert "We could not" not in response.get_data(as_text=True)
    if "page=" not in query:  # an export has every row: it reads no page
        export = client.get(f"/reports/placements/list/export.csv?{query}", buffered=True)
        assert export.status_code == 400


def test_the_list_explains_an_unknown_figure(client, dean):
    html = client.get("/reports/placements/list?figure=garbage").get_data(as_text=True)
    assert "Unknown figure." in html


@pytest.mark.parametrize(
    "url",
    [
        f"/reports/placements/export.pdf?{YEAR}",
        f"/reports/placements/list/export.json?{YEAR}&figure=placed",
        "/reports/outcomes/export.html?class=2026",
        "/reports/outcomes/list/export.xls?class=2026",
    ],
)
def test_only_csv_and_excel_are_offered(client, dean, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("class=1800", "The class (class) must be a graduation year"),
        ("class=abc", "The class (class) must be a graduation year"),
        ("class=2026&faculty=abc", "Unknown faculty."),
        ("class=2026&origin=everywhere", "Unknown origin"),
    ],
)
def test_outcomes_show_what_is_wrong(client, dean, query, message):
    response = client.get(f"/reports/outcomes?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["class=2026&outcome=rich", "class=2026&sort=salary", "class=2026&page=0"]
)
def test_the_outcome_list_refuses_bad_parameters(client, dean, query):
    assert client.get(f"/reports/outcomes/list?{query}").status_code == 400
    if "page=" not in query:
        export = client.get(f"/reports/outcomes/list/export.csv?{query}", buffered=True)
        assert export.status_code == 400
