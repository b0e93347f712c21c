"""The student head counts (report_student_counts): how many students each cohort has, by
whether they joined the talent pool and have a CV, for the faculty and university home
pages and the park admin's figures, which would otherwise count every profile of a
university (tens of thousands at park scale) at every request.

A student is one row's worth of one: their cell is their cohort, talent pool and CV. The
session hooks (foundry.reports.summaries.tracking) read the cells of the students a flush
may move (new, changed or deleted profiles, CVs and users, as the models declare in
`__report_facts__`: moves_head_counts, head_count_on_write) before and after it, with the
students' profile rows locked, and add the difference: a write that moves no student
costs nothing here, and two transactions moving one student take turns.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from foundry.reports.summaries.definitions import PROFILE_IDS, cohort_of_profile
from foundry.reports.summaries.models import COHORT_COLUMNS, StudentCounts
from foundry.students.models import CVDocument, StudentProfile

KEY_COLUMNS = (*COHORT_COLUMNS, "talent_pool", "with_cv")
COLUMNS = (*KEY_COLUMNS, "students")

Cells = Counter  # a cell (the KEY_COLUMNS' values) -> students in it


def student_counts(some: bool = False) -> sa.Select:
    """The report_student_counts rows (COLUMNS in order), of every student or, with
    `some`, of the students in PROFILE_IDS only (what they make up of the table)."""
    has_cv = sa.exists().where(CVDocument.profile_id == StudentProfile.id)
    cell = [*cohort_of_profile(), StudentProfile.talent_pool_opt_in, has_cv]
    cells = sa.select(*(column.label(name) for column, name in zip(cell, KEY_COLUMNS, strict=True)))
    if some:
        cells = cells.where(StudentProfile.id.in_(sa.bindparam(PROFILE_IDS, expanding=True)))
    per_student = cells.subquery("cells")
    key = [per_student.c[name] for name in KEY_COLUMNS]
    return sa.select(*key, sa.func.count().label("students")).group_by(*key)


@cache
def _of_students() -> sa.Select:
    return student_counts(some=True)


def cells_of(conn: sa.Connection, profile_ids) -> Cells:
    """What these students make up of report_student_counts now: one statement."""
    if not profile_ids:
        return Counter()
    rows = conn.execute(_of_students(), {PROFILE_IDS: sorted(profile_ids)})
    return Counter({tuple(row[: len(KEY_COLUMNS)]): row.students for row in rows})


def _sortable(key: tuple) -> tuple:
    """One order for every transaction, so that two never lock rows in opposite orders."""
    return tuple(str(getattr(value, "value", value)) for value in key)


def add_difference(conn: sa.Connection, before: Cells, after: Cells) -> None:
    """Add `after` - `before` to report_student_counts, dropping the rows left at zero."""
    grown, lowered = [], []
    for key in sorted(before.keys() | after.keys(), key=_sortable):
        change = after[key] - before[key]
        if change:
            row = {**dict(zip(KEY_COLUMNS, key, strict=True)), "students": change}
            (grown if change > 0 else lowered).append(row)
    table = StudentCounts.__table__
    if grown:
        dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        insert = dialect_insert(table)
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=list(KEY_COLUMNS),
                set_={"students": table.c.students + insert.excluded.students},
            ),
            grown,
        )
    if lowered:
        # These rows exist (the students were counted in them): an UPDATE, then the rows
        # at zero go.
        is_key = sa.and_(*(table.c[name] == sa.bindparam(f"k_{name}") for name in KEY_COLUMNS))
        keys = [{f"k_{name}": row[name] for name in KEY_COLUMNS} for row in lowered]
        conn.execute(
            sa.update(table)
            .where(is_key)
            .values(students=table.c.students + sa.bindparam("change")),
            [{**key, "change": row["students"]} for key, row in zip(keys, lowered, strict=True)],
        )
        conn.execute(sa.delete(table).where(is_key, table.c.students == 0), keys)
