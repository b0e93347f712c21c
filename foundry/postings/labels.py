"""The words for a posting's kind, work mode, pay period and status, and for a
university's approval: for pages, search, reports and exports."""

from __future__ import annotations

from foundry.i18n import lazy_gettext as _l
from foundry.postings.models import ApprovalStatus, PayPeriod, PostingKind, PostingStatus, WorkMode

KIND_LABELS = {
    PostingKind.SUMMER_INTERNSHIP: _l("Summer internship"),
    PostingKind.PART_TIME_INTERNSHIP: _l("Part-time internship"),
    PostingKind.YEAR_LONG_PLACEMENT: _l("Year-long placement"),
    PostingKind.GRADUATE_ROLE: _l("Graduate role"),
    PostingKind.RESEARCH_ASSISTANT: _l("Research assistant"),
}

WORK_MODE_LABELS = {
    WorkMode.ON_SITE: _l("On site"),
    WorkMode.HYBRID: _l("Hybrid"),
    WorkMode.REMOTE: _l("Remote"),
}

PAY_PERIOD_LABELS = {
    PayPeriod.HOUR: _l("per hour"),
    PayPeriod.MONTH: _l("per month"),
    PayPeriod.YEAR: _l("per year"),
}

POSTING_STATUS_LABELS = {
    PostingStatus.DRAFT: _l("Draft"),
    PostingStatus.PENDING_REVIEW: _l("Waiting for review"),
    PostingStatus.PUBLISHED: _l("Published"),
    PostingStatus.CLOSED: _l("Closed"),
    PostingStatus.ARCHIVED: _l("Archived"),
}

APPROVAL_STATUS_LABELS = {
    ApprovalStatus.PENDING: _l("Waiting for a decision"),
    ApprovalStatus.APPROVED: _l("Approved"),
    ApprovalStatus.DECLINED: _l("Declined"),
}
