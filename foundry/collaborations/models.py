"""Faculty–industry collaboration records: the record, its parties (faculties and companies,
each with a role), its people (academics, company contacts, student participants), its
milestones and outcomes, the history of every change, and the proposals a company sends.

Money is in whole Hong Kong dollars (integers, never floats), cash and in-kind apart. The
schema checks what it can: dates in order, values not negative, one row per party and per
person. The services (foundry/collaborations/services.py) check the rest and write the
history (CollaborationChange), which no service ever updates or deletes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from foundry.extensions import db

TITLE_LENGTH = 200
SUMMARY_LENGTH = 4000
# Above the largest grants universities report (ITF projects reach tens of millions): a
# value past a billion dollars is a typing mistake.
MAX_VALUE_HKD = 1_000_000_000


class CollaborationKind(enum.Enum):
    """The knowledge-transfer categories universities report to the UGC."""

    COLLABORATIVE_RESEARCH = "collaborative_research"
    CONTRACT_RESEARCH = "contract_research"
    CONSULTANCY = "consultancy"
    SPONSORED_PROJECT = "sponsored_project"  # a sponsored student project or capstone
    INTERNSHIP_PARTNERSHIP = "internship_partnership"
    CPD = "cpd"  # continuing professional development
    GUEST_LECTURE = "guest_lecture"
    ADVISORY_ROLE = "advisory_role"
    DONATION = "donation"
    LICENSING = "licensing"
    EQUIPMENT_USE = "equipment_use"  # equipment or facility use


class CollaborationStatus(enum.Enum):
    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class Visibility(enum.Enum):
    PRIVATE = "private"  # the faculties that are parties
    SHARED = "shared"  # and the companies that are parties
    PUBLIC = "public"  # and, as a summary, every signed-in user


# What a company party sees: records shared with it, and public ones.
SHARED_WITH_COMPANIES = (Visibility.SHARED, Visibility.PUBLIC)


class PartyRole(enum.Enum):
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    CONTRACTOR = "contractor"
    FUNDER = "funder"
    IN_KIND = "in_kind"  # an in-kind contributor


class AgreementType(enum.Enum):
    SPONSORED_RESEARCH = "sponsored_research"
    NDA = "nda"
    MATERIAL_TRANSFER = "material_transfer"
    SERVICE_CONTRACT = "service_contract"
    LICENCE = "licence"
    UNFUNDED = "unfunded"


class PersonRole(enum.Enum):
    LEAD_ACADEMIC = "lead_academic"
    ACADEMIC = "academic"
    COMPANY_CONTACT = "company_contact"


class MilestoneStatus(enum.Enum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"


class OutcomeKind(enum.Enum):
    PUBLICATION = "publication"
    PATENT_FILED = "patent_filed"
    PATENT_GRANTED = "patent_granted"
    PRODUCT = "product"
    SPIN_OFF = "spin_off"
    STUDENT_HIRED = "student_hired"


class ProposalKind(enum.Enum):
    NEW = "new"  # a company proposes a collaboration to a faculty
    UPDATE = "update"  # a company proposes changes to a record shared with it


class ProposalStatus(enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Collaboration(TimestampMixin, db.Model):
    __tablename__ = "collaborations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The faculty whose staff recorded it (or to which a company proposed it): its list
    # and portfolio start here, and it is the first of the faculty parties.
    faculty_id: Mapped[int] = mapped_column(sa.ForeignKey("faculties.id", ondelete="RESTRICT"))
    kind: Mapped[CollaborationKind] = mapped_column(
        enum_column(CollaborationKind, "collaboration_kind")
    )
    status: Mapped[CollaborationStatus] = mapped_column(
        enum_column(CollaborationStatus, "collaboration_status")
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "collaboration_visibility")
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    cash_hkd: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    in_kind_hkd: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    funding_scheme: Mapped[str] = mapped_column(sa.String(80), default="")
    agreement_type: Mapped[AgreementType | None] = mapped_column(
        enum_column(AgreementType, "agreement_type")
    )
    agreement_reference: Mapped[str] = mapped_column(sa.String(80), default="")
    agreement_signed_on: Mapped[date | None] = mapped_column(sa.Date)
    agreement_ends_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    faculty = relationship("Faculty", lazy="joined")
    faculty_parties: Mapped[list[FacultyParty]] = relationship(
        cascade="all, delete-orphan", order_by="FacultyParty.faculty_id"
    )
    company_parties: Mapped[list[CompanyParty]] = relationship(
        cascade="all, delete-orphan", order_by="CompanyParty.company_id"
    )
    people: Mapped[list[CollaborationPerson]] = relationship(cascade="all, delete-orphan")
    students: Mapped[list[StudentParticipant]] = relationship(cascade="all, delete-orphan")
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="(Milestone.due_on, Milestone.id)"
    )
    outcomes: Mapped[list[CollaborationOutcome]] = relationship(
        cascade="all, delete-orphan", order_by="CollaborationOutcome.id"
    )

    __table_args__ = (
        sa.CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        sa.CheckConstraint(f"cash_hkd BETWEEN 0 AND {MAX_VALUE_HKD}", name="cash_in_range"),
        sa.CheckConstraint(f"in_kind_hkd BETWEEN 0 AND {MAX_VALUE_HKD}", name="in_kind_in_range"),
        sa.CheckConstraint(
            "agreement_ends_on IS NULL OR agreement_signed_on IS NULL"
            " OR agreement_ends_on >= agreement_signed_on",
            name="agreement_dates_in_order",
        ),
        sa.Index("ix_collaborations_faculty", "faculty_id", "start_date"),
        sa.Index("ix_collaborations_status_kind", "status", "kind"),
        # The university's and the park's portfolios read their newest first.
        sa.Index("ix_collaborations_start", "start_date", "id"),
    )

    @property
    def is_read_only(self) -> bool:
        """A completed or terminated record is kept as it ended: only outcomes are added."""
        return self.status in (CollaborationStatus.COMPLETED, CollaborationStatus.TERMINATED)

    @property
    def total_hkd(self) -> int:
        return self.cash_hkd + self.in_kind_hkd

    def people_in(self, role: PersonRole) -> list[CollaborationPerson]:
        return [p for p in self.people if p.role is role]


class FacultyParty(db.Model):
    __tablename__ = "collaboration_faculties"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    faculty_id: Mapped[int] = mapped_column(
        sa.ForeignKey("faculties.id", ondelete="RESTRICT"), primary_key=True
    )
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole, "party_role"))

    faculty = relationship("Faculty", lazy="joined")

    # A faculty's list finds its records through this index (the record is the PK's prefix).
    __table_args__ = (sa.Index("ix_collaboration_faculties_faculty", "faculty_id"),)


class CompanyParty(db.Model):
    __tablename__ = "collaboration_companies"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="RESTRICT"), primary_key=True
    )
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole, "party_role"))

    company = relationship("Company", lazy="joined")

    __table_args__ = (sa.Index("ix_collaboration_companies_company", "company_id"),)


class CollaborationPerson(db.Model):
    """An academic (the lead or another) or a company contact: a user of the portal."""

    __tablename__ = "collaboration_people"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[PersonRole] = mapped_column(enum_column(PersonRole, "collaboration_person_role"))

    user = relationship("User", lazy="joined")

    __table_args__ = (
        # One lead academic per record.
        sa.Index(
            "uq_collaboration_people_lead",
            "collaboration_id",
            unique=True,
            postgresql_where=sa.text("role = 'lead_academic'"),
            sqlite_where=sa.text("role = 'lead_academic'"),
        ),
        sa.Index("ix_collaboration_people_user", "user_id"),
    )


class StudentParticipant(db.Model):
    __tablename__ = "collaboration_students"

    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.id", ondelete="CASCADE"), primary_key=True
    )

    profile = relationship("StudentProfile", lazy="joined")

    __table_args__ = (sa.Index("ix_collaboration_students_profile", "profile_id"),)


class Milestone(db.Model):
    __tablename__ = "collaboration_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    # Set when the lead academic was told it is due soon: one reminder per milestone.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
        sa.Index("ix_collaboration_milestones_due", "due_on", "status"),
        sa.Index("ix_collaboration_milestones_collaboration", "collaboration_id"),
    )


class CollaborationOutcome(db.Model):
    __tablename__ = "collaboration_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "collaboration_outcome"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    link: Mapped[str | None] = mapped_column(sa.String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("length(trim(title)) > 0", name="title_not_empty"),
        sa.Index("ix_collaboration_outcomes_collaboration", "collaboration_id"),
    )


class CollaborationChange(db.Model):
    """One change to a record, as the history shows it: who, what, when, before and after.
    Written by the services in the same transaction as the change; never updated."""

    __tablename__ = "collaboration_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    what: Mapped[str] = mapped_column(sa.String(40))  # a key of labels.CHANGE_LABELS
    before: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    after: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User", lazy="joined")

    __table_args__ = (
        sa.Index("ix_collaboration_changes_collaboration", "collaboration_id", "occurred_at"),
    )


class Proposal(db.Model):
    """A company's proposal: a new collaboration (the record waits as "proposed") or
    changes to a record shared with it; the faculty's staff accept or decline it."""

    __tablename__ = "collaboration_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collaborations.id", ondelete="CASCADE")
    )
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    kind: Mapped[ProposalKind] = mapped_column(enum_column(ProposalKind, "proposal_kind"))
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.PENDING
    )
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # field -> proposed value
    message: Mapped[str] = mapped_column(sa.Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    collaboration: Mapped[Collaboration] = relationship()
    company = relationship("Company", lazy="joined")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id], lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)", name="decided_when_not_pending"
        ),
        sa.Index("ix_collaboration_proposals_collaboration", "collaboration_id", "status"),
        sa.Index("ix_collaboration_proposals_company", "company_id", "status"),
    )


