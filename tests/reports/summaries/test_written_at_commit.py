"""The breakdown tables' rows are shared by every write of a cohort, month or company, so a
unit of work adds up its differences over its flushes and writes them just before it
commits (foundry.reports.summaries.tracking): what it flushed is counted once it commits,
never when it rolls back, and a savepoint rolled back takes its own share back."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from foundry.extensions import db
from foundry.reports.summaries.models import BREAKDOWN_TABLES
from foundry.reports.summaries.tracking import settle
from tests import factories as f
from tests.reports.summaries.helpers import figures, out_of_step


def applications_counted() -> dict[str, int]:
    """Each breakdown table's applications, read around the session (as another reader
    of the same transaction's connection would, with nothing settled first)."""
    conn = db.session.connection()
    return {
        table.__tablename__: conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(table.__table__.c.applications), 0))
        ).scalar_one()
        for table in BREAKDOWN_TABLES
    }


def march(day: int) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC)


def test_a_flushed_application_moves_the_breakdowns_when_its_unit_of_work_commits(known):
    before = applications_counted()
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=march(2))
    db.session.flush()
    assert applications_counted() == before  # not yet: the shared rows are not locked

    db.session.commit()
    assert applications_counted() == {table: count + 1 for table, count in before.items()}
    assert out_of_step() == {}


def test_the_flushes_of_one_unit_of_work_add_up(known):
    before = applications_counted()
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=march(2))
    db.session.flush()
    f.ApplicationFactory(profile=known.s4, posting=known.p3, submitted_at=march(3))
    db.session.flush()
    db.session.commit()
    assert applications_counted() == {table: count + 2 for table, count in before.items()}
    assert out_of_step() == {}


def test_a_rolled_back_unit_of_work_leaves_nothing_for_the_next(known):
    before = figures(known.dean_a1)
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=march(2))
    db.session.flush()
    db.session.rollback()

    known.s4.headline = "A change that moves no count"
    db.session.commit()
    assert figures(known.dean_a1) == before
    assert out_of_step() == {}


def test_a_savepoint_rolled_back_takes_back_only_its_own_share(known):
    before = applications_counted()
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=march(2))
    db.session.flush()
    savepoint = db.session.begin_nested()
    f.ApplicationFactory(profile=known.s4, posting=known.p3, submitted_at=march(3))
    db.session.flush()
    savepoint.rollback()

    db.session.commit()
    assert applications_counted() == {table: count + 1 for table, count in before.items()}
    assert out_of_step() == {}


def test_reading_the_summaries_through_the_session_sees_what_was_flushed(known):
    before = figures(known.dean_a1)["applied"]
    f.ApplicationFactory(profile=known.s4, posting=known.p1, submitted_at=march(2))
    db.session.flush()
    assert figures(known.dean_a1)["applied"] == (before[0] + 1, before[1])
    settle(db.session)  # nothing left: the read wrote them
    db.session.rollback()
    assert figures(known.dean_a1)["applied"] == before
