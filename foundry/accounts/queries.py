"""Read-only questions about accounts for the account pages."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import SIGN_IN

SIGN_IN_ACTIONS = (SIGN_IN, "user.sign_in_failed")


def recent_sign_ins(user: User, limit: int = 8) -> list[AuditEvent]:
    """The user's latest sign-ins and refused attempts, newest first (from the audit log)."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.object_type == User.__tablename__,
                AuditEvent.object_id == str(user.id),
                AuditEvent.action.in_(SIGN_IN_ACTIONS),
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
