"""Running core operations off the UI thread.

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
from typing import Any

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

from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr

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


class _Signals(QObject):
    """Carries an operation's outcome back to the UI thread."""

    succeeded = Signal(object)
    failed = Signal(str)
    progressed = Signal(int, int)
    cancelled = Signal()


class _Task(QRunnable):
    """Runs one function in the pool and reports through its signals."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.work()
        except Cancelled:
            self.signals.cancelled.emit()
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("operation failed")
            self.signals.failed.emit(tr("An unexpected error occurred ({error}).").format(
                error=f"{type(exc).__name__}: {exc}"))
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
        dialog.close()
        on_success(result)

    def failed(message: str) -> None:
        _pending.discard(task)
        _collector.release()
        dialog.close()
        if on_failure is not None:
            on_failure(message)
        else:
            QMessageBox.warning(parent, "r2pdesk", message)

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

    def failed(message: str) -> None:
        ended()
        log.warning("background operation failed: %s", message)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(ended)
    QThreadPool.globalInstance().start(task)


class _ProgressRun:
    """One operation run with a progress bar: the dialog, the task and how it ends."""

    def __init__(self, parent: QWidget | None, label: str, work: Callable[[Progress], Any],
                 on_success: Callable[[Any], None], *,
                 on_failure: Callable[[str], None] | None,
                 on_cancel: Callable[[], None] | None) -> None:
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
        self.task = _Task(lambda: work(self.report))
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
        self.dialog.close()

    def done(self, result: Any) -> None:
        self.finish()
        self.on_success(result)

    def failed(self, message: str) -> None:
        self.finish()
        if self.on_failure is not None:
            self.on_failure(message)
        else:
            QMessageBox.warning(self.parent, "r2pdesk", message)

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
    run = _ProgressRun(parent, label, work, on_success, on_failure=on_failure,
                       on_cancel=on_cancel)
    _pending.add(run.task)
    _running.add(run)
    _collector.hold()
    QThreadPool.globalInstance().start(run.task)
    return run.dialog
