"""Sessions: renewed at sign-in, ended when idle or too old, ended everywhere by a
session version, and production cookies that only travel over HTTPS to this host."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry import create_app
from foundry.accounts.models import UserSession
from foundry.accounts.session import SESSION_SECRET
from foundry.crypto import token_hash
from foundry.db import utcnow
from foundry.extensions import limiter
from tests.accounts.factories import PASSWORD, password_user, reload
from tests.conftest import csrf_from


def password_sign_in(client, user, **kwargs):
    page = client.get("/sign-in", **kwargs)
    return client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
        **kwargs,
    )


def session_row(client, db) -> UserSession:
    """The server's row of the client's session."""
    with client.session_transaction() as session:
        secret = session[SESSION_SECRET]
    db.session.expire_all()
    return db.session.scalar(sa.select(UserSession).where(UserSession.id == token_hash(secret)))


def test_sign_in_renews_the_session(client, db):
    user = password_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["fixed_by_attacker"] = "yes"
        session["_fresh"] = False
        before = dict(session)
    password_sign_in(client, user)
    with client.session_transaction() as session:
        assert "fixed_by_attacker" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"
        assert dict(session) != before
    row = session_row(client, db)
    assert row.user_id == user.id and row.ended_at is None
    assert row.created_at >= utcnow() - timedelta(seconds=5)


def test_the_chosen_language_survives_sign_in(client, db):
    user = password_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["locale"] = "zh_Hant"
    password_sign_in(client, user)
    with client.session_transaction() as session:
        assert session["locale"] == "zh_Hant"


def test_an_idle_session_is_signed_out_with_a_message(client, app, db):
    user = password_user()
    password_sign_in(client, user)
    assert client.get("/account/security").status_code == 200
    row = session_row(client, db)
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"], seconds=5)
    db.session.commit()
    response = client.get("/account/security")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after a period of inactivity" in page
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_session_seen_recently_stays(client, app, db):
    user = password_user()
    password_sign_in(client, user)
    row = session_row(client, db)
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    db.session.commit()
    assert client.get("/account/security").status_code == 200
    # the visit counts as activity
    assert session_row(client, db).last_seen_at >= utcnow() - timedelta(seconds=5)


def test_a_session_ends_at_its_maximum_age_even_when_active(client, app, db):
    user = password_user()
    password_sign_in(client, user)
    row = session_row(client, db)
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], seconds=5)
    row.last_seen_at = utcnow()
    db.session.commit()
    response = client.get("/account/security")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_stale_session_version_no_longer_loads_the_user(app, client, db):
    user = password_user()
    password_sign_in(client, user)
    other = app.test_client()
    password_sign_in(other, user)
    user = reload(user)
    user.session_version += 1
    db.session.commit()
    assert client.get("/account/security").status_code == 302
    assert other.get("/account/security").status_code == 302


# --- production cookies ----------------------------------------------------------------

FERNET_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def production_app(monkeypatch, app, database_url):
    """A production app on the test database (rate limits off: they have their own tests)."""
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://talentfoundry.example.org")
    monkeypatch.setenv("FOUNDRY_ENCRYPTION_KEYS", FERNET_KEY)
    monkeypatch.delenv("DEMO_SIGN_IN", raising=False)
    production = create_app("production", {"RATELIMIT_ENABLED": False})
    yield production
    with production.app_context():
        from foundry.extensions import db as _db

        _db.engine.dispose()
    limiter.init_app(app)  # the shared limiter back to the test app's settings


def test_production_session_cookie_is_host_only_secure_httponly_lax(production_app, db):
    user = password_user()
    client = production_app.test_client()
    base = "https://localhost"
    page = client.get("/sign-in", base_url=base)
    assert "Demo sign-in" not in page.get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
        base_url=base,
        headers={"Referer": f"{base}/sign-in"},  # Flask-WTF checks it over HTTPS
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "session=" in c]
    name, attributes = cookie.split("=", 1)[0], [a.strip() for a in cookie.split(";")[1:]]
    assert name == "__Host-session"
    assert "Secure" in attributes and "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes and "Path=/" in attributes
    assert not any(a.lower().startswith("domain=") for a in attributes)
    assert client.get("/account/security", base_url=base).status_code == 200
