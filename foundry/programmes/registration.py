"""Registering for a session, giving the place up, and the waitlist.

Never overbooks: every change to a session's places first takes the session's row lock and
only then counts (lock first, then count), so any number of students racing for the last
seats get exactly the seats there are. The waitlist counts against availability: while
anyone waits, a newcomer joins the end of the waitlist even if a seat looks free.

Promotion policy: direct registration. When a seat frees (a registered student cancels, or
the organiser adds seats), the first student on the waitlist, strictly by arrival
(`Registration.sequence`), is registered at once and told in-app and by e-mail, in the same
transaction as the promotion. No offer is held open for them: they cancel like anyone else
if they no longer want it (until the cut-off).

Cut-offs: a registered student may cancel until `cancellation_cutoff_hours` before their
session starts; leaving the waitlist takes no seat from anyone, so it is allowed until the
session starts.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.eligibility.rules import ineligibility_reasons
from foundry.errors import DomainError, PermissionDenied, refuse_duplicate
from foundry.extensions import db
from foundry.i18n import format_moment
from foundry.notifications.services import locale_of, notify
from foundry.policy import can
from foundry.programmes.models import (
    LIVE_STATUSES,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile

REGISTERED, WAITLISTED = RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED


class CannotRegister(DomainError):
    """The student may not register; `reasons` (eligibility) are shown as a list."""

    def __init__(self, message: str, reasons: list[str] | None = None, status_code: int = 409):
        super().__init__(message)
        self.reasons = reasons or []
        self.status_code = status_code


# --- the lock and the counts ----------------------------------------------------------------


def lock_session(session: ProgrammeSession) -> None:
    """Hold the session's row lock until the transaction ends, then read the session and its
    programme's columns again (a concurrent change committed before the lock is seen).

    Two statements: on PostgreSQL a SELECT that waited for a row lock returns the locked
    row as last committed but every other row it joins as it was when the statement began
    (READ COMMITTED), so a cancellation committed while it waited would go unseen; the
    programme is read by a statement of its own, after the lock. Its eligibility lists are
    not read again (the lock guards seats): a caller that reads them after the lock reads
    them then.

    PostgreSQL: SELECT ... FOR UPDATE on the session's row. SQLite has one writer at a time
    but ignores FOR UPDATE, and its driver begins a transaction only at the first write, so
    two requests could both count the same free seat before either writes: a write that
    changes nothing takes the database's write lock first, and the counts follow it."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.refresh(session, _columns(ProgrammeSession), with_for_update=True)
    else:
        db.session.execute(
            sa.update(ProgrammeSession)
            .where(ProgrammeSession.id == session.id)
            .values(last_sequence=ProgrammeSession.last_sequence)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(session, _columns(ProgrammeSession))
    # Columns only: refreshing a relationship (or loading with populate_existing, which
    # later lazy loads of the object inherit) would read the eligibility lists again.
    db.session.refresh(session.programme, _columns(Programme))


def _columns(model) -> list[str]:
    return [column.key for column in sa.inspect(model).column_attrs]


def place_counts(session: ProgrammeSession) -> tuple[int, int]:
    """(registered, waitlisted) in the session; exact only under lock_session()."""
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count())
        .where(Registration.session_id == session.id, Registration.status.in_(LIVE_STATUSES))
        .group_by(Registration.status)
    )
    counts = {status: number for status, number in rows}
    return counts.get(REGISTERED, 0), counts.get(WAITLISTED, 0)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when the registration is not on the waitlist."""
    if registration.status is not WAITLISTED:
        return None
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.session_id == registration.session_id,
            Registration.status == WAITLISTED,
            Registration.sequence <= registration.sequence,
        )
    )


def live_registration(profile: StudentProfile, session: ProgrammeSession) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.session_id == session.id,
            Registration.profile_id == profile.id,
            Registration.status.in_(LIVE_STATUSES),
        )
    )


def _holds_a_place(profile: StudentProfile, session: ProgrammeSession) -> bool:
    return (
        db.session.scalar(
            sa.select(Registration.id).where(
                Registration.session_id == session.id,
                Registration.profile_id == profile.id,
                Registration.status.in_(LIVE_STATUSES),
            )
        )
        is not None
    )


# --- registering ----------------------------------------------------------------------------


def check_can_register(profile: StudentProfile, session: ProgrammeSession) -> None:
    """Raise CannotRegister unless the student may register for the session now (full
    sessions aside, which only the count under the lock can tell)."""
    check_still_open(session)
    if _holds_a_place(profile, session):
        raise CannotRegister(_("You are already registered for this session."))
    reasons = ineligibility_reasons(profile, session.programme)
    if reasons:
        raise CannotRegister(
            _("You are not eligible for this programme."), reasons=reasons, status_code=403
        )


def check_still_open(session: ProgrammeSession) -> None:
    """Raise CannotRegister unless the programme is published, inside its registration
    window, and the session not started: from the columns already read, no statement."""
    programme, now = session.programme, utcnow()
    if programme.status is ProgrammeStatus.CANCELLED:
        raise CannotRegister(_("This programme has been cancelled."))
    if programme.status is not ProgrammeStatus.PUBLISHED:
        raise CannotRegister(_("This programme is not open for registration."), status_code=404)
    if now < programme.registration_opens_at:
        raise CannotRegister(
            _(
                "Registration opens at %(time)s (Hong Kong time).",
                time=format_moment(programme.registration_opens_at),
            )
        )
    if now >= programme.registration_closes_at:
        raise CannotRegister(_("Registration for this programme has closed."))
    if now >= session.starts_at:
        raise CannotRegister(_("This session has already started."))


def register(actor: User, profile: StudentProfile, session: ProgrammeSession) -> Registration:
    """Give the student a seat, or the next place on the waitlist when anyone waits or no
    seat is left; refuse when the session is full and keeps no waitlist.

    Everyone registering for a session waits for the one ahead of them to commit, so the
    lock is taken as late as possible: eligibility and a place already held are checked
    first (a duplicate that races past the check meets the unique index), and under the
    lock only what another transaction may just have changed is read again (the session's
    seats and the programme's status and window, in the locking statement), then the
    count, the writes and the messages."""
    if not can(actor, "programme.register", profile):
        raise PermissionDenied(_("You can register only yourself for a programme."))
    check_can_register(profile, session)
    lock_session(session)
    check_still_open(session)
    registered, waiting = place_counts(session)
    if registered < session.capacity and waiting == 0:
        status, position = REGISTERED, None
    elif session.waitlist_enabled:
        # Under the lock everyone waiting came first: this place is the next one.
        status, position = WAITLISTED, waiting + 1
    else:
        raise CannotRegister(_("This session is full, and it keeps no waitlist."))
    session.last_sequence += 1
    registration = Registration(
        session_id=session.id, profile_id=profile.id, status=status, sequence=session.last_sequence
    )
    db.session.add(registration)
    # Under the lock a duplicate cannot come from this code; the partial unique index is the
    # last guard, and any other conflict (a sequence taken) goes on as the error it is.
    session_id, profile_id = session.id, profile.id
    with refuse_duplicate(lambda _conflict: _already_registered(profile_id, session_id)):
        db.session.flush()
    programme = session.programme
    title = programme.title(locale_of(profile.user))
    if status is REGISTERED:
        record(actor, "programme.registered", registration, {"title": programme.title_en})
        notify(profile.user, "programme.registered", title=title, when=session.starts_at)
    else:
        record(
            actor,
            "programme.waitlisted",
            registration,
            {"title": programme.title_en, "position": position},
        )
        notify(profile.user, "programme.waitlisted", title=title, position=position)
    return registration


def _already_registered(profile_id: int, session_id: int) -> CannotRegister | None:
    """The refusal of a registration that lost to a concurrent one of the same student."""
    exists = db.session.scalar(
        sa.select(Registration.id).where(
            Registration.session_id == session_id,
            Registration.profile_id == profile_id,
            Registration.status.in_(LIVE_STATUSES),
        )
    )
    return CannotRegister(_("You are already registered for this session.")) if exists else None


# --- giving a place up, and the waitlist moving up ------------------------------------------


def cancel_registration(actor: User, registration: Registration) -> list[Registration]:
    """The student gives up their seat (until the cut-off) or their waitlist place (until
    the session starts). A freed seat goes to the first on the waitlist; returns the
    registrations promoted."""
    if not can(actor, "programme.cancel_registration", registration):
        raise PermissionDenied(_("You can cancel only your own registration."))
    session = registration.session
    lock_session(session)
    db.session.refresh(registration)
    if not registration.is_live:
        raise DomainError(_("This registration is already cancelled."))
    now = utcnow()
    held_a_seat = registration.status is REGISTERED
    if held_a_seat and now >= session.cancellation_closes_at():
        raise DomainError(
            _(
                "Cancellations for this session closed at %(time)s (Hong Kong time). "
                "Contact the organiser if you cannot come.",
                time=format_moment(session.cancellation_closes_at()),
            )
        )
    if not held_a_seat and now >= session.starts_at:
        raise DomainError(_("This session has already started."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    title = session.programme.title_en
    record(actor, "programme.registration_cancelled", registration, {"title": title})
    return fill_free_seats(session) if held_a_seat else []


def fill_free_seats(session: ProgrammeSession) -> list[Registration]:
    """Register the first on the waitlist, by arrival, into every free seat, and tell each
    of them. The caller holds the session's lock (lock_session)."""
    programme, now = session.programme, utcnow()
    if programme.status is not ProgrammeStatus.PUBLISHED or now >= session.starts_at:
        return []
    registered, waiting = place_counts(session)
    free = min(session.capacity - registered, waiting)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.session_id == session.id, Registration.status == WAITLISTED)
            .order_by(Registration.sequence)
            .limit(free)
        )
    )
    for registration in promoted:
        registration.status = REGISTERED
        registration.promoted_at = now
    db.session.flush()
    for registration in promoted:
        user = registration.profile.user
        record(None, "programme.promoted", registration, {"title": programme.title_en})
        notify(
            user,
            "programme.promoted",
            title=programme.title(locale_of(user)),
            when=session.starts_at,
        )
    return promoted
