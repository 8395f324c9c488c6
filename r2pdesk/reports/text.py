"""Text typed by people, made safe for a PDF.

ReportLab reads paragraph text as markup: a title like `<img src=...>` or `<a href=...>` would load
a file or make a link. Every user text reaches a `Paragraph` through `esc`, which makes it print
literally, and reaches the canvas or a chart through `one_line` or `fit`.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date, format_skeleton
from reportlab.pdfbase.pdfmetrics import stringWidth

from r2pdesk.i18n import SOURCE_LANGUAGE, language
from r2pdesk.reports.styles import FONT

MAX_WORD = 60  # characters; a longer unbroken run is cut so that it wraps, even in a table cell
# C0 and C1 controls but tab and newline, lone surrogates, non-characters, bidi overrides.
_DROP = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_LONG = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def clean(text: str) -> str:
    """Text without control characters (tab and newline kept), every line break a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return _DROP.sub("", text.replace("\u2029", "\n"))


def _cut(match: re.Match[str]) -> str:
    word = match.group()
    return " ".join(word[i : i + MAX_WORD] for i in range(0, len(word), MAX_WORD))


CHUNK = 1200  # characters: a longer text is laid out as a run of paragraphs (see base.Run)
CHUNK_LINES = 8  # lines of a long text per paragraph: line breaks inside one are slow to lay out


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """Clean text, cut when long into pieces of at most `size` characters and `CHUNK_LINES`
    lines: at line breaks where it can, else at a space, else anywhere."""
    text = clean(text)
    if len(text) <= size:
        return [text]
    lines: list[str] = []
    for line in text.split("\n"):
        while len(line) > size:
            cut = line.rfind(" ", size // 2, size)
            cut = cut if cut > 0 else size
            lines.append(line[:cut])
            line = line[cut:].lstrip(" ")  # noqa: PLW2901 - the rest of the same line
        lines.append(line)
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    for line in lines:
        if current and (length + len(line) > size or len(current) == CHUNK_LINES):
            pieces.append("\n".join(current))
            current, length = [], 0
        current.append(line)
        length += len(line) + 1
    pieces.append("\n".join(current))
    return pieces


def esc(text: str) -> str:
    """User text as paragraph markup that prints literally: `& < >` escaped, control characters
    dropped, newlines as line breaks, absurdly long words cut so that they wrap."""
    text = _LONG.sub(_cut, clean(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


def one_line(text: str) -> str:
    """User text for a single line drawn on the canvas or in a chart: no markup is read there,
    but control characters and line breaks still go."""
    return " ".join(clean(text).split())


def fit(text: str, width: float, font: str = FONT, size: float = 8) -> str:
    """A line of text shortened with an ellipsis to fit `width` points."""
    text = one_line(text)
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def long_date(day: date | None) -> str:
    """21 November 2026; in the language in use: 21 novembre 2026, 21 de noviembre de 2026."""
    if day is None:
        return "—"
    if language() != SOURCE_LANGUAGE:
        return format_date(day, format="long", locale=language())
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | None) -> str:
    """21 Nov 2026; in the language in use: 21 nov. 2026, 21 nov 2026 (the day and the month
    joined by a no-break space: a narrow table cell breaks the line before the year only)."""
    if day is None:
        return "—"
    if language() != SOURCE_LANGUAGE:
        return format_date(day, format="medium", locale=language()).replace(" ", "\u00a0", 1)
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def month_year(day: date) -> str:
    """Nov 2026; in the language in use: nov. 2026."""
    if language() != SOURCE_LANGUAGE:
        return format_skeleton("yMMM", day, locale=language())
    return f"{_MONTHS[day.month - 1][:3]} {day.year}"


def lower_first(text: str) -> str:
    """A label within a sentence: "Emerging risk" as "emerging risk" (an acronym stays)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """A word at the start of a line: "validated" as "Validated"."""
    return text[:1].upper() + text[1:]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


