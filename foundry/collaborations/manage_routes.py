"""The record page's small forms: status, parties, people, students, milestones, outcomes,
and the postings and programmes the collaboration produced.

Each posts to its own URL, is checked (the policy, the form, then the service's rules) and
goes back to the record page. A refusal answers 400 with the message, and the request's
work is rolled back (the domain-error handler discards it): nothing is stored half-way.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.collaborations import links, services
from foundry.collaborations.forms import (
    ActionForm,
    LinkForm,
    MilestoneForm,
    MilestoneStatusForm,
    OutcomeForm,
    PartyForm,
    PersonForm,
    StatusForm,
    StudentsForm,
)
from foundry.collaborations.models import (
    CollaborationStatus,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    PersonRole,
)
from foundry.collaborations.routes import load_record
from foundry.errors import InvalidInput
from foundry.web import confirm_or_ask, form_error_messages

bp = Blueprint("collaboration_manage", __name__)


def _submitted(form):
    """The form, valid; otherwise a 400 naming what is wrong."""
    if not form.validate_on_submit():
        raise InvalidInput(" ".join(form_error_messages(form)) or _("Your form expired."))
    return form


def _removing(record) -> dict:
    """The confirmation page's words for a removal (kept in the history, but asked first)."""
    cancel = url_for("collaborations.view", collaboration_id=record.id)
    return {"action": _("Remove"), "cancel_url": cancel, "detail": record.title}


def _back(record, anchor: str, message: str):
    flash(message, "success")
    return redirect(url_for("collaborations.view", collaboration_id=record.id, _anchor=anchor), 303)


@bp.post("/collaborations/<int:collaboration_id>/status")
@login_required
def status(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(StatusForm())
    services.change_status(current_user, record, CollaborationStatus(form.status.data))
    return _back(record, "details", _("The status is changed."))


@bp.post("/collaborations/<int:collaboration_id>/companies")
@login_required
def add_company(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(PartyForm())
    services.add_company(current_user, record, int(form.party_id.data), PartyRole(form.role.data))
    return _back(record, "parties", _("The company is a party."))


@bp.post("/collaborations/<int:collaboration_id>/companies/<int:company_id>/remove")
@login_required
def remove_company(collaboration_id: int, company_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    confirm_or_ask(_("Remove this company from the collaboration?"), **_removing(record))
    _submitted(ActionForm())
    services.remove_company(current_user, record, company_id)
    return _back(record, "parties", _("The company is no longer a party."))


@bp.post("/collaborations/<int:collaboration_id>/faculties")
@login_required
def add_faculty(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(PartyForm())
    services.add_faculty(current_user, record, int(form.party_id.data), PartyRole(form.role.data))
    return _back(record, "parties", _("The faculty is a party."))


@bp.post("/collaborations/<int:collaboration_id>/faculties/<int:faculty_id>/remove")
@login_required
def remove_faculty(collaboration_id: int, faculty_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    confirm_or_ask(_("Remove this faculty from the collaboration?"), **_removing(record))
    _submitted(ActionForm())
    services.remove_faculty(current_user, record, faculty_id)
    return _back(record, "parties", _("The faculty is no longer a party."))


@bp.post("/collaborations/<int:collaboration_id>/people")
@login_required
def add_person(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(PersonForm())
    services.add_person(current_user, record, int(form.user_id.data), PersonRole(form.role.data))
    return _back(record, "people", _("The person is named."))


@bp.post("/collaborations/<int:collaboration_id>/people/<int:user_id>/remove")
@login_required
def remove_person(collaboration_id: int, user_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    confirm_or_ask(_("Remove this person from the collaboration?"), **_removing(record))
    _submitted(ActionForm())
    services.remove_person(current_user, record, user_id)
    return _back(record, "people", _("The person is no longer named."))


@bp.post("/collaborations/<int:collaboration_id>/students")
@login_required
def add_students(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(StudentsForm())
    added = services.add_students(current_user, record, [int(v) for v in form.profile_ids.data])
    return _back(record, "people", _("Students added: %(count)d.", count=added))


@bp.post("/collaborations/<int:collaboration_id>/students/<int:profile_id>/remove")
@login_required
def remove_student(collaboration_id: int, profile_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    confirm_or_ask(_("Remove this student from the collaboration?"), **_removing(record))
    _submitted(ActionForm())
    services.remove_student(current_user, record, profile_id)
    return _back(record, "people", _("The student no longer takes part."))


@bp.post("/collaborations/<int:collaboration_id>/milestones")
@login_required
def add_milestone(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(MilestoneForm())
    services.add_milestone(current_user, record, form.title.data, form.due_on.data)
    return _back(record, "milestones", _("The milestone is added."))


@bp.post("/collaborations/<int:collaboration_id>/milestones/<int:milestone_id>/status")
@login_required
def milestone_status(collaboration_id: int, milestone_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = _submitted(MilestoneStatusForm())
    services.set_milestone_status(
        current_user, record, milestone_id, MilestoneStatus(form.status.data)
    )
    return _back(record, "milestones", _("The milestone is updated."))


@bp.post("/collaborations/<int:collaboration_id>/outcomes")
@login_required
def add_outcome(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.add_outcome")
    form = _submitted(OutcomeForm())
    services.add_outcome(
        current_user, record, OutcomeKind(form.kind.data), form.title.data, form.link.data
    )
    return _back(record, "outcomes", _("The outcome is recorded."))


@bp.post("/collaborations/<int:collaboration_id>/links")
@login_required
def add_link(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.add_outcome")
    kind, target_id = _submitted(LinkForm()).chosen
    if kind == "posting":
        links.link_posting(current_user, record, target_id)
    else:
        links.link_programme(current_user, record, target_id)
    return _back(record, "produced", _("The link is recorded."))


@bp.post("/collaborations/<int:collaboration_id>/links/<kind>/<int:target_id>/remove")
@login_required
def remove_link(collaboration_id: int, kind: str, target_id: int):
    record = load_record(collaboration_id, "collaboration.add_outcome")
    if kind not in ("posting", "programme"):
        abort(404)
    confirm_or_ask(_("Remove this link from the collaboration?"), **_removing(record))
    _submitted(ActionForm())
    if kind == "posting":
        links.unlink_posting(current_user, record, target_id)
    else:
        links.unlink_programme(current_user, record, target_id)
    return _back(record, "produced", _("The link is removed."))
