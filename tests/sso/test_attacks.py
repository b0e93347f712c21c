"""Every way an attacker or a broken IdP can answer: nobody is signed in, nothing is
written, the page is a 4xx and the log says why."""

from __future__ import annotations

import logging
import time

import pytest

from foundry.sso.discovery import clear_provider_cache
from tests.sso.conftest import (
    sign_in_through,
    signed_in_user_id,
    start_login,
    student_claims,
    users_and_identities,
)
from tests.sso.hostile_idp import DISCOVERY_PATH, HostileIdP, new_rsa_key


def assert_refused(response, client, db, caplog, before, *, status=None, log=None):
    assert 400 <= response.status_code < 500, (response.status_code, response.data[:300])
    if status is not None:
        assert response.status_code == status
    assert signed_in_user_id(client) is None
    assert users_and_identities(db) == before
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "SSO UA" in r.message]
    assert warnings, "no log line written"
    if log is not None:
        assert any(log in r.message for r in warnings), [r.message for r in warnings]
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    return page


def _forged_key(idp: HostileIdP) -> None:
    """Sign with a key of our own under the IdP's kid: the JWKS never has it."""
    idp.signing_key = new_rsa_key(idp.signing_key.kid)


ID_TOKEN_ATTACKS = {
    "alg_none": (lambda idp: setattr(idp, "id_token_mode", "none"), "alg 'none' not allowed"),
    "hs256_with_public_key": (
        lambda idp: setattr(idp, "id_token_mode", "hs256_public_key"),
        "alg 'HS256' not allowed",
    ),
    "empty_signature": (
        lambda idp: setattr(idp, "id_token_mode", "unsigned_rs256"),
        "empty signature",
    ),
    "signed_by_unknown_key": (_forged_key, "signature does not verify"),
    "expired": (
        lambda idp: idp.id_token_overrides.update(exp=int(time.time()) - 3600),
        "expired",
    ),
    "issued_in_the_future": (
        lambda idp: idp.id_token_overrides.update(iat=int(time.time()) + 3600),
        "in future",
    ),
    "no_exp": (lambda idp: idp.id_token_overrides.update(exp=None), "exp is missing"),
    "wrong_nonce": (lambda idp: idp.id_token_overrides.update(nonce="replayed"), "nonce"),
    "no_nonce": (lambda idp: idp.id_token_overrides.update(nonce=None), "nonce"),
    "wrong_audience": (lambda idp: idp.id_token_overrides.update(aud="another-app"), "aud"),
    "several_audiences_without_azp": (
        lambda idp: idp.id_token_overrides.update(aud=["portal-client", "another-app"]),
        "azp",
    ),
    "azp_of_another_client": (
        lambda idp: idp.id_token_overrides.update(azp="another-app"),
        "azp",
    ),
    "wrong_issuer_in_token": (
        lambda idp: idp.id_token_overrides.update(iss="https://evil.example"),
        "iss",
    ),
    "no_subject": (lambda idp: idp.id_token_overrides.update(sub=None), "sub"),
    "control_characters_in_subject": (
        lambda idp: idp.id_token_overrides.update(sub="amy\x00001"),
        "sub",
    ),
    "email_not_verified": (
        lambda idp: idp.id_token_overrides.update(email_verified=False),
        "email_verified",
    ),
    "email_verified_missing_everywhere": (
        lambda idp: (
            idp.id_token_overrides.update(email_verified=None),
            idp.userinfo_overrides.update(email_verified=None),
        ),
        "email_verified",
    ),
    "userinfo_about_another_subject": (
        lambda idp: (
            idp.userinfo_only.update({"email", "email_verified"}),
            idp.userinfo_overrides.update(sub="somebody-else"),
        ),
        "userinfo sub differs",
    ),
}


