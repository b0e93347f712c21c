"""The park's moderation: the queue, publishing (verified companies only, approvals asked
of the universities that want them) and returning with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError
from foundry.notifications.models import Notification, OutboxEmail
from foundry.postings.models import ApprovalStatus, Posting, PostingApproval, PostingStatus
from foundry.postings.services import PostingInputError, publish, return_to_company
from tests.conftest import csrf_from
from tests.factories import UniversityFactory
from tests.postings.desk_helpers import posting_in


def _pending(company, **fields) -> Posting:
    return posting_in(company, PostingStatus.PENDING_REVIEW, **fields)


# --- the services ---------------------------------------------------------------------------


def test_publishing_sets_the_date_clears_the_note_and_tells_the_company(world, db):
    posting = _pending(world.company_a, review_note="Add the pay range.")
    publish(world.park_admin, posting)
    db.session.commit()
    assert posting.status is PostingStatus.PUBLISHED
    assert posting.published_at is not None and posting.review_note is None
    told = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == "posting.published")
        )
    )
    assert told == {world.company_admin_a.id, world.recruiter_a.id}
    mailed = set(db.session.scalars(sa.select(OutboxEmail.to_address)))
    assert mailed == {world.company_admin_a.email, world.recruiter_a.email}
    assert (
        db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.object_id == str(posting.id))
        )
        == "posting.published"
    )


def test_an_unverified_company_cannot_publish(world, db):
    posting = _pending(world.company_unverified)
    with pytest.raises(DomainError, match="Gamma Unverified is not verified"):
        publish(world.park_admin, posting)
    assert posting.status is PostingStatus.PENDING_REVIEW and posting.published_at is None


def test_a_draft_cannot_be_published(world, db):
    posting = posting_in(world.company_a)
    with pytest.raises(DomainError, match="Only a posting submitted for review"):
        publish(world.park_admin, posting)


def test_a_posting_past_its_deadline_cannot_be_published(world, db):
    posting = _pending(world.company_a, deadline=utcnow() - timedelta(minutes=5))
    with pytest.raises(DomainError, match="deadline"):
        publish(world.park_admin, posting)


def test_publishing_asks_every_university_that_approves_postings(world, db):
    world.uni_a.posting_approval_required = True
    uni_c = UniversityFactory(code="UC", posting_approval_required=True)
    posting = _pending(world.company_a)
    approvals = publish(world.park_admin, posting)
    db.session.commit()
    assert {a.university_id for a in approvals} == {world.uni_a.id, uni_c.id}
    assert all(a.status is ApprovalStatus.PENDING for a in posting.approvals)


def test_a_limited_posting_asks_only_its_universities(world, db):
    world.uni_a.posting_approval_required = True
    world.uni_b.posting_approval_required = True
    posting = _pending(world.company_a, universities=[world.uni_b])
    publish(world.park_admin, posting)
    db.session.commit()
    assert [a.university_id for a in posting.approvals] == [world.uni_b.id]


def test_no_approval_is_asked_where_none_is_required(world, db):
    posting = _pending(world.company_a)
    assert publish(world.park_admin, posting) == []


def test_returning_needs_a_reason_and_sends_the_posting_back_as_a_draft(world, db):
    posting = _pending(world.company_a)
    with pytest.raises(PostingInputError, match="why you are returning"):
        return_to_company(world.park_admin, posting, "   ")
    assert posting.status is PostingStatus.PENDING_REVIEW
    return_to_company(world.park_admin, posting, "Give the pay range, please.")
    db.session.commit()
    assert posting.status is PostingStatus.DRAFT and posting.submitted_at is None
    assert posting.review_note == "Give the pay range, please."
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "posting.returned")
    ).all()
    assert {n.user_id for n in notes} == {world.company_admin_a.id, world.recruiter_a.id}
    assert all("Give the pay range" in n.body for n in notes)


# --- the pages ---------------------------------------------------------------------------


def test_queue_lists_pending_postings_oldest_first(client, world, login_as):
    _pending(world.company_b, title="Newer role", submitted_at=utcnow() - timedelta(hours=1))
    _pending(world.company_a, title="Older role", submitted_at=utcnow() - timedelta(days=3))
    posting_in(world.company_a, title="Quiet draft")
    login_as(world.park_admin)
    page = client.get("/admin/postings").get_data(as_text=True)
    assert page.index("Older role") < page.index("Newer role")
    assert "Quiet draft" not in page
    newest_first = client.get("/admin/postings?sort=-submitted").get_data(as_text=True)
    assert newest_first.index("Newer role") < newest_first.index("Older role")


def test_queue_filters_by_status_and_paginates(client, world, login_as):
    for n in range(27):
        posting_in(world.company_a, PostingStatus.PUBLISHED, title=f"Live role {n:02d}")
    login_as(world.park_admin)
    first = client.get("/admin/postings?status=published&sort=title").get_data(as_text=True)
    assert "Live role 00" in first and "Live role 26" not in first
    second = client.get("/admin/postings?status=published&sort=title&page=2").get_data(as_text=True)
    assert "Live role 26" in second and "26–27 of 27" in second


def test_empty_queue_says_there_is_nothing_to_review(client, world, login_as):
    login_as(world.park_admin)
    assert "Nothing to review" in client.get("/admin/postings").get_data(as_text=True)


@pytest.mark.parametrize("query", ["status=live", "sort=secret", "page=0", "page=x"])
def test_queue_refuses_bad_parameters(client, world, login_as, query):
    login_as(world.park_admin)
    assert client.get(f"/admin/postings?{query}").status_code == 400


def test_admin_reads_the_posting_rendered(client, world, login_as):
    posting = _pending(world.company_a, description="We **ship** <script>alert(1)</script>")
    login_as(world.park_admin)
    page = client.get(f"/admin/postings/{posting.id}").get_data(as_text=True)
    assert "<strong>ship</strong>" in page and "<script>alert" not in page
    assert "Return with this reason" in page and ">Publish</button>" in page


def test_admin_publishes_from_the_review_page(client, world, login_as, post_form, db):
    posting = _pending(world.company_a)
    login_as(world.park_admin)
    response = post_form(
        f"/admin/postings/{posting.id}/publish", form_page=f"/admin/postings/{posting.id}"
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status is PostingStatus.PUBLISHED


def test_publishing_for_an_unverified_company_is_refused_clearly(
    client, world, login_as, post_form, db
):
    posting = _pending(world.company_unverified)
    login_as(world.park_admin)
    review = client.get(f"/admin/postings/{posting.id}").get_data(as_text=True)
    assert "cannot be published" in review and ">Publish</button>" not in review
    response = post_form(
        f"/admin/postings/{posting.id}/publish", form_page=f"/admin/postings/{posting.id}"
    )
    assert response.status_code == 409
    assert "Gamma Unverified is not verified" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status is PostingStatus.PENDING_REVIEW


def test_return_without_a_reason_is_refused_and_nothing_changes(
    client, world, login_as, post_form, db
):
    posting = _pending(world.company_a)
    login_as(world.park_admin)
    response = post_form(
        f"/admin/postings/{posting.id}/return",
        {"reason": "  "},
        form_page=f"/admin/postings/{posting.id}",
    )
    assert response.status_code == 400
    assert "Tell the company why" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status is PostingStatus.PENDING_REVIEW


def test_returned_reason_shows_on_the_companys_edit_page(client, world, login_as, post_form):
    posting = _pending(world.company_a)
    login_as(world.park_admin)
    response = post_form(
        f"/admin/postings/{posting.id}/return",
        {"reason": "State the pay range."},
        form_page=f"/admin/postings/{posting.id}",
    )
    assert response.status_code == 303
    login_as(world.recruiter_a)
    page = client.get(f"/postings/{posting.id}/edit").get_data(as_text=True)
    assert "returned this posting" in page and "State the pay range." in page


def test_approvals_are_created_on_publish_through_the_page(client, world, login_as, post_form, db):
    world.uni_a.posting_approval_required = True
    posting = _pending(world.company_a)
    login_as(world.park_admin)
    post_form(f"/admin/postings/{posting.id}/publish", form_page=f"/admin/postings/{posting.id}")
    approvals = db.session.scalars(
        sa.select(PostingApproval).where(PostingApproval.posting_id == posting.id)
    ).all()
    assert [(a.university_id, a.status) for a in approvals] == [
        (world.uni_a.id, ApprovalStatus.PENDING)
    ]


# --- who may not ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["recruiter_a", "company_admin_a", "student_a1", "dean_a1"])
def test_only_the_park_admin_may_moderate(client, world, login_as, who, db):
    posting = _pending(world.company_a)
    login_as(getattr(world, who))
    refused = client.get("/admin/postings")
    assert refused.status_code == 403
    assert client.get(f"/admin/postings/{posting.id}").status_code == 403
    token = csrf_from(refused)  # the 403 page carries a valid token for this session
    for action in ("publish", "return"):
        response = client.post(
            f"/admin/postings/{posting.id}/{action}",
            data={"csrf_token": token, "reason": "No."},
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status is PostingStatus.PENDING_REVIEW


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    posting = _pending(world.company_a)
    for url in ("/admin/postings", f"/admin/postings/{posting.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
