"""The application state machine of PRODUCT.md: which moves exist, and who makes them."""

from __future__ import annotations

from enum import Enum

from foundry.applications.models import ApplicationStatus as S


class Mover(Enum):
    COMPANY = "company"
    STUDENT = "student"


OPEN_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.INTERVIEW, S.OFFER})

# The forward path submitted → under review → shortlisted → interview → offer may skip
# steps (a recruiter can shortlist straight away); it never goes back.
_PIPELINE = [S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.INTERVIEW, S.OFFER]

COMPANY_MOVES: dict[S, frozenset[S]] = {
    state: frozenset(_PIPELINE[index + 1 :]) | {S.REJECTED} for index, state in enumerate(_PIPELINE)
}
STUDENT_MOVES: dict[S, frozenset[S]] = {
    **{state: frozenset({S.WITHDRAWN}) for state in OPEN_STATES},
    S.OFFER: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
}


def allowed_moves(current: S, mover: Mover) -> frozenset[S]:
    table = COMPANY_MOVES if mover is Mover.COMPANY else STUDENT_MOVES
    return table.get(current, frozenset())


def can_move(current: S, target: S, mover: Mover) -> bool:
    return target in allowed_moves(current, mover)
