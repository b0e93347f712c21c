"""Forms of the placement pages, and the labels of placement values.

The forms check the shape of the input (required, lengths, dates, known values); the
services check the rules (dates in order, a verified company...)."""

from __future__ import annotations

import enum

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from foundry.i18n import lazy_gettext as _l
from foundry.placements.labels import COMPLETION_LABELS, OUTCOME_LABELS
from foundry.placements.models import Outcome, PlacementCompletion
from foundry.postings.labels import KIND_LABELS
from foundry.postings.models import PostingKind

FOUND_VIA_SUGGESTIONS = (
    _l("graduate survey"),
    _l("employer"),
    _l("LinkedIn"),
    _l("student e-mail"),
    _l("placement officer's call"),
)

RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def choice_of(values, message):
    """A validator: the value is one of `values` (one message whether missing or forged)."""

    def check(form, field) -> None:
        if field.data not in values:
            raise ValidationError(message)

    return check


def one_of(enum_cls: type[enum.Enum], message):
    """A validator: the value is one of the enum's values."""
    return choice_of({member.value for member in enum_cls}, message)


def company_choice(form, field) -> None:
    """Empty (outside the park) or a company id; which companies are allowed is a rule
    the service checks."""
    if field.data and not str(field.data).isdigit():
        raise ValidationError(_l("Choose a verified park company from the list."))


def chosen_company_id(field) -> int | None:
    return int(field.data) if field.data else None


def optional_length(limit: int, message):
    return [Optional(), Length(max=limit, message=message)]


def employer_fields(description) -> tuple:
    """The employer of a placement or an outcome: a park company from the list, or the
    name of one outside the park. Unpack it in the form's body, so the fields keep their
    place in the form's order."""
    company_id = SelectField(
        _l("Park company"),
        description=description,
        validate_choice=False,
        validators=[company_choice],
    )
    employer_name = StringField(
        _l("Employer outside the park"),
        filters=[_trimmed],
        validators=optional_length(200, _l("Keep the employer's name to 200 characters.")),
    )
    return company_id, employer_name


class PlacementForm(FlaskForm):
    company_id, employer_name = employer_fields(
        _l("Choose a verified park company, or leave this and give the employer below.")
    )
    role_title = StringField(
        _l("Role title"),
        filters=[_trimmed],
        validators=[
            DataRequired(_l("Give the role's title.")),
            Length(max=200, message=_l("Keep the role's title to 200 characters.")),
        ],
    )
    kind = SelectField(
        _l("Kind of role"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        validate_choice=False,
        validators=[one_of(PostingKind, _l("Choose the kind of role from the list."))],
    )
    agreed_on = DateField(
        _l("Agreed on"),
        description=_l("The day the placement was agreed (Hong Kong time)."),
        validators=[InputRequired(_l("Give the date the placement was agreed."))],
    )
    start_date = DateField(_l("Starts on"), validators=[Optional()])
    end_date = DateField(_l("Ends on"), validators=[Optional()])
    supervisor_name = StringField(
        _l("Supervisor's name"),
        filters=[_trimmed],
        validators=optional_length(120, _l("Keep the supervisor's name to 120 characters.")),
    )
    supervisor_email = EmailField(
        _l("Supervisor's e-mail"),
        filters=[_lower],
        validators=[
            Optional(),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(_l("Enter an e-mail address such as name@company.com.")),
        ],
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=optional_length(5000, _l("Keep the notes to 5,000 characters.")),
    )


class CompletionForm(FlaskForm):
    completion = RadioField(
        _l("Completion"),
        choices=[(c.value, label) for c, label in COMPLETION_LABELS.items()],
        validate_choice=False,
        validators=[one_of(PlacementCompletion, _l("Choose ongoing, completed or ended early."))],
    )
    completed_on = DateField(
        _l("Ended on"),
        description=_l("For a completed placement or one that ended early."),
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("Why it ended early"),
        description=_l("Needed when it ended early; added to the placement's notes."),
        validators=optional_length(1000, _l("Keep the note to 1,000 characters.")),
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[("", _l("Choose…"))] + [(o.value, label) for o, label in OUTCOME_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose the graduate's outcome from the list.")),
            one_of(Outcome, _l("Choose the graduate's outcome from the list.")),
        ],
    )
    company_id, employer_name = employer_fields(
        _l("For employment: a verified park company, or the employer's name below.")
    )
    job_title = StringField(
        _l("Job title"),
        filters=[_trimmed],
        validators=optional_length(200, _l("Keep the job title to 200 characters.")),
    )
    institution = StringField(
        _l("Institution"),
        description=_l("For continuing education: where the graduate studies."),
        filters=[_trimmed],
        validators=optional_length(200, _l("Keep the institution's name to 200 characters.")),
    )
    found_via = StringField(
        _l("Found via"),
        description=_l("Where you learnt it: graduate survey, employer, LinkedIn, student e-mail…"),
        filters=[_trimmed],
        render_kw={"list": "found-via-suggestions"},
        validators=[
            DataRequired(
                _l("Say where you learnt it, e.g. graduate survey, employer or LinkedIn.")
            ),
            Length(max=120, message=_l("Keep “found via” to 120 characters.")),
        ],
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=optional_length(5000, _l("Keep the notes to 5,000 characters.")),
    )


class EvaluationRequestForm(FlaskForm):
    supervisor_name = StringField(
        _l("Supervisor's name"),
        filters=[_trimmed],
        validators=[
            DataRequired(_l("Give the supervisor's name.")),
            Length(max=120, message=_l("Keep the supervisor's name to 120 characters.")),
        ],
    )
    supervisor_email = EmailField(
        _l("Supervisor's e-mail"),
        filters=[_lower],
        validators=[
            DataRequired(_l("Give the supervisor's e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(_l("Enter an e-mail address such as name@company.com.")),
        ],
    )


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class DisputeForm(FlaskForm):
    reason = TextAreaField(
        _l("What is not right?"),
        description=_l("Your faculty's staff who recorded it will read this."),
        validators=[
            DataRequired(_l("Say briefly what is not right.")),
            Length(max=1000, message=_l("Keep it to 1,000 characters.")),
        ],
    )


def _rating(label):
    return RadioField(
        label,
        choices=RATING_CHOICES,
        validate_choice=False,
        validators=[choice_of({v for v, _ in RATING_CHOICES}, _l("Choose a rating from 1 to 5."))],
    )


class EvaluationForm(FlaskForm):
    """The supervisor's answers (public page, no account)."""

    rating_overall = _rating(_l("Overall performance"))
    rating_technical = _rating(_l("Technical skills"))
    rating_professional = _rating(_l("Professional conduct"))
    rating_communication = _rating(_l("Communication"))
    strengths = TextAreaField(
        _l("Strengths"),
        description=_l("Optional, up to 2,000 characters."),
        validators=optional_length(2000, _l("Keep each answer to 2,000 characters.")),
    )
    improvements = TextAreaField(
        _l("What could improve"),
        description=_l("Optional, up to 2,000 characters."),
        validators=optional_length(2000, _l("Keep each answer to 2,000 characters.")),
    )
    would_host_again = RadioField(
        _l("Would you host a student from this programme again?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validate_choice=False,
        validators=[choice_of({"yes", "no"}, _l("Answer yes or no."))],
    )

    def ratings(self) -> list:
        return [
            self.rating_overall,
            self.rating_technical,
            self.rating_professional,
            self.rating_communication,
        ]
