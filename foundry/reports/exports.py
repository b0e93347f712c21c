"""Streamed CSV and Excel exports of the placement reports.

Rows come from an iterator (the engine's streaming queries) and leave as they come: a CSV
is written line by line to the response; an Excel workbook is written row by row to a
temporary file by XlsxWriter in constant-memory mode (a .xlsx is a zip that can only be
sent once it is closed), then sent in chunks and deleted. Neither holds the whole result.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import xlsxwriter
from flask import Response, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from foundry.applications.forms import STATUS_LABELS
from foundry.applications.models import ApplicationStatus
from foundry.placements.models import PlacementCompletion, PlacementSource
from foundry.postings.forms import KIND_LABELS
from foundry.reports.drilldown import DrilldownRow, FigureSpec
from foundry.reports.forms import Description
from foundry.reports.metrics import Dashboard
from foundry.reports.outcomes import OutcomeRow, OutcomeSummary
from foundry.students.forms import STUDY_LEVEL_LABELS

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024
CSV_LINES_PER_CHUNK = 200
# The BOM tells Excel the file is UTF-8 (without it Chinese names come out garbled).
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how its cells are written.

    kind: "text", "int", "decimal" (a count, or a float shown to one decimal place),
    "percent" (a fraction 0..1),
    "date" or "datetime" (aware UTC datetimes, written in Hong Kong time)."""

    header: str
    kind: str = "text"
    width: int = 18


@dataclass(frozen=True)
class Export:
    """What an export holds: its columns, its rows (an iterator, consumed once), the file's
    base name (without extension) and a title for the workbook's properties."""

    columns: Sequence[Column]
    rows: Iterable[Sequence]
    filename: str
    title: str
    sheet: str = "Report"


def safe_filename(*parts: str) -> str:
    """An ASCII file name from words: "Placements", "2025/26", "SENG" -> placements-2025-26-seng."""
    text = "-".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:120] or "report"


