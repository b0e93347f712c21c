"""The demo's calendar: academic years (1 September to 31 August, Hong Kong time) and the
one reading of the clock that a seed run works from.

The seed reads the clock once (`utcnow()` at the start of `seed_demo`) and passes that
moment down. What happened in past academic years is placed relative to the start of its
own year, so it is the same whatever day of the year the seed runs; what happens in the
current year is drawn over the whole year and kept only where it falls before today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
FIRST_MONTH = 9  # academic years start on 1 September


def hong_kong_date(moment: datetime) -> date:
    return moment.astimezone(HONG_KONG).date()


def academic_year_of(day: date | datetime) -> int:
    """The year an academic year starts in: 2025 for 1 Sept 2025 to 31 Aug 2026 (HK)."""
    if isinstance(day, datetime):
        day = hong_kong_date(day)
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def graduating_class(day: date) -> int:
    """The year this academic year's final-year students graduate."""
    return academic_year_of(day) + 1


def academic_year_start(year: int) -> datetime:
    """1 September of `year`, midnight in Hong Kong, as an aware UTC datetime."""
    return datetime.combine(date(year, FIRST_MONTH, 1), time(), tzinfo=HONG_KONG).astimezone(UTC)


def academic_year_label(year: int) -> str:
    """ "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


def at_hong_kong(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time on `day` in Hong Kong, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=HONG_KONG).astimezone(UTC)


def day_of_year(year: int, offset: int) -> date:
    """The day `offset` days after 1 September of `year`."""
    return date(year, FIRST_MONTH, 1) + timedelta(days=offset)
