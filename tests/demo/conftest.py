"""The demo, seeded once per xdist worker into its own database at DEMO_NOW, for the tests
that only read it (`summary`); the tests that write seed their own in the main test database
(`own_summary`, or seed_demo itself)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask

from foundry import clock, create_app
from foundry.demo.seed import SeedSummary, seed_demo
from foundry.extensions import db as _db
from tests.conftest import fresh_database_url
from tests.demo.shared import DEMO_NOW, DEMO_STUDENTS, FEW_STUDENTS


@dataclass(frozen=True)
class SharedDemo:
    app: Flask
    summary: SeedSummary


@pytest.fixture(scope="session")
def shared_demo():
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database_url("demo")})
    with app.app_context():
        _db.create_all()
        with clock.frozen_at(DEMO_NOW):
            summary = seed_demo(student_count=DEMO_STUDENTS, progress=False)
        _db.session.remove()
        _refuse_writes(_db.engine)
    yield SharedDemo(app, summary)
    with app.app_context():
        _db.engine.dispose()


def _refuse_writes(engine: sa.Engine) -> None:
    """Every later connection to the shared demo is read-only: a test that writes fails
    there, instead of changing what the tests after it read."""
    engine.dispose()

    @sa.event.listens_for(engine, "connect")
    def _read_only(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        dbapi_connection.commit()


@pytest.fixture
def summary(shared_demo):
    """The shared demo's SeedSummary; `db.session` reads the shared demo during the test."""
    with shared_demo.app.app_context():
        yield shared_demo.summary
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture
def own_summary(db):
    """A small demo of the test's own, in the main test database (emptied after the test)."""
    return seed_demo(student_count=FEW_STUDENTS, progress=False)
