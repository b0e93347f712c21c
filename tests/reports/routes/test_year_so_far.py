"""The dashboard on 6 December 2026: the year so far against the same days of 2025/26, said
in the labels, the summaries and the exports, in English and Chinese; no month still to
come in the trend or its table; the previous period's numbers open lists of those days.
Figures by hand: tests/reports/year_so_far.py."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from foundry.policy import report_scope
from foundry.reports.metrics import dashboard
from foundry.reports.parsing import parse_filter
from tests.reports import year_so_far
from tests.reports.routes.readers import read_csv, read_xlsx
from tests.reports.year_so_far import TODAY, fix_clock

BEFORE_LINK = re.compile(r'<a href="([^"]*)" data-figure-before="([^"]+)">([0-9,]+)</a>')
TREND_ROW = re.compile(
    r'<tr>\s*<th scope="row" class="fw-normal">([^<]+)</th>\s*'
    r'<td class="tf-num"><a href="[^"]*figure=month'
)


@pytest.fixture
def dean(client, db, login_as, monkeypatch):
    fix_clock(monkeypatch)
    world = year_so_far.build()
    db.session.commit()
    login_as(world.dean)
    return world


def page(client, url="/reports/placements") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def trend_table_months(html: str) -> list[str]:
    table = html[html.index('id="trend-table"') :]
    return TREND_ROW.findall(table[: table.index("</table>")])


def test_the_page_says_it_compares_the_same_days(client, dean):
    html = page(client)
    assert "Compared: 1 Sept – 6 Dec, against the same days of 2025/26" in html
    assert "2026/27 to 6 Dec · " in html  # the period, before the faculty
    assert "vs 2025/26 to 6 Dec" in html  # the stat cards' changes
    assert "Changes compare with 2025/26 to 6 Dec." in html
    # The trend's summary compares like with like: 1 placement in each.
    assert (
        "1 Sept – 6 Dec, against the same days of 2025/26. Placements stayed at 1. "
        "Applications stayed at 3. The most applications were sent in" in html
    )
    assert "against the whole of" not in html


def test_the_trend_draws_no_month_still_to_come(client, dean):
    html = page(client)
    assert trend_table_months(html) == ["Sept 2026", "Oct 2026", "Nov 2026", "Dec 2026"]
    for month in ("Jan 2027", "Feb 2027", "Aug 2027"):
        assert month not in html
    assert html.count("<title>Dec 2026: 1 applications</title>") == 2  # wide and narrow
    # The same months of 2025/26 sit beside them, counted to 6 December.
    assert "1 applications, 0 placements" in html  # December 2025: s2, not s3 (7 Dec)


def test_the_numbers_of_the_days_before_open_lists_of_those_days(client, dean):
    html = page(client)
    board = dashboard(parse_filter({}, report_scope(dean.dean), TODAY), report_scope(dean.dean))
    links = BEFORE_LINK.findall(html)
    keys = {key for _url, key, _number in links}
    assert {"active", "applied", "interviewed", "offered", "placed"} <= keys
    checked = 0
    for url, key, number in links:
        args = parse_qs(urlsplit(url).query)
        assert args["from"] == ["2025-09-01"] and args["to"] == ["2025-12-06"], url
        assert "year" not in args
        if key in ("active", "applied", "interviewed", "offered", "placed"):
            assert int(number.replace(",", "")) == board.figure(key).previous
        listing = page(client, url)
        total = re.search(r'data-total="(\d+)"', listing)
        assert int(total.group(1)) == int(number.replace(",", "")), (key, url)
        checked += 1
    assert checked >= 7


def test_a_past_year_compares_whole_years(client, dean):
    html = page(client, "/reports/placements?year=2025")
    assert "Compared: 2025/26, against the whole of 2024/25" in html
    assert "vs 2024/25" in html and "to 6 Dec" not in html
    assert len(trend_table_months(html)) == 12
    assert "Placements rose from 0 in 2024/25 to 2 in 2025/26." in html


def test_the_exports_say_which_periods_they_compare(client, dean):
    for fmt, read in (("csv", read_csv), ("xlsx", None)):
        response = client.get(f"/reports/placements/export.{fmt}", buffered=True)
        assert response.status_code == 200
        rows = read(response) if read else read_xlsx(response.get_data())
        assert rows[0][3:5] == [
            "2026/27 to 6 Dec (2026-09-01 – 2026-12-06)",
            "2025/26 to 6 Dec (2025-09-01 – 2025-12-06)",
        ]
        assert rows[1][:2] == [
            "Periods compared",
            "1 Sept – 6 Dec, against the same days of 2025/26",
        ]
        figures = {(r[0], r[1]): r for r in rows[2:]}
        applied = figures[("Figures", "Applied")]
        assert [float(v) for v in applied[3:5]] == [3, 3]
        months = [r[1] for r in rows if r[0] == "Month by month"]
        assert months[-1] == "Dec 2026" and "Jan 2027" not in months


def test_the_year_so_far_speaks_chinese(client, dean, post_form):
    post_form("/language", {"language": "zh_Hant", "next": "/"}, form_page="/reports/outcomes")
    html = page(client)
    assert "9月1日 – 12月6日，與2025/26年度同期比較" in html
    assert "2026/27年度至12月6日" in html
    assert "2026年1月" not in html  # no month still to come
    rows = read_csv(client.get("/reports/placements/export.csv", buffered=True))
    assert rows[0][3] == "2026/27年度至12月6日 (2026-09-01 – 2026-12-06)"
