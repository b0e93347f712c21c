"""Journey of a company account with a password and a second factor: sign up, confirm
the e-mail from the outbox, sign in, turn on the authenticator app, sign in again with
password and code (and, on a phone, with a recovery code)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pyotp
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.extensions import db
from foundry.notifications.models import OutboxEmail
from tests.browser.measure import horizontal_overflow

EMAIL = "mei.chan@lumen-robotics.example.com"
PASSWORD = "quiet-harbour-lantern-58"
SHOTS = Path("/tmp/shots/totp")


def _keep(path: str) -> None:
    """Also keep the screenshot where the team looks at them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / Path(path).name)


def _flash(page: Page, text: str):
    return page.locator(".tf-flashes .alert").filter(has_text=text)


def _verification_path(live_app) -> str:
    with live_app.app_context():
        body = db.session.scalars(
            sa.select(OutboxEmail.body_text)
            .where(OutboxEmail.to_address == EMAIL)
            .order_by(OutboxEmail.id.desc())
        ).first()
        db.session.remove()
    assert body, "no verification e-mail in the outbox"
    match = re.search(r"https?://[^/\s]+(/verify-email/[A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def _sign_in_with_password(page: Page) -> None:
    page.goto("/sign-in")
    form = page.locator("form").filter(has=page.get_by_label("Password", exact=True))
    form.get_by_label("E-mail", exact=True).fill(EMAIL)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()


def _no_horizontal_scroll(page: Page) -> None:
    assert horizontal_overflow(page) <= 0


def test_recruiter_signs_up_and_signs_in_with_a_second_factor(open_page, live_app, screenshot):
    desk = open_page("recruiter")
    desk.goto("/sign-up")
    desk.get_by_label("Your name").fill("Mei Chan")
    desk.get_by_label("Work e-mail").fill(EMAIL)
    desk.get_by_label("New password", exact=True).fill(PASSWORD)
    desk.get_by_label("New password again").fill(PASSWORD)
    desk.get_by_label("Company name").fill("Lumen Robotics")
    desk.get_by_label("Cluster").select_option(index=1)
    desk.get_by_label("Park location").select_option(index=1)
    desk.get_by_label("Website").fill("https://lumen-robotics.example.com")
    desk.get_by_role("button", name="Create the account").click()
    expect(desk.get_by_role("heading", name="Check your inbox")).to_be_visible()

    desk.goto(_verification_path(live_app))
    desk.get_by_role("button", name="Confirm my e-mail address").click()
    expect(_flash(desk, "your e-mail address is confirmed")).to_be_visible()

    _sign_in_with_password(desk)
    expect(_flash(desk, "Signed in as Mei Chan")).to_be_visible()

    # On a phone, the same account opens the set-up page (the key waits to be confirmed).
    phone = open_page("recruiter on a phone", "phone")
    _sign_in_with_password(phone)
    expect(_flash(phone, "Signed in as Mei Chan")).to_be_visible()
    phone.goto("/account/two-factor/enrol")
    expect(phone.get_by_role("img", name="QR code to scan")).to_be_visible()
    _no_horizontal_scroll(phone)
    _keep(screenshot(phone, "enrol-375"))

    desk.goto("/account/two-factor")
    expect(desk.get_by_role("heading", name="Status: Off")).to_be_visible()
    desk.get_by_role("link", name="Turn on the second factor").click()
    qr = desk.get_by_role("img", name="QR code to scan")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 150, box  # big enough to scan from a screen
    _keep(screenshot(desk, "enrol-1280"))
    secret = desk.locator("#totp-secret").inner_text().replace(" ", "")
    assert phone.locator("#totp-secret").inner_text().replace(" ", "") == secret
    totp = pyotp.TOTP(secret)
    desk.get_by_label("6-digit code from your app").fill(totp.now())
    desk.get_by_role("button", name="Turn on", exact=True).click()

    expect(desk.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = desk.locator(".tf-recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\w{4}-\w{4}-\w{2}", c) for c in codes)
    _keep(screenshot(desk, "recovery-codes-1280"))
    desk.get_by_role("link", name="I have saved them, continue").click()
    expect(desk.get_by_role("heading", name="Status: On")).to_be_visible()
    expect(desk.get_by_text("10 recovery codes left.")).to_be_visible()
    _keep(screenshot(desk, "manage-1280"))

    desk.locator("nav.tf-navbar").get_by_role("button", name="Account").click()
    desk.locator("nav.tf-navbar").get_by_role("button", name="Sign out", exact=True).click()
    expect(_flash(desk, "You have signed out")).to_be_visible()

    _sign_in_with_password(desk)
    expect(desk.get_by_role("heading", name="Enter your code")).to_be_visible()
    _keep(screenshot(desk, "challenge-1280"))
    desk.get_by_label("6-digit code or recovery code").fill(f"{(int(totp.now()) + 1) % 10**6:06d}")
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.locator("#code-error")).to_contain_text("That code is not right")
    # The code of the next time step: the one typed at enrolment never works twice.
    desk.get_by_label("6-digit code or recovery code").fill(totp.at(time.time() + 30))
    desk.get_by_role("button", name="Sign in").click()
    expect(_flash(desk, "Signed in as Mei Chan")).to_be_visible()

    # A phone with no authenticator at hand: a recovery code, once.
    phone_again = open_page("recruiter with a recovery code", "phone")
    _sign_in_with_password(phone_again)
    expect(phone_again.get_by_role("heading", name="Enter your code")).to_be_visible()
    _no_horizontal_scroll(phone_again)
    _keep(screenshot(phone_again, "challenge-375"))
    phone_again.get_by_label("6-digit code or recovery code").fill(codes[0])
    phone_again.get_by_role("button", name="Sign in").click()
    expect(_flash(phone_again, "Signed in as Mei Chan")).to_be_visible()
    phone_again.goto("/account/two-factor")
    expect(phone_again.get_by_text("9 recovery codes left.")).to_be_visible()
    _no_horizontal_scroll(phone_again)
    _keep(screenshot(phone_again, "manage-375"))
