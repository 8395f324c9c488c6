"""Long operations leave the event loop free, and each can be cancelled half-way.

Each long operation (backup, restore, workbook export, import preview and apply, two reports, the
upgrade of a released database) runs through the app's own path while a timer ticks every 5 ms on
the UI thread; the longest gap between two ticks is the longest time the window could not
repaint or answer a click, and it must stay under 100 ms. Each is also cancelled half-way with
its Cancel button, which must leave no file behind and change nothing.

The figures are printed and written to test-output/event-loop-stalls.json.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk import migrate
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.exchange.models import ExchangeExport, ExchangeRow
from r2pdesk.exchange.workbook import export_full
from r2pdesk.institutions.models import Institution
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import shown
from ui import app as app_module
from ui import operations
from ui.exchange_page import ExchangePage
from ui.mainwindow import MainWindow
from ui.operations import run_with_progress
from ui.reports_page import ReportsPage

LIMIT_MS = 100.0  # the longest stall of the event loop allowed during a long operation
TICK_MS = 5
WAIT_MS = 120_000
SCALE = 1500  # warnings and recommendations in the large database
RELEASED_0001 = Path(__file__).parents[1] / "integration" / "data" / "schema-0001-demo.db.gz"
STALLS: dict[str, float] = {}


# --- the measurement ----------------------------------------------------------------------------


class Heartbeat:
    """A timer on the UI thread every TICK_MS; the longest gap between two of its ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.last: float | None = None
        self.gaps: list[float] = []

    def tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.gaps.append(now - self.last)
        self.last = now

    def longest_ms(self) -> float:
        """The longest gap, the first left out (it includes starting the timer)."""
        return max(self.gaps[1:], default=0.0) * 1000


def measure(qtbot: QtBot, name: str, start: Callable[[], object],
            finished: Callable[[], bool], beat: Heartbeat | None = None) -> float:
    """Run `start` on the UI thread with the heartbeat going, until `finished`; the longest
    stall (ms), printed and kept for the summary."""
    beat = beat or Heartbeat()
    beat.timer.start()
    qtbot.waitUntil(lambda: len(beat.gaps) >= 3)  # beating before the operation starts
    try:
        start()
        qtbot.waitUntil(finished, timeout=WAIT_MS)
        qtbot.wait(60)  # what the UI does once the work is back counts too
    finally:
        beat.timer.stop()
    longest = beat.longest_ms()
    STALLS[name] = round(longest, 1)
    print(f"\n{name}: longest stall of the event loop {longest:.1f} ms "
          f"({len(beat.gaps)} ticks)")
    return longest


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    out = output_dir() / "event-loop-stalls.json"
    out.write_text(json.dumps({"limit_ms": LIMIT_MS, "longest_stall_ms": STALLS}, indent=2))
    print(f"\nlongest stalls (ms): {json.dumps(STALLS)}")


class Midway:
    """Holds an operation at its first progress report past `at` (a fraction of the total)
    until the test has clicked Cancel, so that the cancel lands half-way, every time."""

    def __init__(self, at: float = 0.0) -> None:
        self.at = at
        self.reached = threading.Event()
        self.go = threading.Event()

    def wrap(self, report: Callable[..., None]) -> Callable[..., None]:
        def held(run: Any, done: int, total: int) -> None:
            if not self.reached.is_set() and 0 < done < total and done >= self.at * total:
                self.reached.set()
                self.go.wait(30)
            report(run, done, total)
        return held

    def cancel(self, qtbot: QtBot, parent: QWidget | None) -> None:
        """Once the work is held half-way, click Cancel on its progress dialog, let it go."""
        qtbot.waitUntil(self.reached.is_set, timeout=WAIT_MS)
        dialogs = [d for d in (parent.findChildren(QProgressDialog) if parent else [])
                   if d.isVisible()] or _visible_progress_dialogs()
        dialogs[-1].show()
        button = dialogs[-1].findChild(QPushButton)
        assert button is not None
        button.click()
        self.go.set()


def _visible_progress_dialogs() -> list[QProgressDialog]:
    found = [run.dialog for run in operations._running]
    assert found, "no operation is running"
    return found


@pytest.fixture
def midway(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], Midway]:
    def make(at: float = 0.0) -> Midway:
        held = Midway(at)
        monkeypatch.setattr(operations._ProgressRun, "report",
                            held.wrap(operations._ProgressRun.report))
        return held
    return make


# --- the databases ------------------------------------------------------------------------------


def _large(path: Path) -> Path:
    """A database of SCALE warnings and recommendations, with their institutions."""
    from tests.helpers.bulk import fill  # noqa: PLC0415 - only this module needs it

    store = open_store(path, member="template")
    with store.session() as session:
        fill(session, warnings=SCALE, recommendations=SCALE, institutions=200)
    store.close()
    return path


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _large(tmp_path_factory.mktemp("large") / "large.db")


