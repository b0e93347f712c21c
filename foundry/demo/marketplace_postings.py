"""Draws the demo's postings from the reference data, without a database.

One `random.Random` drawn in a fixed order over the companies gives the same postings, with
the same titles, on every run. Dates are relative to `now`, so the demo always has postings
closing soon, some past their deadline, and some already closed or archived.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from foundry.companies.models import CompanySize, VerificationStatus
from foundry.demo.data import COMPANIES, UNIVERSITIES, CompanySeed
from foundry.demo.data_postings import (
    CLUSTER_THEMES,
    DRIVES,
    KIND_LEARNING,
    KIND_TITLES,
    LOCAL_ONLY_NOTE,
    LOCATIONS,
    NON_LOCAL_WELCOME,
    ROLES,
    SCREENING_QUESTIONS,
    RoleSeed,
)
from foundry.demo.people import CURRENT_CLASS
from foundry.postings.models import (
    ApprovalStatus,
    PayPeriod,
    PostingKind,
    PostingStatus,
    WorkMode,
)
from foundry.taxonomy import Theme
from foundry.universities.models import StudyLevel

# The university that asks to approve postings before its students see them.
APPROVING_UNIVERSITY = "HKU"

POSTINGS_PER_COMPANY = {
    CompanySize.MICRO: 3,
    CompanySize.SMALL: 5,
    CompanySize.MEDIUM: 8,
    CompanySize.LARGE: 12,
    CompanySize.ENTERPRISE: 16,
}
KIND_WEIGHTS = {
    PostingKind.SUMMER_INTERNSHIP: 30,
    PostingKind.PART_TIME_INTERNSHIP: 15,
    PostingKind.YEAR_LONG_PLACEMENT: 15,
    PostingKind.GRADUATE_ROLE: 25,
    PostingKind.RESEARCH_ASSISTANT: 15,
}
STATUS_WEIGHTS = {
    PostingStatus.PUBLISHED: 70,
    PostingStatus.DRAFT: 7,
    PostingStatus.PENDING_REVIEW: 7,
    PostingStatus.CLOSED: 10,
    PostingStatus.ARCHIVED: 6,
}
LAB_THEMES = frozenset({Theme.NEW_MATERIALS, Theme.LIFE_HEALTH_TECH})
DRIVE_THEMES = frozenset({Theme.AI_DATA, Theme.MICROELECTRONICS, Theme.LIFE_HEALTH_TECH})


@dataclass(frozen=True)
class PostingSpec:
    company_slug: str
    company_name: str
    title: str
    kind: PostingKind
    role: RoleSeed
    themes: tuple[Theme, ...]
    skills: tuple[str, ...]
    description: str
    requirements: str
    location: str
    work_mode: WorkMode
    start_date: date | None
    duration_weeks: int | None
    pay_min: int | None
    pay_max: int | None
    pay_period: PayPeriod
    openings: int
    graduation_year_from: int | None
    graduation_year_to: int | None
    open_to_non_local: bool
    university_codes: tuple[str, ...]
    faculty_keys: tuple[tuple[str, str], ...]
    levels: tuple[StudyLevel, ...]
    questions: tuple[tuple[str, bool], ...]
    status: PostingStatus
    created_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    closed_at: datetime | None
    # The approving university's decision, for postings it has been asked about.
    approval: ApprovalStatus | None
    decided_at: datetime | None


def posting_specs(rng: random.Random, now: datetime) -> list[PostingSpec]:
    """About 300 postings from the verified companies, in the companies' order."""
    specs: list[PostingSpec] = []
    for company in COMPANIES:
        if company.status is not VerificationStatus.VERIFIED:
            continue
        for role, kind in _roles_and_kinds(rng, company):
            specs.append(_draw_posting(rng, now, company, role, kind))
    return specs


