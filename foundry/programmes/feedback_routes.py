"""After the event: a student's feedback form on a programme they attended, and the
organisers' page of a programme's feedback (figures, distribution, comments) with its CSV.

The rules are in feedback.py (when, how often) and foundry/policy.py (who:
"programme.give_feedback" over the student's attendance, "programme.view_feedback" over
the programme).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.audit.services import record
from foundry.db import utcnow
from foundry.errors import NotFound
from foundry.extensions import db
from foundry.programmes.attended import ProgrammeAttendee, attendee_of
from foundry.programmes.feedback import (
    feedback_closes_at,
    feedback_is_open,
    feedback_of,
    give_feedback,
)
from foundry.programmes.feedback_forms import RATING_WORDS, FeedbackForm
from foundry.programmes.feedback_queries import (
    comments_statement,
    feedback_export,
    feedback_summary,
)
from foundry.programmes.models import Programme
from foundry.programmes.organiser_routes import PROGRAMME_URL, organiser_of, programme_labels
from foundry.programmes.routes import visible_programme
from foundry.reports.charts import percent
from foundry.reports.exports import export_response
from foundry.students.services import profile_for
from foundry.web import on_refusal, page_from_request, require

bp = Blueprint("programme_feedback", __name__)
# The organisers' page shares their pages' breadcrumb and labels.
bp.context_processor(programme_labels)

COMMENTS_PER_PAGE = 20


def _attendee(programme_id: int) -> ProgrammeAttendee:
    """The signed-in student's attendance at the programme; only one who attended it (at
    a session that has ended) may go on."""
    require("area.student")
    programme = visible_programme(programme_id)
    attendee = attendee_of(profile_for(current_user), programme, utcnow())
    require("programme.give_feedback", attendee)
    return attendee


def _form_page(form: FeedbackForm, attendee: ProgrammeAttendee, refusal=None):
    if refusal is not None:
        form.show_error(refusal)
    programme, now = attendee.programme, utcnow()
    return render_template(
        "programmes/feedback.html",
        form=form,
        attendee=attendee,
        programme=programme,
        given=feedback_of(attendee.profile, programme),
        closes_at=feedback_closes_at(programme),
        is_open=feedback_is_open(programme, now),
    ), (getattr(refusal, "status_code", 400) if form.is_submitted() else 200)


@bp.route("/programmes/<int:programme_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(programme_id: int):
    attendee = _attendee(programme_id)
    given = feedback_of(attendee.profile, attendee.programme)
    saved = {"rating": str(given.rating), "comment": given.comment} if given else None
    form = FeedbackForm(data=saved)
    if not form.validate_on_submit():
        return _form_page(form, attendee)
    with on_refusal(lambda error: _form_page(form, attendee, error)):
        result = give_feedback(current_user, attendee, form.rating.data, form.comment.data)
    if result.edited:
        flash(_("Your feedback is changed."), "success")
    else:
        flash(_("Thank you: your feedback is saved."), "success")
    return redirect(url_for("programmes.view", programme_id=programme_id), 303)


# --- the organisers' side ----------------------------------------------------------------


def _programme(programme_id: int) -> Programme:
    programme = db.get_or_404(Programme, programme_id)
    require("programme.view_feedback", programme)
    return programme


@bp.get(f"{PROGRAMME_URL}/feedback")
@login_required
def organiser_feedback(programme_id: int):
    programme = _programme(programme_id)
    page = db.paginate(
        comments_statement(programme),
        page=page_from_request(),
        per_page=COMMENTS_PER_PAGE,
        error_out=False,
    )
    summary = feedback_summary(programme)
    return render_template(
        "programmes/organise/feedback.html",
        programme=programme,
        organiser=organiser_of(programme),
        summary=summary,
        # The chart's rows: each rating in words with its share, and its count beside it.
        distribution=[
            (f"{RATING_WORDS[str(rating)]} ({percent(summary.share(rating))})", answers)
            for rating, answers in summary.distribution.items()
        ],
        page=page,
    )


@bp.get(f"{PROGRAMME_URL}/feedback.<fmt>")
@login_required
def export_feedback(programme_id: int, fmt: str):
    """Audit the export, then stream it (the request's commit writes the audit line first)."""
    programme = _programme(programme_id)
    if fmt != "csv":
        raise NotFound(_("Feedback is exported as CSV."))
    export = feedback_export(programme, str(get_locale()))
    record(
        current_user,
        "programme.feedback_exported",
        programme,
        {"title": programme.title_en, "format": "CSV"},
    )
    return export_response(export, fmt)
