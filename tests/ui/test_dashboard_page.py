"""The Dashboard as a committee member meets it on opening the app: the figures of the day, and
each item a way into its page."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from r2pdesk.dashboard import attention
from r2pdesk.earlywarning.models import Severity
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from ui.dashboard_charts import LEVEL_COLOURS, label
from ui.dashboard_page import DashboardPage, LinkTable
from ui.mainwindow import MainWindow
from ui.recommendations_page import RecommendationsPage

SCREEN = (1440, 900)


def _page(qtbot: QtBot, store: Store) -> DashboardPage:
    page = DashboardPage(store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1250, 820)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _cells(table: LinkTable, column: int) -> list[str]:
    model = table.model()
    return [model.index(r, column, QModelIndex()).data() for r in range(model.rowCount())]


def test_the_figures_shown_are_those_of_the_day(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        found = attention(session, today=DEMO_TODAY)
    assert page.date_label.text() == "Saturday 21 November 2026"
    tiles = page.tiles
    assert tiles["open-warnings"].number.text() == str(found.open_warnings.total) == "6"
    assert tiles["overdue-warnings"].number.text() == f"⚠ {len(found.late_responses)}"
    assert tiles["overdue-recommendations"].number.text() == (
        f"⚠ {len(found.overdue_recommendations)}")
    assert tiles["due-soon-recommendations"].number.text() == str(len(found.due_soon))
    assert page.chart.counts == found.open_warnings.by_severity
    assert page.chart.text() == ", ".join(
        f"{found.open_warnings.count(s)} {s.value}" for s in reversed(Severity))
    assert _cells(page.late_panel.table, 0) == [r.reference for r in found.late_responses]
    assert _cells(page.overdue_panel.table, 1) == [r.text for r in found.overdue_recommendations]
    assert _cells(page.soon_panel.table, 1) == [r.text for r in found.due_soon]
    assert page.overdue_panel.heading.text() == (
        f"Recommendations overdue ({len(found.overdue_recommendations)})")
    strip = found.heat_strip
    assert strip is not None
    assert page.strip.cells == strip.cells
    assert html.escape(strip.title) in page.strip_heading.text()
    assert f"<b>{label(strip.overall)}</b>" in page.strip_heading.text()
    assert "First action in: 25 days (median)" in page.timing_label.text()
    assert f"{found.timing.never_acted} of {found.timing.issued} issued" in page.timing_label.text()


def test_the_list_models_pass_the_model_tester(
    qtbot: QtBot, demo_store: Store, qtmodeltester: ModelTester
) -> None:
    page = _page(qtbot, demo_store)
    for model in (page.late_model, page.overdue_model, page.soon_model):
        qtmodeltester.check(model)


def test_an_empty_database_says_there_is_nothing_to_do(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    assert all(tile.number.text() == "0" for tile in page.tiles.values())
    for panel in (page.late_panel, page.overdue_panel, page.soon_panel):
        assert not panel.table.isVisible()
        assert panel.empty.isVisible()
    assert not page.strip.isVisible()
    assert not page.open_assessment_button.isVisible()
    assert page.strip_heading.text().startswith("No assessment")


def test_a_click_or_enter_opens_an_overdue_recommendation(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    table = page.overdue_panel.table
    rows = page.overdue_model
    second = table.visualRect(rows.index(1, 1))
    with qtbot.waitSignal(page.open_recommendation, timeout=1000) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second.center())
    assert blocker.args == [rows.row_at(1).id]

    # From the keyboard: Tab from the list before it lands on the first row; Enter opens it.
    page.soon_panel.table.setFocus()
    qtbot.keyClick(page.soon_panel.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table
    with qtbot.waitSignal(page.open_recommendation, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [rows.row_at(2).id]


def test_tiles_warnings_and_the_strip_open_what_they_show(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    with qtbot.waitSignal(page.open_list, timeout=1000) as blocker:
        qtbot.mouseClick(page.tiles["overdue-recommendations"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["overdue-recommendations"]
    page.tiles["overdue-warnings"].setFocus()
    with qtbot.waitSignal(page.open_list, timeout=1000) as blocker:
        qtbot.keyClick(page.tiles["overdue-warnings"], Qt.Key.Key_Return)
    assert blocker.args == ["overdue-warnings"]

    late = page.late_model.row_at(0)
    page.late_panel.table.setFocus()
    with qtbot.waitSignal(page.open_warning, timeout=1000) as blocker:
        qtbot.keyClick(page.late_panel.table, Qt.Key.Key_Enter)
    assert blocker.args == [late.id]

    assert page.figures is not None
    assert page.figures.heat_strip is not None
    with qtbot.waitSignal(page.open_assessment, timeout=1000) as blocker:
        qtbot.mouseClick(page.strip, Qt.MouseButton.LeftButton,
                         pos=page.strip.cell_rect(3).center())
    assert blocker.args == [page.figures.heat_strip.id]


def test_the_window_opens_on_the_dashboard_and_leads_to_a_recommendation(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    assert window.current_page() == "dashboard"
    page = window.pages["dashboard"]
    assert isinstance(page, DashboardPage)
    for _ in range(3):  # let the layouts settle before the picture
        QApplication.processEvents()
    out = output_dir("screenshots") / "dashboard.png"
    assert window.grab().save(str(out), "PNG")

    table = page.overdue_panel.table
    wanted = page.overdue_model.row_at(4)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(page.overdue_model.index(4, 1)).center())
    assert window.current_page() == "recommendations"
    recommendations = window.pages["recommendations"]
    assert isinstance(recommendations, RecommendationsPage)
    assert recommendations.selected_ids() == [wanted.id]
    assert recommendations.tabs.currentIndex() == 0


def test_the_tiles_lead_to_the_overdue_recommendations(qtbot: QtBot, demo_store: Store) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    page = window.pages["dashboard"]
    assert isinstance(page, DashboardPage)
    page.tiles["overdue-recommendations"].click()
    recommendations = window.pages["recommendations"]
    assert isinstance(recommendations, RecommendationsPage)
    assert window.current_page() == "recommendations"
    assert recommendations.overdue_only.isChecked()
    assert recommendations.model.rowCount() == page.overdue_model.rowCount()


def test_every_level_has_a_colour() -> None:
    assert len({c.name() for c in LEVEL_COLOURS.values()}) == len(LEVEL_COLOURS)


def test_a_late_response_leads_to_the_warnings_page(qtbot: QtBot, demo_store: Store) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    page = window.pages["dashboard"]
    assert isinstance(page, DashboardPage)
    page.late_panel.table.opened.emit(page.late_model.row_at(0))
    assert window.current_page() == "warnings"
