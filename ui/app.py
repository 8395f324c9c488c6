"""`r2pdesk`: start the app, or render a page to a PNG with `--screenshot`.

An encrypted database asks for its passphrase (or takes `R2PDESK_PASSPHRASE`); the database's
lock is held while the app runs, so a second app on the same file is told who has it open; a
rotating backup is made at start, while it runs and when it closes, each time only when the newest
is older than the interval the settings give (so restarts do not multiply backups).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox
from sqlalchemy.orm import Session

from r2pdesk import __version__, backup, crypto, lock
from r2pdesk.admin import PASSPHRASE_ENV
from r2pdesk.errors import KnownError
from r2pdesk.i18n import LANGUAGES, tr
from r2pdesk.paths import default_db_path, log_dir
from r2pdesk.startup import default_member, open_store
from r2pdesk.store import Store
from ui import changes as kinds
from ui import crash, language, member_signin
from ui import settings as options
from ui.changes import Changed
from ui.firstrun import FirstRunDialog
from ui.mainwindow import PAGE_NAMES, MainWindow
from ui.operations import (
    Progress,
    Refusal,
    run_in_background,
    run_with_progress,
    run_write,
    show_refusal,
)

SCREENSHOT_SIZE = (1440, 900)
PASSPHRASE_TRIES = 3
BACKUP_CHECK_MS = 60 * 60 * 1000  # look every hour whether the daily backup is due

# Asks for the passphrase of a file, with a message; None when the user cancels.
PassphraseAsker = Callable[[Path, str], str | None]
log = logging.getLogger(__name__)


class CancelledError(Exception):
    """The user declined to give the passphrase."""


def ask_passphrase(path: Path, message: str) -> str | None:
    """A small dialog asking for a passphrase, typed hidden."""
    text, ok = QInputDialog.getText(
        None, f"r2pdesk — {path.name}", message, QLineEdit.EchoMode.Password
    )
    return text if ok else None


def unlock(path: Path, ask: PassphraseAsker, tries: int = PASSPHRASE_TRIES) -> str | None:
    """The passphrase of `path` when it is encrypted (None when it is not), checked.

    `R2PDESK_PASSPHRASE`, when set, is used without asking; otherwise `ask` is called until the
    passphrase opens the file, at most `tries` times. Raises `CancelledError` when the user cancels.
    """
    if not crypto.is_encrypted(path):
        return None
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        crypto.verify_passphrase(path, given)
        return given
    message = tr("{name} is encrypted. Its passphrase:").format(name=path.name)
    for _ in range(tries):
        answer = ask(path, message)
        if answer is None:
            raise CancelledError
        try:
            crypto.verify_passphrase(path, answer)
        except KnownError:
            message = tr("Wrong passphrase for {name}. Try again:").format(name=path.name)
            continue
        return answer
    raise KnownError(tr("wrong passphrase for {path}").format(path=path))


def rotate_backup(store: Store, keep: int, every: timedelta | None = None) -> Path | None:
    """A rotating backup of `store` (only when one is due, with `every`); errors are logged."""
    try:
        if every is None:
            return backup.rotate(store, keep=keep)
        return backup.rotate_when_due(store, keep=keep, every=every)
    except KnownError:
        log.exception("the rotating backup failed")
        return None


def close_store(store: Store, keep: int, every: timedelta) -> None:
    """The app's last step on a database: a rotating backup when one is due, then close it.

    Only when due: a backup at every close made one per start, pushing the older good ones out.
    """
    rotate_backup(store, keep, every)
    store.close()


def _rotate_in_background(windows: list[MainWindow], keep: int, every: timedelta) -> None:
    """A rotating backup of each window's database where one is due, off the UI thread."""
    for window in windows:
        run_in_background(partial(rotate_backup, window.store, keep, every))


def _size(text: str) -> tuple[int, int]:
    """A window size written as WIDTHxHEIGHT."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 1024x700: {text}") from None
    return width, height


def build_parser() -> argparse.ArgumentParser:
    """The app's command line."""
    parser = argparse.ArgumentParser(prog="r2pdesk", description="r2pdesk desktop app")
    parser.add_argument("--version", action="version", version=f"r2pdesk {__version__}")
    parser.add_argument("--db", type=Path, metavar="PATH", help="database file to open")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="render the main window to a PNG and exit")
    parser.add_argument("--page", choices=PAGE_NAMES, default="dashboard",
                        help="page to show (with --screenshot)")
    parser.add_argument("--size", type=_size, default=SCREENSHOT_SIZE, metavar="WxH",
                        help="window size (with --screenshot), e.g. 1024x700")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation on a temporary database, draw every page "
                             "offscreen, print one line and exit")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), metavar="CODE",
                        help="language of the app: " + ", ".join(LANGUAGES))
    return parser


