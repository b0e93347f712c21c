"""Signing users in and out, and reading who holds which role."""

from __future__ import annotations

import sqlalchemy as sa
from flask import session
from flask_login import login_user, logout_user

from foundry.accounts.models import Role, RoleMembership, User
from foundry.accounts.session import start_session_clock
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.extensions import db

DEMO_USERS_PER_ROLE = 4


def sign_in(user: User, method: str) -> None:
    """Start a fresh session for `user` (the old session's contents are dropped)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)
    start_session_clock()
    user.last_sign_in_at = utcnow()
    record(user, "user.sign_in", user, f"Signed in ({method})", method=method)


def sign_out(user: User) -> None:
    record(user, "user.sign_out", user, "Signed out")
    logout_user()
    session.clear()


def sign_out_everywhere(user: User) -> None:
    """End every session of `user` on every device (this one included)."""
    user.session_version += 1
    record(user, "user.sign_out_everywhere", user, "Signed out on every device")
    logout_user()
    session.clear()


def demo_users_by_role() -> dict[Role, list[RoleMembership]]:
    """A few users of every role, for the development sign-in page."""
    ranked = (
        sa.select(
            RoleMembership.id,
            sa.func.row_number()
            .over(partition_by=RoleMembership.role, order_by=RoleMembership.id)
            .label("rank"),
        )
        .join(User, User.id == RoleMembership.user_id)
        .where(User.active.is_(True))
        .subquery()
    )
    memberships = db.session.scalars(
        sa.select(RoleMembership)
        .join(ranked, ranked.c.id == RoleMembership.id)
        .where(ranked.c.rank <= DEMO_USERS_PER_ROLE)
        .order_by(RoleMembership.id)
    ).all()
    grouped: dict[Role, list[RoleMembership]] = {role: [] for role in Role}
    for membership in memberships:
        grouped[membership.role].append(membership)
    return {role: items for role, items in grouped.items() if items}
