"""The lifecycle of a posting: a company writes and submits it, the park publishes or
returns it, universities that ask to approve postings decide, and the company closes and
archives it.

draft → pending_review → published → closed → archived; a submission can be withdrawn
(pending_review → draft) and the park can return it (pending_review → draft, with a
reason). Only drafts are edited: a published posting is closed rather than changed, so
students who applied always applied to what they read.

Every rule is checked before anything is changed, so a refused action leaves the posting
as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.companies.models import Company
from foundry.companies.queries import company_members
from foundry.db import utcnow
from foundry.errors import DomainError
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.postings.alerts import alert_saved_searches
from foundry.postings.content import (
    PostingData,
    PostingInputError,
    ScreeningQuestionData,
    apply_posting_data,
    build_search_text,
    check_posting_data,
    universities_and_faculties,
)
from foundry.postings.models import ApprovalStatus, Posting, PostingApproval, PostingStatus
from foundry.universities.models import University
from foundry.urls import external_url

__all__ = [
    "PostingData",
    "PostingInputError",
    "ScreeningQuestionData",
    "archive_posting",
    "build_search_text",
    "close_posting",
    "create_posting",
    "decide_approval",
    "publish",
    "require_editable",
    "return_to_company",
    "submit_for_review",
    "update_posting",
    "withdraw_submission",
]

REASON_MAX = 1000


def _require_status(posting: Posting, allowed: PostingStatus, message: str) -> None:
    if posting.status is not allowed:
        raise DomainError(message)


def _require_deadline_ahead(posting: Posting, message: str) -> None:
    if posting.deadline <= utcnow():
        raise DomainError(message)


# --- drafts --------------------------------------------------------------------------------


def create_posting(actor: User, company: Company, data: PostingData) -> Posting:
    """Save a new draft posting for `company`."""
    check_posting_data(data)
    universities, faculties = universities_and_faculties(data)
    posting = Posting(company=company, created_by_id=actor.id, status=PostingStatus.DRAFT)
    apply_posting_data(posting, data, universities, faculties)
    db.session.add(posting)
    db.session.flush()
    record(actor, "posting.created", posting, {"title": posting.title, "company": company.name})
    return posting


def update_posting(actor: User, posting: Posting, data: PostingData) -> None:
    """Change a draft; anything further along is closed or withdrawn rather than edited."""
    require_editable(posting)
    check_posting_data(data)
    universities, faculties = universities_and_faculties(data)
    apply_posting_data(posting, data, universities, faculties)
    db.session.flush()
    record(actor, "posting.updated", posting, {"title": posting.title})


def require_editable(posting: Posting) -> None:
    """Refuse, with the way forward, to edit a posting that is not a draft."""
    if posting.status is PostingStatus.DRAFT:
        return
    if posting.status is PostingStatus.PENDING_REVIEW:
        raise DomainError(
            _("This posting is waiting for the park’s review. Withdraw it to edit it.")
        )
    if posting.status is PostingStatus.PUBLISHED:
        raise DomainError(
            _(
                "A published posting cannot be edited, so that applicants keep what they "
                "applied to. Close it and write a new one."
            )
        )
    raise DomainError(_("A closed or archived posting cannot be edited."))


# --- lifecycle -----------------------------------------------------------------------------


def submit_for_review(actor: User, posting: Posting) -> None:
    """Draft → pending review: the park's talent team will publish or return it."""
    _require_status(posting, PostingStatus.DRAFT, _("Only a draft can be submitted for review."))
    _require_deadline_ahead(
        posting, _("The deadline of this posting has passed. Edit it and choose a later one.")
    )
    posting.status = PostingStatus.PENDING_REVIEW
    posting.submitted_at = utcnow()
    db.session.flush()
    record(actor, "posting.submitted", posting, {"title": posting.title})


def withdraw_submission(actor: User, posting: Posting) -> None:
    """Pending review → draft, so the company can change it before the park decides."""
    _require_status(
        posting,
        PostingStatus.PENDING_REVIEW,
        _("Only a posting waiting for review can be withdrawn."),
    )
    posting.status = PostingStatus.DRAFT
    posting.submitted_at = None
    db.session.flush()
    record(actor, "posting.withdrawn", posting, {"title": posting.title})


