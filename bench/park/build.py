"""What the steps share while they fill a database: the connection, the scale, their
random generators, the ids handed out, and what each step made for the later ones."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

import psycopg

from bench.park import SEED, Scale


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class Build:
    conn: psycopg.Connection
    scale: Scale
    # The programmes step sizes itself on this scale (default: `scale`): a smaller data set
    # can hold park-scale programmes (issue 13's 5,000 and 200,000) and build in minutes.
    programme_scale: Scale | None = None
    # What each step made that a later one needs (people, companies, postings...), by the
    # step's name: build.made.people.students, build.made.postings.open...
    made: SimpleNamespace = field(default_factory=SimpleNamespace)
    _next_ids: dict[str, int] = field(default_factory=dict)

    def rng(self, purpose: str) -> random.Random:
        """A generator of its own for each purpose: what one step draws does not shift
        what another draws."""
        return random.Random(f"{SEED}:{self.scale.name}:{purpose}")

    def ids(self, table: str, count: int) -> range:
        """`count` new ids of `table`, after those already handed out."""
        first = self._next_ids.get(table, 1)
        self._next_ids[table] = first + count
        return range(first, first + count)

    def copy(
        self, table: str, columns: Iterable[str], rows: Iterable[tuple], quiet: bool = False
    ) -> int:
        """Write rows with COPY; returns how many."""
        started = time.perf_counter()
        count = 0
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if not quiet:
            log(f"    {table}: {count:,} rows ({time.perf_counter() - started:.1f} s)")
        return count

    def execute(self, sql: str, params: dict | None = None) -> int:
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def execute_rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def set_sequences(self) -> None:
        """Sequences after the highest id written, so the app's own inserts follow on."""
        for table in self._next_ids:
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
