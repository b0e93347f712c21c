"""The certificate of attendance as a PDF (ReportLab), in English and Traditional Chinese
on one page: every label twice, each taken from the catalogue in its own language, and
the student's name, university, programme and organiser as each language names them.

Chinese is drawn in ReportLab's built-in CID font MSung-Light (Traditional Chinese, Adobe
CNS1): the PDF names the font and a reader supplies it, so no font file ships with us.
Every line is cut into runs by script: what Helvetica can draw (Windows-1252) in
Helvetica, the rest in MSung-Light, so a name or title in either script, or both, comes
out right (MSung-Light's own Latin letters are spaced badly by readers that substitute
another Chinese font for it).
"""

from __future__ import annotations

import io
from functools import cache

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from foundry.db import utcnow
from foundry.i18n import format_clock, format_day, format_moment
from foundry.programmes.attended import ProgrammeAttendee
from foundry.programmes.models import Programme

CJK = "MSung-Light"
LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
LANGUAGES = ("en", "zh_Hant")
MAX_SESSIONS_LISTED = 6
INK = colors.HexColor("#1f2937")
ACCENT = colors.HexColor("#0b5394")


class TraditionalChinese(UnicodeCIDFont):
    """MSung-Light with the CMap of its own character collection. ReportLab names the
    Simplified Chinese one (UniGB-UCS2-H) for this Adobe-CNS1 font; Acrobat copes, but
    readers that follow the PDF (poppler, and so most Linux viewers) then draw nothing.
    Text is written as UTF-16 either way, which is what UniCNS-UCS2-H reads."""

    def __init__(self):
        super().__init__(CJK)
        self.encodingName = "UniCNS-UCS2-H"


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TraditionalChinese())


def _in_both(text_of) -> tuple[str, str]:
    """(English, Chinese): `text_of()` run under each language."""
    results = []
    for language in LANGUAGES:
        with force_locale(language):
            results.append(str(text_of()))
    return results[0], results[1]


def _organiser(programme: Programme, chinese: bool) -> str:
    if programme.organiser_company:
        return programme.organiser_company.name
    if programme.organiser_faculty:
        faculty = programme.organiser_faculty
        return faculty.name_zh if chinese and faculty.name_zh else faculty.name_en
    return _("Hong Kong Science Park")


def _session_line(attended) -> str:
    session = attended.session
    label = f"{session.label} · " if session.label else ""
    return f"{label}{format_moment(session.starts_at)}–{format_clock(session.ends_at)} HKT"


def _latin(character: str) -> bool:
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs of `text`, each in a font that has its characters."""
    latin = LATIN_BOLD if bold else LATIN
    runs: list[tuple[str, str]] = []
    for character in text:
        font = latin if _latin(character) else CJK
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + character)
        else:
            runs.append((font, character))
    return runs


def _width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in _runs(text, bold))


def _draw(canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False):
    for font, run in _runs(text, bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def _centred(canvas: Canvas, y: float, text: str, size: float, width: float, bold=False):
    _draw(canvas, (width - _width(text, size, bold)) / 2, y, text, size, bold)


def _fit(text: str, size: float, limit: float) -> float:
    """The largest size up to `size` at which `text` fits in `limit` points."""
    while size > 8 and _width(text, size) > limit:
        size -= 0.5
    return size


def _qr(canvas: Canvas, url: str, x: float, y: float, side: float) -> None:
    """The verification address as a QR code, drawn square by square (no image file)."""
    code = segno.make_qr(url, error="m")
    rows = list(code.matrix_iter(scale=1, border=0))
    cell = side / len(rows)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y + side - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def certificate_pdf(attendee: ProgrammeAttendee, code: str, verify_url: str) -> bytes:
    """The certificate of the attendee's attendance, one A4 landscape page."""
    _register_fonts()
    profile, programme = attendee.profile, attendee.programme
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    title_en, title_zh = _in_both(lambda: _("Certificate of attendance"))
    canvas.setTitle(f"{title_en} · {programme.title_en} · {profile.user.display_name}")
    canvas.setAuthor("Talent Foundry")
    canvas.setSubject(programme.title_en)

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    canvas.setFillColor(ACCENT)
    _centred(canvas, height - 40 * mm, title_en, 28, width, bold=True)
    _centred(canvas, height - 52 * mm, title_zh, 22, width)

    canvas.setFillColor(INK)
    line_en, line_zh = _in_both(lambda: _("This is to certify that"))
    _centred(canvas, height - 66 * mm, f"{line_en} · {line_zh}", 12, width)
    name = profile.user.display_name
    _centred(canvas, height - 81 * mm, name, _fit(name, 26, width - 60 * mm), width)
    university = profile.university
    where = f"{university.name_en} · {university.name_zh}"
    _centred(canvas, height - 90 * mm, where, 11, width)

    line_en, line_zh = _in_both(lambda: _("attended"))
    _centred(canvas, height - 101 * mm, f"{line_en} · {line_zh}", 12, width)
    limit = width - 60 * mm
    for y, title, size in ((113, programme.title_en, 18), (122, programme.title_zh, 15)):
        if title:
            _centred(canvas, height - y * mm, title, _fit(title, size, limit), width)
    with force_locale("en"):
        by_en = _("Organised by %(organiser)s", organiser=_organiser(programme, False))
    with force_locale("zh_Hant"):
        by_zh = _("Organised by %(organiser)s", organiser=_organiser(programme, True))
    _centred(canvas, height - 131 * mm, f"{by_en} · {by_zh}", 11, width)

    heading = _in_both(lambda: _("Sessions attended (Hong Kong time)"))
    y = height - 143 * mm
    _centred(canvas, y, f"{heading[0]} · {heading[1]}", 10, width)
    shown = attendee.sessions[:MAX_SESSIONS_LISTED]
    for attended in shown:
        y -= 5.5 * mm
        en, zh = _in_both(lambda a=attended: _session_line(a))
        _centred(canvas, y, en if en == zh else f"{en}  ·  {zh}", 10, width)
    hidden = len(attendee.sessions) - len(shown)
    if hidden:
        y -= 5.5 * mm
        more = _in_both(lambda: _("and %(n)d more sessions", n=hidden))
        _centred(canvas, y, f"{more[0]} · {more[1]}", 10, width)

    side = 24 * mm
    _qr(canvas, verify_url, width - 20 * mm - side, 20 * mm, side)
    canvas.setFillColor(INK)
    issued = _in_both(lambda: _("Issued on %(day)s", day=format_day(utcnow())))
    check = _in_both(lambda: _("Check that this certificate is genuine at"))
    code_words = _in_both(lambda: _("Verification code: %(code)s", code=code))
    x = 22 * mm
    _draw(canvas, x, 38 * mm, f"{issued[0]} · {issued[1]}", 9)
    _draw(canvas, x, 33 * mm, f"{code_words[0]} · {code_words[1]}", 9)
    _draw(canvas, x, 28 * mm, f"{check[0]} · {check[1]}", 9)
    canvas.setFillColor(ACCENT)
    _draw(canvas, x, 23 * mm, verify_url, 9)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
