"""Fixtures for single sign-on: a hostile IdP per university, connections to them, and a
helper that walks the app's real routes from /sso/<code>/login to the callback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.sso.discovery import clear_provider_cache
from foundry.sso.models import UserIdentity
from foundry.sso.services import configure_connection
from tests.sso.hostile_idp import HostileIdP


@pytest.fixture(autouse=True)
def _fresh_provider_cache():
    clear_provider_cache()
    yield
    clear_provider_cache()


@pytest.fixture
def idp():
    server = HostileIdP().start()
    yield server
    server.stop()


@pytest.fixture
def idp_b():
    server = HostileIdP(client_id="portal-at-b", client_secret="b-secret").start()
    yield server
    server.stop()


def connect(university, server: HostileIdP, **extra):
    connection = configure_connection(
        university,
        actor=None,
        issuer=server.issuer,
        client_id=server.client_id,
        client_secret=server.client_secret,
        **extra,
    )
    return connection


@pytest.fixture
def connected(world, idp, db):
    """University A signs in through `idp`."""
    connect(world.uni_a, idp)
    db.session.commit()
    return world


@pytest.fixture
def both_connected(connected, idp_b, db):
    """University B signs in through its own IdP as well."""
    connect(connected.uni_b, idp_b)
    db.session.commit()
    return connected


def student_claims(**changes) -> dict:
    claims = {
        "sub": "amy-001",
        "email": "amy@ua.edu.hk",
        "email_verified": True,
        "name": "Amy Chan",
        "eduPersonAffiliation": ["student", "member"],
        "faculty": "ENG",
        "student_number": "20240001",
    }
    for key, value in changes.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def staff_claims(**changes) -> dict:
    return student_claims(
        **{
            "sub": "sam-007",
            "email": "sam@ua.edu.hk",
            "name": "Sam Wong",
            "eduPersonAffiliation": "staff",
            "student_number": None,
            **changes,
        }
    )


def start_login(client, code: str = "UA", **query):
    response = client.get(f"/sso/{code}/login", query_string=query)
    assert response.status_code == 303, response.data[:300]
    return response.headers["Location"]


def sign_in_through(client, server: HostileIdP, claims: dict, code: str = "UA", **query):
    """The whole round trip: our login route, the IdP approving, our callback."""
    location = start_login(client, code, **query)
    params = server.approve(location, claims)
    return client.get(f"/sso/{code}/callback", query_string=params)


def signed_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def users_and_identities(db) -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        db.session.scalar(sa.select(sa.func.count()).select_from(UserIdentity)),
    )
