"""A career day in a real browser, under the enforced Content-Security-Policy: a student
opens the fair page, books a 1:1 slot and drops a CV with the company's button; the
company sees the student in its fair list. And screenshots of the fair page and the
company's booth page (1280 and 375 px, English and Chinese) for a person to look at."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.accounts.models import User
from foundry.companies.models import Company, VerificationStatus
from foundry.db import utcnow
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus
from foundry.programmes import checkin
from foundry.programmes.fairs.booths import decide_booth, feature_postings, request_booth
from foundry.programmes.fairs.models import SlotKind
from foundry.programmes.fairs.slots import SlotData, add_slot
from foundry.programmes.models import (
    ProgrammeKind,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile
from tests.browser.camera import browser_filming, write_qr_video
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _open_page
from tests.browser.language import choose_language
from tests.browser.marketplace_steps import Cast, choose_cast, sign_in
from tests.browser.measure import horizontal_overflow
from tests.programmes import factories as pf

SHOTS = Path(os.environ.get("FAIR_SHOTS", "/tmp/shots-fair"))


@dataclass(frozen=True)
class Fair:
    cast: Cast
    url: str
    booth_url: str
    programme_id: int


def _exhibit(programme, company, member, booth, admin, starts, minutes_in):
    exhibitor = request_booth(member, programme, company, [member.id])
    decide_booth(admin, exhibitor, approve=True, booth=booth)
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.company_id == company.id, Posting.status == PostingStatus.PUBLISHED)
        .order_by(Posting.id)
        .limit(6)
    ).all()
    feature_postings(
        member, exhibitor, [p.id for p in postings if p.is_open_for_applications()][:3]
    )
    for i in range(3):
        at = starts + timedelta(minutes=minutes_in + 15 * i)
        add_slot(member, exhibitor, SlotData(SlotKind.ONE_TO_ONE, at, at + timedelta(minutes=10)))
    at = starts + timedelta(hours=3)
    add_slot(member, exhibitor, SlotData(SlotKind.GROUP, at, at + timedelta(minutes=30), 20))
    return exhibitor


@pytest.fixture(scope="module")
def fair(live_app) -> Fair:
    """A career day in two days, 10:00 to 17:00 HKT: the cast's company at booth A01 and
    four other verified demo companies, the cast's student registered."""
    with live_app.app_context(), live_app.test_request_context():
        cast = choose_cast()
        admin = db.session.scalar(
            sa.select(User).where(User.email.like("%admin%")).order_by(User.id).limit(1)
        )
        from foundry.accounts.models import Role, RoleMembership

        park = (
            db.session.scalar(
                sa.select(User)
                .join(RoleMembership, RoleMembership.user_id == User.id)
                .where(RoleMembership.role == Role.PARK_ADMIN)
                .limit(1)
            )
            or admin
        )
        starts = (utcnow() + timedelta(days=2)).replace(hour=2, minute=0, second=0, microsecond=0)
        programme = pf.ProgrammeFactory(
            kind=ProgrammeKind.CAREER_DAY,
            title_en="AI in Action career day",
            title_zh="AI in Action 職業日",
        )
        session = pf.SessionFactory(
            programme=programme,
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            capacity=3000,
        )
        company = db.session.scalar(sa.select(Company).where(Company.slug == cast.company_slug))
        member = db.session.get(User, cast.company_admin.user_id)
        mine = _exhibit(programme, company, member, "A01", park, starts, 60)
        others = db.session.scalars(
            sa.select(Company)
            .where(
                Company.id != company.id,
                Company.verification_status == VerificationStatus.VERIFIED,
            )
            .order_by(Company.id)
            .limit(4)
        ).all()
        for n, other in enumerate(others, start=2):
            rep = db.session.scalar(
                sa.select(User)
                .join(RoleMembership, RoleMembership.user_id == User.id)
                .where(RoleMembership.company_id == other.id)
                .limit(1)
            )
            if rep is not None:
                _exhibit(programme, other, rep, f"A{n:02d}", park, starts, 60 + n)
        profile = db.session.scalar(
            sa.select(StudentProfile).where(StudentProfile.user_id == cast.student.user_id)
        )
        session.last_sequence += 1
        db.session.add(
            Registration(
                session_id=session.id,
                profile_id=profile.id,
                status=RegistrationStatus.REGISTERED,
                sequence=session.last_sequence,
            )
        )
        db.session.commit()
        return Fair(
            cast,
            f"/programmes/{programme.id}/fair",
            f"/company/{cast.company_slug}/fairs/exhibitors/{mine.id}",
            programme.id,
        )


