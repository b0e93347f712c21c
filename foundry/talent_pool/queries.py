"""Read-only queries of the Talent Pool: the search over opted-in students, what a company
may invite them to, and the invitations it has already sent.

A search page costs a constant number of statements: the count, the page of profiles (with
user, university, faculty and programme joined), and one eager load each for skills,
languages and themes, whatever the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.eligibility.rules import application_blockers
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus
from foundry.students.models import Skill, StudentLanguage, StudentProfile
from foundry.students.services import normalise_skills
from foundry.talent_pool.models import TalentPoolInvitation
from foundry.taxonomy import LANGUAGE_LABELS
from foundry.universities.models import Faculty, StudyLevel, University

MAX_SKILL_FILTERS = 10
YEAR_RANGE = (1990, 2100)

POOL_SORTS = {
    "name": User.display_name,
    "graduation": StudentProfile.graduation_year,
}


@dataclass(frozen=True)
class PoolFilters:
    """What a company searches the pool for; empty means "any"."""

    skills: tuple[str, ...] = ()
    faculty_id: int | None = None
    graduation_year: int | None = None
    level: StudyLevel | None = None
    language: str | None = None

    @property
    def active(self) -> bool:
        return bool(
            self.skills or self.faculty_id or self.graduation_year or self.level or self.language
        )


def filters_from_args(args: Mapping[str, str], faculty_ids: set[int]) -> PoolFilters:
    """Read the filters from a query string; InvalidInput (400) for any value not known."""
    return PoolFilters(
        skills=_skills(args.get("skills", "")),
        faculty_id=_faculty(args.get("faculty", ""), faculty_ids),
        graduation_year=_year(args.get("graduation", "")),
        level=_level(args.get("level", "")),
        language=_language(args.get("language", "")),
    )


def _skills(raw: str) -> tuple[str, ...]:
    names = normalise_skills(raw.split(","))
    if len(names) > MAX_SKILL_FILTERS:
        raise InvalidInput(_("Search for at most %(n)d skills at once.", n=MAX_SKILL_FILTERS))
    return tuple(names)


def _faculty(raw: str, faculty_ids: set[int]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) not in faculty_ids:
        raise InvalidInput(_("That faculty is not known. Choose one from the list."))
    return int(raw)


def _year(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    low, high = YEAR_RANGE
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            _("Enter a graduation year between %(low)d and %(high)d.", low=low, high=high)
        )
    return int(raw)


def _level(raw: str) -> StudyLevel | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return StudyLevel(raw)
    except ValueError:
        raise InvalidInput(
            _("That study level is not known. Choose undergraduate, postgraduate or PhD.")
        ) from None


def _language(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw not in LANGUAGE_LABELS:
        raise InvalidInput(_("That language is not known. Choose one from the list."))
    return raw


def pool_statement(filters: PoolFilters) -> sa.Select:
    """Opted-in, active students matching every filter, with their user joined."""
    stmt = (
        sa.select(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .options(contains_eager(StudentProfile.user).lazyload(User.memberships))
        .where(StudentProfile.talent_pool_opt_in.is_(True), User.active.is_(True))
    )
    for name in filters.skills:
        stmt = stmt.where(StudentProfile.skills.any(Skill.name == name))
    if filters.faculty_id is not None:
        stmt = stmt.where(StudentProfile.faculty_id == filters.faculty_id)
    if filters.graduation_year is not None:
        stmt = stmt.where(StudentProfile.graduation_year == filters.graduation_year)
    if filters.level is not None:
        stmt = stmt.where(StudentProfile.study_level == filters.level)
    if filters.language is not None:
        stmt = stmt.where(
            StudentProfile.languages.any(StudentLanguage.language == filters.language)
        )
    return stmt


def faculties_by_university() -> list[tuple[University, list[Faculty]]]:
    """Every faculty, grouped under its university, for the faculty filter."""
    rows = db.session.execute(
        sa.select(Faculty, University)
        .join(University, University.id == Faculty.university_id)
        .order_by(University.code, Faculty.name_en)
    ).all()
    grouped: dict[int, tuple[University, list[Faculty]]] = {}
    for faculty, university in rows:
        grouped.setdefault(university.id, (university, []))[1].append(faculty)
    return list(grouped.values())


def invitable_postings(company: Company, profile: StudentProfile) -> list[Posting]:
    """The company's published postings that still take applications and that this student
    may apply to and has not been invited to yet, closing soonest first."""
    invited = sa.select(TalentPoolInvitation.posting_id).where(
        TalentPoolInvitation.profile_id == profile.id
    )
    postings = db.session.scalars(
        sa.select(Posting)
        .where(
            Posting.company_id == company.id,
            Posting.status == PostingStatus.PUBLISHED,
            Posting.deadline > utcnow(),
            Posting.id.not_in(invited),
        )
        .order_by(Posting.deadline, Posting.id)
        .options(
            lazyload("*"),
            selectinload(Posting.universities),
            selectinload(Posting.faculties),
            selectinload(Posting.levels),
            selectinload(Posting.approvals),
        )
    )
    return [posting for posting in postings if not application_blockers(profile, posting)]


@dataclass(frozen=True)
class SentInvitation:
    posting_id: int
    posting_title: str
    created_at: datetime


def invitations_from(company: Company, profile_ids: list[int]) -> dict[int, list[SentInvitation]]:
    """The company's invitations to these students, by profile id, newest first."""
    if not profile_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            TalentPoolInvitation.profile_id,
            Posting.id,
            Posting.title,
            TalentPoolInvitation.created_at,
        )
        .join(Posting, Posting.id == TalentPoolInvitation.posting_id)
        .where(
            Posting.company_id == company.id,
            TalentPoolInvitation.profile_id.in_(profile_ids),
        )
        .order_by(TalentPoolInvitation.created_at.desc(), TalentPoolInvitation.id.desc())
    )
    by_profile: dict[int, list[SentInvitation]] = defaultdict(list)
    for profile_id, posting_id, title, created_at in rows:
        by_profile[profile_id].append(SentInvitation(posting_id, title, created_at))
    return dict(by_profile)


def shared_links(profile: StudentProfile) -> list[tuple[str, str]]:
    """The student's links as (label, url), only those that are plain web addresses."""
    links = [
        ("LinkedIn", profile.linkedin_url),
        ("GitHub", profile.github_url),
        (_("Website"), profile.website_url),
    ]
    return [
        (label, url)
        for label, url in links
        if url and url.lower().startswith(("https://", "http://"))
    ]
