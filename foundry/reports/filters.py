"""What a report covers: the viewer's scope (from their roles) and the filter they chose
(a period and a cohort), and the conditions both put on a query. Parsing a filter from URL
parameters is in foundry.reports.parsing."""

from __future__ import annotations

import dataclasses
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
    day_of,
    format_day,
    months_between,
    start_of_day,
)
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty, StudyLevel


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
