"""The academic year and the month of a UTC instant, in Hong Kong time, as the database
computes them (the summaries are keyed by these), against the Python definitions."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from foundry.db import UTCDateTime
from foundry.extensions import db
from foundry.reports.periods import academic_year_of, day_of
from foundry.reports.sql import hk_academic_year, hk_month_start


def in_sql(instants: list[datetime]) -> list[tuple[int, date]]:
    """(academic year, first day of the month) of each instant, as the database says."""
    found = []
    for first in range(0, len(instants), 200):  # SQLite allows 500 terms in a compound
        chunk = instants[first : first + 200]
        rows = sa.union_all(
            *(
                sa.select(sa.literal(n).label("n"), sa.literal(t, UTCDateTime).label("t"))
                for n, t in enumerate(chunk)
            )
        ).subquery("rows")
        found += [
            (year, month if isinstance(month, date) else date.fromisoformat(month))
            for _n, year, month in db.session.execute(
                sa.select(rows.c.n, hk_academic_year(rows.c.t), hk_month_start(rows.c.t)).order_by(
                    rows.c.n
                )
            )
        ]
    return found


def expected(instant: datetime) -> tuple[int, date]:
    day = day_of(instant)
    return academic_year_of(day), day.replace(day=1)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_edges_of_an_academic_year_and_of_short_months(db):
    instants = [
        utc(2025, 8, 31, 15, 59, 59),  # 31 Aug 23:59:59 HKT: 2024/25
        utc(2025, 8, 31, 16, 0, 0),  # 1 Sep 00:00 HKT: 2025/26
        utc(2025, 10, 30, 16, 0),  # 31 Oct HKT (eight months back: "31 Feb")
        utc(2025, 12, 31, 15, 59),  # 31 Dec HKT
        utc(2025, 12, 31, 16, 0),  # 1 Jan 2026 HKT
        utc(2024, 2, 28, 16, 0),  # 29 Feb 2024 HKT (leap day)
        utc(2026, 5, 30, 16, 0),  # 31 May HKT ("31 Sep")
        utc(2026, 7, 30, 16, 0),  # 31 Jul HKT ("31 Nov")
    ]
    assert in_sql(instants) == [expected(t) for t in instants]
    assert [year for year, _ in in_sql(instants)] == [
        2024,
        2025,
        2025,
        2025,
        2025,
        2023,
        2025,
        2025,
    ]


def test_a_thousand_random_instants_agree_with_python(db):
    rng = random.Random(7)
    start = utc(2000, 1, 1)
    instants = [start + timedelta(seconds=rng.randrange(31 * 365 * 86400)) for _ in range(1000)]
    assert in_sql(instants) == [expected(t) for t in instants]
