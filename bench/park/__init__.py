"""The park-scale data set of the benchmarks: a deterministic generator that builds a
PostgreSQL database of the real schema (migrated to head) in minutes, writing rows with
COPY rather than through the ORM.

    .venv/bin/python -m bench.park --scale 10k|100k|1m [--rebuild]

Each scale has its own database (`database_url`); `personas.py` names the accounts and
objects the load tests sign in as and ask for. What each scale holds is `SCALES` below;
how it is made, the modules of `STEPS` (bench/park/steps.py) in order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# Every random choice derives from this seed (and the name of the step making it), so two
# builds of a scale give the very same rows, and a step added later changes no other.
SEED = 20261201
# The data set's "today": history runs from September 2022 up to this moment. Fixed, not
# the clock, so that a build made on another day is the same; open postings' deadlines
# lie well after it (see postings.py) so they stay open for the life of the bench.
# Naive UTC, as the columns hold it (foundry.db.UTCDateTime).
ANCHOR = datetime(2026, 12, 1, 2, 0)
HISTORY_STARTS = datetime(2022, 8, 1)


@dataclass(frozen=True)
class Scale:
    name: str
    students: int
    companies: int
    postings: int
    open_postings: int  # published and before their deadline at ANCHOR
    applications: int
    sign_ins_per_student: int = 24  # over the four years and a bit of history


SCALES = {
    "1m": Scale(
        "1m",
        students=50_000,
        companies=2_000,
        postings=100_000,
        open_postings=3_000,
        applications=1_000_000,
    ),
    # A tenth, but enough open postings for 2,000 fresh ones (personas.targets).
    "100k": Scale(
        "100k",
        students=5_000,
        companies=200,
        postings=10_000,
        open_postings=2_500,
        applications=100_000,
    ),
    # A hundredth, but enough students for a pipeline of 500 applicants, companies to own
    # the postings and open postings to fill the search pages.
    "10k": Scale(
        "10k", students=1_000, companies=60, postings=1_000, open_postings=500, applications=10_000
    ),
}


def marker_scale(scale: str, programmes_at: str | None = None) -> str:
    """How the completion marker names a data set: its scale, and the scale its programmes
    were sized on when another (`--programmes-at`)."""
    if programmes_at in (None, scale):
        return scale
    return f"{scale} with the programmes of {programmes_at}"


def database_name(scale: str) -> str:
    return f"foundry_bench_{scale}"


def database_url(scale: str) -> str:
    """Where the data set of `scale` lives; BENCH_DATABASE_URL overrides it when set."""
    if scale not in SCALES:
        raise ValueError(f"no scale {scale!r}: one of {', '.join(SCALES)}")
    return os.environ.get("BENCH_DATABASE_URL") or f"{SERVER}/{database_name(scale)}"
