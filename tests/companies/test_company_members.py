"""A company's members and invitations, managed by its company admin."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from foundry.accounts.models import AccountToken, Role, RoleMembership, TokenPurpose
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.notifications.models import OutboxEmail
from tests import factories as pf
from tests.factories import company_member


def _invitations(db, company):
    return list(
        db.session.scalars(
            db.select(AccountToken)
            .filter_by(purpose=TokenPurpose.INVITATION, company_id=company.id)
            .order_by(AccountToken.id)
        )
    )


def _outbox(db):
    return list(db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id)))


def _role_of(db, user, company):
    return db.session.scalar(
        db.select(RoleMembership.role).filter_by(user_id=user.id, company_id=company.id)
    )


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["company_admin_a", "recruiter_a", "park_admin"])
def test_members_and_the_park_admin_see_the_members(client, world, login_as, who):
    login_as(getattr(world, who))
    html = client.get("/company/alpha/members").get_data(as_text=True)
    assert world.company_admin_a.display_name in html and world.recruiter_a.email in html
    assert world.recruiter_b.display_name not in html


@pytest.mark.parametrize("who", ["recruiter_b", "coordinator_a", "student_a1", "dean_a1"])
def test_outsiders_cannot_see_the_members(client, world, login_as, who):
    login_as(getattr(world, who))
    assert client.get("/company/alpha/members").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/company/alpha/members")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_only_the_company_admin_sees_the_invite_form(client, world, login_as):
    login_as(world.recruiter_a)
    html = client.get("/company/alpha/members").get_data(as_text=True)
    assert "Send invitation" not in html and "Pending invitations" not in html
    login_as(world.company_admin_a)
    assert "Send invitation" in client.get("/company/alpha/members").get_data(as_text=True)


@pytest.mark.parametrize("who", ["recruiter_a", "recruiter_unverified", "park_admin", "student_a1"])
def test_others_cannot_invite_change_or_remove(client, world, login_as, post_form, db, who):
    login_as(getattr(world, who))
    invitation, _raw = pf.invitation(world.company_a, "pending@example.com")
    admin_role = world.company_admin_a.memberships[0]
    recruiter_role = world.recruiter_a.memberships[0]
    attempts = [
        ("/company/alpha/members/invite", {"email": "new@example.com", "role": "recruiter"}),
        (f"/company/alpha/invitations/{invitation.id}/resend", {}),
        (f"/company/alpha/invitations/{invitation.id}/revoke", {}),
        (f"/company/alpha/members/{recruiter_role.id}/role", {"role": "company_admin"}),
        (f"/company/alpha/members/{admin_role.id}/remove", {}),
    ]
    for url, data in attempts:
        assert post_form(url, data, form_page="/companies").status_code == 403, url
    assert len(_invitations(db, world.company_a)) == 1
    assert _invitations(db, world.company_a)[0].revoked_at is None
    assert _role_of(db, world.recruiter_a, world.company_a) is Role.RECRUITER
    assert _role_of(db, world.company_admin_a, world.company_a) is Role.COMPANY_ADMIN
    assert _outbox(db) == []


def test_admin_of_another_company_cannot_touch_this_one(client, world, login_as, post_form, db):
    other_admin = company_member(world.company_b, Role.COMPANY_ADMIN)
    invitation, _raw = pf.invitation(world.company_a, "pending@example.com")
    recruiter_role = world.recruiter_a.memberships[0]
    login_as(other_admin)
    assert client.get("/company/alpha/members").status_code == 403
    for url in (
        f"/company/alpha/invitations/{invitation.id}/revoke",
        f"/company/alpha/members/{recruiter_role.id}/remove",
    ):
        assert post_form(url, {}, form_page="/companies").status_code == 403
    # ... nor reach this company's rows through their own company's URLs
    for url in (
        f"/company/beta/invitations/{invitation.id}/revoke",
        f"/company/beta/members/{recruiter_role.id}/remove",
    ):
        assert post_form(url, {}, form_page="/companies").status_code == 404
    assert _role_of(db, world.recruiter_a, world.company_a) is Role.RECRUITER
    assert _invitations(db, world.company_a)[0].revoked_at is None


# --- the list -----------------------------------------------------------------------------------


def test_members_show_role_joined_date_and_last_sign_in(client, world, login_as):
    login_as(world.company_admin_a)
    html = client.get("/company/alpha/members?sort=-role").get_data(as_text=True)
    assert "Company admin" in html and "Recruiter" in html
    assert (
        re.search(r"Joined \d{1,2} [A-Z][a-z]{2} 20\d\d", html)
        and "last signed in" in html
        and "HKT" in html
    )
    assert client.get("/company/alpha/members?sort=email_hash").status_code == 400


def test_members_are_paginated(client, world, login_as, db):
    for _n in range(30):
        company_member(world.company_a)
    db.session.commit()
    login_as(world.company_admin_a)
    html = client.get("/company/alpha/members?page=2").get_data(as_text=True)
    assert "26–32 of 32" in html


# --- inviting -----------------------------------------------------------------------------------


def test_admin_invites_and_the_email_carries_the_link(client, world, login_as, post_form, db):
    login_as(world.company_admin_a)
    response = post_form(
        "/company/alpha/members/invite",
        {"email": "  New.Person@Example.com ", "role": "recruiter"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303
    (invitation,) = _invitations(db, world.company_a)
    assert invitation.email == "new.person@example.com" and invitation.role is Role.RECRUITER
    assert invitation.created_by_id == world.company_admin_a.id
    lifetime = invitation.expires_at - invitation.created_at
    assert lifetime == timedelta(days=14)
    (email,) = _outbox(db)
    assert email.to_address == "new.person@example.com"
    assert email.subject == "Join Alpha Robotics on Talent Foundry"
    assert world.company_admin_a.display_name in email.body_text
    assert "as Recruiter" in email.body_text and "Hong Kong time" in email.body_text
    link = next(line for line in email.body_text.splitlines() if "/invitations/" in line)
    assert link.startswith("http") and invitation.token_hash not in link
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="company.invitation_sent"))
    assert event.details == {"email": "new.person@example.com", "role": "recruiter"}
    html = client.get("/company/alpha/members").get_data(as_text=True)
    assert "new.person@example.com" in html and "expires" in html


def test_a_university_address_may_be_invited(client, world, login_as, post_form, db):
    """A PhD student who founded the startup is its company admin."""
    login_as(world.company_admin_a)
    response = post_form(
        "/company/alpha/members/invite",
        {"email": world.student_a1.email, "role": "company_admin"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303
    assert _invitations(db, world.company_a)[0].role is Role.COMPANY_ADMIN


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"email": "", "role": "recruiter"}, 400, "Enter the e-mail address"),
        ({"email": "not-an-address", "role": "recruiter"}, 400, "Enter an e-mail address"),
        ({"email": "a" * 250 + "@x.com", "role": "recruiter"}, 400, "at most 254"),
        ({"email": "x@example.com", "role": "park_admin"}, 400, "Choose recruiter or company"),
        ({"email": "x@example.com", "role": "dean"}, 400, "Choose recruiter or company"),
        ({"email": "x@example.com", "role": ""}, 400, "Choose recruiter or company"),
        ({"email": "MEMBER", "role": "recruiter"}, 409, "already a member"),
        ({"email": "pending@example.com", "role": "recruiter"}, 409, "already has an invitation"),
    ],
)
def test_bad_invitations_are_refused(client, world, login_as, post_form, db, data, status, message):
    pf.invitation(world.company_a, "pending@example.com")
    if data["email"] == "MEMBER":
        data = {**data, "email": world.recruiter_a.email.upper()}
    login_as(world.company_admin_a)
    response = post_form("/company/alpha/members/invite", data, form_page="/company/alpha/members")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert len(_invitations(db, world.company_a)) == 1
    assert _outbox(db) == []


def test_invite_with_forged_csrf_is_refused(client, world, login_as, db):
    login_as(world.company_admin_a)
    response = client.post(
        "/company/alpha/members/invite",
        data={"email": "x@example.com", "role": "recruiter", "csrf_token": "forged"},
    )
    assert response.status_code == 400
    assert _invitations(db, world.company_a) == []


def test_resend_replaces_the_link(client, world, login_as, post_form, db):
    old, old_raw = pf.invitation(world.company_a, "late@example.com", days=-1)  # expired
    login_as(world.company_admin_a)
    html = client.get("/company/alpha/members").get_data(as_text=True)
    assert "late@example.com" in html and "Expired" in html
    response = post_form(
        f"/company/alpha/invitations/{old.id}/resend", {}, form_page="/company/alpha/members"
    )
    assert response.status_code == 303
    first, second = _invitations(db, world.company_a)
    assert first.revoked_at is not None and second.revoked_at is None
    assert second.expires_at > utcnow() + timedelta(days=13)
    (email,) = _outbox(db)
    assert email.to_address == "late@example.com" and old_raw not in email.body_text
    assert client.get(f"/invitations/{old_raw}").status_code == 410


def test_revoke_withdraws_the_invitation(client, world, login_as, post_form, db):
    invitation, raw = pf.invitation(world.company_a, "gone@example.com")
    login_as(world.company_admin_a)
    response = post_form(
        f"/company/alpha/invitations/{invitation.id}/revoke",
        {"confirmed": "yes"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303
    assert _invitations(db, world.company_a)[0].revoked_at is not None
    assert "is withdrawn" in client.get("/company/alpha/members").get_data(as_text=True)
    assert "gone@example.com" not in client.get("/company/alpha/members").get_data(as_text=True)
    # a withdrawn invitation can be neither resent nor withdrawn again
    again = post_form(
        f"/company/alpha/invitations/{invitation.id}/resend", {}, form_page="/company/alpha/members"
    )
    assert again.status_code == 409


# --- changing roles and removing ---------------------------------------------------------------


def test_admin_promotes_a_recruiter(client, world, login_as, post_form, db):
    membership_id = world.recruiter_a.memberships[0].id
    login_as(world.company_admin_a)
    response = post_form(
        f"/company/alpha/members/{membership_id}/role",
        {"role": "company_admin"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303
    assert _role_of(db, world.recruiter_a, world.company_a) is Role.COMPANY_ADMIN
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="company.member_role_changed"))
    assert event.details["after"] == "company_admin"


def test_role_change_to_an_unknown_role_is_refused(client, world, login_as, post_form, db):
    membership_id = world.recruiter_a.memberships[0].id
    login_as(world.company_admin_a)
    response = post_form(
        f"/company/alpha/members/{membership_id}/role",
        {"role": "park_admin"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 400
    assert "Choose recruiter or company admin" in response.get_data(as_text=True)
    assert _role_of(db, world.recruiter_a, world.company_a) is Role.RECRUITER


def test_the_last_company_admin_can_be_neither_demoted_nor_removed(
    client, world, login_as, post_form, db
):
    own_id = world.company_admin_a.memberships[0].id
    login_as(world.company_admin_a)
    demote = post_form(
        f"/company/alpha/members/{own_id}/role",
        {"role": "recruiter"},
        form_page="/company/alpha/members",
    )
    assert demote.status_code == 409 and "only company admin" in demote.get_data(as_text=True)
    remove = post_form(
        f"/company/alpha/members/{own_id}/remove",
        {"confirmed": "yes"},
        form_page="/company/alpha/members",
    )
    assert remove.status_code == 409 and "only company admin" in remove.get_data(as_text=True)
    assert _role_of(db, world.company_admin_a, world.company_a) is Role.COMPANY_ADMIN


def test_admin_removes_a_recruiter(client, world, login_as, post_form, db):
    membership_id = world.recruiter_a.memberships[0].id
    login_as(world.company_admin_a)
    response = post_form(
        f"/company/alpha/members/{membership_id}/remove",
        {"confirmed": "yes"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303
    assert _role_of(db, world.recruiter_a, world.company_a) is None
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="company.member_removed"))
    login_as(world.recruiter_a)
    assert client.get("/company/alpha").status_code == 403


def test_an_admin_may_leave_when_another_admin_remains(client, world, login_as, post_form, db):
    company_member(world.company_a, Role.COMPANY_ADMIN)
    own_id = world.company_admin_a.memberships[0].id
    login_as(world.company_admin_a)
    response = post_form(
        f"/company/alpha/members/{own_id}/remove",
        {"confirmed": "yes"},
        form_page="/company/alpha/members",
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert _role_of(db, world.company_admin_a, world.company_a) is None


def test_remove_with_forged_csrf_is_refused(client, world, login_as, db):
    membership_id = world.recruiter_a.memberships[0].id
    login_as(world.company_admin_a)
    response = client.post(
        f"/company/alpha/members/{membership_id}/remove", data={"csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert _role_of(db, world.recruiter_a, world.company_a) is Role.RECRUITER
