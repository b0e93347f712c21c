"""Factories for the people pages: SSO connections, identities and invitations."""

from __future__ import annotations

from datetime import timedelta

from foundry.accounts.models import AccountToken, Role, TokenPurpose, User
from foundry.accounts.tokens import issue_token
from foundry.crypto import encrypt
from foundry.db import utcnow
from foundry.extensions import db
from foundry.sso.models import SsoConnection, UserIdentity
from foundry.universities.models import University
from tests.factories import UserFactory


def connection(university: University, **fields) -> SsoConnection:
    values = {
        "issuer": f"https://idp.{university.code.lower()}.example/oidc",
        "client_id": "foundry",
        "client_secret_encrypted": encrypt("s3cret-value"),
        "secret_updated_at": utcnow(),
        "enabled": True,
        **fields,
    }
    row = SsoConnection(university=university, **values)
    db.session.add(row)
    db.session.flush()
    return row


def identity(
    user: User, university: University, affiliations: str = "staff", **fields
) -> UserIdentity:
    row = UserIdentity(
        user=user,
        university_id=university.id,
        issuer=f"https://idp.{university.code.lower()}.example/oidc",
        subject=fields.pop("subject", f"sub-{user.id}"),
        email=user.email,
        affiliations=affiliations,
        last_sign_in_at=utcnow(),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def sso_staff(university: University, affiliations: str = "staff member", **user_fields) -> User:
    """A person who signed in through the university's SSO as staff, with no role yet."""
    user = UserFactory(**user_fields)
    identity(user, university, affiliations)
    return user


def invitation(
    company, email: str, role: Role = Role.RECRUITER, created_by: User | None = None, days: int = 14
) -> tuple[AccountToken, str]:
    token, raw = issue_token(
        TokenPurpose.INVITATION,
        email,
        timedelta(days=days),
        company=company,
        role=role,
        created_by=created_by,
    )
    db.session.flush()
    return token, raw