# --- what a record belongs to, for foundry/policy.py ------------------------------------
# A record has several faculties and companies, so the policy's one-owner rules (staff of
# its faculty, member of the company...) hold over a record when they hold over one of its
# parties. These helpers lift a rule over the parties and ask nothing about roles: the
# policy composes them and stays the one place where decisions are made.

Check = Callable[[Any, Any], bool]


def collaboration_of(obj) -> Collaboration | None:
    """The record itself, or the one a proposal or an attachment belongs to."""
    if isinstance(obj, Collaboration):
        return obj
    record = getattr(obj, "collaboration", None)
    return record if isinstance(record, Collaboration) else None


def on_a_faculty_party(check: Check) -> Check:
    """`check` holds over one of the record's faculties."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, p.faculty) for p in record.faculty_parties)

    return holds


def on_a_company_party(check: Check) -> Check:
    """`check` holds over one of the record's companies (whatever the visibility)."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, p.company) for p in record.company_parties)

    return holds


def on_a_sharing_company(check: Check) -> Check:
    """`check` holds over one of the record's companies, and the record is shared with them."""
    on_a_company = on_a_company_party(check)

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return (
            record is not None
            and record.visibility in SHARED_WITH_COMPANIES
            and on_a_company(user, record)
        )

    return holds


def on_a_student_participant(check: Check) -> Check:
    """`check` holds over one of the record's student participants."""

    def holds(user, obj) -> bool:
        record = collaboration_of(obj)
        return record is not None and any(check(user, s.profile) for s in record.students)

    return holds


def has_public_summary(user, obj) -> bool:
    record = collaboration_of(obj)
    return record is not None and record.visibility is Visibility.PUBLIC


def is_open(user, obj) -> bool:
    """Not completed or terminated: a record that ended is kept as it ended."""
    record = collaboration_of(obj)
    return record is not None and not record.is_read_only
