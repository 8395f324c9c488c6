"""Views stay true to the database: every write goes through one helper that runs it on a
single writer and announces what changed, and every view that shows it reads it again."""

from __future__ import annotations

import itertools
import threading
import time
import uuid

import pytest
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.institutions.service import (
    InstitutionInput,
    delete_focal_point,
    find_institution,
    list_institutions,
    save_institution,
)
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY
from ui import changes as kinds
from ui.changes import Changed, changes
from ui.dashboard_page import DashboardPage
from ui.exchange_page import ExchangePage
from ui.institutions_page import InstitutionsPage
from ui.mainwindow import MainWindow
from ui.operations import Refusal, run_write, writes_pending
from ui.recommendation_models import Col as RecCol
from ui.recommendations_page import RecommendationsPage
from ui.reports_page import ReportsPage
from ui.warning_models import Col as WarningCol
from ui.warnings_page import WarningsPage


def test_a_write_announces_its_kinds_and_ids(qtbot: QtBot, store: Store) -> None:
    heard: list[Changed] = []
    changes.changed.connect(heard.append)
    saved: list[uuid.UUID] = []

    def work(session: Session) -> uuid.UUID:
        return save_institution(session, InstitutionInput(name="Ministry of Water"))

    try:
        run_write(None, store, "Saving…", work,
                  changed=lambda new_id: Changed.of(kinds.INSTITUTION, ids=[new_id]),
                  on_success=saved.append)
        qtbot.waitUntil(lambda: bool(saved))
    finally:
        changes.changed.disconnect(heard.append)
    assert len(heard) == 1
    assert heard[0].kinds == {kinds.INSTITUTION, kinds.AUDIT}
    assert heard[0].ids == {saved[0]}
    with store.reader() as session:
        row = find_institution(session, "Ministry of Water")
    assert row is not None
    assert row.id == saved[0]


def test_two_writes_started_together_run_one_after_the_other(qtbot: QtBot, store: Store) -> None:
    spans: list[tuple[str, float, float]] = []
    inside = threading.Lock()
    overlapped: list[str] = []

    def slow(name: str) -> object:
        def work(session: Session) -> str:
            if not inside.acquire(blocking=False):
                overlapped.append(name)
                inside.acquire()
            start = time.monotonic()
            save_institution(session, InstitutionInput(name=name))
            time.sleep(0.15)
            spans.append((name, start, time.monotonic()))
            inside.release()
            return name
        return work

    ended: list[str] = []
    for name in ("First ministry", "Second ministry", "Third ministry"):
        run_write(None, store, "Saving…", slow(name),
                  changed=Changed.of(kinds.INSTITUTION), on_success=ended.append)
    assert writes_pending() == 3
    qtbot.waitUntil(lambda: len(ended) == 3, timeout=5000)
    assert writes_pending() == 0
    assert not overlapped
    assert [name for name, _start, _end in spans] == ended == [
        "First ministry", "Second ministry", "Third ministry"]
    for (_a, _s, first_end), (_b, second_start, _e) in itertools.pairwise(spans):
        assert second_start >= first_end


def test_a_refusal_names_its_field_and_announces_nothing(qtbot: QtBot, store: Store) -> None:
    heard: list[Changed] = []
    refusals: list[Refusal] = []
    changes.changed.connect(heard.append)

    def work(_session: Session) -> None:
        raise InputError("Name: give a name", field="name")

    try:
        run_write(None, store, "Saving…", work, changed=Changed.of(kinds.INSTITUTION),
                  on_failure=refusals.append)
        qtbot.waitUntil(lambda: bool(refusals))
    finally:
        changes.changed.disconnect(heard.append)
    assert refusals == [Refusal("Name: give a name", "name")]
    assert heard == []


def test_an_unknown_kind_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="institutions"):
        Changed.of("institutions")


