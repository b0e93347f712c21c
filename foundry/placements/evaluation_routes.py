"""Placement evaluations (endpoints placement_evaluations.*): staff ask a supervisor for an
evaluation or withdraw the request, and the public page where the supervisor answers it by
its single-use link. The pages show the placements blueprint's labels."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import DomainError, InvalidInput
from foundry.extensions import db
from foundry.placements import evaluations as ev
from foundry.placements.forms import ActionForm, EvaluationForm, EvaluationRequestForm
from foundry.placements.models import EvaluationStage, PlacementEvaluation
from foundry.placements.routes import _detail_page, _placement, labels
from foundry.unit_of_work import discard
from foundry.web import confirm_or_ask, on_refusal, require

bp = Blueprint("placement_evaluations", __name__)
bp.context_processor(labels)

# --- staff: request or withdraw an evaluation ---------------------------------------------


def _stage(raw: str) -> EvaluationStage:
    try:
        return EvaluationStage(raw)
    except ValueError:
        abort(404)


@bp.post("/placements/<int:placement_id>/evaluations/<stage>")
@login_required
def request_evaluation(placement_id: int, stage: str):
    placement = _placement(placement_id, "placement.record")
    stage_value = _stage(stage)
    form = EvaluationRequestForm(prefix=stage_value.value)
    if not form.validate_on_submit():
        return _detail_page(placement, 400, **{f"request_{stage_value.value}": form})
    ev.request_evaluation(
        current_user,
        placement,
        stage_value,
        form.supervisor_name.data,
        form.supervisor_email.data,
    )
    flash(
        _(
            "The link is on its way to %(email)s. It works once, for 30 days.",
            email=form.supervisor_email.data,
        ),
        "success",
    )
    return redirect(
        url_for("placements.detail", placement_id=placement.id, _anchor="evaluations"), 303
    )


@bp.post("/placements/evaluations/<int:evaluation_id>/revoke")
@login_required
def revoke_evaluation(evaluation_id: int):
    evaluation = db.get_or_404(PlacementEvaluation, evaluation_id)
    require("placement.record", evaluation)
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    confirm_or_ask(
        _("Withdraw the request sent to %(name)s?", name=evaluation.supervisor_name),
        detail=_("The link in their e-mail will stop working."),
        action=_("Withdraw the request"),
        cancel_url=url_for(
            "placements.detail", placement_id=evaluation.placement_id, _anchor="evaluations"
        ),
    )
    ev.revoke_evaluation(current_user, evaluation)
    flash(_("The request is withdrawn: its link no longer works."), "info")
    return redirect(
        url_for("placements.detail", placement_id=evaluation.placement_id, _anchor="evaluations"),
        303,
    )


# --- the supervisor (public, by link) -----------------------------------------------------

PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _private(page, status: int):
    """The token is in the URL: keep it out of Referer headers and caches."""
    return page, status, PRIVATE_HEADERS


def _closed(evaluation: PlacementEvaluation | None, error: DomainError | None, status: int):
    page = render_template("placements/evaluation_closed.html", evaluation=evaluation, error=error)
    return _private(page, status)


def _answers(form: EvaluationForm) -> ev.Answers:
    return ev.Answers(
        overall=int(form.rating_overall.data),
        technical=int(form.rating_technical.data),
        professional=int(form.rating_professional.data),
        communication=int(form.rating_communication.data),
        strengths=form.strengths.data,
        improvements=form.improvements.data,
        would_host_again=form.would_host_again.data == "yes",
    )


@bp.route("/evaluations/<token>", methods=["GET", "POST"])
def evaluation(token: str):
    """Public: the supervisor's link. Answered once; afterwards it says thank you."""
    with _unusable_link():
        evaluation = ev.find_by_token(token)
    if evaluation.submitted_at is not None:
        return _closed(evaluation, None, 409 if request.method == "POST" else 200)
    form = EvaluationForm()
    if form.validate_on_submit():
        if ev.submit_evaluation(evaluation, token, _answers(form)):
            flash(_("Thank you. Your evaluation is sent to the faculty."), "success")
            response = redirect(url_for("placement_evaluations.evaluation", token=token), 303)
            response.headers.update(PRIVATE_HEADERS)
            return response
        return evaluation_lost_race(token)
    page = render_template("placements/evaluation.html", evaluation=evaluation, form=form)
    return _private(page, 400 if form.is_submitted() else 200)


def evaluation_lost_race(token: str):
    """Answered, withdrawn or expired a moment ago: read again, it says which."""
    discard()
    with _unusable_link():
        evaluation = ev.find_by_token(token)
    return _closed(evaluation, None, 409)


def _unusable_link():
    return on_refusal(
        lambda error: _closed(None, error, error.status_code), catching=ev.EvaluationUnusable
    )
