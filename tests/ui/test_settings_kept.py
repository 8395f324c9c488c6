"""What the next start finds: settings kept under keys QSettings reads back, version 1 files
upgraded, and an unsaved Settings edit never dropped silently on Quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from r2pdesk.earlywarning.models import Severity
from r2pdesk.earlywarning.service import RESPONSE_DAYS, response_days
from r2pdesk.store import Store
from ui import settings as options
from ui.mainwindow import MainWindow
from ui.settings_page import SettingsPage


def settings_at(folder: Path) -> QSettings:
    return QSettings(str(folder / "r2pdesk.ini"), QSettings.Format.IniFormat)


def test_no_option_lives_in_the_general_group() -> None:
    keys = [value.key for value in vars(options).values() if isinstance(value, options.Option)]
    assert keys
    assert all(not key.lower().startswith("general/") for key in keys)


def test_version_1_values_are_carried_over(tmp_path: Path) -> None:
    file = tmp_path / "r2pdesk.ini"
    file.write_text("[%General]\nfirst_run_done=true\nlanguage=ar\nsettings_version=1\n",
                    encoding="utf-8")
    settings = settings_at(tmp_path)
    assert settings.value("General/language") == "ar"  # how QSettings reads version 1 back
    version = 1
    while version < options.SETTINGS_VERSION:
        options.UPGRADES[version](settings)
        version += 1
    assert options.FIRST_RUN_DONE.read(settings) is True
    assert options.LANGUAGE.read(settings) == "ar"
    settings.sync()
    assert "General" not in file.read_text(encoding="utf-8")


def test_the_raw_general_form_is_carried_over_and_a_newer_value_wins(tmp_path: Path) -> None:
    settings = settings_at(tmp_path)
    settings.setValue("general/language", "fr")  # as the writing process itself saw it
    settings.setValue("general/first_run_done", "true")
    options.LANGUAGE.write(settings, "es")
    options.UPGRADES[1](settings)
    assert options.LANGUAGE.read(settings) == "es"
    assert options.FIRST_RUN_DONE.read(settings) is True
    assert not settings.contains("general/language")


def test_open_settings_upgrades_to_the_current_version() -> None:
    settings = options.open_settings()
    assert options.VERSION.read(settings) == options.SETTINGS_VERSION == 2


def test_the_last_folder_is_kept_while_it_exists(tmp_path: Path) -> None:
    assert options.last_folder(tmp_path) == str(tmp_path)  # nothing kept yet: the fallback
    chosen = tmp_path / "exports"
    chosen.mkdir()
    options.remember_folder(chosen / "brief.pdf")
    assert options.last_folder() == str(chosen)
    assert options.in_last_folder("x.xlsx") == str(chosen / "x.xlsx")
    chosen.rmdir()
    assert options.last_folder(tmp_path) == str(tmp_path)


def _window_with_an_unsaved_edit(qtbot: QtBot, store: Store) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1000, 640)
    window.show()
    window.show_page("dashboard")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    assert not page.has_unsaved_changes()
    page.days[Severity.HIGH].setValue(RESPONSE_DAYS[Severity.HIGH] + 2)
    page.backup_keep.setValue(page.backup_keep.value() + 3)
    assert page.has_unsaved_changes()
    return window, page


def _answer(qtbot: QtBot, window: MainWindow, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: isinstance(window.message, QMessageBox)
                    and window.message.isVisible())
    box = window.message
    assert isinstance(box, QMessageBox)
    assert "not saved" in box.text()
    box.button(button).click()


def test_quit_with_an_unsaved_edit_asks_and_cancel_keeps_it(qtbot: QtBot, store: Store) -> None:
    window, page = _window_with_an_unsaved_edit(qtbot, store)
    assert not window.close()  # asked, not closed
    assert window.current_page() == "settings"  # the edit is shown
    _answer(qtbot, window, QMessageBox.StandardButton.Cancel)
    assert window.isVisible()
    assert page.days[Severity.HIGH].value() == RESPONSE_DAYS[Severity.HIGH] + 2


def test_save_on_quit_keeps_the_edit(qtbot: QtBot, store: Store) -> None:
    window, page = _window_with_an_unsaved_edit(qtbot, store)
    keep = page.backup_keep.value()
    window.close()
    _answer(qtbot, window, QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: not window.isVisible())
    with store.reader() as session:
        assert response_days(session)[Severity.HIGH] == RESPONSE_DAYS[Severity.HIGH] + 2
    assert options.BACKUP_KEEP.read(options.open_settings()) == keep


def test_discard_on_quit_closes_without_saving(qtbot: QtBot, store: Store) -> None:
    window, _page = _window_with_an_unsaved_edit(qtbot, store)
    window.close()
    _answer(qtbot, window, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not window.isVisible())
    with store.reader() as session:
        assert response_days(session) == RESPONSE_DAYS


def test_a_refused_save_on_quit_keeps_the_window_open(qtbot: QtBot, store: Store) -> None:
    window, page = _window_with_an_unsaved_edit(qtbot, store)
    page.days[Severity.LOW].setValue(0)  # the core refuses 0 days
    window.close()
    _answer(qtbot, window, QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: isinstance(page.message, QMessageBox) and page.message.isVisible())
    assert window.isVisible()
    assert page.days[Severity.LOW].value() == 0
    assert page.has_unsaved_changes()


def test_size_and_page_are_kept_only_for_the_app_window(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show_page("reports")
    window.close()  # a window the app did not ask to remember (tests, screenshots)
    assert not options.open_settings().contains(options.LAST_PAGE.key)
    again = MainWindow(store)
    qtbot.addWidget(again)
    again.remember_state()
    again.show()
    again.show_page("exchange")
    again.close()  # (the size restored is checked on a real screen size in tests/e2e)
    third = MainWindow(store)
    qtbot.addWidget(third)
    third.remember_state()
    assert third.current_page() == "exchange"
    assert options.WINDOW_GEOMETRY.read(options.open_settings()) == again.saveGeometry()
