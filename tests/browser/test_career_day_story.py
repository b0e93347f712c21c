"""Issue 13's story, end to end in a real browser under the enforced Content-Security-Policy,
as the people in it would walk it, through links and forms, on the demo's own data:

a student finds this year's AI in Action career day from the programmes page, registers,
saves the calendar file, books a 1:1 slot with an exhibitor; on the day, the park's
organiser checks them in at the door on a phone that loses its network (the phone's camera
films the ticket's QR code: Chromium's fake capture device playing a picture of it; the
page reads it, checks its signature, queues the check-in and sends it once the network is
back); the student drops a CV at the booth; the company's
representative finds them in its fair list; and the park sees the event's funnel move, and
the list behind a figure.

The career day is months ahead in the demo, so the test moves the live server's clock (and
the organiser's browser's) to the morning of the day for the part that happens there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.accounts.models import Role
from foundry.accounts.services import demo_users_by_role
from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes.checkin_models import Attendance
from foundry.programmes.fairs.models import ExhibitorStatus, FairExhibitor, FairSlot
from foundry.programmes.models import (
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
)
from foundry.students.models import StudentProfile
from foundry.students.services import profile_for
from tests.browser.camera import browser_filming, write_qr_video
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _open_page, screenshot_path
from tests.browser.marketplace_steps import Person, sign_in
from tests.browser.measure import horizontal_overflow

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
# Each step's patience: the fair's pages are long, and on a busy shared machine a form's
# answer and the page after it took more than the harness's 10 s.
STEP_TIMEOUT_MS = 25_000
FUNNEL_FIGURES = ("registered", "attended", "met")
PUBLISHED_FIGURES = ("Participants", "CVs submitted", "Interviews on the day")


@dataclass(frozen=True)
class Story:
    """The people of the story and the career day they meet at, from the demo data."""

    title: str
    session_starts: datetime  # the morning session, the one the student takes
    student: Person
    exhibitor: str  # the company whose slot the student books and where the CV goes
    representative: Person
    park_admin: Person


def _person(membership) -> Person:
    return Person(membership.user_id, membership.user.display_name)


@pytest.fixture
def story(live_app) -> Story:
    """This academic year's AI in Action career day (published, registration open), a
    demo student eligible for it who has a CV and holds no place at it yet (not one who
    also works for a company), an approved exhibitor with a free 1:1 slot and a
    representative on the demo sign-in page, and the park admin."""
    with live_app.app_context():
        now = utcnow()
        programme = db.session.scalar(
            sa.select(Programme)
            .join(ProgrammeSession, ProgrammeSession.programme_id == Programme.id)
            .where(
                Programme.kind == ProgrammeKind.CAREER_DAY,
                Programme.status == ProgrammeStatus.PUBLISHED,
                Programme.title_en.like("AI in Action Career Day %"),
                Programme.registration_closes_at > now,
                ProgrammeSession.starts_at > now,
            )
            .order_by(ProgrammeSession.starts_at)
            .limit(1)
        )
        assert programme is not None, "the demo has no AI in Action career day ahead"
        morning = min(programme.sessions, key=lambda s: s.starts_at)
        groups = demo_users_by_role()
        taken = set(
            db.session.scalars(
                sa.select(Registration.profile_id).where(
                    Registration.session_id.in_([s.id for s in programme.sessions])
                )
            )
        )
        student = next(
            m
            for m in groups[Role.STUDENT]
            if all(other.company_id is None for other in m.user.memberships)
            and (profile := profile_for(m.user)) is not None
            and profile.cvs
            and profile.id not in taken
        )
        representatives = {
            m.company_id: m
            for role in (Role.COMPANY_ADMIN, Role.RECRUITER)
            for m in groups.get(role, [])
            if profile_for(m.user) is None
        }
        exhibitor = next(
            e
            for e in db.session.scalars(
                sa.select(FairExhibitor)
                .where(
                    FairExhibitor.programme_id == programme.id,
                    FairExhibitor.status == ExhibitorStatus.APPROVED,
                )
                .order_by(FairExhibitor.booth)
            )
            if e.company_id in representatives
            and db.session.scalar(sa.select(sa.func.count()).where(FairSlot.exhibitor_id == e.id))
        )
        return Story(
            title=programme.title_en,
            session_starts=morning.starts_at,
            student=_person(student),
            exhibitor=exhibitor.company.name,
            representative=_person(representatives[exhibitor.company_id]),
            park_admin=_person(groups[Role.PARK_ADMIN][0]),
        )


# --- small steps a person takes ------------------------------------------------------------


def _menu(page: Page, name: str) -> None:
    """Follow a link of the main menu (opening it first on a phone)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def _shot(page: Page, request, step: str, full_page: bool = False) -> None:
    """What the person sees on their screen (by default not the whole page: the fair's
    is long)."""
    page.screenshot(path=screenshot_path(request.node.name, step), full_page=full_page)


