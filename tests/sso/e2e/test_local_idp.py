"""The local IdP is as strict as a real one, so passing the SSO tests against it means
something: PKCE required, RFC 9207 `iss` in the response, keys rotated under one kid."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from tests.sso.e2e.conftest import PORTAL


def _discovery(idp, path: str) -> dict:
    return requests.get(f"{idp.issuer(path)}/.well-known/openid-configuration", timeout=5).json()


def test_each_university_is_its_own_issuer(idp, no_db):
    hkust, hku = _discovery(idp, "hkust"), _discovery(idp, "hku")

    assert hkust["issuer"] == idp.issuer("hkust") != hku["issuer"] == idp.issuer("hku")
    assert hkust["jwks_uri"].startswith(idp.issuer("hkust") + "/")
    assert hkust["authorization_response_iss_parameter_supported"] is True
    assert hkust["code_challenge_methods_supported"] == ["S256"]
    assert hkust["response_types_supported"] == ["code"]


def test_an_authorization_request_without_pkce_is_refused(idp, no_db):
    response = requests.get(
        _discovery(idp, "hkust")["authorization_endpoint"],
        params={
            "client_id": "foundry-hkust",
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": f"{PORTAL}/sso/HKUST/callback",
            "state": "s",
            "nonce": "n",
        },
        allow_redirects=False,
        timeout=5,
    )

    answer = parse_qs(urlsplit(response.headers["Location"]).query)
    assert answer["error"] == ["invalid_request"]
    assert "PKCE" in answer["error_description"][0]
    assert answer["iss"] == [idp.issuer("hkust")]


def test_new_keys_under_the_same_kid_after_a_restart(idp, no_db):
    jwks_uri = _discovery(idp, "hkust")["jwks_uri"]
    before = requests.get(jwks_uri, timeout=5).json()["keys"]

    idp.restart(new_keys=True, same_kid=True)
    after = requests.get(jwks_uri, timeout=5).json()["keys"]

    assert [k["kid"] for k in after] == [k["kid"] for k in before]
    assert after[0]["n"] != before[0]["n"]
    assert "d" not in after[0]
