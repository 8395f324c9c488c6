"""The main window: a navigation list of the app's areas, one page each, the database in the
status bar."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from r2pdesk import __version__, backup, crypto
from r2pdesk.earlywarning.queries import WarningFilter, count_warnings
from r2pdesk.errors import KnownError
from r2pdesk.i18n import N_, format_number, is_right_to_left, tr
from r2pdesk.recommendations.queries import count_overdue
from r2pdesk.startup import open_store
from r2pdesk.stats import collect
from r2pdesk.store import Store, read_setting
from ui import settings as options
from ui.assessments_page import AssessmentsPage
from ui.catalogue_page import CataloguePage
from ui.changes import ASSESSMENT, PROGRESS, RECOMMENDATION, WARNING, on_change
from ui.dashboard_page import DashboardPage
from ui.exchange_page import ExchangePage
from ui.guarded import GuardedDialog, hold_to_screen, room
from ui.idle_lock import IdleWatcher, LockScreen
from ui.institutions_page import InstitutionsPage
from ui.member_signin import SignerLabel, ask
from ui.operations import Progress, run_operation, run_with_progress
from ui.pages import show_message
from ui.recommendations_page import RecommendationsPage
from ui.reports_page import ReportsPage
from ui.settings_page import SettingsPage
from ui.setup_page import SetupPage
from ui.warnings_page import WarningsPage


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation: its name on the command line, its label, what it is for."""

    name: str
    label: str
    purpose: str


# Labels and purposes in English, translated where they are shown (`tr(spec.label)`).
PAGES = (
    PageSpec("dashboard", N_("Dashboard"), N_("what needs attention today")),
    PageSpec("warnings", N_("Early warnings"),
             N_("the register of early warnings and their responses")),
    PageSpec("assessments", N_("Risk assessments"),
             N_("assessments on the Framework of Analysis")),
    PageSpec("recommendations", N_("Recommendations"),
             N_("follow-up of national recommendations")),
    PageSpec("catalogue", N_("SG catalogue"),
             N_("the Secretary-General's recommendations 2009-2026")),
    PageSpec("institutions", N_("Institutions"), N_("institutions and their focal points")),
    PageSpec("exchange", N_("Exchange"), N_("Excel workbooks for focal points and members")),
    PageSpec("reports", N_("Reports"), N_("PDF briefs and reports")),
    PageSpec("settings", N_("Settings"), N_("the committee's and this laptop's settings")),
    PageSpec("setup", N_("Set-up"),
             N_("the committee, its members, areas, population groups and sources")),
)
PAGE_NAMES = tuple(page.name for page in PAGES)
NAV_WIDTH = 180  # at most
DEFAULT_SIZE = QSize(1200, 760)  # at the first start, when the screen has room for it
# The pages that can hold an edit not saved yet, and what the question before losing it says:
# its title, and its text when the window closes and when another page is chosen.
UNSAVED = {
    "settings": (N_("Unsaved settings"),
                 N_("Some settings were changed but not saved. Save them before closing?"),
                 N_("Some settings were changed but not saved. Save them before leaving the "
                    "page?")),
    "setup": (N_("Unsaved committee details"),
              N_("The committee's name or country was changed but not saved. Save it before "
                 "closing?"),
              N_("The committee's name or country was changed but not saved. Save it before "
                 "leaving the page?")),
}


class Unsaved(Protocol):
    """A page that can hold an edit not saved yet."""

    def has_unsaved_changes(self) -> bool: ...
    def save_changes(self, then: Callable[[], None] | None = None) -> None: ...
    def discard_changes(self) -> None: ...


