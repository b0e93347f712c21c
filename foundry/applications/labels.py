"""The words and badge colours of an application's status, for pages, e-mails and exports."""

from __future__ import annotations

from foundry.applications.models import ApplicationStatus
from foundry.i18n import lazy_gettext as _l
from foundry.i18n import lazy_pgettext

STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.UNDER_REVIEW: _l("Under review"),
    ApplicationStatus.SHORTLISTED: _l("Shortlisted"),
    ApplicationStatus.INTERVIEW: _l("Interview"),
    ApplicationStatus.OFFER: _l("Offer"),
    ApplicationStatus.ACCEPTED: _l("Accepted"),
    # The same English words mean other things elsewhere (a company's verification, a
    # university's decision), so these two carry a context for translators.
    ApplicationStatus.DECLINED: lazy_pgettext("application status", "Declined"),
    ApplicationStatus.REJECTED: lazy_pgettext("application status", "Rejected"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}

# Bootstrap badge colours chosen for contrast (text-bg-* sets a readable text colour).
STATUS_STYLES = {
    ApplicationStatus.SUBMITTED: "secondary",
    ApplicationStatus.UNDER_REVIEW: "info",
    ApplicationStatus.SHORTLISTED: "primary",
    ApplicationStatus.INTERVIEW: "warning",
    ApplicationStatus.OFFER: "success",
    ApplicationStatus.ACCEPTED: "success",
    ApplicationStatus.DECLINED: "dark",
    ApplicationStatus.REJECTED: "danger",
    ApplicationStatus.WITHDRAWN: "light",
}
