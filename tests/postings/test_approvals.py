"""University approvals: the queue of a university's staff, approving and declining with a
comment, and who may not decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.postings.models import ApprovalStatus, PostingApproval, PostingStatus
from foundry.postings.services import PostingInputError, decide_approval
from tests.conftest import csrf_from
from tests.factories import staff
from tests.postings.desk_helpers import posting_in


def _asked(posting, university, **fields) -> PostingApproval:
    approval = PostingApproval(posting_id=posting.id, university_id=university.id, **fields)
    db.session.add(approval)
    db.session.flush()
    return approval


@pytest.fixture
def asking(world):
    """University A approves postings; one published posting of Alpha waits for it."""
    world.uni_a.posting_approval_required = True
    posting = posting_in(world.company_a, PostingStatus.PUBLISHED, title="Vision intern")
    approval = _asked(posting, world.uni_a)
    db.session.commit()
    return approval


def _url(world, approval) -> str:
    return f"/university/{approval.university_id}/approvals/{approval.posting_id}"


# --- the service ---------------------------------------------------------------------------


def test_approving_records_who_and_when(world, db, asking):
    decide_approval(world.officer_a2, asking, True, "")
    db.session.commit()
    assert asking.status is ApprovalStatus.APPROVED
    assert asking.decided_by_id == world.officer_a2.id and asking.decided_at is not None
    assert asking.comment is None
    action = db.session.scalar(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == str(asking.posting_id))
    )
    assert action == "posting.approval_approved"


def test_declining_needs_a_comment_and_tells_the_company(world, db, asking):
    with pytest.raises(PostingInputError, match="Say why you decline"):
        decide_approval(world.dean_a1, asking, False, " ")
    assert asking.status is ApprovalStatus.PENDING
    decide_approval(world.dean_a1, asking, False, "Unpaid roles are not allowed.")
    db.session.commit()
    assert asking.status is ApprovalStatus.DECLINED
    assert asking.comment == "Unpaid roles are not allowed."
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "posting.approval_declined")
    ).all()
    assert {n.user_id for n in notes} == {world.company_admin_a.id, world.recruiter_a.id}
    assert all("Unpaid roles are not allowed." in n.body for n in notes)


def test_a_decided_approval_cannot_be_decided_again(world, db, asking):
    decide_approval(world.dean_a1, asking, True, "")
    with pytest.raises(DomainError, match="already been decided"):
        decide_approval(world.dean_a1, asking, False, "Changed my mind")


def test_no_decision_on_a_closed_posting(world, db, asking):
    asking.posting.status = PostingStatus.CLOSED
    asking.posting.closed_at = utcnow()
    with pytest.raises(DomainError, match="no longer published"):
        decide_approval(world.dean_a1, asking, True, "")


# --- the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dean_a1", "officer_a2", "coordinator_a"])
def test_university_staff_see_their_queue(client, world, login_as, asking, who):
    login_as(getattr(world, who))
    response = client.get(f"/university/{world.uni_a.id}/approvals")
    assert response.status_code == 200
    assert "Vision intern" in response.get_data(as_text=True)


def test_queue_shows_pending_oldest_first_and_hides_decided_ones(
    client, world, login_as, db, asking
):
    asking.created_at = utcnow() - timedelta(days=1)
    newer = _asked(
        posting_in(world.company_b, PostingStatus.PUBLISHED, title="Quant intern"), world.uni_a
    )
    decided = posting_in(world.company_b, PostingStatus.PUBLISHED, title="Done already")
    _asked(decided, world.uni_a, status=ApprovalStatus.APPROVED, decided_at=utcnow())
    closed = posting_in(world.company_b, PostingStatus.CLOSED, title="Closed meanwhile")
    _asked(closed, world.uni_a)
    assert newer.id
    login_as(world.dean_a1)
    page = client.get(f"/university/{world.uni_a.id}/approvals").get_data(as_text=True)
    assert page.index("Vision intern") < page.index("Quant intern")
    assert "Done already" not in page and "Closed meanwhile" not in page
    approved = client.get(f"/university/{world.uni_a.id}/approvals?status=approved")
    assert "Done already" in approved.get_data(as_text=True)


def test_empty_queue_says_what_happens_next(client, world, login_as, db):
    world.uni_a.posting_approval_required = True
    login_as(world.dean_a1)
    page = client.get(f"/university/{world.uni_a.id}/approvals").get_data(as_text=True)
    assert "Nothing to decide" in page


@pytest.mark.parametrize("query", ["status=maybe", "sort=password", "page=-1"])
def test_queue_refuses_bad_parameters(client, world, login_as, asking, query):
    login_as(world.dean_a1)
    assert client.get(f"/university/{world.uni_a.id}/approvals?{query}").status_code == 400


def test_staff_read_the_posting_and_approve_it(client, world, login_as, post_form, db, asking):
    login_as(world.officer_a2)
    page = client.get(_url(world, asking)).get_data(as_text=True)
    assert "Build <strong>computer vision</strong>" in page
    response = post_form(_url(world, asking), {"decision": "approve", "comment": ""})
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(PostingApproval, asking.id)
    assert saved.status is ApprovalStatus.APPROVED and saved.decided_by_id == world.officer_a2.id


def test_declining_without_a_comment_is_refused_on_the_page(
    client, world, login_as, post_form, db, asking
):
    login_as(world.dean_a1)
    response = post_form(_url(world, asking), {"decision": "decline", "comment": ""})
    assert response.status_code == 400
    assert "Say why you decline" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PostingApproval, asking.id).status is ApprovalStatus.PENDING


def test_declining_with_a_comment_is_saved(client, world, login_as, post_form, db, asking):
    login_as(world.coordinator_a)
    response = post_form(_url(world, asking), {"decision": "decline", "comment": "Too vague."})
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(PostingApproval, asking.id)
    assert saved.status is ApprovalStatus.DECLINED and saved.comment == "Too vague."


def test_a_decision_needs_approve_or_decline(client, world, login_as, post_form, db, asking):
    login_as(world.dean_a1)
    response = post_form(_url(world, asking), {"decision": "shrug"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(PostingApproval, asking.id).status is ApprovalStatus.PENDING


# --- who may not ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dean_b1", "coordinator_b", "recruiter_a", "student_a1"])
def test_others_may_not_see_or_decide_university_as_approvals(
    client, world, login_as, db, asking, who
):
    login_as(getattr(world, who))
    queue = client.get(f"/university/{world.uni_a.id}/approvals")
    assert queue.status_code == 403
    assert client.get(_url(world, asking)).status_code == 403
    response = client.post(
        _url(world, asking), data={"csrf_token": csrf_from(queue), "decision": "approve"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(PostingApproval, asking.id).status is ApprovalStatus.PENDING


def test_placement_officer_of_b_cannot_decide_through_their_own_university_url(
    client, world, login_as, db, asking
):
    officer_b = staff(Role.PLACEMENT_OFFICER, world.fac_b1)
    db.session.commit()
    login_as(officer_b)
    # University B has no approval row for this posting: there is nothing to decide.
    url = f"/university/{world.uni_b.id}/approvals/{asking.posting_id}"
    assert client.get(url).status_code == 404
    assert client.get(_url(world, asking)).status_code == 403


def test_staff_cannot_approve_where_their_university_does_not_require_it(
    client, world, login_as, db
):
    posting = posting_in(world.company_a, PostingStatus.PUBLISHED)
    db.session.commit()
    login_as(world.dean_a1)
    url = f"/university/{world.uni_a.id}/approvals/{posting.id}"
    page = client.get(f"/university/{world.uni_a.id}/approvals")
    assert client.get(url).status_code == 404
    response = client.post(url, data={"csrf_token": csrf_from(page), "decision": "approve"})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PostingApproval)) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, world, asking):
    for url in (f"/university/{world.uni_a.id}/approvals", _url(world, asking)):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_unknown_university_is_not_found(client, world, login_as):
    login_as(world.dean_a1)
    assert client.get("/university/999999/approvals").status_code == 404
