"""The Settings page, the audit view, manual backup and restore, encryption and the idle lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from r2pdesk import crypto
from r2pdesk.audit import count_entries
from r2pdesk.earlywarning.models import Severity
from r2pdesk.earlywarning.service import response_days
from r2pdesk.store import Store, read_setting
from tests.helpers.databases import output_dir
from tests.helpers.qt import shown
from ui import settings as options
from ui.audit_view import AuditView
from ui.mainwindow import MainWindow
from ui.operations import writes_pending
from ui.settings_page import PassphraseDialog, SettingsPage
from ui.setup_page import SetupPage


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    return shown(qtbot, MainWindow(store))


def _settings(window: MainWindow) -> SettingsPage:
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    return page


def test_audit_view_lists_the_trail_newest_first(
    qtbot: QtBot, demo_store: Store, qtmodeltester: ModelTester
) -> None:
    view = shown(qtbot, AuditView(demo_store))
    qtmodeltester.check(view.model)
    with demo_store.reader() as session:
        total = count_entries(session)
    assert total > 0
    assert view.model.total() == total
    while view.model.canFetchMore():  # the trail is read a window at a time
        view.model.fetchMore()
    assert view.model.rowCount() == total
    assert view.status.text() == f"Audit trail intact: {total} entries"
    seqs = [view.model.row_at(r).row.seq for r in range(view.model.rowCount())]
    assert seqs == sorted(seqs, reverse=True)
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("early_warning"))
    assert 0 < view.model.rowCount() < total
    assert {view.model.row_at(r).row.table for r in range(view.model.rowCount())} == {
        "early_warning"}
    view.kind_filter.setCurrentIndex(0)
    view.text_filter.setText("no such text anywhere 12345")
    assert view.model.rowCount() == 0
    view.text_filter.clear()
    view.since_check.setChecked(True)
    view.since_edit.setDate(view.since_edit.date().addYears(50))
    assert view.model.rowCount() == 0


def test_a_tampered_audit_row_shows_the_trail_broken(qtbot: QtBot, demo_store: Store) -> None:
    view = shown(qtbot, AuditView(demo_store))
    assert view.verify()
    with demo_store.session() as session:
        session.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 3"))
    assert not view.verify()
    assert view.status.text().startswith("Audit trail BROKEN at entry 3:")
    assert "b00020" in view.status.styleSheet()


def test_response_days_are_saved_and_bad_days_refused(qtbot: QtBot, store: Store) -> None:
    window = _window(qtbot, store)
    page = _settings(window)
    page.days[Severity.HIGH].setValue(5)
    assert page.has_unsaved_changes()
    page.save_committee()  # through the single writer
    qtbot.waitUntil(lambda: page.message is not None and "were saved" in page.message.text())
    assert not page.has_unsaved_changes()
    with store.reader() as session:
        assert response_days(session)[Severity.HIGH] == 5
    page.days[Severity.LOW].setValue(0)
    page.save_committee()
    qtbot.waitUntil(lambda: page.message is not None and "from 1 to 365" in page.message.text())
    assert page.has_unsaved_changes()  # the edit stays on the page
    with store.reader() as session:
        assert response_days(session)[Severity.HIGH] == 5


def test_the_committees_name_is_edited_on_the_setup_page_only(
    qtbot: QtBot, store: Store
) -> None:
    window = _window(qtbot, store)
    window.show_page("settings")
    page = _settings(window)
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert "The committee's name, members and lists are on the Setup page." in texts
    assert not [edit for edit in page.findChildren(QLineEdit)
                if edit.accessibleName() == "Committee name"]
    qtbot.mouseClick(page.open_setup_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "setup"
    setup = window.pages["setup"]
    assert isinstance(setup, SetupPage)
    assert setup.tabs.currentWidget() is setup.committee
    assert setup.committee.name.isVisible()


def test_laptop_settings_are_kept(qtbot: QtBot, store: Store) -> None:
    page = _settings(_window(qtbot, store))
    page.backup_keep.setValue(3)
    page.backup_every.setValue(12)
    page.idle_minutes.setValue(0)
    page.save_laptop()
    settings = options.open_settings()
    assert options.BACKUP_KEEP.read(settings) == 3
    assert options.BACKUP_EVERY_HOURS.read(settings) == 12
    assert options.IDLE_LOCK_MINUTES.read(settings) == 0


def test_passphrase_dialog_wants_the_same_passphrase_twice(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("Encrypt", ask_current=False)
    qtbot.addWidget(dialog)
    dialog.new.setText("one")
    dialog.confirm.setText("two")
    dialog.check_and_accept()
    assert dialog.result() == 0
    assert "differ" in dialog.error.text()


def test_back_up_now_and_restore(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window = _window(qtbot, store)
    _name_committee(qtbot, window, "Before the backup")
    out = tmp_path / "manual.db"
    window.back_up_to(out)
    qtbot.waitUntil(lambda: window.message is not None and str(out) in window.message.text())
    assert out.is_file()
    _name_committee(qtbot, window, "After the backup")

    box = window.confirm_restore(out)
    box.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.message is not None
                    and "restored from" in window.message.text(), timeout=10000)
    assert window.store is not store
    with window.store.reader() as session:
        assert read_setting(session, "committee_name") == "Before the backup"
    setup = window.pages["setup"]
    assert isinstance(setup, SetupPage)
    assert setup.committee.name.text() == "Before the backup"


def _name_committee(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Name the committee on the Setup page's Committee tab, and wait until it is saved."""
    window.open_committee_setup()
    setup = window.pages["setup"]
    assert isinstance(setup, SetupPage)
    setup.committee.name.setText(name)
    setup.committee.save()
    qtbot.waitUntil(lambda: writes_pending() == 0 and not setup.has_unsaved_changes())


