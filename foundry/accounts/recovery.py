"""Forgotten passwords: a single-use, expiring link by e-mail, and choosing a new password
with it. The same links set the first password of an account made by the CLI."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from foundry.accounts.authentication import set_password
from foundry.accounts.emails import send_no_password_note, send_password_reset_email
from foundry.accounts.models import AccountToken, TokenPurpose, User
from foundry.accounts.services import LinkExpired, find_user_by_email
from foundry.accounts.tokens import consume_token, issue_token, revoke_tokens
from foundry.audit.services import record
from foundry.db import utcnow


def issue_reset_link(user: User, lifetime: timedelta, created_by: User | None = None) -> str:
    """A new password link for `user` (earlier ones stop working); returns the raw token."""
    _token, raw = issue_token(
        TokenPurpose.RESET_PASSWORD, user.email, lifetime, user=user, created_by=created_by
    )
    return raw


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the address has an active password account; an account that
    signs in through its university is told so instead. The caller answers the same
    whatever happens here."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    if not user.has_password:
        if user.identities:
            send_no_password_note(user)
        return
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    send_password_reset_email(user, issue_reset_link(user, timedelta(minutes=minutes)))
    record(None, "user.password_reset_requested", user)


def reset_password(token: AccountToken, new_password: str) -> User:
    """Use a reset link: the new password is set, the lockout cleared, the address counts
    as confirmed (the link reached it) and every session of the user ends."""
    user = token.user
    if user is None or token.email != user.email or not consume_token(token):
        raise LinkExpired(_("This link has expired or has already been used."))
    set_password(user, new_password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    revoke_tokens(user, TokenPurpose.RESET_PASSWORD)
    record(user, "user.password_reset", user)
    return user
