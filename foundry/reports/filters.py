"""What a report covers: the viewer's scope (from their roles) and the filter they chose
(a period and a cohort), parsed from URL parameters without trusting any of them.

An id the viewer may not see gets the same message as an id that does not exist, so a
report never tells anyone that a faculty, programme or university exists outside their
scope.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.accounts.models import FACULTY_STAFF_ROLES, Role
from foundry.errors import InvalidInput, PermissionDenied
from foundry.extensions import db
from foundry.reports.periods import (
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    day_of,
    format_day,
    months_between,
    start_of_day,
)
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme, University

FIRST_YEAR = 2000
MAX_RANGE_DAYS = 5 * 365 + 2  # five years, leap days included
GRADUATION_YEARS = (1990, 2100)  # as the student_profiles check constraint allows
MAX_ID = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

ORIGINS = {"local": False, "non_local": True}


class InvalidFilter(InvalidInput):
    """A bad report parameter; `parameter` names it (year, from, to, faculty...)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


# --- scope -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """The students a viewer may report on.

    university_ids: None for every university. faculty_ids: None for every faculty of
    those universities, else exactly these faculties. An empty set allows nothing.
    """

    university_ids: frozenset[int] | None = None
    faculty_ids: frozenset[int] | None = None

    @property
    def is_everything(self) -> bool:
        return self.university_ids is None and self.faculty_ids is None

    def allows_university(self, university_id: int) -> bool:
        return self.university_ids is None or university_id in self.university_ids

    def allows_faculty(self, faculty_id: int, university_id: int) -> bool:
        return self.allows_university(university_id) and (
            self.faculty_ids is None or faculty_id in self.faculty_ids
        )

    def conditions(self, columns=StudentProfile) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions that keep only students in scope, over StudentProfile or over
        `columns`, a table with the same cohort columns (a report summary)."""
        where = []
        if self.university_ids is not None:
            where.append(columns.university_id.in_(sorted(self.university_ids)))
        if self.faculty_ids is not None:
            where.append(columns.faculty_id.in_(sorted(self.faculty_ids)))
        return where


def report_scope_for(user) -> ReportScope:
    """The scope of a viewer's reports, from their roles: the park admin sees everything,
    a coordinator their universities, faculty staff their faculties; several roles add up.
    Raises PermissionDenied for a user with none of these roles."""
    if user.has_role(Role.PARK_ADMIN):
        return ReportScope()
    coordinated = {m.university_id for m in user.memberships_for(Role.UNIVERSITY_COORDINATOR)}
    staffed = {
        (m.faculty_id, m.university_id)
        for m in user.memberships_for(*FACULTY_STAFF_ROLES)
        if m.university_id not in coordinated
    }
    if not coordinated and not staffed:
        raise PermissionDenied(_("You do not have access to placement reports."))
    if not staffed:
        return ReportScope(university_ids=frozenset(coordinated))
    faculty_ids = {faculty_id for faculty_id, _university in staffed}
    if coordinated:  # whole universities plus single faculties elsewhere: list them all
        faculty_ids |= set(
            db.session.scalars(
                sa.select(Faculty.id).where(Faculty.university_id.in_(sorted(coordinated)))
            )
        )
    return ReportScope(
        university_ids=frozenset(coordinated | {university for _f, university in staffed}),
        faculty_ids=frozenset(faculty_ids),
    )