class PendingPage(QWidget):
    """A page whose screen is not built yet, and says so plainly."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(f"<h2>{tr(spec.label)}</h2>")
        body = QLabel(tr(
            "This page ({purpose}) is not built yet in this version of r2pdesk.\n"
            "Its records are already kept in the database; the screen to work with them "
            "comes in a later version."
        ).format(purpose=tr(spec.purpose)))
        body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addStretch(1)


ELLIPSIS = "…"
# What may stand between two digits of one number ("1,234", "1 234", "2.5").
_IN_NUMBERS = frozenset(",.'\u00a0\u202f\u066b\u066c")


def _inside_number(text: str, cut: int) -> bool:
    """Whether cutting `text` before index `cut` splits a number."""
    def digit_like(i: int) -> bool:
        return text[i].isdigit() or (
            text[i] in _IN_NUMBERS and 0 < i < len(text) - 1
            and text[i - 1].isdigit() and text[i + 1].isdigit())
    return 0 < cut < len(text) and digit_like(cut - 1) and digit_like(cut)


def elide_end(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` cut at its logical end with "…" to fit `width` pixels, whole when it fits; the cut
    falls before a number it would split, and never before a combining mark."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    low, high = 0, len(text)  # the longest start that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if metrics.horizontalAdvance(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    cut = low
    while 0 < cut < len(text) and (_inside_number(text, cut)
                                   or unicodedata.combining(text[cut])):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


class ElidedLabel(QLabel):
    """One line that ends in "…" when the window is narrow, instead of widening the window."""

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("r2pdesk …"),
                     super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as it fits: cut at its end (the left in a right-to-left language), never
        inside a number, so that "440 recommendations" never reads as "0" or "44"."""
        return elide_end(self.text(), self.fontMetrics(), self.contentsRect().width())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.shown_text()
        self.style().drawItemText(painter, rect, int(QStyle.visualAlignment(
            self.layoutDirection(), self.alignment())), self.palette(), self.isEnabled(), text,
            QPalette.ColorRole.WindowText)


