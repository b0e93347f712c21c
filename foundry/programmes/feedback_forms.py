"""The student's feedback form: a rating from 1 to 5 (radio buttons) and a comment."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from foundry.i18n import lazy_gettext as _l
from foundry.programmes.feedback_models import COMMENT_MAX, MAX_RATING, MIN_RATING

RATINGS = [str(value) for value in range(MAX_RATING, MIN_RATING - 1, -1)]
RATING_WORDS = {
    "5": _l("5 – Excellent"),
    "4": _l("4 – Good"),
    "3": _l("3 – Fair"),
    "2": _l("2 – Poor"),
    "1": _l("1 – Very poor"),
}
_CHOOSE = _l("Choose a rating from 1 to 5.")
_TOO_LONG = _l("Keep the comment to %(n)d characters.", n=COMMENT_MAX)


class FeedbackForm(FlaskForm):
    # validate_choice off: a value outside 1–5 gets our message, not WTForms' own.
    rating = RadioField(
        _l("How useful was this programme to you?"),
        choices=[(value, RATING_WORDS[value]) for value in RATINGS],
        validate_choice=False,
        validators=[InputRequired(_CHOOSE), AnyOf(RATINGS, message=_CHOOSE)],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=_TOO_LONG),
        ],
        render_kw={"maxlength": COMMENT_MAX, "rows": 5},
    )

    def show_error(self, error) -> None:
        """Put a service's refusal under the field it names (else under the rating)."""
        target = getattr(self, getattr(error, "field", "") or "rating", self.rating)
        target.errors = [*target.errors, error.message]
