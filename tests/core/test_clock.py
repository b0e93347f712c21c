"""The one clock (foundry.clock): services stamp the moment it is moved to, only inside
the block and only in the context that moved it; nothing else in the product reads the
time of day on its own."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from foundry import clock
from foundry.applications.models import ApplicationStatus
from foundry.applications.services import move
from foundry.db import utcnow
from foundry.reports import periods
from tests import factories as f

MOMENT = datetime(2024, 10, 15, 2, 30, tzinfo=UTC)
FOUNDRY = Path(__file__).resolve().parents[2] / "foundry"
# Reading the wall clock directly; only foundry/clock.py may.
WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(")


def test_a_service_called_under_a_moved_clock_stamps_the_moved_time(db):
    application = f.ApplicationFactory(profile=f.profile_of(f.student()))
    recruiter = f.company_member(application.posting.company)

    with clock.frozen_at(MOMENT):
        move(recruiter, application, ApplicationStatus.UNDER_REVIEW)
    db.session.flush()

    assert application.status_changed_at == MOMENT
    assert application.events[-1].created_at == MOMENT


def test_every_reader_of_the_clock_sees_the_moved_time(app):
    with clock.frozen_at(MOMENT):
        assert (clock.now(), utcnow(), periods.now()) == (MOMENT, MOMENT, MOMENT)
        assert clock.timestamp() == MOMENT.timestamp()


def test_the_clock_is_back_after_the_block_even_when_it_raises(app):
    with pytest.raises(RuntimeError), clock.frozen_at(MOMENT):
        raise RuntimeError("a refused action")

    assert not clock.is_moved()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_blocks_nest_and_leaving_one_puts_back_the_outer_moment(app):
    later = MOMENT + timedelta(days=3)
    with clock.frozen_at(MOMENT):
        with clock.frozen_at(later):
            assert clock.now() == later
        assert clock.now() == MOMENT


def test_a_thread_not_in_the_block_keeps_the_real_time(app):
    seen: list[datetime] = []
    with clock.frozen_at(MOMENT):
        thread = threading.Thread(target=lambda: seen.append(clock.now()))
        thread.start()
        thread.join()

    assert seen[0] != MOMENT
    assert abs(seen[0] - datetime.now(UTC)) < timedelta(seconds=5)


def test_the_clock_takes_only_aware_moments(app):
    with pytest.raises(ValueError), clock.frozen_at(datetime(2024, 10, 15)):
        pass


def test_nothing_but_the_clock_reads_the_wall_clock():
    readers = [
        str(path.relative_to(FOUNDRY))
        for path in FOUNDRY.rglob("*.py")
        if path.name != "clock.py" or path.parent != FOUNDRY
        if WALL_CLOCK.search(path.read_text(encoding="utf-8"))
    ]

    assert readers == [], "read the time through foundry.clock.now(), which the demo moves"
