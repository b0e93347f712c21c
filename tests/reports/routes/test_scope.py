"""Scoped to the row: a dean of faculty X sees no number, row or export line of faculty Y
or university B, whatever they put in the URL. Y and B have data of every kind."""

from __future__ import annotations

import pytest

from tests.reports.routes.factories import OUTSIDERS, YEAR
from tests.reports.routes.readers import read_csv, read_xlsx, xlsx_text


def assert_no_outsider(text: str) -> None:
    for outsider in OUTSIDERS:
        assert outsider not in text, outsider


@pytest.fixture
def dean(client, reports, login_as):
    login_as(reports.dean_x)
    return reports


def tampered_queries(w) -> list[str]:
    """Parameters that try to reach Y or B."""
    return [
        f"faculty={w.fac_y.id}",
        f"university={w.uni_b.id}",
        f"faculty={w.fac_b.id}",
        f"programme={w.prog_y.id}",
        f"programme={w.prog_b.id}",
        f"university={w.uni_a.id}&faculty={w.fac_y.id}",
    ]


def test_another_faculty_or_university_in_the_url_is_refused(client, dean):
    for query in tampered_queries(dean):
        for url in (
            f"/reports/placements?{YEAR}&{query}",
            f"/reports/placements/list?{YEAR}&figure=applied&{query}",
            f"/reports/outcomes?class=2026&{query}",
            f"/reports/outcomes/list?class=2026&{query}",
        ):
            response = client.get(url)
            assert response.status_code == 400, url
            html = response.get_data(as_text=True)
            assert "Unknown" in html  # the same words as for an id that does not exist
            assert_no_outsider(html)
        for url in (
            f"/reports/placements/export.csv?{YEAR}&{query}",
            f"/reports/placements/list/export.csv?{YEAR}&figure=placed&{query}",
            f"/reports/outcomes/list/export.xlsx?class=2026&{query}",
        ):
            response = client.get(url, buffered=True)
            assert response.status_code == 400, url
            assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_the_dashboard_counts_only_the_deans_faculty(client, dean):
    html = client.get(f"/reports/placements?{YEAR}").get_data(as_text=True)
    assert_no_outsider(html)
    assert "Yonder Labs" not in html  # only Y's students applied there: no row for it
    rows = read_csv(client.get(f"/reports/placements/export.csv?{YEAR}", buffered=True))
    figures = {row[1]: row[3] for row in rows if row[0] == "Figures"}
    assert figures["Applied"] == "2"  # Xavier and Xena; not Yvonne nor Zed
    assert figures["Placed"] == "1"  # Xavier
    assert not any("Yonder" in cell for row in rows for cell in row)


def test_a_company_only_y_applied_to_lists_nothing_for_the_dean(client, dean):
    for figure in (f"company:{dean.yonder.id}", f"placed:company:{dean.yonder.id}"):
        response = client.get(f"/reports/placements/list?{YEAR}&figure={figure}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'data-total="0"' in html
        assert_no_outsider(html)
        csv_rows = read_csv(
            client.get(f"/reports/placements/list/export.csv?{YEAR}&figure={figure}", buffered=True)
        )
        assert len(csv_rows) == 1  # the header only
        workbook = client.get(
            f"/reports/placements/list/export.xlsx?{YEAR}&figure={figure}", buffered=True
        ).get_data()
        assert len(read_xlsx(workbook)) == 1
        assert_no_outsider(xlsx_text(workbook))


@pytest.mark.parametrize(
    "figure",
    [
        "active",
        "applied",
        "interviewed",
        "offered",
        "placed",
        "cluster:ai_robotics",
        "placed:cluster:fintech",
        "kind:graduate_role",
        "month:2025-10",
        "placed:month:2025-11",
    ],
)
def test_no_list_or_export_of_the_dean_shows_an_outsider(client, dean, figure):
    html = client.get(f"/reports/placements/list?{YEAR}&figure={figure}").get_data(as_text=True)
    assert_no_outsider(html)
    csv_text = client.get(
        f"/reports/placements/list/export.csv?{YEAR}&figure={figure}", buffered=True
    ).get_data(as_text=True)
    assert_no_outsider(csv_text)
    workbook = client.get(
        f"/reports/placements/list/export.xlsx?{YEAR}&figure={figure}", buffered=True
    ).get_data()
    assert_no_outsider(xlsx_text(workbook))


def test_graduate_outcomes_of_the_dean_leave_out_other_faculties(client, dean):
    html = client.get("/reports/outcomes?class=2026").get_data(as_text=True)
    assert_no_outsider(html)
    listed = client.get("/reports/outcomes/list?class=2026").get_data(as_text=True)
    assert "Xavier Insider" in listed and "陳大文 Xena Chan" in listed
    assert_no_outsider(listed)
    # Yvonne's outcome (employed, found on LinkedIn) is Y's: the dean's employed are Xavier's
    employed = client.get("/reports/outcomes/list?class=2026&outcome=employed_full_time").get_data(
        as_text=True
    )
    assert "Xavier Insider" in employed and "LinkedIn" not in employed
    for fmt in ("csv", "xlsx"):
        for url in (
            f"/reports/outcomes/export.{fmt}?class=2026",
            f"/reports/outcomes/list/export.{fmt}?class=2026",
        ):
            body = client.get(url, buffered=True).get_data()
            text = xlsx_text(body) if fmt == "xlsx" else body.decode("utf-8")
            assert_no_outsider(text)
            assert "LinkedIn" not in text


def test_a_placement_officer_of_y_does_not_see_x(client, reports, login_as):
    login_as(reports.officer_y)
    listed = client.get(f"/reports/placements/list?{YEAR}&figure=applied").get_data(as_text=True)
    assert "Yvonne Outsider" in listed
    assert "Xavier Insider" not in listed and "Zed Faraway" not in listed
    assert client.get(f"/reports/placements?{YEAR}&faculty={reports.fac_x.id}").status_code == 400


def test_a_coordinator_of_b_cannot_reach_university_a(client, reports, login_as):
    login_as(reports.coordinator_b)
    for query in (f"university={reports.uni_a.id}", f"faculty={reports.fac_x.id}"):
        assert client.get(f"/reports/placements?{YEAR}&{query}").status_code == 400
    listed = client.get(f"/reports/placements/list?{YEAR}&figure=applied").get_data(as_text=True)
    assert "Zed Faraway" in listed and "Xavier Insider" not in listed
