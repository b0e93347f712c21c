"""The park admin's list of universities with their single sign-on status."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from foundry.extensions import db
from foundry.sso.models import SsoConnection, UserIdentity
from foundry.universities.models import University

# Not configured (no connection) sorts first, then disabled, then enabled.
_SSO_STATUS_RANK = sa.case(
    (SsoConnection.id.is_(None), 0), (SsoConnection.enabled.is_(False), 1), else_=2
)

_LINKED_USERS = (
    sa.select(
        UserIdentity.university_id,
        sa.func.count(sa.distinct(UserIdentity.user_id)).label("users"),
    )
    .group_by(UserIdentity.university_id)
    .subquery("linked_users")
)

UNIVERSITY_SORTS = {
    "code": University.code,
    "name": University.name_en,
    "status": _SSO_STATUS_RANK,
    "issuer": SsoConnection.issuer,
    "secret": SsoConnection.secret_updated_at,
    "users": sa.func.coalesce(_LINKED_USERS.c.users, 0),
}


def universities_statement(query: str | None = None) -> sa.Select:
    """Universities with their connection (eager) and the count of SSO-linked users
    joined in, so every key of UNIVERSITY_SORTS can order the list."""
    stmt = (
        sa.select(University)
        .outerjoin(SsoConnection, SsoConnection.university_id == University.id)
        .outerjoin(_LINKED_USERS, _LINKED_USERS.c.university_id == University.id)
        .options(contains_eager(University.sso), selectinload(University.domains))
    )
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(University.code).like(pattern),
                sa.func.lower(University.name_en).like(pattern),
                University.name_zh.like(f"%{query}%"),
            )
        )
    return stmt


def linked_user_counts(university_ids: list[int]) -> dict[int, int]:
    """How many users have signed in through each university's SSO."""
    if not university_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(UserIdentity.university_id, sa.func.count(sa.distinct(UserIdentity.user_id)))
            .where(UserIdentity.university_id.in_(university_ids))
            .group_by(UserIdentity.university_id)
        ).all()
    )
