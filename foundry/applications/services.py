"""Applying to a posting, withdrawing, and moving applications along the state machine.

Every change writes its history event (which the student sees), an audit line, and tells
the people concerned. Services flush and never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.applications.labels import STATUS_LABELS
from foundry.applications.limits import MAX_ANSWER, MAX_COVER_LETTER, MAX_NOTE
from foundry.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
)
from foundry.applications.models import ApplicationStatus as S
from foundry.applications.notices import tell_company, tell_student
from foundry.applications.states import OPEN_STATES, Mover, can_move
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.eligibility.rules import approval_blocks, ineligibility_reasons
from foundry.errors import DomainError, InvalidInput, refuse_duplicate
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus
from foundry.students.models import CVDocument, StudentProfile
from foundry.students.services import add_cv, identical_cv


@dataclass(frozen=True)
class NewCV:
    title: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class Submission:
    """What the student sends: one of their CVs (cv_id) or a new one, a letter, answers."""

    cv_id: int | None
    new_cv: NewCV | None
    cover_letter: str
    answers: dict[int, str]


class CannotApply(DomainError):
    """The student may not apply; `reasons` are shown as a list, `existing` is linked."""

    def __init__(
        self,
        message: str,
        reasons: list[str] | None = None,
        existing: Application | None = None,
        status_code: int = 409,
    ):
        super().__init__(message)
        self.reasons = reasons or []
        self.existing = existing
        self.status_code = status_code


def application_of(profile: StudentProfile, posting: Posting) -> Application | None:
    return db.session.scalar(
        sa.select(Application).where(
            Application.profile_id == profile.id, Application.posting_id == posting.id
        )
    )


def check_can_apply(profile: StudentProfile, posting: Posting) -> None:
    """Raise CannotApply unless the student may apply to the posting at this moment."""
    existing = application_of(profile, posting)
    if existing is not None:
        raise CannotApply(_("You have already applied to this posting."), existing=existing)
    if not posting.is_open_for_applications():
        if posting.status is PostingStatus.PUBLISHED:
            raise CannotApply(_("The deadline for this posting has passed."))
        raise CannotApply(_("This posting is not open for applications."))
    reasons = ineligibility_reasons(profile, posting)
    if reasons:
        raise CannotApply(
            _("You are not eligible for this posting."), reasons=reasons, status_code=403
        )
    if approval_blocks(profile, posting):
        raise CannotApply(
            _("Your university has not approved this posting for its students."),
            status_code=403,
        )


def _frozen_answers(posting: Posting, answers: dict[int, str]) -> list[dict]:
    frozen = []
    for question in posting.questions:
        answer = (answers.get(question.id) or "").strip()
        if question.required and not answer:
            raise InvalidInput(_("Answer every required question."))
        if len(answer) > MAX_ANSWER:
            raise InvalidInput(_("Keep each answer to 2,000 characters."))
        frozen.append(
            {"question": question.prompt, "answer": answer, "required": question.required}
        )
    return frozen


def _cv_to_send(actor: User, profile: StudentProfile, submission: Submission) -> CVDocument:
    if submission.new_cv is not None:
        new = submission.new_cv
        # The same PDF again (picked from disk rather than from the list): send the copy
        # the student already keeps instead of storing it twice.
        return identical_cv(profile, new.content) or add_cv(
            actor, profile, new.title, new.filename, new.content
        )
    cv = db.session.get(CVDocument, submission.cv_id) if submission.cv_id else None
    if cv is None or cv.profile_id != profile.id:
        raise InvalidInput(_("Choose one of your own CVs, or upload a new one."))
    return cv


def _already_applied(posting_id: int, profile_id: int) -> CannotApply | None:
    """The refusal of a submit that lost the race to a concurrent one (None when no
    application holds the key: then the conflict was another one)."""
    existing = db.session.scalar(
        sa.select(Application).where(
            Application.posting_id == posting_id, Application.profile_id == profile_id
        )
    )
    if existing is None:
        return None
    return CannotApply(_("You have already applied to this posting."), existing=existing)


def submit_application(
    actor: User, profile: StudentProfile, posting: Posting, submission: Submission
) -> Application:
    """Apply `profile` to `posting` with a frozen copy of the CV, letter and answers."""
    check_can_apply(profile, posting)
    answers = _frozen_answers(posting, submission.answers)
    cover_letter = submission.cover_letter.strip()
    if len(cover_letter) > MAX_COVER_LETTER:
        raise InvalidInput(_("Keep the cover letter to 10,000 characters."))
    cv = _cv_to_send(actor, profile, submission)
    application = Application(
        posting_id=posting.id,
        profile_id=profile.id,
        company_id=posting.company_id,
        status=S.SUBMITTED,
        cover_letter=cover_letter,
        answers=answers,
        cv_title=cv.title,
        cv_filename=cv.original_filename,
        cv_size_bytes=cv.size_bytes,
        cv_page_count=cv.page_count,
        cv_sha256=cv.sha256,
        cv_content=cv.content,
    )
    db.session.add(application)
    # The unique (posting, profile) constraint is the final guard against a double
    # submit: a concurrent second insert fails here, and is refused like the first check.
    posting_id, profile_id = posting.id, profile.id
    with refuse_duplicate(lambda _conflict: _already_applied(posting_id, profile_id)):
        db.session.flush()
    db.session.add(
        ApplicationEvent(application_id=application.id, actor_id=actor.id, to_status=S.SUBMITTED)
    )
    record(actor, "application.submitted", application, {"title": posting.title})
    tell_company(
        application,
        "application.submitted",
        email=False,
        name=profile.user.display_name,
        title=posting.title,
    )
    return application


# --- moving along the state machine -------------------------------------------------------


def lock(application: Application) -> None:
    """Lock the application's row until commit and reread its status, so two people
    moving it at once cannot both act on the same old state."""
    db.session.execute(
        sa.select(Application.id).where(Application.id == application.id).with_for_update()
    )
    db.session.refresh(application, ["status"])


def _refusal(application: Application, target: S) -> str:
    current = application.status
    if current is S.WITHDRAWN:
        return _("The student has withdrawn this application; it cannot be moved any more.")
    return _(
        "An application that is “%(current)s” cannot move to “%(target)s”.",
        current=STATUS_LABELS[current],
        target=STATUS_LABELS[target],
    )


def check_company_move(application: Application, target: S) -> None:
    """Raise DomainError, with the reason, unless the company may move the application to
    `target` from its current state (read without a lock: callers decide what to show)."""
    if not can_move(application.status, target, Mover.COMPANY):
        raise DomainError(_refusal(application, target))


def change_status(
    actor: User, application: Application, target: S, mover: Mover, message: str | None = None
) -> ApplicationEvent:
    """Move the application if the state machine lets `mover` do so, and write its history.

    Callers tell the people concerned, since what to say depends on the move."""
    lock(application)
    current = application.status
    if not can_move(current, target, mover):
        raise DomainError(_refusal(application, target))
    application.status = target
    application.status_changed_at = utcnow()
    if target is S.INTERVIEW and application.interviewed_at is None:
        application.interviewed_at = application.status_changed_at
    if target is S.OFFER and application.offered_at is None:
        application.offered_at = application.status_changed_at
    event = ApplicationEvent(
        application_id=application.id,
        actor_id=actor.id,
        from_status=current,
        to_status=target,
        message=(message or "").strip() or None,
    )
    db.session.add(event)
    db.session.flush()
    record(
        actor,
        "application.moved",
        application,
        {"from_status": current, "to_status": target},
        from_status=current.value,
        to_status=target.value,
    )
    return event


def add_message(actor: User, application: Application, message: str) -> ApplicationEvent:
    """A message to the student without a change of status, kept in the timeline."""
    event = ApplicationEvent(
        application_id=application.id,
        actor_id=actor.id,
        from_status=application.status,
        to_status=application.status,
        message=message.strip(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def _tell_student_of_move(application: Application, event: ApplicationEvent) -> None:
    tell_student(
        application,
        "application.moved",
        title=application.posting.title,
        status=event.to_status,
        message=event.message,
    )


def move(actor: User, application: Application, target: S, message: str | None = None) -> None:
    """A recruiter moves one applicant; the student hears of it in-app and by e-mail."""
    if target is S.OFFER:
        raise InvalidInput(_("Use the offer form to make an offer with its terms."))
    event = change_status(actor, application, target, Mover.COMPANY, message)
    _tell_student_of_move(application, event)


def bulk_move(
    actor: User, posting: Posting, application_ids: list[int], target: S, message: str | None
) -> list[Application]:
    """Move every ticked applicant to `target` with one message, or none of them."""
    if target is S.OFFER:
        raise InvalidInput(_("Offers are made one by one, each with its terms."))
    wanted = set(application_ids)
    applications = list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.id.in_(wanted), Application.posting_id == posting.id)
            .order_by(Application.id)
            .with_for_update(of=Application)
            .execution_options(populate_existing=True)
        )
    )
    if not wanted or len(applications) != len(wanted):
        raise InvalidInput(_("Some ticked applicants are not in this posting. Reload and retry."))
    blocked = [a for a in applications if not can_move(a.status, target, Mover.COMPANY)]
    if blocked:
        names = ", ".join(
            f"{a.profile.user.display_name} ({STATUS_LABELS[a.status]})" for a in blocked
        )
        raise DomainError(
            _(
                "Nobody was moved: these applicants cannot move to “%(target)s”: %(names)s.",
                target=STATUS_LABELS[target],
                names=names,
            )
        )
    for application in applications:
        move(actor, application, target, message)
    return applications


def withdraw(actor: User, application: Application, reason: str | None) -> None:
    """The student withdraws an open application; the company hears of it in-app."""
    if application.status not in OPEN_STATES:
        raise DomainError(
            _(
                "This application is “%(status)s”; it can no longer be withdrawn.",
                status=STATUS_LABELS[application.status],
            )
        )
    change_status(actor, application, S.WITHDRAWN, Mover.STUDENT, reason)
    tell_company(
        application,
        "application.withdrawn",
        email=False,
        name=application.profile.user.display_name,
        title=application.posting.title,
        reason=reason or None,
    )


def add_note(actor: User, application: Application, body: str) -> ApplicationNote:
    """A private note on an applicant, seen only by the company's members."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write the note before saving it."))
    if len(body) > MAX_NOTE:
        raise InvalidInput(_("Keep a note to 5,000 characters."))
    note = ApplicationNote(application_id=application.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    record(actor, "application.note_added", application, note_id=note.id)
    return note
