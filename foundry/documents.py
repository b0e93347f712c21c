"""What an uploaded document really is, read from its bytes, never from its name.

The portal takes three kinds of document: PDF (CVs, collaboration attachments), Word
(.docx) and Excel (.xlsx) (collaboration attachments). A PDF starts with `%PDF-` and
pypdf must find its pages; a .docx or .xlsx is a ZIP (Office Open XML) whose
`[Content_Types].xml` declares a Word document's or a workbook's main part, with that
part inside. Nothing else passes, whatever the file is called.

Untrusted files are read within limits: pypdf stops decompressing at PDF_DECOMPRESSED_LIMIT
(a small "decompression bomb" costs ~16 MB, not hundreds), and a ZIP is judged by its
directory (entries, declared sizes and ratios) before one byte of it is inflated; only
`[Content_Types].xml` is inflated, and never past 1 MB. XML is matched as bytes, not
parsed, so no entity expansion can happen. Macro-enabled Office files (.docm, .xlsm, a
`vbaProject.bin`) are refused: a record's papers need no code; so are PDFs with scripts,
program launches, form submissions or embedded files (read_pdf).
"""

from __future__ import annotations

import enum
import io
import zipfile
import zlib
from dataclasses import dataclass

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError


class DocumentKind(enum.Enum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"

    @property
    def extension(self) -> str:
        return "." + self.value

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self]


MIMETYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# A CV or an agreement is text and a few images: none of its streams needs more than this
# once decompressed.
PDF_DECOMPRESSED_LIMIT = 16 * 2**20
PDF_LIMITS = {
    name: PDF_DECOMPRESSED_LIMIT
    for name in (
        "maximum_declared_stream_length",
        "array_based_stream_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "zlib_maximum_output_length",
        "brotli_maximum_output_length",
        "image_maximum_buffer_size",
    )
}

# An Office file of 20 MB holds a few hundred parts that unpack to a few times its size;
# a ZIP bomb declares thousands of entries or gigabytes, or ratios in the thousands.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNPACKED = 512 * 2**20
ZIP_MAX_RATIO = 200  # uncompressed / compressed of one entry (XML compresses ~10-30×)
CONTENT_TYPES_MAX = 2**20

# The main part each kind's [Content_Types].xml declares, and the folder it lives in.
OFFICE_MAIN_PARTS = {
    DocumentKind.DOCX: (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/",
    ),
    DocumentKind.XLSX: (
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/",
    ),
}
MACRO_MARKERS = (b"macroEnabled", b"vbaProject")


class PdfUnpacksTooFar(Exception):
    """The PDF's streams decompress past PDF_DECOMPRESSED_LIMIT."""


