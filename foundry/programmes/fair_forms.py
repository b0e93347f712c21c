"""The forms of the fair pages: a company's booth request, featured roles, a slot, a
pre-selected candidate and alternates, a meeting at the booth by ticket code, an
invitation to apply; and the organiser's decision on a booth. Times are typed in Hong
Kong time (stored UTC); the rules themselves live in the fairs services."""

from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from foundry.i18n import lazy_gettext as _l
from foundry.programmes.checkin_tokens import TOKEN_MAX
from foundry.programmes.fairs.models import (
    BOOTH_LENGTH,
    MAX_GROUP_SEATS,
    NOTE_LENGTH,
    ExhibitorStatus,
    SlotKind,
)
from foundry.programmes.fairs.slots import MAX_ALTERNATES, MAX_SLOT_MINUTES, SlotData
from foundry.programmes.organiser_forms import _moment
from foundry.students.forms import MultiCheckboxField

EXHIBITOR_STATUS_LABELS = {
    ExhibitorStatus.REQUESTED: _l("Requested: waiting for the organisers"),
    ExhibitorStatus.APPROVED: _l("Approved"),
    ExhibitorStatus.DECLINED: _l("Declined"),
    ExhibitorStatus.WITHDRAWN: _l("Withdrawn"),
}

SLOT_KIND_LABELS = {
    SlotKind.ONE_TO_ONE: _l("1:1 interview"),
    SlotKind.GROUP: _l("Group session"),
}


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class BoothRequestForm(FlaskForm):
    representatives = MultiCheckboxField(
        _l("Representatives at the booth"),
        coerce=int,
        validators=[DataRequired(_l("Name at least one representative who will staff the booth."))],
    )
    note = TextAreaField(
        _l("Note for the organisers"),
        validators=[Length(max=NOTE_LENGTH, message=_l("Keep the note to 1,000 characters."))],
    )


class FeatureForm(FlaskForm):
    postings = MultiCheckboxField(_l("Roles to feature"), coerce=int)


class SlotForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[(kind.value, label) for kind, label in SLOT_KIND_LABELS.items()],
        validators=[InputRequired(_l("Choose 1:1 or group."))],
    )
    starts_at = _moment(_l("Starts (Hong Kong time)"), _l("Give the slot's start."))
    minutes = IntegerField(
        _l("Length in minutes"),
        default=10,
        validators=[
            InputRequired(_l("Give the slot's length in minutes.")),
            NumberRange(5, MAX_SLOT_MINUTES, _l("A slot lasts 5 to 180 minutes.")),
        ],
    )
    capacity = IntegerField(
        _l("Seats"),
        default=1,
        validators=[
            InputRequired(_l("Give the number of seats.")),
            NumberRange(1, MAX_GROUP_SEATS, _l("A slot seats 1 to 50 students.")),
        ],
    )
    label = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=120)])

    def to_data(self) -> SlotData:
        starts = self.starts_at.data
        return SlotData(
            kind=SlotKind(self.kind.data),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=self.minutes.data),
            capacity=self.capacity.data,
            label=self.label.data,
        )


class CandidateForm(FlaskForm):
    profile_id = SelectField(
        _l("Candidate"), coerce=int, validators=[InputRequired(_l("Choose a candidate."))]
    )


class AlternatesForm(FlaskForm):
    profile_ids = MultiCheckboxField(_l("Alternates, in this order"), coerce=int)

    def validate_profile_ids(self, field) -> None:
        if len(field.data or []) > MAX_ALTERNATES:
            field.errors.append(_l("Name at most 10 alternates."))


class MeetingForm(FlaskForm):
    code = StringField(
        _l("Ticket code"),
        validators=[
            DataRequired(_l("Type the code shown under the student's ticket QR code.")),
            # Room for the signed QR token a camera or a scanner puts here.
            Length(max=TOKEN_MAX, message=_l("A ticket code has 7 letters and digits.")),
        ],
    )
    rating = IntegerField(
        _l("Rating (1 to 5)"),
        validators=[Optional(), NumberRange(1, 5, _l("Rate from 1 to 5 stars, or leave it out."))],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Length(max=NOTE_LENGTH, message=_l("Keep the note to 1,000 characters."))],
    )


class InviteForm(FlaskForm):
    posting_id = SelectField(
        _l("Role"), coerce=int, validators=[InputRequired(_l("Choose a role."))]
    )


class DecideForm(FlaskForm):
    booth = StringField(
        _l("Booth"),
        validators=[
            Length(max=BOOTH_LENGTH, message=_l("Keep the booth number to 20 characters."))
        ],
    )