def _draw_every_page(store: Store, folder: Path) -> str:
    """The self-test's app step: the main window on every page, grabbed to an image."""
    window = MainWindow(store)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    try:
        for page in PAGE_NAMES:
            window.show_page(page)
            for _ in range(3):
                QApplication.processEvents()
            image = window.grab().toImage()
            if image.isNull() or image.width() < 100 or image.height() < 100:
                raise KnownError(tr("the main window on the {page} page could not be drawn")
                                 .format(page=page))
            if not image.save(str(folder / f"{page}.png")):
                raise KnownError(tr("cannot save the {page} page as an image").format(page=page))
    finally:
        window.close()
    return f"main window drawn on {len(PAGE_NAMES)} pages ({QApplication.platformName()})"


def _self_test_main() -> int:
    """`r2pdesk --self-test`: the core's self-test plus the main window, offscreen if need be."""
    from r2pdesk import selftest  # noqa: PLC0415 - only the self-test needs it

    def with_window(store: Store, folder: Path) -> str:
        # Settings go to the temporary folder, never to this computer's own.
        for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder / "settings"))
        return _draw_every_page(store, folder)

    return selftest.run(with_window)


def screenshot(store: Store, page: str, out: Path,
               size: tuple[int, int] = SCREENSHOT_SIZE) -> None:
    """Render the main window on a page to a PNG file."""
    window = MainWindow(store)
    window.resize(*size)
    window.show_page(page)
    window.show()
    for _ in range(3):  # let layouts settle and deferred row sizing run
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        raise KnownError(tr("cannot write the screenshot to {path}").format(path=out))
    window.close()


def _prepare(path: Path, passphrase: str | None = None,
             progress: Progress | None = None) -> Path:
    """Create or upgrade the database: runs off the UI thread.

    `progress` hears of the upgrade, each revision; what it raises (a cancel) stops it before
    the next revision, the file as it was."""
    open_store(path, passphrase=passphrase, progress=progress).close()
    return path


def add_demo(session: Session) -> bool:
    """Fill the database with the demo committee's records unless it holds some already (a
    first run asked for the demo); whether it did."""
    from r2pdesk.demo import populate_demo, should_offer_demo  # noqa: PLC0415

    if not should_offer_demo(session):
        return False
    populate_demo(session, today=date.today())
    return True


def after_demo(store: Store, then: Callable[[], None], *, wanted: bool) -> None:
    """`then()` (open the window), once the demo is added when the first run asked for it:
    through the single writer, announced like any write (a refusal is said first)."""
    if not wanted:
        then()
        return

    def refused(refusal: Refusal) -> None:
        show_refusal(None, refusal)
        then()

    run_write(None, store, tr("Adding the demonstration data…"), add_demo,
              changed=Changed(kinds.KINDS), on_success=lambda _added: then(),
              on_failure=refused)


