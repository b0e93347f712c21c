"""The search and filters every collaboration list and portfolio shares: words in the title
or summary, kind, status, company (a link's company by number, or words of its name typed
in the form: a park of 2,000 companies is no list to choose from), the company's cluster,
faculty, university, year of the start, value range and funding scheme. Read from the
query string (a value that cannot be is refused with a 400) and turned into WHERE
conditions over Collaboration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from foundry.collaborations.models import (
    Collaboration,
    CollaborationKind,
    CollaborationStatus,
    CompanyParty,
    FacultyParty,
)
from foundry.companies.models import Company
from foundry.errors import InvalidInput
from foundry.taxonomy import Cluster
from foundry.universities.models import Faculty

LARGEST_ID = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    query: str = ""
    kind: CollaborationKind | None = None
    status: CollaborationStatus | None = None
    company_id: int | None = None
    company_name: str = ""
    cluster: Cluster | None = None
    faculty_id: int | None = None
    university_id: int | None = None
    year: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    funding_scheme: str = ""

    @property
    def any(self) -> bool:
        return self != Filters()


def _enum_arg(args, name: str, enum_cls):
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput(_("Choose a value from the list.")) from None


def _int_arg(args, name: str, low: int, high: int, message: str) -> int | None:
    raw = (args.get(name) or "").strip().replace(",", "")
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(message)
    return int(raw)


def filters_from(args) -> Filters:
    """The list's filters from the query string; a value that cannot be is refused (400)."""
    value_message = _("Values are whole Hong Kong dollars, 0 or more.")
    choose = _("Choose a value from the list.")
    filters = Filters(
        query=(args.get("q") or "").strip()[:100],
        kind=_enum_arg(args, "kind", CollaborationKind),
        status=_enum_arg(args, "status", CollaborationStatus),
        company_id=_int_arg(args, "company", 1, LARGEST_ID, _("Choose a company from the list.")),
        company_name=(args.get("company_name") or "").strip()[:100],
        cluster=_enum_arg(args, "cluster", Cluster),
        faculty_id=_int_arg(args, "faculty", 1, LARGEST_ID, choose),
        university_id=_int_arg(args, "university", 1, LARGEST_ID, choose),
        year=_int_arg(args, "year", 1990, 2100, _("The year must be from 1990 to 2100.")),
        min_value=_int_arg(args, "min_value", 0, 10**12, value_message),
        max_value=_int_arg(args, "max_value", 0, 10**12, value_message),
        funding_scheme=(args.get("funding") or "").strip()[:80],
    )
    low, high = filters.min_value, filters.max_value
    if low is not None and high is not None and low > high:
        raise InvalidInput(_("The lowest value must not be above the highest."))
    return filters


def with_company(condition) -> sa.ColumnElement[bool]:
    """Records with a company party that meets `condition` (over CompanyParty, Company)."""
    return Collaboration.id.in_(
        sa.select(CompanyParty.collaboration_id)
        .join(Company, Company.id == CompanyParty.company_id)
        .where(condition)
    )


def with_faculty(condition) -> sa.ColumnElement[bool]:
    """Records with a faculty party that meets `condition` (over FacultyParty, Faculty)."""
    return Collaboration.id.in_(
        sa.select(FacultyParty.collaboration_id)
        .join(Faculty, Faculty.id == FacultyParty.faculty_id)
        .where(condition)
    )


def conditions(filters: Filters) -> list:
    where = []
    if filters.query:
        like = f"%{filters.query.lower()}%"
        where.append(
            sa.or_(
                sa.func.lower(Collaboration.title).like(like),
                sa.func.lower(Collaboration.summary).like(like),
            )
        )
    if filters.kind:
        where.append(Collaboration.kind == filters.kind)
    if filters.status:
        where.append(Collaboration.status == filters.status)
    if filters.company_id:
        where.append(
            Collaboration.id.in_(
                sa.select(CompanyParty.collaboration_id).where(
                    CompanyParty.company_id == filters.company_id
                )
            )
        )
    if filters.company_name:
        # Words as typed, matched as a substring: "%" and "_" are plain characters here.
        typed = filters.company_name.lower()
        escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(with_company(sa.func.lower(Company.name).like(f"%{escaped}%", escape="\\")))
    if filters.cluster:
        where.append(with_company(Company.cluster == filters.cluster))
    if filters.faculty_id:
        where.append(
            Collaboration.id.in_(
                sa.select(FacultyParty.collaboration_id).where(
                    FacultyParty.faculty_id == filters.faculty_id
                )
            )
        )
    if filters.university_id:
        where.append(with_faculty(Faculty.university_id == filters.university_id))
    if filters.year:
        where.append(
            Collaboration.start_date.between(date(filters.year, 1, 1), date(filters.year, 12, 31))
        )
    total = Collaboration.cash_hkd + Collaboration.in_kind_hkd
    if filters.min_value is not None:
        where.append(total >= filters.min_value)
    if filters.max_value is not None:
        where.append(total <= filters.max_value)
    if filters.funding_scheme:
        where.append(sa.func.lower(Collaboration.funding_scheme) == filters.funding_scheme.lower())
    return where