# The ticket's QR image decoded by jsQR, the decoder the check-in page's camera uses
# (loaded from our own static files: the page's CSP allows no inline script).
READ_QR = """src => new Promise((resolve, reject) => {
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(frame.data, frame.width, frame.height);
    if (code) { resolve(code.data); } else { reject(new Error("the QR code cannot be read")); }
  };
  image.onerror = () => reject(new Error("the QR image did not load"));
  image.src = src;
})"""


def _read_qr(page: Page, image_src: str) -> str:
    """The text of a QR code shown on the page, as a scanner reads it."""
    page.add_script_tag(url="/static/vendor/jsqr/jsQR.js")
    return page.evaluate(READ_QR, image_src)


def _flash(page: Page, text: str):
    return page.locator(".tf-flashes .alert").filter(has_text=text)


def _open_the_career_day_as_organiser(page: Page, story: Story) -> None:
    """Park admin → Programmes, the soonest first, → the career day's page."""
    _menu(page, "Park admin")
    page.locator(".nav").get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name="Next session").click()
    page.get_by_role("link", name=story.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(story.title)


def _funnel(page: Page) -> dict[str, int]:
    """The figures of the event-to-hire page, as numbers."""
    figures = {
        key: int(
            page.locator(f'[data-figure="{key}"] .tf-figure-number').inner_text().replace(",", "")
        )
        for key in FUNNEL_FIGURES
    }
    for label in PUBLISHED_FIGURES:
        cell = page.locator("#published-figures > div").filter(
            has=page.get_by_text(label, exact=True)
        )
        figures[label] = int(cell.locator("dd").inner_text().replace(",", ""))
    return figures


def _attendances(live_app, story: Story) -> list[Attendance]:
    with live_app.app_context():
        return list(
            db.session.scalars(
                sa.select(Attendance)
                .join(Registration, Registration.id == Attendance.registration_id)
                .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
                .join(Programme, Programme.id == ProgrammeSession.programme_id)
                .join(StudentProfile, StudentProfile.id == Registration.profile_id)
                .where(
                    Programme.title_en == story.title,
                    StudentProfile.user_id == story.student.user_id,
                )
            )
        )


def _check_in_at_the_door(
    door: Page, live_app, story: Story, on_the_day: datetime, ticket_code: str, request
) -> None:
    """The organiser's phone at the door: its camera reads the ticket while the network is
    down, the check-in waits on the phone, and is sent once the network is back."""
    door.set_default_timeout(STEP_TIMEOUT_MS)
    door.clock.set_fixed_time(on_the_day)
    sign_in(door, story.park_admin)
    _open_the_career_day_as_organiser(door, story)
    door.get_by_role("link", name=re.compile("^Check-in")).first.click()
    expect(door.locator("#checkin-result")).to_contain_text("Ready")
    assert horizontal_overflow(door) <= 0
    door.context.set_offline(True)
    expect(door.locator("#checkin-network")).to_contain_text("Offline")
    door.get_by_role("button", name="Scan with the camera").click()
    expect(door.locator("#checkin-result")).to_contain_text(
        f"{story.student.name} is checked in (to be sent when online)"
    )
    door.get_by_role("button", name="Stop the camera").click()
    expect(door.locator("#checkin-pending")).to_have_text("1")
    assert _attendances(live_app, story) == []  # nothing has reached the server
    _shot(door, request, "4-door-offline", full_page=True)

    door.context.set_offline(False)
    expect(door.locator("#checkin-network")).to_contain_text("Online")
    expect(door.locator("#checkin-pending-wrap")).to_be_hidden()
    (attendance,) = _attendances(live_app, story)
    assert attendance.checked_in_at.astimezone(HONG_KONG).strftime("%H:%M") == "10:30"
    # The typed code of the same ticket now finds them in already.
    door.get_by_label("Ticket code").fill(ticket_code)
    door.get_by_role("button", name="Check in", exact=True).click()
    expect(door.locator("#checkin-result")).to_contain_text(
        f"{story.student.name} is already checked in, at 10:30"
    )
    assert len(_attendances(live_app, story)) == 1
    _shot(door, request, "5-door-synced", full_page=True)


# --- the story -------------------------------------------------------------------------------


def test_a_student_goes_to_the_career_day_and_the_park_sees_it_in_the_funnel(
    open_page,
    browser,
    live_app,
    base_url,
    server_clock,
    story: Story,
    screenshot,
    request,
    tmp_path,
):
    # The park's figures before the student comes into the story.
    park = open_page("park admin, before")
    park.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(park, story.park_admin)
    _open_the_career_day_as_organiser(park, story)
    park.get_by_role("link", name="Event to hire").click()
    before = _funnel(park)

    # Weeks ahead: the student finds the career day and registers for the morning.
    student = open_page("student", "phone")
    student.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(student, story.student)
    student.get_by_role("contentinfo").get_by_role("link", name="Programmes").click()
    student.get_by_label("Keywords").fill("AI in Action career day")
    student.get_by_role("button", name="Show programmes").click()
    student.get_by_role("link", name=story.title).click()
    expect(student.get_by_role("heading", level=1)).to_have_text(story.title)
    screenshot(student, "1-career-day")
    student.get_by_role("button", name=re.compile("^Register")).first.click()
    expect(_flash(student, "You are registered for")).to_be_visible()

    # The calendar file, from "My programmes": the morning session, in Hong Kong time.
    student.get_by_role("link", name="My programmes").first.click()
    ours = student.locator("li.list-group-item").filter(
        has=student.get_by_role("link", name=story.title, exact=True)
    )
    with student.expect_download() as download:
        ours.get_by_role("link", name=re.compile("^Add to calendar")).click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    starts = event.decoded("DTSTART").astimezone(HONG_KONG)
    assert starts == story.session_starts.astimezone(HONG_KONG)
    assert (starts.hour, starts.minute) == (10, 0)
    assert story.title in str(event["SUMMARY"])

    # The ticket the student will show at the door: its QR code and its typed code.
    ours.get_by_role("link", name=re.compile("^Ticket")).click()
    ticket_code = student.locator(".tf-ticket-code").inner_text().strip()
    ticket_qr = _read_qr(student, student.locator("img.tf-ticket-qr").get_attribute("src"))
    assert ticket_qr.count(".") == 1  # a signed token, not the typed code
    screenshot(student, "2-ticket")

    # A 1:1 slot with an exhibitor, from the career day's "who's coming".
    student.get_by_role("link", name=story.title).click()
    student.get_by_role("link", name=re.compile("^Who’s coming")).click()
    booth = student.locator(".tf-exhibitor").filter(has_text=story.exhibitor)
    booth.get_by_role("button", name=re.compile("^Book")).first.click()
    expect(_flash(student, "You booked")).to_be_visible()
    expect(student.locator("#my-bookings")).to_contain_text(story.exhibitor)
    assert horizontal_overflow(student) <= 0
    student.evaluate("window.scrollTo(0, 0)")
    _shot(student, request, "3-booked")
    booth.scroll_into_view_if_needed()
    _shot(student, request, "3-booth")

    # The day itself, half an hour after the doors open.
    on_the_day = story.session_starts + timedelta(minutes=30)
    server_clock.move_to(on_the_day)

    # At the door: the organiser's phone, which loses the venue's Wi-Fi. Its camera (the
    # fake capture device of Chromium) films the student's ticket.
    video = write_qr_video(ticket_qr, tmp_path / "ticket.y4m")
    with browser_filming(browser, video, CHROMIUM, CHROMIUM_ARGS) as filming:
        opener = _open_page(filming, live_app, base_url, request, "phone", who="door")
        _check_in_at_the_door(next(opener), live_app, story, on_the_day, ticket_code, request)
        next(opener, None)  # the page's checks: no JavaScript error, no CSP violation

    # At the booth: the student drops a CV.
    visitor = open_page("student at the fair", "phone")
    visitor.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(visitor, story.student)
    _menu(visitor, "Dashboard")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Programmes").click()
    visitor.get_by_role("link", name="My programmes").first.click()
    visitor.get_by_role("link", name=story.title, exact=True).first.click()
    visitor.get_by_role("link", name=re.compile("^Who’s coming")).click()
    booth = visitor.locator(".tf-exhibitor").filter(has_text=story.exhibitor)
    booth.get_by_role("button", name=re.compile("^Drop my CV")).click()
    expect(_flash(visitor, "Your CV is with")).to_be_visible()
    expect(visitor.locator(".tf-exhibitor").filter(has_text=story.exhibitor)).to_contain_text(
        "CV dropped"
    )
    _shot(visitor, request, "6-cv-dropped")

    # The company's representative finds the student in its fair list.
    company = open_page("company", "phone")
    company.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(company, story.representative)
    _menu(company, story.exhibitor)
    company.get_by_role("link", name="Career days and fairs").click()
    company.get_by_role("link", name=story.title, exact=True).click()
    expect(company.get_by_role("button", name="Scan with the camera")).to_be_visible()
    visitors = company.locator("#visitors")
    expect(visitors).to_contain_text(story.student.name)
    screenshot(company, "7-fair-list")

    # The park sees the funnel move, and the students behind a figure.
    park = open_page("park admin, after", "phone")
    park.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(park, story.park_admin)
    _open_the_career_day_as_organiser(park, story)
    park.get_by_role("link", name="Event to hire").click()
    after = _funnel(park)
    # The funnel is drawn as bars (the chart's styles are loaded), its numbers beside them.
    expect(park.locator(".tf-funnel-bar").first).to_be_visible()
    assert after == {key: value + 1 for key, value in before.items()}, (before, after)
    screenshot(park, "8-funnel")
    park.locator('[data-figure="attended"]').click()
    expect(park.get_by_role("table")).to_contain_text(story.student.name)
    screenshot(park, "9-attended")
