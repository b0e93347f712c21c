"""The check-in pages' forms (each also works without JavaScript)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from foundry.i18n import lazy_gettext as _l
from foundry.programmes.checkin_walkin import IDENTIFIER_MAX


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class CodeForm(FlaskForm):
    code = StringField(
        _l("Ticket code"),
        validators=[
            DataRequired(_l("Type the code shown under the ticket's QR code.")),
            Length(max=20, message=_l("A ticket code has 7 letters and digits.")),
        ],
    )


class WalkInForm(FlaskForm):
    identifier = StringField(
        _l("Student's e-mail or student number"),
        validators=[
            DataRequired(_l("Type the student's e-mail address or student number.")),
            Length(max=IDENTIFIER_MAX, message=_l("That is too long for an e-mail address.")),
        ],
    )