# --- filter ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilter:
    """A period [start, end) (aware UTC) and a cohort of students.

    academic_year is set when the period is that academic year (1 Sep 00:00 HKT to the
    next 1 Sep); otherwise the period is a range of whole days in Hong Kong time.
    """

    start: datetime
    end: datetime
    academic_year: int | None = None
    university_id: int | None = None
    faculty_id: int | None = None
    programme_id: int | None = None
    study_level: StudyLevel | None = None
    graduation_year: int | None = None
    non_local: bool | None = None

    @classmethod
    def for_academic_year(cls, year: int, **cohort) -> ReportFilter:
        start, end = academic_year_bounds(year)
        return cls(start=start, end=end, academic_year=year, **cohort)

    @classmethod
    def for_days(cls, first: date, last: date, **cohort) -> ReportFilter:
        """From the start of `first` to the end of `last` (both included), Hong Kong time."""
        return cls(start=start_of_day(first), end=start_of_day(last + timedelta(days=1)), **cohort)

    @property
    def first_day(self) -> date:
        return day_of(self.start)

    @property
    def last_day(self) -> date:
        return day_of(self.end) - timedelta(days=1)

    @property
    def months(self) -> list[str]:
        """The calendar months ("YYYY-MM", Hong Kong time) of the period."""
        return months_between(self.start, self.end)

    @property
    def label(self) -> str:
        if self.academic_year is not None:
            return academic_year_label(self.academic_year)
        return f"{format_day(self.first_day)} – {format_day(self.last_day)}"

    def previous(self) -> ReportFilter:
        """The same cohort over the period just before: the previous academic year, or
        the range of the same length that ends where this one starts."""
        if self.academic_year is not None:
            start, end = academic_year_bounds(self.academic_year - 1)
            return dataclasses.replace(
                self, start=start, end=end, academic_year=self.academic_year - 1
            )
        return dataclasses.replace(self, start=self.start - (self.end - self.start), end=self.start)

    def query_args(self) -> dict[str, str]:
        """The URL parameters that parse back into this filter."""
        if self.academic_year is not None:
            args = {"year": str(self.academic_year)}
        else:
            args = {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()}
        for name, value in (
            ("university", self.university_id),
            ("faculty", self.faculty_id),
            ("programme", self.programme_id),
            ("grad", self.graduation_year),
        ):
            if value is not None:
                args[name] = str(value)
        if self.study_level is not None:
            args["level"] = self.study_level.value
        if self.non_local is not None:
            args["origin"] = "non_local" if self.non_local else "local"
        return args

    def cohort_conditions(self, columns=StudentProfile) -> list[sa.ColumnElement[bool]]:
        """WHERE conditions for the cohort (not the period), over StudentProfile or over
        `columns`, a table with the same cohort columns (a report summary)."""
        return [
            getattr(columns, name) == value
            for name, value in (
                ("university_id", self.university_id),
                ("faculty_id", self.faculty_id),
                ("programme_id", self.programme_id),
                ("study_level", self.study_level),
                ("graduation_year", self.graduation_year),
                ("non_local", self.non_local),
            )
            if value is not None
        ]

    @property
    def whole_faculties(self) -> bool:
        """The cohort is every student of some faculties or universities (no programme,
        level, graduation year or origin chosen)."""
        return (
            self.programme_id is None
            and self.study_level is None
            and self.graduation_year is None
            and self.non_local is None
        )


def student_conditions(
    f: ReportFilter, scope: ReportScope, columns=StudentProfile
) -> list[sa.ColumnElement[bool]]:
    """Scope and cohort together: every report query applies these to StudentProfile (or
    to a report summary's cohort columns)."""
    return scope.conditions(columns) + f.cohort_conditions(columns)


# --- parsing ---------------------------------------------------------------------------


def _text(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _number(raw: str | None, parameter: str, message: str) -> int | None:
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw):
        raise InvalidFilter(parameter, message)
    return int(raw)


def _day(raw: str, parameter: str, message: str, last_year: int) -> date:
    if not _ISO_DATE.fullmatch(raw):
        raise InvalidFilter(parameter, message)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidFilter(parameter, message) from None
    if not FIRST_YEAR <= day.year <= last_year:
        raise InvalidFilter(parameter, message)
    return day


def _period(args: Mapping[str, str], today: date) -> dict:
    last_year = today.year + 1
    first, last = _text(args, "from"), _text(args, "to")
    if first is None and last is None:
        year_message = _(
            "The academic year (year) must be a year from %(first)d to %(last)d.",
            first=FIRST_YEAR,
            last=last_year,
        )
        year = _number(_text(args, "year"), "year", year_message)
        if year is None:
            year = academic_year_of(today)
        if not FIRST_YEAR <= year <= last_year:
            raise InvalidFilter("year", year_message)
        start, end = academic_year_bounds(year)
        return {"start": start, "end": end, "academic_year": year}
    if first is None:
        raise InvalidFilter("from", _("Give a start date (from) as well as an end date (to)."))
    if last is None:
        raise InvalidFilter("to", _("Give an end date (to) as well as a start date (from)."))
    first_day = _day(
        first,
        "from",
        _(
            "The start date (from) must be a date written like 2026-03-01, "
            "from %(first)d to %(last)d.",
            first=FIRST_YEAR,
            last=last_year,
        ),
        last_year,
    )
    last_day = _day(
        last,
        "to",
        _(
            "The end date (to) must be a date written like 2026-05-31, from %(first)d to %(last)d.",
            first=FIRST_YEAR,
            last=last_year,
        ),
        last_year,
    )
    if last_day < first_day:
        raise InvalidFilter("to", _("The end date (to) is before the start date (from)."))
    if (last_day - first_day).days + 1 > MAX_RANGE_DAYS:
        raise InvalidFilter("to", _("A period can be at most five years long."))
    return {
        "start": start_of_day(first_day),
        "end": start_of_day(last_day + timedelta(days=1)),
        "academic_year": None,
    }


