"""Placements, evaluations and outcomes for the tests, and small helpers to read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from foundry.crypto import new_token, token_hash
from foundry.db import utcnow
from foundry.extensions import db
from foundry.placements.models import (
    EvaluationStage,
    GraduateOutcome,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementSource,
)
from foundry.postings.models import PostingKind
from tests.factories import profile_of


def recorded_placement(student, recorder=None, **fields) -> Placement:
    """A placement staff recorded for `student` (a User) at an employer outside the park."""
    values = {
        "profile_id": profile_of(student).id,
        "source": PlacementSource.RECORDED,
        "employer_name": "Harbour Bank",
        "role_title": "Data Analyst Intern",
        "kind": PostingKind.SUMMER_INTERNSHIP,
        "placed_at": datetime(2025, 5, 1, 16, 0, tzinfo=UTC),
        "start_date": date(2025, 6, 1),
        "end_date": date(2025, 8, 31),
        "supervisor_name": "Mary Chan",
        "supervisor_email": "mary.chan@harbourbank.hk",
        "recorded_by_id": recorder.id if recorder else None,
        **fields,
    }
    placement = Placement(**values)
    db.session.add(placement)
    db.session.flush()
    return placement


def portal_placement(student, company, **fields) -> Placement:
    """A placement from an offer accepted on the portal (confirmed by the acceptance)."""
    values = {
        "profile_id": profile_of(student).id,
        "source": PlacementSource.PORTAL,
        "company_id": company.id,
        "kind": PostingKind.SUMMER_INTERNSHIP,
        "placed_at": utcnow() - timedelta(days=30),
        "confirmed_by_student_at": utcnow() - timedelta(days=30),
        **fields,
    }
    placement = Placement(**values)
    db.session.add(placement)
    db.session.flush()
    return placement


def placement_from(application, placed_at: datetime) -> Placement:
    """The portal placement of an accepted `application`, at its posting's company."""
    posting = application.posting
    placement = Placement(
        profile_id=application.profile_id,
        company_id=posting.company_id,
        posting_id=posting.id,
        application_id=application.id,
        kind=posting.kind,
        placed_at=placed_at,
    )
    db.session.add(placement)
    return placement


def evaluation(
    placement: Placement, stage=EvaluationStage.MID_TERM, **fields
) -> tuple[PlacementEvaluation, str]:
    """A pending evaluation request and the raw token of its link."""
    raw = fields.pop("raw", None) or new_token()
    now = utcnow()
    values = {
        "placement_id": placement.id,
        "stage": stage,
        "supervisor_name": "Mary Chan",
        "supervisor_email": "mary.chan@harbourbank.hk",
        "token_hash": token_hash(raw),
        "requested_at": now,
        "expires_at": now + timedelta(days=30),
        **fields,
    }
    row = PlacementEvaluation(**values)
    db.session.add(row)
    db.session.flush()
    return row, raw


def graduate_outcome(student, **fields) -> GraduateOutcome:
    values = {
        "profile_id": profile_of(student).id,
        "outcome": Outcome.SEEKING,
        "found_via": "graduate survey",
        **fields,
    }
    row = GraduateOutcome(**values)
    db.session.add(row)
    db.session.flush()
    return row


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def fresh(obj):
    """The row as the database has it now (after requests committed in other sessions)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
