"""What an organiser writes on a programme and its sessions: the data, the rules it must
meet, and writing it onto the models.

Every rule is checked before anything is written, so a refused save leaves the programme
as it was. A refusal is a ProgrammeInputError naming the form field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from foundry.eligibility.content import (
    Eligibility,
    apply_eligibility,
    check_eligibility,
    graduation_year_problems,
)
from foundry.errors import InvalidInput
from foundry.programmes.limits import (
    DESCRIPTION_MAX,
    JOIN_LINK_MAX,
    MAX_CANCELLATION_CUTOFF_HOURS,
    MAX_CAPACITY,
    MAX_SESSION_HOURS,
    SESSION_LABEL_MAX,
    TITLE_MAX,
    VENUE_MAX,
)
from foundry.programmes.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeLevel,
    ProgrammeSession,
)
from foundry.taxonomy import Theme
from foundry.universities.models import Faculty, University


class ProgrammeInputError(InvalidInput):
    """Bad input for a programme or a session; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class ProgrammeData(Eligibility):
    """Everything an organiser writes on a programme, its eligibility included (Eligibility)."""

    kind: ProgrammeKind
    title_en: str
    format: ProgrammeFormat
    registration_opens_at: datetime
    registration_closes_at: datetime
    title_zh: str | None = None
    description_en: str = ""
    description_zh: str | None = None
    theme: Theme | None = None
    venue: str | None = None
    join_link: str | None = None
    cancellation_cutoff_hours: int = 24


@dataclass
class SessionData:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    waitlist_enabled: bool = True
    label: str | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("programme times must be aware datetimes")


def _length(value: str | None, limit: int, field: str, message: str) -> None:
    if value is not None and len(value) > limit:
        raise ProgrammeInputError(message, field)


def check_join_link(link: str | None) -> None:
    """A join link is an https address (a meeting room), nothing a browser would run."""
    if link is None:
        return
    _length(link, JOIN_LINK_MAX, "join_link", _("Keep the join link to 500 characters."))
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in link):
        raise ProgrammeInputError(_("Give the join link as a full https:// address."), "join_link")


def check_programme_data(data: ProgrammeData) -> ProgrammeData:
    """The data cleaned, or ProgrammeInputError naming the first rule it breaks."""
    _aware(data.registration_opens_at)
    _aware(data.registration_closes_at)
    title_en, title_zh = _clean(data.title_en), _clean(data.title_zh)
    if title_en is None:
        raise ProgrammeInputError(_("Enter a title in English."), "title_en")
    too_long = _("Keep the title to %(n)d characters.", n=TITLE_MAX)
    _length(title_en, TITLE_MAX, "title_en", too_long)
    _length(title_zh, TITLE_MAX, "title_zh", too_long)
    description_zh = _clean(data.description_zh)
    too_long = _("Keep the description to %(n)d characters.", n=DESCRIPTION_MAX)
    _length(data.description_en, DESCRIPTION_MAX, "description_en", too_long)
    _length(description_zh, DESCRIPTION_MAX, "description_zh", too_long)
    venue, join_link = _clean(data.venue), _clean(data.join_link)
    _length(venue, VENUE_MAX, "venue", _("Keep the venue to %(n)d characters.", n=VENUE_MAX))
    check_join_link(join_link)
    if data.registration_closes_at <= data.registration_opens_at:
        raise ProgrammeInputError(
            _("Registration must close after it opens."), "registration_closes_at"
        )
    if not 0 <= data.cancellation_cutoff_hours <= MAX_CANCELLATION_CUTOFF_HOURS:
        raise ProgrammeInputError(
            _(
                "Give a cancellation cut-off between 0 and %(n)d hours before a session.",
                n=MAX_CANCELLATION_CUTOFF_HOURS,
            ),
            "cancellation_cutoff_hours",
        )
    for name, message in graduation_year_problems(data):
        raise ProgrammeInputError(message, name)
    return ProgrammeData(
        **{
            **data.__dict__,
            "title_en": title_en,
            "title_zh": title_zh,
            "description_en": data.description_en.strip(),
            "description_zh": description_zh,
            "venue": venue,
            "join_link": join_link,
        }
    )


def check_session_data(data: SessionData) -> SessionData:
    """The session cleaned, or ProgrammeInputError naming the first rule it breaks."""
    _aware(data.starts_at)
    _aware(data.ends_at)
    if data.ends_at <= data.starts_at:
        raise ProgrammeInputError(_("A session must end after it starts."), "ends_at")
    if data.ends_at - data.starts_at > timedelta(hours=MAX_SESSION_HOURS):
        raise ProgrammeInputError(
            _(
                "A session lasts at most %(n)d hours; split a longer one into sessions.",
                n=MAX_SESSION_HOURS,
            ),
            "ends_at",
        )
    if isinstance(data.capacity, bool) or not 1 <= data.capacity <= MAX_CAPACITY:
        raise ProgrammeInputError(
            _("Give a capacity between 1 and %(n)d seats.", n=MAX_CAPACITY), "capacity"
        )
    label = _clean(data.label)
    _length(label, SESSION_LABEL_MAX, "label", _("Keep the session's name to 120 characters."))
    return SessionData(
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=data.capacity,
        waitlist_enabled=bool(data.waitlist_enabled),
        label=label,
    )


def universities_and_faculties(data: ProgrammeData) -> tuple[list[University], list[Faculty]]:
    """The chosen universities and faculties, once the eligibility's rules hold."""
    return check_eligibility(data, ProgrammeInputError)


def apply_programme_data(
    programme: Programme, data: ProgrammeData, universities: list, faculties: list
) -> None:
    """Write checked data onto the programme (its organiser and status are not data)."""
    programme.kind = data.kind
    programme.title_en = data.title_en
    programme.title_zh = data.title_zh
    programme.description_en = data.description_en
    programme.description_zh = data.description_zh
    programme.theme = data.theme
    programme.format = data.format
    programme.venue = data.venue
    programme.join_link = data.join_link
    programme.registration_opens_at = data.registration_opens_at
    programme.registration_closes_at = data.registration_closes_at
    programme.cancellation_cutoff_hours = data.cancellation_cutoff_hours
    apply_eligibility(programme, data, universities, faculties, ProgrammeLevel)


def apply_session_data(session: ProgrammeSession, data: SessionData) -> None:
    session.label = data.label
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.capacity = data.capacity
    session.waitlist_enabled = data.waitlist_enabled
