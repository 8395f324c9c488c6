"""The main window: navigation by mouse and keyboard, the database in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from r2pdesk.earlywarning.queries import list_warnings
from r2pdesk.recommendations.queries import count_overdue
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY
from ui.catalogue_page import CataloguePage
from ui.dashboard_page import DashboardPage
from ui.mainwindow import PAGE_NAMES, MainWindow, PendingPage


def test_opens_on_the_dashboard_with_the_database_shown(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert window.current_page() == "dashboard"
    assert isinstance(window.stack.currentWidget(), DashboardPage)
    assert isinstance(window.pages["catalogue"], CataloguePage)
    assert str(store.path) in window.db_label.text()
    assert f"schema {store.schema_revision}" in window.db_label.text()


def test_every_page_is_reachable_from_the_keyboard(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    for number, name in enumerate(PAGE_NAMES, start=1):
        key = Qt.Key(Qt.Key.Key_0 + number % 10)  # the tenth page: Ctrl+0
        qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == name
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Home)
    assert window.current_page() == "dashboard"
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page() == "warnings"


def test_pages_not_built_yet_say_so(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    built = {"dashboard", "catalogue", "institutions", "recommendations", "warnings",
             "assessments", "reports", "exchange", "settings", "setup"}
    for name in PAGE_NAMES:
        page = window.pages[name]
        assert isinstance(page, PendingPage) is (name not in built)
        if name in built:
            continue
        labels = " ".join(child.text() for child in page.findChildren(type(page.children()[1])))
        assert "not built yet" in labels


def test_demo_database_is_marked_fictional(qtbot: QtBot, demo_store: Store) -> None:
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    texts = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert any("fictional" in text for text in texts)


def test_the_status_bar_counts_overdue_recommendations(qtbot: QtBot, demo_store: Store) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    with demo_store.reader() as session:
        overdue = count_overdue(session, today=DEMO_TODAY)
    assert overdue > 0
    assert window.overdue_label.text() == f"⚠ {overdue} recommendations overdue"
    with demo_store.reader() as session:
        late = len(list_warnings(session, today=DEMO_TODAY, overdue=True))
    assert late > 0
    assert window.late_responses_label.text() == f"⚠ {late} warning responses overdue"
