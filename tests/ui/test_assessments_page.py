"""The Risk assessments page driven as an analyst would: rate indicators from the keyboard and
watch the levels derive, justify overrides, take an assessment through review, copy it forward,
read the heat map, and extend the framework with a national indicator."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from r2pdesk.assessments.models import Assessment, AssessmentStatus, Confidence, Level, Strength
from r2pdesk.assessments.queries import assessment_grid, heat_map, list_assessments
from r2pdesk.assessments.scale import trend
from r2pdesk.assessments.service import (
    AssessmentInput,
    RatingInput,
    create_assessment,
    save_rating,
    submit_for_review,
)
from r2pdesk.reference.frameworks import version_content
from r2pdesk.reference.service import default_framework_version
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from ui.assessment_dialogs import AssessmentDialog, EvidenceDialog, IndicatorDialog, next_period
from ui.assessment_grid import AssessmentsModel, Col, GridModel, grid_rows
from ui.assessments_page import GRID_TAB, HEAT_TAB, AssessmentsPage
from ui.framework_editor import FrameworkEditor, FrameworkModel, framework_lines
from ui.guarded import GuardedDialog
from ui.mainwindow import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
H1 = AssessmentInput(title="National risk assessment, first half of 2026",
                     period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))


def _page(qtbot: QtBot, store: Store) -> AssessmentsPage:
    page = AssessmentsPage(store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1400, 850)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _create(store: Store, data: AssessmentInput = H1) -> uuid.UUID:
    with store.session() as session:
        return create_assessment(session, data)


def _rate_factors(store: Store, assessment_id: uuid.UUID, numbers: range) -> None:
    with store.session() as session:
        version = default_framework_version(session)
        assert version is not None
        for factor in version.risk_factors:
            if factor.number in numbers:
                save_rating(session, assessment_id,
                            RatingInput(risk_factor_id=factor.id, level=Level.LOW))


def _row(page: AssessmentsPage, code: str) -> int:
    model = page.grid_model
    for row in range(model.rowCount()):
        line = model.row_at(row)
        if line.factor is not None and model.index(row, Col.CODE).data().strip() == code:
            return row
    raise AssertionError(f"{code} is not in the grid")


def _type(qtbot: QtBot, page: AssessmentsPage, code: str, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    table = page.rating_table
    table.setCurrentIndex(page.grid_model.index(_row(page, code), Col.LEVEL))
    qtbot.keyClick(table, key, modifier)


def _cell(page: AssessmentsPage, code: str, column: Col) -> str:
    return str(page.grid_model.index(_row(page, code), column).data())


def _dialog(qtbot: QtBot, page: AssessmentsPage, kind: type[QDialog]) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(page.dialog, kind) and page.dialog.isVisible())
    assert page.dialog is not None
    return page.dialog


def _refusal(dialog: QDialog) -> str:
    """The refusal a form shows under its field (it stays open)."""
    assert isinstance(dialog, GuardedDialog)
    assert dialog.refusal is not None
    assert dialog.isVisible()
    return dialog.refusal.text()


def _message(page: AssessmentsPage) -> str:
    assert page.message is not None
    text = page.message.text()
    page.message.close()
    page.message = None
    return text


def test_levels_typed_on_indicators_derive_the_factor_and_overall_level(
    qtbot: QtBot, store: Store
) -> None:
    aid = _create(store)
    page = _page(qtbot, store)
    page.show_assessment(aid)
    assert page.tabs.currentIndex() == GRID_TAB
    assert page.current_id() == aid
    assert QApplication.focusWidget() is page.rating_table

    _type(qtbot, page, "7.1", Qt.Key.Key_3)
    assert _cell(page, "7.1", Col.LEVEL) == "High"
    assert _cell(page, "RF7", Col.LEVEL) == "High"
    assert _cell(page, "RF7", Col.BASIS) == "derived: highest indicator"
    assert "High" in page.overall.level.text()
    assert page.rating_table.currentIndex().row() == _row(page, "7.1")  # the cursor stays

    _type(qtbot, page, "7.2", Qt.Key.Key_S)
    assert _cell(page, "RF7", Col.LEVEL) == "Severe"
    assert "Severe" in page.overall.level.text()
    _type(qtbot, page, "7.2", Qt.Key.Key_Delete)
    assert _cell(page, "7.2", Col.LEVEL) == "Not assessed"
    assert _cell(page, "RF7", Col.LEVEL) == "High"

    _type(qtbot, page, "7.1", Qt.Key.Key_Up, CTRL)
    _type(qtbot, page, "7.1", Qt.Key.Key_Up, CTRL)
    assert _cell(page, "7.1", Col.CONFIDENCE) == "medium"
    _type(qtbot, page, "RF1", Qt.Key.Key_L)
    assert _cell(page, "RF1", Col.BASIS) == "rated directly"
    with store.reader() as session:
        grid = assessment_grid(session, aid)
        assert session.get_one(Assessment, aid).overall_level is Level.HIGH
    factor7 = next(f for f in grid.factors if f.number == 7)
    assert factor7.effective_level is Level.HIGH
    assert factor7.indicators[0].rating is not None
    assert factor7.indicators[0].rating.confidence is Confidence.MEDIUM

    # A risk factor with rated indicators takes their level: the core says so, nothing changes.
    _type(qtbot, page, "RF7", Qt.Key.Key_1)
    assert "takes its level from its rated indicators" in _message(page)
    assert _cell(page, "RF7", Col.LEVEL) == "High"

    # Unrated only: 7.1 and RF1 leave the grid; typing a level moves on to the next unrated.
    page.unrated_only.setChecked(True)
    codes = {page.grid_model.index(r, Col.CODE).data().strip()
             for r in range(page.grid_model.rowCount())}
    assert "7.1" not in codes
    assert "RF1" not in codes
    assert "7.2" in codes
    _type(qtbot, page, "7.2", Qt.Key.Key_2)
    assert "7.2" not in {page.grid_model.index(r, Col.CODE).data().strip()
                         for r in range(page.grid_model.rowCount())}
    current = page.rating_table.currentIndex().row()
    assert page.grid_model.index(current, Col.CODE).data().strip() == "7.3"

    # Clearing a line that was never rated writes nothing.
    with store.reader() as session:
        before = len(session.get_one(Assessment, aid).ratings)
    _type(qtbot, page, "7.4", Qt.Key.Key_Delete)
    with store.reader() as session:
        assert len(session.get_one(Assessment, aid).ratings) == before


def test_an_override_without_justification_is_refused_and_the_editor_stays_open(
    qtbot: QtBot, store: Store
) -> None:
    aid = _create(store)
    page = _page(qtbot, store)
    page.show_assessment(aid)
    _type(qtbot, page, "7.1", Qt.Key.Key_Return)
    dialog = _dialog(qtbot, page, EvidenceDialog)
    assert isinstance(dialog, EvidenceDialog)
    qtbot.keyClicks(dialog.evidence, "Militia lists drawn up in two districts.")
    assert dialog.override.set_value(Level.SEVERE)
    dialog.accept()
    assert "needs a written justification" in _refusal(dialog)
    assert dialog.isVisible()
    with store.reader() as session:
        assert not session.get_one(Assessment, aid).ratings

    qtbot.keyClicks(dialog.justification, "Lists name individual families.")
    dialog.accept()
    assert not dialog.isVisible()
    assert _cell(page, "7.1", Col.LEVEL) == "Severe"
    assert _cell(page, "7.1", Col.BASIS) == "override (rated not assessed)"
    assert _cell(page, "7.1", Col.EVIDENCE) == "Militia lists drawn up in two districts."
    assert _cell(page, "RF7", Col.LEVEL) == "Severe"

    # The overall override asks for a justification too.
    page.overall.override.set_value(Level.HIGH)
    page.overall.button.click()
    assert "justification" in _message(page)
    with store.reader() as session:
        assert session.get_one(Assessment, aid).overall_override is None
    page.overall.justification.setText("The committee weighs the trend as well.")
    page.overall.button.click()
    with store.reader() as session:
        assert session.get_one(Assessment, aid).overall_override is Level.HIGH
    assert "set by the committee" in page.overall.level.text()


def test_validation_is_refused_naming_the_unrated_factors(qtbot: QtBot, store: Store) -> None:
    aid = _create(store)
    _rate_factors(store, aid, range(1, 13))
    page = _page(qtbot, store)
    page.show_assessment(aid)
    page.tabs.setCurrentIndex(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_R, CTRL | SHIFT)
    assert page.list_model.row_at(page.table.currentIndex().row()).status is (
        AssessmentStatus.UNDER_REVIEW)
    page.validate()  # asked first
    assert page.message is not None
    assert "Validate" in page.message.text()
    page.message.button(QMessageBox.StandardButton.Yes).click()
    text = _message(page)
    assert text.startswith("not rated yet: 13. ")
    assert "14. " in text
    assert "7. " not in text
    with store.reader() as session:
        assert session.get_one(Assessment, aid).status is AssessmentStatus.UNDER_REVIEW

    _rate_factors(store, aid, range(13, 15))
    page.validate()
    assert page.message is not None
    page.message.button(QMessageBox.StandardButton.Cancel).click()  # asked, and not done
    with store.reader() as session:
        assert session.get_one(Assessment, aid).status is AssessmentStatus.UNDER_REVIEW
    assert page.validated()
    assert page.supersede_action.isEnabled()
    assert not page.edit_action.isEnabled()
    # A validation is taken back with Ctrl+Z: under review again.
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    with store.reader() as session:
        assert session.get_one(Assessment, aid).status is AssessmentStatus.UNDER_REVIEW
    assert page.validate_action.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL | SHIFT)
    with store.reader() as session:
        assert session.get_one(Assessment, aid).status is AssessmentStatus.VALIDATED


def test_copy_forward_carries_the_ratings_into_a_new_draft(qtbot: QtBot, store: Store) -> None:
    aid = _create(store)
    page = _page(qtbot, store)
    page.show_assessment(aid)
    _type(qtbot, page, "7.1", Qt.Key.Key_H)
    with store.session() as session:
        submit_for_review(session, aid)
    page.reload()
    qtbot.keyClick(page.rating_table, Qt.Key.Key_C, CTRL | SHIFT)
    dialog = _dialog(qtbot, page, AssessmentDialog)
    assert isinstance(dialog, AssessmentDialog)
    data = dialog.value()
    assert data.period_start == date(2026, 7, 1)
    assert data.period_end == date(2026, 12, 31)
    dialog.title.setText("National risk assessment, second half of 2026")
    dialog.accept()
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2)
    new_id = page.current_id()
    assert new_id is not None
    assert new_id != aid
    assert page.tabs.currentIndex() == GRID_TAB
    assert page.grid is not None
    assert page.grid.assessment.status is AssessmentStatus.DRAFT
    assert _cell(page, "7.1", Col.LEVEL) == "High"
    assert _cell(page, "7.1", Col.TREND) == "="
    trend_index = page.grid_model.index(_row(page, "7.1"), Col.TREND)
    assert trend_index.data(Qt.ItemDataRole.ToolTipRole) == (
        "the same as in the previous assessment")
    _type(qtbot, page, "7.1", Qt.Key.Key_4)
    assert _cell(page, "7.1", Col.TREND) == "▲"
    assert "second half" in page.heading.text()
    assert "trends against “National risk assessment, first half of 2026”" in (
        page.heading.text())


def test_the_next_period_follows_whole_months_or_days() -> None:
    assert next_period(date(2025, 11, 1), date(2026, 4, 30)) == (
        date(2026, 5, 1), date(2026, 10, 31))
    assert next_period(date(2026, 1, 1), date(2026, 1, 31)) == (
        date(2026, 2, 1), date(2026, 2, 28))
    assert next_period(date(2026, 1, 10), date(2026, 1, 19)) == (
        date(2026, 1, 20), date(2026, 1, 29))


def test_resilience_is_saved_as_it_is_changed(qtbot: QtBot, store: Store) -> None:
    aid = _create(store)
    page = _page(qtbot, store)
    page.show_assessment(aid)
    assert len(page.resilience.rows) == 7
    factor_id, (strength, notes) = next(iter(page.resilience.rows.items()))
    assert strength.set_value(Strength.WEAK)
    notes.setText("Police vetting stalled.")
    notes.editingFinished.emit()
    with store.reader() as session:
        grid = assessment_grid(session, aid)
    cell = next(c for c in grid.resilience if c.resilience_factor_id == factor_id)
    assert (cell.strength, cell.notes) == (Strength.WEAK, "Police vetting stalled.")


def test_the_heat_map_shows_the_core_levels(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    page.tabs.setCurrentIndex(HEAT_TAB)
    panel = page.heat_panel
    with demo_store.reader() as session:
        areas = [r.area_id for r in list_assessments(session) if r.area_id is not None]
        maps = [heat_map(session, None), heat_map(session, areas[0])]
    assert panel.scope.count() == 2
    for area_id, expected in zip((None, areas[0]), maps, strict=True):
        assert panel.set_scope(area_id)
        view = panel.view
        assert view.heat == expected
        assert len(expected.rows) == 14
        for row in expected.rows:
            for column, level in enumerate(row.levels):
                cell = view.cell(row.number, column)
                assert cell.level is level
                before = row.levels[column - 1] if column else None
                assert cell.trend == (trend(before, level) if before else None)
    assert len(maps[0].columns) == 2
    assert panel.view.text().startswith("Velmora regional risk assessment")
    assert "RF7 severe" in panel.view.text()


def test_the_framework_editor_adds_a_national_indicator_in_a_new_version(
    qtbot: QtBot, store: Store
) -> None:
    old = _create(store)
    page = _page(qtbot, store)
    editor = page.framework
    page.tabs.setCurrentWidget(editor)
    assert "version 1" in editor.heading.text()
    assert "partial" in editor.heading.text()
    editor.select_code("RF7")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_N, CTRL | SHIFT)
    qtbot.waitUntil(lambda: isinstance(editor.dialog, IndicatorDialog)
                    and editor.dialog.isVisible())
    dialog = editor.dialog
    assert isinstance(dialog, IndicatorDialog)
    assert dialog.code.text() == "7.N1"
    qtbot.keyClicks(dialog.text, "Registration of militia members with local authorities")
    dialog.accept()
    assert "7.N1 added" in editor.pending_label.text()
    editor.select_code("7.1")
    editor.edit_action.trigger()
    edit = editor.dialog
    assert isinstance(edit, IndicatorDialog)
    assert edit.code.isReadOnly()
    edit.text.setPlainText("Imposition of strict control on the use of communication channels")
    edit.accept()
    editor.select_code("RF7")
    editor.complete_action.trigger()
    changes = {editor.model.row_at(r).change for r in range(editor.model.rowCount())}
    assert {"added", "text changed", "list now complete"} <= changes
    editor.save_action.trigger()  # through the single writer
    assert editor.busy
    qtbot.waitUntil(lambda: not editor.busy, timeout=10_000)
    assert _message_of(editor).startswith("Saved as version 2.")
    assert "version 2" in editor.heading.text()
    assert editor.pending == []

    with store.reader() as session:
        version = default_framework_version(session)
        assert version is not None
        assert version.version == 2
        factor = next(f for f in version.risk_factors if f.number == 7)
        added = next(i for i in factor.indicators if i.code == "7.N1")
        assert added.national
        old_grid = assessment_grid(session, old)
    assert all(i.code != "7.N1" for f in old_grid.factors for i in f.indicators)
    assert old_grid.framework.endswith("version 1")

    page.new_assessment()
    dialog2 = _dialog(qtbot, page, AssessmentDialog)
    assert isinstance(dialog2, AssessmentDialog)
    dialog2.title.setText("National risk assessment on version 2")
    dialog2.accept()
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2)
    assert page.grid is not None
    assert page.grid.framework.endswith("version 2")
    assert _cell(page, "7.N1", Col.TITLE).strip().startswith("Registration of militia")


def _message_of(editor: FrameworkEditor) -> str:
    assert editor.message is not None
    text = editor.message.text()
    editor.message.close()
    return text


def test_the_framework_goes_to_excel_and_back_as_a_new_version(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    page = _page(qtbot, store)
    editor = page.framework
    target = tmp_path / "framework.xlsx"
    editor.export_to(target)
    qtbot.waitUntil(lambda: not editor.busy, timeout=10_000)
    assert target.exists()
    assert "Version 1 written to framework.xlsx" in _message_of(editor)
    editor.import_from(target)
    qtbot.waitUntil(lambda: not editor.busy, timeout=10_000)
    assert "framework.xlsx imported as version 2" in _message_of(editor)
    assert "version 2" in editor.heading.text()
    with store.reader() as session:
        version = default_framework_version(session)
        assert version is not None
        first = next(v for v in version.framework.versions if v.version == 1)
        assert version_content(session, version.id) == version_content(session, first.id)
    editor.import_from(tmp_path / "missing.xlsx")
    qtbot.waitUntil(lambda: not editor.busy, timeout=10_000)
    assert "missing.xlsx" in _message_of(editor)


def test_every_model_passes_qtmodeltester(qtmodeltester: ModelTester, demo_store: Store,
                                          qapp: QApplication) -> None:
    with demo_store.reader() as session:
        rows = list_assessments(session)
        grid = assessment_grid(session, rows[0].id)
        version = default_framework_version(session)
        assert version is not None
        content = version_content(session, version.id)
    assessments = AssessmentsModel(rows)
    qtmodeltester.check(assessments)
    grid_model = GridModel()
    grid_model.set_rows(grid_rows(grid))
    qtmodeltester.check(grid_model)
    unrated = GridModel()
    unrated.set_rows(grid_rows(grid, unrated_only=True))
    qtmodeltester.check(unrated)
    framework = FrameworkModel(framework_lines(content, content))
    qtmodeltester.check(framework)


def test_show_assessment_chooses_it(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        rows = list_assessments(session)
    oldest = rows[-1]
    page.show_assessment(oldest.id)
    assert page.current_id() == oldest.id
    assert page.tabs.currentIndex() == GRID_TAB
    assert page.grid is not None
    assert page.grid.assessment.id == oldest.id
    assert not page.grid.editable  # validated
    assert "kept as it is" in page.heading.text()
    _type(qtbot, page, "RF1", Qt.Key.Key_S)
    assert "copy it forward" in _message(page)


def test_the_dashboard_opens_an_assessment_through_the_main_window(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = MainWindow(demo_store, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    page = window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    with demo_store.reader() as session:
        oldest = list_assessments(session)[-1]
    window.open_assessment(oldest.id)
    assert window.current_page() == "assessments"
    assert page.current_id() == oldest.id
    assert page.tabs.currentIndex() == GRID_TAB


def test_screenshots_of_grid_heat_map_and_framework(qtbot: QtBot, demo_store: Store) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        latest = next(r for r in list_assessments(session) if r.area_id is None)
    page.show_assessment(latest.id)
    page.rating_table.setCurrentIndex(page.grid_model.index(_row(page, "7.1"), Col.LEVEL))
    shots = output_dir("screenshots")
    QApplication.processEvents()
    assert page.grab().save(str(shots / "assessment-grid.png"))
    page.tabs.setCurrentIndex(HEAT_TAB)
    QApplication.processEvents()
    assert page.grab().save(str(shots / "heat-map.png"))
    page.tabs.setCurrentWidget(page.framework)
    editor = page.framework
    editor.select_code("RF7")
    editor.add_indicator()
    dialog = editor.dialog
    assert isinstance(dialog, IndicatorDialog)
    dialog.text.setPlainText("Registration of militia members with local authorities")
    dialog.accept()
    editor.select_code("7.N1")
    editor.table.scrollTo(editor.model.index(editor.table.currentIndex().row() - 12, 0),
                          editor.table.ScrollHint.PositionAtTop)
    QApplication.processEvents()
    assert page.grab().save(str(shots / "framework-editor.png"))
    page.tabs.setCurrentIndex(0)
    QApplication.processEvents()
    assert page.grab().save(str(shots / "assessments-list.png"))


def test_a_refused_new_assessment_keeps_its_form(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
    dialog = _dialog(qtbot, page, AssessmentDialog)
    assert isinstance(dialog, AssessmentDialog)
    dialog.accept()
    assert _refusal(dialog) == "title: an assessment needs a title"
    assert dialog.focusWidget() is dialog.title
    dialog.title.setText("Velmora quick assessment")
    dialog.end.setDate(dialog.start.date().addDays(-1))
    dialog.accept()
    assert _refusal(dialog).startswith("period: ends")
    assert page.list_model.rowCount() == 0
    fixed = replace(dialog.value(), period_end=dialog.value().period_start)
    dialog.end.setDate(dialog.start.date())
    assert dialog.value() == fixed
    dialog.accept()
    assert page.list_model.rowCount() == 1


def test_the_scale_help_says_what_the_scale_module_documents() -> None:
    """The help's paragraphs are written out for the catalogue; in English they are the scale
    module's docstring, word for word."""
    import html

    from r2pdesk.assessments import scale
    from ui.assessment_dialogs import scale_help_html

    paragraphs = (scale.__doc__ or "").strip().split("\n\n")
    assert scale_help_html() == "<qt>" + "".join(
        f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs) + "</qt>"
