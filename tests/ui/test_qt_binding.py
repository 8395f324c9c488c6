"""The Qt binding keeps Python's books: PySide6 6.12.0 on Python 3.11 lost a reference to None on
every call of a Qt method returning nothing, and the app aborted after some thousands of them."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox, QLabel

CALLS = 50_000


def test_calls_returning_nothing_keep_none_alive(qapp) -> None:
    label, combo = QLabel(), QComboBox()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        label.setText("x")
        label.update()
        if i % 50 == 0:
            combo.addItem("item", i)
    lost = before - sys.getrefcount(None)
    assert lost < 100  # a leak would be one per call: 100,000 and more


def test_report_preview_has_qtpdf() -> None:
    from ui.pdf_preview import QTPDF

    assert QTPDF, "QtPdf (PySide6-Addons) is needed for the report preview and printing"
