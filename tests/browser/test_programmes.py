"""A student finds a programme in the list, opens it, registers and sees it in "my
programmes", in a real browser under the enforced Content-Security-Policy."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
)
from foundry.taxonomy import Theme
from tests.browser.conftest import sign_in_as

TITLE = "Personal branding for AI startups (browser)"


def _publish_a_workshop(live_app) -> None:
    """A published workshop open to everyone, written directly: the organisers' pages are
    another part's, and the demo seeds no programmes yet."""
    with live_app.app_context():
        if db.session.scalar(db.select(Programme.id).where(Programme.title_en == TITLE)):
            return
        now = utcnow()
        programme = Programme(
            kind=ProgrammeKind.WORKSHOP,
            status=ProgrammeStatus.PUBLISHED,
            published_at=now,
            title_en=TITLE,
            title_zh="為人工智能初創建立個人品牌",
            description_en="How to present yourself to AI startups at the science park.",
            theme=Theme.AI_DATA,
            format=ProgrammeFormat.IN_PERSON,
            venue="Hong Kong Science Park, Building 19W, Room 201",
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=10),
        )
        starts = now + timedelta(days=14)
        programme.sessions.append(
            ProgrammeSession(starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=30)
        )
        db.session.add(programme)
        db.session.commit()
        db.session.remove()


def test_a_student_finds_a_programme_registers_and_sees_it_in_my_programmes(page: Page, live_app):
    _publish_a_workshop(live_app)
    sign_in_as(page, "student")
    # In the bar for most; a student who also runs a company (the demo's first) finds it in
    # every page's footer.
    page.get_by_role("contentinfo").get_by_role("link", name="Programmes").click()
    expect(page).to_have_url(re.compile(r"/programmes$"))
    page.get_by_label("Keywords").fill("personal branding")
    page.get_by_role("button", name="Show programmes").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name=re.compile("^Register")).first.click()
    expect(page.locator(".tf-flashes .alert", has_text="You are registered for")).to_be_visible()
    page.get_by_role("link", name="My programmes").first.click()
    coming_up = page.locator("section", has=page.get_by_role("heading", name="Coming up"))
    expect(coming_up.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    # The demo's student holds other places too: the one just taken is on its own line.
    ours = coming_up.locator("li", has=page.get_by_role("link", name=TITLE, exact=True))
    expect(ours.get_by_text("Registered", exact=True)).to_be_visible()
