"""Supervisors' evaluations of a placement (mid-term and final), asked for by a
single-use link: the supervisor has no account, so the link is the key. The raw token
exists only in the e-mail; the database keeps its SHA-256.

A stage is asked once per placement. Asking again before it is answered re-issues the
link (the old one stops working at once); after it is answered, it cannot be asked again.
Answering, re-issuing and withdrawing are conditional UPDATEs, so whichever of two
racing requests comes second changes nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from foundry.accounts.email_address import normalise_email
from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.crypto import new_token, token_hash
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, refuse_duplicate
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.i18n import lazy_gettext as _l
from foundry.notifications.services import notify, queue_email
from foundry.placements.models import EvaluationStage, Placement, PlacementEvaluation
from foundry.placements.services import MAX_PERSON
from foundry.urls import absolute_url

LIFETIME = timedelta(days=30)
MAX_ANSWER = 2_000
MAX_TOKEN = 200

STAGE_LABELS = {
    EvaluationStage.MID_TERM: _l("Mid-term evaluation"),
    EvaluationStage.FINAL: _l("Final evaluation"),
}


class EvaluationState(enum.Enum):
    PENDING = "pending"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUBMITTED = "submitted"


def state_of(evaluation: PlacementEvaluation) -> EvaluationState:
    if evaluation.submitted_at is not None:
        return EvaluationState.SUBMITTED
    if evaluation.revoked_at is not None:
        return EvaluationState.REVOKED
    if evaluation.expires_at <= utcnow():
        return EvaluationState.EXPIRED
    return EvaluationState.PENDING


class EvaluationUnusable(DomainError):
    """The link cannot be used: unknown (404), or withdrawn or expired (410)."""

    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.status_code = status_code


def evaluation_of(placement: Placement, stage: EvaluationStage) -> PlacementEvaluation | None:
    return db.session.scalar(
        sa.select(PlacementEvaluation).where(
            PlacementEvaluation.placement_id == placement.id, PlacementEvaluation.stage == stage
        )
    )


# --- staff ask, re-send and withdraw ------------------------------------------------------


def _checked_supervisor(name: str | None, email: str | None) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the supervisor's name."))
    if len(name) > MAX_PERSON:
        raise InvalidInput(_("Keep the supervisor's name to 120 characters."))
    if not (email or "").strip():
        raise InvalidInput(_("Give the supervisor's e-mail address, such as name@company.com."))
    return name, normalise_email(email)


def request_evaluation(
    actor: User, placement: Placement, stage: EvaluationStage, name: str, email: str
) -> PlacementEvaluation:
    """Ask the supervisor for an evaluation (or re-issue the link of one not yet answered)
    and queue the e-mail with the link."""
    name, email = _checked_supervisor(name, email)
    now = utcnow()
    raw = new_token()
    values = {
        "supervisor_name": name,
        "supervisor_email": email,
        "token_hash": token_hash(raw),
        "requested_by_id": actor.id,
        "requested_at": now,
        "expires_at": now + LIFETIME,
        "revoked_at": None,
    }
    existing = evaluation_of(placement, stage)
    if existing is None:
        evaluation = PlacementEvaluation(placement_id=placement.id, stage=stage, **values)
        db.session.add(evaluation)
        # A colleague asking for the same stage at the same moment fails here.
        with refuse_duplicate(
            _("This evaluation was just requested by someone else. Reload the page.")
        ):
            db.session.flush()
    else:
        result = db.session.execute(
            sa.update(PlacementEvaluation)
            .where(
                PlacementEvaluation.id == existing.id,
                PlacementEvaluation.submitted_at.is_(None),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise DomainError(
                _(
                    "The supervisor has already answered the %(stage)s; it cannot be asked again.",
                    stage=str(STAGE_LABELS[stage]).lower(),
                )
            )
        db.session.refresh(existing)
        evaluation = existing
    if placement.supervisor_email is None:
        placement.supervisor_name, placement.supervisor_email = name, email
    record(
        actor,
        "evaluation.requested" if existing is None else "evaluation.reissued",
        evaluation,
        {"email": email, "stage": stage},
        placement_id=placement.id,
        stage=stage.value,
        supervisor_email=email,
    )
    _email_supervisor(evaluation, raw)
    return evaluation


def _email_supervisor(evaluation: PlacementEvaluation, raw: str) -> None:
    placement = evaluation.placement
    student = placement.profile.user.display_name
    link = absolute_url(url_for("placement_evaluations.evaluation", token=raw))
    deadline = format_moment(evaluation.expires_at)
    stage = str(STAGE_LABELS[evaluation.stage]).lower()
    lines = [
        _("Dear %(name)s,", name=evaluation.supervisor_name),
        "",
        _(
            "%(student)s's faculty (%(faculty)s) asks you, as their supervisor at "
            "%(employer)s, for a short %(stage)s of their placement. It takes about three "
            "minutes and needs no account.",
            student=student,
            faculty=placement.profile.faculty.name_en,
            employer=placement.employer,
            stage=stage,
        ),
        "",
        link,
        "",
        _(
            "The link works once, until %(deadline)s Hong Kong time. Please do not forward it.",
            deadline=deadline,
        ),
        _("If you did not supervise this student, you can ignore this e-mail."),
        "",
        _("— Talent Foundry"),
    ]
    queue_email(
        evaluation.supervisor_email,
        _("Please evaluate %(student)s's placement (%(stage)s)", student=student, stage=stage),
        "\n".join(lines),
    )


def revoke_evaluation(actor: User, evaluation: PlacementEvaluation) -> None:
    """Withdraw a request not yet answered: its link stops working."""
    result = db.session.execute(
        sa.update(PlacementEvaluation)
        .where(
            PlacementEvaluation.id == evaluation.id,
            PlacementEvaluation.submitted_at.is_(None),
            PlacementEvaluation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(evaluation)
    if result.rowcount != 1:
        raise DomainError(_("This request was already answered or withdrawn."))
    record(
        actor,
        "evaluation.revoked",
        evaluation,
        placement_id=evaluation.placement_id,
        stage=evaluation.stage.value,
    )


# --- the supervisor answers ---------------------------------------------------------------


def find_by_token(raw: str | None) -> PlacementEvaluation:
    """The evaluation a link names, whatever its state (answered ones show a thank-you);
    EvaluationUnusable when the link is unknown, withdrawn or expired."""
    evaluation = None
    if raw and len(raw) <= MAX_TOKEN:
        evaluation = db.session.scalar(
            sa.select(PlacementEvaluation).where(PlacementEvaluation.token_hash == token_hash(raw))
        )
    if evaluation is None:
        raise EvaluationUnusable(
            _(
                "This evaluation link is not valid. Check that you opened the whole link; if "
                "you received several e-mails, use the newest."
            ),
            404,
        )
    state = state_of(evaluation)
    if state is EvaluationState.REVOKED:
        raise EvaluationUnusable(
            _(
                "This link was withdrawn, or a newer one was sent. Use the latest e-mail, "
                "or ask the faculty's placement office for a new link."
            ),
            410,
        )
    if state is EvaluationState.EXPIRED:
        raise EvaluationUnusable(
            _("This link has expired. Ask the faculty's placement office to send you a new one."),
            410,
        )
    return evaluation


@dataclass(frozen=True)
class Answers:
    overall: int
    technical: int
    professional: int
    communication: int
    strengths: str | None
    improvements: str | None
    would_host_again: bool


def _checked_answers(answers: Answers) -> Answers:
    for rating in (answers.overall, answers.technical, answers.professional, answers.communication):
        if rating not in (1, 2, 3, 4, 5):
            raise InvalidInput(_("Give each rating from 1 to 5."))
    strengths = (answers.strengths or "").strip() or None
    improvements = (answers.improvements or "").strip() or None
    for text in (strengths, improvements):
        if text is not None and len(text) > MAX_ANSWER:
            raise InvalidInput(_("Keep each answer to 2,000 characters."))
    return Answers(
        answers.overall,
        answers.technical,
        answers.professional,
        answers.communication,
        strengths,
        improvements,
        bool(answers.would_host_again),
    )


def submit_evaluation(evaluation: PlacementEvaluation, raw: str, answers: Answers) -> bool:
    """Record the supervisor's answers once. False when the link was used, re-issued,
    withdrawn or expired in the meantime (a double click or a replay): nothing changes."""
    answers = _checked_answers(answers)
    now = utcnow()
    result = db.session.execute(
        sa.update(PlacementEvaluation)
        .where(
            PlacementEvaluation.id == evaluation.id,
            PlacementEvaluation.token_hash == token_hash(raw),
            PlacementEvaluation.submitted_at.is_(None),
            PlacementEvaluation.revoked_at.is_(None),
            PlacementEvaluation.expires_at > now,
        )
        .values(
            submitted_at=now,
            rating_overall=answers.overall,
            rating_technical=answers.technical,
            rating_professional=answers.professional,
            rating_communication=answers.communication,
            strengths=answers.strengths,
            improvements=answers.improvements,
            would_host_again=answers.would_host_again,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(evaluation)
    record(
        None,
        "evaluation.submitted",
        evaluation,
        {"stage": evaluation.stage},
        placement_id=evaluation.placement_id,
        stage=evaluation.stage.value,
        supervisor_email=evaluation.supervisor_email,
    )
    if evaluation.requested_by is not None and evaluation.requested_by.is_active:
        placement = evaluation.placement
        notify(
            evaluation.requested_by,
            "evaluation.submitted",
            f"/placements/{placement.id}",
            email=False,
            supervisor=evaluation.supervisor_name,
            stage=evaluation.stage,
            student=placement.profile.user.display_name,
        )
    return True
