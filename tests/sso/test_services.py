"""Setting up a connection: what is refused, how the secret is kept, and the check that
asks the IdP whether the connection can work."""

from __future__ import annotations

import base64
import secrets

import pytest
import sqlalchemy as sa

from foundry.audit.models import AuditEvent
from foundry.crypto import decrypt
from foundry.errors import InvalidInput
from foundry.sso.discovery import SsoError, url_problem
from foundry.sso.services import check_connection, client_secret_of, configure_connection
from tests import factories as f
from tests.sso.conftest import connect, sign_in_through, signed_in_user_id, student_claims


def configure(university, **changes):
    settings = {
        "actor": None,
        "issuer": "https://login.ua.edu.hk/oidc",
        "client_id": "talent-foundry",
        "client_secret": "s3cret-value",
        **changes,
    }
    return configure_connection(university, **settings)


def new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# --- configure_connection ---------------------------------------------------------------------


def test_connection_is_created_with_the_secret_encrypted(world, db):
    connection = configure(world.uni_a, scopes="openid email", domains=["UA.edu.hk", "ua.hk"])
    assert connection.issuer == "https://login.ua.edu.hk/oidc"
    assert connection.enabled is True
    assert connection.scopes == "openid email"
    assert "s3cret-value" not in connection.client_secret_encrypted
    assert decrypt(connection.client_secret_encrypted) == "s3cret-value"
    assert connection.secret_updated_at is not None
    assert [d.domain for d in world.uni_a.domains] == ["ua.edu.hk", "ua.hk"]


def test_blank_secret_keeps_the_old_one(world, db):
    first = configure(world.uni_a)
    stored, updated = first.client_secret_encrypted, first.secret_updated_at
    for blank in (None, ""):
        again = configure(world.uni_a, client_secret=blank, client_id="renamed")
        assert again.id == first.id
        assert again.client_secret_encrypted == stored
        assert again.secret_updated_at == updated
        assert again.client_id == "renamed"


def test_audit_records_the_change_without_the_secret(world, db):
    configure(world.uni_a, claims={"staff_role": "roles"})
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "sso.configured"))
    assert event.details["secret_changed"] is True
    assert event.details["claims"]["staff_role"] == "roles"
    assert "s3cret-value" not in str(event.details) + event.summary


def test_claims_are_set_and_optional_ones_unset(world, db):
    connection = configure(
        world.uni_a,
        claims={"faculty": "ou", "affiliation": "roles", "study_level": "lvl", "staff_role": "r"},
    )
    assert (connection.claim_faculty, connection.claim_affiliation) == ("ou", "roles")
    assert connection.claim_study_level == "lvl"
    connection = configure(world.uni_a, claims={"study_level": None, "staff_role": ""})
    assert connection.claim_study_level is None and connection.claim_staff_role is None
    assert connection.claim_faculty == "ou"


def test_enabled_can_be_switched_off_and_is_kept_otherwise(world, db):
    assert configure(world.uni_a, enabled=False).enabled is False
    assert configure(world.uni_a).enabled is False
    assert configure(world.uni_a, enabled=True).enabled is True


