"""The certificate of attendance as a PDF (ReportLab), in English and Traditional Chinese
on one page: every label twice, each taken from the catalogue in its own language, and
the student's name, university, programme and organiser as each language names them.

Chinese is drawn in ReportLab's built-in CID font MSung-Light (Traditional Chinese, Adobe
CNS1): the PDF names the font and a reader supplies it, so no font file ships with us.
It has Latin letters too, so a name or title in either script is drawn in it; the
English labels are in Helvetica.
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


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


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


def _centred(canvas: Canvas, y: float, text: str, font: str, size: float, width: float):
    canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, y, text)


def _fit(text: str, font: str, size: float, limit: float) -> float:
    """The largest size up to `size` at which `text` fits in `limit` points."""
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > limit:
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
    _centred(canvas, height - 40 * mm, title_en, LATIN_BOLD, 28, width)
    _centred(canvas, height - 52 * mm, title_zh, CJK, 22, width)

    canvas.setFillColor(INK)
    line_en, line_zh = _in_both(lambda: _("This is to certify that"))
    _centred(canvas, height - 66 * mm, f"{line_en} · {line_zh}", CJK, 12, width)
    name = profile.user.display_name
    _centred(canvas, height - 81 * mm, name, CJK, _fit(name, CJK, 26, width - 60 * mm), width)
    university = profile.university
    where = f"{university.name_en} · {university.name_zh}"
    _centred(canvas, height - 90 * mm, where, CJK, 11, width)

    line_en, line_zh = _in_both(lambda: _("attended"))
    _centred(canvas, height - 101 * mm, f"{line_en} · {line_zh}", CJK, 12, width)
    limit = width - 60 * mm
    for y, title, size in ((113, programme.title_en, 18), (122, programme.title_zh, 15)):
        if title:
            _centred(canvas, height - y * mm, title, CJK, _fit(title, CJK, size, limit), width)
    with force_locale("en"):
        by_en = _("Organised by %(organiser)s", organiser=_organiser(programme, False))
    with force_locale("zh_Hant"):
        by_zh = _("Organised by %(organiser)s", organiser=_organiser(programme, True))
    _centred(canvas, height - 131 * mm, f"{by_en} · {by_zh}", CJK, 11, width)

    heading = _in_both(lambda: _("Sessions attended (Hong Kong time)"))
    y = height - 143 * mm
    _centred(canvas, y, f"{heading[0]} · {heading[1]}", CJK, 10, width)
    shown = attendee.sessions[:MAX_SESSIONS_LISTED]
    for attended in shown:
        y -= 5.5 * mm
        en, zh = _in_both(lambda a=attended: _session_line(a))
        _centred(canvas, y, en if en == zh else f"{en}  ·  {zh}", CJK, 10, width)
    hidden = len(attendee.sessions) - len(shown)
    if hidden:
        y -= 5.5 * mm
        more = _in_both(lambda: _("and %(n)d more sessions", n=hidden))
        _centred(canvas, y, f"{more[0]} · {more[1]}", CJK, 10, width)

    side = 24 * mm
    _qr(canvas, verify_url, width - 20 * mm - side, 20 * mm, side)
    canvas.setFillColor(INK)
    issued = _in_both(lambda: _("Issued on %(day)s", day=format_day(utcnow())))
    check = _in_both(lambda: _("Check that this certificate is genuine at"))
    code_words = _in_both(lambda: _("Verification code: %(code)s", code=code))
    x = 22 * mm
    canvas.setFont(CJK, 9)
    canvas.drawString(x, 38 * mm, f"{issued[0]} · {issued[1]}")
    canvas.drawString(x, 33 * mm, f"{code_words[0]} · {code_words[1]}")
    canvas.drawString(x, 28 * mm, f"{check[0]} · {check[1]}")
    canvas.setFillColor(ACCENT)
    canvas.drawString(x, 23 * mm, verify_url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
