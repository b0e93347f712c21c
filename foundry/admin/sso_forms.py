"""The park admin's form for a university's OpenID Connect connection."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from foundry.extensions import db
from foundry.i18n import lazy_gettext as _l
from foundry.sso.models import DEFAULT_SCOPES
from foundry.universities.models import University, UniversityDomain

# A DNS name: labels of letters, digits and hyphens, at least two, the last not all digits.
DOMAIN_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?!\d+$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
# Claim names are JSON keys chosen by the IdP: keep them to printable, unspaced text.
CLAIM_PATTERN = re.compile(r"^[A-Za-z0-9_.:/-]{1,100}$")
SCOPE_PATTERN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")  # RFC 6749 scope-token
MAX_DOMAINS = 20

# (form field, key of configure_connection's claims, label, required)
CLAIM_FIELDS = (
    ("claim_email", "email", _l("E-mail claim"), True),
    ("claim_name", "name", _l("Name claim"), True),
    ("claim_student_number", "student_number", _l("Student number claim"), True),
    ("claim_faculty", "faculty", _l("Faculty claim"), True),
    ("claim_affiliation", "affiliation", _l("Affiliation claim"), True),
    ("claim_staff_role", "staff_role", _l("Staff role claim (optional)"), False),
    ("claim_study_level", "study_level", _l("Study level claim (optional)"), False),
    ("claim_graduation_year", "graduation_year", _l("Graduation year claim (optional)"), False),
)


def split_domains(raw: str | None) -> list[str]:
    """Domains typed one a line or separated by commas, lower-case, each once."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", (raw or "").strip().lower()):
        part = part.strip().rstrip(".").removeprefix("@")
        if part and part not in seen:
            seen.append(part)
    return seen


def _claim_name(form, field) -> None:
    if field.data and not CLAIM_PATTERN.match(field.data.strip()):
        raise ValidationError(
            _l("Use the claim's name as the IdP sends it: letters, digits and _ . : / - only.")
        )


def _claim_field(label, required: bool) -> StringField:
    first = (
        DataRequired(_l("Enter the name of this claim."))
        if required
        else Optional(strip_whitespace=True)
    )
    return StringField(
        label,
        validators=[first, Length(max=100, message=_l("At most 100 characters.")), _claim_name],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


class SsoConnectionForm(FlaskForm):
    issuer = StringField(
        _l("Issuer URL"),
        validators=[
            DataRequired(_l("Enter the issuer URL of the university's identity provider.")),
            Length(max=500, message=_l("At most 500 characters.")),
        ],
        description=_l(
            "Exactly as in the IdP's discovery document, e.g. https://login.example.edu.hk/oidc"
        ),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    client_id = StringField(
        _l("Client ID"),
        validators=[
            DataRequired(_l("Enter the client ID the IdP gave us.")),
            Length(max=255, message=_l("At most 255 characters.")),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    client_secret = PasswordField(
        _l("Client secret"),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters."))],
    )
    scopes = StringField(
        _l("Scopes"),
        default=DEFAULT_SCOPES,
        validators=[
            DataRequired(_l("Enter the scopes to ask for; openid is required.")),
            Length(max=500, message=_l("At most 500 characters.")),
        ],
        description=_l("Separated by spaces; must include openid."),
    )
    domains = TextAreaField(
        _l("E-mail domains"),
        validators=[
            DataRequired(_l("Enter at least one e-mail domain of the university.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
        description=_l(
            "The addresses this IdP may vouch for, e.g. connect.ust.hk. One a line or "
            "separated by commas."
        ),
    )
    claim_email = _claim_field(*CLAIM_FIELDS[0][2:])
    claim_name = _claim_field(*CLAIM_FIELDS[1][2:])
    claim_student_number = _claim_field(*CLAIM_FIELDS[2][2:])
    claim_faculty = _claim_field(*CLAIM_FIELDS[3][2:])
    claim_affiliation = _claim_field(*CLAIM_FIELDS[4][2:])
    claim_staff_role = _claim_field(*CLAIM_FIELDS[5][2:])
    claim_study_level = _claim_field(*CLAIM_FIELDS[6][2:])
    claim_graduation_year = _claim_field(*CLAIM_FIELDS[7][2:])
    enabled = BooleanField(_l("Enabled: people of this university can sign in"))

    def __init__(self, university: University, has_secret: bool, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.university = university
        self.has_secret = has_secret

    def validate_issuer(self, field) -> None:
        parts = urlsplit(field.data or "")
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError(_l("Enter a full URL starting with https://."))
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValidationError(
                _l("An issuer URL has no query, fragment or user name: copy it from the IdP.")
            )

    def validate_client_id(self, field) -> None:
        if any(ord(c) < 33 or ord(c) == 127 for c in field.data):
            raise ValidationError(_l("A client ID has no spaces or control characters."))

    def validate_client_secret(self, field) -> None:
        if not field.data and not self.has_secret:
            raise ValidationError(_l("Enter the client secret the IdP gave us."))
        if field.data and any(ord(c) < 32 or ord(c) == 127 for c in field.data):
            raise ValidationError(_l("A client secret has no control characters."))

    def validate_scopes(self, field) -> None:
        scopes = field.data.split()
        if "openid" not in scopes:
            raise ValidationError(_l("The scopes must include openid."))
        if not all(SCOPE_PATTERN.match(s) for s in scopes):
            raise ValidationError(_l("Scopes are words separated by spaces, without quotes."))

    def validate_domains(self, field) -> None:
        domains = split_domains(field.data)
        if not domains:
            raise ValidationError(_l("Enter at least one e-mail domain of the university."))
        if len(domains) > MAX_DOMAINS:
            raise ValidationError(_l("At most %(n)d domains.", n=MAX_DOMAINS))
        bad = [d for d in domains if not DOMAIN_PATTERN.match(d)]
        if bad:
            raise ValidationError(
                _l("Not an e-mail domain: %(domains)s.", domains=", ".join(d[:60] for d in bad[:3]))
            )
        taken = db.session.execute(
            sa.select(UniversityDomain.domain, University.code)
            .join(University, University.id == UniversityDomain.university_id)
            .where(UniversityDomain.domain.in_(domains), University.id != self.university.id)
        ).all()
        if taken:
            raise ValidationError(
                _l(
                    "%(domains)s belongs to another university (%(codes)s).",
                    domains=", ".join(d for d, _c in taken),
                    codes=", ".join(sorted({c for _d, c in taken})),
                )
            )

    def claims(self) -> dict[str, str | None]:
        return {key: (getattr(self, name).data or None) for name, key, _l_, _r in CLAIM_FIELDS}


class CheckConnectionForm(FlaskForm):
    """Only the CSRF token: the check makes requests to the IdP, so it is a POST."""
