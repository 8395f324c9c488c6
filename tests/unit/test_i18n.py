"""r2pdesk.i18n: the language in use, `tr` and its contexts, and dates and numbers by language.

The catalogues are replaced by small ones here, so that these tests say how `tr` behaves whatever
the shipped catalogues hold. Dates and numbers are the CLDR conventions of each language, as Babel
writes them (the narrow no-break space U+202F groups French digits; Arabic writes its medium date
with right-to-left marks U+200F and, in CLDR's default numbering for Arabic, Latin digits).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest

from r2pdesk import i18n
from r2pdesk.assessments.models import Confidence, confidence_label
from r2pdesk.earlywarning.models import Severity, severity_label
from r2pdesk.i18n import (
    UnknownLanguageError,
    format_date,
    format_number,
    format_percent,
    language,
    report_language,
    set_language,
    speaking,
    tr,
)
from r2pdesk.recommendations.models import Priority
from r2pdesk.recommendations.service import priority_label

DAY = date(2026, 11, 21)
NUMBER = 12345.5

CATALOGUES = {
    "fr": {
        "Open warnings": "Alertes ouvertes",
        "{count} overdue": "{count} en retard",
        "Low": "Faible",
        "severity|Low": "Faible",
        "verb|Open": "Ouvrir",
        "Open": "Ouverte",
    },
    "es": {
        "Open warnings": "Alertas abiertas",
        "Low": "Bajo",
        "severity|Low": "Baja",
        "priority|Low": "Baja",
        "confidence|Low": "Bajo",
    },
    "ar": {"Open warnings": "الإنذارات المفتوحة"},
}


@pytest.fixture(autouse=True)
def _english_again(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Small catalogues for the test; English again after it, whatever it chose."""

    def catalogue(code: str) -> dict[str, str]:
        if code == i18n.SOURCE_LANGUAGE:
            return {}
        if code not in i18n.LANGUAGES:
            raise UnknownLanguageError(code)
        return CATALOGUES[code]

    monkeypatch.setattr(i18n, "catalogue", catalogue)
    set_language("en")
    yield
    set_language("en")


def test_english_is_the_text_itself() -> None:
    assert language() == "en"
    assert tr("Open warnings") == "Open warnings"
    assert tr("Open", context="verb") == "Open"


def test_tr_translates_and_keeps_placeholders_for_format() -> None:
    set_language("fr")
    assert tr("Open warnings") == "Alertes ouvertes"
    assert tr("{count} overdue").format(count=3) == "3 en retard"


def test_tr_falls_back_to_english_for_an_unknown_key() -> None:
    set_language("fr")
    assert tr("A string no catalogue holds") == "A string no catalogue holds"
    set_language("ar")
    assert tr("Low") == "Low"  # Arabic's small catalogue lacks it


def test_a_context_is_its_own_key() -> None:
    assert i18n.key("Open", "verb") == "verb|Open"
    assert i18n.key("Open") == "Open"
    set_language("fr")
    assert tr("Open", context="verb") == "Ouvrir"
    assert tr("Open") == "Ouverte"
    # A context the catalogue lacks falls back to the English, not to the text without context.
    assert tr("Open", context="adjective") == "Open"


def test_labels_agree_with_their_noun_through_contexts() -> None:
    set_language("es")
    assert tr("Low") == "Bajo"
    assert severity_label(Severity.LOW) == "Baja"
    assert priority_label(Priority.LOW) == "Baja"
    assert confidence_label(Confidence.LOW) == "Bajo"


def test_speaking_overrides_only_the_current_thread() -> None:
    set_language("fr")
    seen: dict[str, str] = {}

    def worker() -> None:
        seen["worker"] = language()
        seen["worker text"] = tr("Open warnings")

    with speaking("en"):
        assert language() == "en"
        assert tr("Open warnings") == "Open warnings"
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen == {"worker": "fr", "worker text": "Alertes ouvertes"}
    assert language() == "fr"


def test_a_worker_speaking_leaves_the_other_threads_alone() -> None:
    set_language("fr")
    speaking_now, done = threading.Event(), threading.Event()
    seen: dict[str, str] = {}

    def worker() -> None:
        with speaking("es"):
            seen["worker"] = language()
            speaking_now.set()
            done.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert speaking_now.wait(5)
        assert language() == "fr"  # while the worker speaks Spanish
        assert tr("Open warnings") == "Alertes ouvertes"
    finally:
        done.set()
        thread.join()
    assert seen == {"worker": "es"}


def test_speaking_an_unknown_language_is_refused() -> None:
    with pytest.raises(UnknownLanguageError), speaking("xx"):
        pass
    assert language() == "en"


def test_reports_fall_back_to_english_where_they_cannot_be_printed() -> None:
    assert report_language("ar") == "en"
    assert report_language("fr") == "fr"
    assert report_language("es") == "es"
    assert report_language("en") == "en"
    set_language("ar")
    assert report_language() == "en"
    set_language("fr")
    assert report_language() == "fr"


def test_an_unknown_language_is_refused_and_changes_nothing() -> None:
    set_language("fr")
    with pytest.raises(UnknownLanguageError, match="Unknown language 'xx'"):
        set_language("xx")
    assert language() == "fr"
    assert tr("Open warnings") == "Alertes ouvertes"


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "2026-11-21"),  # English keeps ISO dates
    ("fr", "21 nov. 2026"),
    ("es", "21 nov 2026"),
    ("ar", "21\u200f/11\u200f/2026"),
])
def test_format_date(code: str, expected: str) -> None:
    set_language(code)
    assert format_date(DAY) == expected
    assert format_date(None) == "—"


@pytest.mark.parametrize(("code", "whole", "one_decimal"), [
    ("en", "12,346", "12,345.5"),
    ("fr", "12\u202f346", "12\u202f345,5"),
    ("es", "12.346", "12.345,5"),
    ("ar", "12,346", "12,345.5"),
])
def test_format_number(code: str, whole: str, one_decimal: str) -> None:
    set_language(code)
    assert format_number(NUMBER) == whole
    assert format_number(NUMBER, decimals=1) == one_decimal


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "42%"),
    ("fr", "42\u00a0%"),
    ("es", "42\u00a0%"),
    ("ar", "42%"),
])
def test_format_percent(code: str, expected: str) -> None:
    set_language(code)
    assert format_percent(0.42) == expected
