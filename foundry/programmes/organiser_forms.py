"""The forms organisers fill in: a programme, a session, and the message of a cancellation.

The forms read and parse what was typed (times in Hong Kong time, stored UTC); the rules
a programme must meet live in foundry.programmes.content, where every caller meets them,
and a refusal from there is shown on the field it names (show_error).
"""

from __future__ import annotations

from dataclasses import asdict
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from foundry.eligibility.forms import EligibilityFields, OpenToAllHelp, eligibility_form_data
from foundry.i18n import lazy_gettext as _l
from foundry.programmes.content import ProgrammeData, SessionData
from foundry.programmes.labels import FORMAT_LABELS, KIND_LABELS
from foundry.programmes.limits import (
    CANCELLATION_MESSAGE_MAX,
    DESCRIPTION_MAX,
    JOIN_LINK_MAX,
    MAX_CANCELLATION_CUTOFF_HOURS,
    MAX_CAPACITY,
    SESSION_LABEL_MAX,
    TITLE_MAX,
    VENUE_MAX,
)
from foundry.programmes.models import Programme, ProgrammeFormat, ProgrammeKind, ProgrammeSession
from foundry.taxonomy import THEME_LABELS, Theme

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _moment(label, message) -> DateTimeLocalField:
    """A date and time typed in Hong Kong time; `.data` is an aware datetime."""
    return DateTimeLocalField(
        label, format=MOMENT_FORMATS, tz=HONG_KONG, validators=[InputRequired(message)]
    )


def _text(label, limit: int, message, **kwargs) -> StringField:
    return StringField(
        label,
        validators=[Length(max=limit, message=message)],
        render_kw={"maxlength": limit},
        **kwargs,
    )


class _ShowsRefusals:
    def show_error(self, error) -> None:
        """Put a service's refusal under the field it names (else above the form)."""
        target = getattr(self, error.field, None) if getattr(error, "field", None) else None
        if target is None:
            target = self.general
        target.errors = [*target.errors, error.message]


class ProgrammeForm(_ShowsRefusals, EligibilityFields, FlaskForm):
    open_to_all_help = OpenToAllHelp(
        universities=_l("Leave all unticked to welcome students of every university."),
        faculties=_l("Leave all unticked to welcome every faculty."),
        levels=_l("Leave all unticked to welcome every level."),
    )
    eligibility_follows = "cancellation_cutoff_hours"
    kind = SelectField(
        _l("Kind of programme"), choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[
            InputRequired(_l("Enter a title in English.")),
            Length(max=TITLE_MAX, message=_l("Keep the title to %(n)d characters.", n=TITLE_MAX)),
        ],
        render_kw={"maxlength": TITLE_MAX},
    )
    title_zh = _text(
        _l("Title in Chinese"),
        TITLE_MAX,
        _l("Keep the title to %(n)d characters.", n=TITLE_MAX),
        description=_l("Optional. Students reading in Chinese see the English title without it."),
    )
    description_en = TextAreaField(
        _l("Description in English"),
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Keep the description to %(n)d characters.", n=DESCRIPTION_MAX),
            )
        ],
    )
    description_zh = TextAreaField(
        _l("Description in Chinese"),
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Keep the description to %(n)d characters.", n=DESCRIPTION_MAX),
            )
        ],
    )
    theme = SelectField(
        _l("Theme"),
        choices=[("", _l("No particular theme"))]
        + [(theme.value, label) for theme, label in THEME_LABELS.items()],
    )
    format = SelectField(
        _l("Format"), choices=[(f.value, label) for f, label in FORMAT_LABELS.items()]
    )
    venue = _text(
        _l("Venue"),
        VENUE_MAX,
        _l("Keep the venue to %(n)d characters.", n=VENUE_MAX),
        description=_l("Needed to publish a programme held in person or hybrid."),
    )
    join_link = _text(
        _l("Join link"),
        JOIN_LINK_MAX,
        _l("Keep the join link to 500 characters."),
        description=_l(
            "An https:// address, needed to publish a virtual or hybrid programme. "
            "Only registered students ever see it."
        ),
    )
    registration_opens_at = _moment(
        _l("Registration opens (Hong Kong time)"),
        _l("Enter when registration opens as a date and a time."),
    )
    registration_closes_at = _moment(
        _l("Registration closes (Hong Kong time)"),
        _l("Enter when registration closes as a date and a time."),
    )
    cancellation_cutoff_hours = IntegerField(
        _l("Students may cancel until (hours before their session)"),
        default=24,
        validators=[
            InputRequired(_l("Say until how many hours before a session students may cancel.")),
            NumberRange(
                min=0,
                max=MAX_CANCELLATION_CUTOFF_HOURS,
                message=_l(
                    "Give a cancellation cut-off between 0 and %(n)d hours before a session.",
                    n=MAX_CANCELLATION_CUTOFF_HOURS,
                ),
            ),
        ],
        render_kw={"min": 0, "max": MAX_CANCELLATION_CUTOFF_HOURS, "inputmode": "numeric"},
    )
    # Carries a refusal that names no field of the form (never rendered as an input).
    general = StringField(_l("Form"), render_kw={"hidden": True})

    def to_data(self) -> ProgrammeData:
        return ProgrammeData(
            kind=ProgrammeKind(self.kind.data),
            title_en=self.title_en.data or "",
            title_zh=self.title_zh.data,
            description_en=self.description_en.data or "",
            description_zh=self.description_zh.data,
            theme=Theme(self.theme.data) if self.theme.data else None,
            format=ProgrammeFormat(self.format.data),
            venue=self.venue.data,
            join_link=self.join_link.data,
            registration_opens_at=self.registration_opens_at.data,
            registration_closes_at=self.registration_closes_at.data,
            cancellation_cutoff_hours=self.cancellation_cutoff_hours.data,
            **asdict(self.eligibility()),
        )


