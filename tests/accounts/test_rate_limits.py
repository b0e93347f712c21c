"""Rate limits of the account forms, on an app with Flask-Limiter switched on: per client
address, per e-mail typed (guesses spread over many IPs), a friendly 429 page, and the
Redis storage production uses."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from foundry import create_app
from foundry.extensions import limiter
from tests.accounts.factories import PASSWORD, emails_to, password_user
from tests.conftest import IsolatedClient, csrf_from

REDIS_URL = "redis://127.0.0.1:6379/15"


def limited_app(app, database_url, storage_uri: str, **config):
    limited = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": storage_uri,
            "SIGN_IN_RATE_LIMIT": "3 per minute",
            "SIGN_IN_EMAIL_RATE_LIMIT": "4 per minute",
            "ACCOUNT_EMAIL_RATE_LIMIT": "3 per minute",
            "ACCOUNT_EMAIL_PER_ADDRESS_LIMIT": "2 per minute",
            **config,
        },
    )
    limited.test_client_class = IsolatedClient
    return limited


@pytest.fixture
def limited(app, database_url):
    limited = limited_app(app, database_url, "memory://")
    yield limited
    with limited.app_context():
        from foundry.extensions import db as _db

        _db.engine.dispose()
    limiter.init_app(app)  # the shared limiter back to the test app's settings (off)


def try_sign_in(client, email, address, password="wrong password!!"):
    environ = {"REMOTE_ADDR": address}
    page = client.get("/sign-in", environ_base=environ)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
    return client.post("/sign-in", data=data, environ_base=environ)


def test_sign_in_is_limited_per_client_address(limited, db):
    client = limited.test_client()
    for n in range(3):
        assert try_sign_in(client, f"guess{n}@alpha.example", "198.51.100.7").status_code == 400
    refused = try_sign_in(client, "guess9@alpha.example", "198.51.100.7")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many attempts" in html and "Wait a minute, then try again." in html
    assert "Retry-After" in refused.headers
    # Another client is not affected, and reading the page is never limited.
    assert try_sign_in(client, "guess9@alpha.example", "198.51.100.8").status_code == 400
    for _ in range(5):
        assert (
            client.get("/sign-in", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200
        )


def test_sign_in_is_limited_per_email_whatever_the_address(limited, db):
    user = password_user()
    client = limited.test_client()
    for n in range(4):
        assert try_sign_in(client, user.email, f"203.0.113.{n}").status_code == 400
    assert try_sign_in(client, "RECRUITER@alpha.example ", "203.0.113.50").status_code == 429
    # Even the right password waits: the limit is on the address typed, not on the result.
    assert try_sign_in(client, user.email, "203.0.113.51", PASSWORD).status_code == 429


def test_forms_that_send_email_share_one_budget_per_recipient(limited, db):
    user = password_user()
    client = limited.test_client()

    def post(url, address):
        environ = {"REMOTE_ADDR": address}
        page = client.get(url, environ_base=environ)
        data = {"email": user.email, "csrf_token": csrf_from(page)}
        return client.post(url, data=data, environ_base=environ)

    assert post("/password/forgot", "192.0.2.1").status_code == 200
    assert post("/verify-email/resend", "192.0.2.2").status_code == 200
    assert post("/password/forgot", "192.0.2.3").status_code == 429
    assert len(emails_to(user.email)) == 1  # one reset link; resend had nothing to send


def test_sign_up_is_limited_per_client(limited, db):
    client = limited.test_client()
    environ = {"REMOTE_ADDR": "192.0.2.99"}
    statuses = []
    for n in range(4):
        page = client.get("/sign-up", environ_base=environ)
        data = {"email": f"owner{n}@newco.example", "csrf_token": csrf_from(page)}
        statuses.append(client.post("/sign-up", data=data, environ_base=environ).status_code)
    assert statuses == [400, 400, 400, 429]


@pytest.fixture
def redis_limited(app, database_url):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI must have one)")
    marker = f"passwords-test-{uuid.uuid4().hex[:8]}"
    limited = limited_app(app, database_url, REDIS_URL)
    yield limited, marker
    for pattern in (f"*{marker}*", "*10.20.30.*"):  # the e-mail and the client addresses
        for key in connection.scan_iter(match=pattern):
            connection.delete(key)
    connection.close()
    with limited.app_context():
        from foundry.extensions import db as _db

        _db.engine.dispose()
    limiter.init_app(app)


def test_the_redis_storage_counts_and_limits(redis_limited, db):
    limited, marker = redis_limited
    client = limited.test_client()
    email = f"{marker}@alpha.example"
    for n in range(4):
        assert try_sign_in(client, email, f"10.20.30.{n}").status_code == 400
    assert try_sign_in(client, email, "10.20.30.99").status_code == 429
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{marker}*")
    assert keys, "the limit was not counted in Redis"
