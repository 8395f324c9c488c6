"""An unsaved edit on the Setup page (the committee's name and country) or the Settings page is
never dropped silently: closing the window or choosing another page asks Save, Discard or
Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from r2pdesk.earlywarning.models import Severity
from r2pdesk.members.service import committee
from r2pdesk.store import Store
from tests.helpers.qt import shown
from ui.mainwindow import PAGE_NAMES, MainWindow
from ui.operations import writes_pending
from ui.settings_page import SettingsPage
from ui.setup_page import SetupPage

NAME = "National Committee for the Prevention of Genocide"


def _setup_edited(qtbot: QtBot, store: Store) -> tuple[MainWindow, SetupPage]:
    window = shown(qtbot, MainWindow(store), 1024, 700)
    window.show_page("setup")
    page = window.pages["setup"]
    assert isinstance(page, SetupPage)
    page.show_section("committee")
    qtbot.keyClicks(page.committee.name, NAME)
    assert page.has_unsaved_changes()
    return window, page


def _asked(qtbot: QtBot, window: MainWindow, says: str) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(window.message, QMessageBox)
                    and window.message.isVisible())
    box = window.message
    assert isinstance(box, QMessageBox)
    assert says in box.text()
    return box


def _kept_name(store: Store) -> str:
    with store.reader() as session:
        return committee(session).name


def test_closing_with_an_unsaved_committee_name_asks_and_cancel_keeps_it(
    qtbot: QtBot, store: Store
) -> None:
    window, page = _setup_edited(qtbot, store)
    window.show_page("setup")
    assert not window.close()
    box = _asked(qtbot, window, "Save it before closing?")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible()
    assert window.current_page() == "setup"
    assert page.committee.name.text() == NAME
    assert _kept_name(store) == ""


def test_save_on_close_names_the_committee_then_closes(qtbot: QtBot, store: Store) -> None:
    window, page = _setup_edited(qtbot, store)
    window.close()
    _asked(qtbot, window, "Save it before closing?").button(
        QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert writes_pending() == 0
    assert _kept_name(store) == NAME
    assert not page.has_unsaved_changes()


def test_discard_on_close_closes_without_saving(qtbot: QtBot, store: Store) -> None:
    window, _page = _setup_edited(qtbot, store)
    window.close()
    _asked(qtbot, window, "Save it before closing?").button(
        QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert _kept_name(store) == ""


def test_leaving_an_unsaved_setup_page_asks_first(qtbot: QtBot, store: Store) -> None:
    window, page = _setup_edited(qtbot, store)
    warnings_row = PAGE_NAMES.index("warnings")
    window.nav.setCurrentRow(warnings_row)  # as a click in the navigation does
    box = _asked(qtbot, window, "Save it before leaving the page?")
    assert window.current_page() == "setup"
    assert window.nav.currentRow() == PAGE_NAMES.index("setup")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.current_page() == "setup"
    assert page.committee.name.text() == NAME

    window.show_page("reports")
    _asked(qtbot, window, "Save it before leaving the page?").button(
        QMessageBox.StandardButton.Discard).click()
    assert window.current_page() == "reports"
    assert window.nav.currentRow() == PAGE_NAMES.index("reports")
    assert page.committee.name.text() == ""
    assert not page.has_unsaved_changes()

    window.show_page("setup")
    qtbot.keyClicks(page.committee.name, NAME)
    window.nav.setCurrentRow(warnings_row)
    _asked(qtbot, window, "Save it before leaving the page?").button(
        QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.current_page() == "warnings")
    assert _kept_name(store) == NAME
    assert not page.has_unsaved_changes()


def test_a_refused_committee_save_stays_on_the_page_with_the_edit(
    qtbot: QtBot, store: Store
) -> None:
    window, page = _setup_edited(qtbot, store)
    page.committee.country.setText("x" * 300)  # longer than the core takes
    window.show_page("dashboard")
    _asked(qtbot, window, "Save it before leaving the page?").button(
        QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(page.committee.refusal.isVisible)
    assert writes_pending() == 0
    assert window.current_page() == "setup"
    assert page.committee.country.text() == "x" * 300
    assert "country" in page.committee.refusal.text()


def test_leaving_an_unsaved_settings_page_asks_too(qtbot: QtBot, store: Store) -> None:
    window = shown(qtbot, MainWindow(store), 1024, 700)
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    page.days[Severity.HIGH].setValue(page.days[Severity.HIGH].value() + 1)
    qtbot.mouseClick(page.open_setup_button, Qt.MouseButton.LeftButton)
    box = _asked(qtbot, window, "Save them before leaving the page?")
    assert window.current_page() == "settings"
    box.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.current_page() == "setup")
    assert not page.has_unsaved_changes()