@pytest.fixture
def large_db(large_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "large.db"
    shutil.copyfile(large_template, path)
    return path


@pytest.fixture
def window(qtbot: QtBot, large_db: Path) -> Iterator[MainWindow]:
    store = open_store(large_db, member="tester")
    main = shown(qtbot, MainWindow(store, today=lambda: DEMO_TODAY))
    yield main
    main.store.close()
    store.close()


def _digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        if path.exists():
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _said(window: MainWindow, words: str) -> Callable[[], bool]:
    return lambda: window.message is not None and words in window.message.text()


def _counts(store: Store) -> tuple[int, ...]:
    with store.reader() as session:
        return tuple(int(session.scalar(select(func.count()).select_from(model)) or 0)
                     for model in (EarlyWarning, Institution, ExchangeExport, ExchangeRow))


# --- backup and restore -------------------------------------------------------------------------


def test_backup_and_restore_keep_the_event_loop_free(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "backup.db"
    longest = measure(qtbot, "backup", lambda: window.back_up_to(out),
                      _said(window, "backup was written"))
    assert out.is_file()
    assert longest < LIMIT_MS
    before = window.store
    beat = Heartbeat()
    rebuild: list[float] = []
    set_store = window.set_store

    def handed_over(store: Store) -> None:
        # The restore ends here; what follows is every page loading the restored database, as
        # on start-up (the lists' own figures measure that).
        beat.timer.stop()
        started = time.perf_counter()
        set_store(store)
        rebuild.append(time.perf_counter() - started)

    window.set_store = handed_over  # type: ignore[method-assign]
    longest = measure(qtbot, "restore", lambda: window.restore_from(out),
                      _said(window, "restored from"), beat)
    print(f"restore: then the pages loaded the restored database in {rebuild[0] * 1000:.0f} ms")
    assert window.store is not before
    assert longest < LIMIT_MS


def test_a_cancelled_backup_leaves_no_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, midway: Callable[[float], Midway]
) -> None:
    out = tmp_path / "backup.db"
    source = window.store.path
    before = _digest(source)
    held = midway(0.3)
    window.back_up_to(out)
    held.cancel(qtbot, window)
    qtbot.waitUntil(_said(window, "backup was cancelled"), timeout=WAIT_MS)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert _digest(source) == before


def test_a_cancelled_restore_changes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, midway: Callable[[float], Midway]
) -> None:
    out = tmp_path / "backup.db"
    window.back_up_to(out)
    qtbot.waitUntil(_said(window, "backup was written"), timeout=WAIT_MS)
    store = window.store
    with store.session() as session:  # a change made after the backup, which must survive
        session.execute(EarlyWarning.__table__.update().values(title="After the backup"))
    counts = _counts(store)
    held = midway(0.3)
    window.restore_from(out)
    held.cancel(qtbot, window)
    qtbot.waitUntil(_said(window, "restore was cancelled"), timeout=WAIT_MS)
    assert window.store is store
    assert _counts(store) == counts
    with store.reader() as session:
        assert session.scalar(select(func.count()).where(
            EarlyWarning.title != "After the backup")) == 0
    folder = store.path.parent
    assert not any(p.name.endswith(".restoring") for p in folder.iterdir())
    assert not migrate.backup_dir(store.path).exists() or not any(
        "replaced" in p.name for p in migrate.backup_dir(store.path).iterdir())


# --- the exchange -------------------------------------------------------------------------------


def _exchange(window: MainWindow) -> ExchangePage:
    window.show_page("exchange")
    page = window.pages["exchange"]
    assert isinstance(page, ExchangePage)
    return page


