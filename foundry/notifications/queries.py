"""Reading notifications: the user's list, one of their own, and the unread count."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.errors import NotFound
from foundry.extensions import db
from foundry.notifications.models import Notification
from foundry.urls import safe_next_url


def notifications_for(user: User) -> sa.Select:
    """The user's notifications, newest first."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def own_notification(user: User, notification_id: int) -> Notification:
    """One of the user's notifications; another user's is reported as not existing."""
    notification = db.session.scalar(
        sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is None:
        raise NotFound(_("This notification does not exist."))
    return notification


# Where a request keeps its user's unread count, read with its session row (see
# accounts/session.py: one statement fewer on every page a signed-in user opens).
UNREAD_COUNT_KEY = "unread_notifications"


def unread_count_of(user_id) -> sa.ScalarSelect:
    """How many unread notifications the user `user_id` (a value or a column) has, as a
    scalar subquery: one COUNT over the (user_id, read_at, created_at) index."""
    return (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(sa.select(unread_count_of(user_id)))


def remember_unread_count(user_id: int, count: int) -> None:
    """Keep the signed-in user's unread count for the rest of the request."""
    g.setdefault(UNREAD_COUNT_KEY, (user_id, count))


def remembered_unread_count(user_id: int) -> int | None:
    """The count kept this request for this user, if notifications have not changed since."""
    kept = g.get(UNREAD_COUNT_KEY) if has_app_context() else None
    return kept[1] if kept is not None and kept[0] == user_id else None


def forget_unread_count() -> None:
    """Notifications changed in this request: the count kept earlier may be wrong."""
    if has_app_context():
        g.pop(UNREAD_COUNT_KEY, None)


def on_site_link(link: str | None) -> str | None:
    """The notification's link as a path on this site, or None when it leads elsewhere.

    Links written for e-mails are absolute (https://this-host/...): those on
    PUBLIC_BASE_URL's host count as on-site and become their path (never the request's
    Host, which the client chooses).
    """
    if not link:
        return None
    parts = urlsplit(link)
    ours = urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").netloc
    if parts.scheme in {"http", "https"} and parts.netloc and parts.netloc == ours:
        link = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    # Browsers read "/\\host" as "//host" (another site) and drop tabs and line breaks
    # ("/\t/host"); safe_next_url lets both through.
    if "\\" in link or any(ch.isspace() or ord(ch) < 32 for ch in link):
        return None
    return safe_next_url(link, "") or None
