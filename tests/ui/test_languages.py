"""The app in French, Spanish and Arabic: the main window on the dashboard and on two lists, its
words from the catalogues, Qt's own strings from Qt's, and Arabic laid out right to left.

Screenshots go to test-output/screenshots/lang/<code>-dashboard.png, -warnings.png and
-recommendations.png, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from r2pdesk.i18n import SOURCE_LANGUAGE, catalogue, language, tr
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from ui import language as ui_language
from ui.dashboard_page import DashboardPage
from ui.institutions_page import InstitutionsPage
from ui.mainwindow import PAGES, MainWindow
from ui.recommendations_page import RecommendationsPage
from ui.tables import select_row

SCREEN = (1440, 900)
# Qt's own Cancel button, from the qtbase catalogues PySide6 ships.
QT_CANCEL = {"fr": "Annuler", "es": "Cancelar", "ar": "ألغِ"}


@pytest.fixture(params=["fr", "es", "ar"])
def speaking(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app in one language for a test; English again afterwards, for the other tests."""
    code: str = request.param
    ui_language.apply(qapp, code)
    try:
        yield code
    finally:
        ui_language.apply(qapp, SOURCE_LANGUAGE)


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    return window


def _shoot(window: MainWindow, code: str, page: str) -> None:
    window.show_page(page)
    for _ in range(3):  # let the layouts settle and deferred row sizing run
        QApplication.processEvents()
    out = output_dir("screenshots", "lang") / f"{code}-{page}.png"
    assert window.grab().save(str(out), "PNG")


def test_the_window_speaks_the_language(qtbot: QtBot, demo_store: Store, speaking: str) -> None:
    code = speaking
    assert language() == code
    window = _window(qtbot, demo_store)
    for page in ("dashboard", "warnings", "recommendations"):
        _shoot(window, code, page)

    # The navigation and the menus, word for word from the language's catalogue.
    words = catalogue(code)
    labels = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert labels == [words[spec.label] for spec in PAGES]
    assert labels != [spec.label for spec in PAGES]
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == [words["&File"], words["&Go"], words["&Help"]]
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.tiles["open-warnings"].caption == words["Open warnings"]
    assert window.overdue_label.text() != tr("No recommendation overdue")  # the demo has some
    assert window.overdue_label.text().startswith("⚠")
    assert "Recommendations" not in window.overdue_label.text()

    # Arabic reads from right to left; the others from left to right.
    rtl = code == "ar"
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    assert QApplication.layoutDirection() == direction
    assert window.layoutDirection() == direction
    assert dashboard.strip.isRightToLeft() is rtl
    if rtl:  # the first risk factor stands where the reading starts: on the right
        assert dashboard.strip.cell_rect(0).left() > dashboard.strip.cell_rect(1).left()

    # Qt's own strings come from Qt's catalogue for the language.
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == QT_CANCEL[code]


def test_english_again_after_another_language(qtbot: QtBot, demo_store: Store) -> None:
    """The fixture gives the other tests their English back."""
    assert language() == SOURCE_LANGUAGE
    window = _window(qtbot, demo_store)
    assert window.nav.item(0).text() == "Dashboard"
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize("speaking", ["ar"], indirect=True)
def test_rows_are_chosen_in_right_to_left_lists(
    qtbot: QtBot, demo_store: Store, speaking: str
) -> None:
    """`QTableView.selectRow` chooses nothing in a right-to-left layout: the lists choose their
    rows another way, and so in Arabic a recommendation and an institution are chosen."""
    window = _window(qtbot, demo_store)

    window.show_page("recommendations")
    recommendations = window.pages["recommendations"]
    assert isinstance(recommendations, RecommendationsPage)
    assert recommendations.table.isRightToLeft()
    wanted = recommendations.model.row_at(3)
    recommendations.show_recommendation(wanted.id)
    assert recommendations.selected_ids() == [wanted.id]
    select_row(recommendations.table, 5)
    assert recommendations.selected_ids() == [recommendations.model.row_at(5).id]
    assert wanted.id != recommendations.selected_ids()[0]

    window.show_page("institutions")
    institutions = window.pages["institutions"]
    assert isinstance(institutions, InstitutionsPage)
    assert institutions.table.isRightToLeft()
    chosen = institutions.institutions.row_at(2)
    institutions.open_institution(chosen.id)  # the form shows it; the list is read again
    institutions.reload_list()
    rows = [index.row() for index in institutions.table.selectionModel().selectedRows()]
    assert rows == [2]
    assert institutions.table.currentIndex().row() == 2
    select_row(institutions.table, 4)  # as the arrow keys do: the form follows
    assert institutions.current_id == institutions.institutions.row_at(4).id
