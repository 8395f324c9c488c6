"""The Recommendations page driven as a committee member would: adopt twenty catalogue
recommendations, assign them, record progress with a PDF, find the overdue ones, undo."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import Recommendation, RecStatus
from r2pdesk.recommendations.queries import (
    RecFilter,
    RecRow,
    RecSort,
    list_recommendations,
    recommendation_detail,
    recommendation_page,
)
from r2pdesk.sources.attachments import load_attachment
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import D, opened, shown
from ui.recommendation_dialogs import AdoptDialog, LeadDialog, ProgressDialog, from_qdate, to_qdate
from ui.recommendation_models import OVERDUE_MARK, Col, RecommendationsModel
from ui.recommendations_page import RecommendationsPage

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _institutions(store: Store, *names: str) -> list[uuid.UUID]:
    with store.session() as session:
        made = [Institution(name=name) for name in names]
        session.add_all(made)
        session.flush()
        return [inst.id for inst in made]


def _page(qtbot: QtBot, store: Store) -> RecommendationsPage:
    return shown(qtbot, RecommendationsPage(store, today=lambda: DEMO_TODAY))


def _dialog(qtbot: QtBot, page: RecommendationsPage, kind: type[D]) -> D:
    return opened(qtbot, page, kind)


def _pdf(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Decree on the national atrocity prevention committee")
    canvas.save()
    return path


def _choose(combo_owner: object, combo_name: str, value: object) -> None:
    assert getattr(combo_owner, combo_name).set_value(value)


def test_a_member_adopts_assigns_records_progress_and_finds_overdue(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    justice, interior = _institutions(store, "Ministry of Justice", "Ministry of Interior")
    page = _page(qtbot, store)
    assert page.model.rowCount() == 0

    # Adopt twenty catalogue recommendations of 2009, with the keyboard.
    qtbot.keyClick(page, Qt.Key.Key_A, CTRL | SHIFT)
    adopt = _dialog(qtbot, page, AdoptDialog)
    assert isinstance(adopt, AdoptDialog)
    adopt.year.set_value(2009)
    adopt.table.setFocus()
    qtbot.keyClick(adopt.table, Qt.Key.Key_Home, CTRL)
    for _ in range(19):
        qtbot.keyClick(adopt.table, Qt.Key.Key_Down, SHIFT)
    assert len(adopt.chosen_ids()) == 20
    assert "20 chosen" in adopt.chosen.text()
    _choose(adopt, "lead", justice)
    adopt.made.setDate(to_qdate(date(2025, 1, 15)))
    adopt.due.enabled.setChecked(True)
    adopt.due.edit.setDate(to_qdate(date(2026, 6, 30)))
    qtbot.keyClick(adopt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.rowCount() == 20)
    assert len(page.selected_ids()) == 20
    assert all(row.lead_institution == "Ministry of Justice" for row in page.selected_rows())
    assert all(row.catalogue_id and row.catalogue_id.startswith("2009-")
               for row in page.selected_rows())

    # Give five of them to the Ministry of Interior.
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home, CTRL)
    for _ in range(4):
        qtbot.keyClick(page.table, Qt.Key.Key_Down, SHIFT)
    assert len(page.selected_ids()) == 5
    qtbot.keyClick(page.table, Qt.Key.Key_L, CTRL)
    lead = _dialog(qtbot, page, LeadDialog)
    assert isinstance(lead, LeadDialog)
    _choose(lead, "lead", interior)
    qtbot.keyClick(lead, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: all(r.lead_institution == "Ministry of Interior"
                                for r in page.selected_rows()))

    # Record progress on one, with a PDF as evidence.
    qtbot.keyClick(page.table, Qt.Key.Key_Home, CTRL)  # moves without choosing
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Up)
    (chosen,) = page.selected_rows()
    qtbot.keyClick(page.table, Qt.Key.Key_P, CTRL)
    progress = _dialog(qtbot, page, ProgressDialog)
    assert isinstance(progress, ProgressDialog)
    _choose(progress, "status", RecStatus.IMPLEMENTED)
    qtbot.keyClicks(progress.narrative, "Decree signed; committee members appointed.")
    progress.add_files([_pdf(tmp_path / "decree.pdf"), tmp_path / "missing.pdf"])
    assert "missing.pdf: cannot be read" in progress.error.text()
    assert progress.files.count() == 1
    assert from_qdate(progress.on.date()) == DEMO_TODAY
    progress.accept()
    qtbot.waitUntil(lambda: "decree.pdf" in page.detail.toPlainText())
    assert "Implemented" in page.detail.toPlainText()
    assert "Decree signed" in page.detail.toPlainText()

    # Find the overdue ones: all but the implemented one are past 2026-06-30.
    page.overdue_only.setChecked(True)
    assert page.model.rowCount() == 19
    assert chosen.id not in {page.model.row_at(r).id for r in range(19)}
    assert "⚠ 19 overdue" in page.overdue_label.text()

    # Undo the progress with the keyboard, then redo it.
    page.overdue_only.setChecked(False)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    with store.reader() as session:
        assert session.get(Recommendation, chosen.id).status is RecStatus.NOT_STARTED  # type: ignore[union-attr]
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL | SHIFT)
    with store.reader() as session:
        assert session.get(Recommendation, chosen.id).status is RecStatus.IMPLEMENTED  # type: ignore[union-attr]


def test_a_refused_save_says_why_and_changes_nothing(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    page.new_recommendation()
    dialog = page.dialog
    assert dialog is not None
    dialog.accept()  # empty text
    assert page.message is not None
    assert page.message.text() == "text: a recommendation needs its text"
    page.message.close()
    with store.reader() as session:
        assert session.scalars(select(Recommendation)).first() is None
    assert page.undo_stack.count() == 0


def test_filters_match_the_core(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    page.status_filter.set_value(RecStatus.IN_PROGRESS)
    with demo_store.reader() as session:
        expected = list_recommendations(session, RecFilter(status=RecStatus.IN_PROGRESS),
                                        today=DEMO_TODAY)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [
        r.id for r in expected]
    page.status_filter.setCurrentIndex(0)
    qtbot.keyClick(page, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "2015-MS")
    assert page.model.rowCount() > 0
    assert all((page.model.row_at(r).catalogue_id or "").startswith("2015-MS")
               for r in range(page.model.rowCount()))


def test_overdue_rows_are_marked_with_icon_and_words(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    model = page.model
    overdue = [r for r in range(model.rowCount()) if model.row_at(r).overdue]
    assert overdue
    row = overdue[0]
    assert OVERDUE_MARK in model.index(row, Col.DUE).data()
    assert model.index(row, Col.REF).data(Qt.ItemDataRole.DecorationRole) is not None
    on_time = [r for r in range(model.rowCount()) if not model.row_at(r).overdue]
    assert model.index(on_time[0], Col.REF).data(Qt.ItemDataRole.DecorationRole) is None


def test_the_model_passes_qtmodeltester(qtmodeltester: ModelTester, demo_store: Store,
                                        qapp: QApplication) -> None:
    model = RecommendationsModel()

    def fetch(order: RecSort, offset: int, limit: int) -> list[RecRow]:
        with demo_store.reader() as session:
            return recommendation_page(session, None, order, today=DEMO_TODAY, offset=offset,
                                       limit=limit)

    model.page_size = 10  # the demo's 25 recommendations in three windows
    model.set_source(fetch, lambda: 25)
    assert model.rowCount() == 10
    qtmodeltester.check(model)


def test_views_lead_back_to_the_filtered_list(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    some = page.model.row_at(0)
    assert some.lead_institution_id is not None
    page.tabs.setCurrentIndex(1)
    page.institution_view.institution_activated.emit(some.lead_institution_id)
    assert page.tabs.currentIndex() == 0
    assert page.model.rowCount() >= 1
    assert page.institution_filter.value() == some.lead_institution_id
    page.summary_view.group_activated.emit("report", 2009)
    assert {page.model.row_at(r).report_year for r in range(page.model.rowCount())} == {2009}


def test_screenshots_of_list_detail_and_summary(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        details = [recommendation_detail(session, r.id, today=DEMO_TODAY)
                   for r in list_recommendations(session, today=DEMO_TODAY)]
    richest = max(details, key=lambda d: (d.row.catalogue_id is not None, len(d.timeline)))
    page.select([richest.row.id])
    shots = output_dir("screenshots")
    QApplication.processEvents()
    assert page.grab().save(str(shots / "recommendations-list.png"))
    assert "History" in page.detail.toPlainText()
    page.detail.resize(900, 800)
    assert page.detail.grab().save(str(shots / "recommendation-detail.png"))
    page.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    assert page.grab().save(str(shots / "implementation-summary-page.png"))
    page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert page.grab().save(str(shots / "recommendations-by-institution.png"))


def test_evidence_is_saved_back_out_as_it_was(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        details = [recommendation_detail(session, r.id, today=DEMO_TODAY)
                   for r in list_recommendations(session, today=DEMO_TODAY)]
        files = [(a, load_attachment(session, a.id)[1])
                 for d in details for e in d.timeline for a in e.attachments]
    assert files
    info, data = files[0]
    target = tmp_path / "saved.pdf"
    page.save_evidence(info.id, target)
    assert target.read_bytes() == data
    page.save_evidence(info.id, tmp_path / "no-such-folder" / "x.pdf")
    assert page.message is not None
    assert "cannot write" in page.message.text()
    page.message.close()


def test_catalogue_texts_are_labelled_as_the_original_english(demo_store: Store) -> None:
    from html import escape

    from r2pdesk.i18n import speaking, tr
    from ui.recommendation_detail import detail_html

    with demo_store.reader() as session:
        adopted = next(r for r in list_recommendations(session, today=DEMO_TODAY)
                       if r.catalogue_id)
        detail = recommendation_detail(session, adopted.id, today=DEMO_TODAY)
    assert "(original English)" not in detail_html(detail)  # in English it goes without saying
    with speaking("fr"):
        french = detail_html(detail)
        label = tr("(original English)")
    assert label in french
    first_line = escape(adopted.text.split("\n")[0])[:40]
    assert first_line in french  # the Secretary-General's words, as written
