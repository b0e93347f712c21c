"""Read-only queries for the student's pages."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.students.models import StudentProfile
from foundry.taxonomy import Cluster, Theme

THEME_CLUSTERS: dict[Theme, Cluster] = {
    Theme.AI_DATA: Cluster.AI_ROBOTICS,
    Theme.ROBOTICS: Cluster.AI_ROBOTICS,
    Theme.MICROELECTRONICS: Cluster.MICROELECTRONICS,
    Theme.LIFE_HEALTH_TECH: Cluster.HEALTH_TECH,
    Theme.FINTECH: Cluster.FINTECH,
    Theme.SMART_CITY: Cluster.SMART_CITY,
    Theme.NEW_MATERIALS: Cluster.NEW_MATERIALS,
    Theme.SUSTAINABILITY: Cluster.SUSTAINABILITY,
}


def companies_for_student(profile: StudentProfile, limit: int = 6) -> list[Company]:
    """Verified companies in the clusters of the student's themes (any cluster if none)."""
    clusters = {THEME_CLUSTERS[theme] for theme in profile.theme_values}
    stmt = sa.select(Company).where(Company.verification_status == VerificationStatus.VERIFIED)
    if clusters:
        stmt = stmt.where(Company.cluster.in_(clusters))
    return list(db.session.scalars(stmt.order_by(Company.name).limit(limit)))