def test_export_keeps_the_event_loop_free(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = _exchange(window)
    page.full_choice.setChecked(True)
    out = tmp_path / "all.xlsx"
    longest = measure(qtbot, "xlsx export", lambda: page.export_to(out),
                      lambda: page.export_status.text().startswith("Wrote"))
    assert out.is_file()
    assert longest < LIMIT_MS


EDITED = 1000  # warning titles edited in the returned workbook


@pytest.fixture(scope="module")
def returned(large_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full workbook of the large database as a member sends it back, titles edited."""
    folder = tmp_path_factory.mktemp("returned")
    store = open_store(shutil.copyfile(large_template, folder / "exported.db"), member="member")
    try:
        return _returned_workbook(store, folder / "returned.xlsx")
    finally:
        store.close()


def _returned_workbook(store: Store, out: Path, changed: int = EDITED) -> Path:
    """A full workbook as a member would send it back: `changed` warning titles edited."""
    with store.session() as session:
        export_full(session, out)
    book = load_workbook(out)
    sheet = next(book[name] for name in book.sheetnames if "arning" in name)
    header = [cell.value for cell in sheet[1]]
    column = header.index(next(h for h in header if h and str(h).startswith("Title"))) + 1
    for row in range(2, min(sheet.max_row, changed + 1) + 1):
        sheet.cell(row=row, column=column).value = f"Edited in the workbook {row}"
    book.save(out)
    return out


def test_import_preview_and_apply_keep_the_event_loop_free(
    qtbot: QtBot, window: MainWindow, returned: Path
) -> None:
    page = _exchange(window)
    workbook = returned
    longest = measure(qtbot, "xlsx import preview", lambda: page.preview_file(workbook),
                      lambda: page.plan is not None)
    assert page.plan is not None
    assert len(page.plan.changes) >= EDITED
    assert longest < LIMIT_MS
    longest = measure(qtbot, "xlsx import apply", page.apply_plan,
                      lambda: page.import_status.text().startswith("Applied"))
    with window.store.reader() as session:
        assert session.scalar(select(func.count()).where(
            EarlyWarning.title.like("Edited in the workbook%"))) == EDITED
    assert longest < LIMIT_MS


def test_a_cancelled_import_writes_nothing(
    qtbot: QtBot, window: MainWindow, returned: Path, midway: Callable[[float], Midway]
) -> None:
    page = _exchange(window)
    workbook = returned
    counts = _counts(window.store)
    held = midway(0.3)
    page.preview_file(workbook)
    held.cancel(qtbot, page)
    qtbot.waitUntil(lambda: "cancelled" in page.import_status.text(), timeout=WAIT_MS)
    assert page.plan is None
    assert not page.busy

    page.preview_file(workbook)  # this time to the end, then the apply is cancelled
    qtbot.waitUntil(lambda: page.plan is not None, timeout=WAIT_MS)
    held = midway(0.3)
    page.apply_plan()
    held.cancel(qtbot, page)
    qtbot.waitUntil(lambda: "cancelled" in page.import_status.text(), timeout=WAIT_MS)
    assert page.plan is not None  # still there to apply
    assert _counts(window.store) == counts
    with window.store.reader() as session:
        assert session.scalar(select(func.count()).where(
            EarlyWarning.title.like("Edited in the workbook%"))) == 0


def test_a_cancelled_export_writes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, midway: Callable[[float], Midway]
) -> None:
    page = _exchange(window)
    page.full_choice.setChecked(True)
    out = tmp_path / "all.xlsx"
    held = midway(0.3)
    page.export_to(out)
    held.cancel(qtbot, page)
    qtbot.waitUntil(lambda: "cancelled" in page.export_status.text(), timeout=WAIT_MS)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("large.db")]


# --- reports ------------------------------------------------------------------------------------


def _reports(window: MainWindow) -> ReportsPage:
    window.show_page("reports")
    page = window.pages["reports"]
    assert isinstance(page, ReportsPage)
    return page


@pytest.mark.parametrize("kind", ["implementation", "ministry-brief"])
def test_reports_keep_the_event_loop_free(qtbot: QtBot, window: MainWindow, kind: str) -> None:
    page = _reports(window)
    page.set_kind(kind)
    if kind == "ministry-brief":
        with window.store.reader() as session:
            name = session.scalar(select(Institution.name).order_by(Institution.name))
        assert name is not None
        assert page.institution.set_value(name)
    longest = measure(qtbot, f"report {kind}", page.generate, lambda: not page.busy)
    assert page.pdf.startswith(b"%PDF"), page.status.text()
    assert longest < LIMIT_MS


def test_a_cancelled_report_shows_nothing(
    qtbot: QtBot, window: MainWindow, midway: Callable[[float], Midway]
) -> None:
    page = _reports(window)
    page.set_kind("implementation")
    held = midway(0.3)
    page.generate()
    held.cancel(qtbot, page)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)
    assert page.pdf == b""
    assert "cancelled" in page.status.text()
    assert page.generate_action.isEnabled()


# --- the upgrade of a released database ---------------------------------------------------------


def _released(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(RELEASED_0001) as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


def _upgrade(path: Path, outcome: list[object]) -> QProgressDialog:
    """The upgrade as the app runs it on start-up, through the operations helper."""
    return run_with_progress(
        None, "Opening the database…",
        lambda progress: app_module._prepare(path, False, None, progress),
        outcome.append, on_failure=outcome.append,
        on_cancel=lambda: outcome.append("cancelled"))


def test_the_upgrade_keeps_the_event_loop_free(qtbot: QtBot, tmp_path: Path) -> None:
    path = _released(tmp_path)
    outcome: list[object] = []
    longest = measure(qtbot, "migration 0001 to head", lambda: _upgrade(path, outcome),
                      lambda: bool(outcome))
    assert outcome == [path]
    assert migrate.current_revision(path) == migrate.head_revision()
    assert longest < LIMIT_MS


def test_a_cancelled_upgrade_leaves_the_database_as_it_was(
    qtbot: QtBot, tmp_path: Path, midway: Callable[[float], Midway]
) -> None:
    path = _released(tmp_path)
    before = _digest(path)
    held = midway(0.75)  # past the copies and the first revision, before the next one
    outcome: list[object] = []
    _upgrade(path, outcome)
    held.cancel(qtbot, None)
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    assert outcome == ["cancelled"]
    assert _digest(path) == before
    assert migrate.current_revision(path) == "0001"
    assert not path.with_name("old.db.upgrading").exists()
    kept = list(migrate.backup_dir(path).glob("old-before-*.db"))
    assert len(kept) == 1  # the copy made before the upgrade is kept, whole
    assert migrate.current_revision(kept[0]) == "0001"
    store = open_store(path, member="tester")  # and the next start upgrades it
    store.close()
    assert migrate.current_revision(path) == migrate.head_revision()
