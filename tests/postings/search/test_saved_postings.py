"""Saved postings: saving, unsaving and the saved list, and who may not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.db import utcnow
from foundry.postings.models import PostingStatus, SavedPosting, SavedSearch
from tests.conftest import csrf_from
from tests.factories import PostingFactory
from tests.postings.search import titles


def saved_ids(db, user) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(SavedPosting.posting_id).where(SavedPosting.user_id == user.id)
        )
    )


def searches_of(db, user) -> list[SavedSearch]:
    return list(
        db.session.scalars(
            sa.select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        )
    )


# --- saved postings -------------------------------------------------------------------------


def test_student_saves_a_posting_from_the_results_and_returns_there(
    client, world, db, login_as, post_form
):
    posting = PostingFactory(company=world.company_a, title="Drone Intern")
    login_as(world.student_a1)

    response = post_form(
        f"/postings/{posting.id}/save", {"next": "/postings?q=drone"}, form_page="/postings"
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/postings?q=drone"
    assert saved_ids(db, world.student_a1) == {posting.id}
    assert "Saved ✓" in client.get("/postings?q=drone").get_data(as_text=True)


def test_saving_twice_keeps_one(client, world, db, login_as, post_form):
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)

    post_form(f"/postings/{posting.id}/save", form_page=f"/postings/{posting.id}")
    post_form(f"/postings/{posting.id}/save", form_page=f"/postings/{posting.id}")

    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedPosting)) == 1


def test_save_refuses_a_foreign_next_url(client, world, login_as, post_form):
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)

    response = post_form(
        f"/postings/{posting.id}/save", {"next": "https://evil.example/"}, form_page="/postings"
    )

    assert response.headers["Location"] == f"/postings/{posting.id}"


def test_student_unsaves_from_the_posting_page(client, world, db, login_as, post_form):
    posting = PostingFactory(company=world.company_a)
    db.session.add(SavedPosting(user_id=world.student_a1.id, posting_id=posting.id))
    login_as(world.student_a1)

    page = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert f'action="/postings/{posting.id}/unsave"' in page
    response = post_form(
        f"/postings/{posting.id}/unsave",
        {"next": f"/postings/{posting.id}"},
        form_page=f"/postings/{posting.id}",
    )

    assert response.status_code == 303
    assert saved_ids(db, world.student_a1) == set()


@pytest.mark.parametrize(
    "status", [PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.CLOSED]
)
def test_saving_an_unpublished_posting_is_refused(client, world, db, login_as, post_form, status):
    posting = PostingFactory(company=world.company_a, status=status, published_at=utcnow())
    login_as(world.student_a1)

    response = post_form(f"/postings/{posting.id}/save", form_page="/postings")

    assert response.status_code == 404
    assert "no published posting with this number" in response.get_data(as_text=True)
    assert saved_ids(db, world.student_a1) == set()


def test_saving_a_missing_posting_is_refused(client, world, db, login_as, post_form):
    login_as(world.student_a1)

    response = post_form("/postings/424242/save", form_page="/postings")

    assert response.status_code == 404
    assert "no published posting with this number" in response.get_data(as_text=True)


def test_unsaving_what_is_not_saved_is_not_found(client, world, login_as, post_form):
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)

    response = post_form(f"/postings/{posting.id}/unsave", form_page="/postings")

    assert response.status_code == 404
    assert "not on your saved list" in response.get_data(as_text=True)


def test_saving_needs_the_csrf_token(client, world, db, login_as):
    posting = PostingFactory(company=world.company_a)
    login_as(world.student_a1)

    response = client.post(f"/postings/{posting.id}/save")

    assert response.status_code == 400
    assert saved_ids(db, world.student_a1) == set()


def test_anonymous_users_cannot_save(client, world, db):
    posting = PostingFactory(company=world.company_a)
    page = client.get("/postings")

    response = client.post(f"/postings/{posting.id}/save", data={"csrf_token": csrf_from(page)})

    assert response.status_code in (302, 303)
    assert "/sign-in" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedPosting)) == 0


@pytest.mark.parametrize("who", ["recruiter_a", "dean_a1", "park_admin"])
def test_only_students_save_postings(client, world, db, login_as, post_form, who):
    posting = PostingFactory(company=world.company_a)
    login_as(getattr(world, who))

    response = post_form(f"/postings/{posting.id}/save", form_page="/postings")

    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedPosting)) == 0


def test_saved_list_is_paginated_and_shows_closed_postings(client, world, db, login_as):
    for n in range(22):
        posting = PostingFactory(company=world.company_a, title=f"Kept {n:02d}")
        db.session.add(SavedPosting(user_id=world.student_a1.id, posting_id=posting.id))
    closed = PostingFactory(
        company=world.company_b, title="Gone", status=PostingStatus.CLOSED, published_at=utcnow()
    )
    db.session.add(SavedPosting(user_id=world.student_a1.id, posting_id=closed.id))
    other = PostingFactory(company=world.company_a, title="Someone else's")
    db.session.add(SavedPosting(user_id=world.student_a1_other.id, posting_id=other.id))
    login_as(world.student_a1)

    first = client.get("/postings/saved").get_data(as_text=True)
    second = client.get("/postings/saved?page=2").get_data(as_text=True)

    assert "of 23" in first
    assert "Someone else" not in first + second
    assert "No longer published" in first + second
    assert len([t for t in titles(first) + titles(second) if t.startswith("Kept")]) == 22


def test_saved_list_is_for_students_only(client, world, login_as):
    assert "/sign-in" in client.get("/postings/saved").headers["Location"]
    login_as(world.recruiter_a)
    assert client.get("/postings/saved").status_code == 403


def test_empty_saved_list_says_what_to_do(client, world, login_as):
    login_as(world.student_a1)

    html = client.get("/postings/saved").get_data(as_text=True)

    assert "No saved postings yet" in html
    assert 'href="/postings"' in html


def test_saved_card_says_when_the_university_has_not_approved(client, world, db, login_as):
    world.uni_a.posting_approval_required = True
    posting = PostingFactory(company=world.company_a, title="Awaiting UA")
    db.session.add(SavedPosting(user_id=world.student_a1.id, posting_id=posting.id))
    db.session.commit()
    login_as(world.student_a1)
    html = client.get("/postings/saved").get_data(as_text=True)
    assert "Awaiting UA" in html
    assert "Your university has not approved this posting" in html
    assert "You can apply" not in html
