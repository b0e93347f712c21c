"""Read-only queries for the student's list and the recruiter's pipeline. Each page runs a
fixed number of statements whatever the number of applications: related rows are
eager-loaded, the posting's eligibility lists (which these pages never show) are not."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from foundry.accounts.models import User
from foundry.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationStatus,
)
from foundry.extensions import db
from foundry.postings.loading import without_lists
from foundry.postings.models import Posting
from foundry.students.models import StudentProfile

MY_SORTS = {
    "submitted": Application.submitted_at,
    "updated": Application.status_changed_at,
    "title": Posting.title,
}

PIPELINE_SORTS = {
    "submitted": Application.submitted_at,
    "name": User.display_name,
}

BOARD_COLUMN_SIZE = 30


def _lean_posting():
    """The posting and its company, without the eligibility and question lists."""
    return joinedload(Application.posting).options(*without_lists())


def _lean_profile():
    """The applicant with their user, university, faculty and programme; skills eagerly.
    Not the user's role memberships: the applicant's roles are not shown."""
    return joinedload(Application.profile).options(
        joinedload(StudentProfile.user).lazyload(User.memberships),
        lazyload(StudentProfile.languages),
        lazyload(StudentProfile.themes),
    )


def my_applications_statement(profile: StudentProfile, status: ApplicationStatus | None):
    stmt = (
        sa.select(Application)
        .join(Posting, Application.posting_id == Posting.id)
        .where(Application.profile_id == profile.id)
        .options(_lean_posting(), lazyload(Application.profile))
    )
    if status is not None:
        stmt = stmt.where(Application.status == status)
    return stmt


def status_counts(*where) -> dict[ApplicationStatus, int]:
    rows = db.session.execute(
        sa.select(Application.status, sa.func.count()).where(*where).group_by(Application.status)
    ).all()
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in ApplicationStatus}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(stmt: sa.Select, posting: Posting, status, name: str | None) -> sa.Select:
    stmt = (
        stmt.join(StudentProfile, Application.profile_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .where(Application.posting_id == posting.id)
    )
    if status is not None:
        stmt = stmt.where(Application.status == status)
    if name:
        stmt = stmt.where(User.display_name.ilike(f"%{_escape_like(name)}%", escape="\\"))
    return stmt


def pipeline_statement(posting: Posting, status: ApplicationStatus | None, name: str | None):
    """The posting's applicants, filtered by status and by (part of) their name."""
    stmt = sa.select(Application).options(lazyload(Application.posting), _lean_profile())
    return _filtered(stmt, posting, status, name)


def board_columns(
    posting: Posting, name: str | None, size: int = BOARD_COLUMN_SIZE
) -> dict[ApplicationStatus, list[Application]]:
    """The newest `size` applicants in each state, in one statement (a window function)."""
    position = (
        sa.func.row_number()
        .over(
            partition_by=Application.status,
            order_by=(Application.submitted_at.desc(), Application.id.desc()),
        )
        .label("position")
    )
    ranked = _filtered(sa.select(Application.id, position), posting, None, name).subquery()
    stmt = (
        sa.select(Application)
        .join(ranked, ranked.c.id == Application.id)
        .where(ranked.c.position <= size)
        .order_by(Application.submitted_at.desc(), Application.id.desc())
        .options(lazyload(Application.posting), _lean_profile())
    )
    columns: dict[ApplicationStatus, list[Application]] = {s: [] for s in ApplicationStatus}
    for application in db.session.scalars(stmt):
        columns[application.status].append(application)
    return columns


def events_of(application: Application) -> list[ApplicationEvent]:
    return list(
        db.session.scalars(
            sa.select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.created_at, ApplicationEvent.id)
        )
    )


def notes_of(application: Application) -> list[ApplicationNote]:
    return list(
        db.session.scalars(
            sa.select(ApplicationNote)
            .where(ApplicationNote.application_id == application.id)
            .order_by(ApplicationNote.created_at.desc(), ApplicationNote.id.desc())
        )
    )
