"""What the collaboration pages read: the lists (a faculty's, a company's, a student's) with
their search, filters and sorting; the portfolio's totals by kind, status and year; one
record with what its page shows; and the hiring link, aggregated in SQL.

Each page costs a constant number of statements whatever its length: the list's page and
its count, one statement for the parties of the records shown, three for the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from foundry.accounts.models import COMPANY_ROLES, FACULTY_STAFF_ROLES, RoleMembership, User
from foundry.applications.models import Application
from foundry.collaborations.attachment_models import AttachmentAudience
from foundry.collaborations.filters import Filters, conditions, with_faculty
from foundry.collaborations.models import (
    SHARED_WITH_COMPANIES,
    Collaboration,
    CollaborationChange,
    CollaborationPerson,
    CompanyParty,
    FacultyParty,
    StudentParticipant,
    Visibility,
)
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.policy import CollaborationScope
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
PAGE_SIZE = 20

SORTS = {
    "start": Collaboration.start_date,
    "title": Collaboration.title,
    "value": Collaboration.cash_hkd + Collaboration.in_kind_hkd,
    "status": Collaboration.status,
}


# --- whose records --------------------------------------------------------------------------


def of_faculty(faculty_id: int) -> sa.ColumnElement[bool]:
    """The records a faculty is a party to (whatever their visibility)."""
    return Collaboration.id.in_(
        sa.select(FacultyParty.collaboration_id).where(FacultyParty.faculty_id == faculty_id)
    )


def shared_with_company(company_id: int) -> sa.ColumnElement[bool]:
    """The records a company is a party to and that are shared with it."""
    return sa.and_(
        Collaboration.visibility.in_(SHARED_WITH_COMPANIES),
        Collaboration.id.in_(
            sa.select(CompanyParty.collaboration_id).where(CompanyParty.company_id == company_id)
        ),
    )


def seen_by_student(profile: StudentProfile) -> sa.ColumnElement[bool]:
    """Public summaries of the student's faculty's records, and records they take part in."""
    return sa.or_(
        sa.and_(Collaboration.visibility == Visibility.PUBLIC, of_faculty(profile.faculty_id)),
        Collaboration.id.in_(
            sa.select(StudentParticipant.collaboration_id).where(
                StudentParticipant.profile_id == profile.id
            )
        ),
    )


def in_scope(scope: CollaborationScope) -> sa.ColumnElement[bool]:
    """The records of a portfolio's scope (foundry/policy.py decides the scope)."""
    where = []
    if scope.university_ids is not None:
        where.append(with_faculty(Faculty.university_id.in_(sorted(scope.university_ids))))
    if scope.faculty_ids is not None:
        where.append(
            Collaboration.id.in_(
                sa.select(FacultyParty.collaboration_id).where(
                    FacultyParty.faculty_id.in_(sorted(scope.faculty_ids))
                )
            )
        )
    if scope.company_id is not None:
        where.append(
            shared_with_company(scope.company_id)
            if scope.shared_only
            else Collaboration.id.in_(
                sa.select(CompanyParty.collaboration_id).where(
                    CompanyParty.company_id == scope.company_id
                )
            )
        )
    return sa.and_(sa.true(), *where)


def list_statement(scope: sa.ColumnElement[bool], filters: Filters) -> sa.Select:
    return (
        sa.select(Collaboration)
        .where(scope, *conditions(filters))
        .options(selectinload(Collaboration.company_parties))
    )


# --- one record -----------------------------------------------------------------------------


def record_for_page(collaboration_id: int) -> Collaboration | None:
    """A record with everything its page shows, in a constant number of statements."""
    # The parties come in the record's own statement (a handful of rows each); the names
    # shown need neither the people's roles nor the students' skills, which load by default.
    student = selectinload(Collaboration.students).joinedload(StudentParticipant.profile)
    found = db.session.scalars(
        sa.select(Collaboration)
        .where(Collaboration.id == collaboration_id)
        .options(
            joinedload(Collaboration.faculty_parties),
            joinedload(Collaboration.company_parties),
            selectinload(Collaboration.people)
            .joinedload(CollaborationPerson.user)
            .lazyload(User.memberships),
            student.lazyload(StudentProfile.skills),
            student.lazyload(StudentProfile.languages),
            student.lazyload(StudentProfile.themes),
            student.joinedload(StudentProfile.user).lazyload(User.memberships),
            selectinload(Collaboration.milestones),
            selectinload(Collaboration.outcomes),
        )
    )
    return found.unique().first()


def history_of(record: Collaboration, *, faculty_only_lines: bool) -> list[CollaborationChange]:
    """The record's history, newest first; without the lines about attachments kept for
    the faculties only unless `faculty_only_lines` (a company must not learn their names)."""
    changes = db.session.scalars(
        sa.select(CollaborationChange)
        .where(CollaborationChange.collaboration_id == record.id)
        .options(joinedload(CollaborationChange.actor).lazyload(User.memberships))
        .order_by(CollaborationChange.occurred_at.desc(), CollaborationChange.id.desc())
    )
    hidden = AttachmentAudience.FACULTIES.value
    return [
        change
        for change in changes
        if faculty_only_lines
        or hidden not in (change.before.get("audience"), change.after.get("audience"))
    ]


# --- the hiring link ------------------------------------------------------------------------

STAGES = ("applied", "interviewed", "offered", "placed")
PERIODS = ("during", "after")


