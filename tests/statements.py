"""Counting the SQL statements the application runs: one helper for every test that asks
"how many statements does this page (or service) cost?".

    with recorded_statements() as statements:
        client.get("/postings")
    assert len(statements) <= 10

    statements, response = statements_of_request(client, "/postings")

Savepoints are left out: they are bookkeeping of a nested transaction, not work asked of
the database, and whether a driver emits them is no concern of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import sqlalchemy as sa

from foundry.extensions import db

SAVEPOINT_BOOKKEEPING = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.IGNORECASE
)


class Statement(NamedTuple):
    """One statement as the driver received it: its SQL text and its parameters."""

    sql: str
    parameters: Any


@contextmanager
def recorded_statements() -> Iterator[list[Statement]]:
    """The statements run on the application's engine inside the block, in order."""
    statements: list[Statement] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not SAVEPOINT_BOOKKEEPING.match(statement):
            statements.append(Statement(statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def outline(statements: list[Statement]) -> str:
    """The statements one a line, their column lists elided: for a failing test's message."""
    lines = []
    for number, statement in enumerate(statements, 1):
        flat = " ".join(statement.sql.split())
        flat = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", flat)
        lines.append(f"{number:3}. {flat[:240]}")
    return "\n".join(lines)


def statements_of_request(client, url: str, *, status: int = 200) -> tuple[list[Statement], Any]:
    """The statements one GET of `url` runs, and its response (asserted to be `status`).

    The test's own pending work is committed first, so its INSERTs are not counted as the
    page's (the test client would otherwise commit them inside the recording)."""
    db.session.commit()
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return statements, response
