"""What the programme page shows, gathered for its template: the places in each session,
the viewer's own registrations and eligibility, whether they may see the way in online,
the schema.org data and, for a themed drive, the programmes, companies and postings of
its theme. Kept out of the routes so they stay a few lines each."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import current_user

from foundry import policy
from foundry.companies.models import Company, VerificationStatus
from foundry.eligibility.rules import ineligibility_reasons
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus, PostingTheme
from foundry.postings.search import SearchParams, search_postings
from foundry.programmes import browse
from foundry.programmes.browse import card_options, places_of
from foundry.programmes.feedback import after_the_event
from foundry.programmes.json_ld import event_json_ld
from foundry.programmes.models import (
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
)
from foundry.programmes.student_queries import MyRegistration
from foundry.students.models import StudentProfile

DRIVE_PROGRAMMES = 6
DRIVE_COMPANIES = 24
DRIVE_POSTINGS_PER_PAGE = 10


def programme_context(
    programme: Programme,
    profile: StudentProfile | None,
    mine: dict[int, MyRegistration],
    locale: str,
    now: datetime,
) -> dict:
    """The page's facts; `mine` is the viewer's places in it (registrations_in), empty in
    a copy kept for a cohort (page_cache.py), which has the viewer's parts filled in."""
    places = places_of(programme.sessions)
    return {
        "programme": programme,
        "places": places,
        "reasons": ineligibility_reasons(profile, programme) if profile else [],
        "is_student": profile is not None,
        "registration_open": programme.registration_is_open(now),
        "json_ld": None
        if programme.status is ProgrammeStatus.DRAFT
        else event_json_ld(programme, places, locale, now),
        "now": now,
        "browse_module": browse,
        **viewer_context(programme, profile, mine, now),
    }


def viewer_context(
    programme: Programme,
    profile: StudentProfile | None,
    mine: dict[int, MyRegistration],
    now: datetime,
) -> dict:
    """What the page shows of the viewer's own places: the places, whether they may see the
    way in online, and (after the event) their feedback and certificate."""
    # After the event: asked only of a student holding a place in a session that ended.
    ended = any(item.session.ends_at <= now for item in mine.values())
    after = after_the_event(profile, [programme.id], now).get(programme.id) if ended else None
    return {
        "mine": mine,
        # The way in online: only for a seat the viewer holds (policy), never the raw link.
        "may_join": any(
            policy.can(current_user, "programme.see_join_link", item.registration)
            for item in mine.values()
        ),
        "after": after,
    }


def drive_context(
    programme: Programme, profile: StudentProfile | None, now: datetime, page: int
) -> dict:
    """A themed drive's theme: its other programmes, the companies with open postings of
    the theme, and those postings, a page at a time (the route adds what the postings'
    own cards show of the viewer)."""
    if programme.kind is not ProgrammeKind.THEMED_DRIVE or programme.theme is None:
        return {}
    theme = programme.theme
    upcoming = (
        sa.select(ProgrammeSession.id)
        .where(ProgrammeSession.programme_id == Programme.id, ProgrammeSession.ends_at > now)
        .exists()
    )
    related = db.session.scalars(
        sa.select(Programme)
        .where(
            Programme.theme == theme,
            Programme.status == ProgrammeStatus.PUBLISHED,
            Programme.id != programme.id,
            upcoming,
        )
        .options(*card_options())
        .order_by(Programme.registration_closes_at, Programme.id)
        .limit(DRIVE_PROGRAMMES)
    ).all()
    open_of_theme = (
        sa.select(Posting.company_id)
        .join(PostingTheme, PostingTheme.posting_id == Posting.id)
        .where(
            PostingTheme.theme == theme,
            Posting.status == PostingStatus.PUBLISHED,
            Posting.deadline > now,
        )
    )
    companies = db.session.scalars(
        sa.select(Company)
        .where(
            Company.id.in_(open_of_theme),
            Company.verification_status == VerificationStatus.VERIFIED,
        )
        .order_by(Company.name)
        .limit(DRIVE_COMPANIES)
    ).all()
    postings = search_postings(
        SearchParams(theme=theme), profile, now, page=page, per_page=DRIVE_POSTINGS_PER_PAGE
    )
    return {
        "drive": {
            "theme": theme,
            "programmes": related,
            "places": places_of(s for p in related for s in p.sessions),
            "companies": companies,
            "postings": postings,
        },
    }
