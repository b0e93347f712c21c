"""Forms of university sign-in: choosing the university, and a new student's first details."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from foundry.i18n import lazy_gettext as _l
from foundry.universities.models import StudyLevel

STUDY_LEVEL_LABELS = {
    StudyLevel.UG: _l("Undergraduate"),
    StudyLevel.PG: _l("Postgraduate (taught or research master's)"),
    StudyLevel.PHD: _l("PhD"),
}


class UniversityChoiceForm(FlaskForm):
    """Sign in with a university: picked by its code, or found from an e-mail address."""

    university = StringField(_l("University"), validators=[Optional(), Length(max=16)])
    email = StringField(_l("University e-mail address"), validators=[Optional(), Length(max=254)])
    next = HiddenField(validators=[Optional(), Length(max=2000)])


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class OnboardingForm(FlaskForm):
    study_level = SelectField(
        _l("Level of study"),
        choices=[("", _l("Choose…"))]
        + [(lvl.value, label) for lvl, label in STUDY_LEVEL_LABELS.items()],
        validators=[DataRequired(_l("Choose your level of study."))],
    )
    graduation_year = SelectField(
        _l("Expected graduation year"),
        coerce=_optional_int,
        validators=[DataRequired(_l("Choose the year you expect to graduate."))],
    )
    programme = SelectField(
        _l("Programme of study"),
        coerce=_optional_int,
        validators=[Optional()],
        description=_l("Optional. Only your faculty's programmes are listed."),
    )

    def set_choices(self, years, programmes, locale: str) -> None:
        self.graduation_year.choices = [("", _l("Choose…"))] + [(y, str(y)) for y in years]
        self.programme.choices = [("", _l("Not listed / choose later"))] + [
            (p.id, p.name(locale)) for p in programmes
        ]
