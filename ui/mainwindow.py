"""The main window: a navigation list of the app's areas, one page each, the database in the
status bar."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from r2pdesk import __version__
from r2pdesk.earlywarning.queries import list_warnings
from r2pdesk.recommendations.queries import count_overdue
from r2pdesk.stats import collect
from r2pdesk.store import Store, read_setting
from ui.assessments_page import AssessmentsPage
from ui.catalogue_page import CataloguePage
from ui.dashboard_page import DashboardPage
from ui.exchange_page import ExchangePage
from ui.institutions_page import InstitutionsPage
from ui.recommendations_page import RecommendationsPage
from ui.reports_page import ReportsPage
from ui.warnings_page import WarningsPage


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation: its name on the command line, its label, what it is for."""

    name: str
    label: str
    purpose: str


PAGES = (
    PageSpec("dashboard", "Dashboard", "what needs attention today"),
    PageSpec("warnings", "Early warnings", "the register of early warnings and their responses"),
    PageSpec("assessments", "Risk assessments", "assessments on the Framework of Analysis"),
    PageSpec("recommendations", "Recommendations", "follow-up of national recommendations"),
    PageSpec("catalogue", "SG catalogue", "the Secretary-General's recommendations 2009-2026"),
    PageSpec("institutions", "Institutions", "institutions and their focal points"),
    PageSpec("exchange", "Exchange", "Excel workbooks for focal points and members"),
    PageSpec("reports", "Reports", "PDF briefs and reports"),
    PageSpec("settings", "Settings", "the committee's and this laptop's settings"),
)
PAGE_NAMES = tuple(page.name for page in PAGES)


class PendingPage(QWidget):
    """A page whose screen is not built yet, and says so plainly."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(f"<h2>{spec.label}</h2>")
        body = QLabel(
            f"This page ({spec.purpose}) is not built yet in this version of r2pdesk.\n"
            "Its records are already kept in the database; the screen to work with them "
            "comes in a later version."
        )
        body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """The app's one window."""

    def __init__(self, store: Store, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.setWindowTitle(f"r2pdesk — {store.path.name}")
        self.nav = QListWidget()
        self.nav.setAccessibleName("Navigation")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for spec in PAGES:
            page = self._make_page(spec)
            self.pages[spec.name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(spec.label)
            item.setToolTip(spec.purpose)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
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
        page = RecommendationsPage(self.store, self.today)
        page.changed.connect(self.refresh_counts)
        return page

    def _warnings_page(self) -> QWidget:
        page = WarningsPage(self.store, self.today)
        page.changed.connect(self.refresh_counts)
        return page

    def _assessments_page(self) -> QWidget:
        page = AssessmentsPage(self.store, self.today)
        page.changed.connect(self.refresh_counts)
        return page

    def _exchange_page(self) -> QWidget:
        page = ExchangePage(self.store, self.today)
        page.changed.connect(self.refresh_counts)
        return page

    def _reports_page(self) -> QWidget:
        return ReportsPage(self.store, self.today)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for number, spec in enumerate(PAGES, start=1):
            action = QAction(spec.label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, name=spec.name: self.show_page(name))
            go_menu.addAction(action)
            self.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About r2pdesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        with self.store.reader() as session:
            demo = read_setting(session, "demo")
            figures = collect(session, self.store.schema_revision)
        text = (
            f"Database: {self.store.path}  ·  schema {self.store.schema_revision}  ·  "
            f"{figures['catalogue_recommendations']} catalogue recommendations"
        )
        self.db_label = QLabel(text)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.db_label, 1)
        self.late_responses_label = QLabel()
        self.late_responses_label.setAccessibleName("Warnings with an overdue response")
        self.statusBar().addPermanentWidget(self.late_responses_label)
        self.overdue_label = QLabel()
        self.overdue_label.setAccessibleName("Overdue recommendations")
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.refresh_counts()
        if demo:
            notice = QLabel("DEMO DATA — fictional")
            notice.setToolTip(demo)
            self.statusBar().addPermanentWidget(notice)

    def refresh_counts(self) -> None:
        """The overdue counts in the status bar, read again."""
        with self.store.reader() as session:
            overdue = count_overdue(session, today=self.today())
            late = len(list_warnings(session, today=self.today(), overdue=True))
        plural = "s" * (overdue != 1)
        text = f"⚠ {overdue} recommendation{plural} overdue"
        self.overdue_label.setText(text if overdue else "No recommendation overdue")
        text = f"⚠ {late} warning response{'s' * (late != 1)} overdue"
        self.late_responses_label.setText(text if late else "No warning response overdue")
        dashboard = self.pages.get("dashboard")
        if isinstance(dashboard, DashboardPage):
            dashboard.refresh()

    def show_page(self, name: str) -> None:
        """Bring a page to the front by its command-line name."""
        row = PAGE_NAMES.index(name)
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
            "About r2pdesk",
            f"r2pdesk {__version__}\nThe offline desk of a national atrocity prevention "
            "mechanism: risk assessments, early warnings and the follow-up of recommendations.",
        )
