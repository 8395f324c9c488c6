"""The values of the Excel exchange: dates typed as text, choices, and text that must come back
byte for byte (Hypothesis where a rule holds for every input)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from r2pdesk.exchange.values import (
    CELL_LIMIT,
    CUT_MARK,
    CellError,
    escape_text,
    fit_cell,
    parse_date,
    read_choice,
    read_date,
    read_flag,
    unescape_text,
)

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-21", date(2026, 11, 21)),
        (" 2026/11/21 ", date(2026, 11, 21)),
        ("2026-11-21 00:00:00", date(2026, 11, 21)),
        ("21/11/2026", date(2026, 11, 21)),
        ("11/21/2026", date(2026, 11, 21)),
        ("21.11.2026", date(2026, 11, 21)),
        ("03/03/2027", date(2027, 3, 3)),
        ("21 Nov 2026", date(2026, 11, 21)),
        ("21 november 2026", date(2026, 11, 21)),
        ("21-Nov-2026", date(2026, 11, 21)),
        ("21st November 2026", date(2026, 11, 21)),
        ("Nov 21, 2026", date(2026, 11, 21)),
        ("November 21 2026", date(2026, 11, 21)),
        ("Sept 1, 2026", date(2026, 9, 1)),
    ],
)
def test_common_dates_typed_as_text(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("03/04/2027", "could be 3 April 2027 or 4 March 2027"),
        ("31/02/2026", "is not a day of the calendar"),
        ("21/11/26", "is not a date r2pdesk can read"),
        ("soon", "is not a date r2pdesk can read"),
        ("21 Brumaire 2026", "is not a date r2pdesk can read"),
    ],
)
def test_dates_refused_rather_than_guessed(typed: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_date(typed)


@given(DAYS)
def test_every_unambiguous_form_reads_back(day: date) -> None:
    forms = [day.isoformat(), f"{day.day} {day:%b %Y}", f"{day:%B} {day.day}, {day.year}"]
    if day.day > 12 or day.day == day.month:
        forms.append(f"{day.day:02d}/{day.month:02d}/{day.year}")
    assert {parse_date(form) for form in forms} == {day}


@given(DAYS.filter(lambda d: d.day <= 12 and d.day != d.month))
def test_day_and_month_both_twelve_or_less_are_always_refused(day: date) -> None:
    with pytest.raises(CellError, match="could be"):
        parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}")


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_clear_refusal(text: str) -> None:
    message = ""
    try:
        parse_date(text)
    except CellError as exc:
        message = str(exc)
    assert not message or message.endswith(".")


def test_date_cells() -> None:
    assert read_date(datetime(2026, 11, 21, 0, 0)) == date(2026, 11, 21)
    assert read_date(date(2026, 11, 21)) == date(2026, 11, 21)
    assert read_date("  ") is None
    assert read_date(None) is None
    with pytest.raises(CellError, match="is a number, not a date"):
        read_date(46347)


def test_choices_by_label_or_value_in_any_case() -> None:
    labels = {"in_progress": "In progress", "implemented": "Implemented"}
    assert read_choice("IMPLEMENTED", labels) == "implemented"
    assert read_choice("  in progress ", labels) == "in_progress"
    assert read_choice("in_progress", labels) == "in_progress"
    assert read_choice("In-Progress", labels) == "in_progress"
    assert read_choice("", labels) is None
    with pytest.raises(CellError, match="'done' is not one of: In progress, Implemented"):
        read_choice("done", labels)
    assert read_flag("Yes") is True
    assert read_flag("no") is False
    with pytest.raises(CellError, match="not yes or no"):
        read_flag("maybe")


@given(st.text())
def test_text_escaped_for_a_cell_reads_back_byte_for_byte(text: str) -> None:
    assert unescape_text(escape_text(text)) == text
    assert "\r" not in escape_text(text)


def test_text_too_long_for_a_cell_is_cut_and_marked() -> None:
    long = "x" * (CELL_LIMIT + 10)
    cut = fit_cell(long)
    assert cut.endswith(CUT_MARK)
    assert len(escape_text(cut)) <= CELL_LIMIT
    assert fit_cell("short") == "short"
