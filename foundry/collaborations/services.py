"""Recording collaborations: create and edit a record, its parties, people, students,
milestones, outcomes and status. Every change writes a line of history (who, what, when,
before and after) in the same transaction; no service updates or deletes one.

A completed or terminated record is read-only: its history is what happened, and the only
change it takes is a new outcome (a patent granted, a student hired, years later). The
services take the acting user, check the rules of the product (dates in order, parties
that exist, people who belong), flush and never commit; who may act is asked of the policy
by the routes, and once more here where the check depends on the person named.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry import policy
from foundry.accounts.models import User
from foundry.collaborations.models import (
    MAX_VALUE_HKD,
    AgreementType,
    Collaboration,
    CollaborationChange,
    CollaborationKind,
    CollaborationOutcome,
    CollaborationPerson,
    CollaborationStatus,
    CompanyParty,
    FacultyParty,
    Milestone,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    PersonRole,
    StudentParticipant,
    Visibility,
)
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.messages import plain
from foundry.students.models import StudentProfile
from foundry.universities.models import Faculty


@dataclass(frozen=True)
class CollaborationDetails:
    """What the record's form fills; parties and people are added one by one."""

    kind: CollaborationKind
    title: str
    summary: str
    status: CollaborationStatus
    visibility: Visibility
    start_date: date
    end_date: date | None = None
    cash_hkd: int = 0
    in_kind_hkd: int = 0
    funding_scheme: str = ""
    agreement_type: AgreementType | None = None
    agreement_reference: str = ""
    agreement_signed_on: date | None = None
    agreement_ends_on: date | None = None


DETAIL_FIELDS = tuple(f.name for f in fields(CollaborationDetails))


def record_change(actor: User | None, record: Collaboration, what: str, before=None, after=None):
    """Add a line to the record's history."""
    change = CollaborationChange(
        collaboration_id=record.id,
        actor_id=getattr(actor, "id", None),
        what=what,
        before=plain(before or {}),
        after=plain(after or {}),
    )
    db.session.add(change)
    return change


def check_details(details: CollaborationDetails) -> None:
    """The rules a record's details keep, whoever writes them (staff or a proposal)."""
    if not details.title.strip():
        raise InvalidInput(_("Give the collaboration a title."))
    if details.end_date and details.end_date < details.start_date:
        raise InvalidInput(_("The end date must be on or after the start date."))
    for value in (details.cash_hkd, details.in_kind_hkd):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(_("Values are whole Hong Kong dollars."))
        if not 0 <= value <= MAX_VALUE_HKD:
            raise InvalidInput(_("Values are from HK$0 to HK$%(most)s.", most=f"{MAX_VALUE_HKD:,}"))
    signed, ends = details.agreement_signed_on, details.agreement_ends_on
    if signed and ends and ends < signed:
        raise InvalidInput(_("The agreement must end on or after the day it was signed."))


def _require_open(record: Collaboration) -> None:
    if record.is_read_only:
        raise InvalidInput(
            _("This collaboration has ended: its record is kept as it was. Add outcomes only.")
        )


def create_collaboration(
    actor: User,
    faculty: Faculty,
    details: CollaborationDetails,
    *,
    role: PartyRole = PartyRole.COORDINATOR,
) -> Collaboration:
    """Record a collaboration of `faculty` (its first party)."""
    policy.authorize(actor, "collaboration.create", faculty)
    check_details(details)
    record = Collaboration(faculty_id=faculty.id, created_by_id=actor.id, **asdict(details))
    record.faculty_parties.append(FacultyParty(faculty_id=faculty.id, role=role))
    db.session.add(record)
    db.session.flush()
    record_change(actor, record, "created", after=asdict(details))
    return record


def update_collaboration(
    actor: User, record: Collaboration, details: CollaborationDetails, *, what: str = "updated"
) -> dict[str, tuple]:
    """Change the record's details; returns {field: (before, after)} of what changed."""
    _require_open(record)
    check_details(details)
    changed = {
        name: (getattr(record, name), getattr(details, name))
        for name in DETAIL_FIELDS
        if getattr(record, name) != getattr(details, name)
    }
    for name, (_before, after) in changed.items():
        setattr(record, name, after)
    if changed:
        record_change(
            actor,
            record,
            "status" if set(changed) == {"status"} else what,
            before={name: pair[0] for name, pair in changed.items()},
            after={name: pair[1] for name, pair in changed.items()},
        )
    db.session.flush()
    return changed


