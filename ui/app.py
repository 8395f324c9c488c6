"""`r2pdesk`: start the app, or render a page to a PNG with `--screenshot`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from r2pdesk import __version__
from r2pdesk.errors import KnownError
from r2pdesk.paths import default_db_path, log_dir
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from ui import settings as options
from ui.firstrun import FirstRunDialog
from ui.mainwindow import PAGE_NAMES, MainWindow
from ui.operations import run_operation

SCREENSHOT_SIZE = (1440, 900)


def build_parser() -> argparse.ArgumentParser:
    """The app's command line."""
    parser = argparse.ArgumentParser(prog="r2pdesk", description="r2pdesk desktop app")
    parser.add_argument("--version", action="version", version=f"r2pdesk {__version__}")
    parser.add_argument("--db", type=Path, metavar="PATH", help="database file to open")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="render the main window to a PNG and exit")
    parser.add_argument("--page", choices=PAGE_NAMES, default="dashboard",
                        help="page to show (with --screenshot)")
    return parser


def screenshot(store: Store, page: str, out: Path) -> None:
    """Render the main window on a page to a PNG file."""
    window = MainWindow(store)
    window.resize(*SCREENSHOT_SIZE)
    window.show_page(page)
    window.show()
    for _ in range(3):  # let layouts settle and deferred row sizing run
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        raise KnownError(f"cannot write the screenshot to {out}")
    window.close()


def _prepare(path: Path, demo: bool) -> Path:
    """Create or upgrade the database (and add the demo): runs off the UI thread."""
    store = open_store(path)
    try:
        if demo:
            from r2pdesk.demo import populate_demo, should_offer_demo  # noqa: PLC0415

            with store.session() as session:
                if should_offer_demo(session):
                    populate_demo(session, today=date.today())
    finally:
        store.close()
    return path


def _choose_database(args: argparse.Namespace) -> tuple[Path, bool] | None:
    """The database to open and whether to add the demo; None when the user cancels."""
    settings = options.open_settings()
    if args.db is not None:
        return args.db, False
    chosen = options.database_path(settings)
    if chosen is not None and options.FIRST_RUN_DONE.read(settings):
        return chosen, False
    dialog = FirstRunDialog(chosen or default_db_path())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    options.DATABASE_PATH.write(settings, str(dialog.chosen_path()))
    options.FIRST_RUN_DONE.write(settings, True)
    return dialog.chosen_path(), dialog.wants_demo()


def _setup_logging() -> None:
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=log_dir() / "r2pdesk.log", level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; the exit status says whether it worked."""
    args = build_parser().parse_args(argv)
    _setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("r2pdesk")
    app.setOrganizationName("r2pdesk")
    if args.screenshot is not None:
        try:
            store = open_store(args.db or default_db_path())
            try:
                screenshot(store, args.page, args.screenshot)
            finally:
                store.close()
        except KnownError as exc:
            sys.stderr.write(f"r2pdesk: error: {exc}\n")
            return 1
        return 0
    choice = _choose_database(args)
    if choice is None:
        return 0
    path, demo = choice
    windows: list[MainWindow] = []

    def opened(_path: object) -> None:
        try:
            store = open_store(path)
        except KnownError as exc:
            failed(str(exc))
            return
        window = MainWindow(store)
        windows.append(window)
        window.show()

    def failed(message: str) -> None:
        QMessageBox.critical(None, "r2pdesk", f"The database could not be opened.\n\n{message}")
        app.exit(1)

    run_operation(None, "Opening the database…", lambda: _prepare(path, demo), opened, failed)
    status = app.exec()
    for window in windows:
        window.store.close()
    return status


def run() -> None:
    """The GUI script's entry point."""
    sys.exit(main())
