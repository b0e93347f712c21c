"""The recruiter's pipeline board in a real browser, under the strict Content-Security-
Policy: dragging a card to another column, moving one with the keyboard only, a refused
move snapping back with its reason, a rejection confirmed in a dialog, an interview opening
the run-of-times form, and the board at 375 px, in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.applications.models import Application, ApplicationStatus, InterviewSlot
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.postings.models import PostingStatus
from foundry.students.models import StudentProfile
from tests.browser.language import choose_language
from tests.browser.marketplace_steps import (
    Person,
    choose_cast,
    flash,
    hong_kong_now,
    sign_in,
)
from tests.browser.measure import horizontal_overflow
from tests.factories import ApplicationFactory, PostingFactory

S = ApplicationStatus
EXPECTED_REFUSAL = "the server responded with a status of 409"
# Who sits in which column when the module starts, one applicant per test.
STARTING = {
    "drag": S.SUBMITTED,
    "keyboard": S.SUBMITTED,
    "refused": S.UNDER_REVIEW,
    "reject": S.UNDER_REVIEW,
    "interview": S.SHORTLISTED,
    "phone": S.SUBMITTED,
}


@dataclass(frozen=True)
class Board:
    recruiter: Person
    url: str
    cards: dict[str, tuple[int, str]]  # role in the tests -> (application id, name)

    def card(self, page: Page, who: str):
        return page.locator(f"#card-{self.cards[who][0]}")


@pytest.fixture(scope="module")
def board(live_app) -> Board:
    """A draft posting of the cast's company (seen by no other test) with one applicant
    per test, taken from the demo's students."""
    with live_app.app_context():
        try:
            cast = choose_cast()
            company = db.session.scalar(sa.select(Company).where(Company.slug == cast.company_slug))
            posting = PostingFactory(
                company=company, title="Harbour Drone Intern", status=PostingStatus.DRAFT
            )
            profiles = db.session.scalars(
                sa.select(StudentProfile).order_by(StudentProfile.id).limit(len(STARTING))
            ).all()
            now = hong_kong_now()
            cards = {}
            for n, ((who, status), profile) in enumerate(
                zip(STARTING.items(), profiles, strict=True)
            ):
                application = ApplicationFactory(
                    posting=posting,
                    profile=profile,
                    status=status,
                    submitted_at=now - timedelta(hours=n + 1),
                )
                cards[who] = (application.id, profile.user.display_name)
            db.session.commit()
            url = f"/company/{company.slug}/postings/{posting.id}/pipeline"
            return Board(cast.company_admin, url, cards)
        finally:
            db.session.remove()


@pytest.fixture
def csp_errors(page):
    """Serve every response of `page` with the policy; collect the console's errors."""
    return _enforce_csp(page)


def _enforce_csp(page: Page) -> list[str]:
    """Collect the console's errors, and a missing policy on any page of ours (the server
    sends it; the shared page fixture fails on console errors as well)."""
    errors: list[str] = []

    def on_response(response):
        html = response.headers.get("content-type", "").startswith("text/html")
        if html and response.url.startswith("http"):
            policy = response.headers.get("content-security-policy", "")
            if "script-src 'self'" not in policy or "unsafe-inline" in policy:
                errors.append(f"{response.url} was served without the strict policy")

    def on_console(message):
        # A refused move is answered 409, which Chromium also logs; that one is expected.
        if message.type == "error" and EXPECTED_REFUSAL not in message.text:
            errors.append(message.text)

    page.on("response", on_response)
    page.on("console", on_console)
    return errors


def _status_in_database(live_app, application_id: int) -> ApplicationStatus:
    with live_app.app_context():
        try:
            return db.session.get(Application, application_id).status
        finally:
            db.session.remove()


def _column(page: Page, status: ApplicationStatus):
    return page.locator(f'.tf-column[data-status="{status.value}"]')


