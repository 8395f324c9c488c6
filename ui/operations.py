"""Running core operations off the UI thread.

Writes to the store go through `run_write` (or `run_long_write`, with a progress bar): one
writer at a time, a refusal handed back with the field it concerns, and then one announcement of
what changed on the hub of `ui.changes`, which every view listens to. Reads that take long (a
summary) go through `run_read`. No page opens a session to write by itself.

A core operation is a plain function; `run_operation` runs it in Qt's thread pool, shows a busy
progress dialog, and posts the result (or the error, as a plain message) back to the UI thread.
`run_with_progress` does the same for an operation that reports its progress, with a progress
bar and a Cancel button; `run_in_background` for what the app does by itself, with nothing shown.
While any of them runs, `_Collector` keeps the interpreter fair to the UI thread.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from sqlalchemy.orm import Session

from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr
from r2pdesk.store import Store
from ui.changes import Changed, changes

log = logging.getLogger(__name__)

# Tasks whose outcome has not reached the UI thread yet: kept alive until it has.
_pending: set[_Task] = set()

Progress = Callable[[int, int], None]  # (done, total), as the core's long operations report
# At most this often (seconds) does progress reach the UI thread: a core function may report
# every millisecond, and each report is an event the UI thread handles.
PROGRESS_EVERY = 0.03


class _Collector:
    """Keeps the interpreter fair to the UI thread while operations run in the pool.

    Python's full garbage collections are held back, and the one that is due is made when the
    window has been free for a moment: a full collection stops every thread while it walks every
    object alive, and a long operation keeps hundreds of thousands alive (a report's pages and
    flowables), so a full pass during it takes a second or more and the window freezes that
    long. The young generations are still collected (ReportLab leaves short-lived cycles behind
    every line it draws).

    The GIL changes hands sooner: the UI thread takes it back at every call into Python and
    after every call that releases it, and each time it waits for the worker's switch interval
    (5 ms by default). Used on the UI thread only.
    """

    HELD = 1_000_000  # full collections only after this many young ones: never, in practice
    SETTLE_MS = 1500  # after the last operation ended, the full collection that is due
    SWITCH = 0.001  # seconds a busy worker keeps the GIL when the UI thread asks for it

    def __init__(self) -> None:
        self.running = 0
        self.thresholds: tuple[int, int, int] | None = None
        self.switch = sys.getswitchinterval()
        self.timer: QTimer | None = None

    def hold(self) -> None:
        """An operation starts."""
        if self.thresholds is None:
            self.thresholds = gc.get_threshold()
            gc.set_threshold(self.thresholds[0], self.thresholds[1], self.HELD)
        if self.running == 0:
            self.switch = sys.getswitchinterval()
            sys.setswitchinterval(min(self.switch, self.SWITCH))
        self.running += 1

    def release(self) -> None:
        """An operation ended (its outcome is on the UI thread)."""
        self.running -= 1
        if self.running == 0:
            sys.setswitchinterval(self.switch)
            if self.timer is None:
                self.timer = QTimer(QCoreApplication.instance())  # goes with the app
                self.timer.setSingleShot(True)
                self.timer.timeout.connect(self.settle)
            self.timer.start(self.SETTLE_MS)

    def settle(self) -> None:
        """Collect fully and let full collections come when due again, unless an operation
        runs."""
        if self.timer is not None:
            self.timer.stop()
        if self.running or self.thresholds is None:
            return
        gc.set_threshold(*self.thresholds)
        self.thresholds = None
        gc.collect()


_collector = _Collector()


class Cancelled(Exception):  # noqa: N818 - what happened, as people say it
    """Raised inside an operation by its progress callback once the person cancelled it."""


@dataclass(frozen=True)
class Refusal:
    """Why an operation did not go through: the message for the person and, for refused input,
    the field it concerns (`InputError.field`, else what the caller named), so that a form can
    show it beside that field. `bug` is set for anything but a `KnownError` (its traceback is in
    the log)."""

    message: str
    field: str = ""
    bug: bool = False

    def __str__(self) -> str:
        return self.message


class _Signals(QObject):
    """Carries an operation's outcome back to the UI thread."""

    succeeded = Signal(object)
    failed = Signal(object)  # a Refusal
    progressed = Signal(int, int)
    cancelled = Signal()


