"""The lifecycle of a programme: its organiser writes it and its sessions, publishes it,
and may cancel it with a message to everyone registered.

draft → published → cancelled (a draft may be cancelled too). The park's team runs any
programme; faculty staff those of their faculty; company members those of their company
(foundry.policy decides: "programme.create" over the organiser, "programme.edit" over the
programme). A published programme can still be edited (a venue moves, seats are added);
a cancelled one cannot. Registrations are in registration.py.

Every rule is checked before anything is changed, so a refused action leaves the programme
as it was. Services flush, never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, PermissionDenied
from foundry.extensions import db
from foundry.notifications.services import locale_of, notify
from foundry.policy import can
from foundry.programmes.content import (
    ProgrammeData,
    ProgrammeInputError,
    SessionData,
    apply_programme_data,
    apply_session_data,
    check_programme_data,
    check_session_data,
    universities_and_faculties,
)
from foundry.programmes.limits import CANCELLATION_MESSAGE_MAX, MAX_SESSIONS
from foundry.programmes.models import (
    LIVE_STATUSES,
    Programme,
    ProgrammeFormat,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
)
from foundry.programmes.registration import fill_free_seats, lock_session, place_counts
from foundry.universities.models import Faculty

__all__ = [
    "ProgrammeData",
    "ProgrammeInputError",
    "SessionData",
    "add_session",
    "cancel_programme",
    "create_programme",
    "publish_programme",
    "update_programme",
    "update_session",
]

Organiser = Company | Faculty | None


def _require_organiser(actor: User, programme: Programme) -> None:
    if not can(actor, "programme.edit", programme):
        raise PermissionDenied(_("Only the programme's organisers can change it."))


def _require_not_cancelled(programme: Programme) -> None:
    if programme.status is ProgrammeStatus.CANCELLED:
        raise DomainError(_("This programme has been cancelled; it can no longer be changed."))


# --- the programme --------------------------------------------------------------------------


def create_programme(actor: User, organiser: Organiser, data: ProgrammeData) -> Programme:
    """Save a draft programme organised by `organiser` (a company, a faculty, or None for
    the park)."""
    if not can(actor, "programme.create", organiser):
        raise PermissionDenied(_("You cannot organise programmes for this organiser."))
    data = check_programme_data(data)
    universities, faculties = universities_and_faculties(data)
    programme = Programme(
        status=ProgrammeStatus.DRAFT,
        created_by_id=actor.id,
        organiser_company=organiser if isinstance(organiser, Company) else None,
        organiser_faculty=organiser if isinstance(organiser, Faculty) else None,
    )
    apply_programme_data(programme, data, universities, faculties)
    db.session.add(programme)
    db.session.flush()
    record(actor, "programme.created", programme, {"title": programme.title_en})
    return programme


def update_programme(actor: User, programme: Programme, data: ProgrammeData) -> None:
    """Change what the programme says. Registrations already made stay, even when the
    eligibility narrows."""
    _require_organiser(actor, programme)
    _require_not_cancelled(programme)
    data = check_programme_data(data)
    universities, faculties = universities_and_faculties(data)
    if programme.status is ProgrammeStatus.PUBLISHED:
        _check_ready(programme, data.format, data.venue, data.join_link)
    apply_programme_data(programme, data, universities, faculties)
    db.session.flush()
    record(actor, "programme.updated", programme, {"title": programme.title_en})


def _check_ready(programme: Programme, format_, venue, join_link) -> None:
    """What a published programme must say: where it happens, in person or online."""
    if format_ is not ProgrammeFormat.VIRTUAL and venue is None:
        raise ProgrammeInputError(_("Give the venue of a programme held in person."), "venue")
    if format_ is not ProgrammeFormat.IN_PERSON and join_link is None:
        raise ProgrammeInputError(_("Give the join link of a programme held online."), "join_link")


def publish_programme(actor: User, programme: Programme) -> None:
    """Draft → published: students can find it and register within its window."""
    _require_organiser(actor, programme)
    if programme.status is not ProgrammeStatus.DRAFT:
        raise DomainError(_("Only a draft programme can be published."))
    company = programme.organiser_company
    if company is not None and not company.is_verified:
        raise DomainError(
            _("Your company must be verified by the park before it publishes programmes.")
        )
    _check_ready(programme, programme.format, programme.venue, programme.join_link)
    now = utcnow()
    if not any(session.starts_at > now for session in programme.sessions):
        raise DomainError(_("Add at least one session in the future before publishing."))
    if programme.registration_closes_at <= now:
        raise DomainError(_("Registration would already be closed. Choose a later closing time."))
    programme.status = ProgrammeStatus.PUBLISHED
    programme.published_at = now
    db.session.flush()
    record(actor, "programme.published", programme, {"title": programme.title_en})


def cancel_programme(actor: User, programme: Programme, message: str) -> int:
    """Cancel the programme and tell everyone registered or waiting, in-app and by e-mail,
    with the organiser's message. Returns how many were told."""
    _require_organiser(actor, programme)
    _require_not_cancelled(programme)
    message = (message or "").strip()
    if not message:
        raise ProgrammeInputError(
            _("Say why the programme is cancelled: everyone registered reads it."), "message"
        )
    if len(message) > CANCELLATION_MESSAGE_MAX:
        raise ProgrammeInputError(_("Keep the message to 1,000 characters."), "message")
    # Lock every session (in id order, as every path does) so that a registration racing
    # the cancellation either lands before it, and is told, or sees it cancelled.
    for session in sorted(programme.sessions, key=lambda s: s.id):
        lock_session(session)
    programme.status = ProgrammeStatus.CANCELLED
    programme.cancelled_at = utcnow()
    programme.cancellation_message = message
    db.session.flush()
    record(actor, "programme.cancelled", programme, {"title": programme.title_en})
    registrations = db.session.scalars(
        sa.select(Registration)
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .where(ProgrammeSession.programme_id == programme.id)
        .where(Registration.status.in_(LIVE_STATUSES))
        .order_by(Registration.id)
    ).all()
    told = set()
    for registration in registrations:
        user = registration.profile.user
        if user.id in told:  # registered for two of its sessions: one message
            continue
        told.add(user.id)
        notify(user, "programme.cancelled", title=programme.title(locale_of(user)), message=message)
    return len(told)


