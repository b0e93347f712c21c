"""The words for a programme's kind, format and status, and a registration's status: for
pages, notifications, reports and exports."""

from __future__ import annotations

from foundry.i18n import lazy_gettext as _l
from foundry.i18n import lazy_pgettext
from foundry.programmes.checkin_models import CheckInMethod
from foundry.programmes.models import (
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    RegistrationStatus,
)

KIND_LABELS = {
    ProgrammeKind.WORKSHOP: _l("Workshop"),
    ProgrammeKind.INSIGHT_SESSION: _l("Industry insight session"),
    ProgrammeKind.CAREER_DAY: _l("Career day or recruitment fair"),
    ProgrammeKind.THEMED_DRIVE: _l("Themed recruitment drive"),
    ProgrammeKind.MENTORING: _l("Mentoring"),
    ProgrammeKind.LANDING_ACTIVITY: _l("Landing activity for non-local talent"),
}

FORMAT_LABELS = {
    ProgrammeFormat.IN_PERSON: _l("In person"),
    ProgrammeFormat.VIRTUAL: _l("Virtual"),
    ProgrammeFormat.HYBRID: _l("Hybrid (in person and online)"),
}

PROGRAMME_STATUS_LABELS = {
    ProgrammeStatus.DRAFT: _l("Draft"),
    ProgrammeStatus.PUBLISHED: _l("Published"),
    ProgrammeStatus.CANCELLED: _l("Cancelled"),
}

REGISTRATION_STATUS_LABELS = {
    # "Registered" alone is the date a company joined (admin list): a context of its own.
    RegistrationStatus.REGISTERED: lazy_pgettext("registration status", "Registered"),
    RegistrationStatus.WAITLISTED: _l("On the waitlist"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}

# How an attendance was recorded (attendee list and its export).
CHECK_IN_METHOD_LABELS = {
    CheckInMethod.SCAN: _l("QR code scanned"),
    CheckInMethod.CODE: _l("Ticket code typed"),
    CheckInMethod.LIST: _l("Picked from the list"),
    CheckInMethod.SELF: _l("Self check-in"),
    CheckInMethod.VIRTUAL: _l("Joined online"),
    CheckInMethod.WALK_IN: _l("Walk-in at the door"),
}
