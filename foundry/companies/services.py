"""Rules for companies: editing the profile and verification by the park."""

from __future__ import annotations

from dataclasses import dataclass

from foundry.accounts.models import User
from foundry.audit.services import record
from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.db import utcnow
from foundry.extensions import db
from foundry.postings.content import reindex_company_postings
from foundry.taxonomy import Cluster, ParkLocation


@dataclass
class CompanyChanges:
    name: str
    name_zh: str | None
    cluster: Cluster
    park_location: ParkLocation
    size: CompanySize
    founded_year: int | None
    website: str | None
    description: str | None


def update_company(actor: User, company: Company, changes: CompanyChanges) -> None:
    """Apply profile changes made by a company admin or the park."""
    renamed = (company.name, company.name_zh) != (changes.name, changes.name_zh)
    for field, value in vars(changes).items():
        setattr(company, field, value)
    if renamed:  # its postings are found by its names
        reindex_company_postings(company.id)
    db.session.flush()
    record(actor, "company.updated", company, {"company": company.name})


def set_verification(actor: User, company: Company, status: VerificationStatus) -> None:
    """Record the park's verification decision on a company."""
    previous = company.verification_status
    if previous is status:
        return
    company.verification_status = status
    company.verified_at = utcnow() if status is VerificationStatus.VERIFIED else None
    db.session.flush()
    record(
        actor,
        "company.verification_changed",
        company,
        {"company": company.name, "previous": previous, "status": status},
        previous=previous.value,
        status=status.value,
    )
