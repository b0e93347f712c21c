"""What the placement pages read: a student's placements with their evaluations, the
students' objections, and the companies staff may choose from. A fixed number of
statements per page, whatever the number of placements."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from foundry.accounts.models import User
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.placements.models import Placement, PlacementEvaluation
from foundry.postings.loading import without_lists
from foundry.students.models import StudentProfile


def _shown() -> list:
    """What the placement pages show beyond the placement: its posting's title (not the
    posting's lists), and the names of who recorded it and who asked for each evaluation
    (not their role memberships)."""
    return [
        joinedload(Placement.posting).options(*without_lists()),
        joinedload(Placement.recorded_by).lazyload(User.memberships),
        selectinload(Placement.evaluations)
        .joinedload(PlacementEvaluation.requested_by)
        .lazyload(User.memberships),
    ]


def placements_of(profile: StudentProfile) -> list[Placement]:
    """The student's placements, newest agreed first, with what their pages show. Each
    one's profile is `profile`, found in the session rather than joined again."""
    return list(
        db.session.scalars(
            sa.select(Placement)
            .where(Placement.profile_id == profile.id)
            .options(lazyload(Placement.profile), *_shown())
            .order_by(Placement.placed_at.desc(), Placement.id.desc())
        ).unique()
    )


def placement_with_evaluations(placement_id: int) -> Placement | None:
    return db.session.scalar(
        sa.select(Placement).where(Placement.id == placement_id).options(*_shown())
    )


def latest_objections(placements: list[Placement]) -> dict[int, AuditEvent]:
    """For each placement, the student's latest "this is not right" that no confirmation
    or edit has answered since (one statement for all of them)."""
    if not placements:
        return {}
    ids = [str(p.id) for p in placements]
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == Placement.__tablename__,
            AuditEvent.object_id.in_(ids),
            AuditEvent.action.in_(
                ("placement.disputed", "placement.confirmed", "placement.edited")
            ),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    latest: dict[int, AuditEvent] = {}
    for event in events:
        placement_id = int(event.object_id)
        if event.action == "placement.disputed":
            latest[placement_id] = event
        else:
            latest.pop(placement_id, None)
    return latest


def verified_companies() -> list[tuple[int, str]]:
    """(id, name) of every verified park company, by name, for a chooser."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            sa.select(Company.id, Company.name)
            .where(Company.verification_status == VerificationStatus.VERIFIED)
            .order_by(Company.name, Company.id)
        )
    ]
