"""The student's profile and CV forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from foundry import clock
from foundry.i18n import lazy_gettext as _l
from foundry.students.labels import PROFICIENCY_LABELS, STUDY_LEVEL_LABELS
from foundry.students.models import Proficiency
from foundry.taxonomy import LANGUAGE_LABELS, THEME_LABELS, Theme
from foundry.web_forms import web_address

LANGUAGE_ROWS = 4


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LanguageRow(Form):
    language = SelectField(
        _l("Language"),
        choices=[("", "—")] + [(code, label) for code, label in LANGUAGE_LABELS.items()],
        validators=[Optional()],
    )
    proficiency = SelectField(
        _l("Level"),
        choices=[(p.value, label) for p, label in PROFICIENCY_LABELS.items()],
        default=Proficiency.WORKING.value,
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("Your name can be at most 120 characters.")),
        ],
    )
    headline = StringField(
        _l("Headline"),
        description=_l("One line about you, e.g. “Year 3 computer engineering, robotics”."),
        validators=[
            Optional(),
            Length(max=160, message=_l("Keep the headline to 160 characters.")),
        ],
    )
    faculty_id = SelectField(_l("Faculty"), coerce=int, validate_choice=False)
    programme_id = SelectField(
        _l("Programme of study"), coerce=_optional_int, validate_choice=False
    )
    study_level = SelectField(
        _l("Study level"),
        choices=[(level.value, label) for level, label in STUDY_LEVEL_LABELS.items()],
    )
    graduation_year = IntegerField(
        _l("Expected graduation year"),
        validators=[
            DataRequired(_l("Enter the year you expect to graduate.")),
            NumberRange(min=1990, max=2100, message=_l("Enter a year between 1990 and 2100.")),
        ],
    )
    about = TextAreaField(
        _l("About me"),
        validators=[Optional(), Length(max=4000, message=_l("Keep this to 4,000 characters."))],
    )
    skills = StringField(
        _l("Skills"),
        description=_l("Separate skills with commas, e.g. python, pytorch, verilog."),
        validators=[Optional(), Length(max=1500, message=_l("That is too long a list of skills."))],
    )
    languages = FieldList(
        FormField(LanguageRow), min_entries=LANGUAGE_ROWS, max_entries=LANGUAGE_ROWS
    )
    themes = MultiCheckboxField(
        _l("Themes that interest me"),
        choices=[(theme.value, label) for theme, label in THEME_LABELS.items()],
    )
    linkedin_url = URLField(
        _l("LinkedIn"), validators=[Optional(), web_address, URL(), Length(max=300)]
    )
    github_url = URLField(
        _l("GitHub"), validators=[Optional(), web_address, URL(), Length(max=300)]
    )
    website_url = URLField(
        _l("Website"), validators=[Optional(), web_address, URL(), Length(max=300)]
    )
    non_local = BooleanField(_l("I am a non-local student (e.g. studying on a visa)"))
    talent_pool_opt_in = BooleanField(
        _l("Show my profile in the Talent Pool that verified park companies can search")
    )

    def set_choices(self, faculties, locale: str) -> None:
        self.faculty_id.choices = [(f.id, f.name(locale)) for f in faculties]
        self.programme_id.choices = [("", "—")] + [
            (p.id, f"{p.name(locale)} ({f.name(locale)})") for f in faculties for p in f.programmes
        ]

    def validate_graduation_year(self, field) -> None:
        if field.data is not None and field.data > clock.now().year + 8:
            raise ValidationError(_l("That graduation year is too far ahead."))

    def validate_languages(self, field) -> None:
        codes = [row.form.language.data for row in field.entries if row.form.language.data]
        if len(codes) != len(set(codes)):
            raise ValidationError(_l("List each language once."))

    def chosen_languages(self) -> dict[str, Proficiency]:
        return {
            row.form.language.data: Proficiency(row.form.proficiency.data)
            for row in self.languages.entries
            if row.form.language.data
        }

    def chosen_themes(self) -> list[Theme]:
        return [Theme(value) for value in self.themes.data or []]


class CVUploadForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For you to tell your CVs apart, e.g. “Software internships”."),
        validators=[
            DataRequired(_l("Give the CV a title.")),
            Length(max=120, message=_l("Keep the title to 120 characters.")),
        ],
    )
    file = FileField(
        _l("PDF file (up to 5 MB)"),
        validators=[FileRequired(_l("Choose a PDF file to upload."))],
        render_kw={
            "accept": "application/pdf,.pdf",
            "data-max-bytes": str(5 * 1024 * 1024),
            "data-too-large": _l("This file is larger than 5 MB. Choose a smaller PDF."),
        },
    )


class DeleteForm(FlaskForm):
    """Only the CSRF token."""
