"""`flask accounts create-park-admin` and `flask accounts unlock`."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from foundry.accounts.cli import register_accounts_cli
from foundry.accounts.models import AccountToken, Role, TokenPurpose, User
from foundry.db import utcnow
from tests.accounts.factories import password_user, reload
from tests.conftest import csrf_from


@pytest.fixture
def runner(app):
    if "accounts" not in app.cli.commands:  # until foundry/cli.py registers it
        register_accounts_cli(app)
    return app.test_cli_runner()


def test_create_park_admin_makes_the_account_and_prints_a_one_time_link(runner, client, db):
    result = runner.invoke(
        args=["accounts", "create-park-admin", "Ada@Park.example", "--name", "Ada"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "ada@park.example"))
    assert user.display_name == "Ada" and user.has_role(Role.PARK_ADMIN)
    assert user.password_hash is None
    token = db.session.scalar(sa.select(AccountToken))
    assert token.purpose is TokenPurpose.RESET_PASSWORD
    assert timedelta(hours=23) < token.expires_at - utcnow() <= timedelta(hours=24)
    link = next(line for line in result.output.splitlines() if "/password/reset/" in line)
    path = link[link.index("/password/reset/") :]

    page = client.get(path)
    assert page.status_code == 200
    data = {"password": "park admin passphrase", "confirm": "park admin passphrase"}
    response = client.post(path, data={**data, "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert reload(user).has_password and reload(user).email_verified_at is not None
    assert client.get(path).status_code == 410  # once only


def test_create_park_admin_for_an_existing_user_adds_the_role_once(runner, db):
    user = password_user("rita@alpha.example")
    for _ in range(2):
        result = runner.invoke(args=["accounts", "create-park-admin", user.email, "--name", "Rita"])
        assert result.exit_code == 0, result.output
    user = reload(user)
    assert [m.role for m in user.memberships].count(Role.PARK_ADMIN) == 1
    assert user.display_name == "Rita Recruiter"  # an existing account keeps its name
    usable = [t for t in db.session.scalars(sa.select(AccountToken)) if t.is_usable(utcnow())]
    assert len(usable) == 1  # the second link replaced the first


@pytest.mark.parametrize(
    "args, message",
    [
        (["not-an-email", "--name", "X"], "EMAIL"),
        (["ada@park.example", "--name", "  "], "--name"),
        (["ada@park.example"], "--name"),
    ],
)
def test_create_park_admin_refuses_bad_input(runner, db, args, message):
    result = runner.invoke(args=["accounts", "create-park-admin", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_unlock_ends_a_lockout(runner, db):
    user = password_user(failed_sign_ins=2, locked_until=utcnow() + timedelta(minutes=10))
    result = runner.invoke(args=["accounts", "unlock", "RECRUITER@alpha.example"])
    assert result.exit_code == 0 and "is unlocked" in result.output
    user = reload(user)
    assert (user.locked_until, user.failed_sign_ins) == (None, 0)


def test_unlock_of_an_unknown_address_fails(runner, db):
    result = runner.invoke(args=["accounts", "unlock", "nobody@nowhere.example"])
    assert result.exit_code == 1 and "No account uses" in result.output
