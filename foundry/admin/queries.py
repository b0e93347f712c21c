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
    counts = cache.figures(
        "companies-by-status",
        [],
        lambda: {
            VerificationStatus(status).value: n
            for status, n in db.session.execute(
                sa.select(Company.verification_status, sa.func.count()).group_by(
                    Company.verification_status
                )
            )
        },
        dict,
        dict,
    )
    return {status: counts.get(status.value, 0) for status in VerificationStatus}


def verified_companies_by_cluster() -> dict[Cluster, int]:
    counts = cache.figures(
        "verified-companies-by-cluster",
        [],
        lambda: {
            Cluster(cluster).value: n
            for cluster, n in db.session.execute(
                sa.select(Company.cluster, sa.func.count())
                .where(Company.verification_status == VerificationStatus.VERIFIED)
                .group_by(Company.cluster)
            )
        },
        dict,
        dict,
    )
    return {cluster: counts.get(cluster.value, 0) for cluster in Cluster}


# The park admin's home counts people by role through the dashboards' shared cache: the
# distinct count reads every membership (13 ms at 55,000 users), and changes only when one
# is granted or taken away.
cache.watch(RoleMembership)


def _count_users_by_role() -> dict[str, int]:
    return dict(
        db.session.execute(
            sa.select(
                RoleMembership.role, sa.func.count(sa.distinct(RoleMembership.user_id))
            ).group_by(RoleMembership.role)
        ).all()
    )


def users_by_role() -> dict[Role, int]:
    counts = cache.figures(
        "users-by-role",
        [],
        lambda: {Role(role).value: n for role, n in _count_users_by_role().items()},
        dict,
        dict,
    )
    return {role: counts.get(role.value, 0) for role in Role}


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
