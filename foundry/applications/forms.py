"""Forms for applying and for running the pipeline, and the labels of application states."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from foundry.applications.labels import STATUS_LABELS
from foundry.applications.limits import (
    MAX_ANSWER,
    MAX_COVER_LETTER,
    MAX_GAP_MINUTES,
    MAX_MESSAGE,
    MAX_NOTE,
    MAX_SLOTS,
)
from foundry.i18n import lazy_gettext as _l
from foundry.postings.models import Posting
from foundry.students.models import CVDocument

NEW_CV = "new"


def _status_choices() -> list[tuple[str, str]]:
    return [(status.value, label) for status, label in STATUS_LABELS.items()]


# --- the student's side -----------------------------------------------------------------


class ApplyForm(FlaskForm):
    """The fixed part of the application form; apply_form_for() adds one field per question."""

    cv_choice = RadioField(
        _l("CV to send"),
        validators=[InputRequired(_l("Choose one of your CVs or upload a new one."))],
    )
    cv_title = StringField(
        _l("Title of the new CV"),
        description=_l("Optional; it is added to your CVs under this title."),
        validators=[Optional(), Length(max=120, message=_l("Keep the title to 120 characters."))],
    )
    cv_file = FileField(
        _l("New CV (PDF, up to 5 MB)"),
        render_kw={
            "accept": "application/pdf,.pdf",
            "data-max-bytes": str(5 * 1024 * 1024),
            "data-too-large": _l("This file is larger than 5 MB. Choose a smaller PDF."),
        },
    )
    cover_letter = TextAreaField(
        _l("Cover letter"),
        description=_l("Optional, up to 10,000 characters."),
        validators=[
            Optional(),
            Length(
                max=MAX_COVER_LETTER,
                message=_l("Keep the cover letter to 10,000 characters."),
            ),
        ],
    )

    def validate_cv_file(self, field) -> None:
        if self.cv_choice.data == NEW_CV and not field.data:
            raise ValidationError(_l("Choose a PDF file to upload, or pick one of your CVs."))

    def answer_fields(self) -> list:
        return [field for field in self if field.name.startswith("answer_")]

    def answers(self) -> dict[int, str]:
        return {
            int(field.name.removeprefix("answer_")): (field.data or "").strip()
            for field in self.answer_fields()
        }


def apply_form_for(posting: Posting, cvs: list[CVDocument], **kwargs) -> ApplyForm:
    """The application form of `posting`: the student's CVs and its screening questions."""

    class PostingApplyForm(ApplyForm):
        pass

    for question in posting.questions:
        validators = [
            DataRequired(_l("Answer this question.")) if question.required else Optional(),
            Length(max=MAX_ANSWER, message=_l("Keep each answer to 2,000 characters.")),
        ]
        setattr(
            PostingApplyForm,
            f"answer_{question.id}",
            TextAreaField(question.prompt, validators=validators),
        )
    form = PostingApplyForm(**kwargs)
    form.cv_choice.choices = [(str(cv.id), cv.title) for cv in cvs] + [
        (NEW_CV, _l("Upload a new CV"))
    ]
    if not form.is_submitted():
        form.cv_choice.data = str(cvs[0].id) if cvs else NEW_CV
    return form


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional)"),
        id="withdraw-reason",
        description=_l("The company sees this message."),
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the reason to 2,000 characters.")),
        ],
    )


class ChooseSlotForm(FlaskForm):
    slot_id = RadioField(
        _l("Interview time"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose one of the times offered."))],
    )


class AcceptOfferForm(FlaskForm):
    decline_other_offers = BooleanField(_l("Also decline my other open offers"), default=False)


class DeclineOfferForm(FlaskForm):
    reason = TextAreaField(
        _l("Message to the company (optional)"),
        id="decline-reason",
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the message to 2,000 characters.")),
        ],
    )


# --- the recruiter's side ---------------------------------------------------------------


class MoveForm(FlaskForm):
    # Every state is a choice so that an illegal move reaches the state machine, which
    # explains why it is refused, instead of a bare "not a valid choice".
    to_status = SelectField(
        _l("Move to"),
        choices=_status_choices(),
        validators=[DataRequired(_l("Choose where to move the application."))],
    )
    message = TextAreaField(
        _l("Message to the student (optional)"),
        id="move-message",
        description=_l("The student sees it in their timeline and in the e-mail we send."),
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the message to 2,000 characters.")),
        ],
    )
    # Sent by the board's cards: where to go back to, and whether the recruiter already
    # confirmed a final move (a rejection) in the board's dialog.
    back = HiddenField(validators=[Optional(), AnyOf(["board"])])
    confirm = BooleanField(default=False)


