"""Check-in at the door: tickets, scans, codes, the list, and the offline scanner's sync.

Design
------
- **One attendance per registration** (`programme_attendances.registration_id` unique),
  however many times it is scanned: the first scan that reaches the database wins; every
  later one is answered "already checked in at 10:02" (HKT). Each attendance says how
  (scan, code, list, self, virtual, walk-in), when the person came in, who recorded it and,
  for a scan queued offline, the scanner's client id and the scan's id.
- **Tickets**: a registration's ticket (`programme_tickets`, made the first time it is
  needed) holds a typed code, unique in its session, and a version. The QR code carries a
  token signed with Ed25519 (checkin_tokens.py) naming programme, session, registration
  and version: the check-in page verifies it in the browser with the public key it
  downloaded with the attendee list, so a scan is judged while the Wi-Fi is down. The
  server judges it again when the scan arrives: a forged token, one of another session or
  programme, one whose registration was cancelled (revoked) or whose version was replaced
  is refused with its reason.
- **Offline sync is idempotent**: the page queues every scan with a scan id and its
  client id and posts batches (at most MAX_SYNC_BATCH) to the sync endpoint. Each batch is
  checked as a whole first (a malformed batch is a 400 and writes nothing), then item by
  item (a garbage item gets its own error, the others go on). The attendances are written
  by one INSERT ... ON CONFLICT DO NOTHING on the registration, so a scan synced twice,
  or two scanners who checked the same person, leave one attendance and both succeed; a
  replayed scan is recognised by its (client id, scan id). No lock is taken: the unique
  index decides, on both engines, whatever the order the batches arrive in.
- **When**: check-in opens CHECK_IN_OPENS_BEFORE a session starts and closes
  CHECK_IN_CLOSES_AFTER it ends; an offline scan counts at the time it was made (not in the
  future, and within the window), so a sync an hour late still records 10:02.
- Self check-in (a switch per session), virtual attendance through the join redirect and
  walk-ins are in checkin_student.py and checkin_walkin.py; they record through record_attendance().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.errors import DomainError, PermissionDenied
from foundry.extensions import db
from foundry.i18n import format_clock, format_moment
from foundry.policy import can
from foundry.programmes import checkin_tokens as tokens
from foundry.programmes.checkin_models import (
    Attendance,
    CheckInMethod,
    Ticket,
)
from foundry.programmes.models import (
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile

CHECK_IN_OPENS_BEFORE = timedelta(hours=12)
CHECK_IN_CLOSES_AFTER = timedelta(hours=12)
# A scanner's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
_CODE_ATTEMPTS = 5


class CheckInRefused(DomainError):
    """The scan, code or name cannot be checked in; the message says why."""

    status_code = 409


@dataclass(frozen=True)
class CheckInResult:
    registration_id: int
    attendance: Attendance
    newly: bool  # False: the person had been checked in before (by another scan)
    name: str

    @property
    def message(self) -> str:
        if self.newly:
            return _("%(name)s is checked in.", name=self.name)
        return already_message(self.name, self.attendance)


def already_message(name: str, attendance: Attendance) -> str:
    return _(
        "%(name)s is already checked in, at %(time)s.",
        name=name,
        time=format_clock(attendance.checked_in_at),
    )


def check_in_window(session: ProgrammeSession) -> tuple[datetime, datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at + CHECK_IN_CLOSES_AFTER


def check_window(session: ProgrammeSession, moment: datetime) -> None:
    """Refuse a check-in at `moment` outside the session's window, or at a programme that
    has been cancelled (nobody is expected: a scan there is a mistake)."""
    if session.programme.status is ProgrammeStatus.CANCELLED:
        raise CheckInRefused(_("This programme has been cancelled: nobody is checked in."))
    opens, closes = check_in_window(session)
    if moment < opens:
        raise CheckInRefused(
            _("Check-in for this session opens at %(time)s.", time=format_moment(opens))
        )
    if moment >= closes:
        raise CheckInRefused(
            _("Check-in for this session closed at %(time)s.", time=format_moment(closes))
        )


def require_check_in(actor: User, session: ProgrammeSession) -> None:
    if not can(actor, "programme.check_in", session.programme):
        raise PermissionDenied(_("Only the programme's organisers can check people in."))


# --- tickets --------------------------------------------------------------------------------


def ensure_tickets(session: ProgrammeSession, registration_ids: list[int] | None = None) -> None:
    """Give every registered person of the session (or those named) a ticket. Two
    requests doing it at once, or a code drawn twice, lose to the unique indexes and
    draw again; no lock is taken."""
    insert = _insert_for_dialect()
    for _attempt in range(_CODE_ATTEMPTS):
        query = (
            sa.select(Registration.id)
            .outerjoin(Ticket, Ticket.registration_id == Registration.id)
            .where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Ticket.registration_id.is_(None),
            )
        )
        if registration_ids is not None:
            query = query.where(Registration.id.in_(registration_ids))
        missing = list(db.session.scalars(query))
        if not missing:
            return
        rows = [
            {"registration_id": rid, "session_id": session.id, "code": tokens.new_code()}
            for rid in missing
        ]
        db.session.execute(insert(Ticket.__table__).values(rows).on_conflict_do_nothing())
    raise DomainError(_("Tickets could not be made just now. Try again."))


def free_code(session_id: int) -> str:
    """A typed code no ticket of the session holds (31^7 codes: a second draw is already
    rare); DomainError after _CODE_ATTEMPTS draws."""
    for _attempt in range(_CODE_ATTEMPTS):
        code = tokens.new_code()
        taken = sa.select(Ticket.registration_id).where(
            Ticket.session_id == session_id, Ticket.code == code
        )
        if db.session.scalar(taken) is None:
            return code
    raise DomainError(_("A new ticket could not be made just now. Try again."))


def ticket_of(registration: Registration) -> Ticket:
    """The registration's ticket (made now if it has none). Only a seat has a ticket."""
    if registration.status is not RegistrationStatus.REGISTERED:
        raise CheckInRefused(_("Only a registration with a seat has a ticket."))
    ensure_tickets(registration.session, [registration.id])
    return db.session.get(Ticket, registration.id)