@dataclass(frozen=True)
class HiringLink:
    """Distinct students by (cohort, stage, period): cohort "participants" (the record's
    student participants) or "faculty" (every student of its faculties, participants too)."""

    counts: dict[tuple[str, str, str], int]
    # The stages each participant reached (by profile id), to name them.
    reached: dict[int, set[str]] = field(default_factory=dict)

    def get(self, cohort: str, stage: str, period: str) -> int:
        return self.counts.get((cohort, stage, period), 0)

    def furthest(self, profile_id: int) -> str | None:
        """The furthest stage a participant reached at the partner companies, if any."""
        stages = self.reached.get(profile_id, set())
        return next((s for s in reversed(STAGES) if s in stages), None)


def _hk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), HONG_KONG).astimezone(UTC)


def hiring_link(record: Collaboration) -> HiringLink:
    """Of the record's student participants and of its faculties' students: how many
    applied to, interviewed with, were offered and were placed at its partner companies
    during it and after it (Hong Kong dates). One statement."""
    company_ids = sorted(p.company_id for p in record.company_parties)
    faculty_ids = sorted(p.faculty_id for p in record.faculty_parties)
    if not company_ids:
        return HiringLink({})
    starts = _hk_midnight(record.start_date)
    ends = _hk_midnight(record.end_date + timedelta(days=1)) if record.end_date else None

    def period(at):
        during = at < ends if ends is not None else sa.true()
        # Literal SQL, not parameters: PostgreSQL must know a UNION's column types.
        return sa.case((during, sa.literal_column("'during'")), else_=sa.literal_column("'after'"))

    def events(stage: str, profile_id, at, company_id, table_where=()):
        return sa.select(
            profile_id.label("profile_id"),
            sa.literal_column(f"'{stage}'").label("stage"),
            period(at).label("period"),
        ).where(at.is_not(None), at >= starts, company_id.in_(company_ids), *table_where)

    a = Application
    union = sa.union_all(
        events("applied", a.profile_id, a.submitted_at, a.company_id),
        events("interviewed", a.profile_id, a.interviewed_at, a.company_id),
        events("offered", a.profile_id, a.offered_at, a.company_id),
        events("placed", Placement.profile_id, Placement.placed_at, Placement.company_id),
    ).subquery()
    participant = union.c.profile_id.in_(
        sa.select(StudentParticipant.profile_id).where(
            StudentParticipant.collaboration_id == record.id
        )
    )
    # A participant's own row (to name them); everyone else of the faculties counted as one.
    participant_id = sa.case((participant, union.c.profile_id), else_=sa.null())
    stmt = (
        sa.select(
            union.c.stage,
            union.c.period,
            participant_id,
            sa.func.count(sa.distinct(union.c.profile_id)),
        )
        .join(StudentProfile, StudentProfile.id == union.c.profile_id)
        .where(StudentProfile.faculty_id.in_(faculty_ids))
        .group_by(union.c.stage, union.c.period, participant_id)
    )
    counts: dict[tuple[str, str, str], int] = {}
    reached: dict[int, set[str]] = {}
    for stage, when, profile_id, number in db.session.execute(stmt):
        counts[("faculty", stage, when)] = counts.get(("faculty", stage, when), 0) + number
        if profile_id is not None:
            key = ("participants", stage, when)
            counts[key] = counts.get(key, 0) + 1
            reached.setdefault(profile_id, set()).add(stage)
    return HiringLink(counts, reached)


# --- choosers --------------------------------------------------------------------------------


def staff_choices(faculty_ids: list[int]) -> list[tuple[int, str]]:
    """(user id, name) of the staff of these faculties: who may be named an academic."""
    return [
        (row.id, row.display_name)
        for row in db.session.execute(
            sa.select(User.id, User.display_name)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.faculty_id.in_(sorted(faculty_ids)),
                RoleMembership.role.in_(sorted(FACULTY_STAFF_ROLES, key=lambda r: r.value)),
            )
            .distinct()
            .order_by(User.display_name, User.id)
        )
    ]


def member_choices(company_ids: list[int]) -> list[tuple[int, str]]:
    """(user id, name) of the members of these companies: who may be a company contact."""
    return [
        (row.id, row.display_name)
        for row in db.session.execute(
            sa.select(User.id, User.display_name)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.company_id.in_(sorted(company_ids)),
                RoleMembership.role.in_(sorted(COMPANY_ROLES, key=lambda r: r.value)),
            )
            .distinct()
            .order_by(User.display_name, User.id)
        )
    ]


def student_choices(faculty_ids: list[int]) -> list[tuple[int, str]]:
    """(profile id, name) of the students of these faculties."""
    return [
        (row.id, row.display_name)
        for row in db.session.execute(
            sa.select(StudentProfile.id, User.display_name)
            .join(User, User.id == StudentProfile.user_id)
            .where(StudentProfile.faculty_id.in_(sorted(faculty_ids)))
            .order_by(User.display_name, StudentProfile.id)
            .limit(500)
        )
    ]


def faculty_choices() -> list[tuple[int, str]]:
    """(faculty id, "UNI · name") of every faculty, for a party or a proposal."""
    return [
        (row.id, f"{row.code} · {row.name_en}")
        for row in db.session.execute(
            sa.select(Faculty.id, University.code, Faculty.name_en)
            .join(University, University.id == Faculty.university_id)
            .order_by(University.code, Faculty.name_en)
        )
    ]
