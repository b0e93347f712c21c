"""Audit events: who did what to which object, when, and from where."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import ReportFacts, UTCDateTime, utcnow
from foundry.extensions import db
from foundry.messages import SIGN_IN


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    # Its sign-ins (SIGN_IN) are counted where they happen (accounts.services.sign_in) in
    # report_sign_in_years, which the summaries' check compares with them: a bulk statement
    # would pass that by.
    __report_facts__ = ReportFacts(refuse_bulk_writes=True)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(40))
    # The summary is rendered from the action and `params` in the reader's language
    # (foundry/messages.py); the stored text, in English, is shown for older rows.
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    origin: Mapped[str] = mapped_column(sa.String(20))
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))

    actor = relationship("User", lazy="joined")

    __table_args__ = (
        sa.Index("ix_audit_events_occurred_at", "occurred_at"),
        sa.Index("ix_audit_events_object", "object_type", "object_id"),
        sa.Index("ix_audit_events_actor_id", "actor_id", "occurred_at"),
        # The reports' "active on the portal": sign-ins only, a fraction of the log.
        sa.Index(
            "ix_audit_events_sign_ins",
            "actor_id",
            "occurred_at",
            postgresql_where=sa.text(f"action = '{SIGN_IN}'"),
            sqlite_where=sa.text(f"action = '{SIGN_IN}'"),
        ),
    )