def token_of(registration: Registration, ticket: Ticket) -> str:
    return tokens.sign(
        tokens.TokenClaims(
            programme_id=registration.session.programme_id,
            session_id=registration.session_id,
            registration_id=registration.id,
            version=ticket.version,
            issued_at=int(utcnow().timestamp()),
        )
    )


# --- recognising what was scanned or typed ---------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """One thing to check in: exactly one of token, code or registration_id."""

    method: CheckInMethod
    token: str | None = None
    code: str | None = None
    registration_id: int | None = None
    scanned_at: datetime | None = None
    client_id: str | None = None
    scan_id: str | None = None


def _refusal_for_token(session: ProgrammeSession, token: str) -> tuple[int, int]:
    """(registration id, version) a token names, or CheckInRefused saying what is wrong."""
    try:
        claims = tokens.verify(token)
    except tokens.BadToken:
        raise CheckInRefused(
            _("This is not a valid ticket: its signature does not match.")
        ) from None
    if claims.programme_id != session.programme_id:
        raise CheckInRefused(_("This ticket is for another programme."))
    if claims.session_id != session.id:
        raise CheckInRefused(_("This ticket is for another session of this programme."))
    return claims.registration_id, claims.version


class Seat(NamedTuple):
    """What check-in needs of a registration: read as plain columns, fast in bulk."""

    id: int
    status: RegistrationStatus
    version: int | None
    name: str


def seat_of(registration: Registration) -> Seat:
    return Seat(registration.id, registration.status, None, registration.profile.user.display_name)


