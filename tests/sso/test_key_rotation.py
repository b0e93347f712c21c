"""The IdP rotates its signing keys, even under the same kid: the next sign-in fetches the
keys again (at most once per cooldown) and works, without restarting the portal."""

from __future__ import annotations

import pytest

from tests.sso.conftest import sign_in_through, signed_in_user_id, student_claims
from tests.sso.hostile_idp import new_rsa_key


@pytest.fixture
def clock(monkeypatch):
    """The cache's monotonic clock, moved by hand."""

    class Clock:
        now = 1_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr("foundry.sso.discovery.time.monotonic", lambda: clock.now)
    return clock


def sign_in_fresh(app, idp, sub: str):
    """A new browser signs in as a new person."""
    browser = app.test_client()
    claims = student_claims(sub=sub, email=f"{sub}@ua.edu.hk", student_number=None)
    return browser, sign_in_through(browser, idp, claims)


def test_rotation_under_the_same_kid_refetches_the_keys(app, connected, idp):
    _browser, first = sign_in_fresh(app, idp, "one")
    assert first.status_code == 303
    assert idp.hits["/jwks"] == 1
    idp.rotate_key(same_kid=True)
    browser, second = sign_in_fresh(app, idp, "two")
    assert second.status_code == 303, second.data[:300]
    assert signed_in_user_id(browser) is not None
    assert idp.hits["/jwks"] == 2


def test_rotation_to_a_new_kid_refetches_the_keys(app, connected, idp):
    sign_in_fresh(app, idp, "one")
    idp.rotate_key(same_kid=False)
    _browser, second = sign_in_fresh(app, idp, "two")
    assert second.status_code == 303
    assert idp.hits["/jwks"] == 2


def test_keys_are_refetched_at_most_once_per_cooldown(
    app, monkeypatch, connected, idp, clock, caplog
):
    monkeypatch.setitem(app.config, "OIDC_REFRESH_COOLDOWN_SECONDS", 300)
    sign_in_fresh(app, idp, "one")
    idp.rotate_key(same_kid=True)
    assert sign_in_fresh(app, idp, "two")[1].status_code == 303
    assert idp.hits["/jwks"] == 2

    clock.advance(60)
    idp.rotate_key(same_kid=True)
    browser, refused = sign_in_fresh(app, idp, "three")
    assert refused.status_code == 400
    assert signed_in_user_id(browser) is None
    assert idp.hits["/jwks"] == 2  # within the cooldown: no second refetch
    assert any("signature does not verify" in r.message for r in caplog.records)

    clock.advance(241)
    assert sign_in_fresh(app, idp, "four")[1].status_code == 303
    assert idp.hits["/jwks"] == 3


def test_forged_tokens_cannot_make_us_hammer_the_idp(app, monkeypatch, connected, idp, clock):
    monkeypatch.setitem(app.config, "OIDC_REFRESH_COOLDOWN_SECONDS", 300)
    sign_in_fresh(app, idp, "one")
    idp.rotate_key(same_kid=True)
    idp.published_keys = [new_rsa_key("k1")]  # tokens signed by a key nobody publishes
    for n in range(4):
        assert sign_in_fresh(app, idp, f"forger{n}")[1].status_code == 400
    assert idp.hits["/jwks"] == 2


def test_discovery_and_keys_are_cached_until_they_expire(app, monkeypatch, connected, idp, clock):
    monkeypatch.setitem(app.config, "OIDC_CACHE_SECONDS", 3600)
    for n in range(3):
        assert sign_in_fresh(app, idp, f"p{n}")[1].status_code == 303
    assert idp.hits["/.well-known/openid-configuration"] == 1
    assert idp.hits["/jwks"] == 1
    clock.advance(3601)
    assert sign_in_fresh(app, idp, "later")[1].status_code == 303
    assert idp.hits["/.well-known/openid-configuration"] == 2
    assert idp.hits["/jwks"] == 2


def test_changing_the_connection_forgets_the_cached_discovery(app, connected, idp, db):
    from foundry.sso.services import configure_connection

    sign_in_fresh(app, idp, "one")
    configure_connection(connected.uni_a, actor=None, issuer=idp.issuer, client_id=idp.client_id)
    db.session.commit()
    sign_in_fresh(app, idp, "two")
    assert idp.hits["/.well-known/openid-configuration"] == 2


def test_elliptic_curve_signatures_are_accepted(app, connected, idp):
    idp.use_ec_key()
    browser, response = sign_in_fresh(app, idp, "ec")
    assert response.status_code == 303
    assert signed_in_user_id(browser) is not None


def test_a_token_signed_with_an_algorithm_the_idp_does_not_offer_is_refused(
    app, connected, idp, caplog
):
    idp.discovery_overrides["id_token_signing_alg_values_supported"] = ["ES256"]
    _browser, response = sign_in_fresh(app, idp, "rsa")
    assert response.status_code == 400
    assert any("alg 'RS256' not allowed" in r.message for r in caplog.records)
