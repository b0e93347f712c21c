"""A park admin signing in with a password must set up the second factor first: there is
no way round the set-up step."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from tests.accounts.two_factor.conftest import (
    pending_in_session,
    signed_in_user_id,
    start_pending_sign_in,
    with_password,
    wrong,
)
from tests.conftest import csrf_from

SETUP = "/sign-in/two-factor/setup"
CHALLENGE = "/sign-in/two-factor"


@pytest.fixture
def admin(world, db):
    user = with_password(world.park_admin)
    db.session.commit()
    return user


def _secret_shown(html: str) -> str:
    match = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', html)
    assert match, "no key for manual entry on the page"
    return match.group(1).replace(" ", "")


def test_a_park_admin_without_second_factor_is_sent_to_set_it_up(client, admin):
    start_pending_sign_in(client, admin)
    response = client.get(CHALLENGE)
    assert response.status_code == 302 and response.headers["Location"].endswith(SETUP)
    token = csrf_from(client.get("/companies"))
    response = client.post(CHALLENGE, data={"code": "123456", "csrf_token": token})
    assert response.headers["Location"].endswith(SETUP)
    assert signed_in_user_id(client) is None


def test_the_setup_page_shows_a_qr_code_and_the_key_for_manual_entry(client, db, admin):
    start_pending_sign_in(client, admin)
    response = client.get(SETUP)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        '<svg role="img"' in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    )
    secret = _secret_shown(html)
    db.session.refresh(admin)
    assert decrypt(admin.totp_secret_encrypted) == secret
    assert not admin.has_second_factor
    assert admin.email in html
    assert response.headers["Cache-Control"] == "no-store"
    # A reload shows the same key: the app already scanned stays right.
    assert _secret_shown(client.get(SETUP).get_data(as_text=True)) == secret


def test_a_wrong_first_code_keeps_the_admin_signed_out(client, db, admin):
    start_pending_sign_in(client, admin)
    page = client.get(SETUP)
    secret = _secret_shown(page.get_data(as_text=True))
    response = client.post(
        SETUP, data={"code": wrong(pyotp.TOTP(secret).now()), "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 400
    assert "That code is not right" in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None
    db.session.refresh(admin)
    assert not admin.has_second_factor


def test_the_right_code_turns_it_on_shows_the_recovery_codes_once_and_signs_in(client, db, admin):
    start_pending_sign_in(client, admin, next_url="/admin")
    page = client.get(SETUP)
    secret = _secret_shown(page.get_data(as_text=True))
    response = client.post(
        SETUP, data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    codes = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}\b", html)
    assert len(codes) == 10
    assert 'href="/admin"' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert signed_in_user_id(client) == f"{admin.id}:{admin.session_version}"
    assert not pending_in_session(client)
    db.session.refresh(admin)
    assert admin.has_second_factor
    methods = db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "user.sign_in")
    ).all()
    assert methods == [{"method": "password+totp"}]
    # Shown once: the account page never lists them again.
    manage = client.get("/account/two-factor").get_data(as_text=True)
    assert not any(code in manage for code in codes)


def test_no_other_page_finishes_the_sign_in_of_an_admin_in_set_up(client, admin):
    start_pending_sign_in(client, admin)
    client.get(SETUP)
    for path in ("/account/two-factor", "/admin", "/account/two-factor/enrol"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert signed_in_user_id(client) is None


def test_an_admin_with_a_second_factor_cannot_set_up_another(client, db, admin, clock):
    from tests.accounts.two_factor.conftest import turn_on

    turn_on(admin, clock, db)
    start_pending_sign_in(client, admin)
    response = client.get(SETUP)
    assert response.headers["Location"].endswith(CHALLENGE)


def test_setup_during_sign_in_is_only_for_park_admins(client, world, db):
    user = with_password(world.recruiter_a)
    db.session.commit()
    start_pending_sign_in(client, user)
    response = client.get(SETUP)
    assert response.headers["Location"].endswith(CHALLENGE)
    db.session.refresh(user)
    assert user.totp_secret_encrypted is None


def test_setup_needs_a_pending_sign_in(client, admin):
    response = client.get(SETUP)
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")


def test_setup_allows_fifteen_minutes_but_no_more(client, admin):
    start_pending_sign_in(client, admin, age=14 * 60)
    assert client.get(SETUP).status_code == 200
    start_pending_sign_in(client, admin, age=15 * 60 + 1)
    assert client.get(SETUP).status_code == 302


@pytest.mark.parametrize("code", ["", "abcdef", "abcd-efgh-jk", "9" * 40])
def test_setup_refuses_malformed_codes(client, db, admin, code):
    start_pending_sign_in(client, admin)
    page = client.get(SETUP)
    response = client.post(SETUP, data={"code": code, "csrf_token": csrf_from(page)})
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_the_password_sign_in_of_a_park_admin_leads_to_the_setup(client, admin):
    from tests.accounts.two_factor.conftest import PASSWORD

    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": admin.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(CHALLENGE)
    assert client.get(CHALLENGE).headers["Location"].endswith(SETUP)
    assert client.get(SETUP).status_code == 200
    assert signed_in_user_id(client) is None
