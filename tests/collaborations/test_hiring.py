"""The hiring link: of a collaboration's student participants and of its faculties'
students, how many applied to, interviewed with, were offered and were placed at its
partner companies, during it and after it; in one statement."""

from __future__ import annotations

from datetime import UTC, datetime

from foundry.collaborations.queries import hiring_link
from tests.collaborations.factories import record
from tests.factories import ApplicationFactory, PostingFactory, profile_of
from tests.placements.factories import portal_placement
from tests.statements import recorded_statements


def _at(year, month, day):
    return datetime(year, month, day, 4, 0, tzinfo=UTC)


def _apply(student, posting, when, interviewed=None, offered=None):
    return ApplicationFactory(
        posting=posting,
        profile_id=profile_of(student).id,
        submitted_at=when,
        interviewed_at=interviewed,
        offered_at=offered,
    )


def test_the_hiring_link_counts_participants_and_the_faculty(world, db):
    c = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], students=[world.student_a1]
    )
    partner = PostingFactory(company=world.company_a)
    elsewhere = PostingFactory(company=world.company_b)
    _apply(world.student_a1, partner, _at(2026, 10, 1), _at(2026, 10, 15), _at(2026, 11, 1))
    portal_placement(world.student_a1, world.company_a, placed_at=_at(2027, 8, 1))
    _apply(world.student_a1_other, partner, _at(2026, 12, 1))
    _apply(world.student_a1_other, PostingFactory(company=world.company_a), _at(2026, 5, 1))
    _apply(world.student_a2, partner, _at(2026, 12, 1))  # another faculty
    _apply(world.student_a1, elsewhere, _at(2026, 12, 1))  # not a partner
    db.session.flush()

    with recorded_statements() as statements:
        link = hiring_link(c)
    assert len(statements) == 1
    assert link.get("participants", "applied", "during") == 1
    assert link.get("participants", "interviewed", "during") == 1
    assert link.get("participants", "offered", "during") == 1
    assert link.get("participants", "placed", "after") == 1
    assert link.get("participants", "placed", "during") == 0
    assert link.get("faculty", "applied", "during") == 2
    assert link.get("faculty", "applied", "after") == 0
    assert link.get("faculty", "placed", "after") == 1


def test_a_record_with_no_company_has_an_empty_link(world, db):
    c = record(world.dean_a1, world.fac_a1, students=[world.student_a1])
    link = hiring_link(c)
    assert link.counts == {}


def test_the_panel_counts_from_the_hong_kong_start_of_the_first_day(world, db):
    """The record starts on 1 September in Hong Kong: 02:00 that morning (still 31 August in
    UTC) is during it, 23:00 the evening before is not."""
    from foundry import policy
    from foundry.collaborations.panels import panel

    record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        students=[world.student_a1, world.student_a1_other],
    )  # starts 2026-09-01
    partner = PostingFactory(company=world.company_a)
    _apply(world.student_a1, partner, datetime(2026, 8, 31, 18, 0, tzinfo=UTC))  # 02:00 HKT
    _apply(world.student_a1_other, partner, datetime(2026, 8, 31, 15, 0, tzinfo=UTC))  # 23:00
    db.session.flush()

    totals = panel(policy.collaboration_report_scope(world.dean_a1), None).hiring
    assert totals["applied"] == 1
