"""Fixtures of the report pages' tests."""

from __future__ import annotations

import pytest

from tests.reports_web import factories


@pytest.fixture
def reports(db):
    """The data set of tests/reports_web/factories.py."""
    world = factories.build()
    db.session.commit()
    return world