def confirm_quit() -> bool:
    """After Cancel in the Welcome dialog: quit (True) or go back to it (False)."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        None, "r2pdesk",
        tr("r2pdesk needs a database file to work in. Without one it closes now, and the "
           "Welcome dialog opens again at the next start.\n\nQuit r2pdesk?"),
        buttons.Yes | buttons.No, buttons.No)
    return answer == buttons.Yes


def _choose_database(
    args: argparse.Namespace, ask_quit: Callable[[], bool] = confirm_quit
) -> tuple[Path, bool] | None:
    """The database to open and whether to add the demo; None when the user cancels and
    confirms that r2pdesk should close."""
    settings = options.open_settings()
    if args.db is not None:
        return args.db, False
    chosen = options.database_path(settings)
    if chosen is not None and options.FIRST_RUN_DONE.read(settings):
        return chosen, False
    dialog = FirstRunDialog(chosen or default_db_path())
    while dialog.exec() != QDialog.DialogCode.Accepted:
        if ask_quit():
            return None
    options.DATABASE_PATH.write(settings, str(dialog.chosen_path()))
    options.FIRST_RUN_DONE.write(settings, True)
    settings.sync()
    return dialog.chosen_path(), dialog.wants_demo()


def _open_window(store: Store, windows: list[MainWindow], keep: int, every: timedelta,
                 timer: QTimer) -> None:
    """The window on the database ready: who signs (the member remembered, or asked), and
    rotating backups from now on."""
    window = MainWindow(store)
    windows.append(window)
    window.remember_state()  # the size and page of the last start, kept again at the end
    window.show()
    member_signin.start(window, window)
    _rotate_in_background(windows, keep, every)
    timer.start()


def _setup_logging() -> None:
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=log_dir() / "r2pdesk.log", level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.WARNING)


def _lock(path: Path) -> lock.DatabaseLock:
    """The lock of a database; its folder is made first (a first run chooses a new one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(tr("cannot create the folder {folder}: {problem}").format(
            folder=path.parent, problem=exc.strerror)) from exc
    return lock.DatabaseLock(path, default_member())


def _never_ask(path: Path, _message: str) -> str | None:
    raise KnownError(f"{crypto.NEEDS_PASSPHRASE} in {PASSPHRASE_ENV} ({path})")


def _screenshot_main(args: argparse.Namespace) -> int:
    """Render one page: no window waits for anyone, so an encrypted file needs the variable."""
    path = Path(args.db or default_db_path()).expanduser()
    try:
        with _lock(path):
            store = open_store(path, passphrase=unlock(path, _never_ask))
            try:
                screenshot(store, args.page, args.screenshot, args.size)
            finally:
                store.close()
    except KnownError as exc:
        sys.stderr.write(f"r2pdesk: error: {exc}\n")
        return 1
    return 0


def _take(path: Path, ask: PassphraseAsker) -> tuple[lock.DatabaseLock, str | None] | None:
    """The database's lock and passphrase, or None (the user was told why) when not to go on."""
    try:
        held = _lock(path).acquire()
    except KnownError as exc:
        QMessageBox.critical(None, "r2pdesk", tr("The database cannot be opened.\n\n{error}")
                             .format(error=exc))
        return None
    try:
        return held, unlock(path, ask)
    except (KnownError, CancelledError) as exc:
        held.release()
        if isinstance(exc, KnownError):
            QMessageBox.critical(None, "r2pdesk", tr("The database cannot be opened.\n\n{error}")
                                 .format(error=exc))
        return None


def main(argv: Sequence[str] | None = None, ask: PassphraseAsker = ask_passphrase) -> int:
    """Run the app; the exit status says whether it worked.

    `ask` asks for an encrypted database's passphrase; tests give their own.
    """
    args = build_parser().parse_args(argv)
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if args.self_test and sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not args.self_test:
        _setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("r2pdesk")
    app.setOrganizationName("r2pdesk")
    language.apply(app, language.choose(args.lang, options.LANGUAGE.read(options.open_settings())))
    if args.self_test:
        return _self_test_main()
    if args.screenshot is not None:
        return _screenshot_main(args)
    crash.install(app)
    choice = _choose_database(args)
    if choice is None:
        return 0
    path, demo = choice
    taken = _take(Path(path).expanduser(), ask)
    if taken is None:
        return 1
    held, passphrase = taken
    settings = options.open_settings()
    keep = options.BACKUP_KEEP.read(settings)
    every = timedelta(hours=options.BACKUP_EVERY_HOURS.read(settings))
    windows: list[MainWindow] = []
    timer = QTimer()
    timer.setInterval(BACKUP_CHECK_MS)
    timer.timeout.connect(lambda: _rotate_in_background(windows, keep, every))

    def prepared(progress: Progress) -> Store:
        _prepare(path, passphrase, progress)
        store = open_store(path, passphrase=passphrase)  # here too, not on the UI thread
        store.close()  # an encrypted file's connections serve only the thread that made them
        return store

    def opened(store: Store) -> None:
        # The demo, if wanted, is in before the window shows (and "Who are you?" lists its
        # members).
        after_demo(store, partial(_open_window, store, windows, keep, every, timer), wanted=demo)

    def failed(message: str) -> None:
        QMessageBox.critical(None, "r2pdesk", tr(
            "The database could not be opened.\n\n{message}").format(message=message))
        app.exit(1)

    run_with_progress(None, tr("Opening the database…"), prepared, opened, on_failure=failed,
                      on_cancel=lambda: failed(tr("Opening was cancelled: the database was left "
                                                  "as it was, at the schema it had.")))
    status = app.exec()
    timer.stop()
    QThreadPool.globalInstance().waitForDone()  # a rotating backup under way ends first
    for window in windows:
        close_store(window.store, keep, every)
    held.release()
    return status


def run() -> None:
    """The GUI script's entry point."""
    sys.exit(main())
