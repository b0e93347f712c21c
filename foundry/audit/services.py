"""Writing audit events. Every change that matters calls record() in the same transaction."""

from __future__ import annotations

from flask import has_request_context, request

from foundry.audit.models import AuditEvent
from foundry.extensions import db


def record(actor, action: str, obj, summary: str = "", **details) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (None for the system)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__tablename__ if hasattr(type(obj), "__tablename__") else str(obj),
        object_id=str(obj.id) if getattr(obj, "id", None) is not None else None,
        summary=summary[:300],
        details=details,
        origin="web" if has_request_context() else "cli",
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
