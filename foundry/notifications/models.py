"""In-app notifications, and the outbox of e-mails a worker sends (and retries)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from foundry.db import UTCDateTime, enum_column, utcnow
from foundry.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    # What the notification says is rendered from its key and parameters in the reader's
    # language (foundry/messages.py); title and body keep the words as first written, in
    # the recipient's language, shown for rows older than the key.
    message_key: Mapped[str | None] = mapped_column(sa.String(80))
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.String(2000), default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),)


class EmailStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxEmail(db.Model):
    """An e-mail written in the same transaction as the change that caused it, and sent
    afterwards, so a mail server that is down never loses or blocks that change."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    attachment_name: Mapped[str | None] = mapped_column(sa.String(120))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(80))
    attachment: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus, "email_status"), default=EmailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_outbox_emails_due", "status", "next_attempt_at"),)