def programme_form_data(programme: Programme) -> dict:
    """A saved programme as the form's initial data (times shown in Hong Kong time)."""
    return {
        "kind": programme.kind.value,
        "title_en": programme.title_en,
        "title_zh": programme.title_zh,
        "description_en": programme.description_en,
        "description_zh": programme.description_zh,
        "theme": programme.theme.value if programme.theme else "",
        "format": programme.format.value,
        "venue": programme.venue,
        "join_link": programme.join_link,
        "registration_opens_at": programme.registration_opens_at.astimezone(HONG_KONG),
        "registration_closes_at": programme.registration_closes_at.astimezone(HONG_KONG),
        "cancellation_cutoff_hours": programme.cancellation_cutoff_hours,
        **eligibility_form_data(programme),
    }


class SessionForm(_ShowsRefusals, FlaskForm):
    label = _text(
        _l("Name of the session"),
        SESSION_LABEL_MAX,
        _l("Keep the session's name to 120 characters."),
        description=_l("Optional, e.g. “Morning” or “Day 2”."),
    )
    starts_at = _moment(
        _l("Starts (Hong Kong time)"), _l("Enter when the session starts as a date and a time.")
    )
    ends_at = _moment(
        _l("Ends (Hong Kong time)"), _l("Enter when the session ends as a date and a time.")
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Say how many seats the session has.")),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message=_l("Give a capacity between 1 and %(n)d seats.", n=MAX_CAPACITY),
            ),
        ],
        render_kw={"min": 1, "max": MAX_CAPACITY, "inputmode": "numeric"},
    )
    waitlist_enabled = BooleanField(
        _l("Keep a waitlist when the seats are taken"),
        default=True,
        description=_l("Freed seats go to the first on the waitlist, who is told at once."),
    )
    general = StringField(_l("Form"), render_kw={"hidden": True})

    def to_data(self) -> SessionData:
        return SessionData(
            label=self.label.data,
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            capacity=self.capacity.data,
            waitlist_enabled=self.waitlist_enabled.data,
        )


def session_form_data(session: ProgrammeSession) -> dict:
    return {
        "label": session.label,
        "starts_at": session.starts_at.astimezone(HONG_KONG),
        "ends_at": session.ends_at.astimezone(HONG_KONG),
        "capacity": session.capacity,
        "waitlist_enabled": session.waitlist_enabled,
    }


class CancelProgrammeForm(_ShowsRefusals, FlaskForm):
    message = TextAreaField(
        _l("Message to everyone registered"),
        description=_l("Say why, and what comes instead if anything. Sent in-app and by e-mail."),
        validators=[
            InputRequired(_l("Say why the programme is cancelled: everyone registered reads it.")),
            Length(
                max=CANCELLATION_MESSAGE_MAX, message=_l("Keep the message to 1,000 characters.")
            ),
        ],
    )
    general = StringField(_l("Form"), render_kw={"hidden": True})


class ActionForm(FlaskForm):
    """A lifecycle button: only the CSRF token."""
