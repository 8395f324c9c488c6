"""The crash hook: an exception in a click handler (or a thread) is written to the log with its
traceback, the member is told where the log is, and the dialog being filled in stays open with
what was typed."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)
from pytestqt.qtbot import QtBot

from r2pdesk.errors import KnownError
from r2pdesk.paths import crash_log_path
from ui import crash


class Form(QDialog):
    """A dialog a member types into, whose button has a bug."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.note = QLineEdit()
        self.button = QPushButton("Save")
        self.button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.button)

    def save(self) -> None:
        raise self.error


@pytest.fixture
def reporter(qapp: QApplication) -> Iterator[crash.CrashReporter]:
    """The app's crash reporter, installed for one test, the hooks put back afterwards."""
    hooks = (sys.excepthook, threading.excepthook)
    installed = crash.install(qapp)
    try:
        yield installed
    finally:
        sys.excepthook, threading.excepthook = hooks
        if installed.message is not None:
            installed.message.close()
        installed.deleteLater()


def open_form(qtbot: QtBot, error: Exception) -> Form:
    form = Form(error)
    qtbot.addWidget(form)
    form.open()
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.note, "Roadblock at Taleni since Monday")
    return form


def told(qtbot: QtBot, reporter: crash.CrashReporter) -> QMessageBox:
    qtbot.waitUntil(lambda: reporter.message is not None and reporter.message.isVisible())
    assert reporter.message is not None
    return reporter.message


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_click_handler_is_logged_and_the_dialog_survives(
    qtbot: QtBot, reporter: crash.CrashReporter
) -> None:
    form = open_form(qtbot, RuntimeError("a bug in the save button"))
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    message = told(qtbot, reporter)

    log = crash_log_path()
    written = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in written
    assert "RuntimeError: a bug in the save button" in written
    assert "in save" in written  # the handler's own frame
    assert str(log) in message.text()  # the member is told where the log is
    assert "still there" in message.text()
    assert not message.isModal()

    assert form.isVisible()  # nothing closed: the dialog and what was typed in it are there
    assert form.result() == 0
    assert form.note.text() == "Roadblock at Taleni since Monday"
    message.close()
    qtbot.keyClicks(form.note, ", checked")  # and the member can go on typing
    assert form.note.text().endswith("Monday, checked")


@pytest.mark.qt_no_exception_capture
def test_a_second_error_updates_the_one_message(
    qtbot: QtBot, reporter: crash.CrashReporter
) -> None:
    form = open_form(qtbot, KnownError("the disk is full"))
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    first = told(qtbot, reporter)
    assert "the disk is full" in first.text()
    form.error = RuntimeError("again")
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "still there" in first.text())
    assert reporter.message is first
    assert crash_log_path().read_text(encoding="utf-8").count("Traceback") == 2


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_logged_and_told_on_the_ui_thread(
    qtbot: QtBot, reporter: crash.CrashReporter
) -> None:
    def work() -> None:
        raise ValueError("a bug in a background job")

    thread = threading.Thread(target=work, name="backup-job")
    thread.start()
    thread.join()
    message = told(qtbot, reporter)
    written = crash_log_path().read_text(encoding="utf-8")
    assert "in backup-job" in written
    assert "ValueError: a bug in a background job" in written
    assert str(crash_log_path()) in message.text()
