"""The reports' filter form: a GET form (no CSRF, nothing changes) whose choices come from
the viewer's scope, so it never lists a university, faculty or programme they may not see.

Parsing and checking the values is the engine's job (foundry.reports.parsing.parse_filter);
this module only says what to offer and what was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.extensions import db
from foundry.reports import cache
from foundry.reports.exports import Description
from foundry.reports.filters import InvalidFilter, ReportFilter, ReportScope
from foundry.reports.parsing import GRADUATION_YEARS
from foundry.reports.periods import academic_year_label, academic_year_of
from foundry.reports.summaries.models import StudentYear
from foundry.students.labels import STUDY_LEVEL_LABELS
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyProgramme, University

CUSTOM = "custom"
PERIOD_PARAMETERS = ("year", "from", "to")
FILTER_PARAMETERS = (
    "year",
    "from",
    "to",
    "university",
    "faculty",
    "programme",
    "level",
    "grad",
    "origin",
)


def period_args(args: Mapping[str, str]) -> dict[str, str]:
    """The filter parameters of a request, with the form's period choice resolved.

    The form always sends `year` with `from` and `to`: a year means that academic year (the
    dates are left over from an earlier custom choice and dropped), "custom" means the
    dates. Links built by ReportFilter.query_args() never mix them and pass unchanged."""
    values = {name: args.get(name, "") for name in FILTER_PARAMETERS if args.get(name)}
    year = values.get("year", "").strip()
    if year == CUSTOM:
        values.pop("year")
    elif year:
        values.pop("from", None)
        values.pop("to", None)
    return values


@dataclass
class Choice:
    value: str
    label: str
    group: str = ""


@dataclass
class FilterForm:
    """What the filter form shows: the chosen values (as sent, so a mistake can be
    corrected), the choices in scope, and the parameter in error."""

    values: dict[str, str]
    years: list[Choice]
    custom: bool
    universities: list[Choice] | None  # None: a single university, shown as text
    faculties: list[Choice] | None  # None: a single faculty, shown as text
    programmes: list[Choice]
    levels: list[Choice]
    origins: list[Choice]
    fixed_scope: list[str] = field(default_factory=list)  # e.g. ["HKUST", "Engineering"]
    error_parameter: str | None = None
    error_message: str | None = None

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def invalid(self, *names: str) -> bool:
        return self.error_parameter in names


def filter_form(
    scope: ReportScope,
    args: Mapping[str, str],
    f: ReportFilter | None,
    today: date,
    locale: str,
    error: Exception | None = None,
) -> FilterForm:
    """The form for `scope`, filled from `f` when the request parsed (else from `args`)."""
    values = dict(f.query_args()) if f is not None else dict(args)
    if f is not None and f.academic_year is None:
        values["year"] = CUSTOM
    custom = values.get("year") == CUSTOM or (
        "year" not in values and ("from" in values or "to" in values)
    )
    if custom:
        values["year"] = CUSTOM

    universities, faculties, programmes, first_active = _choices(
        scope, _as_int(values.get("university")), _as_int(values.get("faculty")), locale
    )
    fixed = []
    if len(universities) == 1:
        fixed.append(universities[0].label)
    if len(faculties) == 1:
        fixed.append(faculties[0].label)
    return FilterForm(
        values=values,
        years=_years(first_active, today, values.get("year")),
        custom=custom,
        universities=universities if len(universities) > 1 else None,
        faculties=faculties if len(faculties) > 1 else None,
        programmes=programmes,
        levels=[Choice(level.value, str(label)) for level, label in STUDY_LEVEL_LABELS.items()],
        origins=[Choice("local", _("Local")), Choice("non_local", _("Non-local"))],
        fixed_scope=fixed,
        error_parameter=getattr(error, "parameter", None) if error else None,
        error_message=getattr(error, "message", None) if error else None,
    )


def _as_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _choices(
    scope: ReportScope, university_id: int | None, faculty_id: int | None, locale: str
) -> tuple[list[Choice], list[Choice], list[Choice], int | None]:
    """The universities, faculties and programmes the form offers in `scope` (those of the
    chosen university and faculty, or of the only one there is) and the first academic
    year with activity: four statements, kept in the shared cache with the dashboards'
    figures (they read the same rows), for everyone of the scope alike."""

    def read() -> tuple[list[Choice], list[Choice], list[Choice], int | None]:
        universities = _universities(scope, locale)
        university = int(universities[0].value) if len(universities) == 1 else university_id
        faculties = _faculties(scope, university, locale)
        faculty = int(faculties[0].value) if len(faculties) == 1 else faculty_id
        programmes = _programmes(scope, university, faculty, locale)
        return universities, faculties, programmes, _first_active(scope)

    parts = [*cache.scope_parts(scope), university_id, faculty_id, locale]
    return cache.figures("report-filter-choices", parts, read, _encode_choices, _decode_choices)


def _encode_choices(found: tuple) -> list:
    *lists, first_active = found
    return [[[c.value, c.label, c.group] for c in choices] for choices in lists] + [first_active]


def _decode_choices(entry: list) -> tuple:
    *lists, first_active = entry
    return (*([Choice(*c) for c in choices] for choices in lists), first_active)


def _first_active(scope: ReportScope) -> int | None:
    """The first academic year with an application or placement in scope."""
    return db.session.scalar(
        sa.select(sa.func.min(StudentYear.academic_year)).where(
            (StudentYear.applications > 0) | (StudentYear.placements > 0),
            *scope.conditions(StudentYear),
        )
    )


def _years(first_active: int | None, today: date, chosen: str | None) -> list[Choice]:
    """Academic years from the first with an application or placement in scope to the
    current one, newest first (and the chosen one, should it be older)."""
    current = academic_year_of(today)
    first = min(current, first_active if first_active is not None else current)
    if chosen and chosen.isdigit() and 2000 <= int(chosen) < first:
        first = int(chosen)
    years = [Choice(str(y), academic_year_label(y)) for y in range(current, first - 1, -1)]
    return [*years, Choice(CUSTOM, _("Custom dates"))]


def _universities(scope: ReportScope, locale: str) -> list[Choice]:
    stmt = sa.select(University).order_by(University.code)
    if scope.university_ids is not None:
        stmt = stmt.where(University.id.in_(sorted(scope.university_ids)))
    return [Choice(str(u.id), f"{u.code} · {u.name(locale)}") for u in db.session.scalars(stmt)]


def _faculties(scope: ReportScope, university_id: int | None, locale: str) -> list[Choice]:
    stmt = (
        sa.select(Faculty, University.code)
        .join(University, University.id == Faculty.university_id)
        .order_by(University.code, Faculty.name_en)
    )
    if scope.university_ids is not None:
        stmt = stmt.where(Faculty.university_id.in_(sorted(scope.university_ids)))
    if scope.faculty_ids is not None:
        stmt = stmt.where(Faculty.id.in_(sorted(scope.faculty_ids)))
    if university_id is not None:
        stmt = stmt.where(Faculty.university_id == university_id)
    return [
        Choice(str(faculty.id), faculty.name(locale), code)
        for faculty, code in db.session.execute(stmt)
    ]


def _programmes(
    scope: ReportScope, university_id: int | None, faculty_id: int | None, locale: str
) -> list[Choice]:
    stmt = (
        sa.select(StudyProgramme, Faculty)
        .join(Faculty, Faculty.id == StudyProgramme.faculty_id)
        .order_by(Faculty.name_en, StudyProgramme.name_en)
    )
    if scope.university_ids is not None:
        stmt = stmt.where(Faculty.university_id.in_(sorted(scope.university_ids)))
    if scope.faculty_ids is not None:
        stmt = stmt.where(Faculty.id.in_(sorted(scope.faculty_ids)))
    if university_id is not None:
        stmt = stmt.where(Faculty.university_id == university_id)
    if faculty_id is not None:
        stmt = stmt.where(Faculty.id == faculty_id)
    return [
        Choice(str(programme.id), programme.name(locale), faculty.name(locale))
        for programme, faculty in db.session.execute(stmt)
    ]


def describe(f: ReportFilter, scope: ReportScope, locale: str, period: str | None) -> Description:
    """The report's scope and cohort, e.g. "HKUST · School of Engineering · Undergraduate".

    `period` is the period's words ("2025/26", or "Class of 2026") put first; the codes
    are what file names carry (university and faculty codes, the period)."""
    words = [period] if period else []
    codes = [period] if period else []
    university_id = f.university_id
    faculty_id = f.faculty_id
    if university_id is None and scope.university_ids and len(scope.university_ids) == 1:
        university_id = next(iter(scope.university_ids))
    if faculty_id is None and scope.faculty_ids and len(scope.faculty_ids) == 1:
        faculty_id = next(iter(scope.faculty_ids))
    if faculty_id is not None:
        faculty = db.session.get(Faculty, faculty_id)
        words += [faculty.university.code, faculty.name(locale)]
        codes += [faculty.university.code, faculty.code]
    elif university_id is not None:
        university = db.session.get(University, university_id)
        words.append(university.name(locale))
        codes.append(university.code)
    elif scope.is_everything:
        words.append(_("All universities"))
    else:
        words.append(_("Your faculties"))
    if f.programme_id is not None:
        programme = db.session.get(StudyProgramme, f.programme_id)
        words.append(programme.name(locale))
        codes.append(programme.code)
    if f.study_level is not None:
        words.append(str(STUDY_LEVEL_LABELS[f.study_level]))
        codes.append(f.study_level.value)
    if f.graduation_year is not None:
        words.append(_("graduating %(year)d", year=f.graduation_year))
        codes.append(f"grad-{f.graduation_year}")
    if f.non_local is not None:
        words.append(_("Non-local") if f.non_local else _("Local"))
        codes.append("non-local" if f.non_local else "local")
    return Description(words=words, codes=codes)


# --- graduate outcomes: which class --------------------------------------------------------


def latest_graduated_class(today: date) -> int:
    """The latest class that has graduated: classes finish in the summer, so from
    September the class of this year, before it the class of last year."""
    return academic_year_of(today)


def parse_class_year(raw: str | None, today: date) -> int:
    """The `class` parameter (a graduation year), by default the latest graduated class."""
    raw = (raw or "").strip()
    if not raw:
        return latest_graduated_class(today)
    low, high = GRADUATION_YEARS
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and low <= int(raw) <= high):
        raise InvalidFilter(
            "class",
            _(
                "The class (class) must be a graduation year from %(low)d to %(high)d.",
                low=low,
                high=high,
            ),
        )
    return int(raw)


def outcome_class_choices(scope: ReportScope, today: date, chosen: int | None) -> list[Choice]:
    """Graduation years of students in scope (and the default and chosen ones), newest first."""
    stmt = sa.select(StudentProfile.graduation_year).distinct().where(*scope.conditions())
    years = set(db.session.scalars(stmt)) | {latest_graduated_class(today)}
    if chosen is not None:
        years.add(chosen)
    return [Choice(str(y), _("Class of %(year)d", year=y)) for y in sorted(years, reverse=True)]
