"""What a report covers: the viewer's scope and the filter they chose (a period and a
cohort), and the conditions both put on a query. Which scope a viewer gets is the policy's
decision (foundry.policy.report_scope); this module only applies it. Parsing a filter from
URL parameters is in foundry.reports.parsing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from foundry.errors import InvalidInput
from foundry.policy import ReportScope
from foundry.reports.periods import (
    academic_year_bounds,
    academic_year_label,
    day_of,
    format_day,
    format_day_of_month,
    months_between,
    same_day_a_year_before,
    start_of_day,
)
from foundry.students.models import StudentProfile
from foundry.universities.models import StudyLevel


class InvalidFilter(InvalidInput):
    """A bad report parameter; `parameter` names it (year, from, to, faculty...)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


# --- scope -----------------------------------------------------------------------------


# The scope type is the policy's (policy.report_scope decides it); reports apply it.


# --- filter ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilter:
    """A period [start, end) (aware UTC) and a cohort of students.

    academic_year is set when the period is that academic year (1 Sep 00:00 HKT to the
    next 1 Sep) or its first days (1 Sep to the end of a day before 31 Aug: the year so
    far, or the same days of an earlier year); otherwise the period is a range of whole
    days in Hong Kong time. to_today: the period is the year so far, read on its last day
    (its URL names the year, and means the year so far whenever it is opened).
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
    to_today: bool = False

    @classmethod
    def for_academic_year(cls, year: int, today: date | None = None, **cohort) -> ReportFilter:
        """The academic year; when `today` falls in it (and is not its last day), the year
        so far: from 1 September to the end of `today`, Hong Kong time."""
        start, end = academic_year_bounds(year)
        if today is not None and start <= start_of_day(today) and start_of_day(today) < end:
            cut = start_of_day(today + timedelta(days=1))
            if cut < end:
                return cls(start=start, end=cut, academic_year=year, to_today=True, **cohort)
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
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def whole_year(self) -> bool:
        """The period is a whole academic year."""
        return self.academic_year is not None and (self.start, self.end) == academic_year_bounds(
            self.academic_year
        )

    @property
    def part_of_year(self) -> bool:
        """The period is the first days of an academic year (to a day before 31 August)."""
        return self.academic_year is not None and not self.whole_year

    @property
    def months(self) -> list[str]:
        """The calendar months ("YYYY-MM", Hong Kong time) of the period."""
        return months_between(self.start, self.end)

    @property
    def label(self) -> str:
        """ "2025/26", "2026/27 to 6 Dec" (its first days) or "1 Nov 2026 – 6 Dec 2026"."""
        if self.whole_year:
            return academic_year_label(self.academic_year)
        if self.academic_year is not None:
            return _(
                "%(year)s to %(day)s",
                year=academic_year_label(self.academic_year),
                day=format_day_of_month(self.last_day),
            )
        return f"{format_day(self.first_day)} – {format_day(self.last_day)}"

    def previous(self) -> ReportFilter:
        """The same cohort over the period it is compared with: the previous academic year
        for a whole year; the same days of the previous academic year for its first days
        (1 Sep 2026 – 6 Dec 2026 against 1 Sep 2025 – 6 Dec 2025; a 29 February against
        the 28th); the range of the same length that ends where a custom range starts."""
        if self.academic_year is not None:
            year = self.academic_year - 1
            start, end = academic_year_bounds(year)
            if self.part_of_year:
                end = start_of_day(same_day_a_year_before(self.last_day) + timedelta(days=1))
            return dataclasses.replace(
                self, start=start, end=end, academic_year=year, to_today=False
            )
        return dataclasses.replace(self, start=self.start - (self.end - self.start), end=self.start)

    def comparison(self) -> str:
        """What the dashboard compares, in words: "1 Sep – 6 Dec, against the same days of
        2025/26", "2025/26, against the whole of 2024/25", or a custom range against the
        days before it."""
        before = self.previous()
        if self.part_of_year:
            return _(
                "%(first)s – %(last)s, against the same days of %(year)s",
                first=format_day_of_month(self.first_day),
                last=format_day_of_month(self.last_day),
                year=academic_year_label(before.academic_year),
            )
        if self.academic_year is not None:
            return _(
                "%(year)s, against the whole of %(before)s",
                year=academic_year_label(self.academic_year),
                before=academic_year_label(before.academic_year),
            )
        return ngettext(
            "%(period)s, against %(num)d day before it (%(before)s)",
            "%(period)s, against the %(num)d days before it (%(before)s)",
            self.days,
            period=self.label,
            before=before.label,
        )

    def query_args(self) -> dict[str, str]:
        """The URL parameters that parse back into this filter."""
        if self.whole_year or self.to_today:
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
