"""Read-only questions about SSO connections."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from foundry.extensions import db
from foundry.sso.discovery import cached_provider_metadata
from foundry.sso.models import SsoConnection
from foundry.universities.models import University


def enabled_universities() -> list[University]:
    """Universities whose people can sign in now: enabled, with an enabled connection."""
    return list(
        db.session.scalars(
            sa.select(University)
            .join(SsoConnection, SsoConnection.university_id == University.id)
            .where(University.enabled.is_(True), SsoConnection.enabled.is_(True))
            .order_by(University.name_en)
        )
    )


def sign_in_origins() -> list[str]:
    """Where the university sign-in forms lead by redirect: each enabled IdP's origin (and
    its authorization endpoint's, when discovery is cached), for the page's CSP."""
    issuers = db.session.scalars(
        sa.select(SsoConnection.issuer)
        .join(University, University.id == SsoConnection.university_id)
        .where(University.enabled.is_(True), SsoConnection.enabled.is_(True))
    )
    origins = set()
    for issuer in issuers:
        metadata = cached_provider_metadata(issuer)
        for url in (issuer, metadata.authorization_endpoint if metadata else None):
            parts = urlsplit(url or "")
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
