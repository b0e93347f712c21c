"""The words for a graduate's outcome and a placement's completion."""

from __future__ import annotations

from foundry.i18n import lazy_gettext as _l
from foundry.placements.models import Outcome, PlacementCompletion

OUTCOME_LABELS = {
    Outcome.EMPLOYED_FULL_TIME: _l("Employed full-time"),
    Outcome.EMPLOYED_PART_TIME: _l("Employed part-time"),
    Outcome.SELF_EMPLOYED: _l("Self-employed"),
    Outcome.POSTGRAD_INTERNSHIP: _l("Post-graduate internship"),
    Outcome.CONTINUING_EDUCATION: _l("Continuing education"),
    Outcome.SEEKING: _l("Still seeking"),
    Outcome.NOT_SEEKING: _l("Not seeking"),
}

COMPLETION_LABELS = {
    PlacementCompletion.ONGOING: _l("Ongoing"),
    PlacementCompletion.COMPLETED: _l("Completed"),
    PlacementCompletion.ENDED_EARLY: _l("Ended early"),
}
