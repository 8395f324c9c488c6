"""The window fits common small screens (1024x700, 1280x720) in every language: its minimum is at
most 1000x640, every page fits at 1024x700 without widening it, and rows of buttons wrap.

Screenshots of every page at 1024x700 go to test-output/screenshots/fit/, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from r2pdesk.i18n import LANGUAGES, SOURCE_LANGUAGE
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from ui import language as ui_language
from ui import settings as options
from ui.assessment_grid import Col
from ui.assessments_page import GRID_TAB, AssessmentsPage
from ui.flow import FlowLayout
from ui.mainwindow import PAGE_NAMES, MainWindow

MINIMUM = (1000, 640)
SMALL_SCREENS = ((1024, 700), (1280, 720))


@pytest.fixture(params=sorted(LANGUAGES))
def speaking(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app in one language for a test; English again afterwards."""
    code: str = request.param
    ui_language.apply(qapp, code)
    try:
        yield code
    finally:
        ui_language.apply(qapp, SOURCE_LANGUAGE)


def test_the_four_languages_are_tested() -> None:
    assert set(LANGUAGES) == {"en", "fr", "es", "ar"}


def test_the_window_fits_a_small_screen(qtbot: QtBot, demo_store: Store, speaking: str) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= MINIMUM[0], f"{speaking}: minimum width {hint.width()}"
    assert hint.height() <= MINIMUM[1], f"{speaking}: minimum height {hint.height()}"
    assert window.minimumSize().width() <= MINIMUM[0]
    assert window.minimumSize().height() <= MINIMUM[1]
    for width, height in SMALL_SCREENS:
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        for page in PAGE_NAMES:
            window.show_page(page)
            QApplication.processEvents()
            # No page asks for more: the window keeps the size of the screen.
            assert (window.width(), window.height()) == (width, height), f"{speaking} {page}"
            if (width, height) == SMALL_SCREENS[0]:
                out = output_dir("screenshots", "fit") / f"{speaking}-{width}x{height}-{page}.png"
                assert window.grab().save(str(out), "PNG")


def test_the_rating_grid_keeps_the_window_small_and_its_names_readable(
    qtbot: QtBot, demo_store: Store, speaking: str
) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(*SMALL_SCREENS[0])
    window.show()
    qtbot.waitExposed(window)
    page = window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    window.show_page("assessments")
    page.tabs.setCurrentIndex(GRID_TAB)
    QApplication.processEvents()
    table = page.rating_table
    assert table.columnWidth(Col.TITLE) >= table.TITLE_LEAST, speaking
    lines = table.fontMetrics()
    for row in range(page.grid_model.rowCount()):  # a name longer than its column wraps
        name = str(page.grid_model.index(row, Col.TITLE).data())
        if lines.horizontalAdvance(name) > table.columnWidth(Col.TITLE):
            assert table.rowHeight(row) >= 2 * lines.height(), f"{speaking}: {name}"
    out = output_dir("screenshots", "fit") / f"{speaking}-1024x700-rating-grid.png"
    assert window.grab().save(str(out), "PNG")
    for name in PAGE_NAMES:  # the grid seen, every page still fits
        window.show_page(name)
        QApplication.processEvents()
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert hint.width() <= MINIMUM[0], f"{speaking} {name}: minimum width {hint.width()}"
        assert hint.height() <= MINIMUM[1], f"{speaking} {name}: minimum height {hint.height()}"
        assert (window.width(), window.height()) == SMALL_SCREENS[0], f"{speaking} {name}"


@pytest.mark.parametrize("kept", [None, (780, 790)])
def test_the_window_opens_within_a_small_screen(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch,
    kept: tuple[int, int] | None,
) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1024, 700))
    if kept is not None:  # a size kept from a larger screen
        larger = MainWindow(demo_store, today=lambda: DEMO_TODAY)
        qtbot.addWidget(larger)
        larger.resize(*kept)
        settings = options.open_settings()
        options.WINDOW_GEOMETRY.write(settings, larger.saveGeometry())
        settings.sync()
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.remember_state()
    if kept is None:  # the first start: as large as the screen allows
        assert (window.width(), window.height()) == MINIMUM
    else:  # kept on a taller screen: no taller than this one
        assert window.width() <= MINIMUM[0]
        assert window.height() == MINIMUM[1]


def test_the_status_bar_gives_way_and_keeps_the_whole_text(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(*SMALL_SCREENS[0])
    window.show()
    qtbot.waitExposed(window)
    label = window.db_label
    assert label.minimumSizeHint().width() < 120  # a long path does not widen the window
    assert str(demo_store.path) in label.text()
    assert label.toolTip() == label.text()  # whole, where the line is cut short


def test_a_flow_wraps_a_row_of_buttons(qtbot: QtBot) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    flow = FlowLayout(row)
    flow.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(f"Button number {n}") for n in range(6)]
    for button in buttons:
        flow.addWidget(button)
    widest = max(button.sizeHint().width() for button in buttons)
    assert flow.minimumSize().width() == widest  # never wider than its widest button
    one_line = flow.heightForWidth(flow.sizeHint().width())
    assert flow.heightForWidth(widest) > 3 * one_line  # narrow: one button a line
    row.resize(widest + 10, flow.heightForWidth(widest + 10))
    row.show()
    qtbot.waitExposed(row)
    tops = {button.geometry().top() for button in buttons}
    assert len(tops) == len(buttons)
    for button in buttons:  # each whole, inside the row
        assert button.geometry().right() < row.width()
        assert button.width() == button.sizeHint().width()


def test_a_flow_runs_right_to_left_in_arabic(qtbot: QtBot) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    row.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    flow = FlowLayout(row)
    flow.setContentsMargins(0, 0, 0, 0)
    first, second = QPushButton("first"), QPushButton("second")
    flow.addWidget(first)
    flow.addWidget(second)
    row.resize(600, 40)
    row.show()
    qtbot.waitExposed(row)
    assert first.geometry().right() == row.width() - 1  # reading starts on the right
    assert second.geometry().right() < first.geometry().left()
