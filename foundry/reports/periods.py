"""Periods of a report in Hong Kong time: academic years (1 September to 31 August), days
and calendar months, turned into the UTC instants the database stores.

Hong Kong has kept UTC+8 all year since 1979, so a calendar month in Hong Kong time is the
UTC interval shifted by eight hours; the SQL month buckets rely on that fixed offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from foundry import clock, i18n

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
HONG_KONG_OFFSET = timedelta(hours=8)
ACADEMIC_YEAR_START_MONTH = 9


def now() -> datetime:
    """The reports' clock: what "today" and "so far" mean; it reads the one clock
    (foundry.clock), so `clock.frozen_at(...)` reads a dashboard on a chosen day."""
    return clock.now()


def hong_kong_today(moment: datetime | None = None) -> date:
    """Today's date in Hong Kong (of `moment`, by default the reports' clock)."""
    return (moment or now()).astimezone(HONG_KONG).date()


def same_day_a_year_before(day: date) -> date:
    """The same day of the month a year earlier; 29 February becomes 28 February (the end
    of that February, so a year so far is compared with the same whole months)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return date(day.year - 1, 2, 28)


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in Hong Kong, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=HONG_KONG).astimezone(UTC)


def day_of(instant: datetime) -> date:
    """The Hong Kong date of an aware datetime."""
    return instant.astimezone(HONG_KONG).date()


def academic_year_of(day: date) -> int:
    """The academic year a day falls in, named by the year it starts (2025 for 2025/26)."""
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def academic_year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 Sep `year` 00:00 HKT, 1 Sep `year`+1 00:00 HKT) in UTC."""
    return (
        start_of_day(date(year, ACADEMIC_YEAR_START_MONTH, 1)),
        start_of_day(date(year + 1, ACADEMIC_YEAR_START_MONTH, 1)),
    )


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def months_between(start: datetime, end: datetime) -> list[str]:
    """The calendar months ("YYYY-MM", Hong Kong time) that [start, end) touches."""
    first = day_of(start)
    last = day_of(end - timedelta(microseconds=1))
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first day 00:00 HKT, first day of the next month 00:00 HKT) of "YYYY-MM", in UTC."""
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return start_of_day(date(year, number, 1)), start_of_day(following)


def format_day(day: date) -> str:
    """A date as "1 Mar 2026" (or "2026年3月1日" in Chinese)."""
    return i18n.format_day(day)


def format_day_of_month(day: date) -> str:
    """A date without its year, as "6 Dec" (or "12月6日")."""
    return i18n.format_day_of_month(day)


def format_month(month: str) -> str:
    """ "2026-03" as "Mar 2026" (or "2026年3月")."""
    return i18n.format_month(date(int(month[:4]), int(month[5:7]), 1))
