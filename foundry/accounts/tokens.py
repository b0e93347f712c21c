"""Single-use, expiring links sent by e-mail (verify an address, reset a password, join a
company). The raw token exists only in the e-mail; the database keeps its SHA-256."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from foundry.accounts.email_address import normalise_email
from foundry.accounts.models import AccountToken, Role, TokenPurpose, User
from foundry.crypto import new_token, token_hash
from foundry.db import utcnow
from foundry.extensions import db


def issue_token(
    purpose: TokenPurpose,
    email: str,
    lifetime: timedelta,
    *,
    user: User | None = None,
    company=None,
    role: Role | None = None,
    created_by: User | None = None,
) -> tuple[AccountToken, str]:
    """A new link token; returns the row and the raw token to put in the e-mail. Earlier
    unused tokens of the same purpose for the same user are revoked (only the newest link
    works), except invitations, which are revoked explicitly."""
    now = utcnow()
    if user is not None and purpose is not TokenPurpose.INVITATION:
        revoke_tokens(user, purpose)
    raw = new_token()
    token = AccountToken(
        purpose=purpose,
        token_hash=token_hash(raw),
        email=normalise_email(email),
        user=user,
        company=company,
        role=role,
        created_by=created_by,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(token)
    return token, raw


def find_usable_token(purpose: TokenPurpose, raw: str | None) -> AccountToken | None:
    """The token named by `raw` if it is for `purpose`, unused, unrevoked and unexpired."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw), AccountToken.purpose == purpose
        )
    )
    if token is None or not token.is_usable(utcnow()):
        return None
    return token


def consume_token(token: AccountToken) -> bool:
    """Mark `token` used; False when another request used or revoked it first (a double
    click, a replay or a withdrawal races to here, and only one of them wins)."""
    now = utcnow()
    result = db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.id == token.id,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(token)
    return True


def revoke_tokens(user: User, purpose: TokenPurpose) -> None:
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