def test_a_refresher_coalesces_and_waits_while_hidden(qtbot: QtBot) -> None:
    widget = QLineEdit()
    qtbot.addWidget(widget)
    seen: list[Changed] = []
    refresher = kinds.on_change(widget, {kinds.INSTITUTION, kinds.WARNING}, seen.append)
    changes.announce(Changed.of(kinds.INSTITUTION))
    qtbot.wait(20)
    assert seen == []  # hidden: only remembered
    assert refresher.stale
    widget.show()
    qtbot.waitUntil(lambda: len(seen) == 1)
    a, b = uuid.uuid4(), uuid.uuid4()
    changes.announce(Changed.of(kinds.INSTITUTION, ids=[a]))
    changes.announce(Changed.of(kinds.WARNING, ids=[b]))
    changes.announce(Changed.of(kinds.ASSESSMENT))  # not shown: ignored
    qtbot.waitUntil(lambda: len(seen) == 2)
    qtbot.wait(20)
    assert len(seen) == 2
    assert seen[1].kinds == {kinds.INSTITUTION, kinds.WARNING, kinds.AUDIT}
    assert seen[1].ids == {a, b}


# --- renaming an institution, seen on every page that shows it ----------------------------------

NEW = " (renamed)"


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> MainWindow:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def rename(qtbot: QtBot, window: MainWindow, name: str) -> str:
    """Rename an institution the way a member does, on the Institutions page; the new name."""
    window.show_page("institutions")
    page = window.pages["institutions"]
    assert isinstance(page, InstitutionsPage)
    with window.store.reader() as session:
        row = find_institution(session, name)
    assert row is not None
    page.open_institution(row.id)
    assert page.name_edit.text() == name
    page.name_edit.setText(name + NEW)
    page.save_button.click()
    qtbot.waitUntil(lambda: writes_pending() == 0 and "Saved" in page.status.text())
    return name + NEW


def cells(model: QAbstractItemModel, column: int) -> list[str]:
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def combo_texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(n) for n in range(combo.count())]


