"""Publishing a posting (and a university approving it later) tells the students whose
saved searches match: the desk's services call the alerts of saved searches."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.notifications.models import Notification
from foundry.postings.models import ApprovalStatus, PostingApproval, PostingStatus
from foundry.postings.services import decide_approval, publish
from tests.factories import PostingFactory, staff
from tests.postings.search.test_alerts import saved_search


def _alerts_for(db, user) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.user_id == user.id, Notification.kind == "posting.alert"
            )
        )
    )


def test_publishing_alerts_students_with_a_matching_saved_search(world, db):
    saved_search(world.student_a1, q="drone")
    saved_search(world.student_a2, q="accounting")
    posting = PostingFactory(
        company=world.company_a,
        title="Drone Vision Intern",
        status=PostingStatus.PENDING_REVIEW,
        published_at=None,
    )
    publish(world.park_admin, posting)
    assert len(_alerts_for(db, world.student_a1)) == 1
    assert _alerts_for(db, world.student_a2) == []


def test_university_approval_alerts_its_students_only_then(world, db):
    from foundry.accounts.models import Role

    world.uni_a.posting_approval_required = True
    saved_search(world.student_a1, q="drone")
    posting = PostingFactory(
        company=world.company_a,
        title="Drone Vision Intern",
        status=PostingStatus.PENDING_REVIEW,
        published_at=None,
    )
    publish(world.park_admin, posting)
    assert _alerts_for(db, world.student_a1) == []  # UA has not approved it yet

    approval = db.session.scalar(
        sa.select(PostingApproval).where(PostingApproval.posting_id == posting.id)
    )
    officer = staff(Role.PLACEMENT_OFFICER, world.fac_a1)
    decide_approval(officer, approval, approve=True, comment="")
    assert approval.status is ApprovalStatus.APPROVED
    assert len(_alerts_for(db, world.student_a1)) == 1
