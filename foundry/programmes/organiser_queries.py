"""Read-only lists for organisers: an organiser's programmes with their figures, and a
session's attendees (registered, then the waitlist in order, with positions).

Each page costs the same few statements whatever its size: the programmes of a page, then
one grouped statement for their sessions and one for their places; the attendees with
their position computed in SQL (a window over the whole session, so a search keeps the
true position)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import lazyload, selectinload

from foundry.accounts.models import User
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.programmes.checkin_models import Attendance
from foundry.programmes.models import (
    LIVE_STATUSES,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

Organiser = Company | Faculty | None


def organiser_condition(organiser: Organiser) -> sa.ColumnElement[bool]:
    """Programmes of this organiser: a company's, a faculty's, or the park's own."""
    if isinstance(organiser, Company):
        return Programme.organiser_company_id == organiser.id
    if isinstance(organiser, Faculty):
        return Programme.organiser_faculty_id == organiser.id
    return sa.and_(
        Programme.organiser_company_id.is_(None), Programme.organiser_faculty_id.is_(None)
    )


def eligibility_universities() -> list[University]:
    """The universities (with their faculties) a programme's eligibility can name."""
    return list(
        db.session.scalars(
            sa.select(University)
            .where(University.enabled.is_(True))
            .options(selectinload(University.faculties))
            .order_by(University.code)
        )
    )


def next_session_start(now: datetime):
    """The start of the programme's next session (None when none is ahead)."""
    return (
        sa.select(sa.func.min(ProgrammeSession.starts_at))
        .where(ProgrammeSession.programme_id == Programme.id, ProgrammeSession.starts_at > now)
        .correlate(Programme)
        .scalar_subquery()
    )


def organiser_sorts(now: datetime) -> dict:
    return {
        "next": next_session_start(now),
        "title": sa.func.lower(Programme.title_en),
        "status": Programme.status,
        "updated": Programme.updated_at,
        "created": Programme.created_at,
    }


def organiser_programmes_statement(
    organiser: Organiser, status: ProgrammeStatus | None
) -> sa.Select:
    """The organiser's programmes (of one status, or all); the list shows none of their
    eligibility lists, so none is loaded."""
    stmt = (
        sa.select(Programme)
        .where(organiser_condition(organiser))
        .options(
            lazyload(Programme.universities),
            lazyload(Programme.faculties),
            lazyload(Programme.levels),
            lazyload(Programme.organiser_company),
            lazyload(Programme.organiser_faculty),
        )
    )
    return stmt if status is None else stmt.where(Programme.status == status)


def status_counts(organiser: Organiser) -> dict[ProgrammeStatus, int]:
    counts = dict.fromkeys(ProgrammeStatus, 0)
    counts.update(
        dict(
            db.session.execute(
                sa.select(Programme.status, sa.func.count())
                .where(organiser_condition(organiser))
                .group_by(Programme.status)
            ).all()
        )
    )
    return counts


@dataclass(frozen=True)
class ProgrammeFigures:
    """A programme's sessions at a glance: how many, the next one, seats and waitlist."""

    sessions: int = 0
    next_start: datetime | None = None
    capacity: int = 0
    registered: int = 0
    waitlisted: int = 0


def programme_figures(programme_ids: list[int], now: datetime) -> dict[int, ProgrammeFigures]:
    """Figures per programme over all its sessions, in two grouped statements."""
    if not programme_ids:
        return {}
    sessions = db.session.execute(
        sa.select(
            ProgrammeSession.programme_id,
            sa.func.count(),
            sa.func.min(ProgrammeSession.starts_at).filter(ProgrammeSession.starts_at > now),
            sa.func.sum(ProgrammeSession.capacity),
        )
        .where(ProgrammeSession.programme_id.in_(programme_ids))
        .group_by(ProgrammeSession.programme_id)
    ).all()
    places = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            sa.select(
                ProgrammeSession.programme_id,
                sa.func.count().filter(Registration.status == RegistrationStatus.REGISTERED),
                sa.func.count().filter(Registration.status == RegistrationStatus.WAITLISTED),
            )
            .join(Registration, Registration.session_id == ProgrammeSession.id)
            .where(
                ProgrammeSession.programme_id.in_(programme_ids),
                Registration.status.in_(LIVE_STATUSES),
            )
            .group_by(ProgrammeSession.programme_id)
        ).all()
    )
    return {
        programme_id: ProgrammeFigures(
            count, next_start, int(capacity or 0), *places.get(programme_id, (0, 0))
        )
        for programme_id, count, next_start, capacity in sessions
    }


