"""The company's side of collaborations: the records shared with a company and its
proposals; proposing a collaboration to a faculty, or an update to a shared record; and
the faculty's answer (accept, decline)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from foundry import policy
from foundry.collaborations import labels, proposals, queries
from foundry.collaborations import portfolio_routes as portfolios
from foundry.collaborations.forms import ActionForm, ProposalForm, UpdateProposalForm
from foundry.collaborations.models import Collaboration, Proposal
from foundry.collaborations.routes import load_record
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.web import (
    confirm_or_ask,
    form_error_messages,
    on_refusal,
    require,
)

bp = Blueprint("collaboration_proposals", __name__)


@bp.context_processor
def words():
    return {"L": labels}


def _company(slug: str, action: str) -> Company:
    company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
    if company is None:
        abort(404)
    require(action, company)
    return company


@bp.get("/companies/<slug>/collaborations")
@login_required
def company_list(slug: str):
    """The company's portfolio: the records it is party to that it may see, and the
    proposals it sent."""
    company = _company(slug, "collaboration.company_list")
    sent = db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.company_id == company.id)
        .options(joinedload(Proposal.collaboration))
        .order_by(Proposal.proposed_at.desc(), Proposal.id.desc())
        .limit(20)
    ).all()
    return portfolios.show(
        portfolios.company_portfolio(company),
        "collaborations/company_list.html",
        company=company,
        sent=sent,
    )


def _proposal_page(company: Company, form, status: int = 200, error: str | None = None):
    form.faculty_id.choices = [("", _("— Choose a faculty —"))] + [
        (str(i), name) for i, name in queries.faculty_choices()
    ]
    page = render_template(
        "collaborations/propose.html", company=company, form=form, record=None, error=error
    )
    return page, status


@bp.route("/companies/<slug>/collaborations/propose", methods=["GET", "POST"])
@login_required
def propose(slug: str):
    company = _company(slug, "collaboration.propose")
    form = ProposalForm()
    if not form.validate_on_submit():
        return _proposal_page(company, form, 400 if form.is_submitted() else 200)
    with on_refusal(lambda error: _proposal_page(company, form, 400, error.message)):
        proposals.propose_collaboration(
            current_user, company, int(form.faculty_id.data), form.details(), form.message.data
        )
    flash(_("Your proposal is sent to the faculty."), "success")
    return redirect(url_for("collaboration_proposals.company_list", slug=company.slug), 303)


def _own_company(record: Collaboration) -> Company:
    """The party company the user is a member of (the one their proposal speaks for)."""
    for party in record.company_parties:
        if policy.can(current_user, "company.view_members", party.company):
            return party.company
    raise InvalidInput(_("Propose updates for your own company."))


def _update_page(record, form, status: int = 200, error: str | None = None):
    page = render_template(
        "collaborations/propose.html", company=None, form=form, record=record, error=error
    )
    return page, status


@bp.route("/collaborations/<int:collaboration_id>/propose-update", methods=["GET", "POST"])
@login_required
def propose_update(collaboration_id: int):
    record = load_record(collaboration_id, "collaboration.propose_update")
    company = _own_company(record)
    form = UpdateProposalForm(obj=record if request.method == "GET" else None)
    if request.method == "GET" or not form.validate_on_submit():
        return _update_page(record, form, 400 if form.is_submitted() else 200)
    with on_refusal(lambda error: _update_page(record, form, 400, error.message)):
        proposals.propose_update(current_user, record, company, form.changes(), form.message.data)
    flash(_("Your proposed update is sent to the faculty."), "success")
    return redirect(url_for("collaborations.view", collaboration_id=record.id), 303)


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    require("collaboration.decide", proposal)
    return proposal


def _checked(proposal: Proposal) -> Proposal:
    if not ActionForm().validate_on_submit():
        raise InvalidInput(" ".join(form_error_messages(ActionForm())) or _("Your form expired."))
    return proposal


@bp.post("/collaborations/proposals/<int:proposal_id>/accept")
@login_required
def accept(proposal_id: int):
    proposal = _checked(_proposal(proposal_id))
    proposals.accept_proposal(current_user, proposal)
    flash(_("The proposal is accepted."), "success")
    return redirect(url_for("collaborations.view", collaboration_id=proposal.collaboration_id), 303)


@bp.post("/collaborations/proposals/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int):
    proposal = _proposal(proposal_id)
    confirm_or_ask(
        _("Decline this proposal?"),
        action=_("Decline"),
        cancel_url=url_for("collaborations.view", collaboration_id=proposal.collaboration_id),
        detail=proposal.collaboration.title,
    )
    _checked(proposal)
    proposals.decline_proposal(current_user, proposal)
    flash(_("The proposal is declined."), "info")
    return redirect(url_for("collaborations.view", collaboration_id=proposal.collaboration_id), 303)
