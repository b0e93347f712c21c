"""A programme as schema.org Event data (JSON-LD) for search engines and assistants.

Never the join link: the event says it happens online (VirtualLocation) and points to the
programme's public page, where the registered find their way in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from foundry.programmes.browse import Places
from foundry.programmes.models import Programme, ProgrammeFormat, ProgrammeStatus
from foundry.urls import external_url

ATTENDANCE_MODES = {
    ProgrammeFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    ProgrammeFormat.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
    ProgrammeFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _organizer(programme: Programme, locale: str) -> dict:
    if programme.organiser_company is not None:
        company = programme.organiser_company
        organizer = {
            "@type": "Organization",
            "name": company.name,
            "url": external_url("companies.profile", slug=company.slug),
        }
        if company.website:
            organizer["sameAs"] = company.website
        return organizer
    if programme.organiser_faculty is not None:
        faculty = programme.organiser_faculty
        return {
            "@type": "Organization",
            "name": f"{faculty.name(locale)}, {faculty.university.name(locale)}",
        }
    return {"@type": "Organization", "name": "Hong Kong Science Park · Talent Foundry"}


def _location(programme: Programme, url: str) -> list[dict]:
    places: list[dict] = []
    if programme.format is not ProgrammeFormat.VIRTUAL:
        places.append(
            {
                "@type": "Place",
                "name": programme.venue or "Hong Kong Science Park",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": programme.venue or "Hong Kong Science Park",
                    "addressLocality": "Hong Kong",
                    "addressCountry": "HK",
                },
            }
        )
    if programme.format is not ProgrammeFormat.IN_PERSON:
        places.append({"@type": "VirtualLocation", "url": url})
    return places


def event_json_ld(
    programme: Programme, places: Mapping[int, Places], locale: str, now: datetime
) -> dict:
    """A schema.org Event; a programme of several sessions lists them as subEvents."""
    url = external_url("programmes.view", programme_id=programme.id)
    cancelled = programme.status is ProgrammeStatus.CANCELLED
    sessions = programme.sessions
    location = _location(programme, url)
    open_now = programme.registration_is_open(now)
    left = sum(places[s.id].seats_left for s in sessions if s.starts_at > now)
    availability = (
        "https://schema.org/InStock"
        if open_now and left
        else ("https://schema.org/SoldOut" if open_now else "https://schema.org/Discontinued")
    )
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": programme.title(locale),
        "description": programme.description(locale)[:5000],
        "url": url,
        "eventStatus": "https://schema.org/EventCancelled"
        if cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES[programme.format],
        "location": location[0] if len(location) == 1 else location,
        "organizer": _organizer(programme, locale),
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": 0,
            "priceCurrency": "HKD",
            "availability": availability,
            "validFrom": _iso(programme.registration_opens_at),
            "validThrough": _iso(programme.registration_closes_at),
        },
    }
    if sessions:
        data["startDate"] = _iso(sessions[0].starts_at)
        data["endDate"] = _iso(max(s.ends_at for s in sessions))
        data["maximumAttendeeCapacity"] = sum(s.capacity for s in sessions)
        data["remainingAttendeeCapacity"] = left
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": s.label or programme.title(locale),
                "startDate": _iso(s.starts_at),
                "endDate": _iso(s.ends_at),
                "eventAttendanceMode": ATTENDANCE_MODES[programme.format],
                "eventStatus": data["eventStatus"],
                "location": data["location"],
                "maximumAttendeeCapacity": s.capacity,
            }
            for s in sessions
        ]
    return data
