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

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024
CSV_LINES_PER_CHUNK = 200
# The BOM tells Excel the file is UTF-8 (without it Chinese names come out garbled).
BOM = "\ufeff"


@dataclass(frozen=True)
class Description:
    """What a report covers, in words for people and in codes for file names."""

    words: list[str]
    codes: list[str]

    @property
    def text(self) -> str:
        return " · ".join(self.words)


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
class Sheet:
    """A further table of an Excel export, on a worksheet of its own (a CSV holds one table:
    it leaves these out)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


@dataclass(frozen=True)
class Export:
    """What an export holds: its columns, its rows (an iterator, consumed once), the file's
    base name (without extension) and a title for the workbook's properties."""

    columns: Sequence[Column]
    rows: Iterable[Sequence]
    filename: str
    title: str
    sheet: str = "Report"
    more_sheets: Sequence[Sheet] = ()


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
    if isinstance(value, int | float | Decimal):
        return str(value)
    return _inert(str(value))


# A spreadsheet opening the CSV would run text starting with these as a formula (a student
# can name themselves "=HYPERLINK(...)"); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        formats = {
            "int": workbook.add_format({"num_format": "0"}),
            "decimal": workbook.add_format({"num_format": "General"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        main = Sheet(export.sheet, export.columns, export.rows)
        for table in (main, *export.more_sheets):
            _write_sheet(workbook.add_worksheet(_sheet_name(table.name)), table, header, formats)
    finally:
        workbook.close()


def _write_sheet(sheet, table: Sheet, header, formats: dict) -> None:
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.header, header)
    for row_number, row in enumerate(table.rows, start=1):
        for index, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            _write_cell(sheet, row_number, index, value, column.kind, formats)


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