def change_status(actor: User, record: Collaboration, status: CollaborationStatus) -> bool:
    """Move the record to `status`; False if it was there already."""
    _require_open(record)
    if record.status is status:
        return False
    before = record.status
    record.status = status
    record_change(actor, record, "status", before={"status": before}, after={"status": status})
    db.session.flush()
    return True


# --- parties -------------------------------------------------------------------------------


def add_company(actor: User, record: Collaboration, company_id: int, role: PartyRole) -> None:
    """Add a park company as a party (or change its role)."""
    _require_open(record)
    company = db.session.get(Company, company_id) if company_id else None
    if company is None:
        raise InvalidInput(_("Choose a company of the park from the list."))
    party = next((p for p in record.company_parties if p.company_id == company.id), None)
    if party is not None and party.role is role:
        return
    before = {"company": company.name, "role": party.role} if party else {}
    if party is None:
        record.company_parties.append(CompanyParty(company_id=company.id, role=role))
    else:
        party.role = role
    record_change(actor, record, "party_added", before, {"company": company.name, "role": role})
    db.session.flush()


def add_faculty(actor: User, record: Collaboration, faculty_id: int, role: PartyRole) -> None:
    """Add a faculty, of any university, as a party (or change its role)."""
    _require_open(record)
    faculty = db.session.get(Faculty, faculty_id) if faculty_id else None
    if faculty is None:
        raise InvalidInput(_("Choose a faculty from the list."))
    party = next((p for p in record.faculty_parties if p.faculty_id == faculty.id), None)
    if party is not None and party.role is role:
        return
    before = {"faculty": faculty.name_en, "role": party.role} if party else {}
    if party is None:
        record.faculty_parties.append(FacultyParty(faculty_id=faculty.id, role=role))
    else:
        party.role = role
    record_change(actor, record, "party_added", before, {"faculty": faculty.name_en, "role": role})
    db.session.flush()


def remove_company(actor: User, record: Collaboration, company_id: int) -> None:
    _require_open(record)
    party = next((p for p in record.company_parties if p.company_id == company_id), None)
    if party is None:
        raise InvalidInput(_("That company is not a party to this collaboration."))
    record.company_parties.remove(party)
    # Its contacts leave with it: they were named as the company's people.
    for person in record.people_in(PersonRole.COMPANY_CONTACT):
        if not policy.can(person.user, "collaboration.be_contact", record):
            record.people.remove(person)
    record_change(
        actor, record, "party_removed", {"company": party.company.name, "role": party.role}
    )
    db.session.flush()


def remove_faculty(actor: User, record: Collaboration, faculty_id: int) -> None:
    _require_open(record)
    if faculty_id == record.faculty_id:
        raise InvalidInput(_("The faculty that keeps the record stays a party to it."))
    party = next((p for p in record.faculty_parties if p.faculty_id == faculty_id), None)
    if party is None:
        raise InvalidInput(_("That faculty is not a party to this collaboration."))
    record.faculty_parties.remove(party)
    record_change(
        actor, record, "party_removed", {"faculty": party.faculty.name_en, "role": party.role}
    )
    db.session.flush()


# --- people --------------------------------------------------------------------------------


def add_person(actor: User, record: Collaboration, user_id: int, role: PersonRole) -> None:
    """Name an academic (staff of a party faculty; the lead replaces the lead) or a company
    contact (a member of a party company)."""
    _require_open(record)
    person = db.session.get(User, user_id) if user_id else None
    academic = role in (PersonRole.LEAD_ACADEMIC, PersonRole.ACADEMIC)
    if person is None or not policy.can(
        person, "collaboration.be_academic" if academic else "collaboration.be_contact", record
    ):
        raise InvalidInput(
            _("Choose a member of staff of one of the faculties.")
            if academic
            else _("Choose a member of one of the companies.")
        )
    if role is PersonRole.LEAD_ACADEMIC:
        for lead in record.people_in(PersonRole.LEAD_ACADEMIC):
            lead.role = PersonRole.ACADEMIC
    existing = next((p for p in record.people if p.user_id == person.id), None)
    if existing is not None and existing.role is role:
        return
    before = {"person": person.display_name, "role": existing.role} if existing else {}
    if existing is None:
        db.session.flush()  # the demoted lead first: one lead per record, checked by an index
        record.people.append(CollaborationPerson(user_id=person.id, role=role))
    else:
        existing.role = role
    record_change(
        actor, record, "person_added", before, {"person": person.display_name, "role": role}
    )
    db.session.flush()


