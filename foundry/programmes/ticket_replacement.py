"""A lost or shared ticket replaced by its student: a new typed code and a higher version,
so the old QR code and the old code are refused at the door from that moment (by the
server at once; by an organiser's phone offline once it has downloaded the list again, and
by the server again when its queued scans sync). Until the session ends, and not once the
student is checked in (there is nothing left to let in)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import DomainError, PermissionDenied
from foundry.extensions import db
from foundry.policy import can
from foundry.programmes.checkin import free_code, ticket_of
from foundry.programmes.checkin_models import Attendance, Ticket
from foundry.programmes.models import Registration


def may_replace(registration: Registration, checked_in: bool) -> bool:
    """Whether the ticket page offers a replacement."""
    return not checked_in and utcnow() < registration.session.ends_at


def replace_ticket(actor: User, registration: Registration) -> Ticket:
    """Give the registration a new code and raise its ticket's version (see the module)."""
    if not can(actor, "programme.ticket", registration):
        raise PermissionDenied(_("You can replace only your own ticket."))
    ticket = ticket_of(registration)  # refuses a registration without a seat
    if utcnow() >= registration.session.ends_at:
        raise DomainError(_("This session has ended: its ticket can no longer be replaced."))
    checked_in = db.session.scalar(
        sa.select(Attendance.id).where(Attendance.registration_id == registration.id)
    )
    if checked_in is not None:
        raise DomainError(_("You are already checked in: there is no ticket to replace."))
    ticket.code = free_code(registration.session_id)
    ticket.version = Ticket.version + 1  # in SQL: two replacements at once both count
    db.session.flush()
    db.session.refresh(ticket, ["version"])
    title = registration.session.programme.title_en
    record(
        actor,
        "programme.ticket_replaced",
        registration,
        {"title": title, "version": ticket.version},
    )
    return ticket
