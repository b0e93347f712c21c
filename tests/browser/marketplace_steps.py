"""The people and the steps of the marketplace journeys (test_marketplace.py): writing
and publishing a posting, finding it and applying, and small page helpers."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from foundry.accounts.models import Role, RoleMembership
from foundry.accounts.services import demo_users_by_role
from foundry.students.services import profile_for
from tests.browser.conftest import sign_in_as

HONG_KONG = ZoneInfo("Asia/Hong_Kong")

DESCRIPTION = """Build the **perception stack** of our harbour inspection robots.

- Calibrate lidar and camera rigs
- Train point-cloud detectors for moored vessels
"""
REQUIREMENTS = "Python, some *C++*, and curiosity about robots."
QUESTION = "Which lidar have you worked with, and on what?"
ANSWER = "An Ouster OS1 on our final-year campus rover: mapping and obstacle detection."
COVER_LETTER = (
    "Dear hiring team,\n\nI built the perception stack of our campus rover and would love "
    "to bring it to the harbour.\n\nBest regards"
)
SHORTLIST_MESSAGE = "Thank you! Your rover project stood out; we would like to meet you."
INTERVIEW_MESSAGE = "Please pick a time; bring your rover's point clouds if you can."
INTERVIEW_PLACE = "Building 19W, Room 310, Hong Kong Science Park"
OFFER_TERMS = "Summer internship in the perception team, 40 hours a week, mentor: our CTO."
OFFER_MESSAGE = "We would be delighted to have you with us this summer."


# --- the people of the journeys ------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str


@dataclass(frozen=True)
class Cast:
    """Demo users the journeys need, all on the demo sign-in page."""

    company_admin: Person
    company_slug: str
    company_name: str
    other_recruiter: Person
    student: Person
    student_cv: str
    dean: Person


def choose_cast() -> Cast:
    """The people, chosen among those the demo sign-in page offers (the same query):
    an admin of a verified company who is not also a student, a recruiter of another
    company, a student with a CV whose university shows postings without its own approval,
    and the dean of that student's faculty."""
    return _choose_cast(demo_users_by_role())


def _choose_cast(groups: dict[Role, list[RoleMembership]]) -> Cast:
    admin = next(
        m
        for m in groups[Role.COMPANY_ADMIN]
        if m.company.is_verified and profile_for(m.user) is None
    )
    other = next(m for m in groups[Role.RECRUITER] if m.company_id != admin.company_id)
    for membership in groups[Role.STUDENT]:
        profile = profile_for(membership.user)
        dean = next(
            (d for d in groups.get(Role.DEAN, []) if d.faculty_id == profile.faculty_id), None
        )
        only_a_student = all(m.company_id is None for m in membership.user.memberships)
        if (
            dean
            and only_a_student
            and profile.cvs
            and not profile.university.posting_approval_required
        ):
            return Cast(
                company_admin=_person(admin),
                company_slug=admin.company.slug,
                company_name=admin.company.name,
                other_recruiter=_person(other),
                student=_person(membership),
                student_cv=profile.cvs[0].title,
                dean=_person(dean),
            )
    raise AssertionError("no demo student on the sign-in page has a CV and a dean listed there")


def _person(membership: RoleMembership) -> Person:
    return Person(membership.user_id, membership.user.display_name)


def sign_in(page: Page, person: Person) -> None:
    """Sign in as `person` with their button on the demo sign-in page."""
    page.goto("/demo/sign-in")
    button = page.locator(f'button[name="user_id"][value="{person.user_id}"]').first
    expect(button).to_contain_text(person.name)
    button.click()
    expect(flash(page, f"Signed in as {person.name}.")).to_be_visible()


# --- small helpers ---------------------------------------------------------------------------


def flash(page: Page, text: str) -> Locator:
    return page.locator(".tf-flashes .alert").filter(has_text=text)


def section(page: Page, heading: str) -> Locator:
    """The <section> (card) headed `heading`."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def status_badge(page: Page) -> Locator:
    """The application's status beside its title (announced as "Status: …")."""
    return page.locator("p").filter(has=page.get_by_text("Status:", exact=True)).locator(".badge")


def assert_labels_find_their_fields(page: Page) -> None:
    """A <label for> names the first element with that id: two form fields sharing an id
    leave the second unlabelled (and clicking its label focuses the first)."""
    shared = page.evaluate(
        """() => {
            const count = {};
            for (const field of document.querySelectorAll(
                "input:not([type=hidden]), select, textarea")) {
                if (field.id) count[field.id] = (count[field.id] || 0) + 1;
            }
            return Object.entries(count).filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
        }"""
    )
    assert not shared, f"{page.url}: form fields share an id, so labels miss them: {shared}"


