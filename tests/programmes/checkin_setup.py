"""A session on the day, with its registrations, for the check-in tests."""

from __future__ import annotations

from datetime import timedelta

from foundry.db import utcnow
from foundry.extensions import db
from foundry.programmes import checkin
from foundry.programmes.checkin_models import Ticket
from tests.programmes import factories as pf


def session_today(world, capacity=10, **programme_fields):
    """A session of company A's programme starting in an hour (check-in open)."""
    programme_fields.setdefault("organiser_company", world.company_a)
    programme = pf.ProgrammeFactory(**programme_fields)
    starts = utcnow() + timedelta(hours=1)
    return pf.SessionFactory(
        programme=programme,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
    )


def ticket_and_token(registration) -> tuple[Ticket, str]:
    ticket = checkin.ticket_of(registration)
    db.session.flush()
    return ticket, checkin.token_of(registration, ticket)
