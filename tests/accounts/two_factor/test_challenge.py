"""The code asked after a correct password: only a right, unused code completes the
sign-in, wrong codes lock the account, and the pending sign-in cannot be stretched."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from tests.accounts.two_factor.conftest import (
    PASSWORD,
    pending_in_session,
    signed_in_user_id,
    start_pending_sign_in,
    turn_on,
    with_password,
    wrong,
)
from tests.conftest import csrf_from

CHALLENGE = "/sign-in/two-factor"


@pytest.fixture
def recruiter(world, db, clock):
    user = with_password(world.recruiter_a)
    user.factor = turn_on(user, clock, db)
    return user


def _send_code(client, code, **kwargs):
    page = client.get(CHALLENGE)
    assert page.status_code == 200, page.status_code
    return client.post(CHALLENGE, data={"code": code, "csrf_token": csrf_from(page)}, **kwargs)


def _token(client) -> str:
    """A CSRF token from a public page (the challenge page itself may redirect)."""
    return csrf_from(client.get("/companies"))


def _sign_in_methods(db):
    return db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "user.sign_in")
    ).all()


def test_the_right_code_completes_the_sign_in_in_a_fresh_session(client, db, recruiter, clock):
    start_pending_sign_in(client, recruiter, next_url="/notifications")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = _send_code(client, clock.code(recruiter.factor.secret))
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"
    assert signed_in_user_id(client) == f"{recruiter.id}:{recruiter.session_version}"
    with client.session_transaction() as session:
        assert "planted" not in session and "pending_sign_in" not in session
    assert _sign_in_methods(db) == [{"method": "password+totp"}]


def test_the_challenge_page_asks_for_the_code_and_is_never_cached(client, recruiter):
    start_pending_sign_in(client, recruiter)
    response = client.get(CHALLENGE)
    html = response.get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in html and "recovery code" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_next_leads_only_to_this_site(client, recruiter, clock):
    start_pending_sign_in(client, recruiter, next_url="//evil.example/steal")
    response = _send_code(client, clock.code(recruiter.factor.secret))
    assert response.headers["Location"] == "/"


def test_a_wrong_code_is_refused_with_a_message_and_counts_as_a_failed_sign_in(
    client, db, recruiter, clock
):
    start_pending_sign_in(client, recruiter)
    response = _send_code(client, wrong(clock.code(recruiter.factor.secret)))
    assert response.status_code == 400
    assert "That code is not right" in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None and pending_in_session(client)
    db.session.refresh(recruiter)
    assert recruiter.failed_sign_ins == 1
    failed = db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "user.sign_in_failed")
    ).all()
    assert failed == [{"reason": "wrong_code"}]


def test_a_code_cannot_be_replayed(client, db, recruiter, clock):
    code = clock.code(recruiter.factor.secret)
    start_pending_sign_in(client, recruiter)
    assert _send_code(client, code).status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account/two-factor"))})
    assert signed_in_user_id(client) is None
    start_pending_sign_in(client, recruiter)
    response = _send_code(client, code)
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_the_previous_steps_code_is_accepted_once(client, recruiter, clock):
    code = clock.code(recruiter.factor.secret, steps_ago=1)
    start_pending_sign_in(client, recruiter)
    assert _send_code(client, code).status_code == 303
    other = client.application.test_client()
    start_pending_sign_in(other, recruiter)
    assert _send_code(other, code).status_code == 400
    assert signed_in_user_id(other) is None


def test_a_recovery_code_signs_in_once(client, db, recruiter):
    code = recovery = recruiter.factor.recovery_codes[0]
    start_pending_sign_in(client, recruiter)
    response = _send_code(client, code.upper())
    assert response.status_code == 303
    assert _sign_in_methods(db) == [{"method": "password+recovery_code"}]
    other = client.application.test_client()
    start_pending_sign_in(other, recruiter)
    assert _send_code(other, recovery).status_code == 400
    assert signed_in_user_id(other) is None


def test_the_last_recovery_codes_bring_a_warning(client, db, recruiter, clock):
    codes = recruiter.factor.recovery_codes
    for code in codes[:8]:
        from foundry.accounts.two_factor import verify_second_factor

        assert verify_second_factor(recruiter, code)
    db.session.commit()
    start_pending_sign_in(client, recruiter)
    response = _send_code(client, codes[8], follow_redirects=True)
    assert "You have 1 recovery code left" in response.get_data(as_text=True)


def test_wrong_codes_lock_the_account_and_drop_the_pending_sign_in(
    app, client, db, recruiter, clock
):
    attempts = app.config["SIGN_IN_LOCKOUT_ATTEMPTS"]
    start_pending_sign_in(client, recruiter)
    bad = wrong(clock.code(recruiter.factor.secret))
    for _attempt in range(attempts - 1):
        assert _send_code(client, bad).status_code == 400
    page = client.get(CHALLENGE)
    response = client.post(CHALLENGE, data={"code": bad, "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert not pending_in_session(client)
    db.session.refresh(recruiter)
    assert recruiter.locked_until is not None
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "user.locked")) == 1
    )
    flashed = client.get("/sign-in", follow_redirects=True).get_data(as_text=True)
    assert "locked for 15 minutes" in flashed


def test_a_locked_account_stays_locked_with_the_right_code_from_any_address(
    app, client, db, recruiter, clock
):
    from foundry.accounts.lockout import register_failure

    for _attempt in range(app.config["SIGN_IN_LOCKOUT_ATTEMPTS"]):
        register_failure(recruiter)
    db.session.commit()
    start_pending_sign_in(client, recruiter)
    response = client.post(
        CHALLENGE,
        data={"code": clock.code(recruiter.factor.secret), "csrf_token": _token(client)},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert signed_in_user_id(client) is None
    db.session.refresh(recruiter)
    assert recruiter.locked_until is not None and recruiter.totp_last_counter is not None
    # The right code was not even looked at: it still works once the lock ends.
    assert _sign_in_methods(db) == []


@pytest.mark.parametrize(
    "pending",
    [
        None,
        "not a dict",
        {"user_id": "x", "session_version": 0, "at": 0},
        {"session_version": 0, "at": 0},
    ],
)
def test_no_usable_pending_sign_in_sends_back_to_sign_in(client, recruiter, pending):
    if pending is not None:
        with client.session_transaction() as session:
            session["pending_sign_in"] = pending
    token = _token(client)
    for response in (
        client.get(CHALLENGE),
        client.post(CHALLENGE, data={"code": "123456", "csrf_token": token}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/sign-in")
    assert signed_in_user_id(client) is None


def test_a_pending_sign_in_older_than_five_minutes_has_expired(client, recruiter, clock):
    start_pending_sign_in(client, recruiter, age=5 * 60 + 1)
    page = client.get(CHALLENGE)
    assert page.status_code == 302
    assert not pending_in_session(client)
    assert "took too long" in client.get("/sign-in", follow_redirects=True).get_data(as_text=True)


def test_a_pending_sign_in_from_the_future_is_refused(client, recruiter):
    start_pending_sign_in(client, recruiter, age=-600)
    assert client.get(CHALLENGE).status_code == 302


def test_signing_out_everywhere_ends_a_pending_sign_in(client, db, recruiter, clock):
    start_pending_sign_in(client, recruiter)
    recruiter.session_version += 1  # e.g. a password change on another device
    db.session.commit()
    with client.session_transaction() as session:
        pending = session["pending_sign_in"]
    assert pending["session_version"] == recruiter.session_version - 1
    response = client.post(
        CHALLENGE, data={"code": clock.code(recruiter.factor.secret), "csrf_token": _token(client)}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_a_paused_account_cannot_finish_signing_in(client, db, recruiter, clock):
    start_pending_sign_in(client, recruiter)
    recruiter.active = False
    db.session.commit()
    assert client.get(CHALLENGE).status_code == 302
    assert signed_in_user_id(client) is None


def test_a_user_without_second_factor_has_nothing_to_finish_here(client, world, db):
    user = with_password(world.recruiter_b)
    db.session.commit()
    start_pending_sign_in(client, user)
    assert client.get(CHALLENGE).headers["Location"].endswith("/sign-in")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code"),
        ("abcdef", "Enter the 6-digit code"),
        ("12 34 5", "Enter the 6-digit code"),
        ("1" * 33, "at most 32"),
        ("<script>", "Use only the digits and letters"),
    ],
)
def test_malformed_codes_are_refused_without_counting(client, db, recruiter, code, message):
    start_pending_sign_in(client, recruiter)
    response = _send_code(client, code)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None
    db.session.refresh(recruiter)
    assert recruiter.failed_sign_ins == 0


def test_a_forged_form_is_refused(client, db, recruiter, clock):
    start_pending_sign_in(client, recruiter)
    client.get(CHALLENGE)
    for token in ("forged", None):
        data = {"code": clock.code(recruiter.factor.secret)}
        if token:
            data["csrf_token"] = token
        response = client.post(CHALLENGE, data=data)
        assert response.status_code == 400
    assert signed_in_user_id(client) is None
    db.session.refresh(recruiter)
    assert recruiter.failed_sign_ins == 0


def test_codes_are_rate_limited_per_account_whatever_the_address(limited_app, db, recruiter, clock):
    client = limited_app.test_client()
    start_pending_sign_in(client, recruiter)
    bad = wrong(clock.code(recruiter.factor.secret))
    statuses = []
    for n in range(4):
        page = client.get(CHALLENGE)
        response = client.post(
            CHALLENGE,
            data={"code": bad, "csrf_token": csrf_from(page)},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
        statuses.append(response.status_code)
    assert statuses == [400, 400, 400, 429]
    db.session.refresh(recruiter)
    assert recruiter.failed_sign_ins == 3


def _password_sign_in(client, user):
    from tests.accounts.two_factor.conftest import PASSWORD

    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )


def test_typing_the_password_again_does_not_wipe_the_wrong_codes(app, client, db, recruiter, clock):
    """Otherwise 4 wrong codes, the password again, 4 more... would never lock."""
    attempts = app.config["SIGN_IN_LOCKOUT_ATTEMPTS"]
    bad = wrong(clock.code(recruiter.factor.secret))
    assert _password_sign_in(client, recruiter).status_code == 303
    for _attempt in range(attempts - 1):
        assert _send_code(client, bad).status_code == 400
    assert _password_sign_in(client, recruiter).status_code == 303
    page = client.get(CHALLENGE)
    response = client.post(CHALLENGE, data={"code": bad, "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    db.session.refresh(recruiter)
    assert recruiter.locked_until is not None


def test_a_right_code_after_wrong_ones_clears_the_count(app, client, db, recruiter, clock):
    bad = wrong(clock.code(recruiter.factor.secret))
    assert _password_sign_in(client, recruiter).status_code == 303
    assert _send_code(client, bad).status_code == 400
    assert _send_code(client, clock.code(recruiter.factor.secret)).status_code == 303
    db.session.refresh(recruiter)
    assert recruiter.failed_sign_ins == 0 and recruiter.locked_until is None


def test_password_and_second_factor_sign_in_makes_a_server_session(
    app, client, db, recruiter, clock
):
    """The session the code completes is known to the server: a copy of its cookie stops
    working when it signs out."""
    from foundry.accounts.models import UserSession
    from foundry.accounts.session import SESSION_SECRET
    from foundry.crypto import token_hash

    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": recruiter.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.headers["Location"].endswith(CHALLENGE)
    _send_code(client, clock.code(recruiter.factor.secret))
    with client.session_transaction() as session:
        row = db.session.get(UserSession, token_hash(session[SESSION_SECRET]))
    assert row.user_id == recruiter.id and row.ended_at is None
    copy = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    copy.set_cookie(cookie.key, cookie.value)
    assert copy.get("/account/security").status_code == 200
    client.post("/sign-out", data={"csrf_token": _token(client)})
    assert copy.get("/account/security").status_code == 302