@pytest.mark.parametrize("attack", sorted(ID_TOKEN_ATTACKS))
def test_bad_id_token_signs_nobody_in(attack, client, connected, idp, db, caplog):
    before = users_and_identities(db)
    arrange, log = ID_TOKEN_ATTACKS[attack]
    arrange(idp)
    response = sign_in_through(client, idp, student_claims())
    assert_refused(response, client, db, caplog, before, log=log)


BROKEN_ENDPOINTS = {
    "500": (500, "Internal Server Error", "text/plain"),
    "html": (200, "<html><body>Please log in</body></html>", "text/html"),
    "garbage_json": (200, '{"issuer": "http://x", ', "application/json"),
    "json_list": (200, "[1, 2, 3]", "application/json"),
    "redirect": (302, "", "text/plain"),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN_ENDPOINTS))
@pytest.mark.parametrize("path", [DISCOVERY_PATH, "/token", "/jwks", "/userinfo"])
def test_broken_idp_endpoint_is_a_clear_page(path, breakage, client, connected, idp, db, caplog):
    before = users_and_identities(db)
    idp.userinfo_only.add("email")  # so that userinfo is asked
    location = start_login(client)
    params = idp.approve(location, student_claims())
    clear_provider_cache()  # discovery is fetched again at the callback
    idp.broken[path] = BROKEN_ENDPOINTS[breakage]
    response = client.get("/sso/UA/callback", query_string=params)
    page = assert_refused(response, client, db, caplog, before)
    assert "sign-in service" in page or "could not" in page


@pytest.mark.parametrize("path", [DISCOVERY_PATH, "/token", "/jwks", "/userinfo"])
def test_slow_idp_times_out_into_a_clear_page(
    path, app, monkeypatch, client, connected, idp, db, caplog
):
    monkeypatch.setitem(app.config, "OIDC_HTTP_TIMEOUT", 0.3)
    before = users_and_identities(db)
    idp.userinfo_only.add("email")
    location = start_login(client)
    params = idp.approve(location, student_claims())
    clear_provider_cache()
    idp.slow.add(path)
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, log="timed out")
    assert "try again in a few minutes" in response.get_data(as_text=True)


def test_idp_down_at_login_is_a_clear_page(client, connected, idp, db, caplog):
    idp.stop()
    response = client.get("/sso/UA/login")
    assert response.status_code == 400
    assert "could not reach your university" in response.get_data(as_text=True)
    assert any("SSO UA: discovery" in r.message for r in caplog.records)


DISCOVERY_ATTACKS = {
    "issuer_differs": ({"issuer": "https://evil.example"}, "differs from the configured"),
    "issuer_with_trailing_slash": ("SLASH", "differs from the configured"),
    "no_token_endpoint": ({"token_endpoint": None}, "no token_endpoint"),
    "no_jwks_uri": ({"jwks_uri": None}, "no jwks_uri"),
    "no_authorization_endpoint": ({"authorization_endpoint": None}, "authorization_endpoint"),
    "only_hs256_offered": (
        {"id_token_signing_alg_values_supported": ["HS256", "none"]},
        "no asymmetric",
    ),
    "endpoint_on_plain_http_elsewhere": (
        {"token_endpoint": "http://evil.example/token"},
        "must start with https",
    ),
    "values_of_the_wrong_type": (
        {"id_token_signing_alg_values_supported": "RS256", "response_types_supported": 5},
        "no asymmetric",
    ),
    "only_private_key_jwt": (
        {"token_endpoint_auth_methods_supported": ["private_key_jwt"]},
        "neither client_secret_basic",
    ),
}


@pytest.mark.parametrize("attack", sorted(DISCOVERY_ATTACKS))
def test_untrustworthy_discovery_stops_at_login(attack, client, connected, idp, db, caplog):
    overrides, log = DISCOVERY_ATTACKS[attack]
    if overrides == "SLASH":
        overrides = {"issuer": idp.issuer + "/"}
    idp.discovery_overrides.update(overrides)
    response = client.get("/sso/UA/login")
    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    assert any(log in r.message for r in caplog.records if "SSO UA" in r.message), [
        r.message for r in caplog.records
    ]


