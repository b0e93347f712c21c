"""What the student's dashboard shows beside their own records, kept in the shared cache
(foundry.reports.cache) with the postings' pages (foundry.postings.page_cache): the newest
roles open to the student's cohort in their themes and outside them, and the park companies
in their themes. Reading them took half the dashboard's time, and they are the same for
every student of one cohort with the same themes.

The roles a student applied to are their own: an entry keeps more roles than the dashboard
shows, at least as many more as the student applied to (extra_kept), and the student's are
taken out per request; for a student who applied to more than MAX_EXTRA, the roles are
read for them alone. The
roles' deadlines move with the time: an entry is keyed on the minute too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from foundry.companies.models import Company, VerificationStatus
from foundry.eligibility.rules import cohort
from foundry.extensions import db
from foundry.postings import page_cache
from foundry.reports import cache
from foundry.students.models import StudentProfile
from foundry.students.queries import (
    THEME_CLUSTERS,
    Suggestion,
    postings_for_student,
    suggestion_lists,
)
from foundry.taxonomy import Cluster, ParkLocation

ROLES_SHOWN = 5
EXTRA = 15  # roles kept beyond those shown, for those the student has applied to
MAX_EXTRA = 240  # ... and at most (15, 30, 60, 120, 240)
COMPANIES_SHOWN = 6


@dataclass(frozen=True)
class CompanyCard:
    slug: str
    name: str
    cluster: Cluster
    park_location: ParkLocation


def roles_for(profile: StudentProfile, applied: set[int], now: datetime) -> list[Suggestion]:
    """Up to ROLES_SHOWN open roles the student may apply to and has not (the postings
    `applied`), in their themes first, newest first: as queries.postings_for_student."""
    extra = extra_kept(len(applied))
    if extra is None:  # applied to so many that reading theirs alone is cheaper
        return postings_for_student(profile, now, ROLES_SHOWN)
    kept = ROLES_SHOWN + extra
    parts = [cohort(profile), _themes(profile), kept, cache.minute_of(now)]
    lists = cache.figures(
        "student-roles",
        parts,
        lambda: suggestion_lists(profile, now, kept, exclude_applied=False),
        _encode_roles,
        _decode_roles,
        topic=page_cache.TOPIC,
    )
    # Of each list, at most `extra` are theirs: when it was cut at `kept`, what is left
    # still fills the dashboard, so no role past the kept ones is ever missed.
    return [role for found in lists for role in found if role.id not in applied][:ROLES_SHOWN]


def extra_kept(applied: int) -> int | None:
    """How many roles beyond those shown an entry keeps for a student who applied to
    `applied` postings: EXTRA, doubled until it covers them (students of a cohort share the
    few sizes), None past MAX_EXTRA."""
    extra = EXTRA
    while extra < applied:
        extra *= 2
    return extra if extra <= MAX_EXTRA else None


def companies_for(profile: StudentProfile) -> list[CompanyCard]:
    """Verified companies in the clusters of the student's themes (any cluster if none),
    by name."""
    clusters = sorted({THEME_CLUSTERS[theme].value for theme in profile.theme_values})

    def read() -> list[CompanyCard]:
        stmt = sa.select(Company.slug, Company.name, Company.cluster, Company.park_location)
        stmt = stmt.where(Company.verification_status == VerificationStatus.VERIFIED)
        if clusters:
            stmt = stmt.where(Company.cluster.in_([Cluster(value) for value in clusters]))
        rows = db.session.execute(stmt.order_by(Company.name).limit(COMPANIES_SHOWN))
        return [CompanyCard(*row) for row in rows]

    return cache.figures(
        "student-companies",
        clusters,
        read,
        lambda cards: [[c.slug, c.name, c.cluster.value, c.park_location.value] for c in cards],
        lambda rows: [
            CompanyCard(slug, name, Cluster(cluster), ParkLocation(location))
            for slug, name, cluster, location in rows
        ],
        topic=page_cache.TOPIC,
    )


def _themes(profile: StudentProfile) -> list[str]:
    return sorted(theme.value for theme in profile.theme_values)


def _encode_roles(lists: tuple[list[Suggestion], list[Suggestion]]) -> list:
    return [
        [[r.id, r.title, r.company_name, r.deadline.isoformat()] for r in found] for found in lists
    ]


def _decode_roles(entry: list) -> tuple[list[Suggestion], list[Suggestion]]:
    in_themes, others = (
        [
            Suggestion(i, title, company, datetime.fromisoformat(deadline))
            for i, title, company, deadline in found
        ]
        for found in entry
    )
    return in_themes, others
