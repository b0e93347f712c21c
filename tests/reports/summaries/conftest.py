"""Fixtures of the report summaries' tests."""

from __future__ import annotations

import pytest

from tests.reports import dataset


@pytest.fixture
def known(db):
    """The hand-counted data set of tests/reports/dataset.py (its figures are checked by
    tests/reports, which read the summaries for academic years)."""
    world = dataset.build()
    db.session.commit()
    return world
