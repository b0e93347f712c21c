"""Readers of the CSV and Excel files the reports export (no spreadsheet library needed)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

SHEET_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download (its BOM removed)."""
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def sheet_names(content: bytes) -> list[str]:
    """The names of a workbook's sheets, in order."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    return [sheet.get("name") for sheet in root.iterfind(".//x:sheets/x:sheet", SHEET_NS)]


def read_xlsx(content: bytes, sheet_number: int = 1) -> list[list]:
    """A sheet of a workbook (the first unless told) as rows of values: text as str,
    numbers as float (dates are Excel serial numbers). Read from the XML, without a
    spreadsheet library."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = [
                "".join(t.text or "" for t in si.iter(f"{{{SHEET_NS['x']}}}t")) for si in root
            ]
        sheet = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{sheet_number}.xml"))
    rows = []
    for row in sheet.iterfind(".//x:sheetData/x:row", SHEET_NS):
        values: list = []
        for cell in row.iterfind("x:c", SHEET_NS):
            index = _column_index(cell.get("r"))
            values.extend([None] * (index - len(values)))
            kind = cell.get("t")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{{{SHEET_NS['x']}}}t"))
            elif kind == "s":
                value = shared[int(cell.find("x:v", SHEET_NS).text)]
            else:
                raw = cell.find("x:v", SHEET_NS)
                value = float(raw.text) if raw is not None else None
            values.append(value)
        rows.append(values)
    return rows


def xlsx_text(content: bytes) -> str:
    """Every XML part of a workbook as one text, to search for names that must not be there."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
