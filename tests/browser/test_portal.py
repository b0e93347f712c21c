"""Journeys through the portal in a real browser, one per kind of user, against the demo
data (6 universities, 60 companies, 60 students plus the founder)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from foundry.demo.pdf import minimal_pdf
from tests.browser.conftest import sign_in_as
from tests.browser.language import choose_language
from tests.browser.measure import horizontal_overflow

RANGE_OF_TOTAL = re.compile(r"\d+–\d+ of (\d+)")


def stat_value(page: Page, label: str):
    """The number on the figure card labelled `label`."""
    card = page.locator(".tf-stat").filter(
        has=page.locator(".tf-stat-label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return card.locator(".tf-stat-value")


def listed_total(page: Page) -> int:
    """The N of the "1–24 of N" line under a paginated list."""
    line = page.locator("p", has_text=RANGE_OF_TOTAL)
    return int(RANGE_OF_TOTAL.search(line.inner_text()).group(1))


def flash(page: Page, text: str):
    """The flashed message (Bootstrap alert) that contains `text`."""
    return page.locator(".tf-flashes .alert").filter(has_text=text)


def chart_total(page: Page, caption: str) -> int:
    chart = page.locator("figure.tf-chart").filter(has=page.locator("caption", has_text=caption))
    values = chart.locator(".tf-bar-value").all_inner_texts()
    assert values, f"the chart {caption!r} has no rows"
    return sum(int(v) for v in values)


# --- anonymous visitors ----------------------------------------------------------------


def test_landing_page_shows_the_platform_figures(page: Page, screenshot):
    page.goto("/")
    expect(page).to_have_title(re.compile("Talent Foundry"))
    expect(stat_value(page, "Universities")).to_have_text("6")
    expect(stat_value(page, "Faculties")).to_have_text("9")
    assert int(stat_value(page, "Verified park companies").inner_text()) > 0
    expect(page.get_by_text("of 61 students")).to_be_visible()
    screenshot(page)


def test_skip_link_is_the_first_thing_tab_reaches(page: Page, screenshot):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    screenshot(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    expect(page.locator("main#main")).to_be_focused()


def test_company_directory_filters_by_cluster(page: Page, screenshot):
    page.goto("/companies")
    expect(page.get_by_role("heading", name="Park companies", level=1)).to_be_visible()
    cards = page.locator(".tf-company-card")
    expect(cards.first).to_be_visible()
    everyone = listed_total(page)

    cluster = page.get_by_label("Cluster")
    cluster.select_option(label="Fintech")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]cluster=fintech\b"))
    expect(cluster).to_have_value("fintech")
    expect(cards.first).to_be_visible()
    fintech = listed_total(page)
    assert 0 < fintech < everyone
    assert cards.count() == min(fintech, 24)
    for meta in cards.locator(".text-body-secondary").all_inner_texts():
        assert meta.startswith("Fintech ·"), meta
    screenshot(page)

    cluster.select_option(label="All clusters")
    page.get_by_role("button", name="Filter").click()
    expect(page).not_to_have_url(re.compile("cluster=fintech"))
    assert listed_total(page) == everyone


def test_missing_page_looks_like_the_product(page: Page, screenshot):
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.locator("nav.tf-navbar")).to_be_visible()
    expect(page.locator("nav.tf-navbar").get_by_role("link", name="Talent Foundry")).to_be_visible()
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    screenshot(page)
    page.locator("main").get_by_role("link", name="Home", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(stat_value(page, "Universities")).to_have_text("6")


def test_language_switch_to_traditional_chinese_and_back(page: Page, screenshot):
    page.goto("/companies")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", re.compile("^en"))
    choose_language(page, "zh_Hant")  # the visible button, clicked
    expect(page).to_have_url(re.compile("/companies"))
    page.reload()
    expect(html).to_have_attribute("lang", re.compile("^zh-Hant"))
    screenshot(page)
    choose_language(page, "en")
    expect(page.get_by_role("heading", name="Park companies", level=1)).to_be_visible()


# --- students ----------------------------------------------------------------------------


def test_student_edits_profile_and_joins_the_talent_pool(page: Page, screenshot):
    student = sign_in_as(page, "student")
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_role("heading", name=f"Welcome, {student.name}")).to_be_visible()

    page.locator("nav.tf-navbar").get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    skills = page.get_by_label("Skills", exact=True)
    before = skills.input_value()
    skills.fill(f"{before}, rust" if before else "rust")
    pool = page.get_by_label(re.compile("^Show my profile in the Talent Pool"))
    pool.check()
    screenshot(page, "form")
    page.get_by_role("button", name="Save profile").click()

    expect(flash(page, "Your profile is saved.")).to_be_visible()
    page.reload()
    expect(skills).to_have_value(re.compile(r"(^|,\s*)rust(,|$)", re.IGNORECASE))
    for old in filter(None, (s.strip() for s in before.split(","))):
        expect(skills).to_have_value(re.compile(re.escape(old), re.IGNORECASE))
    expect(pool).to_be_checked()
    screenshot(page)

    page.locator("nav.tf-navbar").get_by_role("link", name="Dashboard", exact=True).click()
    pool_card = page.locator("section").filter(has=page.get_by_role("heading", name="Talent Pool"))
    expect(pool_card.get_by_text("Visible", exact=True)).to_be_visible()


def test_student_uploads_a_cv_and_a_fake_pdf_is_refused(page: Page, screenshot, tmp_path):
    sign_in_as(page, "student")
    page.goto("/me/profile")
    cvs = page.locator("#cvs")
    rows = cvs.locator("ul.list-group > li")
    expect(cvs.get_by_role("heading", name="My CVs")).to_be_visible()
    count = rows.count()

    good = tmp_path / "test-cv.pdf"
    good.write_bytes(minimal_pdf(["Test CV"]))
    cvs.get_by_label("Title").fill("Browser test CV")
    cvs.get_by_label("PDF file (up to 5 MB)").set_input_files(good)
    cvs.get_by_role("button", name="Upload CV").click()
    expect(flash(page, "Your CV is uploaded.")).to_be_visible()
    expect(rows).to_have_count(count + 1)
    new_cv = rows.filter(has_text="Browser test CV")
    expect(new_cv).to_contain_text("test-cv.pdf")
    expect(new_cv).to_contain_text("1 page")

    href = new_cv.get_by_role("link", name="Browser test CV").get_attribute("href")
    download = page.request.get(href)
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")

    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    cvs.get_by_label("Title").fill("Not really a PDF")
    cvs.get_by_label("PDF file (up to 5 MB)").set_input_files(fake)
    cvs.get_by_role("button", name="Upload CV").click()
    expect(cvs.get_by_text("not a PDF")).to_be_visible()
    expect(rows).to_have_count(count + 1)
    expect(rows.filter(has_text="Not really a PDF")).to_have_count(0)
    screenshot(page)


# --- company staff -------------------------------------------------------------------------


def test_company_admin_edits_the_company_profile(page: Page, screenshot):
    admin = sign_in_as(page, "company_admin")
    company = admin.scope
    page.locator("nav.tf-navbar").get_by_role("link", name=company, exact=True).click()
    expect(page.get_by_text("Company workspace")).to_be_visible()
    expect(page.get_by_role("heading", name=company, level=1)).to_be_visible()
    team = page.locator("section").filter(
        has=page.get_by_role("heading", name="Team on Talent Foundry")
    )
    expect(team.locator("li").filter(has_text=admin.name)).to_be_visible()
    screenshot(page, "workspace")

    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", name="Edit company profile")).to_be_visible()
    name = page.get_by_label("Company name")
    expect(name).to_have_value(company)
    name.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Enter the company name.")
    expect(errors).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    screenshot(page, "error")

    name.fill(company)
    about = page.get_by_label("About the company")
    about.fill("Robots for Hong Kong's harbours. Updated in the browser test.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(flash(page, "The company profile is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name=company, level=1)).to_be_visible()
    expect(page.get_by_text("Updated in the browser test.")).to_be_visible()
    screenshot(page)


# --- faculty staff -------------------------------------------------------------------------


def test_dean_sees_faculty_figures_and_sorts_the_student_list(page: Page, screenshot):
    dean = sign_in_as(page, "dean")
    faculty = dean.scope.split("·", 1)[1].strip()
    expect(page).to_have_url(re.compile(r"/faculty/\d+$"))
    expect(page.get_by_role("heading", name=faculty, level=1)).to_be_visible()
    students = int(stat_value(page, "Students on Talent Foundry").inner_text())
    assert students > 0
    assert chart_total(page, "Students by programme") == students
    assert chart_total(page, "Students by expected graduation year") == students
    assert chart_total(page, "Students by study level") == students
    screenshot(page)

    page.get_by_role("link", name="All students").click()
    expect(page.get_by_role("heading", name="Students", level=1)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(min(students, 25))

    header = page.get_by_role("columnheader", name=re.compile("^Graduation"))
    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=graduation\b"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    years = [int(y) for y in rows.locator("td:nth-child(4)").all_inner_texts()]
    assert years == sorted(years)

    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=-graduation\b"))
    expect(header).to_have_attribute("aria-sort", "descending")
    years = [int(y) for y in rows.locator("td:nth-child(4)").all_inner_texts()]
    assert years == sorted(years, reverse=True)
    screenshot(page, "students")


def test_faculty_chart_bars_are_drawn_to_scale(page: Page, screenshot):
    """The bar-chart macro promises "a bar drawn to scale": a bar of 2 is half a bar of 4."""
    sign_in_as(page, "dean")
    charts = page.locator("figure.tf-chart")
    expect(charts).to_have_count(3)
    screenshot(page)
    for chart in charts.all():
        caption = chart.locator("caption").inner_text()
        # A zero has no bar at all; every other value has one.
        rows = [
            (value, row.locator(".tf-bar").bounding_box())
            for row in chart.locator("tbody tr").all()
            if (value := int(row.locator(".tf-bar-value").inner_text()))
        ]
        peak_value = max(value for value, _ in rows)
        peak_width = max(box["width"] for _, box in rows)
        for value, box in rows:
            drawn, meant = box["width"] / peak_width, value / peak_value
            assert abs(drawn - meant) < 0.03, (
                f"{caption}: the bar for {value} is {drawn:.0%} of the longest bar, not {meant:.0%}"
            )


# --- park admin ------------------------------------------------------------------------------


def test_park_admin_verifies_a_company_and_the_audit_log_shows_it(page: Page, screenshot):
    sign_in_as(page, "park_admin")
    page.locator("nav.tf-navbar").get_by_role("link", name="Park admin").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(stat_value(page, "Universities")).to_have_text("6")
    expect(stat_value(page, "Students")).to_have_text("61")
    assert int(stat_value(page, "Verified companies").inner_text()) > 0
    screenshot(page)

    tabs = page.locator("ul.nav-tabs")
    tabs.get_by_role("link", name="Companies").click()
    rows = page.locator("ul.list-group > li")
    expect(rows.first.locator("select")).to_be_visible()
    # The demo's 60, and any a recruiter's sign-up test made earlier in this worker.
    assert listed_total(page) >= 60
    page.get_by_label("Verification", exact=True).select_option(label="Pending review")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]status=pending\b"))
    pending = listed_total(page)
    assert pending > 0

    row = rows.first
    company = row.get_by_role("link").first.inner_text()
    row.locator("select").select_option(label="Verified")
    screenshot(page, "companies")
    row.get_by_role("button", name="Save").click()
    expect(flash(page, f"{company}: Verified.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]status=pending\b"))
    expect(rows.filter(has_text=company)).to_have_count(0)

    tabs.get_by_role("link", name="Audit log").click()
    # The audit log speaks the reader's language (the action code is only a tooltip).
    entry = page.locator("table tbody tr").filter(has_text="Company verification changed")
    expect(entry.first).to_contain_text(re.compile(rf"{re.escape(company)}: .+ → Verified"))
    expect(entry.first).to_contain_text("Fanny Wong")
    screenshot(page, "audit")


# --- phones ------------------------------------------------------------------------------------


def test_phone_student_dashboard_fits_and_has_a_menu(phone_page: Page, screenshot):
    page = phone_page
    student = sign_in_as(page, "student")
    expect(page.get_by_role("heading", name=f"Welcome, {student.name}")).to_be_visible()
    assert horizontal_overflow(page) <= 1
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    my_profile = page.locator("nav.tf-navbar").get_by_role("link", name="Profile", exact=True)
    expect(my_profile).to_be_hidden()
    screenshot(page)
    toggler.click()
    expect(my_profile).to_be_visible()
    screenshot(page, "menu")


@pytest.mark.parametrize(
    ("role", "path", "suffix"),
    [
        (None, "/", ""),
        (None, "/companies", ""),
        ("student", "/me/profile", ""),
        ("dean", "/faculty/", ""),
        ("dean", "/faculty/", "/students"),
        ("company_admin", "/company/", ""),
        ("park_admin", "/admin", ""),
        ("park_admin", "/admin/companies", ""),
        ("park_admin", "/admin/audit", ""),
    ],
    ids=[
        "landing",
        "directory",
        "student-profile",
        "faculty",
        "faculty-students",
        "company-workspace",
        "admin",
        "admin-companies",
        "admin-audit",
    ],
)
def test_phone_pages_do_not_scroll_sideways(phone_page: Page, screenshot, role, path, suffix):
    """`path` ending in "/" means: the user's own page there, found in the (collapsed) menu."""
    page = phone_page
    if role:
        sign_in_as(page, role)
    if role and path.endswith("/"):
        path = page.locator(f'nav.tf-navbar a[href^="{path}"]').first.get_attribute("href")
    page.goto(path + suffix)
    expect(page.locator("main h1").first).to_be_visible()
    screenshot(page)
    assert horizontal_overflow(page) <= 1, f"{path} is wider than the phone"
