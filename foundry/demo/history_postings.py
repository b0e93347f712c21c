"""Draws the roles the park's companies advertised in past academic years, without a
database: now closed or archived, each advertised for a few weeks in a month that suits
its kind (summer internships in the autumn, graduate roles in the autumn and in spring).

Each company's roles of a year come from a generator seeded with the year and the company,
and the title names the season ("Machine Learning Engineer Summer Intern (Summer 2025)"),
so a year's postings are the same on any day the seed runs and never clash with the
current ones.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from foundry.companies.models import VerificationStatus
from foundry.demo.clock import academic_year_label, at_hong_kong
from foundry.demo.data import COMPANIES, RANDOM_SEED, CompanySeed
from foundry.demo.data_history import (
    GROWTH_EXTRA_POSTING,
    PAST_POSTINGS_PER_COMPANY,
    PUBLICATION_MONTHS,
)
from foundry.demo.data_postings import CLUSTER_THEMES, ROLES, RoleSeed
from foundry.demo.marketplace_postings import (
    KIND_WEIGHTS,
    PostingSpec,
    draw_posting_with_dates,
    title_of,
)
from foundry.postings.models import PostingKind, PostingStatus

K = PostingKind
_SEASON = re.compile(r" \((Summer \d{4}|\d{4} intake|\d{4}/\d{2})\)$")


def past_posting_specs(year: int, first_year: int, now: datetime) -> list[PostingSpec]:
    """The postings of the academic year starting in September of `year`, in the companies'
    order; years after `first_year` have a few more (the park grew)."""
    specs: list[PostingSpec] = []
    for company in COMPANIES:
        if company.status is not VerificationStatus.VERIFIED:
            continue
        rng = random.Random(f"{RANDOM_SEED}:past-postings:{year}:{company.slug}")
        count = PAST_POSTINGS_PER_COMPANY[company.size]
        if year > first_year and rng.random() < GROWTH_EXTRA_POSTING * (year - first_year):
            count += 1
        for role, kind in _roles_and_kinds(rng, company, count):
            specs.append(_past_posting(rng, now, year, company, role, kind))
    return specs


def season_label(kind: PostingKind, year: int) -> str:
    """What the title says of the season: "Summer 2025", "2025 intake", "2024/25"."""
    if kind is K.SUMMER_INTERNSHIP:
        return f"Summer {year + 1}"
    if kind in (K.GRADUATE_ROLE, K.YEAR_LONG_PLACEMENT):
        return f"{year + 1} intake"
    return academic_year_label(year)


def is_past_posting(posting) -> bool:
    """Whether a posting (or spec) is one of the past years', by the season in its title."""
    return _SEASON.search(posting.title) is not None


def _roles_and_kinds(
    rng: random.Random, company: CompanySeed, count: int
) -> list[tuple[RoleSeed, PostingKind]]:
    themes = CLUSTER_THEMES[company.cluster]
    pairs = [(role, kind) for role in ROLES if role.theme in themes for kind in PostingKind]
    weights = [(3 if role.theme is themes[0] else 1) * KIND_WEIGHTS[kind] for role, kind in pairs]
    chosen: list[tuple[RoleSeed, PostingKind]] = []
    while len(chosen) < min(count, len(pairs)):
        pair = rng.choices(pairs, weights=weights)[0]
        if pair not in chosen:
            chosen.append(pair)
    return chosen


def _past_posting(
    rng: random.Random,
    now: datetime,
    year: int,
    company: CompanySeed,
    role: RoleSeed,
    kind: PostingKind,
) -> PostingSpec:
    month = rng.choices(range(12), weights=PUBLICATION_MONTHS[kind])[0]
    first = date(year + (month + 8) // 12, (month + 8) % 12 + 1, 1)
    published = at_hong_kong(first + timedelta(days=rng.randint(0, 27)), rng.randint(9, 18))
    deadline = published + timedelta(days=rng.randint(21, 56), hours=rng.randint(0, 8))
    submitted = published - timedelta(hours=rng.randint(2, 72))
    closed = deadline + timedelta(hours=rng.randint(1, 72))
    archived = rng.random() < 0.3 or closed < now - timedelta(days=300)
    dates = {
        "created_at": submitted - timedelta(days=rng.randint(1, 5)),
        "deadline": deadline,
        "submitted_at": submitted,
        "published_at": published,
        "closed_at": closed,
    }
    status = PostingStatus.ARCHIVED if archived else PostingStatus.CLOSED
    spec = draw_posting_with_dates(rng, now, company, role, kind, status, dates, year + 1)
    return replace(
        spec,
        title=f"{title_of(role, kind)} ({season_label(kind, year)})",
        start_date=_start_date(rng, kind, year, deadline),
    )


def _start_date(rng: random.Random, kind: PostingKind, year: int, deadline: datetime) -> date:
    """Summer internships in June; graduate roles and year-long placements over the next
    summer; part-time roles and research posts soon after the deadline."""
    if kind is K.SUMMER_INTERNSHIP:
        return date(year + 1, 6, 1) + timedelta(days=rng.choice((0, 7, 14, 21)))
    if kind is K.GRADUATE_ROLE:
        start = date(year + 1, rng.choice((7, 8, 9)), 1)
    elif kind is K.YEAR_LONG_PLACEMENT:
        start = date(year + 1, rng.choice((6, 7, 9)), 1)
    else:
        start = (deadline + timedelta(days=rng.randint(20, 45))).date().replace(day=1)
    later = (deadline + timedelta(days=40)).date().replace(day=1)
    return max(start, later)
