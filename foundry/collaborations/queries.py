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
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from foundry.accounts.models import COMPANY_ROLES, FACULTY_STAFF_ROLES, RoleMembership, User
from foundry.applications.models import Application
from foundry.collaborations.attachment_models import AttachmentAudience
from foundry.collaborations.models import (
    SHARED_WITH_COMPANIES,
    Collaboration,
    CollaborationChange,
    CollaborationKind,
    CollaborationStatus,
    CompanyParty,
    FacultyParty,
    StudentParticipant,
    Visibility,
)
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.placements.models import Placement
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


@dataclass(frozen=True)
class Filters:
    query: str = ""
    kind: CollaborationKind | None = None
    status: CollaborationStatus | None = None
    company_id: int | None = None
    year: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    funding_scheme: str = ""

    @property
    def any(self) -> bool:
        return self != Filters()


def _enum_arg(args, name: str, enum_cls):
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput(_("Choose a value from the list.")) from None


def _int_arg(args, name: str, low: int, high: int, message: str) -> int | None:
    raw = (args.get(name) or "").strip().replace(",", "")
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(message)
    return int(raw)


def filters_from(args) -> Filters:
    """The list's filters from the query string; a value that cannot be is refused (400)."""
    value_message = _("Values are whole Hong Kong dollars, 0 or more.")
    filters = Filters(
        query=(args.get("q") or "").strip()[:100],
        kind=_enum_arg(args, "kind", CollaborationKind),
        status=_enum_arg(args, "status", CollaborationStatus),
        company_id=_int_arg(args, "company", 1, 2**31 - 1, _("Choose a company from the list.")),
        year=_int_arg(args, "year", 1990, 2100, _("The year must be from 1990 to 2100.")),
        min_value=_int_arg(args, "min_value", 0, 10**12, value_message),
        max_value=_int_arg(args, "max_value", 0, 10**12, value_message),
        funding_scheme=(args.get("funding") or "").strip()[:80],
    )
    low, high = filters.min_value, filters.max_value
    if low is not None and high is not None and low > high:
        raise InvalidInput(_("The lowest value must not be above the highest."))
    return filters


def _conditions(filters: Filters) -> list:
    where = []
    if filters.query:
        like = f"%{filters.query.lower()}%"
        where.append(
            sa.or_(
                sa.func.lower(Collaboration.title).like(like),
                sa.func.lower(Collaboration.summary).like(like),
            )
        )
    if filters.kind:
        where.append(Collaboration.kind == filters.kind)
    if filters.status:
        where.append(Collaboration.status == filters.status)
    if filters.company_id:
        where.append(
            Collaboration.id.in_(
                sa.select(CompanyParty.collaboration_id).where(
                    CompanyParty.company_id == filters.company_id
                )
            )
        )
    if filters.year:
        where.append(
            Collaboration.start_date.between(date(filters.year, 1, 1), date(filters.year, 12, 31))
        )
    total = Collaboration.cash_hkd + Collaboration.in_kind_hkd
    if filters.min_value is not None:
        where.append(total >= filters.min_value)
    if filters.max_value is not None:
        where.append(total <= filters.max_value)
    if filters.funding_scheme:
        where.append(sa.func.lower(Collaboration.funding_scheme) == filters.funding_scheme.lower())
    return where


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


def list_statement(scope: sa.ColumnElement[bool], filters: Filters) -> sa.Select:
    return (
        sa.select(Collaboration)
        .where(scope, *_conditions(filters))
        .options(selectinload(Collaboration.company_parties))
    )


# --- totals ----------------------------------------------------------------------------------


@dataclass
class Totals:
    """Count, cash and in-kind by kind, by status and by year (of the start)."""

    by_kind: list[tuple] = field(default_factory=list)
    by_status: list[tuple] = field(default_factory=list)
    by_year: list[tuple] = field(default_factory=list)

    @property
    def overall(self) -> tuple[int, int, int]:
        rows = self.by_kind
        return (
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            sum(r[3] for r in rows),
        )


def totals(scope: sa.ColumnElement[bool], filters: Filters) -> Totals:
    """The portfolio's totals, in the form universities report knowledge transfer."""
    year = sa.extract("year", Collaboration.start_date)

    def grouped(key):
        stmt = (
            sa.select(
                key.label("key"),
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(Collaboration.cash_hkd), 0),
                sa.func.coalesce(sa.func.sum(Collaboration.in_kind_hkd), 0),
            )
            .where(scope, *_conditions(filters))
            .group_by(key)
            .order_by(key)
        )
        return [tuple(row) for row in db.session.execute(stmt)]

    return Totals(
        by_kind=grouped(Collaboration.kind),
        by_status=grouped(Collaboration.status),
        by_year=[(int(k), *rest) for k, *rest in grouped(year)],
    )


# --- one record -----------------------------------------------------------------------------


def record_for_page(collaboration_id: int) -> Collaboration | None:
    """A record with everything its page shows, in a constant number of statements."""
    return db.session.scalar(
        sa.select(Collaboration)
        .where(Collaboration.id == collaboration_id)
        .options(
            selectinload(Collaboration.faculty_parties),
            selectinload(Collaboration.company_parties),
            selectinload(Collaboration.people),
            selectinload(Collaboration.students),
            selectinload(Collaboration.milestones),
            selectinload(Collaboration.outcomes),
        )
    )


def history_of(record: Collaboration, *, faculty_only_lines: bool) -> list[CollaborationChange]:
    """The record's history, newest first; without the lines about attachments kept for
    the faculties only unless `faculty_only_lines` (a company must not learn their names)."""
    changes = db.session.scalars(
        sa.select(CollaborationChange)
        .where(CollaborationChange.collaboration_id == record.id)
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

    def get(self, cohort: str, stage: str, period: str) -> int:
        return self.counts.get((cohort, stage, period), 0)


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
    is_participant = sa.case((participant, 1), else_=0)
    stmt = (
        sa.select(
            union.c.stage,
            union.c.period,
            is_participant,
            sa.func.count(sa.distinct(union.c.profile_id)),
        )
        .join(StudentProfile, StudentProfile.id == union.c.profile_id)
        .where(StudentProfile.faculty_id.in_(faculty_ids))
        .group_by(union.c.stage, union.c.period, is_participant)
    )
    counts: dict[tuple[str, str, str], int] = {}
    for stage, when, is_participant, number in db.session.execute(stmt):
        counts[("faculty", stage, when)] = counts.get(("faculty", stage, when), 0) + number
        if is_participant:
            counts[("participants", stage, when)] = number
    return HiringLink(counts)


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