def test_domains_are_replaced(world, db):
    configure(world.uni_a, domains=["ua.hk", "ua.edu.hk"])
    configure(world.uni_a, domains=["ua.hk"])
    db.session.refresh(world.uni_a)
    assert [d.domain for d in world.uni_a.domains] == ["ua.hk"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issuer": "http://login.ua.edu.hk"}, "Issuer"),
        ({"issuer": "ftp://login.ua.edu.hk"}, "Issuer"),
        ({"issuer": "not a url"}, "Issuer"),
        ({"issuer": ""}, "Issuer"),
        ({"issuer": "https://user:pw@login.ua.edu.hk"}, "Issuer"),
        ({"issuer": "https://login.ua.edu.hk/?x=1"}, "Issuer"),
        ({"issuer": "https://login.ua.edu.hk/#x"}, "Issuer"),
        ({"issuer": "https://" + "a" * 600}, "Issuer"),
        ({"client_id": "  "}, "Client ID"),
        ({"client_id": "with space"}, "Client ID"),
        ({"client_secret": None}, "Client secret"),
        ({"client_secret": "   "}, "Client secret"),
        ({"scopes": "email profile"}, "Scopes"),
        ({"scopes": 'openid "email"'}, "Scopes"),
        ({"domains": []}, "Domains"),
        ({"domains": "ua.edu.hk"}, "Domains"),
        ({"domains": ["not a domain"]}, "Domains"),
        ({"domains": ["localhost"]}, "Domains"),
        ({"domains": ["-bad.edu.hk"]}, "Domains"),
        ({"domains": ["1.2.3.4"]}, "Domains"),
        ({"domains": ["ub.edu.hk"]}, "Domains"),  # University B's
        ({"claims": {"colour": "x"}}, "Claims"),
        ({"claims": {"email": ""}}, "Claim for email"),
        ({"claims": {"faculty": "has space"}}, "Claim for faculty"),
        ({"claims": "email"}, "Claims"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(world, db, changes, field):
    with pytest.raises(InvalidInput) as refused:
        configure(world.uni_a, **changes)
    assert refused.value.message.startswith(field), refused.value.message


def test_loopback_http_issuer_only_when_allowed(app, monkeypatch, world, db):
    assert configure(world.uni_a, issuer="http://127.0.0.1:9000").issuer == "http://127.0.0.1:9000"
    monkeypatch.setitem(app.config, "OIDC_ALLOW_LOOPBACK_HTTP", False)
    with pytest.raises(InvalidInput):
        configure(world.uni_a, issuer="http://localhost:9000")


def test_issuer_of_another_universitys_connection_is_refused(world, db):
    configure(world.uni_b)
    with pytest.raises(InvalidInput, match="UB already signs in"):
        configure(world.uni_a)


def test_issuer_is_stored_exactly_as_given_without_whitespace(world, db):
    assert configure(world.uni_a, issuer="  https://login.ua.edu.hk/  ").issuer == (
        "https://login.ua.edu.hk/"
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://idp.example", True),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000/realm", True),
        ("http://[::1]:8000", True),
        ("http://127.0.0.1.evil.example", False),
        ("http://10.0.0.1", False),
        ("https://", False),
        ("javascript:alert(1)", False),
        ("https://idp.example:99999", False),
    ],
)
def test_which_issuer_urls_are_safe(url, allowed):
    assert (url_problem(url, allow_loopback_http=True) is None) is allowed


# --- the secret ----------------------------------------------------------------------------


def test_changed_secret_is_used_on_the_very_next_token_request(client, app, connected, idp, db):
    assert sign_in_through(client, idp, student_claims()).status_code == 303
    idp.client_secret = "second-secret"  # rotated at the IdP first...
    browser = app.test_client()
    assert sign_in_through(browser, idp, student_claims()).status_code == 400
    connect(connected.uni_a, idp)  # ...then here, with no restart
    db.session.commit()
    browser = app.test_client()
    response = sign_in_through(browser, idp, student_claims())
    assert response.status_code == 303
    assert signed_in_user_id(browser) is not None


def test_secret_with_special_characters_is_form_encoded(client, app, world, idp, db):
    idp.client_secret = "p@ss:w%rd+/ é"
    connect(world.uni_a, idp)
    db.session.commit()
    assert sign_in_through(client, idp, student_claims()).status_code == 303


def test_client_secret_post_when_that_is_all_the_idp_supports(client, connected, idp, db):
    idp.discovery_overrides["token_endpoint_auth_methods_supported"] = ["client_secret_post"]
    assert sign_in_through(client, idp, student_claims()).status_code == 303
    assert idp.token_requests[-1]["client_secret"] == idp.client_secret


def test_unreadable_secret_is_a_clear_error(app, monkeypatch, connected, idp, db, client, caplog):
    monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", [new_fernet_key()])
    with pytest.raises(SsoError, match="cannot be decrypted"):
        client_secret_of(connected.uni_a.sso)
    response = sign_in_through(client, idp, student_claims())
    assert response.status_code == 400
    assert any("cannot be decrypted" in r.message for r in caplog.records)


# --- check_connection ----------------------------------------------------------------------


def test_check_of_a_working_connection(connected, idp):
    steps = check_connection(connected.uni_a.sso)
    assert [s.ok for s in steps] == [True] * len(steps)
    assert [s.label for s in steps] == [
        "Discovery document reachable",
        "Issuer matches",
        "Endpoints present",
        "Authorization code flow with PKCE (S256)",
        "Signing keys (JWKS) usable",
        "Client secret readable",
    ]


def test_check_when_the_idp_is_down(connected, idp):
    idp.stop()
    steps = check_connection(connected.uni_a.sso)
    assert [(s.label, s.ok) for s in steps] == [
        ("Discovery document reachable", False),
        ("Client secret readable", True),
    ]
    assert "could not connect" in steps[0].detail


@pytest.mark.parametrize(
    ("overrides", "failing"),
    [
        ({"issuer": "https://other.example"}, "Issuer matches"),
        ({"token_endpoint": None}, "Endpoints present"),
        ({"code_challenge_methods_supported": ["plain"]}, "Authorization code flow"),
        ({"response_types_supported": ["id_token"]}, "Authorization code flow"),
        ({"id_token_signing_alg_values_supported": ["HS256"]}, "Signing keys"),
    ],
)
def test_check_names_what_is_wrong(connected, idp, overrides, failing):
    idp.discovery_overrides.update(overrides)
    steps = check_connection(connected.uni_a.sso)
    failed = [s.label for s in steps if not s.ok]
    assert any(label.startswith(failing) for label in failed), steps


def test_check_survives_discovery_values_of_the_wrong_type(connected, idp):
    idp.discovery_overrides.update(
        {
            "response_types_supported": 5,
            "code_challenge_methods_supported": {"S256": True},
            "id_token_signing_alg_values_supported": "RS256",
            "jwks_uri": ["not", "a", "string"],
        }
    )
    steps = check_connection(connected.uni_a.sso)
    assert not all(s.ok for s in steps)


def test_check_with_an_empty_key_set(connected, idp):
    idp.published_keys = []
    steps = {s.label: s for s in check_connection(connected.uni_a.sso)}
    assert not steps["Signing keys (JWKS) usable"].ok
    assert "no usable signing key" in steps["Signing keys (JWKS) usable"].detail


def test_check_with_an_html_discovery_page(connected, idp):
    idp.broken["/.well-known/openid-configuration"] = (200, "<html></html>", "text/html")
    steps = check_connection(connected.uni_a.sso)
    assert not steps[0].ok and "not JSON" in steps[0].detail


def test_check_with_an_unreadable_secret(app, monkeypatch, connected, idp):
    monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", [new_fernet_key()])
    steps = {s.label: s for s in check_connection(connected.uni_a.sso)}
    assert not steps["Client secret readable"].ok
    assert "set it again" in steps["Client secret readable"].detail


def test_configure_does_not_touch_other_universities(world, db):
    before = [d.domain for d in world.uni_b.domains]
    configure(world.uni_a, domains=["ua.edu.hk"])
    assert [d.domain for d in world.uni_b.domains] == before
    assert f  # factories stay importable for the world fixture
