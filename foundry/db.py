"""Declarative base, naming convention, shared column types and mixins."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import CreateColumn

from foundry import clock

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# A column whose info holds this key exists on PostgreSQL only: CREATE TABLE leaves it out on
# SQLite, and Alembic does not look for it there (postings.search_vector, a stored tsvector).
POSTGRESQL_ONLY = "postgresql_only"


@compiles(CreateColumn, "sqlite")
def _leave_out_postgresql_only_columns(element, compiler, **kw):
    if element.element.info.get(POSTGRESQL_ONLY):
        return None  # documented: a CreateColumn compiled to None is left out of the table
    return compiler.visit_create_column(element, **kw)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The services' reading of the one clock (foundry.clock), which the demo and tests move."""
    return clock.now()


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, returns aware UTC on every engine (SQLite drops the offset)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A VARCHAR holding the enum's value, with a CHECK constraint on both engines."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


@dataclass(frozen=True)
class ReportFacts:
    """What the placement report summaries (foundry.reports.summaries) count of a model,
    declared on the model as `__report_facts__` so that a reader of the model sees which
    changes move the dashboard's figures. foundry.reports.summaries.tracking follows exactly
    these at every flush; tests/reports/summaries/test_declared_facts.py checks that every
    column the summaries' definitions read is declared here by its model.

    - moves_breakdowns: attributes whose change moves the counts of the object's students
      in the breakdown tables and in their own rows (report_student_years);
    - moves_students: attributes whose change moves only the students' own rows;
    - on_insert / on_delete: adding / deleting an object moves its students' counts;
    - refuse_bulk_writes: an ORM bulk INSERT, UPDATE or DELETE of the model, which no flush
      sees, is refused (tracking.SummariesBypassed) unless the summaries are paused;
    - moves_head_counts: attributes whose change moves the object's student from one row of
      the student head counts (report_student_counts) to another;
    - head_count_on_write: adding or deleting the object moves its student's head count
      (a new student, or a CV that may be their first or last).
    """

    moves_breakdowns: frozenset[str] = frozenset()
    moves_students: frozenset[str] = frozenset()
    on_insert: bool = False
    on_delete: bool = False
    refuse_bulk_writes: bool = False
    moves_head_counts: frozenset[str] = frozenset()
    head_count_on_write: bool = False


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


SQLITE_BUSY_TIMEOUT_MS = 30_000


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite checks foreign keys only when asked, once per connection. And it has one
    writer at a time: a writer waits for the lock up to the busy timeout, then fails with
    "database is locked". The driver's 5 s was too short for a burst of writers on a busy
    machine (50 students registering at once for one session's seats, each waiting its
    turn); 30 s turns such a burst into waiting, not into errors."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
