"""The moment and the size of the demo that tests/demo's read-only tests share (conftest.py
seeds it once per xdist worker, under the clock frozen at DEMO_NOW)."""

from __future__ import annotations

from datetime import UTC, datetime

# "Today" for the shared demo: fixed once for the session, so a seed played again later
# (the determinism test) lives in the same academic year, on the same day, at the same hour.
DEMO_NOW = datetime.now(UTC).replace(second=0, microsecond=0)
DEMO_STUDENTS = 150
# The fewest students a seed needs for a test that writes (the main database's own seed).
FEW_STUDENTS = 5
