"""The bench database: created empty, migrated to head with the project's migrations,
filled by the steps, then analysed and its report summaries rebuilt. A comment on the
database marks it complete (scale, seed and schema head), so a build that stopped half-way,
or one made before a later migration, is made again."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade

from bench.park import personas
from bench.park.build import log
from foundry import create_app
from foundry.reports.summaries.maintenance import rebuild as rebuild_summaries
from foundry.reports.summaries.maintenance import tidy_after_rebuild

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# The schema's head is in the marker: a data set built before a migration is built again
# (an index or summary table added later would otherwise be missing from what is timed).
MARKER = "bench.park complete: scale {scale}, seed {seed}, schema {head}"


def schema_head() -> str:
    """The migrations' head revision, as `flask db upgrade` would leave the database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ",".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def marker(scale: str, seed: int) -> str:
    return MARKER.format(scale=scale, seed=seed, head=schema_head())


def app_for(url: str) -> Flask:
    """The app on the bench database, with the personas' encryption key (the park admins'
    second factor is stored encrypted with it)."""
    return create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "ENCRYPTION_KEYS": [personas.ENCRYPTION_KEY]},
    )


def psycopg_url(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(
        psycopg_url(str(sa.make_url(url).set(database="postgres"))), autocommit=True
    )


def is_complete(url: str, marker: str) -> bool:
    name = sa.make_url(url).database
    with _admin(url) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    return row is not None and row[0] == marker


def create_empty(url: str) -> None:
    """Drop the database if it is there and create it again, empty."""
    name = sa.make_url(url).database
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"created {name}")


def migrate(app: Flask) -> None:
    """`flask db upgrade`: the schema exactly as production has it."""
    started = time.perf_counter()
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    log(f"migrated to head ({time.perf_counter() - started:.1f} s)")


def finish(app: Flask, url: str, marker: str) -> None:
    """ANALYZE, the report summaries from the raw rows (bulk rows pass no hooks), then the
    marker."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        started = time.perf_counter()
        conn.exec_driver_sql("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE ({time.perf_counter() - started:.0f} s)")
    with app.app_context(), sa.create_engine(url).begin() as conn:
        started = time.perf_counter()
        written = rebuild_summaries(conn, lambda table, rows: log(f"    {table}: {rows:,} rows"))
        log(
            f"report summaries rebuilt ({sum(written.values()):,} rows, "
            f"{time.perf_counter() - started:.0f} s)"
        )
    tidy_after_rebuild(engine)
    name = sa.make_url(url).database
    with engine.connect() as conn:
        conn.exec_driver_sql(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    engine.dispose()


COUNTED = (
    "universities",
    "faculties",
    "study_programmes",
    "users",
    "student_profiles",
    "companies",
    "postings",
    "applications",
    "application_events",
    "interview_slots",
    "offers",
    "placements",
    "audit_events",
    "graduate_outcomes",
)


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(psycopg_url(url)) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED
        }
