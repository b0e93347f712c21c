"""iCalendar (RFC 5545) files of a student's programme registrations: one registration's
file, and the personal feed of all of them.

Times are written in UTC (a calendar shows them in its own zone, Hong Kong's for our
students). A virtual or hybrid programme's way in is the portal's join redirect, never the
organiser's raw link, as an RFC 7986 CONFERENCE property, and only on an event the
student holds a seat for: a waitlist place is written TENTATIVE, without it.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from flask import url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event, vUri

from foundry.db import utcnow
from foundry.programmes.labels import FORMAT_LABELS, KIND_LABELS
from foundry.programmes.models import (
    ProgrammeFormat,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.urls import absolute_url, external_url

PRODUCT_ID = "-//Talent Foundry//Programmes//EN"
MIME_TYPE = "text/calendar"


def join_path(programme_id: int) -> str:
    """The portal's join redirect (it records virtual attendance, then sends the student
    on): the only way in any page or file gives. Built by the check-in pages."""
    return url_for("programme_tickets.join", programme_id=programme_id)


def registration_uid(registration: Registration) -> str:
    """The same UID for the student's place in a session, so a calendar updates the event
    (a waitlist place that becomes a seat) instead of adding another."""
    return f"programme-session-{registration.session_id}-{registration.profile_id}@talent-foundry"


def _event(registration: Registration, locale: str) -> Event:
    session = registration.session
    programme = session.programme
    title = programme.title(locale)
    event = Event()
    event.add("uid", registration_uid(registration))
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    waiting = registration.status is RegistrationStatus.WAITLISTED
    summary = f"{title} · {session.label}" if session.label else title
    if waiting:
        summary = _("Waitlist: %(title)s", title=summary)
    event.add("summary", summary)
    event.add("url", external_url("programmes.view", programme_id=programme.id))
    where = programme.venue or str(FORMAT_LABELS[programme.format])
    if programme.venue and programme.format is not ProgrammeFormat.IN_PERSON:
        where = f"{programme.venue} · {FORMAT_LABELS[programme.format]}"
    event.add("location", where)
    description = [f"{KIND_LABELS[programme.kind]} · {FORMAT_LABELS[programme.format]}"]
    if programme.status is ProgrammeStatus.CANCELLED:
        event.add("status", "CANCELLED")
        description.append(
            _(
                "Cancelled. The organiser’s message: %(message)s",
                message=programme.cancellation_message,
            )
        )
    else:
        event.add("status", "TENTATIVE" if waiting else "CONFIRMED")
    if waiting:
        description.append(_("You are on the waitlist: we will tell you if a seat is yours."))
    holds_seat = registration.status is RegistrationStatus.REGISTERED
    online = programme.format is not ProgrammeFormat.IN_PERSON
    if holds_seat and online and programme.status is ProgrammeStatus.PUBLISHED:
        url = absolute_url(join_path(programme.id))
        event.add(
            "conference",
            vUri(url),
            parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO", "LABEL": _("Join online")},
        )
        description.append(_("Join online: %(url)s", url=url))
    event.add("description", "\n\n".join(description))
    return event


def registration_calendar(registration: Registration, locale: str) -> bytes:
    """The calendar file of one registration: its session as one event."""
    return _calendar([registration], locale, name=None)


def feed_calendar(registrations: list[Registration], locale: str) -> bytes:
    """The student's feed: every live registration as an event."""
    return _calendar(registrations, locale, name=_("Talent Foundry programmes"))


def _calendar(registrations: list[Registration], locale: str, name: str | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("name", name)  # RFC 7986
        calendar.add("x-wr-calname", name)  # the same, for clients that predate it
        calendar.add("refresh-interval", timedelta(hours=1))
    for registration in registrations:
        calendar.add_component(_event(registration, locale))
    return calendar.to_ical()
