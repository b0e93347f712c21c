"""Read-only queries for the student's pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from foundry.accounts.models import User
from foundry.applications.models import Application, ApplicationStatus
from foundry.companies.models import Company
from foundry.eligibility.rules import approved_for_university, eligible_condition
from foundry.extensions import db
from foundry.postings.models import Posting, PostingStatus, PostingTheme
from foundry.students.models import CVDocument, StudentLanguage, StudentProfile, student_skills
from foundry.taxonomy import Cluster, Theme

THEME_CLUSTERS: dict[Theme, Cluster] = {
    Theme.AI_DATA: Cluster.AI_ROBOTICS,
    Theme.ROBOTICS: Cluster.AI_ROBOTICS,
    Theme.MICROELECTRONICS: Cluster.MICROELECTRONICS,
    Theme.LIFE_HEALTH_TECH: Cluster.HEALTH_TECH,
    Theme.FINTECH: Cluster.FINTECH,
    Theme.SMART_CITY: Cluster.SMART_CITY,
    Theme.NEW_MATERIALS: Cluster.NEW_MATERIALS,
    Theme.SUSTAINABILITY: Cluster.SUSTAINABILITY,
}


def profile_without_lists() -> list:
    """Loader options for a staff page about one student that shows none of the profile's
    lists (skills, languages, themes) nor the student's role memberships: each of them
    loads if it is read after all."""
    return [
        joinedload(StudentProfile.user).lazyload(User.memberships),
        lazyload(StudentProfile.skills),
        lazyload(StudentProfile.languages),
        lazyload(StudentProfile.themes),
    ]


@dataclass(frozen=True)
class Suggestion:
    """A role on the student's dashboard: what the dashboard shows of it."""

    id: int
    title: str
    company_name: str
    deadline: datetime


def suggestion_lists(
    profile: StudentProfile, now: datetime, per_list: int, *, exclude_applied: bool
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Open postings the student may apply to, newest first: up to `per_list` in their
    themes and up to `per_list` outside them (all in the second list when they chose no
    theme), those they applied to left out when `exclude_applied`. One statement.

    Read as two bounded lists, each walking the open postings newest first and stopping
    when it has enough: ordering every open posting by "in their themes" first made
    PostgreSQL test each of them (3,000 at park scale, ~90 ms) before keeping five."""
    themes = profile.theme_values
    open_to_them = [
        Posting.status == PostingStatus.PUBLISHED,
        Posting.deadline > now,
        eligible_condition(profile),
        approved_for_university(profile.university),
    ]
    if exclude_applied:
        applied = sa.select(Application.posting_id).where(Application.profile_id == profile.id)
        open_to_them.append(~Posting.id.in_(applied))
    in_themes = Posting.themes.any(PostingTheme.theme.in_(themes)) if themes else sa.false()
    newest = [Posting.published_at.desc(), Posting.id]

    def newest_where(rank: int, condition) -> sa.Select:
        picked = (
            sa.select(Posting.id, sa.literal(rank).label("rank"))
            .where(*open_to_them, condition)
            .order_by(*newest)
            .limit(per_list)
        )
        # Wrapped, as SQLite takes no ORDER BY or LIMIT in a UNION's own members.
        return sa.select(picked.subquery())

    members = [newest_where(0, in_themes)] if themes else []
    members.append(newest_where(1, ~in_themes if themes else sa.true()))
    picked = sa.union_all(*members).subquery() if len(members) > 1 else members[0].subquery()
    stmt = (
        sa.select(picked.c.rank, Posting.id, Posting.title, Company.name, Posting.deadline)
        .join(picked, picked.c.id == Posting.id)
        .join(Company, Company.id == Posting.company_id)
        .order_by(picked.c.rank, *newest)
    )
    lists: tuple[list[Suggestion], list[Suggestion]] = ([], [])
    for rank, *columns in db.session.execute(stmt):
        lists[rank].append(Suggestion(*columns))
    return lists


def postings_for_student(
    profile: StudentProfile, now: datetime, limit: int = 5
) -> list[Suggestion]:
    """Open postings the student may apply to and has not, in their themes first."""
    in_themes, others = suggestion_lists(profile, now, limit, exclude_applied=True)
    return [*in_themes, *others][:limit]


@dataclass(frozen=True)
class ProfileLists:
    """How much of each of a profile's lists the dashboard's checklist asks about."""

    skills: int
    has_languages: bool
    has_cvs: bool


def profile_lists(profile: StudentProfile) -> ProfileLists:
    """The checklist's counts in one statement: loading the skills, the languages and the
    CVs themselves took three, for three numbers (the dashboard shows none of them)."""
    skills = (
        sa.select(sa.func.count())
        .select_from(student_skills)
        .where(student_skills.c.profile_id == profile.id)
        .scalar_subquery()
    )
    languages = sa.exists().where(StudentLanguage.profile_id == profile.id)
    cvs = sa.exists().where(CVDocument.profile_id == profile.id)
    row = db.session.execute(sa.select(skills, languages, cvs)).one()
    return ProfileLists(skills=row[0], has_languages=bool(row[1]), has_cvs=bool(row[2]))


def applications_of(profile: StudentProfile) -> tuple[dict[ApplicationStatus, int], set[int]]:
    """How many of the student's applications are in each status, and the postings they
    applied to, in one statement."""
    counts: dict[ApplicationStatus, int] = {}
    applied: set[int] = set()
    rows = db.session.execute(
        sa.select(Application.status, Application.posting_id).where(
            Application.profile_id == profile.id
        )
    )
    for status, posting_id in rows:
        counts[status] = counts.get(status, 0) + 1
        applied.add(posting_id)
    return counts, applied