def _roles_and_kinds(
    rng: random.Random, company: CompanySeed
) -> list[tuple[RoleSeed, PostingKind]]:
    """Distinct (role, kind) pairs, so every title is unique within the company."""
    themes = CLUSTER_THEMES[company.cluster]
    pairs = [(role, kind) for role in ROLES if role.theme in themes for kind in PostingKind]
    weights = [(3 if role.theme is themes[0] else 1) * KIND_WEIGHTS[kind] for role, kind in pairs]
    chosen: list[tuple[RoleSeed, PostingKind]] = []
    while len(chosen) < POSTINGS_PER_COMPANY[company.size]:
        pair = rng.choices(pairs, weights=weights)[0]
        if pair not in chosen:
            chosen.append(pair)
    return chosen


def title_of(role: RoleSeed, kind: PostingKind) -> str:
    return KIND_TITLES[kind].format(field=role.field, job=role.job)


def _draw_posting(
    rng: random.Random, now: datetime, company: CompanySeed, role: RoleSeed, kind: PostingKind
) -> PostingSpec:
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    dates = _draw_dates(rng, now, status)
    return draw_posting_with_dates(rng, now, company, role, kind, status, dates, CURRENT_CLASS)


def draw_posting_with_dates(
    rng: random.Random,
    now: datetime,
    company: CompanySeed,
    role: RoleSeed,
    kind: PostingKind,
    status: PostingStatus,
    dates: dict,
    cohort: int,
) -> PostingSpec:
    """Everything but the status and dates (created_at, deadline, submitted_at,
    published_at, closed_at); `cohort` is the class graduating at the end of the
    posting's academic year, which graduation-year limits are drawn around."""
    universities, faculties = _draw_places(rng)
    levels = _draw_levels(rng, kind)
    years = _draw_years(rng, kind, cohort)
    local_only = rng.random() < (0.4 if role.theme is Theme.SMART_CITY else 0.08)
    themes = (role.theme,)
    second = CLUSTER_THEMES[company.cluster][1]
    if second is not role.theme and rng.random() < 0.3:
        themes += (second,)
    skills = tuple(sorted(rng.sample(role.skills, min(len(role.skills), rng.randint(3, 5)))))
    pay_min, pay_max, period = _draw_pay(rng, kind)
    duration = {
        PostingKind.SUMMER_INTERNSHIP: rng.choice((8, 10, 12)),
        PostingKind.PART_TIME_INTERNSHIP: rng.choice((12, 16, 26)),
        PostingKind.YEAR_LONG_PLACEMENT: 52,
        PostingKind.GRADUATE_ROLE: None,
        PostingKind.RESEARCH_ASSISTANT: rng.choice((12, 26, 52)),
    }[kind]
    location = LOCATIONS[company.location]
    questions = ()
    if rng.random() < 0.35:
        prompts = rng.sample(SCREENING_QUESTIONS, rng.randint(1, 3))
        questions = tuple(
            (prompt, index == 0 or rng.random() < 0.5) for index, prompt in enumerate(prompts)
        )
    deadline = dates["deadline"]
    approval, decided_at = _draw_approval(
        rng, now, status, deadline, dates["published_at"], universities
    )
    return PostingSpec(
        company_slug=company.slug,
        company_name=company.name,
        title=title_of(role, kind),
        kind=kind,
        role=role,
        themes=themes,
        skills=skills,
        description=_description(company, role, kind, location, local_only, rng),
        requirements=_requirements(role, skills, levels, years),
        location=location,
        work_mode=WorkMode.ON_SITE
        if role.theme in LAB_THEMES
        else rng.choices(list(WorkMode), weights=(45, 45, 10))[0],
        start_date=_first_of_next_month(deadline + timedelta(days=rng.randint(14, 60))),
        duration_weeks=duration,
        pay_min=pay_min,
        pay_max=pay_max,
        pay_period=period,
        openings=rng.randint(1, 3 if kind is PostingKind.GRADUATE_ROLE else 5),
        graduation_year_from=years[0],
        graduation_year_to=years[1],
        open_to_non_local=not local_only,
        university_codes=universities,
        faculty_keys=faculties,
        levels=levels,
        questions=questions,
        status=status,
        approval=approval,
        decided_at=decided_at,
        **dates,
    )


