"""Account lockout after repeated failed sign-ins, kept in the database so it holds on
every app server and whatever the client's IP."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.extensions import db


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and (now or utcnow()) < user.locked_until


def register_failure(user: User) -> bool:
    """Count a failed sign-in (wrong password or second-factor code); lock the account for
    SIGN_IN_LOCKOUT_MINUTES when the count reaches SIGN_IN_LOCKOUT_ATTEMPTS. The count is
    raised in SQL so concurrent attempts on several servers all count. True if now locked."""
    config = current_app.config
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(failed_sign_ins=User.failed_sign_ins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["failed_sign_ins"])
    if user.failed_sign_ins >= config["SIGN_IN_LOCKOUT_ATTEMPTS"]:
        user.locked_until = utcnow() + timedelta(minutes=config["SIGN_IN_LOCKOUT_MINUTES"])
        user.failed_sign_ins = 0
        return True
    return False


def register_success(user: User) -> None:
    user.failed_sign_ins = 0
    user.locked_until = None
