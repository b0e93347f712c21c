"""What the report summaries' tests share."""

from __future__ import annotations

from datetime import datetime

from foundry.audit.models import AuditEvent
from foundry.extensions import db
from foundry.messages import SIGN_IN
from foundry.policy import report_scope
from foundry.reports.filters import ReportFilter
from foundry.reports.metrics import dashboard
from foundry.reports.summaries.maintenance import differences
from foundry.reports.summaries.sign_ins import count_sign_in
from foundry.reports.summaries.tracking import settle


def out_of_step() -> dict:
    """{table: (rows missing or wrong, rows extra)} where the summaries differ from their
    definitions, as the session sees the data now; {} when they agree."""
    settle(db.session)  # the breakdowns' differences flushed but not yet written
    return {
        table: found
        for table, found in differences(db.session.connection()).items()
        if found != (0, 0)
    }


def both_ways(viewer, year: int, today=None, **cohort):
    """The dashboard of `viewer` for the academic year (the year so far when `today` falls
    in it), from the summaries and from the raw rows."""
    scope = report_scope(viewer)
    period = ReportFilter.for_academic_year(year, today, **cohort)
    return dashboard(period, scope, from_summaries=True), dashboard(
        period, scope, from_summaries=False
    )


def figures(viewer, year: int = 2025, **cohort) -> dict[str, tuple]:
    """The five stage figures (this year, the year before), from the summaries."""
    d = dashboard(ReportFilter.for_academic_year(year, **cohort), report_scope(viewer), True)
    return {
        key: (getattr(d, key).value, getattr(d, key).previous)
        for key in ("active", "applied", "interviewed", "offered", "placed")
    }


def sign_in(user_id: int, at: datetime) -> AuditEvent:
    """A successful sign-in of the user at `at`, as the sign-in service leaves it: the
    audit line (added to the session) and the sign-in counted for the reports."""
    event = AuditEvent(
        actor_id=user_id,
        action=SIGN_IN,
        object_type="user",
        object_id=str(user_id),
        occurred_at=at,
        origin="web",
    )
    db.session.add(event)
    count_sign_in(event)
    return event
