"""Walk-ins: the organiser registers a student at the door, by e-mail or student number,
while seats remain, and checks them in at once.

Why not registration.register(): it refuses once registration has closed or the session
has started, which is exactly when people walk in. The capacity rule is the same one,
through the same primitives: take the session's lock, then count (registration.lock_session,
place_counts). Before the session starts a walk-in takes a seat only when nobody waits
(the waitlist is promoted first, as for any newcomer); once it has started the waitlist no
longer moves (registration.fill_free_seats), so any free seat goes to who is at the door. A
student already on the waitlist who turns up takes a free seat the same way.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.eligibility.rules import ineligibility_reasons
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.programmes import registration as seats
from foundry.programmes.checkin import (
    CheckInRefused,
    CheckInResult,
    Scan,
    check_in_window,
    record_attendance,
    require_check_in,
    seat_of,
)
from foundry.programmes.checkin_models import CheckInMethod
from foundry.programmes.models import ProgrammeSession, ProgrammeStatus, Registration
from foundry.students.models import StudentProfile

IDENTIFIER_MAX = 254


def find_student(identifier: str) -> StudentProfile:
    """The student with this e-mail address or student number."""
    typed = (identifier or "").strip()
    if not typed or len(typed) > IDENTIFIER_MAX:
        raise InvalidInput(_("Type the student's e-mail address or student number."))
    if "@" in typed:
        query = sa.select(StudentProfile).join(User, User.id == StudentProfile.user_id)
        found = list(db.session.scalars(query.where(User.email == typed.lower())))
    else:
        found = list(
            db.session.scalars(
                sa.select(StudentProfile).where(StudentProfile.student_number == typed).limit(2)
            )
        )
    if not found:
        raise CheckInRefused(_("No student has that e-mail address or student number."))
    if len(found) > 1:
        raise CheckInRefused(
            _("Two universities use that student number: type the e-mail address instead.")
        )
    return found[0]


def walk_in(actor: User, session: ProgrammeSession, identifier: str) -> CheckInResult:
    """Register the student at the door if a seat remains, and check them in."""
    require_check_in(actor, session)
    profile = find_student(identifier)
    seats.lock_session(session)  # lock first, then count
    programme, now = session.programme, utcnow()
    opens, closes = check_in_window(session)
    if programme.status is not ProgrammeStatus.PUBLISHED or not opens <= now < min(
        closes, session.ends_at
    ):
        raise CheckInRefused(_("Walk-ins are taken only at the door, while the session is on."))
    reasons = ineligibility_reasons(profile, programme)
    if reasons:
        raise CheckInRefused(
            _(
                "%(name)s is not eligible: %(reasons)s",
                name=profile.user.display_name,
                reasons="; ".join(str(r) for r in reasons),
            )
        )
    existing = seats.live_registration(profile, session)
    method = CheckInMethod.LIST  # already holding a seat: simply checked in
    if existing is None or existing.status is not seats.REGISTERED:
        registered, waiting = seats.place_counts(session)
        if existing is not None:
            waiting -= 1  # the one at the door leaves the waitlist for the seat
        still_promoting = now < session.starts_at
        if registered >= session.capacity or (still_promoting and waiting > 0):
            raise CheckInRefused(_("No seat is left in this session."))
        existing, method = _seat(profile, session, existing), CheckInMethod.WALK_IN
        record(
            actor,
            "programme.walk_in",
            existing,
            {"title": programme.title_en, "name": profile.user.display_name},
        )
    (result,) = record_attendance(actor, session, [(seat_of(existing), Scan(method))])
    return result


def _seat(
    profile: StudentProfile, session: ProgrammeSession, waiting: Registration | None
) -> Registration:
    if waiting is not None:
        waiting.status = seats.REGISTERED
        waiting.promoted_at = utcnow()
        db.session.flush()
        return waiting
    session.last_sequence += 1
    registration = Registration(
        session_id=session.id,
        profile_id=profile.id,
        status=seats.REGISTERED,
        sequence=session.last_sequence,
    )
    db.session.add(registration)
    db.session.flush()
    return registration