def test_a_bad_backup_is_refused_and_nothing_changes(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    window = _window(qtbot, store)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    window.restore_from(bad)
    qtbot.waitUntil(lambda: window.message is not None and "failed" in window.message.text())
    assert window.store is store
    with store.reader() as session:
        assert count_entries(session) >= 0


def test_encrypt_and_change_passphrase(qtbot: QtBot, store: Store) -> None:
    window = _window(qtbot, store)
    window.encrypt("first secret")
    qtbot.waitUntil(lambda: window.message is not None
                    and "now encrypted" in window.message.text(), timeout=20000)
    assert crypto.is_encrypted(store.path)
    assert window.store.encrypted
    page = _settings(window)
    assert not page.encrypt_button.isEnabled()
    assert page.rekey_button.isEnabled()
    window.change_passphrase("wrong", "second secret")
    qtbot.waitUntil(lambda: window.message is not None and "failed" in window.message.text(),
                    timeout=20000)
    crypto.verify_passphrase(store.path, "first secret")
    window.change_passphrase("first secret", "second secret")
    qtbot.waitUntil(lambda: window.message is not None
                    and "passphrase was changed" in window.message.text(), timeout=20000)
    crypto.verify_passphrase(store.path, "second secret")
    window.store.close()


def test_idle_lock_on_a_plain_database(qtbot: QtBot, store: Store) -> None:
    window = _window(qtbot, store)
    window.idle.set_interval(50)
    qtbot.waitUntil(window.is_locked, timeout=3000)
    assert "not encrypted" in window.lock_screen.body.text()
    assert not window.menuBar().isEnabled()
    qtbot.keyClick(window.lock_screen, Qt.Key.Key_Return)
    assert not window.is_locked()
    window.idle.set_interval(0)


def test_idle_lock_on_an_encrypted_database(qtbot: QtBot, store: Store) -> None:
    window = _window(qtbot, store)
    window.encrypt("the passphrase")
    qtbot.waitUntil(lambda: window.store.encrypted, timeout=20000)
    window.idle.set_interval(50)
    qtbot.waitUntil(window.is_locked, timeout=3000)
    screen = window.lock_screen
    screen.passphrase.setText("not it")
    assert not screen.try_unlock()
    assert window.is_locked()
    assert "Wrong" in screen.error.text()
    screen.passphrase.setText("the passphrase")
    assert screen.try_unlock()
    assert not window.is_locked()
    window.idle.set_interval(0)
    window.store.close()


def test_screenshots_of_settings_and_audit_trail(qtbot: QtBot, demo_store: Store) -> None:
    window = _window(qtbot, demo_store)
    window.resize(1440, 900)
    window.show_page("settings")
    page = _settings(window)
    with demo_store.session() as session:
        from r2pdesk.store import write_setting

        write_setting(session, "committee_name", "National Committee (demo)")
    page.load()
    shots = output_dir("screenshots")
    QApplication.processEvents()
    assert window.grab().save(str(shots / "settings.png"))
    window.show_audit_trail()
    QApplication.processEvents()
    assert window.grab().save(str(shots / "audit-trail.png"))


def test_the_language_is_chosen_for_the_next_start(qtbot: QtBot, store: Store) -> None:
    page = _settings(_window(qtbot, store))
    names = [page.language.itemText(i) for i in range(page.language.count())]
    assert names[1:] == ["English", "Français", "Español", "العربية"]  # each in its own name
    assert page.language.value() == ""  # the system's language until one is chosen
    assert "next starts" in page.language_note.text()

    page.language.set_value("fr")
    assert options.LANGUAGE.read(options.open_settings()) == "fr"
    assert "next starts" in page.language_note.text()
    assert "Arabic" not in page.language_note.text()

    page.language.set_value("ar")
    assert options.LANGUAGE.read(options.open_settings()) == "ar"
    assert "PDF reports are printed in English" in page.language_note.text()

    page.language.set_value("")
    assert options.LANGUAGE.read(options.open_settings()) == ""
    reopened = SettingsPage(store)  # shows what is stored
    qtbot.addWidget(reopened)
    assert reopened.language.value() == ""
    options.LANGUAGE.write(reopened.settings, "es")
    reopened.load()
    assert reopened.language.value() == "es"
