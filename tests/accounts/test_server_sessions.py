"""Sessions live on the server: a cookie copied before sign-out no longer works after it,
nor after "sign out everywhere" or a new password; a single sign-out leaves the user's
other sessions alone; a timed-out session is refused; the security page lists the
sessions and ends one. Every way of signing in makes a session row (the two-factor and
SSO ways are tested in tests/accounts/two_factor and tests/sso)."""

from __future__ import annotations

import ast
import pathlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from foundry.accounts.models import User, UserSession
from foundry.accounts.session import SESSION_SECRET, user_agent_summary
from foundry.crypto import token_hash
from foundry.db import utcnow
from tests.accounts.factories import PASSWORD, password_user, reload
from tests.conftest import csrf_from
from tests.statements import statements_of_request

PAGE = "/account/security"


def copy_cookie(app: Flask, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def row_of(client, db) -> UserSession | None:
    with client.session_transaction() as session:
        secret = session.get(SESSION_SECRET)
    db.session.expire_all()
    return secret and db.session.get(UserSession, token_hash(secret))


def rows(db, user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)))


def post(client, url, form_page=PAGE, **data):
    page = client.get(form_page)
    return client.post(url, data={"csrf_token": csrf_from(page), **data})


def password_sign_in(client, user):
    response = post(client, "/sign-in", "/sign-in", email=user.email, password=PASSWORD)
    assert response.status_code == 303, response.data[:300]


def sign_out(client):
    response = post(client, "/sign-out")
    assert response.status_code == 303


# --- what each way of signing in leaves -----------------------------------------------


def test_password_sign_in_makes_a_session_row(client, db):
    user = password_user()
    password_sign_in(client, user)
    row = row_of(client, db)
    assert row.user_id == user.id and row.ended_at is None
    assert row.created_at >= utcnow() - timedelta(seconds=10)
    assert client.get(PAGE).status_code == 200


def test_demo_sign_in_makes_a_session_row(client, world, login_as, db):
    login_as(world.student_a1)
    assert row_of(client, db).user_id == world.student_a1.id
    assert client.get(PAGE).status_code == 200


def test_accepting_an_invitation_with_a_new_account_makes_a_session_row(client, world, db):
    from tests import factories as pf

    _token, raw = pf.invitation(world.company_a, "nora@startup.hk", created_by=None)
    db.session.commit()
    page = client.get(f"/invitations/{raw}")
    response = client.post(
        f"/invitations/{raw}",
        data={
            "display_name": "Nora Chan",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": csrf_from(page),
        },
    )
    assert response.status_code == 303, response.data[:300]
    nora = db.session.scalar(sa.select(User).where(User.email == "nora@startup.hk"))
    assert row_of(client, db).user_id == nora.id


def test_only_the_sign_in_service_calls_login_user():
    """Every way of signing in goes through accounts.services.sign_in (or, after a new
    password, continue_session), which makes the session row: a new way that called
    Flask-Login directly would make a session the server does not know."""
    root = pathlib.Path(__file__).parents[2] / "foundry"
    callers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "login_user":
                callers.add(path.relative_to(root).as_posix())
    assert callers == {"accounts/services.py"}


# --- signing out ends the session on the server --------------------------------------------


