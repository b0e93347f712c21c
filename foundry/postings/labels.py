"""How the postings' kinds read on a page, for the forms and the reports alike."""

from __future__ import annotations

from foundry.i18n import lazy_gettext as _l
from foundry.postings.models import PostingKind

KIND_LABELS = {
    PostingKind.SUMMER_INTERNSHIP: _l("Summer internship"),
    PostingKind.PART_TIME_INTERNSHIP: _l("Part-time internship"),
    PostingKind.YEAR_LONG_PLACEMENT: _l("Year-long placement"),
    PostingKind.GRADUATE_ROLE: _l("Graduate role"),
    PostingKind.RESEARCH_ASSISTANT: _l("Research assistant"),
}