def test_the_warnings_list_and_detail_show_the_new_name(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["warnings"]
    assert isinstance(page, WarningsPage)
    warning = next(r for r in page.model._rows if r.addressees)
    name = warning.addressees[0]
    page.select([warning.id])
    new = rename(qtbot, window, name)
    assert not any(new in text for text in cells(page.model, WarningCol.ADDRESSEES))
    window.show_page("warnings")  # hidden while renamed: it reads again as it shows
    qtbot.waitUntil(lambda: any(new in text for text in cells(page.model, WarningCol.ADDRESSEES)))
    assert [r.id for r in page.selected_rows()] == [warning.id]  # the selection kept
    assert new in page.detail.toPlainText()


def test_a_shown_warnings_page_follows_a_rename_made_elsewhere(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["warnings"]
    assert isinstance(page, WarningsPage)
    window.show_page("warnings")
    name = next(r for r in page.model._rows if r.addressees).addressees[0]
    with window.store.reader() as session:
        row = find_institution(session, name)
    assert row is not None
    saved: list[object] = []
    data = InstitutionInput(name=name + NEW, kind=row.kind, acronym=row.acronym)
    run_write(window, window.store, "Saving…",
              lambda session: save_institution(session, data, row.id),
              changed=Changed.of(kinds.INSTITUTION, ids=[row.id]), on_success=saved.append)
    qtbot.waitUntil(lambda: any(name + NEW in text
                                for text in cells(page.model, WarningCol.ADDRESSEES)))
    assert saved == [row.id]


def test_the_recommendations_list_and_its_filter_show_the_new_name(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["recommendations"]
    assert isinstance(page, RecommendationsPage)
    name = next(r.lead_institution for r in page.model._rows if r.lead_institution)
    new = rename(qtbot, window, name)
    window.show_page("recommendations")
    qtbot.waitUntil(lambda: new in cells(page.model, RecCol.LEAD))
    assert name not in cells(page.model, RecCol.LEAD)
    assert any(new in text for text in combo_texts(page.institution_filter))
    page.tabs.setCurrentWidget(page.institution_view)
    qtbot.waitUntil(lambda: any(new in text for text in cells(page.institution_view.model, 0)))


def test_the_dashboard_shows_the_new_name(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["dashboard"]
    assert isinstance(page, DashboardPage)
    name = next(r.lead for r in page.overdue_model._rows if r.lead)
    new = rename(qtbot, window, name)
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: new in cells(page.overdue_model, 2))


def test_the_reports_page_offers_the_new_name(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["reports"]
    assert isinstance(page, ReportsPage)
    name = page.institution.itemText(0).split(" (")[0]
    new = rename(qtbot, window, name)
    window.show_page("reports")
    qtbot.waitUntil(lambda: any(text.startswith(new) for text in combo_texts(page.institution)))


def test_the_exchange_page_offers_the_new_name(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["exchange"]
    assert isinstance(page, ExchangePage)
    name = next(iter(page.institution.names.values()))
    new = rename(qtbot, window, name)
    window.show_page("exchange")
    qtbot.waitUntil(lambda: new in page.institution.names.values())
    assert any(text.startswith(new) for text in combo_texts(page.institution))


def test_a_refused_write_leaves_the_dialog_open_with_its_text(
        qtbot: QtBot, demo_store: Store) -> None:
    page = InstitutionsPage(demo_store)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    with demo_store.reader() as session:
        row = next(r for r in list_institutions(session) if r.focal_points)
    page.open_institution(row.id)
    page.focal_table.selectRow(0)
    point = page.focal_points.row_at(0)
    page.edit_focal_point()
    qtbot.waitUntil(lambda: page.focal_dialog is not None and page.focal_dialog.isVisible())
    dialog = page.focal_dialog
    assert dialog is not None
    # Meanwhile the focal point is removed (by another member's import, say).
    run_write(None, demo_store, "Removing…", lambda s: delete_focal_point(s, point.id),
              changed=Changed.of(kinds.FOCAL_POINT, ids=[point.id]))
    qtbot.waitUntil(lambda: writes_pending() == 0)
    dialog.title_edit.setText("Director of human rights, typed before the refusal")
    dialog.submit()
    qtbot.waitUntil(lambda: writes_pending() == 0 and not dialog.busy)
    assert dialog.isVisible()  # refused: the dialog stays, with everything typed
    assert dialog.title_edit.text() == "Director of human rights, typed before the refusal"
    assert dialog.name_edit.text() == point.name
    assert "no longer exists" in " ".join(
        label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


# --- a filter set by the dashboard is said, and cleared in one click ------------------------------

def test_the_dashboards_overdue_filter_is_shown_and_cleared(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["warnings"]
    assert isinstance(page, WarningsPage)
    everything = page.model.total()
    window.open_list("overdue-warnings")  # the dashboard's "Responses overdue" figure
    assert window.current_page() == "warnings"
    assert page.filter_chip.isVisible()
    assert "overdue" in page.filter_chip.label.text()
    overdue = page.model.total()
    assert 0 < overdue < everything
    # Later, by the navigation, a search: the chip still says why the list is short.
    window.show_page("dashboard")
    window.show_page("warnings")
    page.search.setText("a")
    assert page.filter_chip.isVisible()
    page.search.clear()
    page.filter_chip.clear_button.click()
    assert not page.overdue_only.isChecked()
    assert not page.filter_chip.isVisible()
    assert page.model.total() == everything
    # Ticked by the member: said the same way.
    page.overdue_only.setChecked(True)
    assert page.filter_chip.isVisible()


def test_the_dashboards_overdue_recommendations_filter_is_shown(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["recommendations"]
    assert isinstance(page, RecommendationsPage)
    assert not page.filter_chip.isVisible()
    window.open_list("overdue-recommendations")
    assert page.filter_chip.isVisible()
    page.filter_chip.clear_button.click()
    assert not page.filter_chip.isVisible()
    assert not page.overdue_only.isChecked()