def _drag(page: Page, card, column) -> None:
    """Drag by the card's grip with the mouse (Pointer Events, as a finger would)."""
    handle = card.locator(".tf-drag-handle").bounding_box()
    target = column.locator(".card-header").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 40, target["y"] + target["height"] + 20, steps=12)
    page.mouse.up()


def test_drag_a_card_to_another_column_and_it_stays_there(
    page, live_app, board: Board, csp_errors, screenshot
):
    sign_in(page, board.recruiter)
    page.goto(board.url)
    card = board.card(page, "drag")
    expect(_column(page, S.SUBMITTED).locator(".tf-cards")).to_contain_text(board.cards["drag"][1])
    count = _column(page, S.SHORTLISTED).locator(".tf-count-value")
    before = int(count.inner_text())
    _drag(page, card, _column(page, S.SHORTLISTED))
    expect(_column(page, S.SHORTLISTED).locator(f"#card-{board.cards['drag'][0]}")).to_be_visible()
    expect(page.locator("#board-announcer")).to_contain_text("moved to “Shortlisted”")
    expect(count).to_have_text(str(before + 1))
    assert _status_in_database(live_app, board.cards["drag"][0]) is S.SHORTLISTED
    page.reload()
    expect(_column(page, S.SHORTLISTED).locator(f"#card-{board.cards['drag'][0]}")).to_be_visible()
    # Its menu now offers only the moves on from Shortlisted.
    buttons = board.card(page, "drag").locator('button[name="to_status"]')
    expect(buttons).to_have_text(["Interview", "Offer", "Rejected"])
    screenshot(page, "desktop-en")
    assert not csp_errors


def test_move_a_card_with_the_keyboard_only(page, live_app, board: Board, csp_errors):
    sign_in(page, board.recruiter)
    page.goto(board.url)
    card_id, name = board.cards["keyboard"]
    summary = board.card(page, "keyboard").locator("summary")
    # Tab from the card's name link to its "Move to…" menu, open it, go to "Under review".
    board.card(page, "keyboard").get_by_role("link", name=name).focus()
    page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Under review")
    page.keyboard.press("Enter")
    moved = _column(page, S.UNDER_REVIEW).locator(f"#card-{card_id}")
    expect(moved).to_be_visible()
    expect(page.locator("#board-announcer")).to_have_text(
        f"{name} moved to “Under review”. The student has been told."
    )
    # Focus stays with the card, on its menu, in its new column.
    expect(moved.locator("summary")).to_be_focused()
    expect(moved.locator("details")).not_to_have_attribute("open", "")
    assert _status_in_database(live_app, card_id) is S.UNDER_REVIEW
    page.reload()
    expect(_column(page, S.UNDER_REVIEW).locator(f"#card-{card_id}")).to_be_visible()
    assert not csp_errors


def test_a_refused_move_snaps_back_with_the_reason(page, live_app, board: Board, csp_errors):
    sign_in(page, board.recruiter)
    page.goto(board.url)
    card_id, _name = board.cards["refused"]
    card = board.card(page, "refused")
    _drag(page, card, _column(page, S.SUBMITTED))
    alert = card.get_by_role("alert")
    expect(alert).to_have_text("An application that is “Under review” cannot move to “Submitted”.")
    expect(_column(page, S.UNDER_REVIEW).locator(f"#card-{card_id}")).to_be_visible()
    assert _status_in_database(live_app, card_id) is S.UNDER_REVIEW
    assert not csp_errors


