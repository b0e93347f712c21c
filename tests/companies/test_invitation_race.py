"""Two people (or one double click) accepting the same invitation at the same moment:
exactly one account and one membership come out. Needs real concurrent transactions, so
it runs on PostgreSQL (SQLite serialises the whole database instead)."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa

from foundry.accounts.models import RoleMembership, User
from tests import factories as pf
from tests.conftest import csrf_from

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs concurrent transactions (PostgreSQL)"
)

PASSWORD = "correct horse battery staple"


def test_simultaneous_acceptances_make_one_membership(app, world, db):
    _token, raw = pf.invitation(world.company_a, "race@startup.hk")
    db.session.commit()
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_from(c.get(f"/invitations/{raw}")) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def accept(client, csrf):
        barrier.wait()
        response = client.post(
            f"/invitations/{raw}",
            data={
                "display_name": "Racer",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "csrf_token": csrf,
            },
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=accept, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) in ([303, 409], [303, 410]), statuses
    (user,) = db.session.scalars(sa.select(User).where(User.email == "race@startup.hk")).all()
    memberships = db.session.scalars(
        sa.select(RoleMembership).where(RoleMembership.user_id == user.id)
    ).all()
    assert len(memberships) == 1
