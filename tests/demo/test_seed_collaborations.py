"""The demo's collaborations (foundry/demo/story_collaborations.py): every dean's records
over the years, in every status, and the issue's story: HKUST's dean records a sponsored
capstone with the company that interviewed most of the faculty's students, adds students
who applied to it, shares it; the company proposes an update; the dean accepts; the
hiring link shows whom the company interviewed."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.collaborations.attachment_models import AttachmentAudience, CollaborationAttachment
from foundry.collaborations.models import (
    Collaboration,
    CollaborationStatus,
    Proposal,
    ProposalStatus,
    Visibility,
)
from foundry.collaborations.queries import hiring_link


def test_every_status_has_records(db, summary):
    statuses = set(db.session.scalars(sa.select(Collaboration.status).distinct()))
    assert statuses == set(CollaborationStatus)


def test_the_capstone_story_is_played_through_the_services(db, summary):
    capstone = db.session.scalar(
        sa.select(Collaboration).where(
            Collaboration.title == "Sponsored capstone: autonomous inspection robots"
        )
    )
    assert capstone is not None
    assert (capstone.visibility, capstone.status) == (Visibility.SHARED, CollaborationStatus.ACTIVE)
    assert 1 <= len(capstone.students) <= 3
    (proposal,) = db.session.scalars(
        sa.select(Proposal).where(Proposal.collaboration_id == capstone.id)
    ).all()
    assert proposal.status is ProposalStatus.ACCEPTED and capstone.cash_hkd == 240_000
    link = hiring_link(capstone)
    assert (
        link.get("faculty", "interviewed", "during") + link.get("faculty", "interviewed", "after")
        >= 1
    )
    # The story ends on a hire: a participant the startup interviewed and placed.
    furthest = {link.furthest(s.profile_id) for s in capstone.students}
    assert "placed" in furthest


def test_records_that_went_ahead_carry_their_signed_agreement(db, summary):
    went_ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Collaboration.status.in_([CollaborationStatus.ACTIVE, CollaborationStatus.COMPLETED])
        )
    )
    agreements = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CollaborationAttachment.collaboration_id))).where(
            CollaborationAttachment.original_filename.like("Agreement %.pdf")
        )
    )
    assert went_ahead >= 1 and agreements == went_ahead


def test_the_capstone_has_its_papers_for_the_right_readers(db, summary):
    capstone = db.session.scalar(
        sa.select(Collaboration).where(
            Collaboration.title == "Sponsored capstone: autonomous inspection robots"
        )
    )
    papers = {
        a.original_filename: a
        for a in db.session.scalars(
            sa.select(CollaborationAttachment).where(
                CollaborationAttachment.collaboration_id == capstone.id
            )
        )
    }
    assert {name.rsplit(".", 1)[1] for name in papers} == {"pdf", "xlsx"}
    assert papers["Capstone budget.xlsx"].audience is AttachmentAudience.FACULTIES
    assert papers["Sensor budget proposal.pdf"].uploaded_by_id != capstone.created_by_id
    assert "期中報告（原型示範）.pdf" in papers