def publish(actor: User, posting: Posting) -> list[PostingApproval]:
    """Pending review → published, and ask each university that wants to approve postings
    (only those the posting is limited to, if it is limited). Returns the new approvals."""
    _require_status(
        posting,
        PostingStatus.PENDING_REVIEW,
        _("Only a posting submitted for review can be published."),
    )
    if not posting.company.is_verified:
        raise DomainError(
            _(
                "%(company)s is not verified, so its postings cannot be published. "
                "Verify the company first, or return the posting.",
                company=posting.company.name,
            )
        )
    _require_deadline_ahead(
        posting,
        _(
            "The deadline of this posting has passed. "
            "Return it so the company can choose a later one."
        ),
    )
    now = utcnow()
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = now
    posting.review_note = None
    approvals = _request_approvals(posting)
    db.session.flush()
    alert_saved_searches(posting)
    record(
        actor,
        "posting.published",
        posting,
        {"title": posting.title},
        approvals=[a.university_id for a in approvals],
    )
    _notify_company(posting, "posting.published", title=posting.title)
    return approvals


def _request_approvals(posting: Posting) -> list[PostingApproval]:
    stmt = sa.select(University).where(University.posting_approval_required.is_(True))
    if posting.universities:
        stmt = stmt.where(University.id.in_([u.id for u in posting.universities]))
    already = {a.university_id for a in posting.approvals}
    created = []
    for university in db.session.scalars(stmt.order_by(University.id)):
        if university.id in already:
            continue
        approval = PostingApproval(university_id=university.id, status=ApprovalStatus.PENDING)
        posting.approvals.append(approval)
        created.append(approval)
    return created


def return_to_company(actor: User, posting: Posting, reason: str) -> None:
    """Pending review → draft with the park's reason, which the company sees when editing."""
    reason = (reason or "").strip()
    if not reason:
        raise PostingInputError(_("Tell the company why you are returning the posting."), "reason")
    if len(reason) > REASON_MAX:
        raise PostingInputError(_("Keep the reason to %(n)d characters.", n=REASON_MAX), "reason")
    _require_status(
        posting,
        PostingStatus.PENDING_REVIEW,
        _("Only a posting submitted for review can be returned."),
    )
    posting.status = PostingStatus.DRAFT
    posting.review_note = reason
    posting.submitted_at = None
    db.session.flush()
    record(actor, "posting.returned", posting, {"title": posting.title, "reason": reason})
    _notify_company(posting, "posting.returned", title=posting.title, reason=reason)


def close_posting(actor: User, posting: Posting) -> None:
    """Published → closed: no more applications; the applicants stay in the pipeline."""
    _require_status(posting, PostingStatus.PUBLISHED, _("Only a published posting can be closed."))
    posting.status = PostingStatus.CLOSED
    posting.closed_at = utcnow()
    db.session.flush()
    record(actor, "posting.closed", posting, {"title": posting.title})


def archive_posting(actor: User, posting: Posting) -> None:
    """Closed → archived: kept for the record, out of the company's working list."""
    _require_status(posting, PostingStatus.CLOSED, _("Only a closed posting can be archived."))
    posting.status = PostingStatus.ARCHIVED
    db.session.flush()
    record(actor, "posting.archived", posting, {"title": posting.title})


# --- university approvals -----------------------------------------------------------------


def decide_approval(actor: User, approval: PostingApproval, approve: bool, comment: str) -> None:
    """A university approves or declines showing a posting to its students."""
    comment = (comment or "").strip()
    if not approve and not comment:
        raise PostingInputError(
            _("Say why you decline, so the company can understand the decision."), "comment"
        )
    if len(comment) > REASON_MAX:
        raise PostingInputError(_("Keep the comment to %(n)d characters.", n=REASON_MAX), "comment")
    if approval.status is not ApprovalStatus.PENDING:
        raise DomainError(_("This posting has already been decided."))
    posting = approval.posting
    if posting.status is not PostingStatus.PUBLISHED:
        raise DomainError(_("This posting is no longer published, so there is nothing to decide."))
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED
    approval.comment = comment or None
    approval.decided_by_id = actor.id
    approval.decided_at = utcnow()
    db.session.flush()
    code = approval.university.code
    record(
        actor,
        "posting.approval_approved" if approve else "posting.approval_declined",
        posting,
        {"title": posting.title, "university": code, "comment": comment},
        university_id=approval.university_id,
        approval_id=approval.id,
    )
    if approve:
        # Its students could not see the posting until now: tell those whose searches match.
        alert_saved_searches(posting, university_id=approval.university_id)
        return
    _notify_company(
        posting, "posting.approval_declined", university=code, title=posting.title, comment=comment
    )


# --- telling the company ------------------------------------------------------------------


def _desk_link(posting: Posting) -> str | None:
    """Where the company follows its posting; only buildable while serving a request."""
    if not has_request_context():
        return None
    return external_url("posting_desk.preview", posting_id=posting.id)


def _notify_company(posting: Posting, key: str, **params) -> None:
    link = _desk_link(posting)
    for user in company_members(posting.company_id):
        notify(user, key, link, **params)
