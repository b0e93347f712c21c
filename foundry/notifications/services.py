"""Telling people what happened: an in-app notification, and an e-mail in the outbox.

Both are written in the caller's transaction, so they exist exactly when the change that
caused them was committed; the outbox is sent afterwards by `flask send-email`
(foundry/notifications/sender.py). Reading and marking notifications read is here too.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.errors import NotFound
from foundry.extensions import db
from foundry.messages import plain, render_notice
from foundry.notifications.models import Notification, OutboxEmail
from foundry.notifications.queries import forget_unread_count
from foundry.urls import absolute_url


def notify(
    user: User,
    key: str,
    link: str | None = None,
    *,
    email: bool = True,
    attachment: tuple[str, str, bytes] | None = None,
    **params,
) -> Notification:
    """Record an in-app notification for `user` and, unless email=False, queue an e-mail.

    `key` names the words in foundry/messages.py's NOTICES and `params` fill them: raw
    values (names, titles, status codes, times), kept with the notification so that it is
    read in the reader's language whenever it is read. The e-mail is written now, from the
    same key, in the recipient's preferred language. `attachment` is (file name, MIME
    type, bytes), e.g. an iCalendar invitation.
    """
    params = plain(params)
    with force_locale(locale_of(user)):
        title, body = render_notice(key, params)
        if email:
            queue_email(user.email, title, _email_text(user, body, link), attachment)
    notification = Notification(
        user_id=user.id,
        kind=key,
        message_key=key,
        params=params,
        title=title,
        body=body,
        link=link,
    )
    db.session.add(notification)
    forget_unread_count()
    return notification


def locale_of(user: User) -> str:
    """The language to write to `user` in when they are not the one reading."""
    languages = current_app.config["LANGUAGES"]
    if user.preferred_locale in languages:
        return user.preferred_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def queue_email(
    to_address: str, subject: str, body_text: str, attachment: tuple[str, str, bytes] | None = None
) -> OutboxEmail:
    name, mime_type, content = attachment or (None, None, None)
    message = OutboxEmail(
        to_address=to_address,
        subject=subject[:200],
        body_text=body_text,
        attachment_name=name,
        attachment_type=mime_type,
        attachment=content,
    )
    db.session.add(message)
    return message


def _email_text(user: User, body: str, link: str | None) -> str:
    lines = [_("Dear %(name)s,", name=user.display_name), "", body]
    if link:
        lines += ["", absolute_url(link)]
    lines += ["", _("— Talent Foundry")]
    return "\n".join(lines)


def mark_read(user: User, notification: Notification) -> None:
    """Mark one of the user's own notifications read (keeps the time it was first read)."""
    if notification.user_id != user.id:
        raise NotFound(_("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
        forget_unread_count()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many there were."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    forget_unread_count()
    return result.rowcount
