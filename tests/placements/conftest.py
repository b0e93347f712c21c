"""Fixtures of the placement tests: a student of faculty A1 with a recorded placement, and
a way to post forms whose fields carry a prefix."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from
from tests.placements import factories as pf


@pytest.fixture
def placement(world, db):
    """A placement the dean of A1 recorded for student A1, not yet confirmed."""
    row = pf.recorded_placement(world.student_a1, world.dean_a1)
    db.session.commit()
    return row


@pytest.fixture
def post_prefixed(client):
    """POST `data` with every key under `prefix` (e.g. "mid_term-supervisor_name"), with
    the CSRF token of the page at `form_page`."""

    def post(url, data, form_page, prefix=None):
        token = csrf_from(client.get(form_page))
        payload = {"csrf_token": token, **data}
        if prefix:
            payload = {f"{prefix}-{key}": value for key, value in payload.items()}
        return client.post(url, data=payload)

    return post
