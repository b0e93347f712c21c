"""Issue 3's "Done when" in a real browser: a park company writes a posting and the park
publishes it; a student finds it by keyword and filters and applies with a CV; the
recruiter runs the application through an interview and an offer to accepted, each move
appearing in the student's timeline; the student's dean reads the CV, another company
may not.

Each journey builds its own posting and application through the pages, so it does not
depend on the marketplace part of the demo data; the demo data only provides the people.
Every person has their own browser context (their own cookies), as in real life.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from foundry.extensions import db
from tests.browser.marketplace_steps import (
    ANSWER,
    HONG_KONG,
    INTERVIEW_MESSAGE,
    INTERVIEW_PLACE,
    OFFER_MESSAGE,
    OFFER_TERMS,
    SHORTLIST_MESSAGE,
    Cast,
    assert_labels_find_their_fields,
    choose_cast,
    fill_application,
    find_by_keyword,
    flash,
    hong_kong_now,
    publish,
    section,
    send_application,
    sign_in,
    status_badge,
    write_posting,
)
from tests.browser.measure import horizontal_overflow


@pytest.fixture(scope="module")
def cast(live_app) -> Cast:
    """The people of the journeys, chosen among those the demo sign-in page offers."""
    with live_app.app_context():
        try:
            return choose_cast()
        finally:
            db.session.remove()


# --- journey 1: from a new posting to an accepted offer --------------------------------------


def test_posting_to_accepted_offer_and_the_dean_reads_the_cv(open_page, cast: Cast, screenshot):
    recruiter = open_page("recruiter")
    sign_in(recruiter, cast.company_admin)
    posting = write_posting(recruiter, cast)
    publish(open_page("park-admin"), posting)

    # The student finds it by keyword and kind, eligible.
    student = open_page("student")
    sign_in(student, cast.student)
    find_by_keyword(student, posting)
    kind = student.get_by_label(re.compile("^Summer internship"))
    kind.check()
    student.get_by_role("button", name="Apply filters").click()
    expect(student).to_have_url(re.compile(r"[?&]kind=summer_internship(&|$)"))
    expect(student).to_have_url(re.compile(rf"[?&]q={posting.keyword}(&|$)"))
    expect(kind).to_be_checked()
    expect(student.get_by_role("heading", name="1 posting", exact=True)).to_be_visible()
    card = student.locator("article").filter(
        has=student.get_by_role("heading", name=posting.title, exact=True)
    )
    expect(card).to_contain_text(cast.company_name)
    expect(card).to_contain_text("Summer internship")
    expect(card).to_contain_text("HK$18,000–22,000 per month")
    expect(card.get_by_text("You can apply")).to_be_visible()
    screenshot(student, "search")

    # The posting page: rendered Markdown, the deadline in Hong Kong time, JSON-LD.
    card.get_by_role("link", name=posting.title).click()
    expect(student).to_have_url(re.compile(rf"/postings/{posting.id}$"))
    expect(student.get_by_role("heading", name=posting.title, level=1)).to_be_visible()
    expect(student.locator(".tf-markdown li", has_text="Calibrate lidar")).to_be_visible()
    expect(student.locator(".tf-markdown strong", has_text="perception stack")).to_be_visible()
    expect(student.get_by_text(f"{posting.deadline:%H:%M} HKT")).to_be_visible()
    json_ld = student.locator('script[type="application/ld+json"]')
    expect(json_ld).to_have_count(1)
    job = json.loads(json_ld.text_content())
    assert job["@type"] == "JobPosting"
    assert job["title"] == posting.title
    assert job["employmentType"] == "INTERN"
    assert job["validThrough"] == f"{posting.deadline.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    assert job["hiringOrganization"]["name"] == cast.company_name
    assert job["baseSalary"]["value"]["minValue"] == 18000
    assert job["identifier"]["value"] == str(posting.id)
    screenshot(student, "posting")

    # Applying with a CV, a cover letter and the answer.
    student.get_by_role("link", name=f"Apply for {posting.title}").click()
    expect(student.get_by_role("heading", name=f"Apply to {posting.title}")).to_be_visible()
    fill_application(student, cast)
    screenshot(student, "apply")
    application_id = send_application(student)
    application_url = student.url
    expect(section(student, "What you sent")).to_contain_text(ANSWER)

    # The recruiter finds the applicant in the posting's pipeline.
    recruiter.goto(f"/company/{cast.company_slug}")
    recruiter.get_by_role("link", name="Postings and applicants").click()
    row = recruiter.get_by_role("listitem").filter(
        has=recruiter.get_by_role("link", name=posting.title, exact=True)
    )
    row.get_by_role("link", name=re.compile(r"^1 applicant\b")).click()
    expect(recruiter.get_by_role("heading", name=posting.title, level=1)).to_be_visible()
    submitted = section(recruiter, "Submitted")
    expect(submitted.get_by_role("link", name=cast.student.name)).to_be_visible()
    screenshot(recruiter, "pipeline")
    submitted.get_by_role("link", name=cast.student.name).click()
    expect(recruiter.get_by_role("heading", name=cast.student.name, level=1)).to_be_visible()
    expect(recruiter).to_have_url(re.compile(rf"/pipeline/applications/{application_id}$"))
    expect(recruiter.get_by_text(ANSWER)).to_be_visible()
    expect(recruiter.get_by_text("I built the perception stack")).to_be_visible()
    expect(section(recruiter, "CV")).to_contain_text(cast.student_cv)
    screenshot(recruiter, "applicant")
    assert_labels_find_their_fields(recruiter)

    # Shortlisted, with a message.
    move = section(recruiter, "Move this applicant")
    move.get_by_label("Move to").select_option(label="Shortlisted")
    move.get_by_label("Message to the student (optional)").fill(SHORTLIST_MESSAGE)
    move.get_by_role("button", name="Move and tell the student").click()
    expect(flash(recruiter, "moved to “Shortlisted”. The student has been told.")).to_be_visible()
    expect(status_badge(recruiter)).to_have_text("Shortlisted")

    # An interview time a week ahead, in Hong Kong time.
    interview_day = (hong_kong_now() + timedelta(days=7)).date()
    interview_start = datetime.combine(interview_day, datetime.min.time(), HONG_KONG).replace(
        hour=14, minute=30
    )
    interview = section(recruiter, "Interview")
    interview.get_by_text("Propose interview times").click()
    run = interview.get_by_role("form", name="Times one after another on one day")
    run.get_by_label("Day", exact=True).fill(interview_day.isoformat())
    run.get_by_label("First start (HKT)").fill("14:30")
    run.get_by_label("Length (minutes)").fill("45")
    run.get_by_label("Number of times").fill("1")
    run.get_by_label("Place or video link").fill(INTERVIEW_PLACE)
    run.get_by_label("Message to the student (optional)").fill(INTERVIEW_MESSAGE)
    run.get_by_role("button", name="Propose these times").click()
    expect(flash(recruiter, "Times proposed.")).to_be_visible()
    expect(status_badge(recruiter)).to_have_text("Interview")

    # The student sees both moves, with the messages, and picks the time.
    student.goto(application_url)
    expect(status_badge(student)).to_have_text("Interview")
    entries = section(student, "Timeline").locator("li")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text("Application sent")
    expect(entries.nth(1).locator(".badge")).to_have_text(["Submitted", "Shortlisted"])
    expect(entries.nth(1)).to_contain_text(SHORTLIST_MESSAGE)
    expect(entries.nth(1)).to_contain_text(cast.company_admin.name)
    expect(entries.nth(2).locator(".badge")).to_have_text(["Shortlisted", "Interview"])
    expect(entries.nth(2)).to_contain_text(INTERVIEW_MESSAGE)
    screenshot(student, "timeline")
    assert_labels_find_their_fields(student)
    booking = section(student, "Interview")
    slot_text = f"{interview_day.day} {interview_day:%b %Y}, 14:30 HKT"
    booking.get_by_role("radio", name=re.compile(re.escape(slot_text))).check()
    booking.get_by_role("button", name="Book this time").click()
    expect(flash(student, "Your interview time is booked.")).to_be_visible()
    expect(booking).to_contain_text(f"Booked: {slot_text} · 45 minutes · {INTERVIEW_PLACE}")
    ics_link = booking.get_by_role("link", name="Add to my calendar (.ics)")
    invite = student.request.get(ics_link.get_attribute("href"))
    assert invite.status == 200
    assert invite.headers["content-type"].startswith("text/calendar")
    assert invite.text().startswith("BEGIN:VCALENDAR")
    (event,) = Calendar.from_ical(invite.body()).walk("VEVENT")
    assert event.decoded("dtstart") == interview_start.astimezone(UTC)
    assert str(event.get("location")) == INTERVIEW_PLACE

    # The offer.
    recruiter.reload()
    expect(section(recruiter, "Interview").get_by_text("Booked", exact=True)).to_be_visible()
    respond_by = (hong_kong_now() + timedelta(days=7)).date()
    offer = section(recruiter, "Make an offer")
    offer.get_by_text("Write the offer").click()
    offer.get_by_label("Terms of the offer").fill(OFFER_TERMS)
    offer.get_by_label("Pay (HKD per month)").fill("20000")
    offer.get_by_label("Start date").fill(posting.start.isoformat())
    offer.get_by_label("End date").fill((posting.start + timedelta(weeks=10)).isoformat())
    offer.get_by_label("Answer by").fill(respond_by.isoformat())
    offer.get_by_label("Message to the student (optional)").fill(OFFER_MESSAGE)
    offer.get_by_role("button", name="Send the offer").click()
    expect(flash(recruiter, "Offer sent.")).to_be_visible()
    expect(status_badge(recruiter)).to_have_text("Offer")

    # The student accepts.
    student.goto(application_url)
    expect(status_badge(student)).to_have_text("Offer")
    offer_card = section(student, f"Your offer from {cast.company_name}")
    expect(offer_card).to_contain_text(OFFER_TERMS)
    expect(offer_card).to_contain_text("HK$ 20,000 per month")
    expect(offer_card).to_contain_text(f"{respond_by.day} {respond_by:%b %Y}")
    expect(section(student, "Timeline")).to_contain_text(OFFER_MESSAGE)
    screenshot(student, "offer")
    assert_labels_find_their_fields(student)
    offer_card.get_by_role("button", name="Accept the offer").click()
    expect(flash(student, "You accepted the offer")).to_be_visible()
    expect(status_badge(student)).to_have_text("Accepted")
    last_move = section(student, "Timeline").locator("li").last
    expect(last_move.locator(".badge")).to_have_text(["Offer", "Accepted"])
    screenshot(student, "accepted")
    recruiter.reload()
    expect(status_badge(recruiter)).to_have_text("Accepted")

    # The student's dean reads the CV sent; a recruiter of another company may not.
    cv_url = f"/applications/{application_id}/cv"
    dean = open_page("dean")
    sign_in(dean, cast.dean)
    cv = dean.request.get(cv_url)
    assert cv.status == 200
    assert cv.headers["content-type"] == "application/pdf"
    assert cv.body().startswith(b"%PDF")
    outsider = open_page("other-recruiter")
    sign_in(outsider, cast.other_recruiter)
    assert outsider.request.get(cv_url).status == 403
    assert outsider.request.get(f"/pipeline/applications/{application_id}").status == 403


# --- journey 2: the student's side on a phone -------------------------------------------------


def test_phone_search_posting_apply_and_application_fit(open_page, cast: Cast, screenshot):
    recruiter = open_page("recruiter")
    sign_in(recruiter, cast.company_admin)
    posting = write_posting(recruiter, cast)
    publish(open_page("park-admin"), posting)

    phone = open_page("student", "phone")
    sign_in(phone, cast.student)
    card = find_by_keyword(phone, posting)
    expect(card.get_by_text("You can apply")).to_be_visible()
    screenshot(phone, "search")
    assert horizontal_overflow(phone) <= 1, "the search page is wider than the phone"

    card.get_by_role("link", name=posting.title).click()
    expect(phone.get_by_role("heading", name=posting.title, level=1)).to_be_visible()
    screenshot(phone, "posting")
    assert horizontal_overflow(phone) <= 1, "the posting page is wider than the phone"

    phone.get_by_role("link", name=f"Apply for {posting.title}").click()
    expect(phone.get_by_role("heading", name=f"Apply to {posting.title}")).to_be_visible()
    fill_application(phone, cast)
    screenshot(phone, "apply")
    assert horizontal_overflow(phone) <= 1, "the apply form is wider than the phone"

    send_application(phone)
    expect(section(phone, "Timeline")).to_contain_text("Application sent")
    screenshot(phone, "application")
    assert horizontal_overflow(phone) <= 1, "the application page is wider than the phone"
