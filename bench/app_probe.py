"""Run in a fresh process by the start-up benchmark: start the app on a database (or, for the
baseline, a bare `QApplication` with an empty `QMainWindow`), and print one JSON line as soon as
the main window has painted; then, with `--pages`, open those pages, and print the peak memory.

    python bench/app_probe.py bare
    python bench/app_probe.py app DB [--pages warnings,recommendations]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def say(**fields: Any) -> None:
    """One JSON line on stdout, at once."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def peak_megabytes() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Probe(QObject):
    """Notices the first paint of a main window, then visits pages and leaves."""

    def __init__(self, pages: list[str]) -> None:
        super().__init__()
        self.pages, self.shown = pages, False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not self.shown and event.type() == QEvent.Type.Paint and isinstance(
                watched, QMainWindow):
            self.shown = True
            say(event="shown", peak_mb=round(peak_megabytes(), 1))
            QTimer.singleShot(0, lambda: self.visit(watched))
        return False

    def visit(self, window: Any) -> None:
        for page in self.pages if hasattr(window, "show_page") else []:
            start = time.perf_counter()
            window.show_page(page)
            for _ in range(5):  # let the page fetch and lay out its first rows
                QApplication.processEvents()
            say(event="page", page=page, seconds=round(time.perf_counter() - start, 3))
        say(event="done", peak_mb=round(peak_megabytes(), 1))
        window.close()
        QApplication.instance().exit(0)  # type: ignore[union-attr]


def main() -> int:
    """Start, show, report."""
    mode = sys.argv[1]
    pages = sys.argv[sys.argv.index("--pages") + 1].split(",") if "--pages" in sys.argv else []
    app = QApplication(sys.argv[:1])
    probe = Probe(pages)
    app.installEventFilter(probe)
    if mode == "bare":
        window = QMainWindow()
        window.show()
        return app.exec()
    from ui.app import main as app_main  # noqa: PLC0415 - importing it is part of the start-up

    return app_main(["--db", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
