"""What every SSO test asks of the portal afterwards: who is signed in, what the page
says, and that a refusal left nothing behind."""

from __future__ import annotations

from html import unescape

import sqlalchemy as sa

from foundry.accounts.models import User
from foundry.extensions import db
from foundry.sso.models import UserIdentity


def signed_in_user_id(client) -> int | None:
    """The id of the user the client's session signs in (Flask-Login's "id:version")."""
    with client.session_transaction() as session:
        value = session.get("_user_id")
    return int(str(value).split(":", 1)[0]) if value else None


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def assert_refused(
    response, client, message: str, *, users_before: int, caplog=None, logged: str = ""
) -> None:
    """A clear 4xx page saying `message`; nobody signed in, no user or identity made; and
    with `caplog`, a warning in the log containing `logged` (what went wrong)."""
    assert 400 <= response.status_code < 500, (response.status_code, page_text(response)[:800])
    assert message in page_text(response)
    if caplog is not None:
        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert any(logged in line for line in warnings), warnings
    assert signed_in_user_id(client) is None
    assert count(User) == users_before
    assert count(UserIdentity) == 0
