"""Keeping the summary tables equal to what foundry.reports.summaries.definitions give from
the raw data: refreshing the students a change touched, rebuilding everything, and
counting the rows where the two differ.

A student's rows in report_student_years are simply computed again. The breakdown tables
add up many students, so a change adds the difference between what the touched students
made up before the change and what they make up after it (an upsert adding to the
counts, which commutes with any other transaction's). On PostgreSQL the touched students'
profile rows are locked first (FOR NO KEY UPDATE, in id order), so that two transactions
touching one student take turns and each computes its "before" from the other's result.
A sign-in is no such change: it is counted where it happens (summaries.sign_ins), and only
checked and rebuilt here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from foundry.reports.summaries.definitions import (
    PROFILE_IDS,
    SIGN_IN_YEAR_COLUMNS,
    STUDENT_YEAR_COLUMNS,
    USER_IDS,
    breakdown_key_columns,
    breakdown_rows,
    facts_of_students,
    profiles_of_users,
    sign_in_years,
    student_years,
)
from foundry.reports.summaries.head_counts import COLUMNS as STUDENT_COUNT_COLUMNS
from foundry.reports.summaries.head_counts import student_counts
from foundry.reports.summaries.models import (
    ALL_TABLES,
    BREAKDOWN_TABLES,
    SignInYear,
    StudentCounts,
    StudentYear,
)
from foundry.students.models import StudentProfile

Counts = dict[tuple, tuple[int, int]]  # breakdown key -> (applications, placements)
Contributions = dict[type, Counts]  # breakdown table -> counts


def _statement(name: str):
    return _statements()[name]


@cache
def _statements() -> dict:
    """The maintenance statements, built once: their students come as parameters."""
    some = sa.bindparam(PROFILE_IDS, expanding=True)
    return {
        "lock": sa.select(StudentProfile.id)
        .where(StudentProfile.id.in_(some))
        .order_by(StudentProfile.id)
        .with_for_update(key_share=True),
        "users": profiles_of_users(),
        "facts": facts_of_students(),
        "forget": sa.delete(StudentYear).where(StudentYear.profile_id.in_(some)),
        "compute": sa.insert(StudentYear).from_select(
            STUDENT_YEAR_COLUMNS, student_years(some=True)
        ),
    }


def lock_students(conn: sa.Connection, profile_ids: Collection[int]) -> None:
    """Hold the profile rows of these students until the transaction ends. The hold is
    PostgreSQL's (FOR NO KEY UPDATE, which leaves inserts that refer to the profiles free);
    SQLite has one writer at a time and ignores FOR UPDATE."""
    if profile_ids:
        conn.execute(_statement("lock"), {PROFILE_IDS: sorted(profile_ids)}).all()


def students_of_users(conn: sa.Connection, user_ids: Collection[int]) -> set[int]:
    if not user_ids:
        return set()
    return {row.id for row in conn.execute(_statement("users"), {USER_IDS: sorted(user_ids)})}


def contributions(conn: sa.Connection, profile_ids: Collection[int]) -> Contributions:
    """What these students make up of each breakdown table, as the database is now: one
    statement reads their applications and placements, added up here per table."""
    found: Contributions = {table: {} for table in BREAKDOWN_TABLES}
    if not profile_ids:
        return found
    rows = conn.execute(_statement("facts"), {PROFILE_IDS: sorted(profile_ids)}).mappings()
    for row in rows:
        for table, counts in found.items():
            key = tuple(row[name] for name in breakdown_key_columns(table))
            applications, placements = counts.get(key, (0, 0))
            counts[key] = (applications + row["applications"], placements + row["placements"])
    return found


# What a unit of work moves in the breakdown tables: per table, per key, the change to
# (applications, placements).
Deltas = dict[type, dict[tuple, tuple[int, int]]]


def add_difference(conn: sa.Connection, before: Contributions, after: Contributions) -> None:
    """Add `after` - `before` to the breakdown tables and drop the rows left at zero."""
    apply_deltas(conn, difference(before, after))


def difference(before: Contributions, after: Contributions, into: Deltas | None = None) -> Deltas:
    """`after` - `before`, added to `into` when given (a unit of work's flushes add up)."""
    deltas: Deltas = into if into is not None else {}
    for table in BREAKDOWN_TABLES:
        old, new = before.get(table, {}), after.get(table, {})
        moved = deltas.setdefault(table, {})
        for key in old.keys() | new.keys():
            (apps_before, places_before), (apps_after, places_after) = (
                old.get(key, (0, 0)),
                new.get(key, (0, 0)),
            )
            applications, placements = moved.get(key, (0, 0))
            moved[key] = (
                applications + apps_after - apps_before,
                placements + places_after - places_before,
            )
    return deltas


def apply_deltas(conn: sa.Connection, deltas: Deltas) -> None:
    """Move the breakdown tables' rows by `deltas`, every table's keys in one order (so two
    transactions never lock two rows in opposite orders), and drop the rows left at zero."""
    for table in BREAKDOWN_TABLES:
        columns = breakdown_key_columns(table)
        grown, lowered, shrunk = [], [], []
        moved = deltas.get(table, {})
        for key in sorted(moved, key=_sortable):
            applications, placements = moved[key]
            if applications == 0 and placements == 0:
                continue
            identity = dict(zip(columns, key, strict=True))
            change = {**identity, "applications": applications, "placements": placements}
            if applications < 0 or placements < 0:
                lowered.append(change)
                shrunk.append(identity)
            else:
                grown.append(change)
        _add_counts(conn, table, grown)
        _change_counts(conn, table, lowered)
        _drop_empty_rows(conn, table, shrunk)


def _sortable(key: tuple) -> tuple:
    """A total order over keys (which hold enums), the same in every transaction: rows are
    upserted in this order so two transactions never lock two rows in opposite orders."""
    return tuple(str(getattr(value, "value", value)) for value in key)


def _add_counts(conn: sa.Connection, table, rows: list[dict]) -> None:
    if not rows:
        return
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(table.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=list(breakdown_key_columns(table)),
        set_={
            "applications": table.__table__.c.applications + statement.excluded.applications,
            "placements": table.__table__.c.placements + statement.excluded.placements,
        },
    )
    conn.execute(statement, rows)


def _change_counts(conn: sa.Connection, table, rows: list[dict]) -> None:
    """Counts that shrink belong to rows that exist (the students made them up before):
    an UPDATE, since the CHECK on the counts would refuse an upsert's proposed row."""
    if not rows:
        return
    t = table.__table__
    conn.execute(
        sa.update(t)
        .where(_is_key(table))
        .values(
            applications=t.c.applications + sa.bindparam("d_applications"),
            placements=t.c.placements + sa.bindparam("d_placements"),
        ),
        [
            {
                **_key_parameters(row),
                "d_applications": row["applications"],
                "d_placements": row["placements"],
            }
            for row in rows
        ],
    )


def _drop_empty_rows(conn: sa.Connection, table, keys: list[dict]) -> None:
    if not keys:
        return
    t = table.__table__
    conn.execute(
        sa.delete(t).where(_is_key(table), t.c.applications == 0, t.c.placements == 0),
        [_key_parameters(key) for key in keys],
    )


def _is_key(table) -> sa.ColumnElement[bool]:
    t = table.__table__
    return sa.and_(
        *(t.c[name] == sa.bindparam(f"k_{name}") for name in breakdown_key_columns(table))
    )


def _key_parameters(row: dict) -> dict:
    return {f"k_{name}": row[name] for name in row if name not in ("applications", "placements")}


def refresh_student_years(conn: sa.Connection, profile_ids: Collection[int]) -> None:
    """Compute these students' report_student_years rows again."""
    if not profile_ids:
        return
    ids = {PROFILE_IDS: sorted(profile_ids)}
    conn.execute(_statement("forget"), ids)
    conn.execute(_statement("compute"), ids)


# --- all at once ----------------------------------------------------------------------


def _definition(table) -> tuple[tuple[str, ...], sa.Select]:
    if table is StudentYear:
        return STUDENT_YEAR_COLUMNS, student_years()
    if table is SignInYear:
        return SIGN_IN_YEAR_COLUMNS, sign_in_years()
    if table is StudentCounts:
        return STUDENT_COUNT_COLUMNS, student_counts()
    return (*breakdown_key_columns(table), "applications", "placements"), breakdown_rows(table)


def rebuild(
    conn: sa.Connection, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Empty every summary table and fill it again from the raw data; the rows written per
    table (`progress` hears of each table when it is done). On PostgreSQL the summary
    tables are locked against writers meanwhile (readers still see the old rows until the
    transaction commits)."""
    tables = [table.__table__ for table in ALL_TABLES]
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
    written = {}
    for table in ALL_TABLES:
        columns, select = _definition(table)
        conn.execute(sa.delete(table))
        result = conn.execute(
            sa.insert(table).from_select(columns, select),
            execution_options={"preserve_rowcount": True},
        )
        written[table.__tablename__] = result.rowcount
        if progress:
            progress(table.__tablename__, result.rowcount)
    return written


def tidy_after_rebuild(engine: sa.Engine) -> None:
    """VACUUM ANALYZE the summary tables (PostgreSQL), after a rebuild has committed: it
    leaves every old row dead, and the dashboard's index-only scans slow down until they
    are cleared (autovacuum would get there, later)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ALL_TABLES:
            conn.exec_driver_sql(f"VACUUM ANALYZE {table.__tablename__}")


def differences(conn: sa.Connection) -> dict[str, tuple[int, int]]:
    """Per summary table: (rows missing or different, rows that should not be there),
    comparing what is stored with what the definitions give now. (0, 0) everywhere when
    the summaries are right."""
    found = {}
    for table in ALL_TABLES:
        columns, definition = _definition(table)
        stored = sa.select(*(table.__table__.c[name] for name in columns))
        found[table.__tablename__] = (
            _count(conn, sa.except_(definition, stored)),
            _count(conn, sa.except_(stored, definition)),
        )
    return found


def _count(conn: sa.Connection, compound: sa.CompoundSelect) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(compound.subquery())) or 0)


def profile_ids_in(conn: sa.Connection, select: sa.Select) -> set[int]:
    return set(conn.scalars(select))
