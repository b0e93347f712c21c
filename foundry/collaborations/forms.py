"""Forms of the collaboration pages. They check the shape of the input (required, lengths,
whole numbers, known values); the services check the rules (dates in order, parties that
exist, people who belong)."""

from __future__ import annotations

import enum

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from foundry.collaborations.attachment_models import (
    ATTACHMENT_MAX_BYTES,
    DESCRIPTION_LENGTH,
    AttachmentAudience,
)
from foundry.collaborations.labels import (
    AGREEMENT_LABELS,
    AUDIENCE_LABELS,
    KIND_LABELS,
    MILESTONE_LABELS,
    OUTCOME_LABELS,
    PARTY_ROLE_LABELS,
    STATUS_LABELS,
    VISIBILITY_LABELS,
)
from foundry.collaborations.models import (
    MAX_VALUE_HKD,
    SUMMARY_LENGTH,
    TITLE_LENGTH,
    AgreementType,
    CollaborationKind,
    CollaborationStatus,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    PersonRole,
    Visibility,
)
from foundry.collaborations.services import CollaborationDetails
from foundry.documents import DocumentKind
from foundry.i18n import lazy_gettext as _l
from foundry.web_forms import web_address


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(member.value, label) for member, label in labels.items()]


def _one_of(enum_cls: type[enum.Enum]):
    def check(form, field) -> None:
        if field.data not in {m.value for m in enum_cls}:
            raise ValidationError(_l("Choose a value from the list."))

    return check


def _whole_hkd(form, field) -> None:
    """Whole Hong Kong dollars, 0 or more (commas allowed): never a float."""
    raw = (field.data or "").strip().replace(",", "")
    if not raw:
        field.data = "0"
        return
    if not raw.isdigit() or int(raw) > MAX_VALUE_HKD:
        raise ValidationError(_l("Enter a whole number of Hong Kong dollars, 0 or more."))
    field.data = raw


def _id_choice(form, field) -> None:
    if field.data and not str(field.data).isdigit():
        raise ValidationError(_l("Choose from the list."))


def chosen_id(field) -> int | None:
    return int(field.data) if field.data else None


class DetailsForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=_choices(KIND_LABELS),
        validate_choice=False,
        validators=[_one_of(CollaborationKind)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_LENGTH)])
    status = SelectField(
        _l("Status"),
        choices=_choices(STATUS_LABELS),
        validate_choice=False,
        validators=[_one_of(CollaborationStatus)],
    )
    visibility = SelectField(
        _l("Who sees it"),
        choices=_choices(VISIBILITY_LABELS),
        validate_choice=False,
        validators=[_one_of(Visibility)],
    )
    start_date = DateField(_l("Starts on"), validators=[DataRequired()])
    end_date = DateField(_l("Ends on"), validators=[Optional()])
    cash_hkd = StringField(_l("Cash value (HKD)"), validators=[_whole_hkd])
    in_kind_hkd = StringField(_l("In-kind value (HKD)"), validators=[_whole_hkd])
    funding_scheme = StringField(
        _l("Funding scheme"),
        description=_l("For example ITF, UGC, company-funded."),
        validators=[Optional(), Length(max=80)],
    )
    agreement_type = SelectField(
        _l("Agreement"),
        choices=[("", _l("— None yet —")), *_choices(AGREEMENT_LABELS)],
        validate_choice=False,
    )
    agreement_reference = StringField(
        _l("Agreement reference"), validators=[Optional(), Length(max=80)]
    )
    agreement_signed_on = DateField(_l("Agreement signed on"), validators=[Optional()])
    agreement_ends_on = DateField(_l("Agreement ends on"), validators=[Optional()])

    def validate_agreement_type(self, field) -> None:
        if field.data and field.data not in {m.value for m in AgreementType}:
            raise ValidationError(_l("Choose a value from the list."))

    def details(self) -> CollaborationDetails:
        return CollaborationDetails(
            kind=CollaborationKind(self.kind.data),
            title=self.title.data.strip(),
            summary=(self.summary.data or "").strip(),
            status=CollaborationStatus(self.status.data),
            visibility=Visibility(self.visibility.data),
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            cash_hkd=int(self.cash_hkd.data),
            in_kind_hkd=int(self.in_kind_hkd.data),
            funding_scheme=(self.funding_scheme.data or "").strip(),
            agreement_type=AgreementType(self.agreement_type.data)
            if self.agreement_type.data
            else None,
            agreement_reference=(self.agreement_reference.data or "").strip(),
            agreement_signed_on=self.agreement_signed_on.data,
            agreement_ends_on=self.agreement_ends_on.data,
        )


class NewCollaborationForm(DetailsForm):
    """The record's details, with its first company and its lead academic."""

    company_id = SelectField(_l("Company"), validate_choice=False, validators=[_id_choice])
    company_role = SelectField(
        _l("Company's role"),
        choices=_choices(PARTY_ROLE_LABELS),
        validate_choice=False,
        default=PartyRole.PARTNER.value,
        validators=[_one_of(PartyRole)],
    )
    lead_id = SelectField(_l("Lead academic"), validate_choice=False, validators=[_id_choice])


class PartyForm(FlaskForm):
    party_id = SelectField(
        _l("Party"), validate_choice=False, validators=[DataRequired(), _id_choice]
    )
    role = SelectField(
        _l("Role"),
        choices=_choices(PARTY_ROLE_LABELS),
        validate_choice=False,
        validators=[_one_of(PartyRole)],
    )


