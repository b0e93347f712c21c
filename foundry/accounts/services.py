"""Signing users in and out, the links sent by e-mail, and reading who holds which role."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from foundry.accounts.models import AccountToken, Role, RoleMembership, TokenPurpose, User
from foundry.accounts.session import start_session_clock
from foundry.audit.services import record
from foundry.crypto import token_hash
from foundry.db import utcnow
from foundry.errors import DomainError
from foundry.extensions import db

# The session key where a sign-in waits for its second factor (two_factor.challenge).
PENDING_SIGN_IN = "pending_sign_in"


class LinkNotValid(DomainError):
    """The link names no token of this kind (mistyped, cut by the mail program...)."""

    status_code = 400


class LinkExpired(DomainError):
    """The link was valid once: it is used, replaced by a newer one, or too old."""

    status_code = 410


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def usable_link(purpose: TokenPurpose, raw: str) -> AccountToken:
    """The token of an e-mailed link, if it can still be used; LinkNotValid/LinkExpired
    otherwise (the page then offers to send a new link)."""
    token = None
    if raw and len(raw) <= 200:
        token = db.session.scalar(
            sa.select(AccountToken).where(
                AccountToken.token_hash == token_hash(raw), AccountToken.purpose == purpose
            )
        )
    if token is None:
        raise LinkNotValid(_("This link is not valid. Check that you copied all of it."))
    if not token.is_usable(utcnow()) or (token.user is not None and not token.user.active):
        raise LinkExpired(_("This link has expired or has already been used."))
    return token


def _fresh_session() -> None:
    """Drop everything in the session (a value planted before sign-in must not survive),
    keeping only the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def start_pending_sign_in(user: User, next_url: str, first_factor: str = "password") -> None:
    """The first factor (a password, or a university's sign-in such as "sso:HKUST") was
    right; the sign-in completes after the second factor (two_factor.challenge reads this
    and calls sign_in)."""
    _fresh_session()
    session[PENDING_SIGN_IN] = {
        "user_id": user.id,
        "session_version": user.session_version,
        "at": int(time.time()),
        "next": next_url,
        "first": first_factor,
    }


def sign_in(user: User, method: str) -> None:
    """Start a fresh session for `user` (the old session's contents are dropped)."""
    _fresh_session()
    login_user(user)
    start_session_clock()
    user.last_sign_in_at = utcnow()
    record(user, "user.sign_in", user, f"Signed in ({method})", method=method)


def sign_out(user: User) -> None:
    record(user, "user.sign_out", user, "Signed out")
    logout_user()
    session.clear()


def sign_out_everywhere(user: User) -> None:
    """End every session of `user` on every device (this one included)."""
    user.session_version += 1
    record(user, "user.sign_out_everywhere", user, "Signed out on every device")
    logout_user()
    session.clear()


def demo_users_by_role() -> dict[Role, list[RoleMembership]]:
    """Every active user's role memberships by role, for the development sign-in page."""
    memberships = db.session.scalars(
        sa.select(RoleMembership)
        .join(User, User.id == RoleMembership.user_id)
        .where(User.active.is_(True))
        .order_by(RoleMembership.id)
    ).all()
    grouped: dict[Role, list[RoleMembership]] = {role: [] for role in Role}
    for membership in memberships:
        grouped[membership.role].append(membership)
    return {role: items for role, items in grouped.items() if items}
