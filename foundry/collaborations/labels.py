"""The words for a collaboration's kinds, statuses, roles, outcomes and history lines."""

from __future__ import annotations

from foundry.collaborations.attachment_models import AttachmentAudience
from foundry.collaborations.models import (
    AgreementType,
    CollaborationKind,
    CollaborationStatus,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    ProposalKind,
    ProposalStatus,
    Visibility,
)
from foundry.documents import DocumentKind
from foundry.i18n import format_number
from foundry.i18n import lazy_gettext as _l

KIND_LABELS = {
    CollaborationKind.COLLABORATIVE_RESEARCH: _l("Collaborative research"),
    CollaborationKind.CONTRACT_RESEARCH: _l("Contract research"),
    CollaborationKind.CONSULTANCY: _l("Consultancy"),
    CollaborationKind.SPONSORED_PROJECT: _l("Sponsored student project or capstone"),
    CollaborationKind.INTERNSHIP_PARTNERSHIP: _l("Internship partnership"),
    CollaborationKind.CPD: _l("Continuing professional development"),
    CollaborationKind.GUEST_LECTURE: _l("Guest lecture"),
    CollaborationKind.ADVISORY_ROLE: _l("Advisory role"),
    CollaborationKind.DONATION: _l("Donation"),
    CollaborationKind.LICENSING: _l("Licensing"),
    CollaborationKind.EQUIPMENT_USE: _l("Equipment or facility use"),
}


def hkd(value: int) -> str:
    """HK$250,000 in the reader's language: the records table's money, a call rather than a
    template macro (twenty rows, two figures each)."""
    return f"HK${format_number(value)}"


# Bootstrap's badge colour for each status.
STATUS_STYLES = {
    CollaborationStatus.PROPOSED: "secondary",
    CollaborationStatus.NEGOTIATING: "warning",
    CollaborationStatus.ACTIVE: "success",
    CollaborationStatus.COMPLETED: "primary",
    CollaborationStatus.TERMINATED: "dark",
}

STATUS_LABELS = {
    CollaborationStatus.PROPOSED: _l("Proposed"),
    CollaborationStatus.NEGOTIATING: _l("Negotiating"),
    CollaborationStatus.ACTIVE: _l("Active"),
    CollaborationStatus.COMPLETED: _l("Completed"),
    CollaborationStatus.TERMINATED: _l("Terminated"),
}

VISIBILITY_LABELS = {
    Visibility.PRIVATE: _l("Private to the faculties"),
    Visibility.SHARED: _l("Shared with the companies"),
    Visibility.PUBLIC: _l("Public summary"),
}

PARTY_ROLE_LABELS = {
    PartyRole.COORDINATOR: _l("Coordinator"),
    PartyRole.PARTNER: _l("Partner"),
    PartyRole.CONTRACTOR: _l("Contractor"),
    PartyRole.FUNDER: _l("Funder"),
    PartyRole.IN_KIND: _l("In-kind contributor"),
}

AGREEMENT_LABELS = {
    AgreementType.SPONSORED_RESEARCH: _l("Sponsored research agreement"),
    AgreementType.NDA: _l("Non-disclosure agreement"),
    AgreementType.MATERIAL_TRANSFER: _l("Material transfer agreement"),
    AgreementType.SERVICE_CONTRACT: _l("Service contract"),
    AgreementType.LICENCE: _l("Licence"),
    AgreementType.UNFUNDED: _l("Unfunded agreement"),
}

MILESTONE_LABELS = {
    MilestoneStatus.PLANNED: _l("Planned"),
    MilestoneStatus.DONE: _l("Done"),
    MilestoneStatus.MISSED: _l("Missed"),
}

OUTCOME_LABELS = {
    OutcomeKind.PUBLICATION: _l("Publication"),
    OutcomeKind.PATENT_FILED: _l("Patent filed"),
    OutcomeKind.PATENT_GRANTED: _l("Patent granted"),
    OutcomeKind.PRODUCT: _l("Product"),
    OutcomeKind.SPIN_OFF: _l("Spin-off"),
    OutcomeKind.STUDENT_HIRED: _l("Student hired"),
}

PROPOSAL_KIND_LABELS = {
    ProposalKind.NEW: _l("New collaboration"),
    ProposalKind.UPDATE: _l("Update"),
}

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.PENDING: _l("Waiting for the faculty"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.DECLINED: _l("Declined"),
}

