"""The demo connects HKUST and HKU to the local IdPs of `make idp`, once."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.demo.seed import SSO_HINT, seed_demo
from foundry.demo.seed_sso import DEMO_IDP
from foundry.sso.models import SsoConnection
from foundry.sso.services import client_secret_of

STUDENTS = 5


def _connections(db) -> dict[str, SsoConnection]:
    return {c.university.code: c for c in db.session.scalars(sa.select(SsoConnection))}


def test_demo_connects_hkust_and_hku_to_the_local_idps(db):
    summary = seed_demo(student_count=STUDENTS, progress=False, sso=True)

    connections = _connections(db)
    assert sorted(connections) == ["HKU", "HKUST"]
    hkust, hku = connections["HKUST"], connections["HKU"]
    assert hkust.issuer == f"{DEMO_IDP}/hkust" and hku.issuer == f"{DEMO_IDP}/hku"
    assert client_secret_of(hkust) == "demo-hkust-client-secret"
    assert hkust.claim_staff_role == hku.claim_staff_role == "foundry_role"
    # HKUST's IdP sends study details; HKU's students are asked after their first sign-in.
    assert (hkust.claim_study_level, hkust.claim_graduation_year) == (
        "study_level",
        "graduation_year",
    )
    assert (hku.claim_study_level, hku.claim_graduation_year) == (None, None)
    assert summary.created["sso connections"] == 2
    assert "make idp" in SSO_HINT and SSO_HINT in summary.describe()


def test_seeding_again_keeps_the_connections_as_they_are(db):
    seed_demo(student_count=STUDENTS, progress=False, sso=True)
    _connections(db)["HKU"].enabled = False  # an admin switched it off
    db.session.commit()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    summary = seed_demo(student_count=STUDENTS, progress=False, sso=True)

    assert summary.created["sso connections"] == 0
    assert summary.present["sso connections"] == 2
    assert _connections(db)["HKU"].enabled is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_tests_get_no_demo_connections_unless_they_ask(db):
    summary = seed_demo(student_count=STUDENTS, progress=False)

    assert _connections(db) == {}
    assert SSO_HINT not in summary.describe()
