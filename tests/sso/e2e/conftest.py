"""SSO end to end: the portal (Flask test client) against real OpenID providers
(tests/oidc_provider, npm oidc-provider) for HKUST and HKU, one node process per pytest
worker, started once per session and put back as it was before each test.

Fixtures:
  idp     the LocalIdP (tests/sso/e2e/idp.py): issuer(path), set_account(...),
          update_account(...), rotate_client_secret(...), restart(new_keys=..., same_kid=...),
          stop(); accounts reset to ACCOUNTS before each test
  campus  HKUST and HKU (their domains and faculties) connected to the IdP with
          configure_connection; the staff-role claim is `foundry_role`
  browser an SsoBrowser on the test `client`: browser.sign_in("HKUST", "hkust-student")
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from foundry.sso import discovery as sso_discovery
from foundry.sso.services import configure_connection
from tests import factories as f
from tests.sso.e2e.flow import SsoBrowser
from tests.sso.e2e.idp import IdpClient, LocalIdP

PORTAL = "http://localhost"
SECRETS = {"hkust": "hkust-client-secret-1", "hku": "hku-client-secret-1"}

ACCOUNTS = {
    "hkust-student": {
        "email": "ka.ming.chan@connect.ust.hk",
        "email_verified": True,
        "name": "Chan Ka Ming",
        "student_number": "20123456",
        "faculty": "SENG",
        "eduPersonAffiliation": ["student", "member"],
    },
    "hkust-dean": {
        "email": "wing.yan.lee@ust.hk",
        "email_verified": True,
        "name": "Prof. Lee Wing Yan",
        "faculty": "SENG",
        "eduPersonAffiliation": ["faculty", "staff", "member"],
        "foundry_role": "dean",
    },
    "hkust-staff": {
        "email": "man.ho.ho@ust.hk",
        "email_verified": True,
        "name": "Ho Man Ho",
        "faculty": "SENG",
        "eduPersonAffiliation": ["staff", "member"],
    },
    "hku-student": {
        "email": "hoi.ying.lam@connect.hku.hk",
        "email_verified": True,
        "name": "Lam Hoi Ying",
        "student_number": "3035123456",
        "faculty": "CDS",
        "eduPersonAffiliation": ["student", "member"],
    },
}


def _clients() -> list[IdpClient]:
    return [
        IdpClient("hkust", "foundry-hkust", SECRETS["hkust"], [f"{PORTAL}/sso/HKUST/callback"]),
        IdpClient("hku", "foundry-hku", SECRETS["hku"], [f"{PORTAL}/sso/HKU/callback"]),
    ]


@pytest.fixture(scope="session")
def _idp_process(tmp_path_factory):
    idp = LocalIdP(tmp_path_factory.mktemp("idp"), _clients(), copy.deepcopy(ACCOUNTS)).start()
    yield idp
    idp.stop()


@pytest.fixture
def idp(_idp_process):
    """The IdP as every test expects to find it: running, with the first client secrets
    and the test accounts (a test that rotated, restarted or stopped it is undone)."""
    idp = _idp_process
    expected = {client.path: client.client_secret for client in _clients()}
    changed = {path: c.client_secret for path, c in idp.clients.items()} != expected
    if changed:
        for path, secret in expected.items():
            idp.clients[path].client_secret = secret
    if changed or not idp.running:
        idp.restart()
    idp.replace_accounts(copy.deepcopy(ACCOUNTS))
    sso_discovery.clear_provider_cache()
    return idp


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report shows the end of the IdP's log."""
    report = yield
    idp = getattr(item, "funcargs", {}).get("idp")
    if report.failed and idp is not None:
        report.sections.append(("local IdP log", idp.log_tail()))
    return report


@pytest.fixture
def campus(db, idp):
    """HKUST and HKU with their e-mail domains and faculties, signing in at the local IdP."""
    park_admin = f.park_admin()
    hkust = f.UniversityFactory(
        code="HKUST",
        name_en="The Hong Kong University of Science and Technology",
        domains=["ust.hk", "connect.ust.hk"],
    )
    hku = f.UniversityFactory(
        code="HKU", name_en="The University of Hong Kong", domains=["hku.hk", "connect.hku.hk"]
    )
    campus = SimpleNamespace(
        park_admin=park_admin,
        hkust=hkust,
        hku=hku,
        hkust_engineering=f.FacultyFactory(
            university=hkust, code="SENG", name_en="School of Engineering"
        ),
        hkust_science=f.FacultyFactory(university=hkust, code="SSCI", name_en="School of Science"),
        hku_engineering=f.FacultyFactory(
            university=hku, code="ENG", name_en="Faculty of Engineering"
        ),
        hku_computing=f.FacultyFactory(
            university=hku, code="CDS", name_en="School of Computing and Data Science"
        ),
    )
    for university, path in ((hkust, "hkust"), (hku, "hku")):
        client = idp.client(path)
        configure_connection(
            university,
            actor=park_admin,
            issuer=idp.issuer(path),
            client_id=client.client_id,
            client_secret=client.client_secret,
            claims={"staff_role": "foundry_role"},
        )
    db.session.commit()
    return campus


@pytest.fixture
def browser(client):
    return SsoBrowser(client)