class _Task(QRunnable):
    """Runs one function in the pool and reports through its signals."""

    def __init__(self, work: Callable[[], Any], field: str = "") -> None:
        super().__init__()
        self.work = work
        self.field = field  # what a refusal concerns when the error does not say
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.work()
        except Cancelled:
            self.signals.cancelled.emit()
        except KnownError as exc:
            self.signals.failed.emit(Refusal(str(exc), getattr(exc, "field", "") or self.field))
        except Exception as exc:
            log.exception("operation failed")
            self.signals.failed.emit(Refusal(
                tr("An unexpected error occurred ({error}).").format(
                    error=f"{type(exc).__name__}: {exc}"), self.field, bug=True))
        else:
            self.signals.succeeded.emit(result)


def run_operation(
    parent: QWidget | None,
    label: str,
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None] | None = None,
) -> None:
    """Run `work` off the UI thread with a busy indicator; call back on the UI thread."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    task = _Task(work)
    task.setAutoDelete(False)
    _pending.add(task)
    _collector.hold()

    def done(result: Any) -> None:
        _pending.discard(task)
        _collector.release()
        _close(dialog)
        on_success(result)

    def failed(refusal: Refusal) -> None:
        _pending.discard(task)
        _collector.release()
        _close(dialog)
        if on_failure is not None:
            on_failure(refusal.message)
        else:
            QMessageBox.warning(parent, "r2pdesk", refusal.message)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(task)


def run_in_background(work: Callable[[], Any],
                      on_success: Callable[[Any], None] | None = None) -> None:
    """Run `work` off the UI thread with nothing shown, for what the app does by itself (a
    rotating backup); a failure is logged, `on_success` gets the result on the UI thread."""
    task = _Task(work)
    task.setAutoDelete(False)
    _pending.add(task)
    _collector.hold()

    def ended() -> None:
        _pending.discard(task)
        _collector.release()

    def done(result: Any) -> None:
        ended()
        if on_success is not None:
            on_success(result)

    def failed(refusal: Refusal) -> None:
        ended()
        log.warning("background operation failed: %s", refusal)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(ended)
    QThreadPool.globalInstance().start(task)


class _ProgressRun:
    """One operation run with a progress bar: the dialog, the task and how it ends."""

    def __init__(self, parent: QWidget | None, label: str, work: Callable[[Progress], Any],
                 on_success: Callable[[Any], None], *,
                 on_failure: Callable[[Refusal], None] | None,
                 on_cancel: Callable[[], None] | None, field: str = "") -> None:
        self.parent, self.on_success = parent, on_success
        self.on_failure, self.on_cancel = on_failure, on_cancel
        self.dialog = QProgressDialog(label, tr("Cancel"), 0, 0, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.stop = threading.Event()  # the person cancelled
        self.ended = False
        self.reported = 0.0  # when progress last went to the UI thread (monotonic seconds)
        self.task = _Task(lambda: work(self.report), field)
        self.task.setAutoDelete(False)
        self.dialog.canceled.connect(self.cancel_asked)
        signals = self.task.signals
        signals.progressed.connect(self.moved)
        signals.succeeded.connect(self.done)
        signals.failed.connect(self.failed)
        signals.cancelled.connect(self.cancelled)

    def report(self, done: int, total: int) -> None:
        """The work's progress callback (in the pool's thread)."""
        if self.stop.is_set():
            raise Cancelled
        now = time.monotonic()
        if now - self.reported >= PROGRESS_EVERY or done >= total:
            self.reported = now
            self.task.signals.progressed.emit(done, total)

    def cancel_asked(self) -> None:
        if not self.ended:  # closing the dialog at the end says "canceled" too
            self.stop.set()

    def moved(self, done: int, total: int) -> None:
        if not self.ended:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))

    def finish(self) -> None:
        self.ended = True
        _pending.discard(self.task)
        _running.discard(self)
        _collector.release()
        _close(self.dialog)

    def done(self, result: Any) -> None:
        self.finish()
        self.on_success(result)

    def failed(self, refusal: Refusal) -> None:
        self.finish()
        if self.on_failure is not None:
            self.on_failure(refusal)
        else:
            QMessageBox.warning(self.parent, "r2pdesk", refusal.message)

    def cancelled(self) -> None:
        self.finish()
        if self.on_cancel is not None:
            self.on_cancel()


_running: set[_ProgressRun] = set()


def run_with_progress(
    parent: QWidget | None,
    label: str,
    work: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    *,
    on_failure: Callable[[str], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> QProgressDialog:
    """Run `work(progress)` off the UI thread with a progress bar and a Cancel button.

    `work` calls `progress(done, total)` as it goes; once the person cancelled, that call raises
    `Cancelled`, which ends the work there (a session it holds rolls back) and calls `on_cancel`
    on the UI thread. A work that ends without calling `progress` again still succeeds; a
    failure goes to `on_failure` as for `run_operation`. Returns the progress dialog.
    """
    failure = None if on_failure is None else (lambda refusal: on_failure(refusal.message))
    run = _ProgressRun(parent, label, work, on_success, on_failure=failure,
                       on_cancel=on_cancel)
    _start_run(run, QThreadPool.globalInstance())
    return run.dialog


def _start_run(run: _ProgressRun, pool: QThreadPool) -> None:
    _pending.add(run.task)
    _running.add(run)
    _collector.hold()
    pool.start(run.task)


# --- writes and reads of the store ---------------------------------------------------------------

T = TypeVar("T")


class _Writer:
    """The single writer: one pool with one thread, so that writes run one after the other in
    the order they were started, never two at once (SQLite takes one writer; two would wait on
    each other's lock and the second could fail as "database is locked")."""

    def __init__(self) -> None:
        self.pool: QThreadPool | None = None
        self.queued = 0  # writes started whose outcome has not reached the UI thread

    def threads(self) -> QThreadPool:
        """The writer's pool, made on first use (it goes with the app)."""
        if self.pool is None:
            self.pool = QThreadPool(QCoreApplication.instance())
            self.pool.setMaxThreadCount(1)
        return self.pool

    def start(self, task: QRunnable) -> None:
        self.queued += 1
        self.threads().start(task)

    def ended(self) -> None:
        self.queued -= 1


_writer = _Writer()
# Held by whoever writes: the writer's thread, or the UI thread running an undo command.
_write_lock = threading.Lock()
WAIT_FOR_WRITER = 3.0  # seconds an undo or redo waits for the write under way


def write_now(store: Store, work: Callable[[Session], T], changed: Changed | None = None) -> T:
    """A quick write on the UI thread, for undo commands: a `QUndoStack` runs redo and undo at
    once, not later. It still takes its turn with the single writer (it waits for the write
    under way, a few seconds at most, then refuses with a plain message) and then announces
    `changed`. A refusal (`KnownError`) is raised to the caller."""
    if not _write_lock.acquire(timeout=WAIT_FOR_WRITER):
        raise KnownError(tr("another change is still being saved: try again in a moment"))
    try:
        with store.session() as session:
            result = work(session)
    finally:
        _write_lock.release()
    if changed is not None:
        changes.announce(changed)
    return result


def writes_pending() -> int:
    """How many writes are queued or running (their outcome not yet on the UI thread)."""
    return _writer.queued


def _announced(announce: Changed | Callable[[Any], Changed], result: Any) -> Changed:
    return announce(result) if callable(announce) else announce


def _refused(parent: QWidget | None, on_failure: Callable[[Refusal], None] | None,
             refusal: Refusal) -> None:
    if on_failure is not None:
        on_failure(refusal)
    else:
        show_refusal(parent, refusal)


def show_refusal(parent: QWidget | None, refusal: Refusal) -> QMessageBox:
    """The message of a refused write, window-modal over `parent` without blocking (the form
    under it stays open with everything typed)."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Not saved"), refusal.message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def run_write(
    parent: QWidget | None,
    store: Store,
    label: str,
    work: Callable[[Session], T],
    *,
    changed: Changed | Callable[[T], Changed],
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[Refusal], None] | None = None,
    field: str = "",
) -> None:
    """Save one change: the one way the UI writes to the store.

    `work(session)` runs on the single writer (off the UI thread, after any write started
    before it) in one session of `store` that commits when it returns. A busy indicator shows
    over `parent` if it takes more than a moment. Then, on the UI thread:

    - saved: `changed` (or `changed(result)`, for ids known only once written) is announced on
      the hub `ui.changes.changes`, then `on_success(result)` runs;
    - refused (`KnownError`, `InputError`) or failed: nothing was saved and nothing is
      announced; `on_failure(refusal)` gets a `Refusal` whose `field` names the input it
      concerns (`InputError.field`, else `field`), so a dialog shows it beside that field and
      stays open. Without `on_failure` the message is shown over `parent`.
    """
    dialog = _busy(parent, label)

    def write() -> T:
        with _write_lock, store.session() as session:
            return work(session)

    task = _Task(write, field)
    task.setAutoDelete(False)
    _pending.add(task)
    _collector.hold()

    def ended() -> None:
        _pending.discard(task)
        _writer.ended()
        _collector.release()
        _close(dialog)
        if shiboken6.isValid(dialog):
            dialog.deleteLater()

    def done(result: T) -> None:
        ended()
        changes.announce(_announced(changed, result))
        if on_success is not None:
            on_success(result)

    def failed(refusal: Refusal) -> None:
        ended()
        _refused(parent, on_failure, refusal)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    _writer.start(task)


def run_long_write(
    parent: QWidget | None,
    store: Store,
    label: str,
    work: Callable[[Session, Progress], T],
    *,
    changed: Changed | Callable[[T], Changed],
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[Refusal], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> QProgressDialog:
    """`run_write` for a write that reports progress (an import): a progress bar with Cancel.

    `work(session, progress)` calls `progress(done, total)`; after Cancel that call raises
    `Cancelled`, the session rolls back, nothing is announced and `on_cancel` runs.
    """
    def write(progress: Progress) -> T:
        with _write_lock, store.session() as session:
            return work(session, progress)

    def done(result: T) -> None:
        _writer.ended()
        changes.announce(_announced(changed, result))
        if on_success is not None:
            on_success(result)

    def failed(refusal: Refusal) -> None:
        _writer.ended()
        _refused(parent, on_failure, refusal)

    def cancelled() -> None:
        _writer.ended()
        if on_cancel is not None:
            on_cancel()

    run = _ProgressRun(parent, label, write, done, on_failure=failed, on_cancel=cancelled)
    _writer.queued += 1
    _start_run(run, _writer.threads())
    return run.dialog


class Read:
    """A read under way; `discard()` drops its outcome (the view moved on or closed)."""

    def __init__(self) -> None:
        self.discarded = False
        self.finished = False

    def discard(self) -> None:
        """Do not call back: what it reads is no longer wanted."""
        self.discarded = True


def run_read(
    store: Store,
    work: Callable[[Session], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[Refusal], None] | None = None,
) -> Read:
    """Read off the UI thread (a summary that takes long): `work(session)` runs in the shared
    pool in a read-only session; `on_success(result)` gets the result on the UI thread unless
    the returned `Read` was discarded. A failure is logged, or goes to `on_failure`."""
    read = Read()

    def reading() -> T:
        with store.reader() as session:
            return work(session)

    task = _Task(reading)
    task.setAutoDelete(False)
    _pending.add(task)
    _collector.hold()

    def ended() -> bool:
        _pending.discard(task)
        _collector.release()
        read.finished = True
        return not read.discarded

    def done(result: T) -> None:
        if ended():
            on_success(result)

    def failed(refusal: Refusal) -> None:
        if not ended():
            return
        if on_failure is not None:
            on_failure(refusal)
        else:
            log.warning("read failed: %s", refusal)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(task)
    return read


def _close(dialog: QProgressDialog) -> None:
    """Close an operation's progress dialog, unless Qt already deleted it with its parent (a
    page closed while its write ran): the operation's outcome must still be handled."""
    if shiboken6.isValid(dialog):
        dialog.close()


def _busy(parent: QWidget | None, label: str) -> QProgressDialog:
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    return dialog
