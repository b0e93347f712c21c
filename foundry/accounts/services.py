"""Signing users in and out, the links sent by e-mail, and reading who holds which role."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from foundry.accounts.email_address import InvalidEmailAddress, normalise_email
from foundry.accounts.models import (
    AccountToken,
    Role,
    RoleMembership,
    TokenPurpose,
    User,
    UserSession,
)
from foundry.accounts.session import (
    current_session_row,
    end_all_sessions,
    end_session_row,
    start_session_row,
)
from foundry.audit.services import record
from foundry.crypto import token_hash
from foundry.db import utcnow
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.reports.summaries.sign_ins import count_sign_in

# The session key where a sign-in waits for its second factor (two_factor.challenge).
PENDING_SIGN_IN = "pending_sign_in"


class LinkNotValid(DomainError):
    """The link names no token of this kind (mistyped, cut by the mail program...)."""

    status_code = 400


class LinkExpired(DomainError):
    """The link was valid once: it is used, replaced by a newer one, or too old."""

    status_code = 410


def find_user_by_email(email: str) -> User | None:
    """The account of `email` in any spelling of it; None when there is none, or when the
    text is no address we would take (no account can have such an address)."""
    try:
        address = normalise_email(email)
    except InvalidEmailAddress:
        return None
    return db.session.scalar(sa.select(User).where(User.email == address))


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
    """Start a fresh session for `user` (the old session's contents are dropped), with
    its row on the server. Every way of signing in ends here: no other code calls
    login_user (tests/accounts/test_server_sessions.py checks)."""
    _fresh_session()
    login_user(user)
    start_session_row(user)
    user.last_sign_in_at = utcnow()
    # Counted for the placement reports here, where it happens: no lock, no recompute.
    count_sign_in(record(user, SIGN_IN, user, method=method))


def continue_session(user: User) -> None:
    """After a new password ended every session of `user`: this browser goes on in a new
    session (the others stay ended)."""
    login_user(user)
    start_session_row(user)


def sign_out(user: User) -> None:
    """End this browser's session, on the server too: a copy of the cookie stops working."""
    end_session_row(current_session_row())
    record(user, "user.sign_out", user)
    logout_user()
    session.clear()


def sign_out_everywhere(user: User) -> None:
    """End every session of `user` on every device (this one included)."""
    end_all_sessions(user)
    record(user, "user.sign_out_everywhere", user)
    logout_user()
    session.clear()


def end_other_session(actor: User, row: UserSession) -> None:
    """`actor` signs out one of their sessions from the security page (the caller checked
    it is theirs)."""
    end_session_row(row)
    record(actor, "user.session_ended", actor, {"device": row.user_agent})


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