def hong_kong_now() -> datetime:
    return datetime.now(HONG_KONG).replace(second=0, microsecond=0)


# --- the posting: written by the company, published by the park ----------------------------


@dataclass(frozen=True)
class NewPosting:
    id: int
    title: str
    keyword: str
    deadline: datetime  # Hong Kong time, to the minute
    start: date


def write_posting(page: Page, cast: Cast) -> NewPosting:
    """On the posting desk, the signed-in company admin writes a summer internship open to
    all with a screening question, saves it and submits it for review."""
    keyword = "".join(random.choices(string.ascii_lowercase, k=6))
    title = f"Lidar Perception Intern {keyword.capitalize()}"
    deadline = hong_kong_now() + timedelta(days=30)
    start = (deadline + timedelta(days=14)).date()

    page.goto(f"/company/{cast.company_slug}/postings/new")
    expect(page.get_by_role("heading", name="New posting", level=1)).to_be_visible()
    assert_labels_find_their_fields(page)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind of role").select_option(label="Summer internship")
    page.get_by_label("Description", exact=True).fill(DESCRIPTION)
    page.get_by_label("Requirements", exact=True).fill(REQUIREMENTS)
    page.get_by_label("Location", exact=True).fill("Hong Kong Science Park, Shatin")
    page.get_by_label("Work mode").select_option(label="Hybrid")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Duration in weeks").fill("10")
    page.get_by_label("Pay from (HKD)").fill("18000")
    page.get_by_label("Pay up to (HKD)").fill("22000")
    page.get_by_label("Pay period").select_option(label="per month")
    page.get_by_label("Skills", exact=True).fill("lidar, python, ros")
    # Open to all: no university, faculty or level ticked, non-local students welcome.
    for group in ("Universities", "Faculties", "Study levels"):
        for box in page.get_by_role("group", name=group, exact=True).get_by_role("checkbox").all():
            expect(box).not_to_be_checked()
    expect(page.get_by_label(re.compile("^Open to non-local students"))).to_be_checked()
    page.get_by_label("Question 1", exact=True).fill(QUESTION)
    expect(page.get_by_label("Answer required (question 1)")).to_be_checked()
    page.get_by_label("Application deadline (Hong Kong time)").fill(f"{deadline:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Save draft").click()

    expect(flash(page, "The draft is saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/postings/\d+/preview$"))
    posting_id = int(re.search(r"/postings/(\d+)/preview$", page.url).group(1))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    # The deadline typed in Hong Kong time reads back the same.
    shown = f"{deadline.day} {deadline:%b %Y, %H:%M}"  # the "moment" filter, in English
    expect(page.locator("time", has_text=shown).first).to_be_visible()
    expect(page.get_by_text("Students of every university")).to_be_visible()
    expect(page.locator(".tf-markdown strong", has_text="perception stack")).to_be_visible()

    page.get_by_role("button", name="Submit for review").click()
    expect(flash(page, "Submitted for review.")).to_be_visible()
    expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
    return NewPosting(posting_id, title, keyword, deadline, start)


def publish(page: Page, posting: NewPosting) -> None:
    """The park admin finds the posting in the review queue and publishes it."""
    sign_in_as(page, "park_admin")
    page.goto("/admin/postings")
    expect(page.get_by_role("heading", name="Posting moderation")).to_be_visible()
    page.get_by_role("link", name=posting.title, exact=True).click()
    expect(page.get_by_role("heading", name=posting.title, level=1)).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(flash(page, f"“{posting.title}” is published.")).to_be_visible()


def find_by_keyword(page: Page, posting: NewPosting) -> Locator:
    """Search the keyword on /postings; the posting's card in the results."""
    page.goto("/postings")
    page.get_by_label("Keywords").fill(posting.keyword)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]q={posting.keyword}(&|$)"))
    return page.locator("article").filter(
        has=page.get_by_role("heading", name=posting.title, exact=True)
    )


def fill_application(page: Page, cast: Cast) -> None:
    assert_labels_find_their_fields(page)
    page.get_by_role("radio", name=re.compile(re.escape(cast.student_cv))).check()
    page.get_by_label("Cover letter", exact=True).fill(COVER_LETTER)
    page.get_by_label(QUESTION, exact=True).fill(ANSWER)


def send_application(page: Page) -> int:
    page.get_by_role("button", name="Send my application").click()
    expect(flash(page, "Your application is sent.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me/applications/\d+$"))
    expect(status_badge(page)).to_have_text("Submitted")
    return int(page.url.rsplit("/", 1)[1])