def test_a_copied_cookie_is_refused_after_sign_out(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    thief = copy_cookie(app, client)
    assert thief.get(PAGE).status_code == 200  # the copy works while the session lives
    row = row_of(client, db)
    sign_out(client)
    response = thief.get(PAGE)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert db.session.get(UserSession, row.id).ended_at is not None


def test_a_copied_cookie_is_refused_after_signing_out_everywhere(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    thief = copy_cookie(app, client)
    other_device = app.test_client()
    password_sign_in(other_device, user)
    post(client, "/account/security/sign-out-everywhere")
    for browser in (thief, other_device, client):
        assert browser.get(PAGE).status_code == 302
    assert all(row.ended_at is not None for row in rows(db, user))


def test_a_single_sign_out_leaves_the_users_other_sessions(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    phone = app.test_client()
    password_sign_in(phone, user)
    sign_out(client)
    assert client.get(PAGE).status_code == 302
    assert phone.get(PAGE).status_code == 200
    assert [row.ended_at is None for row in rows(db, user)].count(True) == 1


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    thief = copy_cookie(app, client)
    other = app.test_client()
    password_sign_in(other, user)
    response = post(
        client,
        "/account/security/password",
        current_password=PASSWORD,
        password="a brand new passphrase",
        confirm="a brand new passphrase",
    )
    assert response.status_code == 303
    assert client.get(PAGE).status_code == 200
    assert thief.get(PAGE).status_code == 302 and other.get(PAGE).status_code == 302
    assert [row.ended_at is None for row in rows(db, user)].count(True) == 1


@pytest.mark.parametrize("which", ["idle", "too_old", "ended"])
def test_a_timed_out_or_ended_session_is_refused(app, client, db, which):
    user = password_user()
    password_sign_in(client, user)
    thief = copy_cookie(app, client)
    row = row_of(client, db)
    if which == "idle":
        idle = timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"], seconds=5)
        row.last_seen_at = utcnow() - idle
    elif which == "too_old":
        row.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], seconds=5)
    else:
        row.ended_at = utcnow()
    db.session.commit()
    for browser in (client, thief):
        response = browser.get(PAGE)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_cookie_without_a_session_row_is_refused(app, client, db):
    """Flask-Login's user id alone (a cookie from before server sessions, or forged with
    a leaked key) signs nobody in."""
    user = password_user()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
        session["_fresh"] = True
    assert client.get(PAGE).status_code == 302
    with client.session_transaction() as session:
        session[SESSION_SECRET] = "made-up"
    assert client.get(PAGE).status_code == 302


def test_another_users_session_secret_does_not_sign_in_as_oneself(app, client, db):
    mine, theirs = password_user(), password_user("other@alpha.example")
    password_sign_in(client, mine)
    other = app.test_client()
    password_sign_in(other, theirs)
    with other.session_transaction() as session:
        their_secret = session[SESSION_SECRET]
    with client.session_transaction() as session:
        session[SESSION_SECRET] = their_secret  # my user id, their session
    assert client.get(PAGE).status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    row = row_of(client, db)
    moment = utcnow() - timedelta(seconds=30)
    row.last_seen_at = moment
    db.session.commit()
    client.get(PAGE)
    assert row_of(client, db).last_seen_at == moment  # seen 30 s ago: not written again
    row = row_of(client, db)
    row.last_seen_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    client.get(PAGE)
    assert row_of(client, db).last_seen_at >= utcnow() - timedelta(seconds=5)


def test_a_request_finds_its_session_and_user_in_one_query(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    client.get(PAGE)  # last seen just now: no write below
    statements, _page = statements_of_request(client, "/notifications")
    session_reads = [s.sql for s in statements if "user_sessions" in s.sql]
    assert len(session_reads) == 1 and "JOIN users" in session_reads[0].replace('"', "")
    assert not any(s.sql.lstrip().upper().startswith("UPDATE USER_SESSIONS") for s in statements)


# --- the security page lists the sessions and ends one -----------------------------------------


def test_the_security_page_lists_live_sessions_and_marks_this_one(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    phone = app.test_client()
    phone.get("/", headers={"User-Agent": "x"})
    page = phone.get("/sign-in", headers={"User-Agent": IPHONE})
    phone.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
        headers={"User-Agent": IPHONE},
    )
    html = client.get(PAGE).get_data(as_text=True)
    assert "Where you are signed in" in html
    assert "Safari · iPhone" in html and "This device" in html
    assert html.count("Sign out this session<") == 2


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def test_signing_out_another_session_from_the_security_page(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    phone = app.test_client()
    password_sign_in(phone, user)
    phone_row = row_of(phone, db)
    response = post(client, f"/account/security/sessions/{phone_row.id}/end")
    assert response.status_code == 303
    assert phone.get(PAGE).status_code == 302
    assert client.get(PAGE).status_code == 200


def test_signing_out_this_session_from_the_security_page(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    thief = copy_cookie(app, client)
    row = row_of(client, db)
    assert post(client, f"/account/security/sessions/{row.id}/end").status_code == 303
    assert thief.get(PAGE).status_code == 302 and client.get(PAGE).status_code == 302


def test_nobody_else_may_end_a_users_session(app, client, world, login_as, db):
    owner = password_user()
    victim_browser = app.test_client()
    password_sign_in(victim_browser, owner)
    row = row_of(victim_browser, db)
    url = f"/account/security/sessions/{row.id}/end"
    # anonymous: sent to sign in
    anonymous = app.test_client()
    response = anonymous.post(url, data={"csrf_token": csrf_from(anonymous.get("/sign-in"))})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    # every other role: refused, the session lives on
    for other in (
        world.recruiter_b,
        world.company_admin_a,
        world.dean_a1,
        world.student_a1,
        world.coordinator_a,
        world.park_admin,
    ):
        browser = app.test_client()
        page = browser.get("/demo/sign-in")
        browser.post("/demo/sign-in", data={"user_id": other.id, "csrf_token": csrf_from(page)})
        assert post(browser, url).status_code == 403
    missing = "/account/security/sessions/not-a-session/end"
    assert post(victim_browser, missing).status_code == 404
    assert victim_browser.get(PAGE).status_code == 200
    assert reload(owner) and db.session.get(UserSession, row.id).ended_at is None


def test_ending_a_session_needs_the_csrf_token(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    row = row_of(client, db)
    response = client.post(f"/account/security/sessions/{row.id}/end", data={})
    assert response.status_code == 400
    assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    "agent, summary",
    [
        (IPHONE, "Safari · iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox · Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge · Linux",
        ),
        ("curl/8.5", "curl/8.5"),
        ("", ""),
        ("\x00<script>" + "x" * 500, "<script>" + "x" * 52),
    ],
)
def test_the_user_agent_is_kept_as_a_short_summary(agent, summary):
    assert user_agent_summary(agent) == summary
