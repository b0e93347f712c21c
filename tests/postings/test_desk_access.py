"""Who may not use a company's posting desk: other companies (by URL tampering too),
students, faculty staff, and anonymous visitors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.postings.models import Posting, PostingStatus
from tests.conftest import csrf_from
from tests.postings.desk_helpers import form_payload, posting_in


def _pages(posting) -> list[str]:
    return [
        "/company/alpha/postings",
        "/company/alpha/postings/new",
        f"/postings/{posting.id}/edit",
        f"/postings/{posting.id}/preview",
    ]


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a"])
def test_members_of_the_company_use_its_desk(client, world, login_as, who):
    posting = posting_in(world.company_a, title="Alpha draft")
    login_as(getattr(world, who))
    for url in _pages(posting):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who", ["recruiter_b", "recruiter_unverified", "student_a1", "dean_a1", "coordinator_a"]
)
def test_others_may_not_see_company_as_desk_or_its_draft(client, world, login_as, who):
    posting = posting_in(world.company_a, title="Secret Alpha draft")
    login_as(getattr(world, who))
    for url in _pages(posting):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Secret Alpha draft" not in response.get_data(as_text=True)


def test_recruiter_of_b_cannot_edit_close_or_submit_alphas_postings(client, world, login_as, db):
    draft = posting_in(world.company_a, title="Alpha draft")
    live = posting_in(world.company_a, PostingStatus.PUBLISHED, title="Alpha live")
    login_as(world.recruiter_b)
    token = csrf_from(client.get("/company/beta/postings"))
    edit = client.post(
        f"/postings/{draft.id}/edit", data={"csrf_token": token, **form_payload(title="Hacked")}
    )
    assert edit.status_code == 403
    for posting, action in ((draft, "submit"), (live, "close"), (draft, "archive")):
        response = client.post(f"/postings/{posting.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 403, action
    db.session.expire_all()
    titles = dict(db.session.execute(sa.select(Posting.title, Posting.status)).all())
    assert titles == {"Alpha draft": PostingStatus.DRAFT, "Alpha live": PostingStatus.PUBLISHED}


def test_recruiter_of_b_cannot_create_postings_for_alpha(client, world, login_as, db):
    login_as(world.recruiter_b)
    token = csrf_from(client.get("/company/beta/postings"))
    response = client.post(
        "/company/alpha/postings/new", data={"csrf_token": token, **form_payload()}
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, world, db):
    posting = posting_in(world.company_a)
    for url in _pages(posting):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/sign-in" in response.headers["Location"]
    token = csrf_from(client.get("/companies"))
    response = client.post(f"/postings/{posting.id}/submit", data={"csrf_token": token})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status is PostingStatus.DRAFT


def test_unknown_postings_and_companies_are_not_found(client, world, login_as):
    login_as(world.recruiter_a)
    assert client.get("/postings/999999/edit").status_code == 404
    assert client.get("/postings/999999/preview").status_code == 404
    assert client.get("/company/nobody/postings").status_code == 404


def test_unverified_company_may_write_and_submit_but_not_publish(
    client, world, login_as, post_form, db
):
    login_as(world.recruiter_unverified)
    response = post_form("/company/gamma/postings/new", form_payload(title="Gamma role"))
    assert response.status_code == 303
    page = client.get("/company/gamma/postings").get_data(as_text=True)
    assert "Gamma role" in page and "not verified yet" in page
