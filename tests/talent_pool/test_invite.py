"""Inviting a student from the Talent Pool to apply: who may, what is refused, who hears."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput
from foundry.notifications.models import Notification, OutboxEmail
from foundry.postings.models import PostingStatus
from foundry.talent_pool.models import TalentPoolInvitation
from foundry.talent_pool.services import invite_to_apply
from tests.conftest import csrf_from as _csrf
from tests.factories import PostingFactory
from tests.talent_pool.helpers import pool_student


@pytest.fixture
def ada(world):
    return pool_student(world.fac_a1, name="Ada Chan")


@pytest.fixture
def posting(world):
    return PostingFactory(company=world.company_a, title="Robot Perception Intern")


def _url(profile, slug="alpha"):
    return f"/company/{slug}/talent-pool/students/{profile.id}/invite"


def _invitations(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(TalentPoolInvitation.id)))


def _notifications(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)))


def test_recruiter_invites_a_student_who_is_told_in_app_and_by_email(
    client, world, login_as, post_form, db, ada, posting
):
    login_as(world.recruiter_a)

    response = post_form(
        _url(ada), {"posting_id": posting.id, "message": "Your ROS project caught our eye."}
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/company/alpha/talent-pool")
    invitation = db.session.scalars(sa.select(TalentPoolInvitation)).one()
    assert (invitation.posting_id, invitation.profile_id) == (posting.id, ada.id)
    assert invitation.invited_by_id == world.recruiter_a.id
    assert invitation.message == "Your ROS project caught our eye."
    notice = db.session.scalars(sa.select(Notification)).one()
    assert notice.user_id == ada.user_id
    assert notice.title == "Invited by Alpha Robotics"
    assert notice.link == f"/postings/{posting.id}"
    assert "Robot Perception Intern" in notice.body and "ROS project" in notice.body
    email = db.session.scalars(sa.select(OutboxEmail)).one()
    assert email.to_address == ada.user.email
    assert email.subject == "Invited by Alpha Robotics"
    assert f"/postings/{posting.id}" in email.body_text
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action == "talent_pool.invited"
            )
        )
        == 1
    )
    page = client.get("/company/alpha/talent-pool").get_data(as_text=True)
    assert "is invited to apply" in page
    assert "Invited to" in page and "Robot Perception Intern" in page


def test_the_student_reads_who_invited_them_in_their_notifications(
    client, world, login_as, db, ada, posting
):
    invite_to_apply(world.recruiter_a, world.company_a, ada, posting, "Come and see us.")
    login_as(ada.user)

    page = client.get("/notifications").get_data(as_text=True)

    assert "Invited by Alpha Robotics" in page
    assert "Robot Perception Intern" in page


def test_the_form_offers_only_open_postings_the_student_may_apply_to(
    client, world, login_as, db, ada, posting
):
    PostingFactory(company=world.company_b, title="Beta Quant Intern")
    PostingFactory(
        company=world.company_a,
        title="Old Closed Role",
        status=PostingStatus.CLOSED,
        published_at=utcnow(),
    )
    PostingFactory(
        company=world.company_a, title="Expired Role", deadline=utcnow() - timedelta(hours=1)
    )
    PostingFactory(company=world.company_a, title="Draft Role", status=PostingStatus.DRAFT)
    PostingFactory(company=world.company_a, title="Local Only Role", open_to_non_local=False)
    already = PostingFactory(company=world.company_a, title="Already Invited Role")
    db.session.add(TalentPoolInvitation(posting_id=already.id, profile_id=ada.id))
    ada.non_local = True
    login_as(world.recruiter_a)

    page = client.get(_url(ada)).get_data(as_text=True)

    assert f'<option value="{posting.id}">Robot Perception Intern</option>' in page
    for hidden in ("Beta Quant Intern", "Old Closed Role", "Expired Role", "Draft Role"):
        assert hidden not in page
    assert "Local Only Role" not in page
    assert f'<option value="{already.id}"' not in page
    assert "Already Invited Role" in page  # listed under "Invited to"
    assert ada.user.email not in page and ada.student_number not in page


def test_company_without_open_postings_is_told_what_to_do(client, world, login_as, ada):
    login_as(world.recruiter_a)

    page = client.get(_url(ada)).get_data(as_text=True)

    assert "No open posting to invite to" in page
    assert "Publish a posting first" in page


def test_message_of_more_than_2000_characters_is_refused(
    client, world, login_as, post_form, db, ada, posting
):
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": posting.id, "message": "x" * 2001})

    assert response.status_code == 400
    assert "Keep the message to 2,000 characters." in response.get_data(as_text=True)
    assert _invitations(db) == 0 and _notifications(db) == 0


def test_choosing_no_posting_is_refused(client, world, login_as, post_form, db, ada, posting):
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": "", "message": "Hello"})

    assert response.status_code == 400
    assert "Choose the posting to invite the student to." in response.get_data(as_text=True)
    assert _invitations(db) == 0


def test_another_companys_posting_id_is_refused_and_nothing_stored(
    client, world, login_as, post_form, db, ada, posting
):
    theirs = PostingFactory(company=world.company_b, title="Beta Quant Intern")
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": theirs.id})

    assert response.status_code == 400
    assert "Choose one of your own company" in response.get_data(as_text=True)
    assert _invitations(db) == 0 and _notifications(db) == 0


def test_a_posting_id_that_does_not_exist_is_refused(client, world, login_as, post_form, db, ada):
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": 999999})

    assert response.status_code == 400
    assert "That posting does not exist" in response.get_data(as_text=True)
    assert _invitations(db) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": PostingStatus.CLOSED}, "not published"),
        ({"status": PostingStatus.DRAFT, "published_at": None}, "not published"),
        ({"deadline": utcnow() - timedelta(minutes=1)}, "deadline has passed"),
    ],
)
def test_closed_or_expired_postings_are_refused(
    client, world, login_as, post_form, db, ada, changes, message
):
    posting = PostingFactory(company=world.company_a, **changes)
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": posting.id})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _invitations(db) == 0 and _notifications(db) == 0


def test_a_student_who_left_the_pool_meanwhile_cannot_be_invited(
    client, world, login_as, post_form, db, ada, posting
):
    login_as(world.recruiter_a)
    form_page = client.get(_url(ada))
    ada.talent_pool_opt_in = False
    ada.talent_pool_opted_in_at = None
    db.session.commit()

    response = client.post(
        _url(ada),
        data={"posting_id": posting.id, "csrf_token": _csrf(form_page)},
    )

    assert response.status_code == 404
    assert "not in the Talent Pool" in response.get_data(as_text=True)
    assert _invitations(db) == 0 and _notifications(db) == 0


def test_a_student_outside_the_pool_has_no_invitation_page(client, world, login_as, db):
    outside = pool_student(world.fac_a1, name="Not Here", opted_in=False)
    login_as(world.recruiter_a)

    response = client.get(_url(outside))

    assert response.status_code == 404
    assert "Not Here" not in response.get_data(as_text=True)


def test_a_second_invitation_to_the_same_posting_is_refused(
    client, world, login_as, post_form, db, ada, posting
):
    login_as(world.company_admin_a)
    form_page = client.get(_url(ada))
    assert post_form(_url(ada), {"posting_id": posting.id}).status_code == 303

    # A second tab, or a colleague, sends the same invitation again.
    response = client.post(
        _url(ada), data={"posting_id": posting.id, "csrf_token": _csrf(form_page)}
    )

    assert response.status_code == 409
    assert "already invited this student to that posting" in response.get_data(as_text=True)
    assert _invitations(db) == 1 and _notifications(db) == 1


def test_a_student_not_eligible_for_the_posting_is_refused(
    client, world, login_as, post_form, db, ada
):
    posting = PostingFactory(company=world.company_a, open_to_non_local=False)
    ada.non_local = True
    login_as(world.recruiter_a)

    response = post_form(_url(ada), {"posting_id": posting.id})

    assert response.status_code == 400
    assert "eligibility rules" in response.get_data(as_text=True)
    assert _invitations(db) == 0


def test_a_simultaneous_duplicate_is_refused_by_the_unique_constraint(db, world, ada, posting):
    invite_to_apply(world.recruiter_a, world.company_a, ada, posting, "")
    db.session.flush()

    with pytest.raises(DomainError, match="already invited"):
        invite_to_apply(world.recruiter_a, world.company_a, ada, posting, "again")

    # The first invitation survives the refused second one.
    assert _invitations(db) == 1


def test_the_service_refuses_another_companys_posting(db, world, ada):
    theirs = PostingFactory(company=world.company_b)

    with pytest.raises(InvalidInput):
        invite_to_apply(world.recruiter_a, world.company_a, ada, theirs, "")
    assert _invitations(db) == 0


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("who", "slug", "status"),
    [
        ("recruiter_unverified", "gamma", 403),
        ("recruiter_b", "alpha", 403),
        ("student_a1", "alpha", 403),
        ("dean_a1", "alpha", 403),
        ("coordinator_a", "alpha", 403),
        ("park_admin", "alpha", 403),
    ],
)
def test_who_may_not_invite(client, world, login_as, db, ada, posting, method, who, slug, status):
    gamma_posting = PostingFactory(company=world.company_unverified)
    target = gamma_posting if slug == "gamma" else posting
    login_as(getattr(world, who))
    token = _csrf(client.get("/demo/sign-in"))

    if method == "get":
        response = client.get(_url(ada, slug))
    else:
        response = client.post(_url(ada, slug), data={"posting_id": target.id, "csrf_token": token})

    assert response.status_code == status
    assert "Ada Chan" not in response.get_data(as_text=True)
    assert _invitations(db) == 0 and _notifications(db) == 0


def test_unverified_company_is_told_why(client, world, login_as, ada):
    login_as(world.recruiter_unverified)

    response = client.get(_url(ada, "gamma"))

    assert "Only verified companies can search the Talent Pool" in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, world, db, ada, posting):
    token = _csrf(client.get("/demo/sign-in"))

    shown = client.get(_url(ada))
    sent = client.post(_url(ada), data={"posting_id": posting.id, "csrf_token": token})

    for response in (shown, sent):
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    assert _invitations(db) == 0