class MainWindow(QMainWindow):
    """The app's one window."""

    def __init__(self, store: Store, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.idle = IdleWatcher(options.IDLE_LOCK_MINUTES.read(options.open_settings()), self)
        self.idle.idle.connect(self.lock)
        self.setWindowTitle(f"r2pdesk — {store.path.name}")
        self.nav = QListWidget()
        self.nav.setAccessibleName(tr("Navigation"))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for spec in PAGES:
            page = self._make_page(spec)
            self.pages[spec.name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(tr(spec.label))
            item.setToolTip(tr(spec.purpose))
            self.nav.addItem(item)
        # Wide enough for the longest label in the language in use, up to a width that leaves
        # a 1024-pixel screen to the page: a longer label wraps onto a second line.
        self.nav.setWordWrap(True)
        self.nav.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.nav.setFixedWidth(min(NAV_WIDTH, max(150, self.nav.sizeHintForColumn(0) + 28)))
        self.nav.currentRowChanged.connect(self._go)

        self.message: QMessageBox | None = None
        self.member_dialog: GuardedDialog | None = None  # "Who are you?", when open
        self.remembers = False  # whether the size and the page are kept for the next start
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.lock_screen = LockScreen()
        self.lock_screen.unlocked.connect(self.unlock)
        self.screens = QStackedWidget()
        self.screens.addWidget(central)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self.screens)
        self._build_menus()
        self._build_status_bar()
        self.show_page("dashboard")

    def _make_page(self, spec: PageSpec) -> QWidget:
        factories: dict[str, Callable[[], QWidget]] = {
            "dashboard": self._dashboard_page,
            "catalogue": lambda: CataloguePage(self.store),
            "institutions": lambda: InstitutionsPage(self.store),
            "recommendations": self._recommendations_page,
            "warnings": self._warnings_page,
            "assessments": self._assessments_page,
            "exchange": self._exchange_page,
            "reports": self._reports_page,
            "settings": self._settings_page,
            "setup": lambda: SetupPage(self.store, self.today),
        }
        factory = factories.get(spec.name)
        return factory() if factory else PendingPage(spec)

    def _dashboard_page(self) -> QWidget:
        page = DashboardPage(self.store, self.today)
        page.open_recommendation.connect(self.open_recommendation)
        page.open_warning.connect(self.open_warning)
        page.open_assessment.connect(self.open_assessment)
        page.open_list.connect(self.open_list)
        return page

    def _recommendations_page(self) -> QWidget:
        return RecommendationsPage(self.store, self.today)

    def _warnings_page(self) -> QWidget:
        return WarningsPage(self.store, self.today)

    def _assessments_page(self) -> QWidget:
        return AssessmentsPage(self.store, self.today)

    def _exchange_page(self) -> QWidget:
        return ExchangePage(self.store, self.today)

    def _reports_page(self) -> QWidget:
        return ReportsPage(self.store, self.today)

    def _settings_page(self) -> QWidget:
        page = SettingsPage(self.store)
        page.encrypt_requested.connect(self.encrypt)
        page.rekey_requested.connect(self.change_passphrase)
        page.laptop_saved.connect(self.idle.set_minutes)
        page.setup_requested.connect(self.open_committee_setup)
        return page

    def open_committee_setup(self) -> None:
        """The Setup page on its Committee tab (the committee's name is edited there only)."""
        setup = self.pages.get("setup")
        if isinstance(setup, SetupPage):
            setup.show_section("committee")
        self.show_page("setup")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        backup_action = QAction(tr("&Back up now…"), self)
        backup_action.triggered.connect(self.ask_backup)
        file_menu.addAction(backup_action)
        restore_action = QAction(tr("&Restore from backup…"), self)
        restore_action.triggered.connect(self.ask_restore)
        file_menu.addAction(restore_action)
        lock_action = QAction(tr("&Lock now"), self)
        lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        lock_action.triggered.connect(self.lock)
        file_menu.addAction(lock_action)
        switch_action = QAction(tr("S&witch member…"), self)
        switch_action.triggered.connect(lambda _checked=False: ask(self, self))
        file_menu.addAction(switch_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(tr("&Go"))
        for number, spec in enumerate(PAGES, start=1):
            action = QAction(tr(spec.label), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number % 10}"))  # the tenth: Ctrl+0
            action.triggered.connect(lambda _checked=False, name=spec.name: self.show_page(name))
            go_menu.addAction(action)
            self.addAction(action)

        help_menu = self.menuBar().addMenu(tr("&Help"))
        about = QAction(tr("&About r2pdesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        audit = QAction(tr("Audit &trail"), self)
        audit.triggered.connect(self.show_audit_trail)
        help_menu.addAction(audit)

    def _build_status_bar(self) -> None:
        with self.store.reader() as session:
            demo = read_setting(session, "demo")
            figures = collect(session, self.store.schema_revision)
        self.db_label = ElidedLabel(self._db_text(figures))
        self.db_label.setToolTip(self.db_label.text())  # whole, where a narrow window cuts it
        self.statusBar().addWidget(self.db_label, 1)
        self.signer_label = SignerLabel(self.store)
        self.statusBar().addPermanentWidget(self.signer_label)
        self.late_responses_label = QLabel()
        self.late_responses_label.setAccessibleName(tr("Warnings with an overdue response"))
        self.statusBar().addPermanentWidget(self.late_responses_label)
        self.overdue_label = QLabel()
        self.overdue_label.setAccessibleName(tr("Overdue recommendations"))
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.refresh_counts()
        # The counts follow every write, wherever it was made (each page listens for itself).
        self.counts = on_change(self, {RECOMMENDATION, PROGRESS, WARNING, ASSESSMENT},
                                lambda _changed: self.refresh_counts())
        if demo:
            notice = QLabel(tr("DEMO DATA — fictional"))
            notice.setToolTip(demo)
            self.statusBar().addPermanentWidget(notice)

    def _db_text(self, figures: dict[str, object]) -> str:
        if self.store.encrypted:
            text = tr("Database: {path} (encrypted)  ·  schema {schema}  ·  "
                      "{count} catalogue recommendations")
        else:
            text = tr("Database: {path} (not encrypted)  ·  schema {schema}  ·  "
                      "{count} catalogue recommendations")
        count = figures["catalogue_recommendations"]
        # A path reads left to right, also within an Arabic line: isolated, it keeps its order.
        path = f"\u2066{self.store.path}\u2069" if is_right_to_left() else self.store.path
        return text.format(path=path, schema=self.store.schema_revision,
                           count=format_number(count) if isinstance(count, int) else count)

    def refresh_counts(self) -> None:
        """The overdue counts in the status bar, read again."""
        with self.store.reader() as session:
            overdue = count_overdue(session, today=self.today())
            late = count_warnings(session, WarningFilter(overdue=True), today=self.today())
        if overdue == 0:
            text = tr("No recommendation overdue")
        elif overdue == 1:
            text = tr("⚠ 1 recommendation overdue")
        else:
            text = tr("⚠ {count} recommendations overdue").format(count=format_number(overdue))
        self.overdue_label.setText(text)
        if late == 0:
            text = tr("No warning response overdue")
        elif late == 1:
            text = tr("⚠ 1 warning response overdue")
        else:
            text = tr("⚠ {count} warning responses overdue").format(count=format_number(late))
        self.late_responses_label.setText(text)

    def show_page(self, name: str) -> None:
        """Bring a page to the front by its command-line name; leaving a page with an unsaved
        edit asks first (Save, Discard or Cancel)."""
        self._go(PAGE_NAMES.index(name))

    def _go(self, row: int) -> None:
        leaving = self.current_page()
        if row != self.stack.currentIndex() and self._unsaved(leaving) is not None:
            with QSignalBlocker(self.nav):  # the navigation stays on the page until answered
                self.nav.setCurrentRow(self.stack.currentIndex())
            self.ask_unsaved(leaving, lambda: self._go(row), closing=False)
            return
        with QSignalBlocker(self.nav):
            self.nav.setCurrentRow(row)
        self.stack.setCurrentIndex(row)

    def current_page(self) -> str:
        """The command-line name of the page in front."""
        return PAGE_NAMES[self.stack.currentIndex()]

    def open_recommendation(self, rec_id: uuid.UUID) -> None:
        """The Recommendations page with one recommendation chosen."""
        self.show_page("recommendations")
        page = self.pages["recommendations"]
        if isinstance(page, RecommendationsPage):
            page.show_recommendation(rec_id)

    def open_warning(self, warning_id: uuid.UUID) -> None:
        """The Early warnings page, with one warning chosen where the page can."""
        self.show_page("warnings")
        show = getattr(self.pages["warnings"], "show_warning", None)
        if callable(show):
            show(warning_id)

    def open_assessment(self, assessment_id: uuid.UUID) -> None:
        """The Risk assessments page, with one assessment chosen where the page can."""
        self.show_page("assessments")
        show = getattr(self.pages["assessments"], "show_assessment", None)
        if callable(show):
            show(assessment_id)

    def open_list(self, name: str) -> None:
        """The page behind a dashboard figure: "overdue-recommendations", "overdue-warnings"..."""
        if name.endswith("-recommendations"):
            self.show_page("recommendations")
            page = self.pages["recommendations"]
            if name == "overdue-recommendations" and isinstance(page, RecommendationsPage):
                page.show_overdue()
        elif name.endswith("-warnings"):
            self.show_page("warnings")
            show = getattr(self.pages["warnings"], "show_overdue", None)
            if name == "overdue-warnings" and callable(show):
                show()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            tr("About r2pdesk"),
            tr("r2pdesk {version}\nThe offline desk of a national atrocity prevention "
               "mechanism: risk assessments, early warnings and the follow-up of "
               "recommendations.").format(version=__version__),
        )

    # --- what the next start remembers, and closing ------------------------------------------

    def remember_state(self) -> None:
        """Take the size, place and page kept by the last start, and keep them when closing."""
        settings = options.open_settings()
        geometry = options.WINDOW_GEOMETRY.read(settings)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE.boundedTo(room(self)))
        elif not self.isMaximized() and not self.isFullScreen():
            hold_to_screen(self)  # kept on a larger screen: no larger than this one
        page = options.LAST_PAGE.read(settings)
        if page in PAGE_NAMES:
            self.show_page(page)
        self.remembers = True

    def _unsaved(self, name: str) -> Unsaved | None:
        """The page of that name when it holds an edit not saved."""
        page = self.pages.get(name)
        if name in UNSAVED and isinstance(page, SettingsPage | SetupPage) and (
                page.has_unsaved_changes()):
            return page
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask before an unsaved Settings or Setup edit is lost (the page in front first);
        keep size and page for the next start."""
        current = self.current_page()
        unsaved = [name for name in (current, *UNSAVED) if self._unsaved(name) is not None]
        if unsaved:
            event.ignore()
            self.ask_unsaved(unsaved[0], self._close_again)
            return
        if self.remembers:
            settings = options.open_settings()
            options.WINDOW_GEOMETRY.write(settings, self.saveGeometry())
            options.LAST_PAGE.write(settings, self.current_page())
            settings.sync()
        super().closeEvent(event)

    def _close_again(self) -> None:
        self.close()  # asks about the next page with an unsaved edit, if any

    def ask_unsaved(self, name: str, then: Callable[[], None], *,
                    closing: bool = True) -> QMessageBox:
        """Save, Discard or Cancel a page's unsaved edit (the page shown), then `then()`: close
        the window again, or go to the page chosen. Cancel, or a refused save, stays."""
        page = self._unsaved(name)
        assert page is not None
        row = PAGE_NAMES.index(name)
        with QSignalBlocker(self.nav):
            self.nav.setCurrentRow(row)
        self.stack.setCurrentIndex(row)
        title, when_closing, when_leaving = UNSAVED[name]
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, tr(title),
                          tr(when_closing if closing else when_leaving),
                          buttons.Save | buttons.Discard | buttons.Cancel, self)
        box.setDefaultButton(buttons.Save)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(button: int) -> None:
            if button == buttons.Save.value:
                page.save_changes(then)  # a refusal is said there; `then` waits for success
            elif button == buttons.Discard.value:
                page.discard_changes()
                then()

        box.finished.connect(answered)
        box.open()
        self.message = box
        return box

    # --- the audit trail, backups, restore, encryption ----------------------------------------

    def show_audit_trail(self) -> None:
        """The Settings page on its Audit trail tab, the chain checked again."""
        self.show_page("settings")
        page = self.pages["settings"]
        if isinstance(page, SettingsPage):
            page.tabs.setCurrentIndex(page.tabs.count() - 1)  # the audit trail
            page.audit.verify()
            page.audit.refresh()

    def _tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        self.message = show_message(self, "r2pdesk", text, icon)

    def _failed(self, what: str) -> Callable[[str], None]:
        return lambda message: self._tell(
            tr("{what} failed: {message}").format(what=what, message=message),
            QMessageBox.Icon.Warning)

    def ask_backup(self) -> None:
        """Choose where to write a backup, then write it."""
        suggested = options.in_last_folder(
            f"{self.store.path.stem}-backup-{self.today().isoformat()}.db", self.store.path.parent)
        out, _filter = QFileDialog.getSaveFileName(
            self, tr("Back up the database"), suggested, tr("r2pdesk databases (*.db)"))
        if out:
            options.remember_folder(out)
            self.back_up_to(Path(out))

    def back_up_to(self, out: Path) -> None:
        """Write a backup of the open database to `out`, off the UI thread, with progress and
        Cancel (which leaves no file); say where."""
        store = self.store

        def done(path: object) -> None:
            if store.encrypted:
                text = tr("The backup was written to\n{path}\n\nIt is encrypted with the same "
                          "passphrase. Keep it somewhere other than this laptop.")
            else:
                text = tr("The backup was written to\n{path}\n\nIt is not encrypted. Keep it "
                          "somewhere other than this laptop.")
            self._tell(text.format(path=path))

        run_with_progress(
            self, tr("Backing up…"),
            lambda report: backup.backup(store, out, progress=report), done,
            on_failure=self._failed(tr("The backup")),
            on_cancel=lambda: self._tell(tr("The backup was cancelled; no file was written.")))

    def ask_restore(self) -> None:
        """Choose a backup, confirm, then restore it."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self, tr("Restore from a backup"), options.last_folder(self.store.path.parent),
            tr("r2pdesk databases (*.db);;All files (*)"))
        if chosen:
            options.remember_folder(chosen)
            self.confirm_restore(Path(chosen))

    def confirm_restore(self, chosen: Path) -> QMessageBox:
        """Ask (without blocking) before replacing the database by a backup."""
        box = show_message(
            self, tr("Restore from backup"),
            tr("Replace the database {name} by the backup\n{backup}?\n\n"
               "The backup is checked first (integrity, schema, audit trail); if it does not "
               "pass nothing changes. The current file is kept in the backups folder. r2pdesk "
               "closes the database, restores it and opens the restored one in this window.")
            .format(name=self.store.path.name, backup=chosen),
            QMessageBox.Icon.Question, ask=True)
        box.accepted.connect(lambda: self.restore_from(chosen))
        self.message = box
        return box

    def restore_from(self, chosen: Path) -> None:
        """Close the database, restore the backup over it (checked first), open it again."""
        passphrase = self.store.passphrase

        def work(path: Path, report: Progress) -> tuple[str | None, str]:
            aside = backup.restore(chosen, path, passphrase, progress=report)
            return passphrase, tr(
                "The database was restored from\n{backup}\n\nThe file it replaced is kept "
                "at\n{aside}\n\nThis window now shows the restored database.",
            ).format(backup=chosen, aside=aside)

        self.reopen(tr("Restoring…"), work, tr("The restore"), cancellable=True)

    def encrypt(self, passphrase: str) -> None:
        """Encrypt the open (plain) database with `passphrase` and open it again."""

        def work(path: Path, _report: Progress) -> tuple[str | None, str]:
            crypto.encrypt_database(path, passphrase)
            return passphrase, tr(
                "{name} is now encrypted. r2pdesk closed it, encrypted it and opened it "
                "again; from now on it asks for the passphrase when it starts and when the "
                "window locks. Backups made before are not encrypted: delete them once a new "
                "backup exists.").format(name=path.name)

        self.reopen(tr("Encrypting…"), work, tr("Encrypting the database"))

    def change_passphrase(self, current: str, new: str) -> None:
        """Re-key the open (encrypted) database and open it again with the new passphrase."""

        def work(path: Path, _report: Progress) -> tuple[str | None, str]:
            crypto.rekey(path, current, new)
            return new, tr(
                "The passphrase was changed. r2pdesk closed the database, re-keyed it and "
                "opened it again. Backups made before still open with the old passphrase.")

        self.reopen(tr("Changing the passphrase…"), work, tr("Changing the passphrase"))

    def reopen(self, label: str, work: Callable[[Path, Progress], tuple[str | None, str]],
               what: str, *, cancellable: bool = False) -> None:
        """Close the store, run `work(path, progress)` off the UI thread, open the database
        again there (with the passphrase `work` returns), then rebuild every page on it.

        When `work` fails or (if `cancellable`, with a progress bar) is cancelled, the database
        was left as it was and the same store goes on.
        """
        old = self.store
        path = old.path
        old.close()

        def reopened(report: Progress) -> tuple[Store | None, str]:
            passphrase, message = work(path, report)
            try:  # opening reads the whole schema and the reference data: not on the UI thread
                store = open_store(path, member=old.actor.name, passphrase=passphrase)
            except KnownError as exc:
                return None, tr("{what} was done, but the database could not be opened again: "
                                "{error}. Close r2pdesk and start it again.").format(
                                    what=what, error=exc)
            store.close()  # an encrypted file's connections serve only the thread that made them
            return store, message

        def done(result: object) -> None:
            store, message = cast("tuple[Store | None, str]", result)
            if store is None:
                self._tell(message, QMessageBox.Icon.Warning)
                return
            self.set_store(store)
            self._tell(message)

        if cancellable:
            run_with_progress(self, label, reopened, done, on_failure=self._failed(what),
                              on_cancel=lambda: self._tell(tr(
                                  "{what} was cancelled; the database was not changed.").format(
                                      what=what)))
        else:
            run_operation(self, label, lambda: reopened(lambda _done, _total: None), done,
                          self._failed(what))

    def set_store(self, store: Store) -> None:
        """Show another store: every page is built again on it."""
        current = self.current_page()
        self.store = store
        self.setWindowTitle(f"r2pdesk — {store.path.name}")
        replaced = list(self.pages.values())
        for spec in PAGES:  # the new pages first, so no page on the old store is ever shown
            page = self._make_page(spec)
            self.stack.insertWidget(self.stack.indexOf(self.pages[spec.name]), page)
            self.pages[spec.name] = page
        self.stack.setCurrentWidget(self.pages[current])
        for old in replaced:
            self.stack.removeWidget(old)
            old.deleteLater()
        with store.reader() as session:
            figures = collect(session, store.schema_revision)
        self.db_label.setText(self._db_text(figures))
        self.db_label.setToolTip(self.db_label.text())
        self.refresh_counts()
        self.show_page(current)

    # --- the idle lock --------------------------------------------------------------------------

    def is_locked(self) -> bool:
        """Whether the lock screen hides the window's contents."""
        return self.screens.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Hide everything behind the lock screen."""
        if self.is_locked():
            return
        self.idle.pause()
        self.lock_screen.prepare(self.store.path, self.store.encrypted)
        self.screens.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.statusBar().hide()

    def unlock(self) -> None:
        """Show the window's contents again."""
        self.screens.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.statusBar().show()
        self.idle.resume()