def _draw_dates(rng: random.Random, now: datetime, status: PostingStatus) -> dict:
    days = lambda low, high: timedelta(days=rng.randint(low, high), hours=rng.randint(0, 23))  # noqa: E731
    submitted = published = closed = None
    if status in (PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW):
        deadline = now + days(20, 90)
        created = now - days(1, 12)
        if status is PostingStatus.PENDING_REVIEW:
            submitted = created + (now - created) * rng.random()
    else:
        if status is PostingStatus.ARCHIVED:
            deadline = now - days(30, 120)
        elif status is PostingStatus.CLOSED:
            deadline = now + days(3, 40) if rng.random() < 0.4 else now - days(1, 45)
        else:
            deadline = now + days(3, 75) if rng.random() < 0.8 else now - days(1, 30)
        published = min(deadline, now) - days(7, 45)
        submitted = published - timedelta(hours=rng.randint(2, 72))
        created = submitted - days(1, 5)
        if status is PostingStatus.CLOSED:
            closed = min(deadline, now) - (min(deadline, now) - published) * rng.random() * 0.2
        elif status is PostingStatus.ARCHIVED:
            closed = deadline + days(1, 10)
    return {
        "created_at": created,
        "deadline": deadline,
        "submitted_at": submitted,
        "published_at": published,
        "closed_at": closed,
    }


def _draw_places(rng: random.Random) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Usually open to every university; some name a few, fewer one faculty."""
    chance = rng.random()
    if chance < 0.04:
        university = rng.choice(UNIVERSITIES)
        faculty = rng.choice(university.faculties)
        return (university.code,), ((university.code, faculty.code),)
    if chance < 0.16:
        chosen = rng.sample([u.code for u in UNIVERSITIES], rng.randint(1, 3))
        return tuple(sorted(chosen)), ()
    return (), ()


def _draw_levels(rng: random.Random, kind: PostingKind) -> tuple[StudyLevel, ...]:
    chance = rng.random()
    if kind is PostingKind.RESEARCH_ASSISTANT and chance < 0.5:
        return (StudyLevel.PG, StudyLevel.PHD)
    if kind is PostingKind.GRADUATE_ROLE and chance < 0.3:
        return (StudyLevel.UG, StudyLevel.PG)
    if kind is PostingKind.SUMMER_INTERNSHIP and chance < 0.2:
        return (StudyLevel.UG,)
    return ()


def _draw_years(
    rng: random.Random, kind: PostingKind, cohort: int
) -> tuple[int | None, int | None]:
    """Graduate roles for the year's final-year students and last summer's graduates;
    some summer internships for students who still have a year to go after the summer."""
    if kind is PostingKind.GRADUATE_ROLE and rng.random() < 0.5:
        return cohort - 1, cohort
    if kind is PostingKind.SUMMER_INTERNSHIP and rng.random() < 0.2:
        return cohort + 1, None
    return None, None


def _draw_pay(rng: random.Random, kind: PostingKind) -> tuple[int | None, int | None, PayPeriod]:
    """HKD: internships about 10,000–20,000 a month, graduate roles about 25,000–45,000."""
    if rng.random() < 0.05:
        return None, None, PayPeriod.MONTH
    if kind is PostingKind.GRADUATE_ROLE:
        low = rng.randrange(25_000, 38_001, 1_000)
        return low, min(45_000, low + rng.randrange(3_000, 8_001, 1_000)), PayPeriod.MONTH
    if kind is PostingKind.PART_TIME_INTERNSHIP and rng.random() < 0.5:
        low = rng.randrange(70, 111, 5)
        return low, low + rng.randrange(10, 41, 5), PayPeriod.HOUR
    if kind is PostingKind.RESEARCH_ASSISTANT:
        low = rng.randrange(14_000, 18_001, 500)
    else:
        low = rng.randrange(10_000, 16_001, 500)
    return low, min(20_000, low + rng.randrange(1_000, 4_001, 500)), PayPeriod.MONTH


def _draw_approval(
    rng: random.Random,
    now: datetime,
    status: PostingStatus,
    deadline: datetime,
    published: datetime | None,
    universities: tuple[str, ...],
) -> tuple[ApprovalStatus | None, datetime | None]:
    """The approving university's decision on postings that have been shown to it."""
    if published is None or (universities and APPROVING_UNIVERSITY not in universities):
        return None, None
    still_open = status is PostingStatus.PUBLISHED and deadline > now
    if still_open:
        decision = rng.choices(list(ApprovalStatus), weights=(25, 65, 10))[0]
    else:
        decision = rng.choices(
            [ApprovalStatus.APPROVED, ApprovalStatus.DECLINED], weights=(85, 15)
        )[0]
    if decision is ApprovalStatus.PENDING:
        return decision, None
    return decision, min(now, published + timedelta(hours=rng.randint(4, 96)))