class PersonForm(FlaskForm):
    user_id = SelectField(
        _l("Person"), validate_choice=False, validators=[DataRequired(), _id_choice]
    )
    role = SelectField(
        _l("Role"),
        choices=[
            (PersonRole.LEAD_ACADEMIC.value, _l("Lead academic")),
            (PersonRole.ACADEMIC.value, _l("Academic")),
            (PersonRole.COMPANY_CONTACT.value, _l("Company contact")),
        ],
        validate_choice=False,
        validators=[_one_of(PersonRole)],
    )


class StudentsForm(FlaskForm):
    profile_ids = SelectMultipleField(
        _l("Students"), validate_choice=False, validators=[DataRequired()]
    )

    def validate_profile_ids(self, field) -> None:
        if not all(str(v).isdigit() for v in field.data or []):
            raise ValidationError(_l("Choose from the list."))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])


class MilestoneStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=_choices(MILESTONE_LABELS),
        validate_choice=False,
        validators=[_one_of(MilestoneStatus)],
    )


class OutcomeForm(FlaskForm):
    kind = SelectField(
        _l("Outcome"),
        choices=_choices(OUTCOME_LABELS),
        validate_choice=False,
        validators=[_one_of(OutcomeKind)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    link = StringField(_l("Link"), validators=[Optional(), Length(max=300), web_address])


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=_choices(STATUS_LABELS),
        validate_choice=False,
        validators=[_one_of(CollaborationStatus)],
    )


def _link_choice(form, field) -> None:
    kind, _sep, number = (field.data or "").partition(":")
    if kind not in ("posting", "programme") or not number.isdigit() or int(number) > 2**31 - 1:
        raise ValidationError(_l("Choose a posting or a programme from the list."))


class LinkForm(FlaskForm):
    """Link a posting or a programme: the chooser's value is "posting:12" or "programme:3"."""

    target = SelectField(
        _l("Posting or programme"),
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose a posting or a programme from the list.")),
            _link_choice,
        ],
    )

    @property
    def chosen(self) -> tuple[str, int]:
        kind, _sep, number = self.target.data.partition(":")
        return kind, int(number)


class ActionForm(FlaskForm):
    """A button's form: the CSRF token only."""


class ProposalForm(FlaskForm):
    """A company proposes a collaboration to a faculty."""

    faculty_id = SelectField(
        _l("Faculty"), validate_choice=False, validators=[DataRequired(), _id_choice]
    )
    kind = SelectField(
        _l("Kind"),
        choices=_choices(KIND_LABELS),
        validate_choice=False,
        validators=[_one_of(CollaborationKind)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_LENGTH)])
    start_date = DateField(_l("Starts on"), validators=[DataRequired()])
    end_date = DateField(_l("Ends on"), validators=[Optional()])
    cash_hkd = StringField(_l("Cash value (HKD)"), validators=[_whole_hkd])
    in_kind_hkd = StringField(_l("In-kind value (HKD)"), validators=[_whole_hkd])
    funding_scheme = StringField(_l("Funding scheme"), validators=[Optional(), Length(max=80)])
    message = TextAreaField(_l("Message to the faculty"), validators=[Optional(), Length(max=2000)])

    def details(self) -> CollaborationDetails:
        return CollaborationDetails(
            kind=CollaborationKind(self.kind.data),
            title=self.title.data.strip(),
            summary=(self.summary.data or "").strip(),
            status=CollaborationStatus.PROPOSED,
            visibility=Visibility.SHARED,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            cash_hkd=int(self.cash_hkd.data),
            in_kind_hkd=int(self.in_kind_hkd.data),
            funding_scheme=(self.funding_scheme.data or "").strip(),
        )


class UpdateProposalForm(FlaskForm):
    """A company member proposes changes to a record shared with the company."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_LENGTH)])
    end_date = DateField(_l("Ends on"), validators=[Optional()])
    cash_hkd = StringField(_l("Cash value (HKD)"), validators=[_whole_hkd])
    in_kind_hkd = StringField(_l("In-kind value (HKD)"), validators=[_whole_hkd])
    message = TextAreaField(_l("Message to the faculty"), validators=[Optional(), Length(max=2000)])

    def changes(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "summary": (self.summary.data or "").strip(),
            "end_date": self.end_date.data,
            "cash_hkd": int(self.cash_hkd.data),
            "in_kind_hkd": int(self.in_kind_hkd.data),
        }


ATTACHMENT_ACCEPT = ",".join(
    [kind.extension for kind in DocumentKind] + [kind.mimetype for kind in DocumentKind]
)


class AttachmentForm(FlaskForm):
    """A file for the record; what it is, is read from its content by the service."""

    file = FileField(
        _l("File"),
        description=_l(
            "PDF, Word (.docx) or Excel (.xlsx), up to 20 MB. The file is checked by its "
            "content: a file renamed to look like one of these is refused."
        ),
        validators=[FileRequired(_l("Choose a file to attach."))],
        render_kw={
            "accept": ATTACHMENT_ACCEPT,
            "data-max-bytes": str(ATTACHMENT_MAX_BYTES),
            "data-too-large": _l("This file is larger than 20 MB. Make it smaller or split it."),
        },
    )
    description = StringField(
        _l("Description (optional)"),
        description=_l("e.g. “Signed agreement” or “Interim report, March”."),
        validators=[
            Optional(),
            Length(
                max=DESCRIPTION_LENGTH,
                message=_l("Keep the description to 200 characters."),
            ),
        ],
    )
    audience = SelectField(
        _l("Who sees it"),
        description=_l("The companies see the parties’ files only while the record is shared."),
        choices=_choices(AUDIENCE_LABELS),
        default=AttachmentAudience.PARTIES.value,
        validate_choice=False,
        validators=[_one_of(AttachmentAudience)],
    )
