"""The posting form companies fill in, and the park's and universities' decision forms.

The forms read and parse what was typed; the rules a posting must meet (dates ahead, pay
ordered, and so on) live in foundry.postings.content, where every caller meets them.
"""

from __future__ import annotations

from dataclasses import asdict
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from foundry.eligibility.forms import EligibilityFields, OpenToAllHelp, eligibility_form_data
from foundry.i18n import lazy_gettext as _l
from foundry.postings.content import (
    MAX_QUESTIONS,
    QUESTION_MAX,
    TITLE_MAX,
    PostingData,
    PostingInputError,
    ScreeningQuestionData,
)
from foundry.postings.labels import KIND_LABELS, PAY_PERIOD_LABELS, WORK_MODE_LABELS
from foundry.postings.models import (
    PayPeriod,
    Posting,
    PostingKind,
    WorkMode,
)
from foundry.students.forms import MultiCheckboxField
from foundry.taxonomy import THEME_LABELS, Theme

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def _number(label, low: int, high: int, message, **kwargs) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=low, max=high, message=message)],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
        **kwargs,
    )


class ScreeningQuestionRow(Form):
    prompt = StringField(
        _l("Question"),
        validators=[
            Optional(),
            Length(
                max=QUESTION_MAX,
                message=_l("Keep each question to %(n)d characters.", n=QUESTION_MAX),
            ),
        ],
    )
    required = BooleanField(_l("An answer is required"), default=True)


class PostingForm(EligibilityFields, FlaskForm):
    open_to_all_help = OpenToAllHelp(
        universities=_l("Leave all unticked to reach students of every university."),
        faculties=_l("Leave all unticked to reach every faculty."),
        levels=_l("Leave all unticked to reach every level."),
    )
    eligibility_follows = "openings"
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Enter a title for the posting."))],
        render_kw={"maxlength": TITLE_MAX},
    )
    kind = SelectField(
        _l("Kind of role"), choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the student will do and learn. Markdown: **bold**, lists, links."),
        validators=[Length(max=20000, message=_l("Keep the description to 20,000 characters."))],
    )
    requirements = TextAreaField(
        _l("Requirements"),
        description=_l("What applicants need to bring. Markdown is supported."),
        validators=[Length(max=10000, message=_l("Keep the requirements to 10,000 characters."))],
    )
    location = StringField(
        _l("Location"),
        description=_l("e.g. Hong Kong Science Park, Shatin"),
        validators=[Length(max=160, message=_l("Keep the location to 160 characters."))],
    )
    work_mode = SelectField(
        _l("Work mode"), choices=[(m.value, label) for m, label in WORK_MODE_LABELS.items()]
    )
    start_date = DateField(
        _l("Start date"),
        validators=[Optional()],
        description=_l("Leave empty if flexible."),
    )
    duration_weeks = _number(
        _l("Duration in weeks"), 1, 260, _l("Give a duration between 1 and 260 weeks.")
    )
    pay_min_hkd = _number(
        _l("Pay from (HKD)"), 0, 10_000_000, _l("Enter an amount in HKD, 0 or more.")
    )
    pay_max_hkd = _number(
        _l("Pay up to (HKD)"), 0, 10_000_000, _l("Enter an amount in HKD, 0 or more.")
    )
    pay_period = SelectField(
        _l("Pay period"),
        choices=[(p.value, label) for p, label in PAY_PERIOD_LABELS.items()],
        default=PayPeriod.MONTH.value,
    )
    openings = IntegerField(
        _l("Openings"),
        default=1,
        validators=[
            InputRequired(_l("Say how many people you will hire.")),
            NumberRange(min=1, max=1000, message=_l("Enter between 1 and 1,000 openings.")),
        ],
        render_kw={"min": 1, "max": 1000, "inputmode": "numeric"},
    )
    skills = StringField(
        _l("Skills"),
        description=_l("Separate skills with commas, e.g. python, pytorch, verilog."),
        validators=[Length(max=1500, message=_l("That is too long a list of skills."))],
    )
    themes = MultiCheckboxField(
        _l("Themes"),
        choices=[(theme.value, label) for theme, label in THEME_LABELS.items()],
    )
    questions = FieldList(
        FormField(ScreeningQuestionRow, label=_l("Screening question")),
        label=_l("Screening questions"),
        min_entries=MAX_QUESTIONS,
        max_entries=MAX_QUESTIONS,
    )
    deadline = DateTimeLocalField(
        _l("Application deadline (Hong Kong time)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        tz=HONG_KONG,
        validators=[InputRequired(_l("Enter the deadline as a date and a time."))],
    )

    def show_error(self, error: PostingInputError) -> None:
        """Attach each broken rule's message to the field it concerns (else to the title)."""
        for name, message in error.problems:
            target = getattr(self, name, None) if name else None
            if target is None:
                target = self.title
            target.errors = [*target.errors, message]

    def to_data(self) -> PostingData:
        return PostingData(
            title=self.title.data or "",
            kind=PostingKind(self.kind.data),
            work_mode=WorkMode(self.work_mode.data),
            deadline=self.deadline.data,
            description=self.description.data or "",
            requirements=self.requirements.data or "",
            location=self.location.data or "",
            start_date=self.start_date.data,
            duration_weeks=self.duration_weeks.data,
            pay_min_hkd=self.pay_min_hkd.data,
            pay_max_hkd=self.pay_max_hkd.data,
            pay_period=PayPeriod(self.pay_period.data),
            openings=self.openings.data,
            skills=(self.skills.data or "").split(","),
            themes=[Theme(v) for v in self.themes.data or []],
            questions=[
                ScreeningQuestionData(row.form.prompt.data or "", row.form.required.data)
                for row in self.questions.entries
            ],
            **asdict(self.eligibility()),
        )


def posting_form_data(posting: Posting) -> dict:
    """A saved posting as the form's initial data."""
    return {
        "title": posting.title,
        "kind": posting.kind.value,
        "description": posting.description,
        "requirements": posting.requirements,
        "location": posting.location,
        "work_mode": posting.work_mode.value,
        "start_date": posting.start_date,
        "duration_weeks": posting.duration_weeks,
        "pay_min_hkd": posting.pay_min_hkd,
        "pay_max_hkd": posting.pay_max_hkd,
        "pay_period": posting.pay_period.value,
        "openings": posting.openings,
        "skills": ", ".join(skill.name for skill in posting.skills),
        "themes": [theme.value for theme in posting.theme_values],
        "questions": [{"prompt": q.prompt, "required": q.required} for q in posting.questions],
        "deadline": posting.deadline,
        **eligibility_form_data(posting),
    }


class ActionForm(FlaskForm):
    """A lifecycle button: only the CSRF token."""


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the company"),
        description=_l("Say what to change; the company sees this on its edit page."),
        validators=[Length(max=1000, message=_l("Keep the reason to 1,000 characters."))],
    )


class ApprovalDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[("approve", _l("Approve")), ("decline", _l("Decline"))],
        validators=[InputRequired(_l("Choose to approve or decline."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        description=_l("Required when you decline; the company reads it."),
        validators=[Length(max=1000, message=_l("Keep the comment to 1,000 characters."))],
    )

    @property
    def approves(self) -> bool:
        return self.decision.data == "approve"
