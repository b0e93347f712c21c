"""The student head counts (report_student_counts) follow every change to the students
they count, at the flush that makes it: new and deleted students, a first and a last CV,
the talent pool, a change of faculty, a deleted user. The home pages read nothing else."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.reports.summaries import head_counts, tracking
from foundry.reports.summaries.models import StudentCounts
from foundry.universities.models import StudyLevel
from foundry.universities.queries import (
    in_faculty,
    in_university,
    student_figures,
    students_by_faculty,
    students_by_level,
)
from tests import factories as f
from tests.reports.summaries.helpers import out_of_step


def _figures(faculty):
    figures = student_figures(in_faculty(faculty.id))
    return (figures.students, figures.talent_pool, figures.non_local, figures.with_cv)


def test_head_counts_follow_students_cvs_and_the_talent_pool(db):
    faculty = f.FacultyFactory()
    one = f.StudentProfileFactory(faculty=faculty)
    two = f.StudentProfileFactory(faculty=faculty, non_local=True)
    assert _figures(faculty) == (2, 0, 1, 0)

    cv = f.CVFactory(profile=one)
    second_cv = f.CVFactory(profile=one)  # a second CV is no second student with a CV
    db.session.flush()
    assert _figures(faculty) == (2, 0, 1, 1)

    two.talent_pool_opt_in = True
    two.talent_pool_opted_in_at = two.created_at
    db.session.flush()
    assert _figures(faculty) == (2, 1, 1, 1)

    db.session.delete(cv)
    db.session.flush()
    assert _figures(faculty) == (2, 1, 1, 1)  # one CV left
    db.session.delete(second_cv)
    db.session.flush()
    assert _figures(faculty) == (2, 1, 1, 0)
    assert out_of_step() == {}


def test_a_student_changing_faculty_moves_between_the_faculties_figures(db):
    faculty = f.FacultyFactory()
    other = f.FacultyFactory(university=faculty.university)
    student = f.StudentProfileFactory(faculty=faculty, study_level=StudyLevel.PG)
    f.CVFactory(profile=student)
    db.session.flush()
    student.faculty_id = other.id
    db.session.flush()
    assert _figures(faculty) == (0, 0, 0, 0)
    assert _figures(other) == (1, 0, 0, 1)
    assert students_by_level(in_faculty(other.id))[StudyLevel.PG] == 1
    per_faculty = {
        each.id: figures.students for each, figures in students_by_faculty(faculty.university_id)
    }
    assert per_faculty == {faculty.id: 0, other.id: 1}
    assert out_of_step() == {}


def test_deleted_students_and_users_leave_the_head_counts(db):
    faculty = f.FacultyFactory()
    kept, deleted, with_user = (f.StudentProfileFactory(faculty=faculty) for _ in range(3))
    f.CVFactory(profile=with_user)
    db.session.flush()
    db.session.delete(deleted)
    db.session.flush()
    db.session.delete(with_user.user)  # the profile and the CV go with it, in SQL
    db.session.flush()
    db.session.expire_all()
    assert _figures(faculty) == (1, 0, 0, 0)
    assert student_figures(in_university(faculty.university_id)).students == 1
    assert db.session.scalar(sa.select(sa.func.sum(StudentCounts.students))) == 1
    assert kept.id is not None
    assert out_of_step() == {}


def test_every_column_the_head_counts_read_is_declared_by_its_model():
    from tests.reports.summaries.test_declared_facts import _columns_read, _model_of

    undeclared = set()
    for column in _columns_read(head_counts.student_counts()):
        model = _model_of(column.table)
        facts = tracking.report_facts(model)
        if facts is None:
            undeclared.add(f"{model.__name__}.{column.key}")
        elif column.primary_key and facts.head_count_on_write:
            continue
        elif column.key not in facts.moves_head_counts:
            undeclared.add(f"{model.__name__}.{column.key}")
    assert undeclared == set()
