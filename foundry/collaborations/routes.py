"""Collaboration pages: a faculty's portfolio (search, filters, totals, CSV and Excel), a
record's page, the new-record and edit forms, and the student's list. The record's
parties, people, milestones and outcomes are changed in manage_routes; the company's side
(its list, proposals) is in proposal_routes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry import policy
from foundry.collaborations import (
    attachments,
    labels,
    links,
    panels,
    queries,
    record_choices,
    services,
)
from foundry.collaborations import portfolio_routes as portfolios
from foundry.collaborations.filters import filters_from
from foundry.collaborations.forms import (
    ActionForm,
    AttachmentForm,
    DetailsForm,
    NewCollaborationForm,
    chosen_id,
)
from foundry.collaborations.models import Collaboration, PartyRole
from foundry.collaborations.proposals import pending_proposals
from foundry.errors import NotFound
from foundry.extensions import db
from foundry.placements.queries import verified_companies
from foundry.students.services import profile_for
from foundry.universities.models import Faculty
from foundry.web import on_refusal, page_from_request, require

bp = Blueprint("collaborations", __name__)


@bp.context_processor
def words():
    return {"L": labels}


def load_record(collaboration_id: int, action: str) -> Collaboration:
    """The record with what its page shows, if `action` is allowed on it (404, 403)."""
    record = queries.record_for_page(collaboration_id)
    if record is None:
        abort(404)
    require(action, record)
    return record


def _faculty(faculty_id: int, action: str) -> Faculty:
    faculty = db.get_or_404(Faculty, faculty_id)
    require(action, faculty)
    return faculty


@bp.get("/faculties/<int:faculty_id>/collaborations")
@login_required
def portfolio(faculty_id: int):
    return portfolios.show(portfolios.faculty_portfolio(_faculty(faculty_id, "collaboration.list")))


@bp.get("/faculties/<int:faculty_id>/collaborations.<fmt>")
@login_required
def export(faculty_id: int, fmt: str):
    faculty = _faculty(faculty_id, "collaboration.list")
    return portfolios.export(portfolios.faculty_portfolio(faculty), fmt)


def _new_form_page(faculty: Faculty, form, status: int = 200, error: str | None = None):
    form.company_id.choices = [("", _("— None yet —"))] + [
        (str(i), name) for i, name in verified_companies()
    ]
    form.lead_id.choices = [("", _("— Choose later —"))] + [
        (str(i), name) for i, name in queries.staff_choices([faculty.id])
    ]
    page = render_template(
        "collaborations/form.html", faculty=faculty, form=form, record=None, error=error
    )
    return page, status


@bp.route("/faculties/<int:faculty_id>/collaborations/new", methods=["GET", "POST"])
@login_required
def create(faculty_id: int):
    faculty = _faculty(faculty_id, "collaboration.create")
    form = NewCollaborationForm()
    if not form.validate_on_submit():
        return _new_form_page(faculty, form, 400 if form.is_submitted() else 200)
    with on_refusal(lambda error: _new_form_page(faculty, form, 400, error.message)):
        record = services.record_collaboration(
            current_user,
            faculty,
            form.details(),
            company_id=chosen_id(form.company_id),
            company_role=PartyRole(form.company_role.data),
            lead_id=chosen_id(form.lead_id),
        )
    flash(_("The collaboration is recorded."), "success")
    return redirect(url_for("collaborations.view", collaboration_id=record.id), 303)


@bp.get("/collaborations/<int:collaboration_id>")
@login_required
def view(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.view_summary")
    if not can_view_full(record):
        return render_template("collaborations/summary.html", record=record)
    produced = links.produced_by(record)
    return render_template(
        "collaborations/record.html",
        record=record,
        history=queries.history_of(
            record,
            faculty_only_lines=policy.can(current_user, "collaboration.view_faculty_only", record),
        ),
        hiring=queries.hiring_link(record),
        proposals=pending_proposals(record),
        produced=produced,
        manage=manage_context(record, produced),
        action_form=ActionForm(formdata=None),
        attachments=[
            attachment
            for attachment in attachments.attachments_of(record)
            if policy.can(current_user, "collaboration.download_attachment", attachment)
        ],
        attachment_form=AttachmentForm(formdata=None),
    )


def can_view_full(record: Collaboration) -> bool:
    return policy.can(current_user, "collaboration.view", record)


def manage_context(record: Collaboration, produced: list) -> dict:
    """The choosers of the record page's forms, for those who may change it: two
    statements (record_choices.py), one when the record ended and only takes links."""
    editable = policy.can(current_user, "collaboration.edit", record)
    if not policy.can(current_user, "collaboration.add_outcome", record):
        return {}
    chosen = record_choices.party_and_link_choices(record, produced, parties=editable)
    context = {
        "companies": chosen["company"],
        "faculties": chosen["faculty"],
        "postings": chosen["posting"],
        "programmes": chosen["programme"],
    }
    if editable:
        context.update(record_choices.people_choices(record))
    return context


def _edit_page(record: Collaboration, form, status: int = 200, error: str | None = None):
    page = render_template(
        "collaborations/form.html", faculty=record.faculty, form=form, record=record, error=error
    )
    return page, status


@bp.route("/collaborations/<int:collaboration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.edit")
    form = DetailsForm(obj=record if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data, form.status.data = record.kind.value, record.status.value
        form.visibility.data = record.visibility.value
        form.agreement_type.data = record.agreement_type.value if record.agreement_type else ""
        return _edit_page(record, form)
    if not form.validate_on_submit():
        return _edit_page(record, form, 400)
    with on_refusal(lambda error: _edit_page(record, form, 400, error.message)):
        services.update_collaboration(current_user, record, form.details())
    flash(_("The collaboration is saved."), "success")
    return redirect(url_for("collaborations.view", collaboration_id=record.id), 303)


@bp.get("/me/collaborations")
@login_required
def mine():
    require("area.student")
    profile = profile_for(current_user)
    if profile is None:
        raise NotFound(_("You have no student profile yet."))
    filters = filters_from(request.args)
    stmt = queries.list_statement(queries.seen_by_student(profile), filters).order_by(
        Collaboration.start_date.desc(), Collaboration.id.desc()
    )
    page = db.paginate(stmt, page=page_from_request(), per_page=queries.PAGE_SIZE, error_out=False)
    return render_template("collaborations/mine.html", page=page, profile=profile)


# Other domains' pages show collaborations through these (panels.py): their views stay as
# they are, and each panel asks the policy whom it may show what.
bp.add_app_template_global(panels.company_panel, "collaboration_company_panel")
bp.add_app_template_global(panels.dashboard_panel, "collaboration_dashboard_panel")
bp.add_app_template_global(panels.records_from, "collaborations_from")
bp.add_app_template_global(labels, "collaboration_labels")