def test_loopback_http_issuer_refused_when_not_allowed(
    app, monkeypatch, client, connected, db, caplog
):
    monkeypatch.setitem(app.config, "OIDC_ALLOW_LOOPBACK_HTTP", False)
    response = client.get("/sso/UA/login")
    assert response.status_code == 400
    assert any("plain http is not allowed" in r.message for r in caplog.records)


def test_wrong_client_secret_is_refused_by_the_idp(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    idp.client_secret = "rotated-at-the-idp"
    response = sign_in_through(client, idp, student_claims())
    assert_refused(response, client, db, caplog, before, log="invalid_client")


def test_idp_error_response_is_a_clear_page(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    location = start_login(client)
    state = idp.approve(location, student_claims())["state"]
    response = client.get(
        "/sso/UA/callback", query_string={"error": "access_denied", "state": state}
    )
    page = assert_refused(response, client, db, caplog, before, status=403, log="access_denied")
    assert "You cancelled signing in" in page
    # The state was used up by the error: the same state cannot be used again.
    again = client.get("/sso/UA/callback", query_string={"code": "x", "state": state})
    assert again.status_code == 400


def test_idp_error_code_is_not_echoed_raw(client, connected, idp, db, caplog):
    response = client.get("/sso/UA/callback", query_string={"error": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert" not in response.get_data(as_text=True)


def test_response_naming_another_issuer_is_refused(client, connected, idp, db, caplog):
    """RFC 9207: a response that says it comes from another IdP (mix-up attack)."""
    before = users_and_identities(db)
    location = start_login(client)
    params = idp.approve(location, student_claims())
    params["iss"] = "http://127.0.0.1:1"
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, log="response iss")
    assert idp.hits["/token"] == 0


def test_response_without_iss_is_refused_when_the_idp_promises_it(
    client, connected, idp, db, caplog
):
    before = users_and_identities(db)
    location = start_login(client)
    params = idp.approve(location, student_claims())
    del params["iss"]
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, log="lacks iss")


def test_response_without_iss_is_accepted_when_the_idp_does_not_send_it(client, connected, idp, db):
    idp.discovery_overrides["authorization_response_iss_parameter_supported"] = None
    location = start_login(client)
    params = idp.approve(location, student_claims())
    del params["iss"]
    response = client.get("/sso/UA/callback", query_string=params)
    assert response.status_code == 303
    assert signed_in_user_id(client) is not None


def test_callback_without_code_is_refused(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    location = start_login(client)
    params = idp.approve(location, student_claims())
    del params["code"]
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, log="without a code")


def test_code_of_another_session_is_refused_by_pkce(client, app, connected, idp, db, caplog):
    """A code stolen from someone else's sign-in, replayed with our own state: the IdP
    sees our code_verifier does not match the victim's challenge."""
    before = users_and_identities(db)
    victim = app.test_client()
    victim_params = idp.approve(start_login(victim), student_claims())
    own_params = idp.approve(start_login(client), student_claims(sub="mallory"))
    response = client.get(
        "/sso/UA/callback",
        query_string={**own_params, "code": victim_params["code"]},
    )
    assert_refused(response, client, db, caplog, before, log="PKCE")


def test_replayed_callback_is_refused(client, connected, idp, db, caplog):
    location = start_login(client)
    params = idp.approve(location, student_claims())
    first = client.get("/sso/UA/callback", query_string=params)
    assert first.status_code == 303
    before = users_and_identities(db)
    second = client.get("/sso/UA/callback", query_string=params)
    assert second.status_code == 400
    assert "expired or was started in another browser" in second.get_data(as_text=True)
    assert users_and_identities(db) == before


def test_callback_opened_in_another_browser_is_refused(app, client, connected, idp, db, caplog):
    before = users_and_identities(db)
    params = idp.approve(start_login(client), student_claims())
    other_browser = app.test_client()
    response = other_browser.get("/sso/UA/callback", query_string=params)
    page = assert_refused(response, other_browser, db, caplog, before, status=400)
    assert "started in another browser" in page
    assert 'href="/sso/UA/login"' in page  # a button to start again
    assert idp.hits["/token"] == 0


def test_expired_flow_is_refused(client, connected, idp, db, caplog, monkeypatch):
    before = users_and_identities(db)
    params = idp.approve(start_login(client), student_claims())
    real_time = time.time
    monkeypatch.setattr("foundry.sso.routes.time.time", lambda: real_time() + 601)
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, status=400)
    assert idp.hits["/token"] == 0


def test_unknown_state_is_refused(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    params = idp.approve(start_login(client), student_claims())
    response = client.get("/sso/UA/callback", query_string={**params, "state": "made-up-state"})
    assert_refused(response, client, db, caplog, before, status=400, log="state")


def test_state_of_one_university_at_anothers_callback_is_refused(
    client, both_connected, idp, idp_b, db, caplog
):
    """A response from B's IdP brought to A's callback (or the other way round)."""
    before = users_and_identities(db)
    params = idp_b.approve(start_login(client, "UB"), student_claims(email="amy@ub.edu.hk"))
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, status=400, log="issued for university")
    assert idp_b.hits["/token"] == 0 and idp.hits["/token"] == 0


def test_code_from_another_universitys_idp_is_refused(
    client, both_connected, idp, idp_b, db, caplog
):
    """Our state for A, but a code minted by B's IdP: the iss parameter gives it away, and
    without it A's IdP does not know the code."""
    before = users_and_identities(db)
    params_a = idp.approve(start_login(client, "UA"), student_claims())
    params_b = idp_b.approve(start_login(client, "UB"), student_claims(email="amy@ub.edu.hk"))
    forged = {"state": params_a["state"], "code": params_b["code"], "iss": params_b["iss"]}
    response = client.get("/sso/UA/callback", query_string=forged)
    assert_refused(response, client, db, caplog, before, log="response iss")
    params_a2 = idp.approve(start_login(client, "UA"), student_claims())
    forged = {"state": params_a2["state"], "code": params_b["code"], "iss": params_a2["iss"]}
    response = client.get("/sso/UA/callback", query_string=forged)
    assert_refused(response, client, db, caplog, before, log="invalid_grant")


def test_student_of_b_cannot_sign_in_through_a(client, both_connected, idp, db, caplog):
    """A's IdP vouching for an address of B (a compromised or careless IdP)."""
    before = users_and_identities(db)
    response = sign_in_through(client, idp, student_claims(email="bob@ub.edu.hk"))
    page = assert_refused(response, client, db, caplog, before, status=403, log="domain")
    assert "does not belong to University A" in page


def test_subdomain_of_a_listed_domain_is_not_accepted(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    response = sign_in_through(client, idp, student_claims(email="amy@evil.ua.edu.hk"))
    assert_refused(response, client, db, caplog, before, status=403, log="domain")


def test_lookalike_domain_is_not_accepted(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    response = sign_in_through(client, idp, student_claims(email="amy@ua.edu.hk.evil.com"))
    assert_refused(response, client, db, caplog, before, status=403, log="domain")


def test_disabled_connection_cannot_finish_a_sign_in(client, connected, idp, db, caplog):
    before = users_and_identities(db)
    params = idp.approve(start_login(client), student_claims())
    connected.uni_a.sso.enabled = False
    db.session.commit()
    response = client.get("/sso/UA/callback", query_string=params)
    assert_refused(response, client, db, caplog, before, status=404)


def test_no_token_or_secret_in_the_log(client, connected, idp, db, caplog):
    idp.id_token_overrides["nonce"] = "wrong"
    sign_in_through(client, idp, student_claims())
    text = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert idp.client_secret not in text
    assert "eyJ" not in text  # no JWT
    for token in idp.access_tokens:
        assert token not in text
