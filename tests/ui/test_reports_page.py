"""The Reports page driven as a secretariat would: every report generated from the demo and
previewed, options that follow the report, saving, printing, redaction and refusals."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from r2pdesk.earlywarning.models import EarlyWarning, WarningStatus
from r2pdesk.i18n import LANGUAGES, SOURCE_LANGUAGE, set_language
from r2pdesk.reports import REPORTS, Marking
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import opened, shown
from ui import pdf_preview
from ui.pdf_preview import NEEDS_QTPDF, count_pages
from ui.reports_page import KINDS, LATEST, ReportsPage

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.skipif(not pdf_preview.QTPDF, reason="QtPdf (pyside6-pdf) is missing")


def _page(qtbot: QtBot, store: Store) -> ReportsPage:
    return shown(qtbot, ReportsPage(store, today=lambda: DEMO_TODAY))


def _warning_id(store: Store, *, confidential: bool) -> str:
    with store.reader() as session:
        found = session.scalar(
            select(EarlyWarning.id)
            .where(EarlyWarning.confidential.is_(confidential),
                   EarlyWarning.status != WarningStatus.DRAFT)
            .order_by(EarlyWarning.reference.desc()))
    assert found is not None
    return str(found)


def _shortcut(qtbot: QtBot, page: ReportsPage, key: Qt.Key) -> None:
    """Ctrl+key on the page, its window active again after a dialog has closed."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(page, key, CTRL)


def _generate(qtbot: QtBot, page: ReportsPage) -> None:
    """Ctrl+G, then wait until the report (or the refusal) is back."""
    _shortcut(qtbot, page, Qt.Key.Key_G)
    assert page.busy
    assert not page.generate_action.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert page.generate_action.isEnabled()


def _pdfinfo_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    found = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
    assert found
    return int(found.group(1))


def _texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1]


def _save(qtbot: QtBot, page: ReportsPage, path: Path) -> None:
    """Ctrl+S, the file chosen in the dialog."""
    _shortcut(qtbot, page, Qt.Key.Key_S)
    dialog = opened(qtbot, page, QFileDialog)
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(path.exists)


@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_report_is_generated_and_previewed(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, kind: str
) -> None:
    page = _page(qtbot, demo_store)
    assert not page.save_action.isEnabled()
    assert not page.print_action.isEnabled()
    page.set_kind(kind)
    if kind == "ministry-brief":
        assert page.institution.set_value("Ministry of the Interior")
    if kind == "warning-note":
        assert page.warning.set_value(_warning_id(demo_store, confidential=False))
    _generate(qtbot, page)
    assert page.message is None, page.message and page.message.text()
    assert page.pdf.startswith(b"%PDF")
    written = tmp_path / f"{kind}.pdf"
    written.write_bytes(page.pdf)
    pages = _pdfinfo_pages(written)
    assert page.preview.page_count() == pages == count_pages(page.pdf)
    assert page.preview.document.pageCount() == pages
    assert page.preview.of_label.text() == f"of {pages}"
    assert page.preview.view.isVisible()
    assert f"{pages} page" in page.status.text()
    assert "RESTRICTED" in page.status.text()
    assert page.save_action.isEnabled()
    assert page.print_action.isEnabled()
    if pages > 1:
        qtbot.mouseClick(page.preview.next, Qt.MouseButton.LeftButton)
        assert page.preview.current_page() == 1
        assert page.preview.page_box.value() == 2


