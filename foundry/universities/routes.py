"""Faculty staff's and university coordinators' home pages and the student list."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme, University
from foundry.universities.queries import (
    STUDENT_LIST_SORTS,
    StudentFilters,
    in_faculty,
    in_university,
    profiles_with_cv,
    student_figures,
    student_list_statement,
    students_by_faculty,
    students_by_graduation_year,
    students_by_level,
    students_by_programme,
)
from foundry.web import apply_sorting, page_from_request, require, sorting_from_request

bp = Blueprint("universities", __name__)


@bp.get("/faculty/<int:faculty_id>")
@login_required
def faculty_home(faculty_id: int):
    faculty = db.get_or_404(Faculty, faculty_id)
    require("faculty.view_students", faculty)
    faculty_only = in_faculty(faculty.id)
    locale = str(get_locale())
    return render_template(
        "universities/faculty_home.html",
        faculty=faculty,
        figures=student_figures(faculty_only),
        by_programme=[
            (programme.name(locale) if programme else _("Programme not given"), count)
            for programme, count in students_by_programme(faculty.id)
        ],
        by_year=students_by_graduation_year(faculty_only),
        by_level=[
            (STUDY_LEVEL_LABELS[level], n) for level, n in students_by_level(faculty_only).items()
        ],
    )


@bp.get("/faculty/<int:faculty_id>/students")
@login_required
def faculty_students(faculty_id: int):
    faculty = db.get_or_404(Faculty, faculty_id)
    require("faculty.view_students", faculty)
    filters = _filters_from_request(faculty)
    sorting = sorting_from_request(STUDENT_LIST_SORTS, "name")
    stmt = apply_sorting(
        student_list_statement(faculty.id, filters), sorting, STUDENT_LIST_SORTS, StudentProfile.id
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    return render_template(
        "universities/faculty_students.html",
        faculty=faculty,
        page=page,
        filters=filters,
        sorting=sorting,
        with_cv=profiles_with_cv([profile.id for profile in page.items]),
    )


def _int_arg(name: str, low: int, high: int) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            _(
                "The filter %(name)s must be a number from %(low)d to %(high)d.",
                name=name,
                low=low,
                high=high,
            )
        )
    return int(raw)


def _bool_arg(name: str) -> bool | None:
    raw = request.args.get(name) or ""
    if raw in ("", "any"):
        return None
    if raw not in ("yes", "no"):
        raise InvalidInput(_("The filter %(name)s must be yes or no.", name=name))
    return raw == "yes"


def _filters_from_request(faculty: Faculty) -> StudentFilters:
    programme_id = _int_arg("programme", 1, 2**31 - 1)
    if programme_id is not None:
        programme = db.session.get(StudyProgramme, programme_id)
        if programme is None or programme.faculty_id != faculty.id:
            raise InvalidInput(_("That programme is not one of this faculty's."))
    level_raw = request.args.get("level") or None
    try:
        level = StudyLevel(level_raw) if level_raw else None
    except ValueError:
        raise InvalidInput(_("Unknown study level.")) from None
    return StudentFilters(
        programme_id=programme_id,
        level=level,
        graduation_year=_int_arg("graduation", 1990, 2100),
        non_local=_bool_arg("non_local"),
        talent_pool=_bool_arg("talent_pool"),
        query=(request.args.get("q") or "").strip()[:100] or None,
    )


@bp.get("/university/<int:university_id>")
@login_required
def university_home(university_id: int):
    university = db.get_or_404(University, university_id)
    require("university.view", university)
    university_only = in_university(university.id)
    faculties = students_by_faculty(university.id)
    locale = str(get_locale())
    return render_template(
        "universities/university_home.html",
        university=university,
        figures=student_figures(university_only),
        faculties=faculties,
        faculty_rows=[(faculty.name(locale), figures.students) for faculty, figures in faculties],
        by_year=students_by_graduation_year(university_only),
    )
