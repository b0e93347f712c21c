"""People with password accounts, and reading what the account pages e-mailed."""

from __future__ import annotations

import re

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership, User
from foundry.accounts.passwords import hash_password
from foundry.db import utcnow
from foundry.extensions import db
from foundry.notifications.models import OutboxEmail
from tests.factories import CompanyFactory

PASSWORD = "correct horse battery staple"
# One hash for every test user: argon2 is slow on purpose.
_PASSWORD_HASH = hash_password(PASSWORD)


def password_user(
    email: str = "recruiter@alpha.example",
    *,
    role: Role | None = Role.RECRUITER,
    company=None,
    verified: bool = True,
    name: str = "Rita Recruiter",
    **fields,
) -> User:
    """A user who signs in with PASSWORD; a recruiter of a new company by default."""
    fields.setdefault("password_hash", _PASSWORD_HASH)
    fields.setdefault("password_changed_at", utcnow())
    user = User(
        email=email,
        display_name=name,
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    if role in (Role.RECRUITER, Role.COMPANY_ADMIN):
        company = company or CompanyFactory()
        db.session.add(RoleMembership(user=user, role=role, company_id=company.id))
    elif role is Role.PARK_ADMIN:
        db.session.add(RoleMembership(user=user, role=role))
    db.session.flush()
    db.session.refresh(user)
    db.session.commit()
    return user


def emails_to(address: str) -> list[OutboxEmail]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxEmail).where(OutboxEmail.to_address == address).order_by(OutboxEmail.id)
        )
    )


def link_in(email: OutboxEmail, path: str) -> str:
    """The path of the first link to `path`... in the e-mail (host dropped)."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", email.body_text)
    assert match, f"no {path} link in: {email.body_text}"
    return match.group(1)


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)
