"""Settings that stick: one app process writes them on a real settings file, a second app process
on the same file finds them (first run done, language, window size, last page, last folder).

Each process is the real app (`ui.app.run`, the `r2pdesk` entry) with a small driver that does
what a member would do (fills in the Welcome dialog, picks a language in Settings, resizes the
window, backs up into a folder, quits) and prints what it found as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.databases import copy_database

# Runs the app with a timer that plays the member's part; argv: step, database, folder.
DRIVER = r'''
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from r2pdesk.i18n import language
from ui import app as entry
from ui import settings as options
from ui.firstrun import FirstRunDialog
from ui.mainwindow import MainWindow

step, db, folder = sys.argv[1:4]
del sys.argv[1:]  # the app's own command line: none, as a member starts it
qapp = QApplication(sys.argv[:1])
seen = {"welcome": False}


def report(window):
    seen.update(language=language(), size=[window.width(), window.height()],
                page=window.current_page(), nav=window.nav.item(0).text(),
                last_folder=options.last_folder(), first_run_done=options.FIRST_RUN_DONE.read(
                    options.open_settings()))
    print("STATE " + json.dumps(seen), flush=True)


def tick():
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, FirstRunDialog):
            seen["welcome"] = True
            widget.path_edit.setText(db)
            widget.demo_box.setChecked(False)
            widget.accept()
        elif isinstance(widget, QFileDialog):
            widget.selectFile(str(Path(folder) / "copy.db"))
            widget.accept()
        elif isinstance(widget, MainWindow) and "window" not in seen:
            seen["window"] = True
            if step == "write":
                widget.pages["settings"].language.set_value("fr")  # kept at once
                widget.resize(1010, 660)
                widget.show_page("institutions")
                QTimer.singleShot(0, widget.ask_backup)  # a file dialog: the folder is kept
            else:
                report(widget)
                widget.close()
        elif isinstance(widget, MainWindow) and isinstance(widget.message, QMessageBox):
            widget.message.close()  # "The backup was written to ..."
            report(widget)
            widget.close()


timer = QTimer()
timer.timeout.connect(tick)
timer.start(50)
QTimer.singleShot(60000, lambda: qapp.exit(9))  # never hang the suite
entry.run()
'''


# A 1280x720 screen (the offscreen platform's own is 800x800, too small to restore a window).
SCREEN = {"screens": [{"name": "screen", "x": 0, "y": 0, "width": 1280, "height": 720,
                       "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}


def start(home: Path, step: str, db: Path, folder: Path) -> dict[str, object]:
    screen = home.parent / "screen.json"
    screen.write_text(json.dumps(SCREEN), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
    }
    env.pop("R2PDESK_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, step, str(db), str(folder)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    states = [line for line in result.stdout.splitlines() if line.startswith("STATE ")]
    assert len(states) == 1, result.stdout + result.stderr
    state: dict[str, object] = json.loads(states[0].removeprefix("STATE "))
    return state


def settings_file(home: Path) -> Path:
    return home / ".config" / "r2pdesk" / "r2pdesk.conf"


def test_settings_written_by_one_start_are_found_by_the_next(
    tmp_path: Path, demo_template: Path
) -> None:
    home, folder = tmp_path / "home", tmp_path / "shared folder"
    folder.mkdir(parents=True)
    db = copy_database(demo_template, tmp_path / "committee.db")

    first = start(home, "write", db, folder)
    assert first["welcome"] is True
    assert (folder / "copy.db").is_file()  # the backup went where the file dialog was told
    stored = settings_file(home).read_text(encoding="utf-8")
    assert "%General" not in stored  # no key in a group QSettings cannot read back

    second = start(home, "read", db, folder)
    assert second["welcome"] is False  # first run done: no Welcome dialog
    assert second["first_run_done"] is True
    assert second["language"] == "fr"
    assert second["nav"] == "Tableau de bord"  # the window speaks the language chosen
    assert second["size"] == [1010, 660]
    assert second["page"] == "institutions"
    assert second["last_folder"] == str(folder)


def test_a_version_1_settings_file_is_upgraded(tmp_path: Path, demo_template: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "files"
    folder.mkdir(parents=True)
    db = copy_database(demo_template, tmp_path / "committee.db")
    old = settings_file(home)
    old.parent.mkdir(parents=True)
    # What version 1 wrote: its "general/..." keys land in [%General], read back as "General/...".
    old.write_text(
        "[%General]\nfirst_run_done=true\nlanguage=es\nsettings_version=1\n\n"
        f"[database]\npath={db}\n\n[window]\nlast_page=warnings\n",
        encoding="utf-8",
    )
    state = start(home, "read", db, folder)
    assert state["welcome"] is False
    assert state["language"] == "es"
    assert state["page"] == "warnings"
    upgraded = old.read_text(encoding="utf-8")
    assert "%General" not in upgraded
    assert "[app]" in upgraded
    assert "settings_version=2" in upgraded