# The history's lines, by the `what` the services write.
CHANGE_LABELS = {
    "created": _l("Recorded"),
    "proposed": _l("Proposed by the company"),
    "updated": _l("Details changed"),
    "status": _l("Status changed"),
    "party_added": _l("Party added"),
    "party_removed": _l("Party removed"),
    "person_added": _l("Person added"),
    "person_removed": _l("Person removed"),
    "student_added": _l("Student added"),
    "student_removed": _l("Student removed"),
    "milestone_added": _l("Milestone added"),
    "milestone_changed": _l("Milestone changed"),
    "outcome_added": _l("Outcome added"),
    "proposal_accepted": _l("Proposal accepted"),
    "proposal_declined": _l("Proposal declined"),
    "update_proposed": _l("Update proposed by the company"),
    "attachment_added": _l("File attached"),
    "attachment_removed": _l("Attachment removed"),
    "posting_linked": _l("Posting linked"),
    "posting_unlinked": _l("Posting unlinked"),
    "programme_linked": _l("Programme linked"),
    "programme_unlinked": _l("Programme unlinked"),
}

# The fields of a record as the history and the proposals name them.
FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "kind": _l("Kind"),
    "status": _l("Status"),
    "visibility": _l("Visibility"),
    "start_date": _l("Start"),
    "end_date": _l("End"),
    "cash_hkd": _l("Cash (HKD)"),
    "in_kind_hkd": _l("In kind (HKD)"),
    "funding_scheme": _l("Funding scheme"),
    "agreement_type": _l("Agreement"),
    "agreement_reference": _l("Agreement reference"),
    "agreement_signed_on": _l("Signed on"),
    "agreement_ends_on": _l("Agreement ends on"),
    "faculty": _l("Faculty"),
    "company": _l("Company"),
    "role": _l("Role"),
    "person": _l("Person"),
    "student": _l("Student"),
    "milestone": _l("Milestone"),
    "due_on": _l("Due"),
    "outcome": _l("Outcome"),
    "link": _l("Link"),
    "message": _l("Message"),
    "attachment": _l("File"),
    "audience": _l("Who sees it"),
    "size": _l("File size"),
    "posting": _l("Posting"),
    "programme": _l("Programme"),
}

AUDIENCE_LABELS = {
    AttachmentAudience.PARTIES: _l("The record’s parties"),
    AttachmentAudience.FACULTIES: _l("The faculties only"),
}

DOCUMENT_KIND_LABELS = {
    DocumentKind.PDF: _l("PDF"),
    DocumentKind.DOCX: _l("Word document"),
    DocumentKind.XLSX: _l("Excel workbook"),
}


def file_size(size_bytes: int) -> str:
    """A file's size as people read it: 830 KB, 4.2 MB (units the same in both languages)."""
    if size_bytes < 2**20:
        return f"{max(1, round(size_bytes / 2**10))} KB"
    return f"{size_bytes / 2**20:.1f} MB"


# Which label table reads a history value, by the field's name.
_VALUE_TABLES = {
    "kind": {m.value: label for m, label in KIND_LABELS.items()},
    "status": {
        **{m.value: label for m, label in STATUS_LABELS.items()},
        **{m.value: label for m, label in MILESTONE_LABELS.items()},
    },
    "visibility": {m.value: label for m, label in VISIBILITY_LABELS.items()},
    "agreement_type": {m.value: label for m, label in AGREEMENT_LABELS.items()},
    "outcome": {m.value: label for m, label in OUTCOME_LABELS.items()},
    "proposal": {m.value: label for m, label in PROPOSAL_KIND_LABELS.items()},
    "audience": {m.value: label for m, label in AUDIENCE_LABELS.items()},
    "role": {
        **{m.value: label for m, label in PARTY_ROLE_LABELS.items()},
        "lead_academic": _l("Lead academic"),
        "academic": _l("Academic"),
        "company_contact": _l("Company contact"),
    },
}


def value_label(name: str, value) -> str:
    """A history value in the reader's language: codes by their label, the rest as stored."""
    if value is None or value == "":
        return "—"
    table = _VALUE_TABLES.get(name)
    if table is not None and value in table:
        return str(table[value])
    if name in ("cash_hkd", "in_kind_hkd") and isinstance(value, int):
        return f"HK${value:,}"
    if name == "size" and isinstance(value, int):
        return file_size(value)
    return str(value)
