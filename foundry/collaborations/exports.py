"""A portfolio (a faculty's, a university's, a company's, the park's) as CSV or Excel: one
row per record, in the words of the reader's language, streamed through the placement
reports' exporter (foundry/reports/exports.py)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from foundry.collaborations import labels, queries
from foundry.collaborations.filters import Filters
from foundry.collaborations.models import Collaboration
from foundry.extensions import db
from foundry.reports.exports import Column, Export


def _rows(scope, filters: Filters) -> Iterator[list]:
    stmt = (
        queries.list_statement(scope, filters)
        .options(selectinload(Collaboration.faculty_parties))
        .order_by(Collaboration.start_date.desc(), Collaboration.id.desc())
    )
    for record in db.session.scalars(stmt.execution_options(yield_per=500)):
        faculties = record.faculty_parties
        yield [
            record.id,
            record.title,
            str(labels.KIND_LABELS[record.kind]),
            str(labels.STATUS_LABELS[record.status]),
            "; ".join(f"{p.faculty.university.code} {p.faculty.code}" for p in faculties),
            "; ".join(p.company.name for p in record.company_parties),
            record.start_date,
            record.end_date,
            record.cash_hkd,
            record.in_kind_hkd,
            record.funding_scheme,
            str(labels.VISIBILITY_LABELS[record.visibility]),
        ]


def portfolio_export(title: str, filename: str, scope: sa.ColumnElement[bool], filters) -> Export:
    columns = [
        Column(_("Record"), "int", 8),
        Column(_("Title"), "text", 40),
        Column(_("Kind"), "text", 28),
        Column(_("Status"), "text", 14),
        Column(_("Faculties"), "text", 24),
        Column(_("Companies"), "text", 30),
        Column(_("Starts on"), "date", 12),
        Column(_("Ends on"), "date", 12),
        Column(_("Cash (HKD)"), "int", 14),
        Column(_("In kind (HKD)"), "int", 14),
        Column(_("Funding scheme"), "text", 18),
        Column(_("Who sees it"), "text", 22),
    ]
    return Export(
        columns=columns,
        rows=_rows(scope, filters),
        filename=filename,
        title=title,
        sheet=_("Collaborations"),
    )
