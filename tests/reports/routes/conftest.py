"""Fixtures of the report pages' tests."""

from __future__ import annotations

import pytest

from tests.reports.routes import factories


@pytest.fixture
def reports(db):
    """The data set of tests/reports/routes/factories.py."""
    world = factories.build()
    db.session.commit()
    return world
