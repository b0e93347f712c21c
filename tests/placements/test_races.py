"""Racing requests on one evaluation: a supervisor's double submit, and two colleagues
asking for the same stage at once. Needs real concurrent transactions, so these run on
PostgreSQL (SQLite serialises the whole database instead)."""

from __future__ import annotations

import os
import threading

import pytest

from foundry.audit.models import AuditEvent
from foundry.placements.models import PlacementEvaluation
from tests.conftest import csrf_from
from tests.placements import factories as pf
from tests.placements.factories import count, fresh
from tests.placements.test_evaluations import ANSWERS

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs concurrent transactions (PostgreSQL)"
)


def _race(requests) -> list[int]:
    """Run the callables at the same moment; their status codes."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def run(request):
        barrier.wait()
        statuses.append(request())

    threads = [threading.Thread(target=run, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def _signed_in(app, user):
    client = app.test_client()
    token = csrf_from(client.get("/demo/sign-in"))
    assert (
        client.post("/demo/sign-in", data={"user_id": user.id, "csrf_token": token}).status_code
        == 303
    )
    return client


def test_a_double_submit_gives_one_answer(app, world, placement, db):
    evaluation, raw = pf.evaluation(placement)
    db.session.commit()
    url = f"/evaluations/{raw}"
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_from(c.get(url)) for c in clients]
    overall = ["2", "5"]

    def submit(i):
        data = {**ANSWERS, "csrf_token": tokens[i], "rating_overall": overall[i]}
        return lambda: clients[i].post(url, data=data).status_code

    assert _race([submit(0), submit(1)]) == [303, 409]
    row = fresh(evaluation)
    assert row.submitted_at is not None and str(row.rating_overall) in overall
    assert count(AuditEvent, AuditEvent.action == "evaluation.submitted") == 1


def test_two_colleagues_asking_at_once_make_one_request(app, world, placement, db):
    db.session.commit()
    clients = [_signed_in(app, world.dean_a1), _signed_in(app, world.coordinator_a)]
    page = f"/placements/{placement.id}"
    tokens = [csrf_from(c.get(page)) for c in clients]

    def ask(i):
        data = {
            "mid_term-csrf_token": tokens[i],
            "mid_term-supervisor_name": "Mary Chan",
            "mid_term-supervisor_email": "mary.chan@harbourbank.hk",
        }
        url = f"/placements/{placement.id}/evaluations/mid_term"
        return lambda: clients[i].post(url, data=data).status_code

    statuses = _race([ask(0), ask(1)])
    # Either the second waited and re-issued the link, or the unique index refused it.
    assert statuses in ([303, 303], [303, 409]), statuses
    assert count(PlacementEvaluation) == 1