def test_the_options_follow_the_report(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    combos = {"ministry-brief": page.institution, "warning-note": page.warning,
              "assessment": page.assessment}
    for kind in KINDS:
        page.set_kind(kind.name)
        assert page.kind() == kind.name
        for owner, combo in combos.items():
            assert page.form.isRowVisible(combo) is (owner == kind.name), (kind.name, owner)
        assert page.form.isRowVisible(page.marking)
        assert page.form.isRowVisible(page.confidential)
        options = page.options()
        assert options.kind == kind.name
        assert (options.institution is not None) is (kind.name == "ministry-brief")
    assert page.institution.count() > 0
    labels = [page.warning.itemText(i) for i in range(page.warning.count())]
    assert any("confidential" in label for label in labels)
    # The assessment report defaults to the latest assessment, as the CLI does.
    page.set_kind("assessment")
    assert page.assessment.currentText() == LATEST
    assert page.options().record_id is None
    assert page.marking.value() is Marking.RESTRICTED
    assert not page.confidential.isChecked()


def test_saving_and_the_confidential_option_raise_the_marking(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = _page(qtbot, demo_store)
    page.set_kind("regional-brief")
    assert page.marking.set_value(Marking.PUBLIC)
    _generate(qtbot, page)
    public = tmp_path / "public.pdf"
    _save(qtbot, page, public)
    assert public.read_bytes().startswith(b"%PDF")
    assert f"Saved to {public}" in page.status.text()
    assert all("PUBLIC" in text and "CONFIDENTIAL" not in text for text in _texts(public))

    # Ticking the option shows the warning and raises the marking; unticking gives it back.
    assert page.confidential_warning.isHidden()
    page.confidential.setChecked(True)
    assert page.confidential_warning.isVisible()
    assert page.marking.value() is Marking.CONFIDENTIAL
    assert not page.marking.isEnabled()
    _generate(qtbot, page)
    assert "marked CONFIDENTIAL" in page.status.text()
    full = tmp_path / "full.pdf"
    _save(qtbot, page, full)
    texts = _texts(full)
    assert texts
    assert all(text.count("CONFIDENTIAL") >= 2 for text in texts)
    page.confidential.setChecked(False)
    assert page.marking.value() is Marking.PUBLIC
    assert page.marking.isEnabled()


def test_a_refused_report_says_why_and_the_page_stays_usable(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    page.set_kind("warning-note")
    assert page.warning.set_value(_warning_id(demo_store, confidential=True))
    _generate(qtbot, page)
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible())
    assert page.message is not None
    assert "is confidential" in page.message.text()
    assert "Not generated" in page.status.text()
    assert not page.pdf
    assert not page.save_action.isEnabled()
    page.message.close()
    qtbot.waitUntil(lambda: page.message is None)

    page.confidential.setChecked(True)
    _generate(qtbot, page)
    assert page.message is None
    assert page.pdf.startswith(b"%PDF")
    assert "marked CONFIDENTIAL" in page.status.text()


@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")  # the printer that fails
def test_printing_prints_every_page(qtbot: QtBot, demo_store: Store, tmp_path: Path) -> None:
    page = _page(qtbot, demo_store)
    page.set_kind("warning-note")
    assert page.warning.set_value(_warning_id(demo_store, confidential=False))
    _generate(qtbot, page)
    pages = page.preview.page_count()

    # Ctrl+P asks for the printer; cancelled, nothing prints.
    _shortcut(qtbot, page, Qt.Key.Key_P)
    dialog = opened(qtbot, page, QPrintDialog)
    assert (dialog.minPage(), dialog.maxPage()) == (1, pages)
    dialog.reject()
    assert "Sent" not in page.status.text()

    # Every page goes to the printer (here one that writes a PDF file: no test sends a job to
    # a real printer, so the dialog itself is never accepted).
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    assert page.print_to(printer) == pages
    assert _pdfinfo_pages(printed) == pages
    assert f"Sent {pages} page" in page.status.text()

    # A page range prints only those pages.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    ranged = tmp_path / "ranged.pdf"
    printer.setOutputFileName(str(ranged))
    printer.setFromTo(1, 1)
    assert page.print_to(printer) == 1
    assert _pdfinfo_pages(ranged) == 1

    # A printer that cannot start says so, without blocking.
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "x.pdf"))
    assert page.print_to(printer) == 0
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible())
    assert page.message is not None
    assert "could not be started" in page.message.text()
    page.message.close()


def test_without_qtpdf_the_page_still_generates_and_saves(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_preview, "QTPDF", False)
    page = _page(qtbot, demo_store)
    assert not page.preview.uses_qtpdf
    assert page.print_note.isVisible()
    page.set_kind("implementation")
    _generate(qtbot, page)
    pages = count_pages(page.pdf)
    assert pages > 1
    assert f"{pages} pages" in page.preview.notice.text()
    assert NEEDS_QTPDF in page.preview.notice.text()
    assert not page.print_action.isEnabled()
    assert page.print_action.toolTip() == NEEDS_QTPDF
    saved = tmp_path / "implementation.pdf"
    _save(qtbot, page, saved)
    assert saved.read_bytes() == page.pdf


@pytest.mark.parametrize(("code", "noted"), [("en", False), ("fr", False), ("ar", True)])
def test_the_page_says_when_reports_are_printed_in_english(
    qtbot: QtBot, demo_store: Store, code: str, noted: bool
) -> None:
    """Arabic PDF reports would not come out right, so they print in English: the page says so
    in the language of the app; in the languages reports are printed in, it says nothing."""
    set_language(code)
    try:
        page = _page(qtbot, demo_store)
    finally:
        set_language(SOURCE_LANGUAGE)
    assert page.language_note.isVisible() is noted
    if noted:
        assert LANGUAGES[code] in page.language_note.text()


def test_screenshot_of_an_implementation_report(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    page.set_kind("implementation")
    _generate(qtbot, page)
    page.preview.go_to(2)
    qtbot.wait(200)
    path = output_dir("screenshots") / "reports-page.png"
    assert page.grab().save(str(path))