def resolve(session: ProgrammeSession, scans: list[Scan]) -> list[Seat | Exception]:
    """For each scan, the seat it names in this session, or the refusal (one query)."""
    wanted: list[tuple[int | None, int | None, str | None] | Exception] = []
    for scan in scans:
        try:
            if scan.token is not None:
                rid, version = _refusal_for_token(session, scan.token)
                wanted.append((rid, version, None))
            elif scan.code is not None:
                code = tokens.normalise_code(scan.code)
                if not tokens.looks_like_code(code):
                    raise CheckInRefused(_("No ticket of this session has that code."))
                wanted.append((None, None, code))
            else:
                wanted.append((scan.registration_id, None, None))
        except CheckInRefused as refusal:
            wanted.append(refusal)
    ids = {w[0] for w in wanted if isinstance(w, tuple) and w[0] is not None}
    codes = {w[2] for w in wanted if isinstance(w, tuple) and w[2] is not None}
    found = db.session.execute(
        sa.select(
            Registration.id, Registration.status, Ticket.version, User.display_name, Ticket.code
        )
        .join(StudentProfile, StudentProfile.id == Registration.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(Ticket, Ticket.registration_id == Registration.id)
        .where(
            Registration.session_id == session.id,
            sa.or_(Registration.id.in_(ids), Ticket.code.in_(codes)),
        )
    ).all()
    by_id = {row[0]: Seat(*row[:4]) for row in found}
    by_code = {row[4]: Seat(*row[:4]) for row in found if row[4] is not None}
    resolved: list[Seat | Exception] = []
    for want in wanted:
        if isinstance(want, Exception):
            resolved.append(want)
            continue
        rid, version, code = want
        seat = by_code.get(code) if code is not None else by_id.get(rid)
        resolved.append(_judge(seat, version, by_code=code is not None))
    return resolved


def _judge(seat: Seat | None, version: int | None, *, by_code: bool) -> Seat | Exception:
    if seat is None:
        if by_code:
            return CheckInRefused(_("No ticket of this session has that code."))
        return CheckInRefused(_("This ticket is not one of this session's registrations."))
    if seat.status is RegistrationStatus.CANCELLED:
        return CheckInRefused(_("This registration was cancelled: the ticket is no longer valid."))
    if seat.status is RegistrationStatus.WAITLISTED:
        return CheckInRefused(_("This person is on the waitlist and has no seat."))
    if version is not None and seat.version != version:
        return CheckInRefused(_("This ticket was replaced by a newer one."))
    return seat


# --- recording ----------------------------------------------------------------------------


def _insert_for_dialect():
    on_postgresql = db.session.get_bind().dialect.name == "postgresql"
    return postgresql.insert if on_postgresql else sqlite.insert


def record_attendance(
    actor: User | None, session: ProgrammeSession, items: list[tuple[Seat, Scan]]
) -> list[CheckInResult]:
    """Write an attendance for each seat that has none (one statement, however many), and
    say for each item whether it was this scan that checked the person in."""
    if not items:
        return []
    now, actor_id = utcnow(), (actor.id if actor else None)
    rows, seen = [], set()
    for seat, scan in items:
        if seat.id in seen:
            continue
        seen.add(seat.id)
        rows.append(
            {
                "registration_id": seat.id,
                "session_id": session.id,
                "method": scan.method,
                "checked_in_at": scan.scanned_at or now,
                "recorded_at": now,
                "recorded_by_id": actor_id,
                "client_id": scan.client_id,
                "scan_id": scan.scan_id,
            }
        )
    statement = _insert_for_dialect()(Attendance.__table__).on_conflict_do_nothing(
        index_elements=["registration_id"]
    )
    db.session.execute(statement, rows)  # executemany: compiled once, whatever the batch
    attendances = {
        a.registration_id: a
        for a in db.session.scalars(
            sa.select(Attendance)
            .where(Attendance.registration_id.in_(seen))
            .execution_options(populate_existing=True)
        )
    }
    results, claimed = [], set()
    for seat, scan in items:
        attendance = attendances[seat.id]
        if scan.scan_id is not None:  # an offline scan is itself when its ids match
            mine = (attendance.client_id, attendance.scan_id) == (scan.client_id, scan.scan_id)
        else:
            mine = attendance.recorded_at == now and attendance.recorded_by_id == actor_id
        newly = mine and seat.id not in claimed
        claimed.add(seat.id)
        results.append(CheckInResult(seat.id, attendance, newly, seat.name))
    return results


def check_in(actor: User, session: ProgrammeSession, scan: Scan) -> CheckInResult:
    """Check one person in now (the page online, or its forms without JavaScript)."""
    require_check_in(actor, session)
    check_window(session, utcnow())
    (found,) = resolve(session, [scan])
    if isinstance(found, Exception):
        raise found
    (result,) = record_attendance(actor, session, [(found, scan)])
    return result
