"""A student's personal calendar feed: a secret URL that a calendar app polls, without a
session, for every live registration. Making a new one revokes the old at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.crypto import SecretUnreadable, decrypt, encrypt, new_token, token_hash
from foundry.db import utcnow
from foundry.errors import PermissionDenied
from foundry.extensions import db
from foundry.policy import can
from foundry.programmes.models import CalendarFeed
from foundry.students.models import StudentProfile

# Longer than this is not a token we handed out: refused before it is hashed.
MAX_TOKEN_LENGTH = 100


def feed_token(profile: StudentProfile) -> str | None:
    """The secret of the student's feed, to show it again; None when they have none (or
    it can no longer be read, after the encryption keys were lost: they make a new one)."""
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.profile_id == profile.id))
    if feed is None:
        return None
    try:
        return decrypt(feed.token_encrypted)
    except SecretUnreadable:
        return None


def renew_feed(actor: User, profile: StudentProfile) -> str:
    """Make the student's feed a new secret URL (the first, or one that replaces the old:
    the old URL stops working). Returns the new secret."""
    if not can(actor, "programme.calendar_feed", profile):
        raise PermissionDenied(_("You can manage only your own calendar feed."))
    token = new_token()
    feed = db.session.scalar(
        sa.select(CalendarFeed).where(CalendarFeed.profile_id == profile.id).with_for_update()
    )
    if feed is None:
        feed = CalendarFeed(profile_id=profile.id)
        db.session.add(feed)
    feed.token_hash = token_hash(token)
    feed.token_encrypted = encrypt(token)
    feed.created_at = utcnow()
    db.session.flush()
    record(actor, "programme.calendar_feed_renewed", feed)
    return token


def profile_for_feed(token: str) -> StudentProfile | None:
    """The student whose feed `token` opens, or None for a wrong or revoked one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(
        sa.select(StudentProfile)
        .join(CalendarFeed, CalendarFeed.profile_id == StudentProfile.id)
        .where(CalendarFeed.token_hash == token_hash(token))
    )
