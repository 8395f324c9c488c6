"""The one translation catalogue of r2pdesk, for the app, the CLI and the reports.

Every user-visible string is written in English in the code and goes through `tr`:

    tr("Open warnings")
    tr("{count} recommendations overdue").format(count=n)

Strings kept in module-level tables (status labels, column titles) are marked with `N_` where
they are written and translated with `tr` where they are shown, because the language is chosen
after the modules are imported. `tr("Open", context="verb")` separates two meanings of one
English word.

The catalogue of a language is `resources/i18n/<code>.json`: one object from the English text (or
`context|text`) to its translation. `python -m r2pdesk.i18n_catalogue` brings every catalogue in
step with the code, and a test fails while any language has an untranslated or a stale string.

Dates and numbers are formatted for the language with Babel's CLDR data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib import resources

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

SOURCE_LANGUAGE = "en"
# Language code -> its name in itself, as the language menu shows it.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})
# Languages whose PDF reports come out right. ReportLab neither shapes Arabic letters nor orders
# right-to-left text, so Arabic reports are printed in English and the app says so.
REPORT_LANGUAGES = frozenset({"en", "fr", "es"})

CONTEXT_SEPARATOR = "|"

_chosen = SOURCE_LANGUAGE
# A language spoken for a while by one thread only (a report printed in English), else None.
_speaking: ContextVar[str | None] = ContextVar("speaking", default=None)


class UnknownLanguageError(ValueError):
    """A language code r2pdesk has no catalogue for."""

    def __init__(self, code: str) -> None:
        names = ", ".join(LANGUAGES)
        super().__init__(f"Unknown language '{code}': choose one of {names}.")


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for the catalogue without translating it yet."""
    return text


def key(text: str, context: str | None = None) -> str:
    """The catalogue key of a text (and its context)."""
    return f"{context}{CONTEXT_SEPARATOR}{text}" if context else text


@cache
def catalogue(code: str) -> dict[str, str]:
    """The translations of one language, from its file (empty for English)."""
    if code == SOURCE_LANGUAGE:
        return {}
    if code not in LANGUAGES:
        raise UnknownLanguageError(code)
    text = resources.files("resources").joinpath("i18n", f"{code}.json").read_text("utf-8")
    loaded: dict[str, str] = json.loads(text)
    return loaded


def set_language(code: str) -> None:
    """Choose the language of everything shown from now on."""
    global _chosen  # noqa: PLW0603 - one language per process, chosen at start-up
    catalogue(code)  # refuse an unknown code before changing anything
    _chosen = code


def language() -> str:
    """The code of the language in use."""
    return _speaking.get() or _chosen


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` in this thread for a while (the rest of the app keeps its language)."""
    catalogue(code)
    token = _speaking.set(code)
    try:
        yield
    finally:
        _speaking.reset(token)


def is_right_to_left(code: str | None = None) -> bool:
    """Whether a language (default: the one in use) is written right to left."""
    return (code or language()) in RIGHT_TO_LEFT


def report_language(code: str | None = None) -> str:
    """The language a report is printed in: the one asked for, or English where it cannot be."""
    code = code or language()
    return code if code in REPORT_LANGUAGES else SOURCE_LANGUAGE


def tr(text: str, context: str | None = None) -> str:
    """The text in the language in use; the English text where the catalogue has none."""
    code = language()
    if code == SOURCE_LANGUAGE:
        return text
    return catalogue(code).get(key(text, context)) or text


def format_date(value: date | None, missing: str = "—") -> str:
    """A day as the language writes it: 21 Nov 2026, 21 nov. 2026, 21 nov 2026."""
    if value is None:
        return missing
    if language() == SOURCE_LANGUAGE:
        return value.isoformat()
    return _babel_date(value, format="medium", locale=language())


def format_datetime(value: datetime) -> str:
    """A moment, in local time, as the language writes it."""
    local = value.astimezone()
    if language() == SOURCE_LANGUAGE:
        return local.strftime("%Y-%m-%d %H:%M")
    return _babel_datetime(local, format="medium", locale=language())


def format_number(value: float, decimals: int = 0) -> str:
    """A number with the language's separators: 12,345 / 12 345 / 12.345."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(value, format=pattern, locale=language())


def format_percent(fraction: float) -> str:
    """A share as a whole percentage: 42 %, 42%."""
    return _babel_percent(round(fraction, 2), locale=language())
