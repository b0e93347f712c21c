"""The demo's calendar of things people do, played in time order under the moved clock.

A story puts a step on the agenda at a moment; playing the agenda moves the clock
(foundry.clock) to each step's moment and runs it, and a step may put its sequel on the
agenda (a recruiter's answer some days after the application). Steps due after today are
dropped: the current academic year stops where today is.
"""

from __future__ import annotations

import heapq
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import current_app
from tqdm import tqdm

from foundry import clock
from foundry.extensions import db
from foundry.reports.periods import academic_year_of, hong_kong_today, start_of_day


def year_start(year: int) -> datetime:
    """1 September of academic year `year`, midnight in Hong Kong, in UTC."""
    return start_of_day(date(year, 9, 1))


def at_hong_kong(day: date, hour: int, minute: int = 0) -> datetime:
    return start_of_day(day) + timedelta(hours=hour, minutes=minute)


def working_hours(moment: datetime, rng) -> datetime:
    """The same Hong Kong day at a time people work (9:00 to 18:59)."""
    return at_hong_kong(hong_kong_today(moment), rng.randint(9, 18), rng.randint(0, 59))


def academic_year(moment: datetime | None = None) -> int:
    """The academic year `moment` (by default the clock's now) falls in, in Hong Kong."""
    return academic_year_of(hong_kong_today(moment))


def days(n: float) -> timedelta:
    return timedelta(days=n)


class Agenda:
    """Steps by moment, each run with the clock at its moment; none after `until`."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        self.current_year = academic_year(until)
        self._steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self._serial = 0

    def at(self, moment: datetime, step: Callable[[], None]) -> None:
        if moment < self.until:
            self._serial += 1
            heapq.heappush(self._steps, (moment, self._serial, step))

    def after(self, days: float, step: Callable[[], None]) -> None:
        """`step` some days after the moment being played."""
        self.at(clock.now() + timedelta(days=days), step)

    def play(self, desc: str, progress: bool) -> None:
        """Run every step in time order (in one request context, as the routes would)."""
        bar = tqdm(desc=desc, unit="step", file=sys.stderr, disable=not progress)
        with current_app.test_request_context("/"):
            while self._steps:
                moment, _serial, step = heapq.heappop(self._steps)
                bar.total = bar.n + len(self._steps) + 1  # grows as steps add their sequels
                with clock.frozen_at(moment):
                    step()
                    # Rows take their times (created_at...) when flushed: flush at the
                    # step's moment, not at the next step's first query.
                    db.session.flush()
                bar.update()
        bar.close()
