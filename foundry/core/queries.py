"""Read-only figures for the landing page and health check."""

from __future__ import annotations

from dataclasses import astuple, dataclass

import sqlalchemy as sa

from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.reports import cache
from foundry.reports.summaries.models import StudentCounts
from foundry.universities.models import Faculty, University


@dataclass(frozen=True)
class PlatformFigures:
    universities: int
    faculties: int
    verified_companies: int
    students: int
    talent_pool: int


def platform_figures() -> PlatformFigures:
    """Counts shown on the public landing page and the park admin's home: the same for
    everyone, so kept in the dashboards' shared cache (what they count is watched there)."""
    return cache.figures(
        "platform-figures",
        [],
        _platform_figures,
        lambda figures: list(astuple(figures)),
        lambda value: PlatformFigures(*value),
    )


def _platform_figures() -> PlatformFigures:
    """The counts in one statement."""
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count())
            .select_from(University)
            .where(University.enabled.is_(True))
            .scalar_subquery(),
            sa.select(sa.func.count()).select_from(Faculty).scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(Company)
            .where(Company.verification_status == VerificationStatus.VERIFIED)
            .scalar_subquery(),
            # The students from their head counts (a thousand rows, not every profile).
            sa.select(sa.func.coalesce(sa.func.sum(StudentCounts.students), 0)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(StudentCounts.students), 0))
            .where(StudentCounts.talent_pool.is_(True))
            .scalar_subquery(),
        )
    ).one()
    return PlatformFigures(*row)


def database_is_reachable() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False  # the 503 that follows rolls the request back
