"""Read-only queries for company pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from foundry.accounts.models import COMPANY_ROLES, RoleMembership, User
from foundry.applications.models import Application, ApplicationStatus
from foundry.applications.states import OPEN_STATES
from foundry.companies.models import Company, VerificationStatus
from foundry.extensions import db
from foundry.postings.cjk_fold import fold
from foundry.postings.models import Posting, PostingStatus
from foundry.taxonomy import Cluster, ParkLocation

DIRECTORY_SORTS = {
    "name": Company.name,
    "cluster": Company.cluster,
    "location": Company.park_location,
    "founded": Company.founded_year,
}


def directory_statement(
    cluster: Cluster | None,
    location: ParkLocation | None,
    query: str | None,
    status: VerificationStatus | None = VerificationStatus.VERIFIED,
) -> sa.Select:
    stmt = sa.select(Company)
    if status is not None:
        stmt = stmt.where(Company.verification_status == status)
    if cluster:
        stmt = stmt.where(Company.cluster == cluster)
    if location:
        stmt = stmt.where(Company.park_location == location)
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Company.name).like(pattern),
                Company.id.in_(_ids_with_chinese_name_containing(query)),
            )
        )
    return stmt


def _ids_with_chinese_name_containing(query: str) -> list[int]:
    """Companies whose Chinese name holds the query in either script (商汤 finds 商湯科技).
    Folding is done here, not in SQL: one short name per company, read in one statement."""
    wanted = fold(query).casefold()
    rows = db.session.execute(sa.select(Company.id, Company.name_zh).where(Company.name_zh != ""))
    return [id_ for id_, name_zh in rows if wanted in fold(name_zh or "").casefold()]


def members_of(company: Company) -> list[RoleMembership]:
    return list(
        db.session.scalars(
            sa.select(RoleMembership)
            .join(User, User.id == RoleMembership.user_id)
            .where(RoleMembership.company_id == company.id, RoleMembership.role.in_(COMPANY_ROLES))
            .options(sa.orm.contains_eager(RoleMembership.user))
            .order_by(RoleMembership.role, User.display_name)
        )
    )


@dataclass(frozen=True)
class HiringFigures:
    published_postings: int
    draft_postings: int
    open_applications: int
    new_applications: int


def hiring_figures(company: Company) -> HiringFigures:
    """The workspace's headline counts, in one statement."""

    def postings_in(status: PostingStatus):
        return (
            sa.select(sa.func.count())
            .select_from(Posting)
            .where(Posting.company_id == company.id, Posting.status == status)
            .scalar_subquery()
        )

    def applications_in(statuses):
        return (
            sa.select(sa.func.count())
            .select_from(Application)
            .where(Application.company_id == company.id, Application.status.in_(statuses))
            .scalar_subquery()
        )

    row = db.session.execute(
        sa.select(
            postings_in(PostingStatus.PUBLISHED),
            postings_in(PostingStatus.DRAFT),
            applications_in(OPEN_STATES),
            applications_in([ApplicationStatus.SUBMITTED]),
        )
    ).one()
    return HiringFigures(*row)


def company_members(company_id: int) -> list[User]:
    """Active admins and recruiters of the company, each once. Their role memberships are
    not loaded (one statement less on every application sent): those told of something
    are written to, not asked what else they may do."""
    return list(
        db.session.scalars(
            sa.select(User)
            .options(lazyload(User.memberships))
            .where(
                User.active.is_(True),
                User.id.in_(
                    sa.select(RoleMembership.user_id).where(
                        RoleMembership.company_id == company_id,
                        RoleMembership.role.in_(COMPANY_ROLES),
                    )
                ),
            )
            .order_by(User.id)
        )
    )
