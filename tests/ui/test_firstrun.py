"""First run: the dialog that asks where the database lives and offers the demo; background
operations that open it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from r2pdesk.errors import KnownError
from r2pdesk.startup import open_store
from r2pdesk.stats import collect
from ui import app as app_module
from ui import changes as kinds
from ui import settings as options
from ui.changes import Changed, changes
from ui.firstrun import FirstRunDialog
from ui.operations import run_operation, writes_pending


def test_dialog_offers_a_path_and_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirstRunDialog(tmp_path / "default.db")
    qtbot.addWidget(dialog)
    assert dialog.chosen_path() == tmp_path / "default.db"
    assert dialog.wants_demo() is True
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(tmp_path / "mine.db") + "  ")
    dialog.demo_box.setChecked(False)
    assert dialog.chosen_path() == tmp_path / "mine.db"
    assert dialog.wants_demo() is False


def test_first_run_remembers_the_choice(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "committee.db"

    def accept(dialog: FirstRunDialog) -> int:
        dialog.path_edit.setText(str(chosen))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(FirstRunDialog, "exec", accept)
    args = argparse.Namespace(db=None)
    assert app_module._choose_database(args) == (chosen, True)
    settings = options.open_settings()
    assert options.database_path(settings) == chosen
    assert options.FIRST_RUN_DONE.read(settings) is True

    def refuse(_dialog: FirstRunDialog) -> int:
        raise AssertionError("the dialog must not show again")

    monkeypatch.setattr(FirstRunDialog, "exec", refuse)
    assert app_module._choose_database(args) == (chosen, False)


def test_cancelling_the_first_run_opens_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def cancel(dialog: FirstRunDialog) -> int:
        shown.append(dialog.path_edit.text())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(FirstRunDialog, "exec", cancel)
    answers = iter([False, True])  # "go back" first, then "quit"
    asked: list[bool] = []

    def ask_quit() -> bool:
        asked.append(True)
        return next(answers)

    assert app_module._choose_database(argparse.Namespace(db=None), ask_quit) is None
    assert len(asked) == 2  # Cancel is never silent: each time r2pdesk asks whether to quit
    assert len(shown) == 2  # "go back" showed the Welcome dialog again
    assert options.FIRST_RUN_DONE.read(options.open_settings()) is False


def test_the_quit_question_says_what_happens(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        seen.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    assert app_module.confirm_quit() is False
    assert "Welcome dialog opens again at the next start" in seen[0]


def test_prepare_creates_the_database_and_the_demo_goes_through_the_writer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "new.db"
    assert app_module._prepare(path) == path
    store = open_store(path)
    heard: list[Changed] = []
    changes.changed.connect(heard.append)
    opened: list[str] = []
    try:
        app_module.after_demo(store, lambda: opened.append("window"), wanted=True)
        assert writes_pending() == 1  # the window waits for the demo
        qtbot.waitUntil(lambda: opened == ["window"], timeout=60_000)
    finally:
        changes.changed.disconnect(heard.append)
    assert heard
    assert heard[0].touches({kinds.RECOMMENDATION, kinds.MEMBER})
    with store.reader() as session:
        figures = collect(session, store.schema_revision)
    assert figures["demo"] is True
    assert figures["recommendations"] > 0
    # Asked again (a second first run on the same file): the demo is not added twice.
    with store.session() as session:
        assert app_module.add_demo(session) is False
    app_module.after_demo(store, lambda: opened.append("at once"), wanted=False)
    assert opened == ["window", "at once"]
    store.close()


def test_operation_reports_success_on_the_ui_thread(qtbot: QtBot) -> None:
    results: list[object] = []
    run_operation(None, "Working…", lambda: 6 * 7, results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)


def test_operation_reports_a_known_error_as_its_message(qtbot: QtBot) -> None:
    messages: list[str] = []

    def fails() -> None:
        raise KnownError("the disk is full")

    run_operation(None, "Working…", fails, lambda _r: None, messages.append)
    qtbot.waitUntil(lambda: messages == ["the disk is full"], timeout=5000)
