"""Both sides of a collaboration: a company proposes one to a faculty, or an update to a
record shared with it; the faculty accepts or declines; milestones due soon are told to
the lead academic, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from foundry import clock
from foundry.collaborations import proposals
from foundry.collaborations.models import (
    Collaboration,
    CollaborationStatus,
    Milestone,
    Proposal,
    ProposalStatus,
    Visibility,
)
from foundry.collaborations.services import add_milestone
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.notifications.models import Notification
from tests.collaborations.factories import details, record


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_company_proposes_and_the_faculty_accepts(world, db):
    proposal = proposals.propose_collaboration(
        world.company_admin_a, world.company_a, world.fac_a1.id, details(), "Shall we?"
    )
    c = proposal.collaboration
    assert (c.status, c.visibility) == (CollaborationStatus.PROPOSED, Visibility.SHARED)
    told = db.session.scalars(sa.select(Notification.user_id)).all()
    assert told == [world.dean_a1.id]
    with pytest.raises(PermissionDenied):
        proposals.accept_proposal(world.dean_b1, proposal)
    proposals.accept_proposal(world.dean_a1, proposal)
    assert (proposal.status, c.status) == (ProposalStatus.ACCEPTED, CollaborationStatus.NEGOTIATING)
    with pytest.raises(DomainError, match="already answered"):
        proposals.decline_proposal(world.dean_a1, proposal)


def test_a_declined_proposal_ends_the_record(world, db):
    proposal = proposals.propose_collaboration(
        world.recruiter_a, world.company_a, world.fac_a1.id, details(), ""
    )
    proposals.decline_proposal(world.dean_a1, proposal)
    assert proposal.collaboration.status is CollaborationStatus.TERMINATED


def test_a_proposal_to_a_faculty_that_does_not_exist_is_refused(world, db):
    with pytest.raises(InvalidInput, match="faculty"):
        proposals.propose_collaboration(
            world.company_admin_a, world.company_a, 987_654, details(), ""
        )
    db.session.rollback()
    assert _count(db, Collaboration) == 0


def test_an_unverified_company_cannot_propose(world, db):
    with pytest.raises(PermissionDenied):
        proposals.propose_collaboration(
            world.recruiter_unverified, world.company_unverified, world.fac_a1.id, details(), ""
        )


def test_the_company_proposes_an_update_and_the_dean_accepts(world, db):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a], lead=world.dean_a1)
    proposal = proposals.propose_update(
        world.company_admin_a,
        c,
        world.company_a,
        {"cash_hkd": 400_000, "end_date": date(2027, 8, 31), "title": c.title},
        "More budget",
    )
    assert proposal.changes == {"cash_hkd": 400_000, "end_date": "2027-08-31"}
    assert c.cash_hkd == 250_000  # not applied until accepted
    proposals.accept_proposal(world.dean_a1, proposal)
    assert (c.cash_hkd, c.end_date) == (400_000, date(2027, 8, 31))


def test_an_update_proposal_keeps_the_rules(world, db):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a])
    with pytest.raises(InvalidInput, match="end date"):
        proposals.propose_update(
            world.company_admin_a, c, world.company_a, {"end_date": date(2020, 1, 1)}, ""
        )
    with pytest.raises(InvalidInput, match="at least one"):
        proposals.propose_update(world.company_admin_a, c, world.company_a, {}, "")


def test_a_private_record_takes_no_proposal_from_its_company(world, db):
    c = record(
        world.dean_a1, world.fac_a1, companies=[world.company_a], visibility=Visibility.PRIVATE
    )
    with pytest.raises(PermissionDenied):
        proposals.propose_update(world.company_admin_a, c, world.company_a, {"cash_hkd": 1}, "")


def test_the_company_and_dean_do_it_through_the_pages(world, db, client, login_as, post_form):
    c = record(world.dean_a1, world.fac_a1, companies=[world.company_a], lead=world.dean_a1)
    login_as(world.company_admin_a)
    listing = client.get(f"/companies/{world.company_a.slug}/collaborations")
    assert c.title in listing.get_data(as_text=True)
    url = f"/collaborations/{c.id}/propose-update"
    response = post_form(
        url,
        {
            "title": c.title,
            "summary": c.summary,
            "end_date": "2027-06-30",
            "cash_hkd": "300000",
            "in_kind_hkd": "80000",
            "message": "Add a sensor budget",
        },
    )
    assert response.status_code == 303
    proposal = db.session.scalar(sa.select(Proposal))
    login_as(world.dean_a1)
    page = client.get(f"/collaborations/{c.id}").get_data(as_text=True)
    assert "Add a sensor budget" in page
    response = post_form(
        f"/collaborations/proposals/{proposal.id}/accept", form_page=f"/collaborations/{c.id}"
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Collaboration, c.id).cash_hkd == 300_000


def test_a_company_proposes_through_the_page_and_bad_input_is_refused(
    world, db, client, login_as, post_form
):
    login_as(world.company_admin_a)
    url = f"/companies/{world.company_a.slug}/collaborations/propose"
    data = {
        "faculty_id": "987654",
        "kind": "consultancy",
        "title": "AI audit",
        "start_date": "2026-10-01",
        "cash_hkd": "10000",
        "in_kind_hkd": "0",
    }
    response = post_form(url, data)
    assert response.status_code == 400
    assert "Choose a faculty from the list" in response.get_data(as_text=True)
    assert _count(db, Collaboration) == 0 and _count(db, Proposal) == 0
    response = post_form(url, {**data, "faculty_id": str(world.fac_a1.id)})
    assert response.status_code == 303
    assert _count(db, Proposal) == 1


def test_milestones_due_soon_are_told_to_the_lead_once(world, db, app):
    c = record(world.dean_a1, world.fac_a1, lead=world.dean_a1)
    add_milestone(world.dean_a1, c, "Prototype demo", date(2026, 10, 10))
    add_milestone(world.dean_a1, c, "Final report", date(2027, 6, 1))
    assert proposals.remind_due_milestones(date(2026, 10, 1)) == 1
    assert proposals.remind_due_milestones(date(2026, 10, 1)) == 0
    (note,) = db.session.scalars(sa.select(Notification)).all()
    assert (note.user_id, note.kind) == (world.dean_a1.id, "collaboration.milestone_due")
    assert "Prototype demo" in note.title


def test_the_remind_command_commits_its_reminders(world, db, app):
    c = record(world.dean_a1, world.fac_a1, lead=world.dean_a1)
    add_milestone(world.dean_a1, c, "Soon", date(2026, 9, 2))
    db.session.commit()
    runner = app.test_cli_runner()
    with clock.frozen_at(datetime(2026, 9, 1, 2, 0, tzinfo=UTC)):
        first = runner.invoke(args=["collaborations", "remind"])
        again = runner.invoke(args=["collaborations", "remind"])
    assert first.exit_code == 0, first.output
    assert "Reminded 1 milestone" in first.output and "Reminded 0 milestone" in again.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Milestone.reminded_at)) is not None