def to_hong_kong(value: datetime) -> datetime:
    """An aware (or naive UTC) datetime in Hong Kong time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(HONG_KONG)


def csv_cell(value, kind: str):
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return to_hong_kong(value).isoformat(timespec="minutes")
    if kind in ("date", "datetime") and isinstance(value, date):
        return value.isoformat()
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return f"{float(value) * 100:.1f}"
    if kind == "decimal" and isinstance(value, float | Decimal):
        return f"{float(value):.1f}"
    return str(value)


class _Line:
    """A file-like object for csv.writer that hands back what it is given."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(export: Export) -> Iterator[str]:
    """The CSV text in chunks of a few hundred lines: BOM and header first."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    kinds = [c.kind for c in export.columns]
    yield BOM + writer.writerow([_csv_header(c) for c in export.columns])
    lines: list[str] = []
    for row in export.rows:
        lines.append(writer.writerow([csv_cell(v, k) for v, k in zip(row, kinds, strict=True)]))
        if len(lines) >= CSV_LINES_PER_CHUNK:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def _csv_header(column: Column) -> str:
    if column.kind == "percent":
        return f"{column.header} (%)"
    return column.header


def xlsx_chunks(export: Export) -> Iterator[bytes]:
    """Write the workbook to a temporary file row by row, then yield the file in chunks;
    the file is deleted whatever happens (finished, failed or the client went away)."""
    descriptor, path = tempfile.mkstemp(prefix="foundry-export-", suffix=".xlsx")
    os.close(descriptor)
    try:
        _write_workbook(export, path)
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)


def _write_workbook(export: Export, path: str) -> None:
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "in_memory": False,
            "tmpdir": os.path.dirname(path),
            "strings_to_numbers": False,
            "strings_to_formulas": False,  # a name starting with "=" stays text
            "strings_to_urls": False,
        },
    )
    try:
        workbook.set_properties({"title": export.title, "author": "Talent Foundry"})
        sheet = workbook.add_worksheet(_sheet_name(export.sheet))
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        formats = {
            "int": workbook.add_format({"num_format": "0"}),
            "decimal": workbook.add_format({"num_format": "General"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        for index, column in enumerate(export.columns):
            sheet.set_column(index, index, column.width)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(export.columns):
            sheet.write_string(0, index, column.header, header)
        for row_number, row in enumerate(export.rows, start=1):
            for index, (value, column) in enumerate(zip(row, export.columns, strict=True)):
                _write_cell(sheet, row_number, index, value, column.kind, formats)
    finally:
        workbook.close()


def _write_cell(sheet, row: int, col: int, value, kind: str, formats: dict) -> None:
    if value is None:
        return
    if kind == "datetime" and isinstance(value, datetime):
        # Excel has no time zones: the Hong Kong wall time, said so in the header.
        sheet.write_datetime(row, col, to_hong_kong(value).replace(tzinfo=None), formats[kind])
    elif kind in ("date", "datetime") and isinstance(value, date):
        sheet.write_datetime(
            row, col, datetime(value.year, value.month, value.day), formats["date"]
        )
    elif kind in ("int", "decimal", "percent") and isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value) if kind != "int" else value, formats[kind])
    else:
        sheet.write_string(row, col, str(value))


def _sheet_name(name: str) -> str:
    # Excel refuses []:*?/\ in sheet names and more than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Report"


def export_response(export: Export, fmt: str) -> Response:
    """The export as a streamed download (fmt is "csv" or "xlsx", checked by the caller)."""
    if fmt == "csv":
        body = (chunk.encode("utf-8") for chunk in csv_chunks(export))
        mimetype = "text/csv; charset=utf-8"
    else:
        body = xlsx_chunks(export)
        mimetype = XLSX_MIMETYPE
    filename = f"{safe_filename(export.filename)}.{fmt}"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


# --- what each export holds ------------------------------------------------------------

COMPLETION_LABELS = {
    PlacementCompletion.ONGOING: _l("Ongoing"),
    PlacementCompletion.COMPLETED: _l("Completed"),
    PlacementCompletion.ENDED_EARLY: _l("Ended early"),
}
SOURCE_LABELS = {
    PlacementSource.PORTAL: _l("Talent Foundry"),
    PlacementSource.RECORDED: _l("Recorded by staff"),
}
DATE_HEADERS = {
    "active": _l("First active (HKT)"),
    "submitted": _l("Submitted (HKT)"),
    "interviewed": _l("Interviewed (HKT)"),
    "offered": _l("Offered (HKT)"),
    "placed": _l("Placed (HKT)"),
}


def status_label(status) -> str:
    if isinstance(status, ApplicationStatus):
        return str(STATUS_LABELS[status])
    if isinstance(status, PlacementCompletion):
        return str(COMPLETION_LABELS[status])
    return ""


def dashboard_rows(d: Dashboard) -> list[tuple]:
    """Every figure of the dashboard as (section, figure, unit, value, previous, change).

    Rates are in percent with one decimal (the page rounds them to whole percents)."""
    students = _("students")
    rows: list[tuple] = []

    def add(section, label, unit, value, previous):
        change = None if value is None or previous is None else value - previous
        rows.append((section, label, unit, value, previous, change))

    def pct(value):
        return None if value is None else round(value * 100, 1)

    figures = _("Figures")
    for stage in d.funnel:
        add(figures, stage.label, students, stage.count, stage.previous)
    add(
        figures,
        _("Placement rate"),
        "%",
        pct(d.placement_rate.value),
        pct(d.placement_rate.previous),
    )
    add(
        figures,
        _("Median days from first application to placement"),
        _("days"),
        d.median_days_to_placement.value,
        d.median_days_to_placement.previous,
    )
    funnel = _("Funnel: conversion from the stage before")
    for stage in d.funnel[1:]:
        add(funnel, stage.label, "%", pct(stage.conversion), pct(stage.previous_conversion))
    for section, breakdown in (
        (_("By company cluster"), d.by_cluster),
        (_("Top companies"), d.top_companies),
        (_("By posting kind"), d.by_kind),
        (_("By programme of study"), d.by_programme),
    ):
        for row in breakdown:
            add(section, row.label, _("applications"), row.applications, row.applications_previous)
            add(section, row.label, _("placements"), row.placements, row.placements_previous)
    trend = _("Month by month")
    previous = d.previous_trend
    for index, point in enumerate(d.trend):
        before = previous[index] if index < len(previous) else None
        add(
            trend,
            point.label,
            _("applications"),
            point.applications,
            before and before.applications,
        )
        add(trend, point.label, _("placements"), point.placements, before and before.placements)
    return rows


def dashboard_export(d: Dashboard, description: Description) -> Export:
    columns = [
        Column(_("Section"), width=30),
        Column(_("Figure"), width=44),
        Column(_("Unit"), width=13),
        Column(d.filter.label, "decimal", 14),
        Column(d.previous_filter.label, "decimal", 14),
        Column(_("Change"), "decimal", 12),
    ]
    return Export(
        columns=columns,
        rows=dashboard_rows(d),
        filename=safe_filename("placements", *description.codes),
        title=_("Placements: %(scope)s", scope=description.text),
        sheet=_("Placements"),
    )


def drilldown_export(
    figure: FigureSpec, title: str, rows: Iterable[DrilldownRow], description: Description
) -> Export:
    columns = [
        Column(_("Student"), width=26),
        Column(_("E-mail"), width=30),
        Column(_("Programme"), width=30),
        Column(_("Level"), width=14),
        Column(_("Graduation year"), "int", 11),
        Column(_("Company or employer"), width=28),
        Column(_("Posting or role"), width=30),
        Column(_("Kind"), width=20),
        Column(_("Status"), width=14),
        Column(_("Source"), width=18),
        Column(str(DATE_HEADERS[figure.date_kind]), "datetime", 17),
    ]
    if figure.side == "students":
        columns.append(Column(_("Events in the period"), "int", 10))

    def cells(row: DrilldownRow) -> tuple:
        values = (
            row.student_name,
            row.email,
            row.programme,
            str(STUDY_LEVEL_LABELS[row.study_level]),
            row.graduation_year,
            row.company,
            row.posting_title,
            str(KIND_LABELS[row.kind]) if row.kind else None,
            status_label(row.status),
            str(SOURCE_LABELS[row.source]) if row.source else None,
            row.date,
        )
        return (*values, row.events) if figure.side == "students" else values

    return Export(
        columns=columns,
        rows=(cells(row) for row in rows),
        filename=safe_filename("placements", figure.key, *description.codes),
        title=f"{title}: {description.text}",
        sheet=title,
    )


def outcomes_export(summary: OutcomeSummary, description: Description) -> Export:
    """The NACE table: each outcome with its count and share, then the totals and rates."""
    rows: list[tuple] = [(r.label, r.count, r.share) for r in summary.rows]
    rows += [
        (_("Graduates"), summary.graduates, None),
        (_("Known outcomes"), summary.known, summary.knowledge_rate),
        (
            _("Career outcomes (rate of known, not seeking left out)"),
            summary.career_outcomes,
            summary.career_outcomes_rate,
        ),
        (_("Found outside the portal"), summary.recorded_off_portal, None),
    ]
    return Export(
        columns=[
            Column(_("Outcome"), width=48),
            Column(_("Graduates"), "int", 12),
            Column(_("Share"), "percent", 10),
        ],
        rows=rows,
        filename=safe_filename("outcomes", *description.codes),
        title=_("Graduate outcomes: %(scope)s", scope=description.text),
        sheet=_("Outcomes"),
    )


def outcome_rows_export(rows: Iterable[OutcomeRow], title: str, description: Description) -> Export:
    columns = [
        Column(_("Graduate"), width=26),
        Column(_("E-mail"), width=30),
        Column(_("Programme"), width=30),
        Column(_("Level"), width=14),
        Column(_("Graduation year"), "int", 11),
        Column(_("Outcome"), width=24),
        Column(_("Employer"), width=28),
        Column(_("Role"), width=26),
        Column(_("Institution"), width=26),
        Column(_("Found outside the portal"), width=12),
        Column(_("Source"), width=36),
        Column(_("Recorded (HKT)"), "datetime", 17),
    ]

    def cells(row: OutcomeRow) -> tuple:
        return (
            row.student_name,
            row.email,
            row.programme,
            str(STUDY_LEVEL_LABELS[row.study_level]),
            row.graduation_year,
            row.outcome_label,
            row.employer,
            row.role,
            row.institution,
            _("Yes") if row.off_portal else _("No"),
            row.source,
            row.recorded_at,
        )

    return Export(
        columns=columns,
        rows=(cells(row) for row in rows),
        filename=safe_filename("outcomes", *description.codes),
        title=f"{title}: {description.text}",
        sheet=title,
    )
