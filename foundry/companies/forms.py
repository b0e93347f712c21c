"""Company profile and verification forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from foundry.companies.labels import VERIFICATION_LABELS
from foundry.companies.models import CompanySize
from foundry.i18n import lazy_gettext as _l
from foundry.taxonomy import CLUSTER_LABELS, PARK_LOCATION_LABELS
from foundry.web_forms import web_address


class CompanyForm(FlaskForm):
    name = StringField(
        _l("Company name"),
        validators=[
            DataRequired(_l("Enter the company name.")),
            Length(max=160, message=_l("The name can be at most 160 characters.")),
        ],
    )
    name_zh = StringField(
        _l("Chinese name"),
        validators=[Optional(), Length(max=100, message=_l("At most 100 characters."))],
    )
    cluster = SelectField(
        _l("Cluster"), choices=[(c.value, label) for c, label in CLUSTER_LABELS.items()]
    )
    park_location = SelectField(
        _l("Park location"),
        choices=[(p.value, label) for p, label in PARK_LOCATION_LABELS.items()],
    )
    size = SelectField(_l("Size"), choices=[(s.value, s.value) for s in CompanySize])
    founded_year = IntegerField(
        _l("Founded"),
        validators=[
            Optional(),
            NumberRange(min=1900, max=2100, message=_l("Enter a year between 1900 and 2100.")),
        ],
    )
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            web_address,
            URL(message=_l("Enter a full address such as https://example.com.")),
            Length(max=300),
        ],
    )
    description = TextAreaField(
        _l("About the company"),
        validators=[Optional(), Length(max=5000, message=_l("Keep this to 5,000 characters."))],
    )


class VerificationForm(FlaskForm):
    status = SelectField(
        _l("Verification"),
        choices=[(s.value, label) for s, label in VERIFICATION_LABELS.items()],
    )
