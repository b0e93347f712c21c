"""The one clock every service reads: `now()`, an aware UTC datetime.

The demo and the tests move it with `frozen_at(moment)`: inside the block, in this thread
or task only, `now()` is that moment (the demo's personas act out two past academic years
this way, and a test reads a dashboard on a chosen day). A ContextVar holds the moment, so
a server thread serving a browser test keeps the real time unless it enters a block itself.
`foundry.db.utcnow` and `foundry.reports.periods.now` read this clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_moved_to: ContextVar[datetime | None] = ContextVar("foundry_clock_moved_to", default=None)


def now() -> datetime:
    """The current moment (or the moment the clock was moved to), aware, in UTC."""
    moment = _moved_to.get()
    return datetime.now(UTC) if moment is None else moment


def timestamp() -> float:
    """`now()` as seconds since the epoch (for time-based one-time codes)."""
    return now().timestamp()


def is_moved() -> bool:
    """True inside a `frozen_at` block."""
    return _moved_to.get() is not None


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Within the block, in this context only, `now()` is `moment` (aware; kept in UTC).
    Blocks nest; leaving one puts back the clock it found."""
    if moment.tzinfo is None:
        raise ValueError("the clock takes an aware datetime")
    token = _moved_to.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _moved_to.reset(token)
