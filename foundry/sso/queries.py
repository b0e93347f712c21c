"""Read-only questions about SSO connections."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.extensions import db
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