def _first_of_next_month(moment: datetime) -> date:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return date(year, month, 1)


# --- text --------------------------------------------------------------------------------

_KIND_PHRASES = {
    PostingKind.SUMMER_INTERNSHIP: "a summer intern",
    PostingKind.PART_TIME_INTERNSHIP: "a part-time intern",
    PostingKind.YEAR_LONG_PLACEMENT: "a placement student for a year",
    PostingKind.GRADUATE_ROLE: "a graduate",
    PostingKind.RESEARCH_ASSISTANT: "a research assistant",
}


def _description(
    company: CompanySeed,
    role: RoleSeed,
    kind: PostingKind,
    location: str,
    local_only: bool,
    rng: random.Random,
) -> str:
    duties = "\n".join(f"- {duty}" for duty in role.duties)
    # No "## About the role" first: the posting page heads the description so already.
    paragraphs = [
        f"**{company.name}** is looking for {_KIND_PHRASES[kind]} to join its "
        f"{role.field.lower()} team at {location}. {company.description}",
        "## What you will do",
        duties,
        "## What you will learn",
        KIND_LEARNING[kind],
        DRIVES[role.theme],
    ]
    if local_only:
        paragraphs.append(LOCAL_ONLY_NOTE)
    elif role.theme in DRIVE_THEMES or rng.random() < 0.35:
        paragraphs.append(NON_LOCAL_WELCOME)
    return "\n\n".join(paragraphs)


_LEVEL_WORDS = {
    StudyLevel.UG: "undergraduates",
    StudyLevel.PG: "postgraduates",
    StudyLevel.PHD: "PhD students",
}


def _requirements(
    role: RoleSeed,
    skills: tuple[str, ...],
    levels: tuple[StudyLevel, ...],
    years: tuple[int | None, int | None],
) -> str:
    lines = [f"- {requirement}" for requirement in role.requirements]
    lines.append(f"- Skills we use: {', '.join(skills)}")
    if levels:
        lines.append(f"- Open to {' and '.join(_LEVEL_WORDS[level] for level in levels)}")
    if years[0] and years[1]:
        lines.append(f"- Graduating between {years[0]} and {years[1]}")
    elif years[0]:
        lines.append(f"- Graduating in {years[0]} or later")
    return "\n".join(lines)


_MARKDOWN_MARKS = re.compile(r"(\*\*|__|^#+\s*|^-\s+)", re.MULTILINE)


def plain_text(markdown_text: str) -> str:
    """The words of a seeded Markdown text without its marks, for the search index."""
    return _MARKDOWN_MARKS.sub("", markdown_text)


def search_text_of(spec: PostingSpec) -> str:
    """Title, description, requirements, skills and company name, as search indexes them."""
    parts = [
        spec.title,
        plain_text(spec.description),
        plain_text(spec.requirements),
        " ".join(spec.skills),
        spec.company_name,
    ]
    return "\n".join(part.strip() for part in parts if part.strip())
