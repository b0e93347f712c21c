"""Landing page, health check, language switch, error pages and configuration safety."""

from __future__ import annotations

import base64

import pytest

from config import ConfigurationError
from foundry import create_app
from foundry.db import SQLITE_BUSY_TIMEOUT_MS
from tests.conftest import csrf_from


def test_landing_page_shows_real_figures(client, world):
    page = client.get("/").get_data(as_text=True)
    assert "Talent Foundry today" in page
    # two universities, three faculties and two verified companies in the world fixture
    assert '<div class="tf-stat-value">2</div>' in page
    assert '<div class="tf-stat-value">3</div>' in page


def test_signed_in_user_goes_to_their_first_area(client, world, login_as):
    login_as(world.dean_a1)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/faculty/{world.fac_a1.id}")


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:////nonexistent-folder/for/sure/foundry.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2",
    ],
)
def test_healthz_reports_503_when_the_database_is_unreachable(no_db, unreachable):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": unreachable})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_language_switch_changes_the_interface(client, world):
    page = client.get("/")
    response = client.post(
        "/language", data={"language": "zh_Hant", "next": "/", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert 'lang="zh-Hant-HK"' in html


def test_unknown_language_is_refused(client):
    page = client.get("/")
    response = client.post("/language", data={"language": "xx", "csrf_token": csrf_from(page)})
    assert response.status_code == 400


def test_language_switch_does_not_redirect_off_site(client):
    page = client.get("/")
    response = client.post(
        "/language",
        data={"language": "en", "next": "https://evil.example/", "csrf_token": csrf_from(page)},
    )
    assert response.headers["Location"] == "/"


def test_404_page_looks_like_the_product(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We could not find that page" in html
    assert "tf-navbar" in html


def test_json_clients_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == "Page not found"


def test_500_page_is_friendly(no_db):
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROPAGATE_EXCEPTIONS": False}
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


# --- configuration ---------------------------------------------------------------


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://talentfoundry.example.org")
    monkeypatch.setenv("FOUNDRY_ENCRYPTION_KEYS", f"{NEW_KEY},{OLD_KEY}")
    monkeypatch.delenv("DEMO_SIGN_IN", raising=False)
    for name in ("MAIL_BACKEND", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
OLD_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()


def test_production_starts_with_a_complete_environment(no_db, production_env):
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["DEMO_SIGN_IN"] is False
    assert app.config["ENCRYPTION_KEYS"] == [NEW_KEY, OLD_KEY]
    assert app.config["OIDC_ALLOW_LOOPBACK_HTTP"] is False


@pytest.mark.parametrize("keys", ["", "not-a-key", f"{NEW_KEY},short"])
def test_production_refuses_missing_or_malformed_encryption_keys(no_db, production_env, keys):
    production_env.setenv("FOUNDRY_ENCRYPTION_KEYS", keys)
    with pytest.raises(ConfigurationError, match="FOUNDRY_ENCRYPTION_KEYS"):
        create_app("production")


def test_secrets_encrypted_under_an_old_key_still_decrypt_and_rotate(no_db, production_env):
    from foundry.crypto import decrypt, encrypt, reencrypt

    production_env.setenv("FOUNDRY_ENCRYPTION_KEYS", OLD_KEY)
    with create_app("production").app_context():
        stored = encrypt("client-secret")
    production_env.setenv("FOUNDRY_ENCRYPTION_KEYS", f"{NEW_KEY},{OLD_KEY}")
    with create_app("production").app_context():
        assert decrypt(stored) == "client-secret"
        rotated = reencrypt(stored)
    production_env.setenv("FOUNDRY_ENCRYPTION_KEYS", NEW_KEY)
    with create_app("production").app_context():
        assert decrypt(rotated) == "client-secret"


@pytest.mark.parametrize("key", ["", "dev", "changeme", "short-key"])
def test_production_refuses_a_missing_default_or_short_secret_key(no_db, production_env, key):
    production_env.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL"])
def test_production_refuses_missing_service_urls(no_db, production_env, name):
    production_env.delenv(name)
    with pytest.raises(ConfigurationError, match=name):
        create_app("production")


def test_production_refuses_demo_sign_in(no_db, production_env):
    production_env.setenv("DEMO_SIGN_IN", "true")
    with pytest.raises(ConfigurationError, match="Demo sign-in"):
        create_app("production")


def test_production_refuses_demo_sign_in_passed_as_override(no_db, production_env):
    with pytest.raises(ConfigurationError, match="Demo sign-in"):
        create_app("production", {"DEMO_SIGN_IN": True})


def test_demo_sign_in_page_does_not_exist_in_production(no_db, production_env):
    production_env.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    client = app.test_client()
    assert client.get("/demo/sign-in", base_url="https://localhost").status_code == 404
    assert client.post(
        "/demo/sign-in", data={"user_id": 1}, base_url="https://localhost"
    ).status_code in (400, 404)


def test_sqlite_writers_wait_for_the_lock_rather_than_fail(app, db):
    """A burst of writers on SQLite (the demo, the suite) waits its turn: "database is
    locked" comes only after foundry.db.SQLITE_BUSY_TIMEOUT_MS, not the driver's 5 s."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's busy timeout")
    with db.engine.connect() as connection:
        waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    assert waited == SQLITE_BUSY_TIMEOUT_MS >= 30_000
