"""The company's side: a member of a company proposes a collaboration to a faculty, or
changes to a record shared with the company; the faculty's staff accept or decline.

A new proposal is a record in status "proposed", shared with the company, with a pending
Proposal row; accepting moves it to "negotiating", declining ends it ("terminated"). An
update proposal holds the changed fields: accepting applies them through the same service
staff use (so the history says who proposed and who accepted), declining keeps the record
as it was. Milestone reminders to the lead academic are here too: they are the faculty's
side of the conversation the company started.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from foundry import policy
from foundry.accounts.models import FACULTY_STAFF_ROLES, RoleMembership, User
from foundry.collaborations.models import (
    Collaboration,
    CollaborationPerson,
    CollaborationStatus,
    CompanyParty,
    FacultyParty,
    Milestone,
    MilestoneStatus,
    PartyRole,
    PersonRole,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Visibility,
)
from foundry.collaborations.services import (
    CollaborationDetails,
    check_details,
    record_change,
    update_collaboration,
)
from foundry.companies.models import Company
from foundry.db import utcnow
from foundry.errors import DomainError, InvalidInput
from foundry.extensions import db
from foundry.notifications.services import notify
from foundry.universities.models import Faculty

# What a company may propose to change on a shared record.
PROPOSABLE_FIELDS = ("title", "summary", "end_date", "cash_hkd", "in_kind_hkd")

# Milestones due within this many days are told to the lead academic.
REMINDER_DAYS = 14


def propose_collaboration(
    actor: User,
    company: Company,
    faculty_id: int | None,
    details: CollaborationDetails,
    message: str,
) -> Proposal:
    """A company member proposes a collaboration to a faculty."""
    policy.authorize(actor, "collaboration.propose", company)
    faculty = db.session.get(Faculty, faculty_id) if faculty_id else None
    if faculty is None:
        raise InvalidInput(_("Choose a faculty from the list."))
    details = replace(details, status=CollaborationStatus.PROPOSED, visibility=Visibility.SHARED)
    check_details(details)
    record = Collaboration(faculty_id=faculty.id, created_by_id=actor.id, **asdict(details))
    record.faculty_parties.append(FacultyParty(faculty_id=faculty.id, role=PartyRole.COORDINATOR))
    record.company_parties.append(CompanyParty(company_id=company.id, role=PartyRole.PARTNER))
    record.people.append(CollaborationPerson(user_id=actor.id, role=PersonRole.COMPANY_CONTACT))
    db.session.add(record)
    db.session.flush()
    proposal = Proposal(
        collaboration_id=record.id,
        company_id=company.id,
        kind=ProposalKind.NEW,
        message=(message or "").strip(),
        proposed_by_id=actor.id,
    )
    db.session.add(proposal)
    record_change(actor, record, "proposed", after={**asdict(details), "company": company.name})
    db.session.flush()
    for staff in _staff_of(faculty.id):
        notify(
            staff,
            "collaboration.proposed",
            record_path(record),
            company=company.name,
            title=record.title,
        )
    return proposal


def propose_update(
    actor: User, record: Collaboration, company: Company, changes: dict, message: str
) -> Proposal:
    """A member of a party company proposes changes to a record shared with it."""
    policy.authorize(actor, "collaboration.propose_update", record)
    if not policy.can(actor, "collaboration.be_contact", record) or not any(
        p.company_id == company.id for p in record.company_parties
    ):
        raise InvalidInput(_("Propose updates for your own company."))
    wanted = {
        name: value
        for name, value in changes.items()
        if name in PROPOSABLE_FIELDS and value != getattr(record, name)
    }
    if not wanted:
        raise InvalidInput(_("Change at least one detail to propose an update."))
    check_details(_details_of(record, wanted))
    proposal = Proposal(
        collaboration_id=record.id,
        company_id=company.id,
        kind=ProposalKind.UPDATE,
        changes={k: v.isoformat() if isinstance(v, date) else v for k, v in wanted.items()},
        message=(message or "").strip(),
        proposed_by_id=actor.id,
    )
    db.session.add(proposal)
    record_change(
        actor,
        record,
        "update_proposed",
        before={name: getattr(record, name) for name in wanted},
        after=wanted,
    )
    db.session.flush()
    leads = [p.user for p in record.people_in(PersonRole.LEAD_ACADEMIC)]
    for staff in leads or _staff_of(record.faculty_id):
        notify(
            staff,
            "collaboration.update_proposed",
            record_path(record),
            company=company.name,
            title=record.title,
        )
    return proposal


def _details_of(record: Collaboration, changes: dict) -> CollaborationDetails:
    current = {name: getattr(record, name) for name in CollaborationDetails.__dataclass_fields__}
    return CollaborationDetails(**{**current, **changes})


def _proposed_values(proposal: Proposal) -> dict:
    values = dict(proposal.changes)
    if values.get("end_date"):
        values["end_date"] = date.fromisoformat(values["end_date"])
    return values


def _require_pending(proposal: Proposal) -> None:
    if proposal.status is not ProposalStatus.PENDING:
        raise DomainError(_("This proposal was already answered."))


def accept_proposal(actor: User, proposal: Proposal) -> None:
    """The faculty accepts: a new collaboration goes on to negotiation; an update is applied."""
    policy.authorize(actor, "collaboration.decide", proposal)
    _require_pending(proposal)
    record = proposal.collaboration
    if proposal.kind is ProposalKind.NEW:
        record.status = CollaborationStatus.NEGOTIATING
        after = {"status": record.status}
        before = {"status": CollaborationStatus.PROPOSED}
    else:
        changed = update_collaboration(
            actor,
            record,
            _details_of(record, _proposed_values(proposal)),
            what="proposal_accepted",
        )
        before = {name: pair[0] for name, pair in changed.items()}
        after = {name: pair[1] for name, pair in changed.items()}
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    if proposal.kind is ProposalKind.NEW:
        record_change(actor, record, "proposal_accepted", before, after)
    db.session.flush()


def decline_proposal(actor: User, proposal: Proposal) -> None:
    """The faculty declines: a new collaboration ends there; an update is not applied."""
    policy.authorize(actor, "collaboration.decide", proposal)
    _require_pending(proposal)
    record = proposal.collaboration
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    before, after = {}, {"proposal": proposal.kind}
    if proposal.kind is ProposalKind.NEW:
        before, after = {"status": record.status}, {"status": CollaborationStatus.TERMINATED}
        record.status = CollaborationStatus.TERMINATED
    record_change(actor, record, "proposal_declined", before, after)
    db.session.flush()


def record_path(record: Collaboration) -> str:
    """The record's page, inside a request or not (a CLI command has none)."""
    values = {"collaboration_id": record.id}
    if has_request_context():
        return url_for("collaborations.view", **values)
    return current_app.url_map.bind("").build("collaborations.view", values)


