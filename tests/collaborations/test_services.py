"""Recording a collaboration through the services: the rules they keep, and the history
every change leaves (who, what, when, before and after)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from foundry.collaborations import services
from foundry.collaborations.models import (
    Collaboration,
    CollaborationChange,
    CollaborationStatus,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    PersonRole,
)
from foundry.errors import InvalidInput, PermissionDenied
from tests.collaborations.factories import details, record
from tests.factories import profile_of


def _changes(db, collaboration) -> list[CollaborationChange]:
    return list(
        db.session.scalars(
            sa.select(CollaborationChange)
            .where(CollaborationChange.collaboration_id == collaboration.id)
            .order_by(CollaborationChange.id)
        )
    )


def test_a_dean_records_a_capstone_with_a_company_and_students(world, db):
    c = record(
        world.dean_a1,
        world.fac_a1,
        companies=[world.company_a],
        students=[world.student_a1, world.student_a1_other],
        lead=world.dean_a1,
    )
    assert [p.company_id for p in c.company_parties] == [world.company_a.id]
    assert {s.profile_id for s in c.students} == {
        profile_of(world.student_a1).id,
        profile_of(world.student_a1_other).id,
    }
    assert [p.user_id for p in c.people_in(PersonRole.LEAD_ACADEMIC)] == [world.dean_a1.id]
    whats = [change.what for change in _changes(db, c)]
    assert whats == ["created", "party_added", "student_added", "student_added", "person_added"]
    assert all(change.actor_id == world.dean_a1.id for change in _changes(db, c))


def test_an_update_keeps_before_and_after(world, db):
    c = record(world.dean_a1, world.fac_a1)
    changed = services.update_collaboration(world.dean_a1, c, details(cash_hkd=300_000))
    assert changed == {"cash_hkd": (250_000, 300_000)}
    last = _changes(db, c)[-1]
    assert (last.what, last.before, last.after) == (
        "updated",
        {"cash_hkd": 250_000},
        {"cash_hkd": 300_000},
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": date(2026, 8, 1)}, "end date"),
        ({"cash_hkd": -1}, "from HK"),
        ({"in_kind_hkd": 1.5}, "whole"),
        ({"title": "   "}, "title"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(world, db, changes, message):
    with pytest.raises(InvalidInput, match=message):
        services.create_collaboration(world.dean_a1, world.fac_a1, details(**changes))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Collaboration)) == 0


def test_a_dean_cannot_record_for_a_faculty_of_another_university(world, db):
    with pytest.raises(PermissionDenied):
        services.create_collaboration(world.dean_a1, world.fac_b1, details())


def test_students_must_be_of_a_party_faculty(world, db):
    c = record(world.dean_a1, world.fac_a1)
    with pytest.raises(InvalidInput, match="faculties"):
        services.add_students(world.dean_a1, c, [profile_of(world.student_b1).id])
    services.add_faculty(world.dean_a1, c, world.fac_b1.id, PartyRole.PARTNER)
    assert services.add_students(world.dean_a1, c, [profile_of(world.student_b1).id]) == 1


def test_people_must_belong_to_a_party(world, db):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    with pytest.raises(InvalidInput):
        services.add_person(world.dean_a1, c, world.dean_b1.id, PersonRole.ACADEMIC)
    with pytest.raises(InvalidInput):
        services.add_person(world.dean_a1, c, world.recruiter_b.id, PersonRole.COMPANY_CONTACT)
    services.add_person(world.dean_a1, c, world.recruiter_a.id, PersonRole.COMPANY_CONTACT)
    assert [p.user_id for p in c.people_in(PersonRole.COMPANY_CONTACT)] == [world.recruiter_a.id]


def test_a_new_lead_replaces_the_lead(world, db):
    from foundry.accounts.models import Role
    from tests.factories import staff

    other = staff(Role.ASSOCIATE_DEAN, world.fac_a1)
    c = record(world.dean_a1, world.fac_a1, lead=world.dean_a1)
    services.add_person(world.dean_a1, c, other.id, PersonRole.LEAD_ACADEMIC)
    assert [p.user_id for p in c.people_in(PersonRole.LEAD_ACADEMIC)] == [other.id]
    assert [p.user_id for p in c.people_in(PersonRole.ACADEMIC)] == [world.dean_a1.id]


def test_unknown_company_is_refused(world, db):
    c = record(world.dean_a1, world.fac_a1)
    with pytest.raises(InvalidInput, match="company"):
        services.add_company(world.dean_a1, c, 999_999, PartyRole.PARTNER)
    assert c.company_parties == []


def test_a_milestone_falls_within_the_dates(world, db):
    c = record(world.dean_a1, world.fac_a1)
    with pytest.raises(InvalidInput, match="between"):
        services.add_milestone(world.dean_a1, c, "Demo day", date(2027, 7, 1))
    m = services.add_milestone(world.dean_a1, c, "Demo day", date(2027, 6, 1))
    services.set_milestone_status(world.dean_a1, c, m.id, MilestoneStatus.DONE)
    assert m.status is MilestoneStatus.DONE


def test_a_completed_record_is_kept_as_it_ended_but_takes_outcomes(world, db):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    services.change_status(world.dean_a1, c, CollaborationStatus.COMPLETED)
    history = len(_changes(db, c))
    with pytest.raises(InvalidInput, match="ended"):
        services.update_collaboration(world.dean_a1, c, details(title="Rewritten"))
    with pytest.raises(InvalidInput, match="ended"):
        services.remove_company(world.dean_a1, c, world.company_a.id)
    with pytest.raises(InvalidInput, match="ended"):
        services.change_status(world.dean_a1, c, CollaborationStatus.ACTIVE)
    services.add_outcome(world.dean_a1, c, OutcomeKind.PATENT_FILED, "Gripper patent", None)
    assert len(_changes(db, c)) == history + 1
    assert c.title == "Warehouse robot capstone"
