"""The invitation link: a new account, an existing one, the wrong one, and used links."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import AccountToken, Role, RoleMembership, User
from foundry.accounts.passwords import verify_password
from foundry.audit.models import AuditEvent
from foundry.companies import invitations as inv
from foundry.db import utcnow
from tests import factories as pf
from tests.conftest import csrf_from
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
NEW_ACCOUNT = {"display_name": "Nora Chan", "password": PASSWORD, "confirm": PASSWORD}


@pytest.fixture
def invited(world, db):
    """An invitation to Alpha Robotics for an address with no account yet."""
    token, raw = pf.invitation(world.company_a, "nora@startup.hk", created_by=world.company_admin_a)
    db.session.commit()
    return token, raw


def _members(db, company, email):
    return list(
        db.session.scalars(
            sa.select(RoleMembership)
            .join(User, User.id == RoleMembership.user_id)
            .where(RoleMembership.company_id == company.id, User.email == email)
        )
    )


def _user(db, email):
    return db.session.scalar(sa.select(User).where(User.email == email))


# --- a new account -----------------------------------------------------------------------------


def test_page_shows_company_role_and_the_account_form(client, world, invited):
    _token, raw = invited
    response = client.get(f"/invitations/{raw}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert "Join Alpha Robotics" in html and "as Recruiter" in html
    assert "nora@startup.hk" in html and "Create account and join" in html


def test_new_person_creates_an_account_and_joins(client, world, post_form, db, invited):
    token, raw = invited
    response = post_form(f"/invitations/{raw}", NEW_ACCOUNT)
    assert response.status_code == 303
    assert response.headers["Location"] == "/company/alpha"
    user = _user(db, "nora@startup.hk")
    assert user.display_name == "Nora Chan" and user.email_verified_at is not None
    assert verify_password(user.password_hash, PASSWORD)
    (membership,) = _members(db, world.company_a, "nora@startup.hk")
    assert membership.role is Role.RECRUITER
    assert membership.granted_by_id == world.company_admin_a.id
    assert db.session.get(AccountToken, token.id).used_at is not None
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"user.created", "company.invitation_accepted", "user.sign_in"} <= actions
    # signed in: the workspace opens
    assert client.get("/company/alpha").status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({**NEW_ACCOUNT, "display_name": ""}, "Enter your name"),
        ({**NEW_ACCOUNT, "display_name": "N" * 121}, "At most 120 characters"),
        ({**NEW_ACCOUNT, "password": "short", "confirm": "short"}, "at least 12 characters"),
        ({**NEW_ACCOUNT, "password": "x" * 129, "confirm": "x" * 129}, "at most 128"),
        (
            {**NEW_ACCOUNT, "password": "nora@startup.hk!", "confirm": "nora@startup.hk!"},
            "e-mail address",
        ),
        ({**NEW_ACCOUNT, "confirm": "something else entirely"}, "not the same"),
    ],
)
def test_bad_account_details_are_refused(client, world, post_form, db, invited, data, message):
    token, raw = invited
    response = post_form(f"/invitations/{raw}", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _user(db, "nora@startup.hk") is None
    assert db.session.get(AccountToken, token.id).used_at is None


def test_forged_csrf_is_refused(client, world, db, invited):
    token, raw = invited
    response = client.post(f"/invitations/{raw}", data={**NEW_ACCOUNT, "csrf_token": "forged"})
    assert response.status_code == 400
    assert _user(db, "nora@startup.hk") is None


def test_a_used_link_cannot_be_replayed(client, world, post_form, db, invited):
    _token, raw = invited
    page = client.get(f"/invitations/{raw}")
    csrf = csrf_from(page)
    first = client.post(f"/invitations/{raw}", data={**NEW_ACCOUNT, "csrf_token": csrf})
    assert first.status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/companies"))})
    fresh = csrf_from(client.get("/companies"))
    replay = client.post(f"/invitations/{raw}", data={**NEW_ACCOUNT, "csrf_token": fresh})
    assert replay.status_code == 410
    assert "has been used" in replay.get_data(as_text=True)
    assert len(_members(db, world.company_a, "nora@startup.hk")) == 1


def test_a_token_consumed_by_a_parallel_request_creates_nothing(app, world, db, invited):
    """The race: both requests found the link usable; the one that marks it used second
    is refused, and writes neither an account nor a membership."""
    _token, raw = invited
    with app.test_request_context():
        invitation = inv.find_invitation(raw)
        db.session.execute(  # the other request wins
            sa.update(AccountToken).where(AccountToken.id == invitation.id).values(used_at=utcnow())
        )
        with pytest.raises(inv.InvitationUnusable):
            inv.accept_with_new_account(invitation, "Nora", PASSWORD)
        db.session.rollback()
    assert _user(db, "nora@startup.hk") is None


@pytest.mark.parametrize(
    "state, status, message",
    [
        ("expired", 410, "has expired"),
        ("revoked", 410, "was withdrawn"),
        ("used", 410, "has been used"),
        ("unknown", 404, "not valid"),
    ],
)
def test_unusable_links_get_a_clear_page(client, world, db, invited, state, status, message):
    token, raw = invited
    if state == "expired":
        token.expires_at = utcnow() - timedelta(seconds=1)
    if state == "revoked":
        token.revoked_at = utcnow()
    if state == "used":
        token.used_at = utcnow()
    if state == "unknown":
        raw = raw[:-2] + ("AA" if not raw.endswith("AA") else "BB")
    db.session.commit()
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/invitations/{raw}", data=NEW_ACCOUNT if method == "post" else None
        )
        assert response.status_code in (status, 400), method  # a POST without CSRF may stop earlier
    response = client.get(f"/invitations/{raw}")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _user(db, "nora@startup.hk") is None


def test_an_absurd_token_is_simply_not_found(client, world):
    assert client.get("/invitations/" + "x" * 5000).status_code == 404


# --- an existing account ----------------------------------------------------------------------


def test_an_existing_account_must_sign_in_first(client, world, post_form, db):
    existing = UserFactory(email="kim@startup.hk")
    _token, raw = pf.invitation(world.company_a, "kim@startup.hk")
    db.session.commit()
    response = client.get(f"/invitations/{raw}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Sign in with it first" in html
    assert f"next=/invitations/{raw}" in html.replace("%2F", "/")
    assert "Create account" not in html
    # posting the new-account form anyway changes nothing
    attempt = post_form(f"/invitations/{raw}", NEW_ACCOUNT)
    assert attempt.status_code == 409
    assert db.session.get(User, existing.id).password_hash is None
    assert _members(db, world.company_a, "kim@startup.hk") == []


def test_signed_in_as_the_invited_address_joins_in_one_click(
    client, world, login_as, post_form, db
):
    """A student (a university address) who founded a startup joins as its company admin."""
    student = world.student_a1
    token, raw = pf.invitation(world.company_b, student.email, role=Role.COMPANY_ADMIN)
    login_as(student)
    html = client.get(f"/invitations/{raw}").get_data(as_text=True)
    assert "Join Beta Fintech" in html and "Create account" not in html
    response = post_form(f"/invitations/{raw}", {})
    assert response.status_code == 303 and response.headers["Location"] == "/company/beta"
    (membership,) = _members(db, world.company_b, student.email)
    assert membership.role is Role.COMPANY_ADMIN
    assert db.session.get(AccountToken, token.id).used_at is not None
    assert client.get("/company/beta/members").status_code == 200
    again = post_form(f"/invitations/{raw}", {}, form_page="/companies")
    assert again.status_code == 410
    assert len(_members(db, world.company_b, student.email)) == 1


def test_joining_from_the_link_verifies_the_address(client, world, login_as, post_form, db):
    unverified = UserFactory(email="lee@startup.hk", password_hash="x", email_verified_at=None)
    _token, raw = pf.invitation(world.company_a, "lee@startup.hk")
    login_as(unverified)
    assert post_form(f"/invitations/{raw}", {}).status_code == 303
    assert db.session.get(User, unverified.id).email_verified_at is not None


def test_signed_in_as_someone_else_is_refused(client, world, login_as, post_form, db, invited):
    token, raw = invited
    login_as(world.recruiter_b)
    response = client.get(f"/invitations/{raw}")
    assert response.status_code == 403
    assert "for another e-mail address" in response.get_data(as_text=True)
    attempt = post_form(f"/invitations/{raw}", {}, form_page="/companies")
    assert attempt.status_code == 403
    assert db.session.get(AccountToken, token.id).used_at is None
    assert _members(db, world.company_a, world.recruiter_b.email) == []


def test_a_member_already_is_told_so(client, world, login_as, post_form, db):
    token, raw = pf.invitation(world.company_a, world.recruiter_a.email)
    login_as(world.recruiter_a)
    response = post_form(f"/invitations/{raw}", {})
    assert response.status_code == 409
    assert "already a member" in response.get_data(as_text=True)
    assert db.session.get(AccountToken, token.id).used_at is None


def test_join_with_forged_csrf_is_refused(client, world, login_as, db):
    token, raw = pf.invitation(world.company_b, world.student_a1.email)
    login_as(world.student_a1)
    response = client.post(f"/invitations/{raw}", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert _members(db, world.company_b, world.student_a1.email) == []
