"""Fixtures of the second-factor tests: a frozen clock for codes, users with a password
and a second factor, and the pending sign-in the password step leaves behind."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp
import pytest

from foundry import create_app
from foundry.accounts import two_factor
from foundry.accounts.passwords import hash_password
from foundry.accounts.two_factor import begin_enrolment, confirm_enrolment
from foundry.crypto import decrypt
from foundry.db import utcnow
from tests.conftest import IsolatedClient

PASSWORD = "lantern-harbour-kite-42"
# A fixed instant 10 s into a 30 s time step, so no test meets a step boundary.
NOW = 30 * 63_400_000 + 10


class Clock:
    def __init__(self):
        self.now = NOW

    def code(self, secret: str, steps_ago: int = 0) -> str:
        return pyotp.TOTP(secret).at(self.now - 30 * steps_ago)


def wrong(code: str) -> str:
    """A well-formed code that is not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The clock the service checks codes against, frozen at NOW."""
    frozen = Clock()
    monkeypatch.setattr(two_factor, "current_time", lambda: frozen.now)
    return frozen


def with_password(user):
    user.password_hash = hash_password(PASSWORD)
    user.email_verified_at = utcnow()
    return user


@dataclass
class SecondFactor:
    secret: str
    recovery_codes: list[str]


def turn_on(user, clock: Clock, db) -> SecondFactor:
    """Enrol `user` through the service three time steps before now (so the codes of now
    and of the step before are still unused)."""
    begin_enrolment(user)
    secret = decrypt(user.totp_secret_encrypted)
    now = clock.now
    clock.now = now - 3 * 30
    try:
        codes = confirm_enrolment(user, clock.code(secret))
    finally:
        clock.now = now
    db.session.commit()
    return SecondFactor(secret=secret, recovery_codes=codes)


def start_pending_sign_in(client, user, *, next_url: str = "", age: int = 0, **overrides):
    """What the password step leaves in the session after a right password."""
    pending = {
        "user_id": user.id,
        "session_version": user.session_version,
        "at": int(time.time()) - age,
        "next": next_url,
        **overrides,
    }
    with client.session_transaction() as session:
        session["pending_sign_in"] = pending


def signed_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def pending_in_session(client) -> bool:
    with client.session_transaction() as session:
        return "pending_sign_in" in session


@pytest.fixture
def limited_app(app):
    """The app with rate limits on (a second app on the same database)."""
    from foundry.extensions import limiter

    was_enabled = limiter.enabled
    limited = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "TWO_FACTOR_RATE_LIMIT": "3 per minute",
        },
    )
    limited.test_client_class = IsolatedClient
    yield limited
    limiter.reset()
    limiter.enabled = was_enabled
    with limited.app_context():
        from foundry.extensions import db

        db.engine.dispose()
