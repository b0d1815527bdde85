"""PDF documents the portal hands out (committee minutes, a submitted proposal, a decision letter), on fpdf2.

One Unicode TrueType/OpenType font is used when the machine has one, CJK-capable first so Korean names and text
print (Noto Sans CJK's collection holds Japanese, Korean, Chinese faces: the Korean one is taken); otherwise
DejaVu (Latin, Greek, Cyrillic), and as a last resort the built-in Helvetica. A character the chosen font lacks
is printed as "?" instead of silently vanishing."""

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

# First match wins: (path, face index in a collection).
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1),  # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
    ("/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf", 0),
    ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
)
BOLD_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 1),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKkr-Bold.otf", 0),
    ("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0),
)

# fontTools logs every step of font subsetting at INFO; the documents do not need that in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("fpdf.output").setLevel(logging.ERROR)  # the missing glyphs are replaced before printing


def font_file(candidates=FONT_CANDIDATES) -> tuple[str, int] | None:
    return next(((p, i) for p, i in candidates if Path(p).is_file()), None)


def font_path() -> str | None:
    found = font_file()
    return found[0] if found else None


@dataclass
class Row:
    label: str
    value: str


class PortalPDF(FPDF):
    """An A4 document with the portal's font, a title, headings, label/value rows, paragraphs and a table."""

    def __init__(self, *, title: str, author: str, created: datetime.datetime | None = None, footer: str = ""):
        super().__init__(format="A4")
        self.set_title(title)
        self.set_author(author)
        if created is not None:
            self.set_creation_date(created)
        self._footer_text = footer
        self.set_auto_page_break(auto=True, margin=18)
        regular, bold = font_file(), font_file(BOLD_CANDIDATES)
        if regular:
            self.add_font("portal", fname=regular[0], collection_font_number=regular[1])
            self.add_font("portal", style="B", fname=(bold or regular)[0], collection_font_number=(bold or regular)[1])
            self.family = "portal"
        else:
            self.family = "helvetica"
        self.alias_nb_pages()
        self.add_page()
        self.set_font(self.family, size=10)

    def safe(self, text) -> str:
        """`text` with every character the font cannot draw replaced by "?"."""
        text = str(text or "")
        if self.family == "helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        cmap = self.current_font.cmap
        return "".join(c if ord(c) in cmap or c in "\n\r\t" else "?" for c in text)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.safe(f"{self._footer_text}   {self.page_no()}/{{nb}}"), align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, *, size: int = 14) -> None:
        self.set_font(self.family, style="B", size=size)
        self.multi_cell(0, size * 0.55, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(self.family, size=10)

    def paragraph(self, text: str, *, size: int = 10) -> None:
        self.set_font(self.family, size=size)
        self.multi_cell(0, 5, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def rows(self, rows: list[Row], *, label_width: float = 55) -> None:
        for row in rows:
            self.set_font(self.family, style="B", size=9)
            y = self.get_y()
            self.multi_cell(label_width, 5, self.safe(row.label), new_x="RIGHT", new_y="TOP")
            self.set_font(self.family, size=9)
            self.multi_cell(0, 5, self.safe(row.value or "-"), new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y + 5))
        self.ln(1.5)

    def table(self, headings: list[str], body: list[list[str]], *, widths: tuple[int, ...]) -> None:
        self.set_font(self.family, size=8)
        with super().table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
            head = table.row()
            for text in headings:
                head.cell(self.safe(text))
            for values in body:
                line = table.row()
                for value in values:
                    line.cell(self.safe(value))
        self.set_font(self.family, size=10)
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