def session_places(programme: Programme) -> dict[int, tuple[int, int]]:
    """(registered, waitlisted) per session of the programme, in one statement."""
    rows = db.session.execute(
        sa.select(
            Registration.session_id,
            sa.func.count().filter(Registration.status == RegistrationStatus.REGISTERED),
            sa.func.count().filter(Registration.status == RegistrationStatus.WAITLISTED),
        )
        .join(ProgrammeSession, ProgrammeSession.id == Registration.session_id)
        .where(ProgrammeSession.programme_id == programme.id)
        .group_by(Registration.session_id)
    ).all()
    return {session_id: (registered, waiting) for session_id, registered, waiting in rows}


# --- attendees ------------------------------------------------------------------------------

ATTENDEE_FILTERS = ("all", "registered", "waitlisted")


def attendees_statement(session: ProgrammeSession, shown: str, query: str | None) -> sa.Select:
    """A session's live registrations: the registered by arrival, then the waitlist in its
    order. Each row: registration id, status, place (seat number by arrival, or waitlist
    position), name, university, faculty, level, graduation year, non-local, registered at,
    promoted at. Contact details are not in it: "student.view_private" keeps e-mail and
    student number to the student and their faculty's staff."""
    place = (
        sa.func.row_number()
        .over(partition_by=Registration.status, order_by=Registration.sequence)
        .label("place")
    )
    ranked = (
        sa.select(Registration.id.label("registration_id"), place)
        .where(Registration.session_id == session.id, Registration.status.in_(LIVE_STATUSES))
        .subquery()
    )
    stmt = (
        sa.select(
            Registration.id,
            Registration.status,
            ranked.c.place,
            User.display_name,
            University.code,
            University.name_en,
            University.name_zh,
            Faculty.name_en,
            Faculty.name_zh,
            StudentProfile.study_level,
            StudentProfile.graduation_year,
            StudentProfile.non_local,
            Registration.created_at,
            Registration.promoted_at,
            Attendance.method,
            Attendance.checked_in_at,
            Registration.profile_id,
        )
        .join(ranked, ranked.c.registration_id == Registration.id)
        .outerjoin(Attendance, Attendance.registration_id == Registration.id)
        .join(StudentProfile, StudentProfile.id == Registration.profile_id)
        .join(User, User.id == StudentProfile.user_id)
        .join(University, University.id == StudentProfile.university_id)
        .join(Faculty, Faculty.id == StudentProfile.faculty_id)
        # Registered first (r < w), each in arrival order.
        .order_by(Registration.status, Registration.sequence)
    )
    if shown == "registered":
        stmt = stmt.where(Registration.status == RegistrationStatus.REGISTERED)
    elif shown == "waitlisted":
        stmt = stmt.where(Registration.status == RegistrationStatus.WAITLISTED)
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(sa.func.lower(User.display_name).like(f"%{escaped}%", escape="\\"))
    return stmt


class RowPage(Pagination):
    """A page of plain rows (not models) for the pagination macro: Flask-SQLAlchemy's
    paginate() would keep only each row's first column."""

    def __init__(self, stmt: sa.Select, page: int, per_page: int):
        self._stmt = stmt
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        offset = (self.page - 1) * self.per_page
        return list(db.session.execute(self._stmt.limit(self.per_page).offset(offset)).all())

    def _query_count(self) -> int:
        counted = sa.select(sa.func.count()).select_from(self._stmt.order_by(None).subquery())
        return db.session.scalar(counted) or 0
