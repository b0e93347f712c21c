"""After the event, in the browser under the enforced Content-Security-Policy: a student
who attended gives feedback from "my programmes", and the organiser reads the figures,
the distribution and the comments. Both at desktop and phone widths, in English and
Chinese, for the screenshots the team reviews: nothing may overflow a phone's width."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.attended import attendee_of
from foundry.programmes.checkin_models import Attendance, CheckInMethod
from foundry.programmes.feedback import give_feedback
from foundry.programmes.models import ProgrammeFormat, ProgrammeKind, ProgrammeStatus
from foundry.programmes.registration import register
from foundry.programmes.services import ProgrammeData, SessionData, add_session, create_programme
from foundry.students.models import StudentProfile
from tests.browser.language import choose_language
from tests.browser.marketplace_steps import flash
from tests.browser.measure import horizontal_overflow
from tests.browser.test_pipeline_board import _enforce_csp
from tests.browser.test_programme_organise import (
    Organiser,
    _sign_in,
    _verified_recruiter,
    company_member,
)

SHOTS = Path("/tmp/shots-after")
ANSWERS = [
    (5, "The mock interviews were the most useful hour of my term."),
    (4, "很有啟發性，希望下次有更多時間小組討論。"),
    (4, None),
    (3, "Some parts were too basic for PG students."),
    (5, None),
]


@dataclass(frozen=True)
class Past:
    programme_id: int
    student: Organiser  # the attendee who has not answered yet


def _past_programme_with_feedback(live_app, slug: str) -> Past:
    """The company's workshop that ended yesterday: seven attended, five answered."""
    from foundry.companies.models import Company

    with live_app.app_context():
        try:
            company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
            admin = company_member(company)
            now = utcnow()
            programme = create_programme(
                admin,
                company,
                ProgrammeData(
                    kind=ProgrammeKind.WORKSHOP,
                    title_en="Personal branding for engineers",
                    title_zh="工程師的個人品牌",
                    format=ProgrammeFormat.IN_PERSON,
                    venue="Hong Kong Science Park, Building 19W, Training Room 2",
                    registration_opens_at=now - timedelta(days=1),
                    registration_closes_at=now + timedelta(days=9),
                ),
            )
            session = add_session(
                admin,
                programme,
                SessionData(
                    starts_at=now + timedelta(days=10),
                    ends_at=now + timedelta(days=10, hours=2),
                    capacity=20,
                ),
            )
            programme.status, programme.published_at = ProgrammeStatus.PUBLISHED, now
            db.session.flush()
            profiles = db.session.scalars(
                sa.select(StudentProfile).order_by(StudentProfile.id.desc()).limit(7)
            ).all()
            registrations = [register(p.user, p, session) for p in profiles]
            # The session took place yesterday (moved back once everyone had registered).
            session.starts_at, session.ends_at = (
                now - timedelta(days=1, hours=3),
                now - timedelta(days=1, hours=1),
            )
            for registration in registrations:
                db.session.add(
                    Attendance(
                        registration_id=registration.id,
                        session_id=session.id,
                        method=CheckInMethod.SCAN,
                        checked_in_at=session.starts_at + timedelta(minutes=4),
                    )
                )
            db.session.flush()
            for profile, (rating, comment) in zip(profiles[2:], ANSWERS, strict=True):
                give_feedback(
                    profile.user, attendee_of(profile, programme, utcnow()), rating, comment
                )
            db.session.commit()
            student = profiles[0]
            return Past(programme.id, Organiser(student.user_id, student.user.display_name, ""))
        finally:
            db.session.remove()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.usefixtures("languages_as_seeded")
def test_feedback_pages_fit_and_read_in_both_languages(open_page, live_app, viewport):
    organiser = _verified_recruiter(live_app)
    past = _past_programme_with_feedback(live_app, organiser.slug)
    width = "1280" if viewport == "desktop" else "375"
    SHOTS.mkdir(parents=True, exist_ok=True)

    student = open_page("student", viewport)
    csp_errors = _enforce_csp(student)
    _sign_in(student, past.student)
    for language in ("en", "zh"):
        choose_language(student, "zh_Hant" if language == "zh" else "en")
        for name, url in {
            "mine": "/me/programmes",
            "form": f"/programmes/{past.programme_id}/feedback",
        }.items():
            student.goto(url)
            expect(student.locator("h1")).to_be_visible()
            if viewport == "phone":
                assert horizontal_overflow(student) <= 0, (name, language)
            student.screenshot(path=str(SHOTS / f"{name}-{width}-{language}.png"), full_page=True)
    choose_language(student, "en")
    student.goto(f"/programmes/{past.programme_id}/feedback")
    student.get_by_label("4 – Good").check()
    student.get_by_label("Comment (optional)").fill("Practical and friendly.")
    student.get_by_role("button", name="Send my feedback").click()
    expect(flash(student, "Thank you: your feedback is saved.")).to_be_visible()

    page = open_page("organiser", viewport)
    csp_errors += _enforce_csp(page)
    _sign_in(page, organiser)
    for language in ("en", "zh"):
        choose_language(page, "zh_Hant" if language == "zh" else "en")
        page.goto(f"/organise/programmes/{past.programme_id}/feedback")
        expect(page.locator("h1")).to_be_visible()
        if viewport == "phone":
            assert horizontal_overflow(page) <= 0, ("organiser", language)
        page.screenshot(path=str(SHOTS / f"organiser-{width}-{language}.png"), full_page=True)
    choose_language(page, "en")
    page.goto(f"/organise/programmes/{past.programme_id}/feedback")
    expect(page.locator(".tf-stat-value").first).to_have_text("4.2")  # (5+4+4+3+5+4) / 6
    expect(page.get_by_text("Practical and friendly.")).to_be_visible()
    assert not csp_errors
    shutil.rmtree(SHOTS / "tmp", ignore_errors=True)
