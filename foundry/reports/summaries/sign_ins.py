"""Counting a sign-in for the placement dashboard where it happens: the sign-in service
(foundry.accounts.services.sign_in) hands its audit event here, and the user's row of
report_sign_in_years for that academic year is written if it is not there yet.

Nothing is locked and no summary is computed again: the "active" figure reads these rows
as they are (foundry.reports.summaries.queries). Concurrent sign-ins of different users
never meet; two of one user in one year meet only on their own row, where the second
insert waits for the first to commit and then does nothing.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from foundry.audit.models import AuditEvent
from foundry.db import UTCDateTime, utcnow
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.reports.cache import mark_signed_in, mark_stale
from foundry.reports.periods import academic_year_of, day_of
from foundry.reports.summaries.models import SignInYear


def count_sign_in(event: AuditEvent) -> None:
    """Count the sign-in that the audit event `event` (SIGN_IN, by its user) records, in
    the same transaction: an insert that does nothing when the user's row of that academic
    year exists, then the row's first time moved earlier if `event` came before it (a
    sign-in that commits after a later one, or a record of an older one); that update
    matches no row otherwise, so it locks none."""
    user_id = event.actor_id if event.actor is None else event.actor.id
    if event.action != SIGN_IN or user_id is None:
        raise ValueError(f"not a user's sign-in: {event.action!r} by {user_id!r}")
    if event.occurred_at is None:
        event.occurred_at = utcnow()
    conn = db.session.connection()
    insert, earlier = _statements(conn.dialect.name)
    at, year = event.occurred_at, academic_year_of(day_of(event.occurred_at))
    first = conn.execute(
        insert, {"user_id": user_id, "academic_year": year, "first_signed_in_at": at}
    )
    moved = conn.execute(earlier, {"u": user_id, "y": year, "at": at})
    # "Active" counts sign-ins: any of them moves the figures read from the raw rows (a
    # custom range), only a new or earlier first one of the year those of the summaries.
    mark_signed_in(db.session)
    if first.first() is not None or moved.rowcount > 0:
        mark_stale(db.session)


@cache
def _statements(dialect: str) -> tuple[sa.Insert, sa.Update]:
    """The two statements, built once (Core: a sign-in pays for no ORM bookkeeping)."""
    table = SignInYear.__table__
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING says whether a row went in (psycopg reports no rowcount for it: -1).
    insert = (
        dialect_insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "academic_year"])
        .returning(table.c.user_id)
    )
    at = sa.bindparam("at", type_=UTCDateTime)
    earlier = (
        sa.update(table)
        .where(
            table.c.user_id == sa.bindparam("u"),
            table.c.academic_year == sa.bindparam("y"),
            table.c.first_signed_in_at > at,
        )
        .values(first_signed_in_at=at)
    )
    return insert, earlier
