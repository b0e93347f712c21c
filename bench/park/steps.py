"""The build: the steps that fill the database, in order. A later capability adds its
data set by adding its step here (a function taking the Build; what earlier steps made is
in build.made)."""

from __future__ import annotations

import time

import psycopg

from bench.park import (
    SCALES,
    SEED,
    activity,
    applications,
    collaborations,
    companies,
    database,
    database_url,
    marker_scale,
    people,
    postings,
    programmes,
)
from bench.park.build import Build, log

STEPS = [
    people.fill,  # universities, faculties, programmes, staff, students, CVs
    companies.fill,  # companies and their members
    postings.fill,  # postings, their eligibility, questions and approvals
    applications.fill,  # applications, events, interview slots, offers, placements
    activity.fill,  # sign-ins, outcomes, recorded placements, saved postings, notifications
    programmes.fill,  # programmes, sessions, registrations, the career day's exhibitors
    collaborations.fill,  # collaboration records, their parties, people, students, outcomes
]


def build(scale_name: str, rebuild: bool = False, programmes_at: str | None = None) -> bool:
    """Make the data set of `scale_name` unless it is complete already (or `rebuild`).
    True when it was built."""
    scale, url = SCALES[scale_name], database_url(scale_name)
    marker = database.marker(marker_scale(scale_name, programmes_at), SEED)
    if not rebuild and database.is_complete(url, marker):
        log(f"{scale_name}: already built ({url})")
        return False
    started = time.perf_counter()
    database.create_empty(url)
    app = database.app_for(url)
    database.migrate(app)
    with app.app_context(), psycopg.connect(database.psycopg_url(url)) as conn:
        data = Build(conn=conn, scale=scale, programme_scale=SCALES[programmes_at or scale_name])
        for step in STEPS:
            step_started = time.perf_counter()
            log(f"{step.__module__.rsplit('.', 1)[-1]}:")
            step(data)
            conn.commit()
            log(f"  ({time.perf_counter() - step_started:.0f} s)")
        data.set_sequences()
        conn.commit()
    database.finish(app, url, marker)
    log(f"{scale_name} built in {time.perf_counter() - started:.0f} s")
    return True
