"""Read-only queries for the student's list and the recruiter's pipeline. Each page runs a
fixed number of statements whatever the number of applications: related rows are
eager-loaded, the posting's eligibility lists (which these pages never show) are not."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, load_only

from foundry.accounts.models import User
from foundry.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationStatus,
)
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.postings.loading import without_lists
from foundry.postings.models import Posting
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, University

MY_SORTS = {
    "submitted": Application.submitted_at,
    "updated": Application.status_changed_at,
    "title": Posting.title,
}

PIPELINE_SORTS = {
    "submitted": Application.submitted_at,
    "name": User.display_name,
}

# The newest applicants of each state on the board; its column's footer links to all of
# them in the list (filtered to that state, 20 a page, with bulk moves). Ten, not thirty:
# seven columns of thirty cards (190 at 500 applicants) made a page some 4,000 px tall
# whose second row of columns few would scroll to, 400 tab stops for a keyboard, and
# three fifths of the page's time.
BOARD_COLUMN_SIZE = 10


def _lean_profile():
    """The applicant with their user, university, faculty and programme; skills eagerly.
    Not the user's role memberships: the applicant's roles are not shown."""
    return joinedload(Application.profile).options(
        joinedload(StudentProfile.user).lazyload(User.memberships),
        lazyload(StudentProfile.languages),
        lazyload(StudentProfile.themes),
    )


# Loader options are immutable: built once per process (building them took about a tenth
# of the page's time).
@cache
def _my_applications_options() -> tuple:
    return (
        load_only(
            Application.posting_id,
            Application.profile_id,
            Application.status,
            Application.submitted_at,
            Application.status_changed_at,
        ),
        joinedload(Application.posting).options(
            load_only(Posting.title, Posting.company_id),
            joinedload(Posting.company).load_only(Company.name),
            *without_lists(),
        ),
        lazyload(Application.profile),
    )


def my_applications_statement(profile: StudentProfile, status: ApplicationStatus | None):
    """The student's applications with what their list shows: the title and company of
    each posting, the status and two dates; not the letters, answers and CVs sent, nor
    the postings' descriptions (which were most of the rows read)."""
    stmt = (
        sa.select(Application)
        .join(Posting, Application.posting_id == Posting.id)
        .where(Application.profile_id == profile.id)
        .options(*_my_applications_options())
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


class BoardCard(NamedTuple):
    """What a card on the board shows, read as plain columns. Loading each card's
    application with its profile, user, university, faculty, programme and skills (and
    the letter and answers) as objects took a third of the board's time, for five values."""

    id: int
    status: ApplicationStatus
    submitted_at: datetime
    name: str
    university_code: str
    faculty_en: str | None
    faculty_zh: str | None

    def faculty(self, locale: str) -> str:
        """The faculty's name in `locale`, chosen as Faculty.name chooses it."""
        return (self.faculty_zh if locale.startswith("zh") else self.faculty_en) or ""


def board_columns(
    posting: Posting, name: str | None, size: int = BOARD_COLUMN_SIZE
) -> dict[ApplicationStatus, list[BoardCard]]:
    """The newest `size` applicants in each state, in one statement (a window function)."""
    position = (
        sa.func.row_number()
        .over(
            partition_by=Application.status,
            order_by=(Application.submitted_at.desc(), Application.id.desc()),
        )
        .label("position")
    )
    # Rank the posting's applications alone (an index scan of a few hundred rows), then
    # join the profiles of the few that are shown: ranked after joining every applicant's
    # profile, PostgreSQL read all 50,000 profiles to hash them, 4 times the statement's cost.
    ranking = sa.select(Application.id, position)
    if name:
        ranking = _filtered(ranking, posting, None, name)
    else:
        ranking = ranking.where(Application.posting_id == posting.id)
    ranked = ranking.subquery()
    stmt = (
        sa.select(
            Application.id,
            Application.status,
            Application.submitted_at,
            User.display_name,
            University.code,
            Faculty.name_en,
            Faculty.name_zh,
        )
        .join(ranked, ranked.c.id == Application.id)
        .join(StudentProfile, Application.profile_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .join(University, StudentProfile.university_id == University.id)
        .outerjoin(Faculty, StudentProfile.faculty_id == Faculty.id)
        .where(ranked.c.position <= size)
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    columns: dict[ApplicationStatus, list[BoardCard]] = {s: [] for s in ApplicationStatus}
    for row in db.session.execute(stmt):
        card = BoardCard(*row)
        columns[card.status].append(card)
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
