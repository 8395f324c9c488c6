"""The crash hook: an exception nobody caught is written to the log with its traceback, and the
member is told where the log is, while the window and any dialog being filled in stay open.

Qt calls `sys.excepthook` for an exception raised in a slot and then goes on with the event
loop, so the work typed in a dialog is still there; the hook only has to tell, not to quit.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr
from r2pdesk.paths import write_crash_log

log = logging.getLogger(__name__)


class CrashReporter(QObject):
    """Writes uncaught exceptions to the log and tells the member, on the UI thread."""

    # The log's path and, for a known fault, its plain message; emitted from any thread.
    crashed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.message: QMessageBox | None = None
        self.crashed.connect(self.tell, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Take over `sys.excepthook` and `threading.excepthook`."""
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def excepthook(self, kind: type[BaseException], exc: BaseException,
                   _tb: TracebackType | None) -> None:
        """An exception the main thread did not catch."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, _tb)
            return
        self._record(exc, "")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """An exception a thread did not catch."""
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        self._record(args.exc_value, name)

    def _record(self, exc: BaseException, where: str) -> None:
        known = str(exc) if isinstance(exc, KnownError) else ""
        try:
            path = str(write_crash_log(exc, where))
        except OSError:
            log.exception("the crash log could not be written")
            path = ""
        sys.stderr.write(f"r2pdesk: an unexpected error was written to {path or 'stderr'}\n")
        self.crashed.emit(path, known)

    @Slot(str, str)
    def tell(self, path: str, known: str) -> None:
        """Say what happened over the window in front, without closing anything."""
        if known:
            text = tr("This could not be done: {error}").format(error=known)
        else:
            text = tr("Something went wrong inside r2pdesk; what you were doing was not "
                      "finished. What you typed is still there.")
        if path:
            text += "\n\n" + tr("The details were written to {path}. Please send that file to "
                                "whoever looks after r2pdesk.").format(path=path)
        if self.message is not None and self.message.isVisible():
            self.message.setText(text)  # one message at a time, with the latest news
            return
        parent = QApplication.activeWindow()
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Unexpected error"), text,
                          QMessageBox.StandardButton.Ok, parent)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.destroyed.connect(self._forget)
        box.show()  # not modal: the dialog under it keeps what was typed and can still be used
        self.message = box

    def _forget(self) -> None:
        self.message = None


def install(app: QObject) -> CrashReporter:
    """A crash reporter for the app, installed; it lives as long as the app."""
    reporter = CrashReporter(app)
    reporter.install()
    return reporter
