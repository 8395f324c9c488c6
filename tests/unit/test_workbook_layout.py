"""Exported rows are tall enough for their wrapped text, since LibreOffice does not grow them."""

from __future__ import annotations

from r2pdesk.exchange.workbook import LINE_HEIGHT, MAX_ROW_HEIGHT, row_height


def test_a_row_grows_with_its_longest_wrapped_cell() -> None:
    assert row_height([("short", 20)]) == LINE_HEIGHT
    assert row_height([("x" * 118, 60), ("y", 10)]) == 2 * LINE_HEIGHT  # 59 characters a line
    assert row_height([("one\ntwo\nthree", 60)]) == 3 * LINE_HEIGHT
    assert row_height([("", 10)]) == LINE_HEIGHT


def test_a_row_never_exceeds_what_a_spreadsheet_allows() -> None:
    assert row_height([("z" * 100_000, 30)]) == MAX_ROW_HEIGHT