def test_a_rejection_is_confirmed_in_a_dialog_with_a_message(
    page, live_app, board: Board, csp_errors, screenshot
):
    sign_in(page, board.recruiter)
    page.goto(board.url)
    card_id, name = board.cards["reject"]
    card = board.card(page, "reject")
    card.locator("summary").click()
    card.get_by_role("button", name="Rejected").click()
    dialog = page.get_by_role("dialog", name="Reject this applicant?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(name)
    # Cancelling leaves the card where it was.
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert _status_in_database(live_app, card_id) is S.UNDER_REVIEW
    card.get_by_role("button", name="Rejected").click()
    dialog.get_by_label("Message to the student (optional)").fill("We chose others this time.")
    screenshot(page, "dialog")
    dialog.get_by_role("button", name="Reject and tell the student").click()
    expect(_column(page, S.REJECTED).locator(f"#card-{card_id}")).to_be_visible()
    expect(_column(page, S.REJECTED).locator(f"#card-{card_id} details")).to_be_hidden()
    expect(page.locator("#board-announcer")).to_contain_text(f"{name} moved to “Rejected”")
    assert _status_in_database(live_app, card_id) is S.REJECTED
    assert not csp_errors


def test_an_interview_opens_the_run_of_times_with_a_preview(
    page, live_app, board: Board, csp_errors, screenshot
):
    sign_in(page, board.recruiter)
    page.goto(board.url)
    card_id, name = board.cards["interview"]
    card = board.card(page, "interview")
    card.locator("summary").click()
    card.get_by_role("button", name="Interview").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/applications/{card_id}\?open=interview"))
    run = page.get_by_role("form", name="Times one after another on one day")
    expect(run).to_be_visible()
    day = (hong_kong_now() + timedelta(days=9)).date()
    run.get_by_label("Day", exact=True).fill(day.isoformat())
    run.get_by_label("First start (HKT)").fill("09:30")
    run.get_by_label("Length (minutes)").fill("30")
    run.get_by_label("Number of times").fill("3")
    run.get_by_label("Break between them (minutes)").fill("15")
    run.get_by_label("Place or video link").fill("https://meet.example.org/harbour")
    run.get_by_role("button", name="Preview the times").click()
    preview = page.locator("#run-preview")
    expect(preview.locator("li")).to_have_count(3)
    expect(preview.locator("li").nth(1)).to_contain_text(
        f"{day.day} {day:%b} {day.year}, 10:15–10:45"
    )
    screenshot(page, "preview")
    page.get_by_role("form", name="Times one after another on one day").get_by_role(
        "button", name="Propose these times"
    ).click()
    expect(flash(page, "Times proposed.")).to_be_visible()
    with live_app.app_context():
        try:
            starts = db.session.scalars(
                sa.select(InterviewSlot.starts_at)
                .where(InterviewSlot.application_id == card_id)
                .order_by(InterviewSlot.starts_at)
            ).all()
        finally:
            db.session.remove()
    assert [f"{s:%H:%M}" for s in starts] == ["01:30", "02:15", "03:00"]  # UTC
    assert _status_in_database(live_app, card_id) is S.INTERVIEW
    page.goto(board.url)
    expect(_column(page, S.INTERVIEW).locator(f"#card-{card_id}")).to_contain_text(name)
    assert not csp_errors


def test_the_board_at_375_px_in_english_and_chinese(phone_page, live_app, board: Board, screenshot):
    page = phone_page
    errors = _enforce_csp(page)
    sign_in(page, board.recruiter)
    page.goto(board.url)
    assert horizontal_overflow(page) <= 0
    card_id, _name = board.cards["phone"]
    card = board.card(page, "phone")
    handle = card.locator(".tf-drag-handle").bounding_box()
    assert handle["width"] >= 24 and handle["height"] >= 24
    screenshot(page, "phone-en")
    card.locator("summary").tap()
    card.get_by_role("button", name="Under review").tap()
    expect(_column(page, S.UNDER_REVIEW).locator(f"#card-{card_id}")).to_be_visible()
    expect(page.locator("#board-announcer")).to_contain_text("moved to “Under review”")
    assert _status_in_database(live_app, card_id) is S.UNDER_REVIEW
    choose_language(page, "zh_Hant")
    assert horizontal_overflow(page) <= 0
    screenshot(page, "phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    screenshot(page, "desktop-zh")
    # The choice is kept on the account: give the other journeys their English back.
    choose_language(page, "en")
    assert not errors
