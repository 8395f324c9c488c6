"""Fonts, colours and paragraph styles of the reports.

The fonts are DejaVu Sans, shipped in `resources/fonts` (read through importlib.resources, so a
frozen build finds them) and embedded in every PDF: Latin, Cyrillic and Greek print as typed.
"""

from __future__ import annotations

import io
import threading
from importlib.resources import files
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_fonts_lock = threading.Lock()

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#5A6472")
RULE = colors.HexColor("#C3CAD3")
ZEBRA = colors.HexColor("#F2F4F7")
PANEL = colors.HexColor("#E8EDF3")

def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces with ReportLab, once per process."""
    with _fonts_lock:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        folder = files("resources") / "fonts"
        for name, file_name in _FONT_FILES.items():
            data = io.BytesIO(folder.joinpath(file_name).read_bytes())
            pdfmetrics.registerFont(TTFont(name, data))
        registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)


def stylesheet() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every report, by name."""
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK,
                          spaceAfter=5, bulletFontName=FONT)
    sheet = {"body": base}

    def add(name: str, **kw: Any) -> None:
        sheet[name] = ParagraphStyle(name, parent=base, **kw)

    add("h1", fontName=BOLD, fontSize=15, leading=19, textColor=NAVY, spaceBefore=16,
        spaceAfter=8)
    add("h2", fontName=BOLD, fontSize=11.5, leading=15, textColor=NAVY, spaceBefore=10,
        spaceAfter=5)
    add("h3", fontName=BOLD, fontSize=9.5, leading=13, spaceBefore=6, spaceAfter=3)
    add("small", fontSize=8, leading=11, textColor=MUTED)
    add("note", fontName=ITALIC, fontSize=8.5, leading=12, textColor=MUTED)
    add("cell", fontSize=8.2, leading=10.6, spaceAfter=0)
    add("cell_bold", fontName=BOLD, fontSize=8.2, leading=10.6, spaceAfter=0)
    add("cell_note", fontSize=7.4, leading=9.6, textColor=MUTED, spaceAfter=0, spaceBefore=1.5)
    add("cell_muted", fontSize=7.6, leading=10, textColor=MUTED, spaceAfter=0)
    add("num", fontSize=8.2, leading=10.6, spaceAfter=0, alignment=TA_RIGHT)
    add("num_bold", fontName=BOLD, fontSize=8.2, leading=10.6, spaceAfter=0, alignment=TA_RIGHT)
    add("head_num", fontName=BOLD, fontSize=7.8, leading=10, textColor=colors.white,
        spaceAfter=0, alignment=TA_RIGHT)
    add("head", fontName=BOLD, fontSize=7.8, leading=10, textColor=colors.white, spaceAfter=0)
    add("label", fontName=BOLD, fontSize=8.2, leading=10.6, textColor=MUTED, spaceAfter=0)
    add("cover_committee", fontName=BOLD, fontSize=12.5, leading=16, textColor=NAVY)
    add("cover_kind", fontName=BOLD, fontSize=10, leading=13, textColor=MUTED, spaceAfter=6)
    add("cover_title", fontName=BOLD, fontSize=25, leading=31, textColor=INK, spaceAfter=10)
    add("cover_subtitle", fontSize=13, leading=18, textColor=INK, spaceAfter=14)
    add("cover_date", fontSize=10.5, leading=14, textColor=MUTED)
    add("marking_box", fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER)
    add("toc1", fontSize=10, leading=15, leftIndent=0, rightIndent=26)
    add("toc2", fontSize=9, leading=13, leftIndent=14, rightIndent=26, textColor=MUTED)
    return sheet


