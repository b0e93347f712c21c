"""Signing the personas of the data set in through the portal's own forms.

Password sign-in is rate limited per client address (20 a minute) and per e-mail typed
(10 a minute), in Redis. The five personas sign in from 127.0.0.1; each applicant of the
pool from an address of its own (X-Forwarded-For, believed from 127.0.0.1 as from the
TLS proxy), so 500 sign-ins never meet the per-address limit, and wrk's applies are sent
from the same address as each sign-in (the session is tied to it).
"""

from __future__ import annotations

import time

import pyotp
import sqlalchemy as sa

from bench.runner.browser import Browser

TOTP_STEP_SECONDS = 30


class SignInFailed(RuntimeError):
    pass


def sign_in(base_url: str, email: str, password: str, forwarded_for: str | None = None):
    """A Browser signed in as `email` (no second factor)."""
    browser = Browser(base_url, forwarded_for=forwarded_for)
    response = browser.submit("/sign-in", {"email": email, "password": password})
    if response.status_code != 303:
        raise SignInFailed(f"{email}: the sign-in answered {response.status_code}")
    return browser


def sign_in_with_code(base_url: str, email: str, password: str, totp_secret: str, engine):
    """A Browser signed in as `email`, the second factor answered with a fresh TOTP code."""
    browser = Browser(base_url)
    response = browser.submit("/sign-in", {"email": email, "password": password})
    if response.status_code != 303 or "/sign-in/two-factor" not in response.headers["Location"]:
        raise SignInFailed(f"{email}: no second-factor step ({response.status_code})")
    # A code is accepted once, never an older one, and a refused code counts towards the
    # lockout: wait for a step after the last one used (a bench run a moment ago used one).
    wait_for_unused_step(engine, email)
    code = pyotp.TOTP(totp_secret).now()
    response = browser.submit("/sign-in/two-factor", {"code": code})
    if response.status_code != 303:
        raise SignInFailed(f"{email}: the second factor answered {response.status_code}")
    return browser


def wait_for_unused_step(engine, email: str) -> None:
    with engine.connect() as connection:
        last = connection.execute(
            sa.text("SELECT totp_last_counter FROM users WHERE email = :email"), {"email": email}
        ).scalar()
    while last is not None and int(time.time()) // TOTP_STEP_SECONDS <= last:
        time.sleep(1)


def applicant_address(n: int) -> str:
    """A private address of its own per applicant (up to 62,500 of them)."""
    return f"10.77.{n // 250}.{n % 250 + 1}"
