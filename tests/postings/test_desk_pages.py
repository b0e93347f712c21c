"""The company's posting desk: its list, the posting form with every field, the preview and
the lifecycle buttons."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.postings.models import PayPeriod, Posting, PostingKind, PostingStatus, WorkMode
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel
from tests.postings.desk_helpers import form_payload, hk_local, posting_in


def _postings(db) -> list[Posting]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Posting).order_by(Posting.id)))


# --- the list ------------------------------------------------------------------------------


def test_empty_list_invites_the_first_posting(client, world, login_as):
    login_as(world.recruiter_a)
    page = client.get("/company/alpha/postings").get_data(as_text=True)
    assert "Write your first posting" in page
    assert "/company/alpha/postings/new" in page


def test_list_shows_status_badges_and_counts(client, world, login_as):
    posting_in(world.company_a, title="Draft role")
    posting_in(world.company_a, PostingStatus.PENDING_REVIEW, title="Waiting role")
    posting_in(world.company_a, PostingStatus.PUBLISHED, title="Live role")
    posting_in(world.company_a, PostingStatus.ARCHIVED, title="Old role")
    posting_in(world.company_b, title="Beta's role")
    login_as(world.recruiter_a)
    page = client.get("/company/alpha/postings").get_data(as_text=True)
    for title in ("Draft role", "Waiting role", "Live role"):
        assert title in page
    assert "Old role" not in page and "Beta&#39;s role" not in page and "Beta's role" not in page
    assert "Waiting for review" in page and "Published" in page
    assert 'All current <span class="badge text-bg-light border">3</span>' in page
    archived = client.get("/company/alpha/postings?status=archived").get_data(as_text=True)
    assert "Old role" in archived and "Draft role" not in archived


def test_list_sorts_and_paginates(client, world, login_as):
    for n in range(23):
        posting_in(world.company_a, title=f"Role {n:02d}")
    login_as(world.recruiter_a)
    first = client.get("/company/alpha/postings?sort=title").get_data(as_text=True)
    assert "Role 00" in first and "Role 22" not in first
    last = client.get("/company/alpha/postings?sort=-title").get_data(as_text=True)
    assert "Role 22" in last and "Role 00" not in last
    second = client.get("/company/alpha/postings?sort=title&page=2").get_data(as_text=True)
    assert "Role 22" in second and "21–23 of 23" in second


@pytest.mark.parametrize("query", ["status=gone", "sort=search_text", "page=abc"])
def test_list_refuses_bad_parameters(client, world, login_as, query):
    login_as(world.recruiter_a)
    assert client.get(f"/company/alpha/postings?{query}").status_code == 400


# --- the form --------------------------------------------------------------------------------


def test_new_posting_form_has_every_field(client, world, login_as):
    login_as(world.recruiter_a)
    page = client.get("/company/alpha/postings/new").get_data(as_text=True)
    for name in (
        "title",
        "kind",
        "description",
        "requirements",
        "location",
        "work_mode",
        "start_date",
        "duration_weeks",
        "pay_min_hkd",
        "pay_max_hkd",
        "pay_period",
        "openings",
        "university_ids",
        "faculty_ids",
        "levels",
        "graduation_year_from",
        "graduation_year_to",
        "open_to_non_local",
        "skills",
        "themes",
        "questions-4-prompt",
        "questions-4-required",
        "deadline",
    ):
        assert f'name="{name}"' in page, name
    assert "questions-5-prompt" not in page
    assert 'type="datetime-local"' in page
    # faculties are grouped under their university
    group_a = page.index('mb-1">University A</legend>')
    group_b = page.index('mb-1">University B</legend>')
    assert group_a < page.index(">A Engineering<") < page.index(">A Science<") < group_b
    assert group_b < page.index(">B Engineering<")


def test_recruiter_saves_a_draft_with_every_field(client, world, login_as, post_form, db):
    login_as(world.recruiter_a)
    deadline = (utcnow() + timedelta(days=30)).replace(second=0, microsecond=0)
    response = post_form(
        "/company/alpha/postings/new",
        form_payload(
            university_ids=[str(world.uni_a.id)],
            faculty_ids=[str(world.fac_a1.id), str(world.fac_a2.id)],
            deadline=hk_local(deadline),
        ),
    )
    assert response.status_code == 303
    (posting,) = _postings(db)
    assert response.headers["Location"].endswith(f"/postings/{posting.id}/preview")
    assert posting.status is PostingStatus.DRAFT
    assert posting.title == "Robotics software intern"
    assert posting.kind is PostingKind.SUMMER_INTERNSHIP and posting.work_mode is WorkMode.HYBRID
    assert (posting.pay_min_hkd, posting.pay_max_hkd, posting.pay_period) == (
        12000,
        16000,
        PayPeriod.MONTH,
    )
    assert posting.openings == 2 and posting.duration_weeks == 10
    assert [u.id for u in posting.universities] == [world.uni_a.id]
    assert {f.id for f in posting.faculties} == {world.fac_a1.id, world.fac_a2.id}
    assert posting.level_values == [StudyLevel.UG]
    assert (posting.graduation_year_from, posting.graduation_year_to) == (2026, 2028)
    assert posting.open_to_non_local is True
    assert [s.name for s in posting.skills] == ["python", "ros"]
    assert set(posting.theme_values) == {Theme.ROBOTICS, Theme.AI_DATA}
    assert [(q.prompt, q.required) for q in posting.questions] == [
        ("Why robotics?", True),
        ("Link to a project (optional)", False),
    ]
    # typed as Hong Kong time, stored as the same moment in UTC
    assert posting.deadline == deadline
    assert posting.created_by_id == world.recruiter_a.id


def test_preview_shows_the_rendered_posting(client, world, login_as, post_form, db):
    login_as(world.recruiter_a)
    response = post_form(
        "/company/alpha/postings/new",
        form_payload(description="We **ship** robots.\n\n<script>alert('x')</script>"),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "<strong>ship</strong>" in page
    assert "<script>alert" not in page and "onerror=" not in page
    assert "The draft is saved" in page
    assert "Submit for review" in page
    (posting,) = _postings(db)
    assert "<script>alert('x')</script>" in posting.description  # stored as typed


def test_edit_form_is_filled_with_the_saved_draft(client, world, login_as, db):
    posting = posting_in(
        world.company_a,
        title="Filled role",
        graduation_year_from=2027,
        universities=[world.uni_b],
        open_to_non_local=False,
        deadline=(utcnow() + timedelta(days=9)).replace(second=0, microsecond=0),
    )
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{posting.id}/edit").get_data(as_text=True)
    assert 'value="Filled role"' in page
    assert 'value="2027"' in page
    assert f'value="{hk_local(posting.deadline)}"' in page
    ticked = set(re.findall(r'<input checked [^>]*name="university_ids"[^>]*value="(\d+)"', page))
    assert ticked == {str(world.uni_b.id)}
    assert re.search(r'<input class="form-check-input" id="open_to_non_local"', page)


def test_editing_a_draft_saves_the_changes(client, world, login_as, post_form, db):
    posting = posting_in(world.company_a, title="Old title")
    login_as(world.company_admin_a)
    response = post_form(
        f"/postings/{posting.id}/edit", form_payload(title="New title", skills="go")
    )
    assert response.status_code == 303
    (saved,) = _postings(db)
    assert saved.title == "New title" and [s.name for s in saved.skills] == ["go"]
    assert "New title" in saved.search_text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the posting."),
        ({"title": "x" * 161}, "Keep the title to 160 characters."),
        ({"pay_min_hkd": "20000", "pay_max_hkd": "10000"}, "The minimum pay is above the maximum"),
        ({"deadline": "2020-01-01T10:00"}, "The deadline has passed"),
        ({"start_date": "2020-01-01"}, "The start date is in the past"),
        (
            {"graduation_year_from": "2030", "graduation_year_to": "2026"},
            "The first graduation year is after the last",
        ),
        ({"deadline": ""}, "Enter the deadline as a date and a time."),
        ({"openings": "0"}, "Enter between 1 and 1,000 openings."),
        ({"pay_min_hkd": "lots"}, "Pay from (HKD)"),
        ({"kind": "unpaid_gig"}, "Kind of role"),
        ({"questions-0-prompt": "x" * 501}, "Keep each question to 500 characters."),
        ({"university_ids": ["999999"]}, "Universities"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_stored(
    client, world, login_as, post_form, db, overrides, message
):
    login_as(world.recruiter_a)
    response = post_form("/company/alpha/postings/new", form_payload(**overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    assert "Please correct the following" in page
    assert _postings(db) == []


def test_every_broken_rule_is_shown_at_once(client, world, login_as, post_form, db):
    login_as(world.recruiter_a)
    response = post_form(
        "/company/alpha/postings/new",
        form_payload(
            pay_min_hkd="9000",
            pay_max_hkd="10",
            start_date="2020-02-02",
            graduation_year_from="2029",
            graduation_year_to="2027",
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "The minimum pay is above the maximum",
        "The start date is in the past",
        "The first graduation year is after the last",
    ):
        assert message in page
    assert _postings(db) == []


def test_faculty_of_an_unchosen_university_is_refused(client, world, login_as, post_form, db):
    login_as(world.recruiter_a)
    response = post_form(
        "/company/alpha/postings/new",
        form_payload(university_ids=[str(world.uni_a.id)], faculty_ids=[str(world.fac_b1.id)]),
    )
    assert response.status_code == 400
    assert "Choose faculties of the universities you chose" in response.get_data(as_text=True)
    assert _postings(db) == []


def test_a_refused_edit_leaves_the_draft_unchanged(client, world, login_as, post_form, db):
    posting = posting_in(world.company_a, title="Kept title", pay_min_hkd=100, pay_max_hkd=200)
    login_as(world.recruiter_a)
    response = post_form(
        f"/postings/{posting.id}/edit",
        form_payload(title="Changed", pay_min_hkd="900", pay_max_hkd="100", skills="rust"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Changed"' in page  # what was typed is kept in the form
    (saved,) = _postings(db)
    assert (saved.title, saved.pay_min_hkd, saved.pay_max_hkd) == ("Kept title", 100, 200)
    assert saved.skills == []


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (PostingStatus.PUBLISHED, "A published posting cannot be edited"),
        (PostingStatus.PENDING_REVIEW, "Withdraw it to edit it"),
        (PostingStatus.CLOSED, "cannot be edited"),
    ],
)
def test_only_drafts_can_be_edited(client, world, login_as, post_form, db, status, message):
    posting = posting_in(world.company_a, status, title="Live title")
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{posting.id}/edit")
    assert page.status_code == 409 and message in page.get_data(as_text=True)
    response = post_form(
        f"/postings/{posting.id}/edit",
        form_payload(title="Sneaky"),
        form_page=f"/postings/{posting.id}/preview",
    )
    assert response.status_code == 409
    assert _postings(db)[0].title == "Live title"