def _staff_of(faculty_id: int) -> list[User]:
    """The faculty's staff, to be told of a proposal (a lookup of recipients)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RoleMembership, RoleMembership.user_id == User.id)
            .where(
                RoleMembership.faculty_id == faculty_id,
                RoleMembership.role.in_(sorted(FACULTY_STAFF_ROLES, key=lambda r: r.value)),
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def pending_proposals(record: Collaboration) -> list[Proposal]:
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.collaboration_id == record.id)
            .options(joinedload(Proposal.proposed_by).lazyload(User.memberships))
            .order_by(Proposal.proposed_at.desc(), Proposal.id.desc())
        )
    )


def remind_due_milestones(today: date) -> int:
    """Tell each lead academic of their milestones due within REMINDER_DAYS (planned, of
    open records) once: a milestone reminded is marked, so running it again sends none."""
    due = db.session.execute(
        sa.select(Milestone, Collaboration, User)
        .join(Collaboration, Collaboration.id == Milestone.collaboration_id)
        .join(
            CollaborationPerson,
            sa.and_(
                CollaborationPerson.collaboration_id == Collaboration.id,
                CollaborationPerson.role == PersonRole.LEAD_ACADEMIC,
            ),
        )
        .join(User, User.id == CollaborationPerson.user_id)
        .where(
            Milestone.status == MilestoneStatus.PLANNED,
            Milestone.reminded_at.is_(None),
            Milestone.due_on.between(today, today + timedelta(days=REMINDER_DAYS)),
            Collaboration.status.in_([CollaborationStatus.NEGOTIATING, CollaborationStatus.ACTIVE]),
        )
        .order_by(Milestone.due_on, Milestone.id)
        .with_for_update(of=Milestone, skip_locked=True)
    ).all()
    for milestone, record, lead in due:
        notify(
            lead,
            "collaboration.milestone_due",
            record_path(record),
            title=record.title,
            milestone=milestone.title,
            due_on=milestone.due_on,
        )
        milestone.reminded_at = utcnow()
    db.session.flush()
    return len(due)
