"""An organiser's journey, under the enforced Content-Security-Policy: a company member
creates a programme with a session, publishes it and finds it in their list. Then the
organiser's pages (list, editor, attendees) at desktop and phone widths, in English and
Chinese, for the screenshots the team reviews: nothing may overflow a phone's width."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.accounts.models import Role, RoleMembership
from foundry.companies.models import Company, VerificationStatus
from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.models import ProgrammeFormat, ProgrammeKind, ProgrammeStatus
from foundry.programmes.registration import register
from foundry.programmes.services import ProgrammeData, SessionData, add_session, create_programme
from foundry.students.models import StudentProfile
from tests.browser.language import choose_language
from tests.browser.marketplace_steps import flash
from tests.browser.measure import horizontal_overflow
from tests.browser.test_pipeline_board import _enforce_csp
from tests.programmes.organise_helpers import typed

SHOTS = Path("/tmp/shots-organise")


@dataclass(frozen=True)
class Organiser:
    user_id: int
    name: str
    slug: str


def _verified_recruiter(live_app) -> Organiser:
    with live_app.app_context():
        try:
            membership = db.session.scalars(
                sa.select(RoleMembership)
                .join(Company, Company.id == RoleMembership.company_id)
                .where(
                    RoleMembership.role == Role.RECRUITER,
                    Company.verification_status == VerificationStatus.VERIFIED,
                )
                .order_by(RoleMembership.id)
            ).first()
            return Organiser(
                membership.user_id, membership.user.display_name, membership.company.slug
            )
        finally:
            db.session.remove()


def _sign_in(page: Page, organiser: Organiser) -> None:
    page.goto("/demo/sign-in")
    page.locator(f'button[name="user_id"][value="{organiser.user_id}"]').first.click()
    expect(flash(page, f"Signed in as {organiser.name}.")).to_be_visible()


def test_a_company_member_creates_publishes_and_lists_a_programme(page: Page, live_app):
    csp_errors = _enforce_csp(page)
    organiser = _verified_recruiter(live_app)
    _sign_in(page, organiser)
    page.goto(f"/company/{organiser.slug}")
    page.get_by_role("main").get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name="New programme").first.click()
    page.get_by_label("Kind of programme").select_option("workshop")
    page.get_by_label("Title in English").fill("Job search techniques for AI roles")
    page.get_by_label("Title in Chinese").fill("人工智能職位求職技巧")
    page.get_by_label("Format").select_option("hybrid")
    page.get_by_label("Venue").fill("Hong Kong Science Park, Building 19W")
    page.get_by_label("Join link").fill("https://meet.example.org/job-search")
    now = utcnow()
    page.get_by_label("Registration opens (Hong Kong time)").fill(typed(now - timedelta(hours=1)))
    page.get_by_label("Registration closes (Hong Kong time)").fill(typed(now + timedelta(days=9)))
    page.get_by_role("button", name="Save draft").click()
    expect(flash(page, "The draft is saved.")).to_be_visible()

    page.get_by_role("link", name="Add a session").first.click()
    starts = now + timedelta(days=10)
    page.get_by_label("Starts (Hong Kong time)").fill(typed(starts))
    page.get_by_label("Ends (Hong Kong time)").fill(typed(starts + timedelta(hours=2)))
    page.get_by_label("Seats", exact=True).fill("40")
    page.get_by_role("button", name="Save the session").click()
    expect(flash(page, "The session is added.")).to_be_visible()

    page.get_by_role("button", name="Publish").click()
    expect(flash(page, "The programme is published")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Programmes").click()
    item = page.locator(".list-group-item").filter(has_text="Job search techniques for AI roles")
    expect(item).to_contain_text("Published")
    expect(item).to_contain_text("0 / 40")
    assert not csp_errors


def _programme_with_attendees(live_app, slug: str) -> tuple[int, int]:
    """A published career day of the company with eight registered and three waiting."""
    with live_app.app_context():
        try:
            company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
            admin = company_member(company)
            now = utcnow()
            programme = create_programme(
                admin,
                company,
                ProgrammeData(
                    kind=ProgrammeKind.CAREER_DAY,
                    title_en="AI in Action: meet our engineers",
                    title_zh="AI in Action：與我們的工程師見面",
                    format=ProgrammeFormat.IN_PERSON,
                    venue="Hong Kong Science Park, Charles K. Kao Auditorium",
                    registration_opens_at=now - timedelta(days=1),
                    registration_closes_at=now + timedelta(days=9),
                ),
            )
            session = add_session(
                admin,
                programme,
                SessionData(
                    starts_at=now + timedelta(days=10),
                    ends_at=now + timedelta(days=10, hours=3),
                    capacity=8,
                    label="Morning",
                ),
            )
            programme.status = ProgrammeStatus.PUBLISHED
            programme.published_at = now
            db.session.flush()
            profiles = db.session.scalars(
                sa.select(StudentProfile).order_by(StudentProfile.id).limit(11)
            ).all()
            for profile in profiles:
                register(profile.user, profile, session)
            db.session.commit()
            return programme.id, session.id
        finally:
            db.session.remove()


def company_member(company: Company):
    return (
        db.session.scalars(sa.select(RoleMembership).where(RoleMembership.company_id == company.id))
        .first()
        .user
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.usefixtures("languages_as_seeded")
def test_organiser_pages_fit_and_read_in_both_languages(open_page, live_app, viewport):
    organiser = _verified_recruiter(live_app)
    page = open_page("organiser", viewport)
    csp_errors = _enforce_csp(page)
    programme_id, session_id = _programme_with_attendees(live_app, organiser.slug)
    _sign_in(page, organiser)
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = "1280" if viewport == "desktop" else "375"
    pages = {
        "list": f"/company/{organiser.slug}/programmes",
        "editor": f"/organise/programmes/{programme_id}/edit",
        "overview": f"/organise/programmes/{programme_id}",
        "attendees": f"/organise/programmes/{programme_id}/sessions/{session_id}/attendees",
    }
    for language in ("en", "zh"):
        choose_language(page, "zh_Hant" if language == "zh" else "en")
        for name, url in pages.items():
            page.goto(url)
            expect(page.locator("h1")).to_be_visible()
            if viewport == "phone":
                assert horizontal_overflow(page) <= 0, (name, language)
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{language}.png"), full_page=True)
    assert not csp_errors
    shutil.rmtree(SHOTS / "tmp", ignore_errors=True)
