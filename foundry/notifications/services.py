"""Telling people what happened: an in-app notification, and an e-mail in the outbox.

Both are written in the caller's transaction, so they exist exactly when the change that
caused them was committed; the outbox is sent afterwards by `flask send-email`.
"""

from __future__ import annotations

from foundry.accounts.models import User
from foundry.extensions import db
from foundry.notifications.models import Notification, OutboxEmail


def notify(
    user: User,
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    *,
    email: bool = True,
    attachment: tuple[str, str, bytes] | None = None,
) -> Notification:
    """Record an in-app notification for `user` and, unless email=False, queue an e-mail.

    `attachment` is (file name, MIME type, bytes), e.g. an iCalendar invitation.
    """
    notification = Notification(user_id=user.id, kind=kind, title=title, body=body, link=link)
    db.session.add(notification)
    if email:
        queue_email(user.email, title, _email_text(user, body, link), attachment)
    return notification


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
    lines = [f"Dear {user.display_name},", "", body]
    if link:
        lines += ["", link]
    lines += ["", "— Talent Foundry"]
    return "\n".join(lines)
