"""The placement dashboard in a real browser, as a dean of the demo: figures with charts,
the list behind "placed", and the Excel export, compared with each other (never with
hard-coded demo numbers, which the demo seed may change)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from foundry.reports.periods import academic_year_of, hong_kong_today
from tests.browser.conftest import sign_in_as
from tests.browser.language import choose_language
from tests.browser.measure import horizontal_overflow
from tests.reports.routes.readers import read_xlsx


def figure_value(page: Page, key: str) -> str:
    return (
        page.locator(f'.tf-report-stat[data-figure="{key}"] .tf-figure-number').inner_text().strip()
    )


def to_number(text: str) -> int:
    return int(text.replace(",", ""))


def choose_last_full_year(page: Page) -> str:
    """Pick the academic year before the current one (a whole year of demo data)."""
    year = page.get_by_label("Academic year")
    previous = year.locator("option").nth(1)
    label = previous.inner_text().strip()
    year.select_option(label=label)
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".tf-report-scope")).to_contain_text(label)
    return label


def test_dean_dashboard_placed_list_and_excel_agree(page: Page, screenshot):
    dean = sign_in_as(page, "dean")
    page.goto("/reports/placements")
    expect(page.get_by_role("heading", name="Placements", level=1)).to_be_visible()
    label = choose_last_full_year(page)
    expect(page.locator(".tf-report-scope")).to_contain_text(dean.scope.split(" · ")[-1])

    # Figures with charts: each chart named, summarised, with its numbers.
    placed = to_number(figure_value(page, "placed"))
    applied = to_number(figure_value(page, "applied"))
    assert placed > 0 and applied >= placed
    for caption in ("Funnel: from active to placed", "Month by month", "By company cluster"):
        expect(page.get_by_role("figure", name=caption)).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Applications and placements by month"))
    ).to_be_visible()
    funnel_placed = page.locator(
        '.tf-funnel a[data-figure="placed"] .tf-figure-number'
    ).inner_text()
    assert to_number(funnel_placed) == placed
    # The trend's table adds up to the placements of the period.
    page.locator("details:has(#trend-table) summary").click()
    trend_rows = page.locator("#trend-table tbody tr")
    monthly = [to_number(t) for t in trend_rows.locator("td:nth-child(3)").all_inner_texts()]
    assert sum(monthly) >= placed  # placements, counting a student placed twice twice
    screenshot(page, "dashboard")

    # Excel of the figures: the same numbers as the cards.
    with page.expect_download() as download_info:
        page.locator(".tf-export-buttons").get_by_role(
            "link", name=re.compile("Download Excel")
        ).click()
    download = download_info.value
    assert re.fullmatch(r"placements-\d{4}-\d{2}-.+\.xlsx", download.suggested_filename)
    rows = read_xlsx(Path(download.path()).read_bytes())
    assert rows[0][3].startswith(f"{label} (")  # "2025/26 (2025-09-01 – 2026-08-31)"
    assert rows[1][0] == "Periods compared"
    figures = {row[1]: row[3] for row in rows[1:] if row[0] == "Figures"}
    assert figures["Placed"] == placed and figures["Applied"] == applied

    # A click on "placed" lists exactly those students.
    page.locator('.tf-report-stat[data-figure="placed"] a').click()
    expect(page.get_by_role("heading", name="Placed", level=1)).to_be_visible()
    total = int(page.locator("#drilldown-total").get_attribute("data-total"))
    assert total == placed
    rows_seen = page.locator("#drilldown-table tbody tr").count()
    next_page = page.locator("li.page-item:not(.disabled) a.page-link", has_text="Next")
    while next_page.count():
        next_page.click()
        rows_seen += page.locator("#drilldown-table tbody tr").count()
    assert rows_seen == placed
    screenshot(page, "placed-list")

    # Its Excel export has the same students.
    with page.expect_download() as download_info:
        page.locator(".tf-export-buttons").get_by_role(
            "link", name=re.compile("Download Excel")
        ).click()
    listed = read_xlsx(Path(download_info.value.path()).read_bytes())
    assert listed[0][0] == "Student" and len(listed) - 1 == placed


def test_dean_dashboard_on_a_phone(phone_page: Page, screenshot):
    sign_in_as(phone_page, "dean")
    phone_page.goto("/reports/placements")
    choose_last_full_year(phone_page)
    expect(phone_page.locator(".tf-trend-narrow")).to_be_visible()
    expect(phone_page.locator(".tf-trend-wide")).to_be_hidden()
    overflow = horizontal_overflow(phone_page)
    assert overflow <= 0, f"the dashboard is {overflow}px wider than the phone"
    screenshot(phone_page)
    phone_page.locator('.tf-report-stat[data-figure="applied"] a').click()
    expect(phone_page.locator("#drilldown-table")).to_be_visible()
    overflow = horizontal_overflow(phone_page)
    assert overflow <= 0, "the list scrolls inside its table, not the page"
    screenshot(phone_page, "list")


def this_year_so_far() -> tuple[str, list[str]]:
    """Today's Hong Kong date as the dashboard writes it ("7 Dec") and the months of the
    academic year so far ("Sept 2026" ... this month)."""
    today = hong_kong_today()
    first = date(academic_year_of(today), 9, 1)
    months, day = [], first
    while day <= today:
        months.append(f"{day:%b} {day.year}".replace("Sep ", "Sept "))  # en_HK's September
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return f"{today.day} {today:%b}", months


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_dean_sees_the_year_so_far_against_the_same_days(open_page, screenshot, viewport: str):
    page = open_page("dean", viewport)
    sign_in_as(page, "dean")
    page.goto("/reports/placements")  # the current academic year: the year so far
    day, months = this_year_so_far()
    comparison = page.locator(".tf-report-comparison")
    expect(comparison).to_contain_text(f"1 Sept – {day}, against the same days of")
    expect(page.locator(".tf-report-stat").first).to_contain_text(f"to {day}")
    expect(page.locator("#trend-summary")).to_contain_text("against the same days of")
    # The trend draws this year's months so far and no month still to come.
    page.locator("details:has(#trend-table) summary").click()
    shown = page.locator("#trend-table tbody th").all_inner_texts()
    assert [m.strip() for m in shown] == months
    points = page.locator(".tf-trend-wide .tf-series-applications .tf-point").count()
    assert points == len(months)
    if viewport == "phone":
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"the dashboard is {overflow}px wider than the phone"
    screenshot(page, "en")

    choose_language(page, "zh_Hant")
    expect(page.locator(".tf-report-comparison")).to_contain_text("年度同期比較")
    expect(page.locator(".tf-report-scope")).to_contain_text("年度至")
    if viewport == "phone":
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"the Chinese dashboard is {overflow}px wider than the phone"
    screenshot(page, "zh")
    # The choice is the dean's (kept on their account): leave it as other tests expect.
    choose_language(page, "en")


def test_dashboard_is_usable_by_keyboard(page: Page):
    sign_in_as(page, "dean")
    page.goto("/reports/placements")
    details = page.locator("details.tf-numbers").first
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(details.locator("table")).to_be_visible()
    first_number = details.locator("table a").first
    first_number.focus()
    expect(first_number).to_be_focused()
