"""The posting desk's lifecycle buttons (submit, withdraw, close, archive) and the
preview's key facts, as the company uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.postings.models import Posting, PostingStatus
from tests.postings.desk_helpers import HONG_KONG, posting_in


def _postings(db) -> list[Posting]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Posting).order_by(Posting.id)))


# --- the lifecycle buttons -------------------------------------------------------------------


def _press(post_form, posting, action):
    return post_form(
        f"/postings/{posting.id}/{action}",
        {"confirmed": "yes"},
        form_page=f"/postings/{posting.id}/preview",
    )


def test_submit_for_review_then_withdraw(client, world, login_as, post_form, db):
    posting = posting_in(world.company_a)
    login_as(world.recruiter_a)
    assert _press(post_form, posting, "submit").status_code == 303
    saved = _postings(db)[0]
    assert saved.status is PostingStatus.PENDING_REVIEW and saved.submitted_at is not None
    page = client.get(f"/postings/{posting.id}/preview").get_data(as_text=True)
    assert "Withdraw to edit" in page and "Submit for review" not in page
    assert _press(post_form, posting, "withdraw").status_code == 303
    assert _postings(db)[0].status is PostingStatus.DRAFT


def test_close_then_archive_a_published_posting(client, world, login_as, post_form, db):
    posting = posting_in(world.company_a, PostingStatus.PUBLISHED)
    login_as(world.company_admin_a)
    page = client.get(f"/postings/{posting.id}/preview").get_data(as_text=True)
    assert f'href="/postings/{posting.id}"' in page  # the public page of a published posting
    assert _press(post_form, posting, "close").status_code == 303
    saved = _postings(db)[0]
    assert saved.status is PostingStatus.CLOSED and saved.closed_at is not None
    assert saved.published_at is not None
    assert _press(post_form, posting, "archive").status_code == 303
    assert _postings(db)[0].status is PostingStatus.ARCHIVED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (PostingStatus.DRAFT, "close"),
        (PostingStatus.DRAFT, "archive"),
        (PostingStatus.PUBLISHED, "submit"),
        (PostingStatus.PUBLISHED, "withdraw"),
        (PostingStatus.ARCHIVED, "close"),
    ],
)
def test_illegal_status_changes_are_refused(client, world, login_as, post_form, db, status, action):
    posting = posting_in(world.company_a, status)
    login_as(world.recruiter_a)
    response = _press(post_form, posting, action)
    assert response.status_code == 409
    assert "Only a" in response.get_data(as_text=True)
    assert _postings(db)[0].status is status


def test_lifecycle_buttons_need_the_form_token(client, world, login_as, db):
    posting = posting_in(world.company_a)
    login_as(world.recruiter_a)
    assert client.post(f"/postings/{posting.id}/submit").status_code == 400
    assert _postings(db)[0].status is PostingStatus.DRAFT


def test_deadline_shows_in_hong_kong_time(client, world, login_as):
    deadline = utcnow().replace(hour=15, minute=30, second=0, microsecond=0) + timedelta(days=5)
    posting = posting_in(world.company_a, deadline=deadline)
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{posting.id}/preview").get_data(as_text=True)
    local = deadline.astimezone(HONG_KONG)
    assert f"{local.day} {local:%b %Y}, 23:30" in page


def test_preview_shows_the_key_facts_and_who_can_apply(client, world, login_as):
    posting = posting_in(
        world.company_a,
        duration_weeks=10,
        pay_min_hkd=12000,
        pay_max_hkd=16000,
        universities=[world.uni_a],
        graduation_year_from=2026,
        open_to_non_local=False,
    )
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{posting.id}/preview").get_data(as_text=True)
    assert "HK$12,000–16,000 per month" in page
    assert "10 weeks" in page
    assert "Universities: UA" in page and "Every faculty" in page
    assert "Graduating in 2026 or later" in page and "Local students only" in page
