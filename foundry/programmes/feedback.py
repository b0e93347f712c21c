"""Feedback after a programme: a student who attended gives a rating (1 to 5) and an
optional comment, once per programme, and may change it until FEEDBACK_WINDOW after the
programme's last session has ended; organisers read the average, the distribution and the
comments.

- **Who**: "programme.give_feedback" over a ProgrammeAttendee (foundry/programmes/
  attended.py): the student themself, checked in at a session of the programme that has
  ended. A student who registered but did not come, or whose session is still to come, is
  refused; nobody gives feedback in another student's name.
- **Once**: one row per student per programme (a unique constraint). Giving it again
  changes that row; two first answers racing each other leave one row, the later one
  editing it.
- **Until when**: 30 days after the programme's last session ends, long enough for a
  mentoring series' last class, short enough that the organiser's figures settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput, PermissionDenied
from foundry.extensions import db
from foundry.policy import can
from foundry.programmes.attended import ProgrammeAttendee, attended_programme_ids
from foundry.programmes.feedback_models import (
    COMMENT_MAX,
    MAX_RATING,
    MIN_RATING,
    ProgrammeFeedback,
)
from foundry.programmes.models import Programme, ProgrammeSession
from foundry.students.models import StudentProfile

FEEDBACK_WINDOW = timedelta(days=30)


class FeedbackInputError(InvalidInput):
    """A rating or comment the form should have refused; `field` names where to show it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def feedback_closes_at(programme: Programme) -> datetime | None:
    """When feedback on the programme closes: FEEDBACK_WINDOW after its last session."""
    ends = [session.ends_at for session in programme.sessions]
    return max(ends) + FEEDBACK_WINDOW if ends else None


def feedback_is_open(programme: Programme, now: datetime) -> bool:
    closes = feedback_closes_at(programme)
    return closes is not None and now < closes


def feedback_of(profile: StudentProfile, programme: Programme) -> ProgrammeFeedback | None:
    return db.session.scalar(
        sa.select(ProgrammeFeedback).where(
            ProgrammeFeedback.programme_id == programme.id,
            ProgrammeFeedback.profile_id == profile.id,
        )
    )


def _checked(rating, comment: str | None) -> tuple[int, str | None]:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(rating, bool) or not MIN_RATING <= value <= MAX_RATING:
        raise FeedbackInputError(_("Choose a rating from 1 to 5."), "rating")
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise FeedbackInputError(
            _("Keep the comment to %(n)d characters.", n=COMMENT_MAX), "comment"
        )
    return value, text or None


@dataclass(frozen=True)
class FeedbackResult:
    feedback: ProgrammeFeedback
    edited: bool  # False: the student's first answer


def give_feedback(
    actor: User, attendee: ProgrammeAttendee, rating, comment: str | None
) -> FeedbackResult:
    """Record the student's rating and comment on a programme they attended, or change
    the ones they gave; refused before their session ends and once feedback has closed."""
    if not can(actor, "programme.give_feedback", attendee):
        if can(actor, "programme.view_registration", attendee.profile):
            raise DomainError(
                _("You can give feedback once you have attended a session and it has ended.")
            )
        raise PermissionDenied(_("Only the student who attended can give this feedback."))
    value, text = _checked(rating, comment)
    programme, now = attendee.programme, utcnow()
    if not feedback_is_open(programme, now):
        raise DomainError(_("Feedback on this programme has closed."))
    feedback = feedback_of(attendee.profile, programme)
    edited = feedback is not None
    if feedback is None:
        feedback, edited = _first_answer(attendee, value, text, now)
    feedback.rating, feedback.comment, feedback.updated_at = value, text, now
    db.session.flush()
    record(
        actor,
        "programme.feedback_changed" if edited else "programme.feedback_given",
        programme,
        {"title": programme.title_en, "rating": value},
        feedback_id=feedback.id,
    )
    return FeedbackResult(feedback, edited)


def _first_answer(
    attendee: ProgrammeAttendee, rating: int, comment: str | None, now: datetime
) -> tuple[ProgrammeFeedback, bool]:
    """A new row (and False); when another request of the same student wrote it first
    (the unique constraint refused ours), theirs, which this answer edits (and True)."""
    feedback = ProgrammeFeedback(
        programme_id=attendee.programme.id,
        profile_id=attendee.profile.id,
        rating=rating,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
            db.session.flush()
    except sa.exc.IntegrityError:
        existing = feedback_of(attendee.profile, attendee.programme)
        if existing is None:
            raise
        return existing, True
    return feedback, False


@dataclass(frozen=True)
class AfterTheEvent:
    """What a student may do after a programme they attended: give (or change) feedback
    while it is open, and download their certificate."""

    programme_id: int
    rating: int | None  # the feedback given, if any
    feedback_open: bool


def after_the_event(
    profile: StudentProfile, programme_ids: list[int], now: datetime
) -> dict[int, AfterTheEvent]:
    """{programme id: AfterTheEvent} for the programmes the student attended (a session
    that has ended), in three statements whatever their number."""
    attended = attended_programme_ids(profile, programme_ids, now)
    if not attended:
        return {}
    ratings = dict(
        db.session.execute(
            sa.select(ProgrammeFeedback.programme_id, ProgrammeFeedback.rating).where(
                ProgrammeFeedback.profile_id == profile.id,
                ProgrammeFeedback.programme_id.in_(attended),
            )
        ).all()
    )
    last_ends = dict(
        db.session.execute(
            sa.select(ProgrammeSession.programme_id, sa.func.max(ProgrammeSession.ends_at))
            .where(ProgrammeSession.programme_id.in_(attended))
            .group_by(ProgrammeSession.programme_id)
        ).all()
    )
    return {
        programme_id: AfterTheEvent(
            programme_id, ratings.get(programme_id), now < last_ends[programme_id] + FEEDBACK_WINDOW
        )
        for programme_id in attended
    }
