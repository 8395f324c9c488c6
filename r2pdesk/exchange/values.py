"""Values between the database and a workbook's cells: one plain JSON form for both, cells
written as text (never a formula), and the dates, choices and flags people type.

A plain value is what JSON holds: text, a yes/no, or nothing. Dates are ISO text, choices their
stored value, ids their canonical text; the hidden base of a workbook and the conflicts keep
values in this form, and the three-way merge compares them.

Dates typed as text are read in the common unambiguous forms (2026-11-21, 21/11/2026 when the day
is above 12, 21 Nov 2026, November 21, 2026 ...). A date that could be either day/month or
month/day, such as 03/04/2027, is refused, never guessed.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from babel.dates import format_date as babel_date

from r2pdesk.i18n import SOURCE_LANGUAGE, language, tr
from r2pdesk.xlsx import cell_text as plain_cell_text

Plain = str | bool | None

CELL_LIMIT = 32_767  # the most characters an Excel cell holds
CUT_MARK = " [… cut here: the full text is in r2pdesk]"


class CellError(ValueError):
    """A cell that cannot be read as its column needs; the message says why, for people."""


def plain(value: object) -> Plain:
    """A database value in its plain form."""
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str too
        return str(value.value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return str(value)


# --- text in cells --------------------------------------------------------------------------

# OOXML writes characters XML cannot hold as _xHHHH_; a carriage return too, since XML readers
# turn a raw one into a line feed. A literal "_xHHHH_" in the text is escaped by escaping "_".
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """Text as it goes into a cell, so that it reads back byte for byte."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape_text(text: str) -> str:
    """A cell's text as the person meant it."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def fit_cell(text: str) -> str:
    """Text cut to what a cell holds (escaped), marked where it was cut."""
    if len(escape_text(text)) <= CELL_LIMIT:
        return text
    room = CELL_LIMIT - len(CUT_MARK)
    kept: list[str] = []
    used = 0
    for char in text:
        size = len(escape_text(char))
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept) + CUT_MARK


def same_text(a: str, b: str) -> bool:
    """Whether two texts say the same: line ends and outer spaces aside."""
    return normal_text(a) == normal_text(b)


def normal_text(text: str) -> str:
    """Text as it is kept: line ends as line feeds, no outer spaces."""
    return text.replace("\r\n", "\n").strip()


def cell_text(value: object) -> str:
    """Any cell as text, unescaped: whole numbers without ".0", dates as ISO dates."""
    return unescape_text(plain_cell_text(value))


# --- dates ----------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-/.]+([a-z]+)\.?,?[ \-/.]+(\d{4})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.?[ \-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[ \-/.]+(\d{4})")


def _unreadable(text: str) -> CellError:
    return CellError(tr("'{text}' is not a date r2pdesk can read: write it as 2026-11-21 or "
                        "21 Nov 2026.").format(text=text))


def _spelled(day: date) -> str:
    """A day written out in the language in use, as a person reads it: 3 April 2027."""
    if language() == SOURCE_LANGUAGE:
        return f"{day.day} {day:%B %Y}"
    return babel_date(day, format="long", locale=language())


def _day(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(tr("'{text}' is not a day of the calendar.").format(text=text)) from None


def _named_month(text: str, name: str) -> int:
    month = _MONTHS.get(name)
    if month is None:
        raise _unreadable(text)
    return month


def parse_date(text: str) -> date:
    """A date typed as text, in an unambiguous common form; CellError otherwise."""
    typed = " ".join(text.split())
    lowered = typed.casefold()
    if match := _ISO.fullmatch(lowered):
        year, month, day = (int(g) for g in match.groups())
        return _day(typed, year, month, day)
    if match := _NUMERIC.fullmatch(lowered):
        first, second, year = (int(g) for g in match.groups())
        if first > 12 or first == second:
            return _day(typed, year, second, first)
        if second > 12:
            return _day(typed, year, first, second)
        a, b = date(year, second, first), date(year, first, second)
        raise CellError(
            tr("'{text}' could be {first} or {second}: write the date as {iso} or {short}, so "
               "that it cannot be misread.").format(
                text=typed, first=_spelled(a), second=_spelled(b), iso=a.isoformat(),
                short=f"{a.day} {a:%b %Y}")
        )
    if match := _DAY_FIRST.fullmatch(lowered):
        number, name, year_text = match.groups()
        return _day(typed, int(year_text), _named_month(typed, name), int(number))
    if match := _MONTH_FIRST.fullmatch(lowered):
        name, number, year_text = match.groups()
        return _day(typed, int(year_text), _named_month(typed, name), int(number))
    raise _unreadable(typed)


def read_date(value: object) -> date | None:
    """A date cell: a date Excel kept as one, or text typed in a common form; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):  # bool is an int too
        raise CellError(tr("{value} is a number, not a date: write it as 2026-11-21 or "
                           "21 Nov 2026.").format(value=cell_text(value)))
    return parse_date(cell_text(value))


# --- choices, flags and ids -----------------------------------------------------------------


def choice_key(text: str) -> str:
    """Choices match in any case, with spaces, hyphens or underscores alike."""
    return "".join(c for c in text.casefold() if c.isalnum())


def read_choice(text: str, labels: Mapping[str, str]) -> str | None:
    """A choice by its label or its stored value (labels: value -> label); None when empty."""
    if not text.strip():
        return None
    key = choice_key(text)
    for value, label in labels.items():
        if key in (choice_key(value), choice_key(label)):
            return value
    raise CellError(tr("'{text}' is not one of: {choices}.").format(
        text=text.strip(), choices=", ".join(labels.values())))


YES, NO = "yes", "no"
_FLAGS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
          "false": False, "0": False}


def read_flag(text: str) -> bool | None:
    """Yes or no; None when empty."""
    if not text.strip():
        return None
    found = _FLAGS.get(choice_key(text))
    if found is None:
        raise CellError(tr("'{text}' is not yes or no.").format(text=text.strip()))
    return found


def read_id(text: str) -> str | None:
    """A record's id as exported; None when empty."""
    if not text.strip():
        return None
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise CellError(
            tr("'{text}' is not an r2pdesk id: leave this column as it was exported.").format(
                text=text.strip())
        ) from None


def labels_of(enum_cls: type[enum.StrEnum], overrides: Mapping[Any, str] | None = None) -> dict[
    str, str
]:
    """value -> label for every member: the given labels, else the value in words."""
    given = overrides or {}
    return {
        member.value: given.get(member, member.value.replace("_", " ").capitalize())
        for member in enum_cls
    }
