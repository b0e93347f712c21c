"""The words for a student's language proficiency and study level."""

from __future__ import annotations

from foundry.i18n import lazy_gettext as _l
from foundry.students.models import Proficiency
from foundry.universities.models import StudyLevel

PROFICIENCY_LABELS = {
    Proficiency.NATIVE: _l("Native"),
    Proficiency.FLUENT: _l("Fluent"),
    Proficiency.WORKING: _l("Working"),
    Proficiency.BASIC: _l("Basic"),
}

STUDY_LEVEL_LABELS = {
    StudyLevel.UG: _l("Undergraduate"),
    StudyLevel.PG: _l("Postgraduate"),
    StudyLevel.PHD: _l("PhD"),
}
