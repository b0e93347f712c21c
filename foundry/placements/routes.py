"""Placement records: the student's placements (confirm, or say what is wrong); staff's
placements and graduate outcome of a student (record, edit, completion). Evaluation
requests and the supervisor's public page are in evaluation_routes, on the same blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.errors import DomainError, InvalidInput, NotFound
from foundry.extensions import db
from foundry.placements import evaluations as ev
from foundry.placements import outcomes, services
from foundry.placements.forms import (
    FOUND_VIA_SUGGESTIONS,
    ActionForm,
    CompletionForm,
    DisputeForm,
    EvaluationRequestForm,
    OutcomeForm,
    PlacementForm,
    chosen_company_id,
)
from foundry.placements.labels import COMPLETION_LABELS, OUTCOME_LABELS
from foundry.placements.models import (
    EvaluationStage,
    Outcome,
    Placement,
    PlacementCompletion,
    PlacementSource,
)
from foundry.placements.queries import (
    latest_objections,
    placement_with_evaluations,
    placements_of,
    verified_companies,
)
from foundry.postings.labels import KIND_LABELS
from foundry.postings.models import PostingKind
from foundry.students.models import StudentProfile
from foundry.students.queries import profile_without_lists
from foundry.students.services import profile_for
from foundry.web import confirm_or_ask, on_refusal, require

bp = Blueprint("placements", __name__)


@bp.context_processor
def labels():
    return {
        "KIND_LABELS": KIND_LABELS,
        "COMPLETION_LABELS": COMPLETION_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "STAGE_LABELS": ev.STAGE_LABELS,
        "EvaluationState": ev.EvaluationState,
        "state_of": ev.state_of,
        "agreed_on": services.agreed_on,
        "PlacementSource": PlacementSource,
    }


def _placement(placement_id: int, action: str) -> Placement:
    placement = placement_with_evaluations(placement_id)
    if placement is None:
        abort(404)
    require(action, placement)
    return placement


def _profile(profile_id: int, action: str) -> StudentProfile:
    profile = db.get_or_404(StudentProfile, profile_id, options=profile_without_lists())
    require(action, profile)
    return profile


# --- the student ------------------------------------------------------------------------


def _my_profile() -> StudentProfile:
    require("area.student")
    profile = profile_for(current_user)
    if profile is None:
        raise NotFound(_("You have no student profile yet."))
    return profile


def _mine_page(profile: StudentProfile, status: int = 200, dispute_forms: dict | None = None):
    placements = placements_of(profile)
    return render_template(
        "placements/mine.html",
        placements=placements,
        objections=latest_objections(placements),
        action_form=ActionForm(formdata=None),
        dispute_forms=dispute_forms or {},
        new_dispute_form=lambda placement_id: DisputeForm(formdata=None, prefix=f"p{placement_id}"),
    ), status


@bp.get("/me/placements")
@login_required
def mine():
    return _mine_page(_my_profile())


@bp.post("/placements/<int:placement_id>/confirm")
@login_required
def confirm(placement_id: int):
    placement = _placement(placement_id, "placement.confirm")
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    if services.confirm_placement(current_user, placement):
        flash(
            _(
                "Thank you: the placement at %(employer)s is confirmed.",
                employer=placement.employer,
            ),
            "success",
        )
    else:
        flash(_("You had already confirmed this placement."), "info")
    return redirect(url_for("placements.mine", _anchor=f"placement-{placement.id}"), 303)


@bp.post("/placements/<int:placement_id>/dispute")
@login_required
def dispute(placement_id: int):
    placement = _placement(placement_id, "placement.confirm")
    form = DisputeForm(prefix=f"p{placement.id}")
    if not form.validate_on_submit():
        return _mine_page(_my_profile(), 400, {placement_id: form})
    with on_refusal(
        lambda _refusal: _mine_page(_my_profile(), 400, {placement_id: form}),
        catching=InvalidInput,
        field=form.reason,
    ):
        services.dispute_placement(current_user, placement, form.reason.data)
    flash(_("Thank you. Your faculty's staff are told what is not right."), "success")
    return redirect(url_for("placements.mine", _anchor=f"placement-{placement.id}"), 303)


# --- staff: a student's placements and outcome ------------------------------------------


@bp.get("/students/<int:profile_id>/placements")
@login_required
def for_student(profile_id: int):
    profile = _profile(profile_id, "placement.record")
    placements = placements_of(profile)
    return render_template(
        "placements/for_student.html",
        profile=profile,
        placements=placements,
        objections=latest_objections(placements),
        outcome=outcomes.outcome_of(profile),
        remove_form=ActionForm(formdata=None),
    )


def _with_companies(form):
    choices = [("", _("— Not a park company —"))]
    form.company_id.choices = choices + [(str(i), name) for i, name in verified_companies()]
    return form


def _placement_details(form: PlacementForm) -> services.PlacementDetails:
    return services.PlacementDetails(
        company_id=chosen_company_id(form.company_id),
        employer_name=form.employer_name.data,
        role_title=form.role_title.data,
        kind=PostingKind(form.kind.data),
        agreed_on=form.agreed_on.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        supervisor_name=form.supervisor_name.data,
        supervisor_email=form.supervisor_email.data,
        notes=form.notes.data,
    )


def _placement_form_page(profile, form, placement=None, status=200, error=None):
    page = render_template(
        "placements/placement_form.html",
        profile=profile,
        form=form,
        placement=placement,
        error=error,
    )
    return page, status


@bp.route("/students/<int:profile_id>/placements/new", methods=["GET", "POST"])
@login_required
def record(profile_id: int):
    profile = _profile(profile_id, "placement.record")
    form = _with_companies(PlacementForm())
    if not form.validate_on_submit():
        return _placement_form_page(profile, form, status=400 if form.is_submitted() else 200)
    with on_refusal(
        lambda error: _placement_form_page(profile, form, status=400, error=error.message),
        catching=InvalidInput,
    ):
        placement = services.record_placement(current_user, profile, _placement_details(form))
    flash(_("The placement is recorded. The student is asked to confirm it."), "success")
    return redirect(url_for("placements.detail", placement_id=placement.id), 303)


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(placement_id: int):
    placement = _placement(placement_id, "placement.record")
    if placement.source is not PlacementSource.RECORDED:
        raise DomainError(_("A placement made on the portal cannot be edited."))
    form = _with_companies(PlacementForm(obj=None if request.method == "POST" else placement))
    if request.method == "GET":
        form.company_id.data = str(placement.company_id or "")
        form.kind.data = placement.kind.value if placement.kind else None
        form.agreed_on.data = services.agreed_on(placement)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _placement_form_page(placement.profile, form, placement, status)
    with on_refusal(
        lambda error: _placement_form_page(placement.profile, form, placement, 400, error.message),
        catching=InvalidInput,
    ):
        services.edit_placement(current_user, placement, _placement_details(form))
    flash(_("The placement is saved."), "success")
    return redirect(url_for("placements.detail", placement_id=placement.id), 303)


# --- staff: one placement: completion and evaluations -------------------------------------


def _request_form(placement: Placement, stage: EvaluationStage, evaluation=None):
    form = EvaluationRequestForm(formdata=None, prefix=stage.value)
    source = evaluation or placement
    form.supervisor_name.data = source.supervisor_name
    form.supervisor_email.data = source.supervisor_email
    return form


def _detail_page(placement: Placement, status: int = 200, error=None, **forms):
    evaluations = {e.stage: e for e in placement.evaluations}
    completion_form = forms.get("completion_form") or CompletionForm(formdata=None)
    if "completion_form" not in forms:
        completion_form.completion.data = placement.completion.value
        completion_form.completed_on.data = placement.completed_on
    request_forms = {
        stage: forms.get(f"request_{stage.value}")
        or _request_form(placement, stage, evaluations.get(stage))
        for stage in EvaluationStage
    }
    page = render_template(
        "placements/detail.html",
        placement=placement,
        evaluations=evaluations,
        objection=latest_objections([placement]).get(placement.id),
        completion_form=completion_form,
        request_forms=request_forms,
        action_form=ActionForm(formdata=None),
        error=error,
    )
    return page, status


@bp.get("/placements/<int:placement_id>")
@login_required
def detail(placement_id: int):
    return _detail_page(_placement(placement_id, "placement.record"))


@bp.post("/placements/<int:placement_id>/completion")
@login_required
def completion(placement_id: int):
    placement = _placement(placement_id, "placement.record")
    form = CompletionForm()
    if not form.validate_on_submit():
        return _detail_page(placement, 400, completion_form=form)
    with on_refusal(
        lambda _refusal: _detail_page(
            _placement(placement_id, "placement.record"), 400, completion_form=form
        ),
        catching=InvalidInput,
        field=form.completion,
    ):
        services.set_completion(
            current_user,
            placement,
            PlacementCompletion(form.completion.data),
            form.completed_on.data,
            form.note.data,
        )
    flash(_("The completion is saved."), "success")
    return redirect(url_for("placements.detail", placement_id=placement.id), 303)


# --- staff: the graduate outcome ----------------------------------------------------------


def _outcome_details(form: OutcomeForm) -> outcomes.OutcomeDetails:
    return outcomes.OutcomeDetails(
        outcome=Outcome(form.outcome.data),
        company_id=chosen_company_id(form.company_id),
        employer_name=form.employer_name.data,
        job_title=form.job_title.data,
        institution=form.institution.data,
        found_via=form.found_via.data,
        notes=form.notes.data,
    )


def _outcome_page(profile, form, outcome, status=200, error=None):
    page = render_template(
        "placements/outcome_form.html",
        profile=profile,
        form=form,
        outcome=outcome,
        error=error,
        suggestions=FOUND_VIA_SUGGESTIONS,
    )
    return page, status


@bp.route("/students/<int:profile_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(profile_id: int):
    profile = _profile(profile_id, "outcome.record")
    current = outcomes.outcome_of(profile)
    form = _with_companies(OutcomeForm(obj=None if request.method == "POST" else current))
    if request.method == "GET" and current is not None:
        form.outcome.data = current.outcome.value
        form.company_id.data = str(current.company_id or "")
    if not form.validate_on_submit():
        return _outcome_page(profile, form, current, 400 if form.is_submitted() else 200)
    with on_refusal(
        lambda error: _outcome_page(
            profile, form, outcomes.outcome_of(profile), 400, error.message
        ),
        catching=InvalidInput,
    ):
        outcomes.record_outcome(current_user, profile, _outcome_details(form))
    flash(_("The graduate outcome is saved."), "success")
    return redirect(
        url_for("placements.for_student", profile_id=profile.id, _anchor="outcome"), 303
    )


@bp.post("/students/<int:profile_id>/outcome/remove")
@login_required
def remove_outcome(profile_id: int):
    profile = _profile(profile_id, "outcome.record")
    if not ActionForm().validate_on_submit():
        raise InvalidInput(_("Your form expired. Reload the page and try again."))
    confirm_or_ask(
        _("Remove the recorded outcome of %(name)s?", name=profile.user.display_name),
        detail=_("The graduate's outcome will be unknown again."),
        action=_("Remove the outcome"),
        cancel_url=url_for("placements.for_student", profile_id=profile.id, _anchor="outcome"),
    )
    outcomes.remove_outcome(current_user, profile)
    flash(_("The recorded outcome is removed: the graduate's outcome is unknown again."), "info")
    return redirect(
        url_for("placements.for_student", profile_id=profile.id, _anchor="outcome"), 303
    )