def _university(raw: str | None, scope: ReportScope) -> int | None:
    message = _("Unknown university.")
    university_id = _number(raw, "university", message)
    if university_id is None:
        return None
    exists = university_id <= MAX_ID and db.session.scalar(
        sa.select(University.id).where(University.id == university_id)
    )
    if not exists or not scope.allows_university(university_id):
        raise InvalidFilter("university", message)
    return university_id


def _faculty(raw: str | None, scope: ReportScope, university_id: int | None) -> int | None:
    message = _("Unknown faculty.")
    faculty_id = _number(raw, "faculty", message)
    if faculty_id is None:
        return None
    found = (
        db.session.execute(
            sa.select(Faculty.id, Faculty.university_id).where(Faculty.id == faculty_id)
        ).first()
        if faculty_id <= MAX_ID
        else None
    )
    if (
        found is None
        or not scope.allows_faculty(found.id, found.university_id)
        or university_id not in (None, found.university_id)
    ):
        raise InvalidFilter("faculty", message)
    return faculty_id


def _programme(
    raw: str | None, scope: ReportScope, university_id: int | None, faculty_id: int | None
) -> int | None:
    message = _("Unknown programme.")
    programme_id = _number(raw, "programme", message)
    if programme_id is None:
        return None
    found = (
        db.session.execute(
            sa.select(StudyProgramme.faculty_id, Faculty.university_id)
            .join(Faculty, Faculty.id == StudyProgramme.faculty_id)
            .where(StudyProgramme.id == programme_id)
        ).first()
        if programme_id <= MAX_ID
        else None
    )
    if (
        found is None
        or not scope.allows_faculty(found.faculty_id, found.university_id)
        or university_id not in (None, found.university_id)
        or faculty_id not in (None, found.faculty_id)
    ):
        raise InvalidFilter("programme", message)
    return programme_id


def parse_filter(args: Mapping[str, str], scope: ReportScope, today: date) -> ReportFilter:
    """Build a ReportFilter from URL parameters, refusing anything malformed or outside the
    viewer's scope with InvalidFilter (an InvalidInput naming the parameter).

    Parameters: `year` (academic year, default the current one) or `from` and `to` (ISO
    dates, both days included, Hong Kong time); `university`, `faculty`, `programme` (ids);
    `level` (ug, pg, phd); `grad` (graduation year); `origin` (local, non_local). Empty
    values count as absent. `today` is today's date in Hong Kong.
    """
    period = _period(args, today)
    university_id = _university(_text(args, "university"), scope)
    faculty_id = _faculty(_text(args, "faculty"), scope, university_id)
    programme_id = _programme(_text(args, "programme"), scope, university_id, faculty_id)

    level_raw = _text(args, "level")
    study_level = None
    if level_raw is not None:
        try:
            study_level = StudyLevel(level_raw)
        except ValueError:
            raise InvalidFilter(
                "level", _("Unknown study level (level): choose ug, pg or phd.")
            ) from None

    grad_message = _(
        "The graduation year (grad) must be a year from %(first)d to %(last)d.",
        first=GRADUATION_YEARS[0],
        last=GRADUATION_YEARS[1],
    )
    graduation_year = _number(_text(args, "grad"), "grad", grad_message)
    if graduation_year is not None and not (
        GRADUATION_YEARS[0] <= graduation_year <= GRADUATION_YEARS[1]
    ):
        raise InvalidFilter("grad", grad_message)

    origin_raw = _text(args, "origin")
    if origin_raw is not None and origin_raw not in ORIGINS:
        raise InvalidFilter("origin", _("Unknown origin (origin): choose local or non_local."))

    return ReportFilter(
        **period,
        university_id=university_id,
        faculty_id=faculty_id,
        programme_id=programme_id,
        study_level=study_level,
        graduation_year=graduation_year,
        non_local=ORIGINS[origin_raw] if origin_raw is not None else None,
    )
