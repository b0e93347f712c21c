"""The words for a company's verification status."""

from __future__ import annotations

from foundry.companies.models import VerificationStatus
from foundry.i18n import lazy_gettext as _l

VERIFICATION_LABELS = {
    VerificationStatus.UNVERIFIED: _l("Unverified"),
    VerificationStatus.PENDING: _l("Pending review"),
    VerificationStatus.VERIFIED: _l("Verified"),
    VerificationStatus.REJECTED: _l("Rejected"),
}
