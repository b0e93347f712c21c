"""Real, small documents built in memory for the attachment tests: a PDF, a Word document
and an Excel workbook as their applications write them, and the files that only pretend."""

from __future__ import annotations

import io
import zipfile

import xlsxwriter
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from foundry.demo.pdf import minimal_pdf

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def pdf(text: str = "Collaboration agreement") -> bytes:
    return minimal_pdf([text, "Signed by both parties"])


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(text: str = "Interim report") -> bytes:
    """The smallest package Word opens: content types, the package's relations, the body."""
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
                "</Relationships>"
            ),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
            ),
        }
    )


def xlsx() -> bytes:
    """A budget as Excel writes it (by xlsxwriter, which the exports use)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Budget")
    sheet.write_row(0, 0, ["Item", "HKD"])
    sheet.write_row(1, 0, ["Equipment", 120_000])
    workbook.close()
    return buffer.getvalue()


def exe() -> bytes:
    """A Windows program's first bytes (the MZ header), as a renamed .exe would start."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 2000


def plain_zip() -> bytes:
    return _zip({"readme.txt": "holiday photos", "photo.jpg": b"\xff\xd8\xff" + b"0" * 100})


def zip_bomb() -> bytes:
    """Looks like a Word document, but one part declares 8 MB of zeros in a few KB."""
    return _zip(
        {
            "[Content_Types].xml": f'<Types><Override ContentType="{WORD_MAIN}"/></Types>',
            "word/document.xml": b"\x00" * (8 * 2**20),
        }
    )


def macro_workbook() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": (
                '<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.'
                'main+xml"/></Types>'
            ),
            "xl/workbook.xml": "<workbook/>",
            "xl/vbaProject.bin": b"\x00" * 64,
        }
    )


# --- PDFs that do more than show pages (foundry/documents.py refuses them) ----------------


def _pdf_with(change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_script() -> bytes:
    """A script run when the document opens, in the document's name tree."""

    def script(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('Hello');"),
            }
        )
        scripts = ArrayObject([TextStringObject("hello"), writer._add_object(action)])
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): scripts})}
        )

    return _pdf_with(script)


def pdf_with_embedded_file() -> bytes:
    return _pdf_with(lambda writer: writer.add_attachment("setup.exe", exe()))


def pdf_launching_a_program() -> bytes:
    def launch(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc")}
        )

    return _pdf_with(launch)


def pdf_with_a_link() -> bytes:
    """A link to a web page: allowed (a CV links to a portfolio)."""
    return _pdf_with(
        lambda writer: writer.add_annotation(
            0, Link(rect=(50, 50, 200, 70), url="https://example.org")
        )
    )
