"""Read-only figures and lists about a faculty's or university's students, in SQL."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.extensions import db
from foundry.reports.summaries.models import StudentCounts
from foundry.students.models import CVDocument, StudentProfile
from foundry.students.queries import profile_without_lists
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme


@dataclass(frozen=True)
class StudentFigures:
    students: int
    talent_pool: int
    non_local: int
    with_cv: int

    def share(self, part: int) -> int:
        return round(100 * part / self.students) if self.students else 0


# The figures add up the student head counts (report_student_counts, kept in step with the
# profiles and CVs at every flush): a few hundred rows for a university, however many
# students it has, where counting the profiles read every one of them.
S = StudentCounts


def in_faculty(faculty_id: int) -> sa.ColumnElement[bool]:
    return S.faculty_id == faculty_id


def in_university(university_id: int) -> sa.ColumnElement[bool]:
    return S.university_id == university_id


def _students(*where) -> sa.ColumnElement[int]:
    """The students of the head counts' rows (that match `where`), 0 for none."""
    counted = sa.func.sum(S.students)
    return sa.func.coalesce(counted.filter(*where) if where else counted, 0)


def _figures() -> tuple[sa.ColumnElement[int], ...]:
    return (
        _students(),
        _students(S.talent_pool.is_(True)),
        _students(S.non_local.is_(True)),
        _students(S.with_cv.is_(True)),
    )


def student_figures(*where) -> StudentFigures:
    """Headline counts over the students in `where` (in_faculty, in_university), in one
    statement."""
    return StudentFigures(*db.session.execute(sa.select(*_figures()).where(*where)).one())


def students_by_programme(faculty_id: int) -> list[tuple[StudyProgramme | None, int]]:
    rows = db.session.execute(
        sa.select(S.programme_id, sa.func.sum(S.students))
        .where(in_faculty(faculty_id))
        .group_by(S.programme_id)
    ).all()
    programmes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(StudyProgramme).where(StudyProgramme.faculty_id == faculty_id)
        )
    }
    # NO_PROGRAMME (0) is no programme's id: it reads as "not given".
    counted = [(programmes.get(pid), int(n)) for pid, n in rows]
    return sorted(counted, key=lambda item: -item[1])


def students_by_graduation_year(*where) -> list[tuple[int, int]]:
    return [
        (year, int(n))
        for year, n in db.session.execute(
            sa.select(S.graduation_year, sa.func.sum(S.students))
            .where(*where)
            .group_by(S.graduation_year)
            .order_by(S.graduation_year)
        )
    ]


def students_by_level(*where) -> dict[StudyLevel, int]:
    rows = db.session.execute(
        sa.select(S.study_level, sa.func.sum(S.students)).where(*where).group_by(S.study_level)
    ).all()
    counts = {level: int(n) for level, n in rows}
    return {level: counts.get(level, 0) for level in StudyLevel}


def students_by_faculty(university_id: int) -> list[tuple[Faculty, StudentFigures]]:
    """Per-faculty figures for a university, in one grouped statement."""
    rows = db.session.execute(
        sa.select(Faculty, *_figures())
        .outerjoin(S, S.faculty_id == Faculty.id)
        .where(Faculty.university_id == university_id)
        .group_by(Faculty.id)
        .order_by(Faculty.name_en)
    ).all()
    return [(faculty, StudentFigures(*counts)) for faculty, *counts in rows]


STUDENT_LIST_SORTS = {
    "name": User.display_name,
    "graduation": StudentProfile.graduation_year,
    "level": StudentProfile.study_level,
    "programme": StudyProgramme.name_en,
}


@dataclass(frozen=True)
class StudentFilters:
    programme_id: int | None = None
    level: StudyLevel | None = None
    graduation_year: int | None = None
    non_local: bool | None = None
    talent_pool: bool | None = None
    query: str | None = None


def student_list_statement(faculty_id: int, filters: StudentFilters) -> sa.Select:
    stmt = (
        sa.select(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(StudyProgramme, StudyProgramme.id == StudentProfile.programme_id)
        .where(StudentProfile.faculty_id == faculty_id)
        .options(*profile_without_lists())  # the list shows none of them
    )
    if filters.programme_id is not None:
        stmt = stmt.where(StudentProfile.programme_id == filters.programme_id)
    if filters.level is not None:
        stmt = stmt.where(StudentProfile.study_level == filters.level)
    if filters.graduation_year is not None:
        stmt = stmt.where(StudentProfile.graduation_year == filters.graduation_year)
    if filters.non_local is not None:
        stmt = stmt.where(StudentProfile.non_local.is_(filters.non_local))
    if filters.talent_pool is not None:
        stmt = stmt.where(StudentProfile.talent_pool_opt_in.is_(filters.talent_pool))
    if filters.query:
        pattern = f"%{filters.query.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.display_name).like(pattern),
                sa.func.lower(StudentProfile.student_number).like(pattern),
            )
        )
    return stmt


def profiles_with_cv(profile_ids: list[int]) -> set[int]:
    """Which of these students have at least one CV, in one statement."""
    if not profile_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(CVDocument.profile_id)
            .where(CVDocument.profile_id.in_(profile_ids))
            .distinct()
        )
    )