def _booth_card(page: Page, fair: Fair):
    return page.locator(".tf-exhibitor").filter(has_text=fair.cast.company_name)


def test_a_student_books_a_slot_and_drops_a_cv_and_the_company_sees_them(open_page, fair):
    student = open_page("student", "phone")
    sign_in(student, fair.cast.student)
    student.goto(fair.url)
    card = _booth_card(student, fair)
    expect(card).to_contain_text("A01")
    card.get_by_role("button", name="Book").first.click()
    expect(student.locator(".tf-flashes .alert")).to_contain_text("You booked")
    expect(student.locator("#my-bookings")).to_contain_text(fair.cast.company_name)
    expect(student.locator("#fair-route-list")).to_contain_text("A01")
    _booth_card(student, fair).get_by_role("button", name="Drop my CV").click()
    expect(student.locator(".tf-flashes .alert")).to_contain_text("Your CV is with")
    expect(_booth_card(student, fair)).to_contain_text("CV dropped")
    assert horizontal_overflow(student) <= 0

    company = open_page("company", "desktop")
    sign_in(company, fair.cast.company_admin)
    company.goto(fair.booth_url)
    visitors = company.locator("#visitors")
    expect(visitors).to_contain_text(fair.cast.student.name)
    expect(visitors.get_by_role("link", name="Download CV")).to_be_visible()


def _language(page: Page, language: str) -> None:
    choose_language(page, "zh_Hant" if language == "zh" else "en")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.usefixtures("languages_as_seeded")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_screenshots_of_the_fair_and_booth_pages(open_page, fair, viewport, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = 1280 if viewport == "desktop" else 375
    student = open_page("student", viewport)
    sign_in(student, fair.cast.student)
    _language(student, language)
    student.goto(fair.url)
    student.locator(".tf-star").nth(1).click()
    expect(student.locator("#fair-route-list li")).not_to_have_count(0)
    assert viewport == "desktop" or horizontal_overflow(student) <= 0
    student.screenshot(path=str(SHOTS / f"fair-{width}-{language}.png"), full_page=True)
    company = open_page("company", viewport)
    sign_in(company, fair.cast.company_admin)
    _language(company, language)
    company.goto(fair.booth_url)
    assert viewport == "desktop" or horizontal_overflow(company) <= 0
    company.screenshot(path=str(SHOTS / f"booth-{width}-{language}.png"), full_page=True)


def _ticket_token(live_app, fair: Fair) -> str:
    """The signed token of the cast's student's ticket for the fair (its QR code's text)."""
    with live_app.app_context(), live_app.test_request_context():
        registration = db.session.scalar(
            sa.select(Registration)
            .join(StudentProfile, StudentProfile.id == Registration.profile_id)
            .where(
                StudentProfile.user_id == fair.cast.student.user_id,
                Registration.session_id.in_(
                    sa.select(ProgrammeSession.id).where(
                        ProgrammeSession.programme_id == fair.programme_id
                    )
                ),
            )
        )
        token = checkin.token_of(registration, checkin.ticket_of(registration))
        db.session.commit()
        return token


def test_the_booth_camera_reads_a_ticket_and_the_meeting_is_recorded(
    browser, live_app, base_url, request, fair, tmp_path
):
    """The real camera path (static/js/qr-scan.js): Chromium's fake camera films the
    student's ticket QR code; the booth page puts it in the ticket field, stops the camera
    and moves on to the rating; the representative records the meeting."""
    token = _ticket_token(live_app, fair)
    video = write_qr_video(token, tmp_path / "ticket.y4m")
    with browser_filming(browser, video, CHROMIUM, CHROMIUM_ARGS) as filming:
        opener = _open_page(filming, live_app, base_url, request, "phone", who="company")
        page = next(opener)
        page.set_default_timeout(25_000)  # a second browser on a busy machine is slower
        sign_in(page, fair.cast.company_admin)
        page.goto(fair.booth_url)
        page.get_by_role("button", name="Scan with the camera").click()
        expect(page.locator("#fair-camera-status")).to_contain_text("Ticket read")
        expect(page.get_by_label("Ticket code")).to_have_value(token)
        expect(page.get_by_role("button", name="Scan with the camera")).to_be_visible()
        rating = page.get_by_label("Rating (1 to 5)")
        expect(rating).to_be_focused()
        rating.fill("4")
        page.get_by_role("button", name="Record the meeting").click()
        expect(page.locator(".tf-flashes .alert")).to_contain_text(
            f"You met {fair.cast.student.name}"
        )
        next(opener, None)  # the page's checks: no JavaScript error, no CSP violation
