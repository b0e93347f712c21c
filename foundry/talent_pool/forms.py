"""The form that invites a student from the Talent Pool to apply to a posting."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from foundry.i18n import lazy_gettext as _l
from foundry.talent_pool.services import MAX_MESSAGE_LENGTH


def _posting_id(value):
    """The chosen posting's id; anything that is not a whole number counts as no choice."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class InvitationForm(FlaskForm):
    # Any id is accepted here: the service says clearly why a posting cannot be chosen
    # (another company's, closed, past its deadline), which a bare "not a valid choice"
    # would not.
    posting_id = SelectField(
        _l("Posting"),
        coerce=_posting_id,
        validate_choice=False,
        validators=[DataRequired(_l("Choose the posting to invite the student to."))],
    )
    message = TextAreaField(
        _l("Message (optional)"),
        description=_l("A line on why you think they fit. Up to 2,000 characters."),
        validators=[
            Optional(),
            Length(max=MAX_MESSAGE_LENGTH, message=_l("Keep the message to 2,000 characters.")),
        ],
        render_kw={"maxlength": str(MAX_MESSAGE_LENGTH)},
    )

    def set_postings(self, postings) -> None:
        self.posting_id.choices = [("", "—")] + [(p.id, p.title) for p in postings]
