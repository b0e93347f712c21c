"""A report filter parsed from URL parameters without trusting any of them.

An id the viewer may not see gets the same message as an id that does not exist, so a
report never tells anyone that a faculty, programme or university exists outside their
scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.extensions import db
from foundry.reports.filters import InvalidFilter, ReportFilter, ReportScope
from foundry.reports.periods import academic_year_of, start_of_day
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme, University

FIRST_YEAR = 2000
MAX_RANGE_DAYS = 5 * 365 + 2  # five years, leap days included
GRADUATION_YEARS = (1990, 2100)  # as the student_profiles check constraint allows
MAX_ID = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

ORIGINS = {"local": False, "non_local": True}


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
        # The current year is the year so far, compared with the same days a year before.
        year_filter = ReportFilter.for_academic_year(year, today=today)
        return {
            "start": year_filter.start,
            "end": year_filter.end,
            "academic_year": year,
            "to_today": year_filter.to_today,
        }
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
    # Days still to come count nothing: a range that runs past today stops at today, so
    # that it is compared with as many days before it, all of them past.
    if first_day <= today < last_day:
        last_day = today
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

    Parameters: `year` (academic year, default the current one, which is the year so far)
    or `from` and `to` (ISO dates, both days included, Hong Kong time; a range that runs
    past today stops at today); `university`, `faculty`, `programme` (ids);
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
