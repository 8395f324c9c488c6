"""The Early warnings page driven with the keyboard: write a warning, be refused, fix it, issue
it, log responses, escalate, close; filters, overdue marks, confidential sources, screenshots."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Resolution,
    ResponseKind,
    Severity,
    WarningEvent,
    WarningResponse,
    WarningStatus,
    warning_source,
)
from r2pdesk.earlywarning.queries import WarningRow, WarningSort, list_warnings, warning_page
from r2pdesk.institutions.models import Institution
from r2pdesk.sources.models import Source
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import D, opened, shown
from ui.operations import writes_pending
from ui.warning_dialogs import CloseDialog, EscalateDialog, ResponseDialog, WarningDialog
from ui.warning_models import OVERDUE_MARK, Col, WarningsModel
from ui.warnings_page import WarningsPage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SECRET = "Nurse at the Ostrel clinic, night shift (test identity)"


def _page(qtbot: QtBot, store: Store) -> WarningsPage:
    return shown(qtbot, WarningsPage(store, today=lambda: DEMO_TODAY))


def _dialog(qtbot: QtBot, page: WarningsPage, kind: type[D]) -> D:
    return opened(qtbot, page, kind)


def _message(qtbot: QtBot, page: WarningsPage, icon: QMessageBox.Icon) -> QMessageBox:
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible()
                    and page.message.icon() == icon)
    assert page.message is not None
    return page.message


def _written(qtbot: QtBot, page: WarningsPage, done: Callable[[], bool]) -> None:
    """Wait for a write to show, then give the page the keyboard back: the offscreen platform
    does not give the window back when a dialog closes."""
    qtbot.waitUntil(done)
    qtbot.waitUntil(lambda: writes_pending() == 0)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def _world(store: Store) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    with store.session() as session:
        justice = Institution(name="Ministry of Justice")
        area = Area(name="Ostrel", level="district")
        group = PopulationGroup(name="Dravi herders")
        session.add_all([justice, area, group])
        session.flush()
        return justice.id, area.id, group.id


def _warning(store: Store) -> EarlyWarning:
    with store.reader() as session:
        warning = session.scalars(select(EarlyWarning)).one()
        session.expunge(warning)  # keeps what was read: the reader's rollback expires the rest
        return warning


def test_a_member_takes_a_warning_through_its_life_with_the_keyboard(
    qtbot: QtBot, store: Store
) -> None:
    justice, area, group = _world(store)
    page = _page(qtbot, store)
    assert page.model.rowCount() == 0
    assert not page.issue_action.isEnabled()

    # A new draft, without addressees.
    qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
    form = _dialog(qtbot, page, WarningDialog)
    assert isinstance(form, WarningDialog)
    assert "EW-2026-001" in form.windowTitle()
    qtbot.keyClicks(form.title, "Armed men at the Ostrel market")
    assert form.severity.set_value(Severity.HIGH)
    form.areas.set_checked(area)
    form.groups.set_checked(group)
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    _written(qtbot, page, lambda: page.model.rowCount() == 1)
    assert [r.reference for r in page.selected_rows()] == ["EW-2026-001"]
    assert "Armed men at the Ostrel market" in page.detail.toPlainText()
    assert "Severity not set" not in page.detail.toPlainText()

    # Issuing is refused: no addressee. The core's message, and nothing changed.
    qtbot.keyClick(page.table, Qt.Key.Key_I, CTRL)
    question = _message(qtbot, page, QMessageBox.Icon.Question)
    qtbot.keyClick(question, Qt.Key.Key_Return)
    refusal = _message(qtbot, page, QMessageBox.Icon.Warning)
    assert refusal.text() == (
        "addressees: name at least one institution to address the warning to")
    refusal.close()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    warning = _warning(store)
    assert warning.status is WarningStatus.DRAFT
    assert warning.issued_on is None
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(WarningEvent)) == 0

    # Edit to add the addressee, then issue.
    qtbot.keyClick(page.table, Qt.Key.Key_E, CTRL)
    form = _dialog(qtbot, page, WarningDialog)
    assert isinstance(form, WarningDialog)
    assert form.title.text() == "Armed men at the Ostrel market"
    form.addressees.set_checked(justice)
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    _written(qtbot, page, lambda: "Ministry of Justice" in page.detail.toPlainText())
    qtbot.keyClick(page.table, Qt.Key.Key_I, CTRL)
    question = _message(qtbot, page, QMessageBox.Icon.Question)
    assert "1 addressee" in question.text()
    qtbot.keyClick(question, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.selected_rows()[0].status is WarningStatus.ISSUED)
    warning = _warning(store)
    assert warning.issued_on == DEMO_TODAY
    assert warning.response_due == DEMO_TODAY + timedelta(days=14)
    qtbot.waitUntil(lambda: "1 issued" in page.summary_label.text())  # measured just after
    # The offscreen platform does not give the window back when a dialog closes.
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    assert not page.issue_action.isEnabled()

    # An acknowledgement, then an action.
    qtbot.keyClick(page.table, Qt.Key.Key_R, CTRL)
    response = _dialog(qtbot, page, ResponseDialog)
    assert isinstance(response, ResponseDialog)
    assert response.institution.value() == justice
    qtbot.keyClick(response.institution, Qt.Key.Key_Return)
    _written(qtbot, page, lambda: page.selected_rows()[0].status is WarningStatus.ACKNOWLEDGED)
    qtbot.keyClick(page.table, Qt.Key.Key_R, CTRL)
    response = _dialog(qtbot, page, ResponseDialog)
    assert isinstance(response, ResponseDialog)
    assert response.kind.set_value(ResponseKind.ACTION)
    qtbot.keyClicks(response.action_taken, "Prosecutor opened an inquiry.")
    qtbot.keyClicks(response.outcome, "Two suspects questioned.")
    qtbot.keyClick(response.on, Qt.Key.Key_Return)
    _written(qtbot, page,
             lambda: page.selected_rows()[0].status is WarningStatus.RESPONSE_UNDER_WAY)
    text = page.detail.toPlainText()
    assert "Prosecutor opened an inquiry." in text
    assert "Time to first action: 0 days" in text

    # Escalate to critical.
    qtbot.keyClick(page.table, Qt.Key.Key_E, CTRL | SHIFT)
    raise_ = _dialog(qtbot, page, EscalateDialog)
    assert isinstance(raise_, EscalateDialog)
    assert raise_.severity.value() is Severity.CRITICAL
    qtbot.keyClicks(raise_.reason, "Shots fired at the market.")
    qtbot.keyClick(raise_.severity, Qt.Key.Key_Return)
    _written(qtbot, page, lambda: page.selected_rows()[0].severity is Severity.CRITICAL)
    assert "Shots fired at the market." in page.detail.toPlainText()
    assert not page.escalate_action.isEnabled()

    # Closing without a resolution is refused; with one, the warning is closed.
    qtbot.keyClick(page.table, Qt.Key.Key_C, CTRL | SHIFT)
    closing = _dialog(qtbot, page, CloseDialog)
    qtbot.keyClicks(closing.note, "Market calm for three weeks.")
    qtbot.keyClick(closing.resolution, Qt.Key.Key_Return)
    # Refused under the resolution; the dialog stays open with the note typed.
    assert closing.refusal is not None
    assert closing.refusal.text().startswith("resolution: choose how the warning ended")
    assert closing.isVisible()
    assert closing.focusWidget() is closing.resolution
    assert closing.note.toPlainText() == "Market calm for three weeks."
    assert _warning(store).status is WarningStatus.RESPONSE_UNDER_WAY
    assert closing.resolution.set_value(Resolution.RESOLVED)
    qtbot.keyClick(closing.resolution, Qt.Key.Key_Return)
    # Asked once more; Cancel goes back to the form as it was.
    question = _message(qtbot, page, QMessageBox.Icon.Question)
    assert "Close EW-2026-001" in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()
    assert closing.isVisible()
    assert _warning(store).status is WarningStatus.RESPONSE_UNDER_WAY
    qtbot.keyClick(closing.resolution, Qt.Key.Key_Return)
    question = _message(qtbot, page, QMessageBox.Icon.Question)
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.selected_rows()[0].status is WarningStatus.CLOSED)
    assert not closing.isVisible()
    warning = _warning(store)
    assert warning.resolution is Resolution.RESOLVED
    assert warning.closed_on == DEMO_TODAY
    text = page.detail.toPlainText()
    for step in ("Issued", "Acknowledged receipt", "Escalated", "Closed"):
        assert step in text


def test_a_refused_form_opens_again_with_what_was_typed(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    page.new_warning()
    form = _dialog(qtbot, page, WarningDialog)
    assert isinstance(form, WarningDialog)
    qtbot.keyClicks(form.description, "Leaflets threatening the Selvan community.")
    form.accept()  # no title
    assert form.refusal is not None
    assert form.refusal.text() == "title: a warning needs a title"
    assert form.isVisible()
    assert form.focusWidget() is form.title
    assert form.description.toPlainText() == "Leaflets threatening the Selvan community."
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
    qtbot.keyClicks(form.title, "Threatening leaflets")
    form.accept()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.selected_rows()[0].title == "Threatening leaflets"


def test_a_response_dated_before_the_warning_is_refused(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    row = next(r for r in page.model._rows if r.status is WarningStatus.ISSUED)
    page.select([row.id])
    assert row.issued is not None
    qtbot.keyClick(page.table, Qt.Key.Key_R, CTRL)
    response = _dialog(qtbot, page, ResponseDialog)
    assert isinstance(response, ResponseDialog)
    response.on.setDate(response.on.date().addDays(-400))
    response.accept()
    assert response.refusal is not None
    assert "is before the warning was issued" in response.refusal.text()
    assert response.isVisible()
    with demo_store.reader() as session:
        count = session.scalar(select(func.count()).select_from(WarningResponse)
                               .where(WarningResponse.warning_id == row.id))
    assert count == 0


def test_filters_and_sorting_match_the_core(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        everything = list_warnings(session, today=DEMO_TODAY)
        issued = list_warnings(session, today=DEMO_TODAY, status=WarningStatus.ISSUED)
        overdue = list_warnings(session, today=DEMO_TODAY, overdue=True)
    shown = lambda: [page.model.row_at(r).id for r in range(page.model.rowCount())]  # noqa: E731
    assert shown() == [r.id for r in everything]  # newest first
    assert page.model.index(0, Col.REF).data() == everything[0].reference
    page.status_filter.set_value(WarningStatus.ISSUED)
    assert shown() == [r.id for r in issued]
    page.status_filter.setCurrentIndex(0)
    page.severity_filter.set_value(Severity.HIGH)
    assert shown() == [r.id for r in everything if r.severity is Severity.HIGH]
    page.severity_filter.setCurrentIndex(0)
    page.overdue_only.setChecked(True)
    assert overdue
    assert shown() == [r.id for r in overdue]
    page.overdue_only.setChecked(False)
    qtbot.keyClick(page, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "journalists")
    assert [page.model.row_at(r).title for r in range(page.model.rowCount())] == [
        "Threats against journalists covering the northern clashes"]
    page.search.clear()

    page.table.sortByColumn(Col.SEVERITY, Qt.SortOrder.DescendingOrder)
    severities = [page.model.index(r, 0).data(1 + Qt.ItemDataRole.UserRole).severity
                  for r in range(page.model.rowCount())]
    order = list(Severity)
    assert [order.index(s) for s in severities] == sorted(
        (order.index(s) for s in severities), reverse=True)

    page.search.setText("no such warning")
    page.show_overdue()
    assert shown() == [r.id for r in overdue]
    page.status_filter.set_value(WarningStatus.CLOSED)
    page.show_warning(everything[-1].id)
    assert page.status_filter.value() is None
    assert page.selected_ids() == [everything[-1].id]


def test_overdue_rows_and_severities_are_marked_beyond_colour(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    model = page.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    late = [r for r, row in enumerate(rows) if row.overdue]
    assert late
    decoration = Qt.ItemDataRole.DecorationRole
    assert OVERDUE_MARK in model.index(late[0], Col.DUE).data()
    assert model.index(late[0], Col.REF).data(decoration) is not None
    assert model.index(late[0], Col.TITLE).data(Qt.ItemDataRole.BackgroundRole) is not None
    on_time = next(r for r, row in enumerate(rows) if not row.overdue)
    assert model.index(on_time, Col.REF).data(decoration) is None
    assert OVERDUE_MARK not in model.index(on_time, Col.DUE).data()
    for r in range(len(rows)):
        assert model.index(r, Col.SEVERITY).data() in {"Low", "Moderate", "High", "Critical"}
        assert model.index(r, Col.SEVERITY).data(decoration) is not None
    qtbot.waitUntil(lambda: f"⚠ {len(late)} overdue" in page.summary_label.text())
    page.select([rows[late[0]].id])
    assert OVERDUE_MARK in page.detail.toPlainText()


def test_a_confidential_sources_identity_never_reaches_the_page(
    qtbot: QtBot, demo_store: Store
) -> None:
    with demo_store.session() as session:
        informant = session.scalars(select(Source).where(Source.identity != "")).one()
        demo_identity = informant.identity
        informant.identity = SECRET
        citing = set(session.scalars(select(warning_source.c.warning_id)
                                     .where(warning_source.c.source_id == informant.id)))
    assert citing
    page = _page(qtbot, demo_store)
    for warning_id in citing:
        page.show_warning(warning_id)
        html = page.detail.toHtml()
        assert informant.title in page.detail.toPlainText()
        assert "graded C3" in page.detail.toPlainText()
        assert SECRET not in html
        assert demo_identity not in html
    page.edit()
    form = _dialog(qtbot, page, WarningDialog)
    assert isinstance(form, WarningDialog)
    labels = [form.sources.item(i).text() for i in range(form.sources.count())]
    assert any(informant.title in label for label in labels)
    assert not any(SECRET in label for label in labels)
    form.reject()


def test_the_form_lists_every_indicator_factors_7_and_8_first(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    page.new_warning()
    form = _dialog(qtbot, page, WarningDialog)
    assert isinstance(form, WarningDialog)
    tree = form.indicators
    heads = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert heads[0].startswith("RF7")
    assert heads[1].startswith("RF8")
    assert len(form.indicators._leaves) >= 30
    form.indicator_search.setText("hate propaganda")
    visible = [x for x in form.indicators._leaves if not x.isHidden()]
    assert visible
    assert [x.text(0)[:3] for x in visible] == ["8.7"]
    assert form.severity.value() is None
    form.reject()


def test_the_model_passes_qtmodeltester(qtmodeltester: ModelTester, demo_store: Store,
                                        qapp: QApplication) -> None:
    model = WarningsModel()

    def fetch(order: WarningSort, offset: int, limit: int) -> list[WarningRow]:
        with demo_store.reader() as session:
            return warning_page(session, None, order, today=DEMO_TODAY, offset=offset,
                                limit=limit)

    model.page_size = 4  # the demo's eleven warnings in three windows
    model.set_source(fetch, lambda: 11)
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_screenshots_of_list_and_detail(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        rows = list_warnings(session, today=DEMO_TODAY)
    chosen = next(r for r in rows if r.title.startswith("Armed self-defence groups"))
    page.select([chosen.id])
    assert "Timeline" in page.detail.toPlainText()
    shots = output_dir("screenshots")
    QApplication.processEvents()
    assert page.grab().save(str(shots / "warnings-list.png"))
    page.detail.resize(900, 900)
    assert page.detail.grab().save(str(shots / "warning-detail.png"))


def test_the_detail_reads_right_to_left_in_arabic(demo_store: Store) -> None:
    """Qt lays table columns out left to right only: in Arabic the pane reverses them itself."""
    from r2pdesk.earlywarning import queries
    from r2pdesk.i18n import speaking, tr
    from ui.warning_detail import detail_html

    with demo_store.reader() as session:
        row = next(r for r in list_warnings(session, today=DEMO_TODAY) if r.issued)
        detail = queries.warning_detail(session, row.id)
        texts = queries.framework_texts(session, detail)
    english = detail_html(detail, texts, DEMO_TODAY)
    assert 'dir="rtl"' not in english
    assert english.index("What is happening") < english.index("Addressed to")
    with speaking("ar"):
        arabic = detail_html(detail, texts, DEMO_TODAY)
        situation, response = tr("What is happening"), tr("Addressed to")
    assert arabic.startswith('<div dir="rtl">')
    assert arabic.index(response) < arabic.index(situation)  # the situation is drawn on the right
