"""The sign-in page and password sign-in: one answer for every refusal, the lockout,
unconfirmed addresses, inactive accounts, the second-factor hand-over, and the audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.models import Role
from foundry.accounts.services import PENDING_SIGN_IN
from foundry.audit.models import AuditEvent
from foundry.db import utcnow
from foundry.sso.models import SsoConnection
from tests.accounts.factories import PASSWORD, password_user, reload
from tests.conftest import csrf_from, without_csrf_tokens
from tests.factories import UniversityFactory

GENERIC_REFUSAL = "That e-mail and password do not match an account"


def sign_in(client, email, password=PASSWORD, next_url="", **kwargs):
    page = client.get("/sign-in", **kwargs)
    data = {"email": email, "password": password, "next": next_url, "csrf_token": csrf_from(page)}
    return client.post("/sign-in", data=data, **kwargs)


def signed_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


# --- the page --------------------------------------------------------------------------


def test_sign_in_page_shows_both_ways_and_the_demo_box_in_testing(client, db):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Students and university staff" in html
    assert "Companies and the park team" in html
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    assert 'href="/password/forgot"' in html and 'href="/sign-up"' in html
    assert "Demo sign-in (development only)" in html
    assert "University sign-in is not set up yet" in html  # no university configured


def test_sign_in_page_has_no_demo_box_when_demo_sign_in_is_off(client, app, db):
    app.config["DEMO_SIGN_IN"] = False
    try:
        html = client.get("/sign-in").get_data(as_text=True)
    finally:
        app.config["DEMO_SIGN_IN"] = True
    assert "Demo sign-in" not in html


def test_sign_in_page_lists_universities_with_single_sign_on(client, app, db):
    with_sso = UniversityFactory(code="UA", name_en="University A")
    UniversityFactory(code="UB", name_en="University B")  # no connection: not listed
    db.session.add(
        SsoConnection(
            university=with_sso,
            issuer="https://idp.ua.example",
            client_id="portal",
            client_secret_encrypted="x",
        )
    )
    db.session.commit()
    html = client.get("/sign-in?next=/me").get_data(as_text=True)
    assert 'name="university" value="UA"' in html
    assert 'value="UB"' not in html
    assert 'name="email"' in html and "Which university?" in html
    assert 'name="next" value="/me"' in html


def test_signed_in_user_is_sent_home_from_the_sign_in_page(client, world, login_as):
    login_as(world.recruiter_a)
    assert client.get("/sign-in").status_code == 302


# --- success ---------------------------------------------------------------------------


def test_right_password_signs_in_follows_next_and_audits(client, db):
    user = password_user()
    response = sign_in(client, "  Recruiter@Alpha.example ", next_url="/notifications")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"
    assert signed_in_user_id(client) == f"{user.id}:0"
    assert reload(user).last_sign_in_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.sign_in"))
    assert event.details == {"method": "password"}


def test_next_off_site_is_ignored(client, db):
    password_user()
    response = sign_in(client, "recruiter@alpha.example", next_url="//evil.example/")
    assert response.headers["Location"] == "/"


def test_a_session_value_planted_before_sign_in_is_gone_after(client, db):
    user = password_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999:0"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:0"


def test_a_successful_sign_in_clears_earlier_failures(client, db):
    user = password_user()
    for _ in range(3):
        sign_in(client, user.email, "wrong password!!")
    assert reload(user).failed_sign_ins == 3
    sign_in(client, user.email)
    assert reload(user).failed_sign_ins == 0


def test_an_old_hash_is_upgraded_at_sign_in(client, db):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    user = password_user(password_hash=weak)
    assert sign_in(client, user.email).status_code == 303
    assert reload(user).password_hash != weak
    assert reload(user).password_hash.startswith("$argon2id$")


# --- refusals: one answer for all ------------------------------------------------------


def _normalised(response, email) -> str:
    return without_csrf_tokens(response.get_data(as_text=True)).replace(email, "EMAIL")


def test_unknown_email_wrong_password_and_locked_account_get_the_same_page(client, db):
    password_user("known@alpha.example")
    locked = password_user("locked@alpha.example", locked_until=utcnow() + timedelta(minutes=9))

    unknown = sign_in(client, "nobody@alpha.example")
    wrong = sign_in(client, "known@alpha.example", "not the password")
    locked_right_password = sign_in(client, locked.email)

    for response in (unknown, wrong, locked_right_password):
        assert response.status_code == 400
        assert GENERIC_REFUSAL in response.get_data(as_text=True)
    assert _normalised(unknown, "nobody@alpha.example") == _normalised(wrong, "known@alpha.example")
    assert _normalised(wrong, "known@alpha.example") == _normalised(
        locked_right_password, locked.email
    )
    assert signed_in_user_id(client) is None


def test_inactive_and_passwordless_accounts_get_the_same_refusal(client, db, world):
    inactive = password_user("gone@alpha.example", active=False)
    for email in (inactive.email, world.student_a1.email):
        response = sign_in(client, email)
        assert response.status_code == 400
        assert GENERIC_REFUSAL in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_the_password_is_never_echoed_back(client, db):
    password_user()
    html = sign_in(client, "recruiter@alpha.example", "not-the-password-xyz").get_data(as_text=True)
    assert "not-the-password-xyz" not in html
    assert 'value="recruiter@alpha.example"' in html


def test_failures_are_audited_without_the_password_or_an_unknown_email(client, db):
    user = password_user()
    sign_in(client, user.email, "wrong password!!")
    sign_in(client, "stranger@nowhere.example", "another wrong one")
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "user.sign_in_failed")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.object_id, e.details["reason"]) for e in events] == [
        (None, str(user.id), "wrong_password"),
        (None, None, "unknown"),
    ]
    text = " ".join(f"{e.summary} {e.details}" for e in events)
    assert "wrong password" not in text and "another wrong one" not in text
    assert "stranger@nowhere.example" not in text


# --- lockout ---------------------------------------------------------------------------


def test_lockout_holds_for_its_period_whatever_the_ip(client, app, db):
    user = password_user()
    attempts = app.config["SIGN_IN_LOCKOUT_ATTEMPTS"]
    for n in range(attempts):
        sign_in(client, user.email, "wrong password!!", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
    locked_until = reload(user).locked_until
    assert locked_until is not None
    minutes = app.config["SIGN_IN_LOCKOUT_MINUTES"]
    assert timedelta(minutes=minutes - 1) < locked_until - utcnow() <= timedelta(minutes=minutes)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "user.locked")) == 1
    )

    for address in ("10.9.9.9", "2001:db8::1"):
        response = sign_in(client, user.email, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 400
        assert GENERIC_REFUSAL in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None
    assert reload(user).locked_until == locked_until  # refusals while locked do not extend it


def test_the_lock_ends_after_its_period(client, db):
    user = password_user(locked_until=utcnow() - timedelta(seconds=1))
    assert sign_in(client, user.email).status_code == 303
    assert reload(user).locked_until is None


# --- unconfirmed e-mail ----------------------------------------------------------------


def test_unconfirmed_address_with_the_right_password_is_not_signed_in(client, db):
    user = password_user(verified=False)
    response = sign_in(client, user.email)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in html
    assert 'action="/verify-email/resend"' in html and f'value="{user.email}"' in html
    assert signed_in_user_id(client) is None


def test_unconfirmed_address_with_a_wrong_password_gets_the_generic_refusal(client, db):
    user = password_user(verified=False)
    response = sign_in(client, user.email, "wrong password!!")
    assert response.status_code == 400
    assert "Confirm your e-mail" not in response.get_data(as_text=True)


# --- second factor ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["park_admin", "totp_user"])
def test_second_factor_accounts_wait_for_the_challenge(client, app, db, kind):
    if kind == "park_admin":
        user = password_user("admin@park.example", role=Role.PARK_ADMIN)
    else:
        user = password_user(totp_enabled_at=utcnow(), totp_secret_encrypted="x")
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "x"
    response = sign_in(client, user.email, next_url="/notifications")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in/two-factor"
    with client.session_transaction() as session:
        assert "_user_id" not in session and "planted" not in session
        pending = session[PENDING_SIGN_IN]
    assert pending["user_id"] == user.id
    assert pending["session_version"] == user.session_version
    assert pending["next"] == "/notifications"
    assert client.get("/notifications").status_code == 302  # not signed in yet


# --- forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email, password, message",
    [
        ("", PASSWORD, "Enter your e-mail address."),
        ("not-an-address", PASSWORD, "Enter an e-mail address such as"),
        ("a" * 250 + "@x.example", PASSWORD, "at most 254 characters"),
        ("recruiter@alpha.example", "", "Enter your password."),
        ("recruiter@alpha.example", "x" * 129, "That password is too long."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, db, email, password, message):
    password_user()
    response = sign_in(client, email, password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_a_forged_csrf_token_is_refused(client, db):
    user = password_user()
    client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    assert reload(user).last_sign_in_at is None
