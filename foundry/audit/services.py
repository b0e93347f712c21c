"""Writing audit events. Every change that matters calls record() in the same transaction.

An event keeps its action code and `params`, the raw values its summary is made of; the
audit log renders both in the reader's language through foundry/messages.py, whose ACTIONS
must have an entry for every action written (tests/audit/test_messages.py checks).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import force_locale

from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import ACTIONS, plain, render_summary


def record(actor, action: str, obj, params: dict | None = None, **details) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (None for the system).

    `params` fill the action's summary (names, titles, codes); `details` are kept for
    whoever investigates (ids, before and after).
    """
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} has no entry in foundry.messages.ACTIONS")
    if params is not None and not isinstance(params, dict):
        raise TypeError("record() takes the summary's parameters as a dict, not text")
    params = plain(params or {})
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        summary = render_summary(action, params)  # kept for exports and older readers
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__tablename__ if hasattr(type(obj), "__tablename__") else str(obj),
        object_id=str(obj.id) if getattr(obj, "id", None) is not None else None,
        summary=summary,
        params=params,
        details=details,
        origin="web" if has_request_context() else "cli",
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
