"""Issue 14's story in a real browser, on the demo data under the enforced CSP: the dean of
HKUST's School of Engineering records a sponsored capstone with a park startup, adds three
students and shares it; the startup's admin sees it and proposes an update; the dean
accepts; the hiring link shows how far each student went with the startup; the faculty
portfolio and its CSV export show it all. Then the new portfolio pages at 1280 and 375 px,
in English and Chinese, for the screenshots.

The people and students are those of the demo's own capstone (foundry/demo/
story_collaborations.py), found in the live database, so that what the hiring link should
show is read from the app's own query over the demo's record (never hard-coded numbers)."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.accounts.models import Role, RoleMembership, User
from foundry.collaborations.models import Collaboration
from foundry.collaborations.queries import hiring_link, record_for_page
from foundry.extensions import db
from tests.browser.language import choose_language
from tests.browser.measure import horizontal_overflow

DEMO_CAPSTONE = "Sponsored capstone: autonomous inspection robots"
STAGE_WORDS = {
    "applied": "Applied",
    "interviewed": "Interviewed",
    "offered": "Offered",
    "placed": "Placed",
}


@dataclass(frozen=True)
class Story:
    dean_id: int
    dean_email: str
    faculty_id: int
    university_id: int
    company_id: int
    company_slug: str
    company_name: str
    admin_id: int
    admin_email: str
    coordinator_id: int
    coordinator_email: str
    start_date: str
    students: list[tuple[int, str, str]]  # (profile id, name, what the hiring link says)


@pytest.fixture(scope="module")
def story(live_app) -> Story:
    with live_app.app_context():
        demo = db.session.scalar(
            sa.select(Collaboration).where(Collaboration.title == DEMO_CAPSTONE)
        )
        assert demo is not None, "the demo plays the capstone story"
        demo = record_for_page(demo.id)
        company = demo.company_parties[0].company
        dean = db.session.scalar(
            sa.select(User)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(RoleMembership.role == Role.DEAN, RoleMembership.faculty_id == demo.faculty_id)
        )
        admin = db.session.scalar(
            sa.select(User)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.role == Role.COMPANY_ADMIN,
                RoleMembership.company_id == company.id,
            )
            .order_by(RoleMembership.id)
        )
        coordinator = db.session.scalar(
            sa.select(User)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.role == Role.UNIVERSITY_COORDINATOR,
                RoleMembership.university_id == demo.faculty.university_id,
            )
        )
        link = hiring_link(demo)
        students = [
            (s.profile_id, s.profile.user.display_name, link.furthest(s.profile_id))
            for s in demo.students
        ]
        assert len(students) == 3 and any(stage for _p, _n, stage in students)
        found = Story(
            dean_id=dean.id,
            dean_email=dean.email,
            faculty_id=demo.faculty_id,
            university_id=demo.faculty.university_id,
            company_id=company.id,
            company_slug=company.slug,
            company_name=company.name,
            admin_id=admin.id,
            admin_email=admin.email,
            coordinator_id=coordinator.id,
            coordinator_email=coordinator.email,
            start_date=demo.start_date.isoformat(),
            students=students,
        )
        db.session.remove()
        return found


def sign_in(page: Page, email: str, user_id: int) -> None:
    page.goto(f"/demo/sign-in?q={email}")
    page.locator(f'button[name="user_id"][value="{user_id}"]').first.click()
    page.wait_for_url(lambda url: "/demo/sign-in" not in url)
    expect(page.locator(".tf-flashes .alert", has_text="Signed in as")).to_be_visible()


def flash(page: Page, text: str):
    return page.locator(".tf-flashes .alert").filter(has_text=text)


def test_a_dean_and_a_startup_keep_a_capstone_and_see_whom_it_hired(
    open_page, story: Story, screenshot
):
    title = "Browser capstone " + "".join(random.choices(string.ascii_lowercase, k=6))
    dean = open_page("dean")
    sign_in(dean, story.dean_email, story.dean_id)

    # The dean records the capstone with the startup, shared with it.
    dean.goto(f"/faculties/{story.faculty_id}/collaborations")
    dean.get_by_role("link", name="Record a collaboration").click()
    dean.get_by_label("Kind", exact=True).select_option("sponsored_project")
    dean.get_by_label("Title", exact=True).fill(title)
    dean.get_by_label("Who sees it", exact=True).select_option("shared")
    dean.get_by_label("Starts on", exact=True).fill(story.start_date)
    dean.get_by_label("Cash value (HKD)", exact=True).fill("150000")
    dean.get_by_label("Company", exact=True).select_option(str(story.company_id))
    dean.get_by_label("Lead academic", exact=True).select_option(str(story.dean_id))
    dean.get_by_role("button", name="Record the collaboration").click()
    expect(flash(dean, "The collaboration is recorded.")).to_be_visible()
    expect(dean.get_by_role("heading", level=1)).to_contain_text(title)
    record_url = dean.url

    # ... adds three students.
    dean.get_by_text("Name a person or add students").click()
    dean.get_by_label("Students of the faculties", exact=True).select_option(
        [str(profile_id) for profile_id, _name, _stage in story.students]
    )
    dean.locator('form[action$="/students"]').get_by_role("button", name="Add").click()
    people = dean.locator("#people")
    for _profile_id, name, _stage in story.students:
        expect(people).to_contain_text(name)

    # The startup's admin finds it among the records shared with the company and proposes
    # an update.
    startup = open_page("startup admin")
    sign_in(startup, story.admin_email, story.admin_id)
    startup.goto(f"/companies/{story.company_slug}/collaborations?q={title}")
    startup.get_by_role("link", name=title).click()
    expect(startup.locator("#details")).to_contain_text("HK$150,000")
    startup.get_by_role("link", name="Propose an update").click()
    startup.get_by_label("Cash value (HKD)", exact=True).fill("210000")
    startup.get_by_label("Message to the faculty", exact=True).fill("Sensors for the second term.")
    startup.get_by_role("button", name="Send the proposal").click()
    expect(flash(startup, "Your proposed update is sent to the faculty.")).to_be_visible()

    # The dean sees the proposal on the record and accepts it.
    dean.goto(record_url)
    proposals = dean.locator("section", has=dean.locator("#proposals-title"))
    expect(proposals).to_contain_text("Sensors for the second term.")
    proposals.get_by_role("button", name="Accept").click()
    expect(flash(dean, "The proposal is accepted.")).to_be_visible()
    expect(dean.locator("#details")).to_contain_text("HK$210,000")
    expect(dean.locator("#history")).to_contain_text("Proposal accepted")

    # The hiring link names how far each student went with the startup.
    hiring = dean.locator("#hiring")
    for _profile_id, name, stage in story.students:
        row = hiring.locator("li", has_text=name)
        expect(row).to_contain_text(STAGE_WORDS[stage] if stage else "Not applied")
    went_further = [s for _p, _n, s in story.students if s in ("interviewed", "offered", "placed")]
    assert went_further, "the demo's students went through the startup's interviews"
    screenshot(dean, "record")

    # The faculty portfolio and its export show it all.
    dean.goto(f"/faculties/{story.faculty_id}/collaborations?q={title}")
    table = dean.get_by_role("table", name=re.compile("Collaborations of"))
    expect(table).to_contain_text(title)
    expect(table).to_contain_text(story.company_name)
    expect(dean.locator("#kt-title")).to_be_visible()
    href = dean.get_by_role("link", name="Export CSV").get_attribute("href")
    export = dean.request.get(href)
    assert export.status == 200
    text = export.text()
    assert title in text and story.company_name in text and "210000" in text
    screenshot(dean, "portfolio")


@pytest.mark.usefixtures("languages_as_seeded")
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_university_portfolio_reads_well_in_both_languages(
    open_page, story: Story, screenshot, viewport
):
    page = open_page("coordinator", viewport)
    sign_in(page, story.coordinator_email, story.coordinator_id)
    for language in ("en", "zh"):
        if language == "zh":
            choose_language(page, "zh_Hant")
        page.goto(f"/universities/{story.university_id}/collaborations")
        expect(page.locator("#kt-title")).to_be_visible()
        if viewport == "phone":
            assert horizontal_overflow(page) <= 0, f"{language}: the page scrolls sideways"
        screenshot(page, f"{viewport}-{language}")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_dean_attaches_the_agreement_and_the_startup_downloads_it(
    open_page, story: Story, screenshot, viewport
):
    """The upload form in a real browser: a program renamed .pdf is refused with what to do,
    the signed agreement is attached, and the startup's admin downloads the same bytes."""
    from tests.collaborations.documents import exe, pdf

    dean = open_page("dean", viewport)
    sign_in(dean, story.dean_email, story.dean_id)
    dean.goto(f"/faculties/{story.faculty_id}/collaborations?q=autonomous+inspection")
    dean.get_by_role("link", name=DEMO_CAPSTONE).first.click()
    record_url = dean.url.split("#")[0]
    attachments = dean.locator("#attachments")
    file_input = attachments.get_by_label("File", exact=True)

    file_input.set_input_files(
        files=[{"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": exe()}]
    )
    attachments.get_by_role("button", name="Attach the file").click()
    expect(dean.get_by_text("is not a PDF, Word (.docx) or Excel (.xlsx) file")).to_be_visible()

    name = f"signed-agreement-{viewport}.pdf"
    content = pdf(f"Capstone agreement ({viewport})")
    dean.goto(record_url)
    file_input.set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    attachments.get_by_label("Description (optional)", exact=True).fill("Signed agreement")
    attachments.get_by_role("button", name="Attach the file").click()
    expect(flash(dean, f"“{name}” is attached.")).to_be_visible()
    expect(dean.locator("#attachments")).to_contain_text(name)
    if viewport == "phone":
        assert horizontal_overflow(dean) <= 0, "the record page scrolls sideways"
    screenshot(dean, "attached")

    startup = open_page("startup admin", viewport)
    sign_in(startup, story.admin_email, story.admin_id)
    startup.goto(record_url)
    with startup.expect_download() as download:
        startup.locator("#attachments").get_by_role("link", name=name).click()
    with open(download.value.path(), "rb") as stream:
        assert stream.read() == content