class Refused(Exception):
    """The bytes are not an acceptable document; `reason` says why (a key of REASONS)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Why a file is refused, for the caller to put in words.
REASONS = (
    "empty",
    "unknown",  # neither a PDF nor an Office Open XML file
    "damaged_pdf",
    "pdf_bomb",
    "zip_bomb",
    "damaged_zip",  # a ZIP, but not a Word document or a workbook
    "encrypted",
    "macros",
    "active_content",  # a PDF that runs scripts, launches programs or embeds files
)


# What a PDF may do when opened, beyond showing pages and following links: run a script,
# start a program, send or fetch data, open an embedded file. A CV or an agreement needs
# none of it, and a recruiter or a dean opening it in a full PDF reader would run it.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE"}
)
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Screen", "/Sound"})
MAX_ACTION_CHAIN = 16


@dataclass(frozen=True)
class PdfFacts:
    pages: int  # 0 when pypdf cannot read it
    active: bool  # scripts, program launches, form submissions, embedded files, XFA forms


def read_pdf(content: bytes) -> PdfFacts:
    """What pypdf finds in `content`, within PDF_LIMITS; PdfUnpacksTooFar when a stream
    decompresses past them. The caller checks the magic."""
    try:
        with apply_configuration(**PDF_LIMITS):
            reader = PdfReader(io.BytesIO(content))
            return PdfFacts(len(reader.pages), _has_active_content(reader))
    except LimitReachedError:
        raise PdfUnpacksTooFar() from None
    except Exception:  # noqa: BLE001  (an untrusted file: whatever the parser trips on)
        return PdfFacts(0, False)


def _has_active_content(reader: PdfReader) -> bool:
    """Whether the document, a page or an annotation holds an action of ACTIVE_ACTIONS
    (opening, additional or chained actions), a script or embedded file in the name
    trees, an XFA form or an annotation that embeds a file or media."""
    root = reader.trailer["/Root"].get_object()
    names = _object(root.get("/Names"))
    if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        return True
    form = _object(root.get("/AcroForm"))
    if form is not None and "/XFA" in form:
        return True
    if "/AA" in root or _is_active(root.get("/OpenAction")):
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in _object(page.get("/Annots")) or []:
            annotation = _object(annotation)
            if annotation is None:
                continue
            if "/AA" in annotation or annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
                return True
            if _is_active(annotation.get("/A")):
                return True
    return False


def _is_active(action, depth: int = 0) -> bool:
    """An action (or a chain of them through /Next) of ACTIVE_ACTIONS; a destination (an
    array naming a page) is not an action."""
    action = _object(action)
    if not isinstance(action, dict) or depth > MAX_ACTION_CHAIN:
        return depth > MAX_ACTION_CHAIN
    if action.get("/S") in ACTIVE_ACTIONS:
        return True
    chained = _object(action.get("/Next"))
    if isinstance(chained, list):
        return any(_is_active(item, depth + 1) for item in chained)
    return _is_active(chained, depth + 1) if chained is not None else False


def _object(value):
    """`value` with an indirect reference followed (pypdf's objects)."""
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def is_pdf(content: bytes) -> bool:
    return content.lstrip()[:5] == b"%PDF-"


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    pages: int | None = None  # a PDF's


def identify(content: bytes) -> Document:
    """What `content` is, or Refused with the reason."""
    if not content:
        raise Refused("empty")
    if is_pdf(content):
        try:
            facts = read_pdf(content)
        except PdfUnpacksTooFar:
            raise Refused("pdf_bomb") from None
        if facts.pages < 1:
            raise Refused("damaged_pdf")
        if facts.active:
            raise Refused("active_content")
        return Document(DocumentKind.PDF, facts.pages)
    if content[:4] == b"PK\x03\x04":
        return Document(_office_kind(content))
    raise Refused("unknown")


def _office_kind(content: bytes) -> DocumentKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Refused("damaged_zip") from None
    with archive:
        entries = archive.infolist()
        _check_directory(entries)
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names:
            raise Refused("damaged_zip")
        content_types = _read_small(archive, "[Content_Types].xml")
    if any(marker in content_types for marker in MACRO_MARKERS) or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise Refused("macros")
    for kind, (main_type, folder) in OFFICE_MAIN_PARTS.items():
        if main_type in content_types and any(name.startswith(folder) for name in names):
            return kind
    raise Refused("damaged_zip")


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a bomb from the ZIP's directory alone: nothing is inflated yet."""
    if len(entries) > ZIP_MAX_ENTRIES:
        raise Refused("zip_bomb")
    if sum(entry.file_size for entry in entries) > ZIP_MAX_UNPACKED:
        raise Refused("zip_bomb")
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise Refused("encrypted")
        if entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1) + 2**16:
            raise Refused("zip_bomb")


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    """An entry's bytes, never inflating past CONTENT_TYPES_MAX (its declared size may lie)."""
    try:
        with archive.open(name) as stream:
            data = stream.read(CONTENT_TYPES_MAX + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        raise Refused("damaged_zip") from None
    if len(data) > CONTENT_TYPES_MAX:
        raise Refused("zip_bomb")
    return data
