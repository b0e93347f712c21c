"""`flask sso set/show/check` and `flask rotate-encryption-key`."""

from __future__ import annotations

import base64
import secrets

import pytest
import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.crypto import decrypt, encrypt
from foundry.sso.models import SsoConnection
from tests import factories as f


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def the_connection(db, university) -> SsoConnection | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(SsoConnection).where(SsoConnection.university_id == university.id)
    )


def set_args(idp, *extra):
    return [
        "sso",
        "set",
        "UA",
        "--issuer",
        idp.issuer,
        "--client-id",
        idp.client_id,
        *extra,
    ]


def test_set_creates_the_connection(runner, world, idp, db):
    result = runner.invoke(
        args=set_args(
            idp,
            "--client-secret",
            idp.client_secret,
            "--scopes",
            "openid email",
            "--domains",
            "ua.edu.hk, ua.hk",
            "--claim-faculty",
            "department",
            "--claim-staff-role",
            "roles",
            "--disable",
        )
    )
    assert result.exit_code == 0, result.output
    assert "Register this redirect URI at the IdP" in result.output
    assert "/sso/UA/callback" in result.output
    assert idp.client_secret not in result.output
    connection = the_connection(db, world.uni_a)
    assert connection.issuer == idp.issuer
    assert decrypt(connection.client_secret_encrypted) == idp.client_secret
    assert connection.scopes == "openid email"
    assert connection.claim_faculty == "department"
    assert connection.claim_staff_role == "roles"
    assert connection.enabled is False
    db.session.refresh(world.uni_a)
    assert sorted(d.domain for d in world.uni_a.domains) == ["ua.edu.hk", "ua.hk"]


def test_set_reads_the_secret_from_stdin(runner, world, idp, db):
    result = runner.invoke(
        args=set_args(idp, "--client-secret", "-"), input="from-standard-input\n"
    )
    assert result.exit_code == 0, result.output
    connection = the_connection(db, world.uni_a)
    assert decrypt(connection.client_secret_encrypted) == "from-standard-input"


def test_set_without_a_secret_keeps_the_old_one(runner, world, idp, db):
    runner.invoke(args=set_args(idp, "--client-secret", "first"))
    result = runner.invoke(args=["sso", "set", "UA", "--claim-name", "display_name"])
    assert result.exit_code == 0, result.output
    connection = the_connection(db, world.uni_a)
    assert decrypt(connection.client_secret_encrypted) == "first"
    assert connection.claim_name == "display_name"
    assert connection.issuer == idp.issuer


def test_set_refuses_bad_input_and_saves_nothing(runner, world, idp, db):
    result = runner.invoke(args=set_args(idp, "--client-secret", "x", "--scopes", "email profile"))
    assert result.exit_code == 2
    assert 'Scopes: must include "openid"' in result.output
    assert the_connection(db, world.uni_a) is None


def test_set_without_a_secret_for_a_new_connection_is_refused(runner, world, idp, db):
    result = runner.invoke(args=set_args(idp))
    assert result.exit_code == 2
    assert "Client secret" in result.output


@pytest.mark.parametrize("command", ["set", "show", "check"])
def test_unknown_university_code(runner, world, command):
    result = runner.invoke(args=["sso", command, "NOPE"])
    assert result.exit_code == 2
    assert "No university has the code 'NOPE'" in result.output


def test_show_prints_every_setting_but_never_the_secret(runner, connected, idp):
    result = runner.invoke(args=["sso", "show", "UA"])
    assert result.exit_code == 0, result.output
    assert idp.client_secret not in result.output
    assert "client secret: set (updated " in result.output and "HKT)" in result.output
    for expected in (
        f"issuer: {idp.issuer}",
        f"client id: {idp.client_id}",
        "scopes: openid email profile",
        "enabled: yes",
        "e-mail domains: ua.edu.hk",
        "claim for affiliation: eduPersonAffiliation",
        "claim for staff role: (not used)",
    ):
        assert expected in result.output


def test_show_a_university_without_sso(runner, world):
    result = runner.invoke(args=["sso", "show", "UB"])
    assert result.exit_code == 1
    assert "not set up" in result.output


def test_check_against_a_working_idp(runner, connected, idp):
    result = runner.invoke(args=["sso", "check", "UA"])
    assert result.exit_code == 0, result.output
    assert result.output.count("✓") == 6
    assert "✗" not in result.output


def test_check_against_an_idp_that_is_down(runner, connected, idp):
    idp.stop()
    result = runner.invoke(args=["sso", "check", "UA"])
    assert result.exit_code == 1
    assert "✗ Discovery document reachable" in result.output


def test_check_a_university_without_sso(runner, world):
    result = runner.invoke(args=["sso", "check", "UB"])
    assert result.exit_code == 1


# --- rotate-encryption-key ------------------------------------------------------------------


def fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def test_rotation_reencrypts_every_secret_under_the_newest_key(
    app, monkeypatch, runner, connected, idp, db
):
    old_key = app.config["ENCRYPTION_KEYS"][0]
    person = f.UserFactory(totp_secret_encrypted=encrypt("JBSWY3DPEHPK3PXP"))
    db.session.commit()
    new_key = fernet_key()
    monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", [new_key, old_key])
    result = runner.invoke(args=["rotate-encryption-key"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 SSO client secret(s) and 1 second-factor key(s)" in result.output
    monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", [new_key])  # the old key is gone
    db.session.expire_all()
    assert decrypt(connected.uni_a.sso.client_secret_encrypted) == idp.client_secret
    assert decrypt(db.session.get(User, person.id).totp_secret_encrypted) == "JBSWY3DPEHPK3PXP"


def test_rotation_changes_nothing_when_a_secret_is_unreadable(
    app, monkeypatch, runner, connected, db
):
    stored = connected.uni_a.sso.client_secret_encrypted
    monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", [fernet_key()])
    result = runner.invoke(args=["rotate-encryption-key", "--quiet"])
    assert result.exit_code == 1
    assert "SSO client secret of UA" in result.output
    assert the_connection(db, connected.uni_a).client_secret_encrypted == stored
