"""The programmes the write steps of a run make for themselves, and take away after.

The registration burst needs sessions nobody has registered for yet, and check-in a
session happening now (its check-in window is around the real clock, which the data set's
fixed "today" is not). Both are written here with plain SQL, as bench.park writes its
rows, just before their step, and deleted right after it (sessions, registrations,
tickets and attendances go with the programme): the pages timed by the next run see the
same data set as this one did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

TITLE_PREFIX = "bench/run: "


@dataclass(frozen=True)
class SessionPlan:
    starts_at: datetime  # naive UTC, as the columns hold it
    hours: float
    capacity: int
    label: str | None = None


@dataclass(frozen=True)
class BenchProgramme:
    id: int
    session_ids: list[int]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create(
    engine: sa.Engine,
    title: str,
    sessions: Sequence[SessionPlan],
    *,
    organiser_company_id: int | None = None,
) -> BenchProgramme:
    """A published in-person workshop, open to every student, its registration open now
    (until the first session starts), with `sessions` (waitlist on)."""
    now = utc_now()
    first = min(plan.starts_at for plan in sessions)
    with engine.begin() as connection:
        programme_id = connection.execute(
            sa.text(
                "INSERT INTO programmes (kind, status, title_en, title_zh, description_en,"
                " organiser_company_id, format, venue, registration_opens_at,"
                " registration_closes_at, cancellation_cutoff_hours, open_to_non_local,"
                " published_at, created_at, updated_at)"
                " VALUES ('workshop', 'published', :title, NULL, :description, :company,"
                " 'in_person', 'Hong Kong Science Park, Building 19W', :opens, :closes, 0,"
                " true, :opens, :opens, :opens) RETURNING id"
            ),
            {
                "title": TITLE_PREFIX + title,
                "description": "Written by bench/run for one step of a run, deleted after it.",
                "company": organiser_company_id,
                "opens": now - timedelta(days=1),
                "closes": first,
            },
        ).scalar_one()
        session_ids = [
            connection.execute(
                sa.text(
                    "INSERT INTO programme_sessions (programme_id, label, starts_at, ends_at,"
                    " capacity, waitlist_enabled, last_sequence, created_at)"
                    " VALUES (:programme, :label, :starts, :ends, :capacity, true, 0, :now)"
                    " RETURNING id"
                ),
                {
                    "programme": programme_id,
                    "label": plan.label,
                    "starts": plan.starts_at,
                    "ends": plan.starts_at + timedelta(hours=plan.hours),
                    "capacity": plan.capacity,
                    "now": now,
                },
            ).scalar_one()
            for plan in sessions
        ]
    return BenchProgramme(programme_id, session_ids)


def register_students(engine: sa.Engine, session_id: int, profile_ids: Sequence[int]) -> None:
    """Seats for `profile_ids` in the session, in that order (as if each had registered)."""
    now = utc_now()
    rows = [
        {"session": session_id, "profile": profile_id, "sequence": n, "at": now}
        for n, profile_id in enumerate(profile_ids, 1)
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO programme_registrations (session_id, profile_id, status, sequence,"
                " created_at) VALUES (:session, :profile, 'registered', :sequence, :at)"
            ),
            rows,
        )
        connection.execute(
            sa.text("UPDATE programme_sessions SET last_sequence = :last WHERE id = :id"),
            {"last": len(rows), "id": session_id},
        )


def remove(engine: sa.Engine, programme: BenchProgramme) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM programmes WHERE id = :id"), {"id": programme.id})


def remove_leftovers(engine: sa.Engine) -> int:
    """Programmes a run stopped before deleting (Ctrl-C): none should outlive its step."""
    with engine.begin() as connection:
        return connection.execute(
            sa.text("DELETE FROM programmes WHERE title_en LIKE :prefix"),
            {"prefix": TITLE_PREFIX + "%"},
        ).rowcount
