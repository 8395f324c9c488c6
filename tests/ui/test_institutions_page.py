"""The institutions page through its Qt models and widgets, driven with the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.institutions.service import find_institution, institution_detail
from r2pdesk.store import Store
from tests.helpers.databases import output_dir
from ui.institution_models import (
    FocalPointsModel,
    InstitutionColumn,
    InstitutionsModel,
)
from ui.institutions_page import InstitutionsPage
from ui.mainwindow import MainWindow
from ui.tables import ItemRole

CTRL = Qt.KeyboardModifier.ControlModifier


def make_page(qtbot: QtBot, store: Store, *, shown: bool = False) -> InstitutionsPage:
    page = InstitutionsPage(store)
    qtbot.addWidget(page)
    if shown:
        page.resize(1440, 900)
        page.show()
        qtbot.waitExposed(page)
        activate(qtbot, page)
    return page


def activate(qtbot: QtBot, page: InstitutionsPage) -> None:
    # The offscreen platform does not give the window back when a dialog closes.
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def shown_names(page: InstitutionsPage) -> list[str]:
    return [page.institutions.index(n, 0).data() for n in range(page.institutions.rowCount())]


def choose(page: InstitutionsPage, name: str) -> None:
    row = shown_names(page).index(name)
    page.table.setFocus()
    page.table.selectRow(row)
    assert page.name_edit.text() == name


def answer_yes(qtbot: QtBot, page: InstitutionsPage) -> None:
    box = page.message
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_models_pass_the_model_tester(
    qtbot: QtBot, demo_store: Store, qtmodeltester: ModelTester
) -> None:
    page = make_page(qtbot, demo_store)
    choose(page, "Ministry of Justice")
    qtmodeltester.check(page.institutions)
    qtmodeltester.check(page.focal_points)
    qtbot.keyClicks(page.search, "ministry")
    qtmodeltester.check(page.institutions)


def test_empty_models_pass_the_model_tester(qapp: object, qtmodeltester: ModelTester) -> None:
    model = InstitutionsModel()
    qtmodeltester.check(model)
    qtmodeltester.check(FocalPointsModel())


def test_page_lists_the_institutions_with_their_counts(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    assert page.institutions.rowCount() == 13
    assert page.count_label.text() == "13 of 13"
    names = shown_names(page)
    assert names == sorted(names, key=str.casefold)
    row = names.index("Ministry of Justice")
    values = [page.institutions.index(row, column).data() for column in range(6)]
    assert values == ["Ministry of Justice", "MOJ", "Ministry", "2", "9", "7"]
    assert "Leads 9 recommendations, 7 still open" in page.institutions.index(row, 0).data(
        Qt.ItemDataRole.ToolTipRole
    )


def test_sorting_by_a_count_sorts_numbers(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    page.table.sortByColumn(InstitutionColumn.LEADS, Qt.SortOrder.DescendingOrder)
    # Leads 9, more than 10 rows.
    assert page.institutions.index(0, 0).data() == "Ministry of Justice"
    leads = [int(page.institutions.index(n, InstitutionColumn.LEADS).data()) for n in range(13)]
    assert leads == sorted(leads, reverse=True)


def test_search_and_kind_filter(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    qtbot.keyClicks(page.search, "okonel")  # a focal point of the Ministry of Justice
    assert shown_names(page) == ["Ministry of Justice"]
    assert page.count_label.text() == "1 of 13"
    page.search.clear()
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(InstitutionKind.NHRI))
    assert shown_names(page) == ["Lorvania Human Rights Commission"]
    qtbot.keyClicks(page.search, "zzz")
    assert shown_names(page) == []
    assert page.count_label.text() == "0 of 13"


def test_choosing_an_institution_shows_it_in_the_form(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    choose(page, "Lorvanian National Police")
    assert page.acronym_edit.text() == "LNP"
    assert page.kind_box.currentData() == InstitutionKind.AGENCY
    assert page.parent_box.currentText() == "(none)"
    assert page.parent_box.findText("Lorvanian National Police") == -1  # not its own parent
    assert page.focal_points.rowCount() == 2
    assert page.focal_points.index(0, 0).data() == "Insp. Tobias Renn"
    assert page.summary.text() == "Leads 2 recommendations, 2 open."
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.name_edit.text() == "Meridian Union Commission (demo)"


def test_shortcuts_find_and_new(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store, shown=True)
    choose(page, "Ministry of Justice")
    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClick(page.search, Qt.Key.Key_N, CTRL)
    assert QApplication.focusWidget() is page.name_edit
    assert page.name_edit.text() == ""
    assert page.form_box.title() == "New institution"
    assert not page.add_point_button.isEnabled()


def test_add_an_institution_with_the_keyboard(qtbot: QtBot, store: Store) -> None:
    page = make_page(qtbot, store, shown=True)
    qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
    focus = QApplication.focusWidget
    assert focus() is page.name_edit
    qtbot.keyClicks(page.name_edit, "Ministry of Justice")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is page.acronym_edit
    qtbot.keyClicks(page.acronym_edit, "MOJ")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is page.kind_box
    qtbot.keyClicks(page.kind_box, "Min")
    assert page.kind_box.currentData() == InstitutionKind.MINISTRY
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is page.parent_box
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is page.email_edit
    qtbot.keyClicks(page.email_edit, "info@justice.example.org")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClicks(page.phone_edit, "+1 555 0100")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is page.notes_edit
    qtbot.keyClicks(page.notes_edit, "Leads on legislation.")
    qtbot.keyClick(focus(), Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: page.institutions.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: page.current_id is not None and not page.busy)
    assert shown_names(page) == ["Ministry of Justice"]
    assert page.form_box.title() == "Ministry of Justice"
    assert page.status.text() == "Saved Ministry of Justice."
    assert page.add_point_button.isEnabled()
    with store.reader() as session:
        row = find_institution(session, "moj")
        assert row is not None
        detail = institution_detail(session, row.id)
    assert (row.kind, row.email, row.phone) == (
        InstitutionKind.MINISTRY, "info@justice.example.org", "+1 555 0100"
    )
    assert detail.notes == "Leads on legislation."


def test_a_wrong_field_is_named_and_focused(qtbot: QtBot, store: Store) -> None:
    page = make_page(qtbot, store, shown=True)
    qtbot.keyClicks(page.name_edit, "Ministry of Justice")
    qtbot.keyClicks(page.email_edit, "justice@")
    qtbot.keyClick(page.email_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.message is not None, timeout=5000)
    assert page.message is not None
    assert page.message.text() == (
        "E-mail: 'justice@' is not an e-mail address (like name@example.org)."
    )
    assert page.institutions.rowCount() == 0
    qtbot.keyClick(page.message, Qt.Key.Key_Return)  # OK
    activate(qtbot, page)
    assert QApplication.focusWidget() is page.email_edit  # where the mistake is


def test_changing_an_institution(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    choose(page, "Supreme Court of Lorvania")
    page.acronym_edit.setText("SC")
    page.parent_box.setCurrentIndex(page.parent_box.findText("Ministry of Justice"))
    page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"), timeout=5000)
    row = shown_names(page).index("Supreme Court of Lorvania")
    assert page.institutions.index(row, InstitutionColumn.ACRONYM).data() == "SC"
    assert page.parent_box.currentText() == "Ministry of Justice"
    assert page.institutions.rowCount() == 13


def test_add_edit_and_remove_a_focal_point(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store, shown=True)
    choose(page, "Supreme Court of Lorvania")
    assert page.focal_points.rowCount() == 1
    qtbot.mouseClick(page.add_point_button, Qt.MouseButton.LeftButton)
    dialog = page.focal_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name_edit, "Mara Quill")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.title_edit, "Deputy Registrar")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.email_edit, "m.quill@court.example.org")
    qtbot.keyClick(dialog.email_edit, Qt.Key.Key_Return)  # OK is the default button
    qtbot.waitUntil(lambda: page.focal_points.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: page.focal_dialog is None)
    names = [page.focal_points.index(n, 0).data() for n in range(2)]
    assert names == ["Mara Quill", "Nadia Pereth"]
    assert page.focal_points.index(0, 2).data() == "m.quill@court.example.org"
    assert page.status.text() == "Saved focal point Mara Quill."

    activate(qtbot, page)
    page.focal_table.setFocus()
    page.focal_table.selectRow(0)
    qtbot.keyClick(page.focal_table, Qt.Key.Key_Return)  # opens the chosen one
    dialog = page.focal_dialog
    assert dialog is not None
    assert dialog.name_edit.text() == "Mara Quill"
    dialog.title_edit.setText("Registrar")
    dialog.submit()
    qtbot.waitUntil(lambda: page.focal_dialog is None, timeout=5000)
    assert page.focal_points.index(0, 1).data() == "Registrar"

    activate(qtbot, page)
    page.focal_table.setFocus()
    page.focal_table.selectRow(0)
    qtbot.keyClick(page.focal_table, Qt.Key.Key_Delete)
    assert page.message is not None
    assert "Remove Mara Quill" in page.message.text()
    answer_yes(qtbot, page)
    qtbot.waitUntil(lambda: page.focal_points.rowCount() == 1, timeout=5000)
    assert page.focal_points.index(0, 0).data() == "Nadia Pereth"


def test_a_focal_point_needs_a_name(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    choose(page, "Supreme Court of Lorvania")
    page.add_focal_point()
    dialog = page.focal_dialog
    assert dialog is not None
    dialog.email_edit.setText("someone@court.example.org")
    dialog.submit()
    assert dialog.refusal is not None
    assert dialog.refusal.text() == "Name: a focal point needs a name."
    assert dialog.isVisible()
    assert dialog.email_edit.text() == "someone@court.example.org"  # nothing typed is lost
    assert dialog.focusWidget() is dialog.name_edit
    dialog.reject()  # an e-mail was typed: asked first
    assert dialog.question is not None
    assert dialog.isVisible()
    discard = next(b for b in dialog.question.buttons()
                   if dialog.question.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    discard.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert page.focal_points.rowCount() == 1


def test_deleting_a_referenced_institution_is_refused(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    choose(page, "Ministry of Justice")
    page.confirm_delete()
    assert page.message is not None
    assert page.message.text() == "Delete Ministry of Justice and its 2 focal points?"
    answer_yes(qtbot, page)
    qtbot.waitUntil(lambda: page.message is not None, timeout=5000)
    assert page.message is not None
    assert "Ministry of Justice' cannot be deleted: it leads 9" in page.message.text()
    assert page.institutions.rowCount() == 13


def test_deleting_an_institution(qtbot: QtBot, store: Store) -> None:
    page = make_page(qtbot, store)
    page.name_edit.setText("Temporary Office")
    page.save()
    qtbot.waitUntil(lambda: page.institutions.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: not page.busy)
    page.confirm_delete()
    answer_yes(qtbot, page)
    qtbot.waitUntil(lambda: page.institutions.rowCount() == 0, timeout=5000)
    assert page.status.text() == "Deleted Temporary Office."
    assert page.form_box.title() == "New institution"


def test_import_and_template_buttons(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, store)
    template = tmp_path / "institutions"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(template), "")
    )
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    written = template.with_suffix(".xlsx")
    qtbot.waitUntil(written.exists, timeout=5000)
    qtbot.waitUntil(lambda: page.status.text() == f"Template saved to {written}.")

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Kind", "Focal point"])
    sheet.append(["Ministry of Justice", "Ministry", "Daria Okonel"])
    sheet.append(["Civil Society Network", "Civil-society organization", None])
    source = tmp_path / "list.xlsx"
    book.save(source)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kw: (str(source), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.institutions.rowCount() == 2, timeout=5000)
    assert page.message is not None
    assert page.message.text() == (
        "list.xlsx: 2 institutions added, 0 updated, 0 unchanged; 1 focal points added, "
        "0 updated."
    )
    assert page.institutions.index(1, 0).data(ItemRole).focal_points == 1


def test_a_bad_import_file_is_reported(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    page = make_page(qtbot, store)
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    page.import_file(bad)
    qtbot.waitUntil(lambda: page.message is not None, timeout=5000)
    assert page.message is not None
    assert page.message.text() == "notes.xlsx is not an Excel workbook (.xlsx)."
    assert page.institutions.rowCount() == 0


def test_the_main_window_shows_the_page_and_its_shortcuts(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.pages["institutions"]
    assert isinstance(page, InstitutionsPage)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, CTRL)  # the page is hidden: nothing happens
    assert QApplication.focusWidget() is window.nav
    window.show_page("institutions")
    assert window.stack.currentWidget() is page
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, CTRL)  # from the navigation, straight to search
    assert QApplication.focusWidget() is page.search


def test_screenshot_of_the_demo(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store, shown=True)
    choose(page, "Lorvania Human Rights Commission")
    page.table.setFocus()
    image = page.grab().toImage()
    assert (image.width(), image.height()) == (1440, 900)
    assert image.save(str(output_dir("screenshots") / "institutions.png"))

