"""The long lists in the app: each model holds a window of rows, reads more as the view scrolls,
sorts in SQL when a header is clicked, and the pages still choose a record by id wherever it is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from r2pdesk.audit import count_entries, entry_page
from r2pdesk.earlywarning.queries import (
    WarningFilter,
    WarningOrder,
    count_warnings,
    warning_page,
)
from r2pdesk.institutions.service import InstitutionOrder, institution_page
from r2pdesk.paging import Sort
from r2pdesk.recommendations.queries import RecOrder, recommendation_page
from r2pdesk.store import Store
from tests.helpers.bulk import Bulk, bulk_store
from tests.helpers.databases import output_dir
from tests.helpers.qt import shown
from ui.audit_view import AuditView
from ui.institution_models import InstitutionColumn
from ui.institutions_page import InstitutionsPage
from ui.mainwindow import MainWindow
from ui.recommendations_page import RecommendationsPage
from ui.tables import WindowedModel
from ui.warning_models import OVERDUE_MARK, Col, WarningsModel
from ui.warnings_page import WarningsPage

TODAY = date(2026, 11, 21)
WARNINGS, RECOMMENDATIONS, INSTITUTIONS, ENTRIES = 3000, 1200, 450, 3000
WINDOW = WindowedModel.page_size


@pytest.fixture(scope="module")
def big(empty_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[Store, Bulk]]:
    """A database of 3000 warnings, 1200 recommendations, 450 institutions, 3000 audit entries."""
    store, made = bulk_store(empty_template, tmp_path_factory.mktemp("big") / "big.db",
                             warnings=WARNINGS, recommendations=RECOMMENDATIONS,
                             institutions=INSTITUTIONS, audit=ENTRIES)
    yield store, made
    store.close()


@pytest.fixture
def store(big: tuple[Store, Bulk]) -> Store:
    return big[0]


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """The SELECT statements run while the test body runs."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):
            seen.append(args[2])

    event.listen(store.engine, "before_cursor_execute", note)
    yield seen
    event.remove(store.engine, "before_cursor_execute", note)


def _warnings_page(qtbot: QtBot, store: Store) -> WarningsPage:
    return shown(qtbot, WarningsPage(store, today=lambda: TODAY))


def _ids(model: WindowedModel[Any]) -> list[Any]:
    return [model.row_id(model.row_at(r)) for r in range(model.rowCount())]


def test_the_register_holds_a_window_and_reads_more_as_it_scrolls(
    qtbot: QtBot, store: Store, statements: list[str]
) -> None:
    page = _warnings_page(qtbot, store)
    model = page.model
    assert model.rowCount() == WINDOW < WARNINGS == model.total()
    assert page.count_label.text() == "3,000 warnings shown"
    assert model.canFetchMore()
    for loaded in (2 * WINDOW, 3 * WINDOW):
        statements.clear()
        model.fetchMore()
        assert model.rowCount() == loaded
        assert len(statements) == 2  # the window's rowids, then its rows
    with store.reader() as session:
        assert _ids(model) == [r.id for r in warning_page(session, today=TODAY,
                                                           limit=3 * WINDOW)]
    page.table.scrollToBottom()  # the view asks for more itself
    qtbot.waitUntil(lambda: model.rowCount() > 3 * WINDOW)


def test_a_full_scroll_reaches_the_last_warning_and_stops(qtbot: QtBot, store: Store) -> None:
    model = WarningsModel()

    def fetch(order: Sort[WarningOrder], offset: int, limit: int) -> list[Any]:
        with store.reader() as session:
            return warning_page(session, None, order, today=TODAY, offset=offset, limit=limit)

    model.page_size = 1000
    model.set_source(fetch, lambda: WARNINGS)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == WARNINGS
    assert len(set(_ids(model))) == WARNINGS


@pytest.mark.parametrize("column", list(Col))
def test_clicking_a_register_column_sorts_it_in_sql(
    qtbot: QtBot, store: Store, column: Col
) -> None:
    page = _warnings_page(qtbot, store)
    key = page.model.sort_keys[column]
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.table.sortByColumn(column, order)
        expected = Sort(key, order == Qt.SortOrder.DescendingOrder)
        assert page.model.order == expected
        assert page.model.rowCount() == WINDOW
        with store.reader() as session:
            first = warning_page(session, None, expected, today=TODAY, limit=WINDOW)
        assert _ids(page.model) == [r.id for r in first]


def test_the_models_pass_the_model_tester(
    qtbot: QtBot, store: Store, qtmodeltester: ModelTester
) -> None:
    warnings = _warnings_page(qtbot, store)
    recommendations = shown(qtbot, RecommendationsPage(store, today=lambda: TODAY))
    institutions = shown(qtbot, InstitutionsPage(store))
    audit = shown(qtbot, AuditView(store))
    for model in (warnings.model, recommendations.model, institutions.institutions, audit.model):
        assert model.rowCount() <= WINDOW
        qtmodeltester.check(model)  # it fetches more too
    warnings.table.sortByColumn(Col.SEVERITY, Qt.SortOrder.DescendingOrder)
    warnings.search.setText("militia")
    qtmodeltester.check(warnings.model)


