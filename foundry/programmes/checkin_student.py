"""The student's side of check-in: self check-in from their signed-in phone while the
organiser has it open, and virtual attendance recorded when they open the join link through
the portal. The organiser's switch for self check-in is here too."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import NotFound, PermissionDenied
from foundry.extensions import db
from foundry.policy import can
from foundry.programmes.checkin import (
    CheckInRefused,
    CheckInResult,
    Scan,
    check_window,
    record_attendance,
    require_check_in,
    seat_of,
)
from foundry.programmes.checkin_models import Attendance, CheckInMethod, SessionCheckIn
from foundry.programmes.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile

# Opening the join link counts as attending from this long before the session starts.
VIRTUAL_ATTENDANCE_FROM = timedelta(minutes=30)


def self_check_in_is_open(session: ProgrammeSession) -> bool:
    switch = db.session.get(SessionCheckIn, session.id)
    return bool(switch and switch.self_check_in_open)


def set_self_check_in(actor: User, session: ProgrammeSession, is_open: bool) -> None:
    """The organiser opens (or closes) self check-in for the session."""
    require_check_in(actor, session)
    switch = db.session.get(SessionCheckIn, session.id)
    if switch is None:
        switch = SessionCheckIn(session_id=session.id)
        db.session.add(switch)
    switch.self_check_in_open = is_open
    switch.updated_at = utcnow()
    switch.updated_by_id = actor.id
    db.session.flush()
    params = {"title": session.programme.title_en}
    if is_open:
        record(actor, "programme.self_check_in_opened", session, params)
    else:
        record(actor, "programme.self_check_in_closed", session, params)


def attendance_of(registration: Registration) -> Attendance | None:
    return db.session.scalar(
        sa.select(Attendance).where(Attendance.registration_id == registration.id)
    )


def self_check_in(actor: User, registration: Registration) -> CheckInResult:
    """The student checks themself in, while the organiser has self check-in open."""
    if not can(actor, "programme.self_check_in", registration):
        raise PermissionDenied(_("You can check in only with your own ticket."))
    session = registration.session
    if registration.status is not RegistrationStatus.REGISTERED:
        raise CheckInRefused(_("Only a registration with a seat can be checked in."))
    if not self_check_in_is_open(session):
        raise CheckInRefused(
            _("Self check-in is not open for this session. Show your ticket at the door.")
        )
    check_window(session, utcnow())
    (result,) = record_attendance(
        actor, session, [(seat_of(registration), Scan(CheckInMethod.SELF))]
    )
    return result


def join_link_for(actor: User, programme: Programme) -> str:
    """The programme's join link, for a student registered (with a seat) in one of its
    sessions; opening it during the session records their virtual attendance. Anyone else
    is told the page does not exist, so the link's existence is not given away either."""
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == actor.id))
    if profile is None or not programme.join_link or programme.format is ProgrammeFormat.IN_PERSON:
        raise NotFound(_("There is no join link for you here."))
    registrations = list(
        db.session.scalars(
            sa.select(Registration)
            .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
            .where(
                ProgrammeSession.programme_id == programme.id,
                Registration.profile_id == profile.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
            .order_by(ProgrammeSession.starts_at)
        )
    )
    if not registrations or not can(actor, "programme.join", registrations[0]):
        raise NotFound(_("There is no join link for you here."))
    now = utcnow()
    for registration in registrations:
        session = registration.session
        if session.starts_at - VIRTUAL_ATTENDANCE_FROM <= now < session.ends_at:
            record_attendance(
                actor, session, [(seat_of(registration), Scan(CheckInMethod.VIRTUAL))]
            )
            break
    return programme.join_link
