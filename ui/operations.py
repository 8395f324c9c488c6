"""Running core operations off the UI thread.

A core operation is a plain function; `run_operation` runs it in Qt's thread pool, shows a busy
progress dialog, and posts the result (or the error, as a plain message) back to the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from r2pdesk.errors import KnownError

log = logging.getLogger(__name__)

# Tasks whose outcome has not reached the UI thread yet: kept alive until it has.
_pending: set[_Task] = set()


class _Signals(QObject):
    """Carries an operation's outcome back to the UI thread."""

    succeeded = Signal(object)
    failed = Signal(str)


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
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("operation failed")
            self.signals.failed.emit(f"An unexpected error occurred ({type(exc).__name__}: {exc}).")
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

    def done(result: Any) -> None:
        _pending.discard(task)
        dialog.close()
        on_success(result)

    def failed(message: str) -> None:
        _pending.discard(task)
        dialog.close()
        if on_failure is not None:
            on_failure(message)
        else:
            QMessageBox.warning(parent, "r2pdesk", message)

    task.signals.succeeded.connect(done)
    task.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(task)