def test_a_warning_beyond_the_window_is_read_down_to_and_chosen(
    qtbot: QtBot, big: tuple[Store, Bulk]
) -> None:
    store, made = big
    page = _warnings_page(qtbot, store)
    oldest = made.warnings[0]  # the last row of the register
    page.show_warning(oldest)
    assert page.selected_ids() == [oldest]
    assert page.model.rowCount() >= WARNINGS - 1
    assert page.model.row_of(oldest) == WARNINGS - 1
    with store.reader() as session:
        reference = warning_page(session, None, None, today=TODAY, offset=WARNINGS - 1,
                                 limit=1)[0].reference
    assert reference in page.detail.toPlainText()
    rect = page.table.visualRect(page.model.index(WARNINGS - 1, 0))
    assert page.table.viewport().rect().intersects(rect)  # scrolled to


def test_a_write_keeps_the_rows_read_and_the_choice(qtbot: QtBot, store: Store) -> None:
    page = _warnings_page(qtbot, store)
    page.model.fetchMore()
    page.model.fetchMore()
    chosen = page.model.row_at(450).id
    page.select([chosen])  # scrolled to, the view may read a window more
    loaded = page.model.rowCount()
    assert loaded >= 3 * WINDOW
    page.reload()  # as after a write
    assert page.model.rowCount() == loaded
    assert page.selected_ids() == [chosen]
    page.search.setText("a")  # a new filter starts from the first window again
    assert page.model.rowCount() == WINDOW


def test_filters_read_again_in_sql_and_count(qtbot: QtBot, store: Store) -> None:
    page = _warnings_page(qtbot, store)
    page.overdue_only.setChecked(True)
    with store.reader() as session:
        overdue = count_warnings(session, WarningFilter(overdue=True), today=TODAY)
        militia = count_warnings(session, WarningFilter(overdue=True, text="militia"),
                                 today=TODAY)
    assert overdue > WINDOW
    assert page.model.total() == overdue
    assert page.model.rowCount() == WINDOW
    assert all(page.model.row_at(r).overdue for r in range(WINDOW))
    assert OVERDUE_MARK in page.model.index(0, Col.DUE).data()
    qtbot.keyClicks(page.search, "militia")
    assert 0 < page.model.total() == militia < overdue
    assert all(page.model.row_at(r).overdue for r in range(page.model.rowCount()))


def test_recommendations_and_institutions_choose_far_records(
    qtbot: QtBot, big: tuple[Store, Bulk]
) -> None:
    store, made = big
    window = MainWindow(store, today=lambda: TODAY)
    qtbot.addWidget(window)
    with store.reader() as session:
        last = recommendation_page(session, today=TODAY, offset=RECOMMENDATIONS - 1, limit=1)[0]
    window.open_recommendation(last.id)
    page = window.pages["recommendations"]
    assert isinstance(page, RecommendationsPage)
    assert page.selected_ids() == [last.id]
    assert page.model.rowCount() >= RECOMMENDATIONS - 1
    window.open_warning(made.warnings[5])
    warnings = window.pages["warnings"]
    assert isinstance(warnings, WarningsPage)
    assert warnings.selected_ids() == [made.warnings[5]]

    institutions = InstitutionsPage(store)
    qtbot.addWidget(institutions)
    with store.reader() as session:
        far = institution_page(session, offset=INSTITUTIONS - 1, limit=1)[0]
    institutions.open_institution(far.id)
    institutions.reload()
    assert institutions.name_edit.text() == far.name
    assert institutions.table.currentIndex().row() == INSTITUTIONS - 1
    institutions.table.sortByColumn(InstitutionColumn.LEADS, Qt.SortOrder.DescendingOrder)
    with store.reader() as session:
        by_leads = institution_page(session, None, Sort(InstitutionOrder.LEADS, descending=True),
                                    limit=WINDOW)
    assert _ids(institutions.institutions) == [r.id for r in by_leads]


def test_recommendation_columns_sort_in_sql(qtbot: QtBot, store: Store) -> None:
    page = shown(qtbot, RecommendationsPage(store, today=lambda: TODAY))
    for column, key in enumerate(page.model.sort_keys):
        assert isinstance(key, RecOrder)
        page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        with store.reader() as session:
            first = recommendation_page(session, None, Sort(key, descending=True),
                                        today=TODAY, limit=WINDOW)
        assert _ids(page.model) == [r.id for r in first]


def test_the_audit_view_reads_the_trail_a_window_at_a_time(qtbot: QtBot, store: Store) -> None:
    view = shown(qtbot, AuditView(store))
    with store.reader() as session:
        total = count_entries(session)
        newest = entry_page(session, limit=WINDOW)
    assert view.model.rowCount() == WINDOW < total == view.model.total()
    assert _ids(view.model) == [r.seq for r in newest]
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("institution"))
    assert all(view.model.row_at(r).row.table == "institution"
               for r in range(view.model.rowCount()))


def test_screenshot_of_a_long_register(qtbot: QtBot, store: Store) -> None:
    page = _warnings_page(qtbot, store)
    page.overdue_only.setChecked(True)
    page.select([page.model.row_at(3).id])
    QApplication.processEvents()
    assert page.grab().save(str(output_dir("screenshots") / "warnings-list-3000.png"))
