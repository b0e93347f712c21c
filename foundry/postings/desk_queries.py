"""Read-only lists for the posting desk: a company's postings, the park's moderation queue
and a university's approval queue, each with its sort keys and counts. None of them shows
a posting's lists, so none loads them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from foundry.applications.models import Application, ApplicationStatus
from foundry.companies.models import Company
from foundry.extensions import db
from foundry.postings.loading import without_lists
from foundry.postings.models import ApprovalStatus, Posting, PostingApproval, PostingStatus

COMPANY_POSTING_SORTS = {
    "title": sa.func.lower(Posting.title),
    "status": Posting.status,
    "deadline": Posting.deadline,
    "updated": Posting.updated_at,
    "created": Posting.created_at,
}

MODERATION_SORTS = {
    "submitted": Posting.submitted_at,
    "title": sa.func.lower(Posting.title),
    "company": sa.func.lower(Company.name),
    "deadline": Posting.deadline,
    "updated": Posting.updated_at,
}

APPROVAL_SORTS = {
    "requested": PostingApproval.created_at,
    "title": sa.func.lower(Posting.title),
    "company": sa.func.lower(Company.name),
    "deadline": Posting.deadline,
}


def company_postings_statement(company_id: int, status: PostingStatus | None) -> sa.Select:
    """The company's postings; without a status, all but the archived ones."""
    stmt = sa.select(Posting).where(Posting.company_id == company_id).options(*without_lists())
    if status is None:
        return stmt.where(Posting.status != PostingStatus.ARCHIVED)
    return stmt.where(Posting.status == status)


def status_counts(company_id: int | None = None) -> dict[PostingStatus, int]:
    """How many postings are in each status (of one company, or of the whole park)."""
    stmt = sa.select(Posting.status, sa.func.count()).group_by(Posting.status)
    if company_id is not None:
        stmt = stmt.where(Posting.company_id == company_id)
    counts = dict.fromkeys(PostingStatus, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts


def moderation_statement(status: PostingStatus) -> sa.Select:
    """Postings in `status` with their company (for sorting by its name)."""
    return (
        sa.select(Posting)
        .join(Posting.company)
        .options(contains_eager(Posting.company), *without_lists())
        .where(Posting.status == status)
    )


def approval_counts(university_id: int) -> dict[ApprovalStatus, int]:
    stmt = (
        sa.select(PostingApproval.status, sa.func.count())
        .join(PostingApproval.posting)
        .where(
            PostingApproval.university_id == university_id,
            sa.or_(
                PostingApproval.status != ApprovalStatus.PENDING,
                Posting.status == PostingStatus.PUBLISHED,
            ),
        )
        .group_by(PostingApproval.status)
    )
    counts = dict.fromkeys(ApprovalStatus, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts


def approvals_statement(university_id: int, status: ApprovalStatus) -> sa.Select:
    """A university's approvals in `status` (pending: of live postings only), with their
    posting and its company."""
    stmt = (
        sa.select(PostingApproval)
        .join(PostingApproval.posting)
        .join(Posting.company)
        .options(
            contains_eager(PostingApproval.posting).options(
                contains_eager(Posting.company), *without_lists()
            )
        )
        .where(PostingApproval.university_id == university_id, PostingApproval.status == status)
    )
    if status is ApprovalStatus.PENDING:
        stmt = stmt.where(Posting.status == PostingStatus.PUBLISHED)
    return stmt


def approval_for(university_id: int, posting_id: int) -> PostingApproval | None:
    return db.session.scalar(
        sa.select(PostingApproval).where(
            PostingApproval.university_id == university_id,
            PostingApproval.posting_id == posting_id,
        )
    )


def applicant_counts(posting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(applicants, not yet reviewed) per posting, in one grouped statement."""
    if not posting_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Application.posting_id,
            sa.func.count(),
            sa.func.count().filter(Application.status == ApplicationStatus.SUBMITTED),
        )
        .where(Application.posting_id.in_(posting_ids))
        .group_by(Application.posting_id)
    ).all()
    return {posting_id: (total, new) for posting_id, total, new in rows}
