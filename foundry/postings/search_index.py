"""The full-text index over postings.search_text, on each engine in its own way.

PostgreSQL: a GIN index on to_tsvector('english', search_text), declared on the model.
SQLite: an FTS5 table kept in step with postings by triggers, created here after the
postings table (tests build the schema with create_all; the migration runs FTS5_DDL).
"""

from __future__ import annotations

import sqlalchemy as sa

from foundry.postings.models import Posting

TS_CONFIG = "english"
FTS_TABLE = "postings_fts"

FTS5_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='postings', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON postings BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON postings BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON postings BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)
FTS5_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)


def alembic_include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Keep the FTS5 table and its shadow tables out of Alembic's comparison."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLE))


def _create_sqlite_fts(target, connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in FTS5_DDL:
            connection.exec_driver_sql(statement)


def _drop_sqlite_fts(target, connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in FTS5_DROP:
            connection.exec_driver_sql(statement)


sa.event.listen(Posting.__table__, "after_create", _create_sqlite_fts)
sa.event.listen(Posting.__table__, "before_drop", _drop_sqlite_fts)
