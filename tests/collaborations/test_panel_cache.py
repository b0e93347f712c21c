"""The collaborations panel of the placement dashboard and the company page keeps its
figures in the dashboards' shared cache (foundry/reports/cache.py): read once between two
changes, whatever the faculty's size, and every committed change to a record, its parties,
its students, or the applications and placements it counts shown at the next read.

Runs on the store of one process and on Redis, as the dashboards' own cache tests do."""

from __future__ import annotations

from datetime import UTC, datetime

from foundry import policy
from foundry.collaborations import services
from foundry.collaborations.models import CollaborationStatus
from foundry.collaborations.panels import panel
from tests.collaborations.factories import record
from tests.collaborations.test_hiring import _apply
from tests.factories import PostingFactory, profile_of
from tests.statements import recorded_statements

OCTOBER = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)


def _read(db, user):
    scope = policy.collaboration_report_scope(user)
    with recorded_statements() as statements:
        shown = panel(scope, None)
    db.session.commit()  # as a request ends
    return shown, len(statements)


def test_a_second_read_sends_no_statement_and_shows_the_same(world, db, store):
    c = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], students=[world.student_a1]
    )
    _apply(world.student_a1, PostingFactory(company=world.company_a), OCTOBER)
    db.session.commit()
    first, sent = _read(db, world.dean_a1)
    assert sent == 2 and first.hiring["applied"] == 1
    assert first.newest == [(c.id, c.title, CollaborationStatus.ACTIVE)]
    second, sent = _read(db, world.dean_a1)
    assert sent == 0
    assert second == first


def test_a_committed_change_to_a_record_is_shown_at_the_next_read(world, db, store):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    _apply(world.student_a1, PostingFactory(company=world.company_a), OCTOBER)
    db.session.commit()
    before, _sent = _read(db, world.dean_a1)
    assert before.hiring["applied"] == 0
    services.add_students(world.dean_a1, c, [profile_of(world.student_a1).id])
    db.session.commit()
    after, sent = _read(db, world.dean_a1)
    assert sent == 2 and after.hiring["applied"] == 1
    services.change_status(world.dean_a1, c, CollaborationStatus.COMPLETED)
    db.session.commit()
    done, _sent = _read(db, world.dean_a1)
    assert done.by_status == [(CollaborationStatus.COMPLETED, 1)]


def test_a_committed_application_is_counted_at_the_next_read(world, db, store):
    record(world.dean_a1, world.fac_a1, companies=[world.company_a], students=[world.student_a1])
    db.session.commit()
    assert _read(db, world.dean_a1)[0].hiring["applied"] == 0
    _apply(world.student_a1, PostingFactory(company=world.company_a), OCTOBER)
    db.session.commit()
    assert _read(db, world.dean_a1)[0].hiring["applied"] == 1


def test_each_scope_has_its_own_entry(world, db, store):
    record(world.dean_a1, world.fac_a1, title="A1 record")
    record(world.dean_b1, world.fac_b1, title="B1 record")
    db.session.commit()
    a1, _sent = _read(db, world.dean_a1)
    b1, sent = _read(db, world.dean_b1)
    assert sent == 2
    assert [title for _id, title, _s in a1.newest] == ["A1 record"]
    assert [title for _id, title, _s in b1.newest] == ["B1 record"]


def test_portfolio_totals_are_read_once_per_scope_and_filter_between_changes(world, db, store):
    from foundry.collaborations import queries
    from foundry.collaborations.filters import Filters
    from foundry.collaborations.totals import totals

    record(world.dean_a1, world.fac_a1, title="Robot capstone", cash_hkd=100)
    record(world.dean_a1, world.fac_a1, title="Fintech study", cash_hkd=10)
    db.session.commit()
    scope = queries.of_faculty(world.fac_a1.id)

    def read(filters):
        with recorded_statements() as statements:
            figures = totals(scope, filters)
        db.session.commit()
        return figures.overall, len(statements)

    assert read(Filters()) == ((2, 110, 160_000), 2)
    assert read(Filters()) == ((2, 110, 160_000), 0)
    assert read(Filters(query="capstone")) == ((1, 100, 80_000), 2)  # its own entry
    assert read(Filters(query="capstone"))[1] == 0
    record(world.dean_a1, world.fac_a1, title="Arm capstone", cash_hkd=1)
    db.session.commit()
    assert read(Filters(query="capstone")) == ((2, 101, 160_000), 2)
