"""Check-in at the door in a real browser, under the enforced Content-Security-Policy: the
organiser's page at 375 px loses its network, keeps checking people in (a typed code, a QR
token verified here with WebCrypto Ed25519), refuses a forged token and one of another
session, and syncs when the network is back: one attendance each in the database. And the
pages' screenshots (ticket, check-in online and offline; 1280 and 375 px; English and
Chinese) for a person to look at."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes import checkin
from foundry.programmes.checkin_models import Attendance, Ticket
from foundry.programmes.models import ProgrammeFormat, Registration, RegistrationStatus
from foundry.students.models import StudentProfile
from tests.browser.camera import browser_filming, write_qr_video
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _open_page
from tests.browser.language import choose_language
from tests.browser.marketplace_steps import Person, choose_cast, sign_in
from tests.browser.measure import horizontal_overflow
from tests.programmes import factories as pf

SHOTS = Path(os.environ.get("CHECKIN_SHOTS", "/tmp/shots-checkin"))


@dataclass(frozen=True)
class Door:
    organiser: Person
    student: Person
    url: str
    ticket_url: str
    codes: dict[str, str]  # who -> ticket code
    tokens: dict[str, str]  # who -> signed token
    registrations: dict[str, int]
    other_session_token: str


@pytest.fixture(scope="module")
def door(live_app) -> Door:
    """A hybrid workshop of the cast's company starting in an hour, with the cast's
    student and six other demo students registered, and a second session."""
    with live_app.app_context(), live_app.test_request_context():
        cast = choose_cast()
        company_id = db.session.scalar(
            sa.text("SELECT id FROM companies WHERE slug = :slug"), {"slug": cast.company_slug}
        )
        programme = pf.ProgrammeFactory(
            title_en="AI in Action: job search workshop",
            title_zh="AI in Action：求職技巧工作坊",
            organiser_company_id=company_id,
            format=ProgrammeFormat.HYBRID,
            join_link="https://meet.example.com/ai-in-action",
        )
        starts = utcnow() + timedelta(hours=1)
        session = pf.SessionFactory(
            programme=programme, starts_at=starts, ends_at=starts + timedelta(hours=2)
        )
        other = pf.SessionFactory(
            programme=programme, starts_at=starts, ends_at=starts + timedelta(hours=3)
        )
        student_profile = db.session.scalar(
            sa.select(StudentProfile).where(StudentProfile.user_id == cast.student.user_id)
        )
        others = db.session.scalars(
            sa.select(StudentProfile)
            .where(StudentProfile.id != student_profile.id)
            .order_by(StudentProfile.id)
            .limit(6)
        ).all()
        people = {"student": student_profile} | {f"p{i}": p for i, p in enumerate(others)}
        rows = {}
        for who, profile in people.items():
            session.last_sequence += 1
            rows[who] = Registration(
                session_id=session.id,
                profile_id=profile.id,
                status=RegistrationStatus.REGISTERED,
                sequence=session.last_sequence,
            )
            db.session.add(rows[who])
        other.last_sequence += 1
        elsewhere = Registration(
            session_id=other.id,
            profile_id=student_profile.id,
            status=RegistrationStatus.REGISTERED,
            sequence=other.last_sequence,
        )
        db.session.add(elsewhere)
        db.session.flush()
        checkin.ensure_tickets(session)
        checkin.ensure_tickets(other)
        tokens = {who: checkin.token_of(r, db.session.get(Ticket, r.id)) for who, r in rows.items()}
        door = Door(
            organiser=cast.company_admin,
            student=cast.student,
            url=f"/programmes/sessions/{session.id}/check-in",
            ticket_url=f"/programmes/registrations/{rows['student'].id}/ticket",
            codes={who: db.session.get(Ticket, r.id).code for who, r in rows.items()},
            tokens=tokens,
            registrations={who: r.id for who, r in rows.items()},
            other_session_token=checkin.token_of(elsewhere, db.session.get(Ticket, elsewhere.id)),
        )
        db.session.commit()
        return door


def _attendances(live_app, door: Door) -> dict[int, int]:
    with live_app.app_context():
        rows = db.session.execute(
            sa.select(Attendance.registration_id, sa.func.count())
            .where(Attendance.registration_id.in_(door.registrations.values()))
            .group_by(Attendance.registration_id)
        )
        return dict(rows.all())


def _ready(page: Page, door: Door) -> None:
    page.goto(door.url)
    expect(page.locator("#checkin-result")).to_contain_text("Ready")


def _result(page: Page):
    return page.locator("#checkin-result")


def test_check_in_survives_the_network_dropping_and_syncs_once(open_page, live_app, door):
    page = open_page("organiser", "phone")
    sign_in(page, door.organiser)
    _ready(page, door)
    assert horizontal_overflow(page) <= 0
    page.context.set_offline(True)
    expect(page.locator("#checkin-network")).to_contain_text("Offline")

    code = door.codes["p0"]
    page.get_by_label("Ticket code").fill(f"{code[:3].lower()}-{code[3:]}")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(_result(page)).to_contain_text("is checked in (to be sent when online)")
    page.evaluate("token => window.tfCheckin.handle('token', token)", door.tokens["p1"])
    expect(_result(page)).to_contain_text("is checked in (to be sent when online)")
    expect(page.locator("#checkin-pending")).to_have_text("2")

    forged = door.tokens["p2"][:-6] + "AAAAAA"
    page.evaluate("token => window.tfCheckin.handle('token', token)", forged)
    expect(_result(page)).to_contain_text("signature does not match")
    page.evaluate("token => window.tfCheckin.handle('token', token)", door.other_session_token)
    expect(_result(page)).to_contain_text("another session of this programme")
    page.evaluate("token => window.tfCheckin.handle('token', token)", door.tokens["p1"])
    expect(_result(page)).to_contain_text("is already checked in, at")
    expect(page.locator("#checkin-pending")).to_have_text("2")
    assert _attendances(live_app, door) == {}  # nothing reached the server yet

    page.context.set_offline(False)
    expect(page.locator("#checkin-pending-wrap")).to_be_hidden()
    expect(page.locator("#checkin-network")).to_contain_text("Online")
    expect(page.locator("#checkin-count")).to_have_text("2")
    registrations = door.registrations
    assert _attendances(live_app, door) == {registrations["p0"]: 1, registrations["p1"]: 1}

    page.reload()  # the server's list agrees, and a second sync changes nothing
    expect(page.locator("#checkin-count")).to_have_text("2")
    page.evaluate("() => window.tfCheckin.flush()")
    assert _attendances(live_app, door) == {registrations["p0"]: 1, registrations["p1"]: 1}


def _language(page: Page, language: str) -> None:
    """Switch to `language` with the page's own switch, unless the page already speaks it
    (choosing a language is remembered for the user, who may have chosen it in another
    test of this worker)."""
    choose_language(page, "zh_Hant" if language == "zh" else "en")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.usefixtures("languages_as_seeded")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_screenshots_of_the_ticket_and_the_check_in_page(
    open_page, live_app, door, viewport, language
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = 1280 if viewport == "desktop" else 375
    student = open_page("student", viewport)
    sign_in(student, door.student)
    _language(student, language)
    student.goto(door.ticket_url)
    expect(student.locator("img.tf-ticket-qr")).to_be_visible()
    assert viewport == "desktop" or horizontal_overflow(student) <= 0
    student.screenshot(path=str(SHOTS / f"ticket-{width}-{language}.png"), full_page=True)

    organiser = open_page("organiser", viewport)
    sign_in(organiser, door.organiser)
    _language(organiser, language)
    organiser.goto(door.url)
    expect(organiser.locator("#checkin[data-ready]")).to_have_count(1)
    expect(organiser.locator("#checkin-result .alert")).to_be_visible()
    assert viewport == "desktop" or horizontal_overflow(organiser) <= 0
    organiser.screenshot(path=str(SHOTS / f"checkin-{width}-{language}-online.png"), full_page=True)
    organiser.context.set_offline(True)
    # A person of their own per screenshot test (the door is shared by the module).
    who = {"en-desktop": "p2", "en-phone": "p3", "zh-desktop": "p4", "zh-phone": "p5"}
    code = door.codes[who[f"{language}-{viewport}"]]
    organiser.locator("#checkin-code-form input[name='code']").fill(code)
    organiser.locator("#checkin-code-form button[type='submit']").click()
    expect(organiser.locator("#checkin-pending-wrap")).to_be_visible()
    organiser.screenshot(
        path=str(SHOTS / f"checkin-{width}-{language}-offline.png"), full_page=True
    )
    organiser.context.set_offline(False)
    expect(organiser.locator("#checkin-pending-wrap")).to_be_hidden()


def test_the_camera_reads_a_ticket_at_the_door(
    browser, live_app, base_url, request, door, tmp_path
):
    """The real camera path (static/js/qr-scan.js): Chromium's fake camera films the
    student's ticket QR code, the page reads it, verifies its signature and checks them in.
    (Last in this file: the tests above count the door's attendances.)"""
    video = write_qr_video(door.tokens["student"], tmp_path / "ticket.y4m")
    with browser_filming(browser, video, CHROMIUM, CHROMIUM_ARGS) as filming:
        opener = _open_page(filming, live_app, base_url, request, "phone", who="organiser")
        page = next(opener)
        page.set_default_timeout(25_000)  # a second browser on a busy machine is slower
        sign_in(page, door.organiser)
        _ready(page, door)
        page.get_by_role("button", name="Scan with the camera").click()
        expect(_result(page)).to_contain_text(f"{door.student.name} is checked in.")
        expect(page.locator("#checkin-pending-wrap")).to_be_hidden()
        page.get_by_role("button", name="Stop the camera").click()
        expect(page.get_by_role("button", name="Scan with the camera")).to_be_visible()
        next(opener, None)  # the page's checks: no JavaScript error, no CSP violation
    assert _attendances(live_app, door)[door.registrations["student"]] == 1
