"""What the organiser page tests share: the form an organiser types, in Hong Kong time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from foundry.db import utcnow

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def typed(moment) -> str:
    """A moment as a datetime-local input holds it: Hong Kong wall time."""
    return moment.astimezone(HONG_KONG).strftime("%Y-%m-%dT%H:%M")


def programme_form(**fields) -> dict:
    """An in-person workshop, registration open from an hour ago for a week."""
    now = utcnow()
    return {
        "kind": "workshop",
        "title_en": "Personal branding for AI careers",
        "title_zh": "人工智能職涯的個人品牌",
        "description_en": "Present yourself to AI startups.",
        "description_zh": "",
        "theme": "ai_data",
        "format": "in_person",
        "venue": "Hong Kong Science Park, Building 19W",
        "join_link": "",
        "registration_opens_at": typed(now - timedelta(hours=1)),
        "registration_closes_at": typed(now + timedelta(days=7)),
        "cancellation_cutoff_hours": "24",
        "graduation_year_from": "",
        "graduation_year_to": "",
        "open_to_non_local": "y",
        **fields,
    }


def session_form(starts_in=timedelta(days=14), hours=2, **fields) -> dict:
    starts = utcnow() + starts_in
    return {
        "label": "Morning",
        "starts_at": typed(starts),
        "ends_at": typed(starts + timedelta(hours=hours)),
        "capacity": "30",
        "waitlist_enabled": "y",
        **fields,
    }