def remove_person(actor: User, record: Collaboration, user_id: int) -> None:
    _require_open(record)
    person = next((p for p in record.people if p.user_id == user_id), None)
    if person is None:
        raise InvalidInput(_("That person is not named on this collaboration."))
    record.people.remove(person)
    record_change(
        actor, record, "person_removed", {"person": person.user.display_name, "role": person.role}
    )
    db.session.flush()


def add_students(actor: User, record: Collaboration, profile_ids: list[int]) -> int:
    """Add students of the record's faculties as participants; returns how many were new."""
    _require_open(record)
    faculty_ids = {p.faculty_id for p in record.faculty_parties}
    wanted = set(profile_ids)
    profiles = db.session.scalars(
        sa.select(StudentProfile).where(StudentProfile.id.in_(sorted(wanted)))
    ).all()
    if not wanted or len(profiles) != len(wanted):
        raise InvalidInput(_("Choose students from the list."))
    if any(profile.faculty_id not in faculty_ids for profile in profiles):
        raise InvalidInput(_("Only students of the collaboration's faculties can take part."))
    present = {s.profile_id for s in record.students}
    added = [profile for profile in profiles if profile.id not in present]
    for profile in added:
        record.students.append(StudentParticipant(profile_id=profile.id))
        record_change(actor, record, "student_added", after={"student": profile.user.display_name})
    db.session.flush()
    return len(added)


def remove_student(actor: User, record: Collaboration, profile_id: int) -> None:
    _require_open(record)
    participant = next((s for s in record.students if s.profile_id == profile_id), None)
    if participant is None:
        raise InvalidInput(_("That student is not taking part in this collaboration."))
    record.students.remove(participant)
    record_change(
        actor, record, "student_removed", {"student": participant.profile.user.display_name}
    )
    db.session.flush()


# --- milestones and outcomes ---------------------------------------------------------------


def add_milestone(actor: User, record: Collaboration, title: str, due_on: date) -> Milestone:
    _require_open(record)
    if not title.strip():
        raise InvalidInput(_("Give the milestone a title."))
    if due_on < record.start_date or (record.end_date and due_on > record.end_date):
        raise InvalidInput(_("A milestone falls between the collaboration's start and end."))
    milestone = Milestone(title=title.strip(), due_on=due_on)
    record.milestones.append(milestone)
    record_change(actor, record, "milestone_added", after={"milestone": title, "due_on": due_on})
    db.session.flush()
    return milestone


def set_milestone_status(
    actor: User, record: Collaboration, milestone_id: int, status: MilestoneStatus
) -> None:
    _require_open(record)
    milestone = next((m for m in record.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise InvalidInput(_("That milestone is not part of this collaboration."))
    if milestone.status is status:
        return
    before = milestone.status
    milestone.status = status
    record_change(
        actor,
        record,
        "milestone_changed",
        {"milestone": milestone.title, "status": before},
        {"milestone": milestone.title, "status": status},
    )
    db.session.flush()


def add_outcome(
    actor: User, record: Collaboration, kind: OutcomeKind, title: str, link: str | None
) -> CollaborationOutcome:
    """Record an outcome; allowed on a record that ended (outcomes come later)."""
    if not title.strip():
        raise InvalidInput(_("Give the outcome a title."))
    if link and not link.lower().startswith(("https://", "http://")):
        raise InvalidInput(_("Enter a web address starting with https:// or http://."))
    outcome = CollaborationOutcome(kind=kind, title=title.strip(), link=link or None)
    record.outcomes.append(outcome)
    record_change(
        actor, record, "outcome_added", after={"outcome": kind, "title": title, "link": link}
    )
    db.session.flush()
    return outcome


def record_collaboration(
    actor: User,
    faculty: Faculty,
    details: CollaborationDetails,
    *,
    company_id: int | None = None,
    company_role: PartyRole = PartyRole.PARTNER,
    lead_id: int | None = None,
) -> Collaboration:
    """The new-record form: the record, its first company and its lead academic, together
    (a refusal of any part leaves nothing written: the request rolls back)."""
    record = create_collaboration(actor, faculty, details)
    if company_id is not None:
        add_company(actor, record, company_id, company_role)
    if lead_id is not None:
        add_person(actor, record, lead_id, PersonRole.LEAD_ACADEMIC)
    return record