class BulkMoveForm(MoveForm):
    application_ids = SelectMultipleField(
        _l("Applicants"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Tick at least one applicant to move."))],
    )


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Private note"),
        description=_l("Only your company sees notes; the student never does."),
        validators=[
            DataRequired(_l("Write the note before saving it.")),
            Length(max=MAX_NOTE, message=_l("Keep a note to 5,000 characters.")),
        ],
    )


class SlotRow(Form):
    day = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Start (HKT)"), validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Minutes"),
        default=45,
        validators=[
            Optional(),
            NumberRange(min=10, max=480, message=_l("An interview lasts 10 to 480 minutes.")),
        ],
    )
    location = StringField(
        _l("Place or video link"),
        validators=[Optional(), Length(max=300, message=_l("Keep the place to 300 characters."))],
    )

    def is_filled(self) -> bool:
        return bool(self.day.data or self.time.data or (self.location.data or "").strip())


class InterviewForm(FlaskForm):
    slots = FieldList(FormField(SlotRow), min_entries=MAX_SLOTS, max_entries=MAX_SLOTS)
    message = TextAreaField(
        _l("Message to the student (optional)"),
        id="interview-message",
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the message to 2,000 characters.")),
        ],
    )

    def filled_rows(self) -> list[SlotRow]:
        return [entry.form for entry in self.slots.entries if entry.form.is_filled()]

    def validate_slots(self, field) -> None:
        rows = self.filled_rows()
        if not rows:
            raise ValidationError(_l("Propose at least one time."))
        for row in rows:
            if not (row.day.data and row.time.data and (row.location.data or "").strip()):
                raise ValidationError(_l("Give each proposed time a date, a start and a place."))
            if row.duration_minutes.data is None:
                raise ValidationError(_l("Give each proposed time its length in minutes."))


class OfferForm(FlaskForm):
    terms = TextAreaField(
        _l("Terms of the offer"),
        description=_l("The role, hours, pay, place and anything else the student agrees to."),
        validators=[
            DataRequired(_l("Write the terms of the offer.")),
            Length(max=MAX_NOTE, message=_l("Keep the terms to 5,000 characters.")),
        ],
    )
    pay_hkd = IntegerField(
        _l("Pay (HKD per month)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000_000, message=_l("Enter a pay between 0 and 10,000,000.")),
        ],
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    respond_by = DateField(
        _l("Answer by"),
        description=_l("The student can accept until the end of this day, Hong Kong time."),
        validators=[DataRequired(_l("Give the date by which the student should answer."))],
    )
    message = TextAreaField(
        _l("Message to the student (optional)"),
        id="offer-message",
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the message to 2,000 characters.")),
        ],
    )


class InterviewRunForm(FlaskForm):
    """A run of interview times on one day: a first start, a length, a count, a break."""

    day = DateField(
        _l("Day"), id="run-day", validators=[InputRequired(_l("Choose the day of the interviews."))]
    )
    first_start = TimeField(
        _l("First start (HKT)"),
        id="run-start",
        validators=[InputRequired(_l("Give the time the first interview starts."))],
    )
    duration_minutes = IntegerField(
        _l("Length (minutes)"),
        id="run-minutes",
        default=45,
        validators=[
            InputRequired(_l("Give the length of each interview in minutes.")),
            NumberRange(min=10, max=480, message=_l("An interview lasts 10 to 480 minutes.")),
        ],
    )
    count = IntegerField(
        _l("Number of times"),
        id="run-count",
        default=3,
        validators=[
            InputRequired(_l("Give the number of times to propose.")),
            NumberRange(
                min=1, max=MAX_SLOTS, message=_l("Propose between 1 and %(n)d times.", n=MAX_SLOTS)
            ),
        ],
    )
    gap_minutes = IntegerField(
        _l("Break between them (minutes)"),
        id="run-gap",
        default=0,
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_GAP_MINUTES,
                message=_l("Keep the break between 0 and 240 minutes."),
            ),
        ],
    )
    location = StringField(
        _l("Place or video link"),
        id="run-location",
        validators=[
            DataRequired(_l("Give a place or a video link.")),
            Length(max=300, message=_l("Keep the place to 300 characters.")),
        ],
    )
    message = TextAreaField(
        _l("Message to the student (optional)"),
        id="run-message",
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE, message=_l("Keep the message to 2,000 characters.")),
        ],
    )
    preview = SubmitField(_l("Preview the times"))
