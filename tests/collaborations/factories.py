"""Collaboration records for the tests, made through the services as staff would make them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from foundry.collaborations import services
from foundry.collaborations.models import (
    Collaboration,
    CollaborationKind,
    CollaborationStatus,
    PartyRole,
    PersonRole,
    Visibility,
)
from foundry.collaborations.services import CollaborationDetails
from tests.factories import profile_of

BASE_DETAILS = CollaborationDetails(
    kind=CollaborationKind.SPONSORED_PROJECT,
    title="Warehouse robot capstone",
    summary="Final-year students build a picking robot with the company's engineers.",
    status=CollaborationStatus.ACTIVE,
    visibility=Visibility.SHARED,
    start_date=date(2026, 9, 1),
    end_date=date(2027, 6, 30),
    cash_hkd=250_000,
    in_kind_hkd=80_000,
    funding_scheme="Company-funded",
)


def details(**changes) -> CollaborationDetails:
    return replace(BASE_DETAILS, **changes)


def record(
    actor,
    faculty,
    *,
    companies=(),
    students=(),
    lead=None,
    **changes,
) -> Collaboration:
    """A record of `faculty` by `actor` with companies (as partners), student users and a
    lead academic (a staff user), through the services."""
    collaboration = services.create_collaboration(actor, faculty, details(**changes))
    for company in companies:
        services.add_company(actor, collaboration, company.id, PartyRole.PARTNER)
    if students:
        services.add_students(actor, collaboration, [profile_of(s).id for s in students])
    if lead is not None:
        services.add_person(actor, collaboration, lead.id, PersonRole.LEAD_ACADEMIC)
    return collaboration
