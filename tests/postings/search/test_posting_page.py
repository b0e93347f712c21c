"""A posting's public page, its schema.org JSON-LD, and the Atom feed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from foundry.db import utcnow
from foundry.postings.models import (
    ApprovalStatus,
    PayPeriod,
    PostingApproval,
    PostingKind,
    PostingStatus,
    WorkMode,
)
from foundry.taxonomy import ParkLocation
from tests.factories import CompanyFactory, PostingFactory

ATOM = "{http://www.w3.org/2005/Atom}"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_of(response) -> dict:
    blocks = JSON_LD.findall(response.get_data(as_text=True))
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_anyone_can_read_a_published_posting(client, world):
    posting = PostingFactory(
        company=world.company_a,
        title="Vision Intern",
        description="Build **computer vision** models.\n\n<script>alert(1)</script>",
        requirements="- Python\n- PyTorch",
    )

    response = client.get(f"/postings/{posting.id}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<h1 class="h3 mb-1" id="posting-title">Vision Intern</h1>' in html
    assert "<strong>computer vision</strong>" in html
    assert "<li>PyTorch</li>" in html
    assert "alert(1)" not in html
    assert "HK$12,000–16,000 per month" in html
    assert "Hong Kong Science Park, Shatin" in html
    assert f'href="/companies/{world.company_a.slug}"' in html


def test_deadline_is_shown_in_hong_kong_time(client, world):
    deadline = (utcnow() + timedelta(days=10)).replace(hour=15, minute=59, second=0)
    posting = PostingFactory(company=world.company_a, deadline=deadline)
    hk = deadline + timedelta(hours=8)

    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)

    assert f"{hk:%H}:{hk:%M} HKT" in html
    assert f"{hk.day} " in html


@pytest.mark.parametrize(
    "status",
    [
        PostingStatus.DRAFT,
        PostingStatus.PENDING_REVIEW,
        PostingStatus.CLOSED,
        PostingStatus.ARCHIVED,
    ],
)
@pytest.mark.parametrize("who", [None, "student_a1", "recruiter_b", "dean_a1"])
def test_unpublished_postings_are_not_found_by_the_public(client, world, login_as, status, who):
    posting = PostingFactory(company=world.company_a, status=status, published_at=utcnow())
    if who:
        login_as(getattr(world, who))

    response = client.get(f"/postings/{posting.id}")

    assert response.status_code == 404
    assert posting.title not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a", "park_admin"])
def test_company_members_and_park_admin_see_unpublished_postings(client, world, login_as, who):
    posting = PostingFactory(company=world.company_a, status=PostingStatus.DRAFT)
    login_as(getattr(world, who))

    response = client.get(f"/postings/{posting.id}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "This posting is not public" in html
    assert "application/ld+json" not in html


def test_missing_posting_is_not_found(client, world):
    assert client.get("/postings/999999").status_code == 404


def test_student_sees_why_they_are_not_eligible(client, world, login_as):
    posting = PostingFactory(company=world.company_a, universities=[world.uni_b])
    login_as(world.student_a1)

    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)

    assert "Not eligible" in html
    assert "Open to students of UB only." in html


def test_student_whose_university_has_not_approved_is_told(client, world, db, login_as):
    world.uni_a.posting_approval_required = True
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)

    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)

    assert "Your university has not approved this posting for its students." in html
    db.session.add(
        PostingApproval(
            posting=posting, university_id=world.uni_a.id, status=ApprovalStatus.APPROVED
        )
    )
    assert "You can apply" in client.get(f"/postings/{posting.id}").get_data(as_text=True)


def test_apply_button_links_to_the_apply_page_while_open(client, world, login_as):
    posting = PostingFactory(company=world.company_a)
    apply_link = f'href="/postings/{posting.id}/apply"'

    assert apply_link in client.get(f"/postings/{posting.id}").get_data(as_text=True)
    login_as(world.student_a1)
    assert apply_link in client.get(f"/postings/{posting.id}").get_data(as_text=True)


def test_no_apply_button_for_an_ineligible_student(client, world, login_as):
    posting = PostingFactory(company=world.company_a, universities=[world.uni_b])
    login_as(world.student_a1)

    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)

    assert f"/postings/{posting.id}/apply" not in html


def test_applications_closed_once_the_deadline_passes(client, world):
    expired = PostingFactory(company=world.company_a, deadline=utcnow() - timedelta(minutes=1))

    html = client.get(f"/postings/{expired.id}").get_data(as_text=True)

    assert "Applications closed" in html
    assert f"/postings/{expired.id}/apply" not in html


def test_no_apply_button_while_the_apply_page_does_not_exist(client, world, app, monkeypatch):
    posting = PostingFactory(company=world.company_a)
    monkeypatch.delitem(app.view_functions, "applications.apply", raising=False)

    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)

    assert 'id="posting-title"' in html
    assert "/apply" not in html


# --- JSON-LD -------------------------------------------------------------------------------


def test_json_ld_describes_the_job_posting(client, world, db):
    world.company_a.website = "https://alpha.example.hk"
    posting = PostingFactory(
        company=world.company_a,
        title="Robot Intern",
        kind=PostingKind.SUMMER_INTERNSHIP,
        description="Build *robots*.",
    )

    data = json_ld_of(client.get(f"/postings/{posting.id}"))

    assert data["@context"].startswith("https://schema.org")
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Robot Intern"
    assert "<em>robots</em>" in data["description"]
    assert data["datePosted"].startswith(posting.published_at.strftime("%Y-%m-%d"))
    assert data["validThrough"] == posting.deadline.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["employmentType"] == "INTERN"
    assert data["hiringOrganization"]["name"] == "Alpha Robotics"
    assert data["hiringOrganization"]["sameAs"] == "https://alpha.example.hk"
    assert data["jobLocation"]["@type"] == "Place"
    assert data["jobLocation"]["address"]["addressCountry"] == "HK"
    assert "jobLocationType" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "HKD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 12000,
            "maxValue": 16000,
            "unitText": "MONTH",
        },
    }
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Alpha Robotics",
        "value": str(posting.id),
    }


@pytest.mark.parametrize(
    ("kind", "employment_type"),
    [
        (PostingKind.PART_TIME_INTERNSHIP, "PART_TIME"),
        (PostingKind.GRADUATE_ROLE, "FULL_TIME"),
        (PostingKind.YEAR_LONG_PLACEMENT, "INTERN"),
        (PostingKind.RESEARCH_ASSISTANT, "TEMPORARY"),
    ],
)
def test_json_ld_employment_type_follows_the_kind(client, world, kind, employment_type):
    posting = PostingFactory(company=world.company_a, kind=kind)

    assert json_ld_of(client.get(f"/postings/{posting.id}"))["employmentType"] == employment_type


def test_json_ld_of_a_remote_posting_without_pay(client, world):
    shenzhen = CompanyFactory(park_location=ParkLocation.SHENZHEN_BRANCH)
    remote = PostingFactory(
        company=world.company_a,
        work_mode=WorkMode.REMOTE,
        pay_min_hkd=None,
        pay_max_hkd=None,
    )
    hourly = PostingFactory(
        company=shenzhen, pay_min_hkd=90, pay_max_hkd=None, pay_period=PayPeriod.HOUR
    )

    remote_data = json_ld_of(client.get(f"/postings/{remote.id}"))
    hourly_data = json_ld_of(client.get(f"/postings/{hourly.id}"))

    assert remote_data["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in remote_data
    assert "baseSalary" not in remote_data
    assert "sameAs" not in remote_data["hiringOrganization"]
    assert hourly_data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 90,
        "unitText": "HOUR",
    }
    assert hourly_data["jobLocation"]["address"]["addressCountry"] == "CN"


def test_a_title_with_a_script_tag_cannot_break_out_of_the_json_ld(client, world):
    title = '</script><script>alert("x")</script>'
    posting = PostingFactory(company=world.company_a, title=title)

    response = client.get(f"/postings/{posting.id}")
    html = response.get_data(as_text=True)

    assert json_ld_of(response)["title"] == title
    assert '<script>alert("x")' not in html
    assert html.count("</script>") == html.count("<script")


# --- Atom feed -----------------------------------------------------------------------------


def test_atom_feed_lists_the_newest_published_postings(client, world):
    now = utcnow()
    for n in range(52):
        PostingFactory(
            company=world.company_a, title=f"Role {n:02d}", published_at=now - timedelta(hours=n)
        )
    PostingFactory(company=world.company_a, title="Secret draft", status=PostingStatus.DRAFT)
    PostingFactory(
        company=world.company_b, title="Closed", status=PostingStatus.CLOSED, published_at=now
    )

    response = client.get("/postings/feed.atom")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text
    assert feed.find(f"{ATOM}updated").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/postings/feed.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert [e.find(f"{ATOM}title").text for e in entries[:2]] == ["Role 00", "Role 01"]
    assert "Secret draft" not in response.get_data(as_text=True)
    assert "Closed" not in [e.find(f"{ATOM}title").text for e in entries]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").startswith("http://localhost/postings/")
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Alpha Robotics"
    assert first.find(f"{ATOM}published").text.endswith("Z")
    assert "computer vision" in first.find(f"{ATOM}summary").text


def test_atom_feed_escapes_what_companies_type(client, world):
    PostingFactory(company=world.company_a, title='<b>Bold</b> & "quoted" ]]>')

    feed = ET.fromstring(client.get("/postings/feed.atom").data)

    assert feed.find(f"{ATOM}entry/{ATOM}title").text == '<b>Bold</b> & "quoted" ]]>'


def test_empty_feed_is_still_valid(client, world):
    feed = ET.fromstring(client.get("/postings/feed.atom").data)

    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text


def test_search_page_links_to_the_feed(client, world):
    html = client.get("/postings").get_data(as_text=True)

    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_a_description_starting_with_the_pages_own_heading_shows_it_once(client, world, db):
    from foundry.postings.models import PostingStatus
    from tests.applications import posting_of

    posting = posting_of(world.company_a, status=PostingStatus.PUBLISHED)
    posting.description = "## About the role\n\nBuild robots.\n\n## What you will do\n\n- Weld"
    posting.requirements = "# What you need\n\nPython."
    db.session.commit()
    html = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert html.count(">About the role</h") == 1
    assert html.count(">What you need</h") == 1
    assert "<h3>What you will do</h3>" in html
