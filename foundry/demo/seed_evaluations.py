"""Supervisors' evaluations of the demo's placements: some finished placements have a
final (and a mid-term) evaluation the supervisor filled in, a few links expired unused,
and one running placement has a mid-term link waiting for its supervisor.

Only the SHA-256 of each link's random token is stored; nobody needs the token itself in
the demo. An evaluation is looked up by (placement, stage), so a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.crypto import new_token, token_hash
from foundry.demo.clock import at_hong_kong, hong_kong_date
from foundry.demo.data import RANDOM_SEED
from foundry.demo.data_history import EVALUATION_IMPROVEMENTS, EVALUATION_STRENGTHS
from foundry.extensions import db
from foundry.placements.models import (
    EvaluationStage,
    Placement,
    PlacementCompletion,
    PlacementEvaluation,
)
from foundry.students.models import StudentProfile

FINAL_SHARE = 0.45  # finished placements whose supervisor was asked for a final evaluation
MID_TERM_SHARE = 0.5  # ... and for a mid-term one as well
ANSWERED_SHARE = 0.88  # links the supervisor used before they expired
LINK_LIFETIME = timedelta(days=14)
RATINGS = {5: 38, 4: 45, 3: 13, 2: 4}


def seed_evaluations(summary, staff: dict[int, list[int]], now: datetime) -> None:
    """Add the evaluations that are missing (the caller flushes)."""
    today = hong_kong_date(now)
    existing = set(
        db.session.execute(sa.select(PlacementEvaluation.placement_id, PlacementEvaluation.stage))
    )
    rows = db.session.execute(
        sa.select(
            Placement.id,
            Placement.start_date,
            Placement.end_date,
            Placement.completion,
            Placement.supervisor_name,
            Placement.supervisor_email,
            StudentProfile.faculty_id,
            User.email,
        )
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .where(
            Placement.supervisor_email.is_not(None),
            Placement.start_date.is_not(None),
            Placement.end_date.is_not(None),
        )
        .order_by(User.email, Placement.start_date)
    ).all()
    waiting = _waiting_for(rows, today)
    ended = [row[0] for row in rows if row[2] < today and row[3] is PlacementCompletion.COMPLETED]
    sure = set(ended[:2])  # the demo always has a couple of evaluations to show
    for placement_id, start, end, completion, name, email, faculty_id, student in rows:
        rng = random.Random(f"{RANDOM_SEED}:evaluation:{student}:{start}")
        requester = (staff.get(faculty_id) or [None])[0]
        planned: list[PlacementEvaluation] = []
        midpoint = start + (end - start) / 2
        if placement_id == waiting:  # a link the supervisor has not used yet
            planned.append(
                PlacementEvaluation(
                    stage=EvaluationStage.MID_TERM if end >= today else EvaluationStage.FINAL,
                    requested_at=now - timedelta(days=3),
                    expires_at=now - timedelta(days=3) + LINK_LIFETIME,
                )
            )
        elif end < today and completion is PlacementCompletion.COMPLETED:
            certain = placement_id in sure
            asked = rng.random() < FINAL_SHARE or certain
            final_day = end - timedelta(days=5)
            if asked:
                planned.append(_answered(rng, EvaluationStage.FINAL, final_day, now, certain))
            if asked and rng.random() < MID_TERM_SHARE:
                planned.append(_answered(rng, EvaluationStage.MID_TERM, midpoint, now, certain))
        for evaluation in planned:
            exists = (placement_id, evaluation.stage) in existing
            summary.count("placement evaluations", created=not exists)
            if exists:
                continue
            evaluation.placement_id = placement_id
            evaluation.supervisor_name = name
            evaluation.supervisor_email = email.lower()
            evaluation.token_hash = token_hash(new_token())
            evaluation.requested_by_id = requester
            db.session.add(evaluation)


def _waiting_for(rows, today: date) -> int | None:
    """The placement whose supervisor has a link waiting: the first one running today, or
    else the one that ended last."""
    running = [row for row in rows if row[1] <= today <= row[2]]
    if running:
        return running[0][0]
    ended = [row for row in rows if row[2] < today]
    return max(ended, key=lambda row: (row[2], row[0]))[0] if ended else None


def _answered(
    rng: random.Random, stage: EvaluationStage, day: date, now: datetime, sure: bool
) -> PlacementEvaluation:
    """An evaluation asked for on `day`: usually (`sure`: always) filled in within the
    week, else expired."""
    requested = at_hong_kong(day, 10, rng.randint(0, 59))
    evaluation = PlacementEvaluation(
        stage=stage, requested_at=requested, expires_at=requested + LINK_LIFETIME
    )
    answered = rng.random() < ANSWERED_SHARE or sure
    submitted = requested + timedelta(days=rng.randint(1, 9), hours=rng.randint(1, 8))
    overall = rng.choices(list(RATINGS), weights=list(RATINGS.values()))[0]
    others = [max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))) for _ in range(3)]
    strengths = rng.choice(EVALUATION_STRENGTHS)
    improvements = rng.choice(EVALUATION_IMPROVEMENTS) or None
    host_again = overall >= 4 or (overall == 3 and rng.random() < 0.6)
    if not answered or submitted >= now:  # everything is drawn first, used or not
        return evaluation
    evaluation.submitted_at = submitted
    evaluation.rating_overall = overall
    (
        evaluation.rating_technical,
        evaluation.rating_professional,
        evaluation.rating_communication,
    ) = others
    evaluation.strengths = strengths
    evaluation.improvements = improvements
    evaluation.would_host_again = host_again
    return evaluation
