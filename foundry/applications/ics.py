"""iCalendar (RFC 5545) invitations for interviews, sent to both sides and downloadable."""

from __future__ import annotations

from datetime import UTC, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress

from foundry.accounts.models import User
from foundry.applications.models import Application, InterviewSlot
from foundry.db import utcnow

PRODUCT_ID = "-//Talent Foundry//Interviews//EN"
FILENAME = "interview.ics"
MIME_TYPE = "text/calendar"


def slot_uid(slot: InterviewSlot) -> str:
    """The same UID for the same slot every time, so calendars update instead of duplicating."""
    return f"interview-slot-{slot.id}@talent-foundry"


def interview_invite(
    slot: InterviewSlot, application: Application, organizer: User | None, attendee: User
) -> bytes:
    """A METHOD:REQUEST calendar with one event for the chosen interview slot."""
    posting = application.posting
    starts_at = slot.starts_at.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", slot_uid(slot))
    event.add("dtstamp", utcnow())
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=slot.duration_minutes))
    event.add(
        "summary",
        _("Interview: %(title)s at %(company)s", title=posting.title, company=posting.company.name),
    )
    event.add("location", slot.location)
    event.add(
        "description",
        _(
            "Interview of %(name)s for “%(title)s”. Place or link: %(place)s",
            name=attendee.display_name,
            title=posting.title,
            place=slot.location,
        ),
    )
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    if organizer is not None:
        event.add("organizer", vCalAddress.new(organizer.email, cn=organizer.display_name))
    event.add(
        "attendee",
        vCalAddress.new(
            attendee.email,
            cn=attendee.display_name,
            role="REQ-PARTICIPANT",
            partstat="ACCEPTED",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical()