# --- sessions -------------------------------------------------------------------------------


def add_session(actor: User, programme: Programme, data: SessionData) -> ProgrammeSession:
    """Add a session in the future to a programme that is not cancelled."""
    _require_organiser(actor, programme)
    _require_not_cancelled(programme)
    data = check_session_data(data)
    if data.starts_at <= utcnow():
        raise ProgrammeInputError(_("A new session must start in the future."), "starts_at")
    if len(programme.sessions) >= MAX_SESSIONS:
        raise DomainError(_("A programme has at most %(n)d sessions.", n=MAX_SESSIONS))
    session = ProgrammeSession(programme=programme)
    apply_session_data(session, data)
    db.session.add(session)
    db.session.flush()
    record(actor, "programme.session_added", session, {"title": programme.title_en})
    return session


def update_session(actor: User, session: ProgrammeSession, data: SessionData) -> None:
    """Change a session that has not started. Seats are never taken from the registered;
    seats added go to the waitlist first, in order."""
    programme = session.programme
    _require_organiser(actor, programme)
    _require_not_cancelled(programme)
    data = check_session_data(data)
    lock_session(session)
    if session.starts_at <= utcnow():
        raise DomainError(_("This session has started; it can no longer be changed."))
    registered, _waiting = place_counts(session)
    if data.capacity < registered:
        raise ProgrammeInputError(
            _(
                "Seats taken in this session: %(n)d. Give it at least that many.",
                n=registered,
            ),
            "capacity",
        )
    apply_session_data(session, data)
    db.session.flush()
    record(actor, "programme.session_updated", session, {"title": programme.title_en})
    fill_free_seats(session)
