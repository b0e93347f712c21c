"""A portfolio (a faculty's, a university's, a company's, the park's) as CSV or Excel, in
the words of the reader's language, streamed through the placement reports' exporter
(foundry/reports/exports.py): one row per record, and the portfolio's figures (the
knowledge-transfer table universities report to the UGC, then the totals by kind, status
and year) as a second sheet of the workbook, or alone (`summary_export`, a CSV holding one
table)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from foundry.collaborations import labels, queries
from foundry.collaborations.filters import Filters
from foundry.collaborations.models import Collaboration
from foundry.collaborations.totals import Totals, knowledge_transfer
from foundry.extensions import db
from foundry.reports.exports import Column, Export, Sheet


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


def _summary_columns() -> list[Column]:
    return [
        Column(_("Table"), "text", 28),
        Column(_("Line"), "text", 44),
        Column(_("Count"), "int", 10),
        Column(_("Cash (HKD)"), "int", 16),
        Column(_("In kind (HKD)"), "int", 16),
    ]


def _summary_rows(figures: Totals) -> Iterator[list]:
    """The page's figures, table by table: the knowledge-transfer lines (outcome lines carry
    no money: their cells stay empty), then count, cash and in-kind by kind, status, year."""
    table = _("Knowledge transfer (UGC)")
    for line in knowledge_transfer(figures):
        yield [table, str(line.label), line.count, line.cash, line.in_kind]
    for caption, rows, words in (
        (_("By kind"), figures.by_kind, labels.KIND_LABELS),
        (_("By status"), figures.by_status, labels.STATUS_LABELS),
        (_("By year started"), figures.by_year, None),
    ):
        for key, count, cash, in_kind in rows:
            yield [caption, str(words[key]) if words else str(key), count, cash, in_kind]


def summary_export(title: str, filename: str, figures: Totals) -> Export:
    """The figures alone: what a knowledge-transfer office copies into the UGC's return."""
    return Export(
        columns=_summary_columns(),
        rows=_summary_rows(figures),
        filename=f"{filename}-knowledge-transfer",
        title=title,
        sheet=_("Knowledge transfer"),
    )


def portfolio_export(
    title: str, filename: str, scope: sa.ColumnElement[bool], filters, figures: Totals
) -> Export:
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
        more_sheets=[Sheet(_("Knowledge transfer"), _summary_columns(), _summary_rows(figures))],
    )
