"""The minutes as a PDF (fpdf2). A Unicode TrueType font is used when the machine has one, so names and
Korean text print; otherwise the built-in Helvetica with characters it lacks replaced."""

import logging
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

# First match wins: CJK-capable fonts before DejaVu (Latin, Greek, Cyrillic).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


# fontTools logs every step of font subsetting at INFO; the minutes do not need that in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_path() -> str | None:
    return next((p for p in FONT_CANDIDATES if Path(p).is_file()), None)


def minutes_pdf(minutes) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(str(minutes.meeting))
    pdf.set_author(_("National Smart City Committee"))
    pdf.set_creation_date(minutes.updated_at)
    pdf.add_page()
    path = _font_path()
    body = minutes.body
    if path:
        pdf.add_font("minutes", fname=path)
        pdf.set_font("minutes", size=10)
    else:
        pdf.set_font("helvetica", size=10)
        body = body.encode("latin-1", "replace").decode("latin-1")
    if minutes.status != "final":
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 8, _("DRAFT: not final"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, 5, body)
    return bytes(pdf.output())
