"""Fixtures of the reports engine's tests."""

from __future__ import annotations

import pytest

from tests.reports import dataset


@pytest.fixture
def known(db):
    """The hand-counted data set of tests/reports/dataset.py."""
    world = dataset.build()
    db.session.commit()
    return world
