"""The Exchange page driven as the secretariat would: a focal point's workbook written, filled in
as a person fills it, previewed and applied; conflicts decided; a wrong file refused."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry
from r2pdesk.earlywarning.models import warning_addressee
from r2pdesk.exchange.models import ConflictId, ExchangeConflict, ExchangeExport, ExchangeRow
from r2pdesk.exchange.reader import ExchangeFileError
from r2pdesk.exchange.service import ConflictRow, preview
from r2pdesk.exchange.values import Plain
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import (
    ProgressUpdate,
    Recommendation,
    RecStatus,
)
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import opened, shown
from ui.exchange_models import (
    ConflictsModel,
    PreviewModel,
    PreviewProxy,
    PreviewRow,
    RowKind,
    ValueDialog,
)
from ui.exchange_page import ExchangePage
from ui.operations import run_with_progress
from ui.tables import SortProxy

WAIT = 10_000


# --- set-up -------------------------------------------------------------------------------------


def _page(qtbot: QtBot, store: Store) -> ExchangePage:
    return shown(qtbot, ExchangePage(store, today=lambda: DEMO_TODAY))


def _focal_institution(store: Store) -> uuid.UUID:
    """The demo institution leading the most recommendations, with warnings addressed to it."""
    with store.reader() as session:
        return session.execute(
            select(Institution.id)
            .join(Recommendation, Recommendation.lead_institution_id == Institution.id)
            .where(Institution.id.in_(select(warning_addressee.c.institution_id)))
            .group_by(Institution.id).order_by(func.count(Recommendation.id).desc()).limit(1)
        ).scalar_one()


def _open_recommendation(store: Store, institution_id: uuid.UUID) -> uuid.UUID:
    """One of its recommendations that can take a progress report dated 20 November."""
    with store.reader() as session:
        recs = session.scalars(select(Recommendation).where(
            Recommendation.lead_institution_id == institution_id,
            Recommendation.confidential.is_(False),
            Recommendation.made_on <= date(2026, 11, 19),
            Recommendation.status.not_in([RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE]),
        ).order_by(Recommendation.id)).all()
        return next(r.id for r in recs if all(u.on < date(2026, 11, 19) for u in r.updates))


def _set(book: Any, sheet: str, record_id: uuid.UUID, header: str, value: object) -> int:
    """Type a value in a record's row under a header, as a person would; the row's number."""
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    id_column = headers.index("r2pdesk ID") + 1
    for number in range(2, ws.max_row + 1):
        if ws.cell(number, id_column).value == str(record_id):
            ws.cell(number, headers.index(header) + 1).value = value
            return number
    raise AssertionError(f"{record_id} is not in {sheet}")


def _edited(path: Path, target: Path, *edits: tuple[str, uuid.UUID, str, object]) -> Path:
    book = load_workbook(path)
    for edit in edits:
        _set(book, *edit)
    book.save(target)
    return target


def _export(qtbot: QtBot, page: ExchangePage, path: Path) -> None:
    page.exported = None
    page.export_to(path)
    qtbot.waitUntil(lambda: page.exported is not None and not page.busy, timeout=WAIT)


def _preview(qtbot: QtBot, page: ExchangePage, path: Path) -> None:
    page.preview_file(path)
    qtbot.waitUntil(lambda: page.plan is not None and not page.busy, timeout=WAIT)


def _apply(qtbot: QtBot, page: ExchangePage) -> None:
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.apply_button.click()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.plan is None


def _rows(page: ExchangePage) -> list[PreviewRow]:
    return [page.preview_model.row_at(r) for r in range(page.preview_model.rowCount())]


def _state(store: Store) -> tuple[object, ...]:
    """What an import would change: records, bookkeeping, the audit trail's tip."""
    with store.reader() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(model))
                       for model in (ProgressUpdate, ExchangeRow, ExchangeConflict))
        statuses = tuple(session.execute(select(Recommendation.id, Recommendation.status)
                                         .order_by(Recommendation.id)).all())
        tip = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    return counts, statuses, tip


# --- a focal point's workbook, out and back ------------------------------------------------------


def test_a_focal_point_workbook_goes_out_and_comes_back(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    institution = _focal_institution(demo_store)
    rec_id = _open_recommendation(demo_store, institution)
    page = _page(qtbot, demo_store)
    assert page.institution.set_value(institution)
    path = tmp_path / "focal.xlsx"
    _export(qtbot, page, path)
    assert path.exists()
    assert page.exported is not None
    assert page.exported.rows["Recommendations"] > 0
    assert page.export_status.text().startswith("Wrote ")
    assert str(path) in page.export_status.text()
    with demo_store.reader() as session:
        export = session.get(ExchangeExport, page.exported.export_id)
        assert export is not None
        assert export.institution_id == institution

    # The focal point reports: the recommendation is implemented, with a note.
    returned = _edited(path, tmp_path / "returned.xlsx",
                       ("Recommendations", rec_id, "Status", "implemented"),
                       ("Recommendations", rec_id, "New progress note", "Law adopted.  "),
                       ("Recommendations", rec_id, "Progress date", "20 Nov 2026"))
    _preview(qtbot, page, returned)
    rows = _rows(page)
    (report,) = [r for r in rows if r.kind is RowKind.NEW]
    assert (report.sheet, report.field, report.theirs) == (
        "Recommendations", "Progress report", "Implemented")
    assert report.ours != "Implemented"
    assert "2026-11-20" in report.details
    assert "Law adopted." in report.details
    assert {r.kind for r in rows} == {RowKind.NEW, RowKind.UNCHANGED}
    assert "1 new" in page.preview_header.text()
    assert "returned.xlsx" in page.preview_header.text()
    assert page.apply_button.isEnabled()
    qtmodeltester.check(page.preview_model)
    qtmodeltester.check(page.preview_proxy)

    page.show_unchanged.setChecked(False)  # the rows that change nothing put aside
    assert page.preview_proxy.rowCount() == 1
    page.show_unchanged.setChecked(True)
    assert page.preview_proxy.rowCount() == len(rows)

    _apply(qtbot, page)
    assert "Applied returned.xlsx" in page.import_status.text()
    assert page.preview_model.rowCount() == 0
    assert not page.apply_button.isEnabled()
    with demo_store.reader() as session:
        found = session.get(Recommendation, rec_id)
        assert found is not None
        assert found.status is RecStatus.IMPLEMENTED
        assert found.updates[-1].narrative == "Law adopted."

    # The same file again changes nothing.
    before = _state(demo_store)
    _preview(qtbot, page, returned)
    assert {r.kind for r in _rows(page)} == {RowKind.UNCHANGED}
    page.cancel_button.click()
    assert page.plan is None
    assert "was not imported" in page.import_status.text()
    assert _state(demo_store) == before


# --- conflicts -----------------------------------------------------------------------------------


def _full_workbook_with_conflicts(
    qtbot: QtBot, page: ExchangePage, store: Store, tmp_path: Path
) -> tuple[Path, dict[str, uuid.UUID]]:
    """A full workbook edited by another member while this database changed the same fields;
    one of its rows has a date that could be read two ways."""
    path = tmp_path / "full.xlsx"
    page.full_choice.setChecked(True)
    _export(qtbot, page, path)
    with store.session() as session:
        first, second = session.scalars(select(Institution).order_by(Institution.name)).all()[:2]
        first.phone = "+1 555 0100"
        second.email = "desk@here.example"
        rec_id = session.scalars(select(Recommendation.id).order_by(Recommendation.id)).first()
        assert rec_id is not None
        ids = {"first": first.id, "second": second.id, "rec": rec_id}
    edited = _edited(path, tmp_path / "from-member.xlsx",
                     ("Institutions", ids["first"], "Phone", "+1 555 0199"),
                     ("Institutions", ids["first"], "Notes", "Reorganised in November."),
                     ("Institutions", ids["second"], "E-mail", "other@there.example"),
                     ("Recommendations", ids["rec"], "Made on", "03/04/2026"))
    return edited, ids


def test_conflicts_are_previewed_then_decided(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    page = _page(qtbot, demo_store)
    edited, ids = _full_workbook_with_conflicts(qtbot, page, demo_store, tmp_path)
    _preview(qtbot, page, edited)
    rows = _rows(page)
    kinds = {r.kind for r in rows}
    assert {RowKind.UPDATED, RowKind.CONFLICT, RowKind.REJECTED} <= kinds
    conflicts = {(r.field, r.ours, r.theirs) for r in rows if r.kind is RowKind.CONFLICT}
    assert ("Phone", "+1 555 0100", "+1 555 0199") in conflicts
    assert ("E-mail", "desk@here.example", "other@there.example") in conflicts
    (rejected,) = [r for r in rows if r.kind is RowKind.REJECTED]
    assert (rejected.sheet, rejected.field) == ("Recommendations", "Made on")
    assert "could be 3 April 2026 or 4 March 2026" in rejected.details
    assert "1 row rejected (1 problem)" in page.preview_header.text()
    assert [r.kind for r in rows] == sorted(r.kind for r in rows)  # new, updated, conflict...
    qtmodeltester.check(page.preview_model)
    qtmodeltester.check(page.preview_proxy)
    page.tabs.setCurrentIndex(1)
    page.preview_table.setFocus()
    shot = page.grab()
    assert (shot.width(), shot.height()) == (1400, 850)
    assert shot.save(str(output_dir("screenshots") / "exchange-preview.png"))

    _apply(qtbot, page)
    assert page.tabs.tabText(2) == "&Conflicts (2)"
    assert "2 conflicts to decide under Conflicts" in page.import_status.text()
    with demo_store.reader() as session:
        first = session.get(Institution, ids["first"])
        assert first is not None
        assert first.notes == "Reorganised in November."  # changed only there: applied
        assert first.phone == "+1 555 0100"  # changed on both sides: kept, to decide
    page.tabs.setCurrentIndex(2)
    fields = [page.conflicts_model.row_at(r).field
              for r in range(page.conflicts_model.rowCount())]
    assert sorted(fields) == ["email", "phone"]
    qtmodeltester.check(page.conflicts_model)
    qtmodeltester.check(page.conflicts_proxy)
    page.conflicts_table.selectRow(fields.index("phone"))
    assert page.grab().save(str(output_dir("screenshots") / "exchange-conflicts.png"))

    # Take the workbook's phone number.
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.take_button.click()
    qtbot.waitUntil(lambda: page.conflicts_model.rowCount() == 1 and not page.busy)
    assert page.tabs.tabText(2) == "&Conflicts (1)"
    assert page.conflict_status.text() == "1 conflict decided."
    with demo_store.reader() as session:
        first = session.get(Institution, ids["first"])
        assert first is not None
        assert first.phone == "+1 555 0199"

    # Write another e-mail address of one's own.
    page.conflicts_table.selectRow(0)
    page.edit_button.click()
    dialog = opened(qtbot, page, ValueDialog)
    assert dialog.edit is not None
    assert dialog.value() == "desk@here.example"  # prefilled with this database's
    dialog.edit.setText("focal@ministry.example")
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        dialog.accept()
    qtbot.waitUntil(lambda: page.conflicts_model.rowCount() == 0 and not page.busy)
    assert page.tabs.tabText(2) == "&Conflicts"
    assert not page.take_button.isEnabled()
    with demo_store.reader() as session:
        second = session.get(Institution, ids["second"])
        assert second is not None
        assert second.email == "focal@ministry.example"


def test_a_value_refused_leaves_the_conflict_open(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = _page(qtbot, demo_store)
    edited, _ids = _full_workbook_with_conflicts(qtbot, page, demo_store, tmp_path)
    _preview(qtbot, page, edited)
    _apply(qtbot, page)
    rows = [page.conflicts_model.row_at(r) for r in range(page.conflicts_model.rowCount())]
    phone = next(r for r in rows if r.field == "phone")
    page.resolve([(phone, "x" * 400)])  # longer than a phone number can be
    qtbot.waitUntil(lambda: page.message is not None and not page.busy, timeout=WAIT)
    assert page.message is not None
    assert page.conflict_status.text().startswith("Not decided: ")
    assert page.conflicts_model.rowCount() == 2
    page.message.close()

    page.keep_database()  # nothing chosen
    assert page.message is not None
    assert "Choose the conflicts" in page.message.text()


def test_the_value_dialog_offers_the_choices_of_the_field(qtbot: QtBot) -> None:
    def conflict(field: str, ours: Plain, theirs: Plain) -> ConflictRow:
        return ConflictRow(ConflictId(uuid.uuid4()), "recommendation", uuid.uuid4(), "2016-MS-04",
                           field, None, ours, theirs, ours, "fp.xlsx", "Recommendations", 3)

    priority = ValueDialog(conflict("priority", "high", "low"))
    qtbot.addWidget(priority)
    assert priority.choice is not None
    assert priority.choice.currentText() == "High"
    assert priority.value() == "high"
    assert priority.choice.set_value("medium")
    assert priority.value() == "medium"
    flag = ValueDialog(conflict("confidential", ours=True, theirs=False))
    qtbot.addWidget(flag)
    assert flag.value() is True
    due = ValueDialog(conflict("due_on", "2026-12-31", None))
    qtbot.addWidget(due)
    assert due.edit is not None
    assert due.value() == "2026-12-31"
    assert due.edit.placeholderText() == "2026-11-21"


# --- refusals ------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_changes(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    wrong = tmp_path / "minutes.xlsx"
    wrong.write_text("Minutes of the meeting of 12 November.\n", encoding="utf-8")
    with demo_store.reader() as session, pytest.raises(ExchangeFileError) as refused:
        preview(session, wrong, today=DEMO_TODAY)
    before = _state(demo_store)
    page = _page(qtbot, demo_store)
    page.preview_file(wrong)
    qtbot.waitUntil(lambda: page.message is not None and not page.busy, timeout=WAIT)
    assert page.message is not None
    assert page.message.text() == str(refused.value)
    assert page.import_status.text() == f"Not imported: {refused.value}"
    assert page.plan is None
    assert page.preview_model.rowCount() == 0
    assert not page.apply_button.isEnabled()
    assert _state(demo_store) == before


def test_a_failed_export_says_why(qtbot: QtBot, demo_store: Store, tmp_path: Path) -> None:
    with demo_store.session() as session:
        gone = Institution(name="Ministry merged last week")
        session.add(gone)
        session.flush()
        gone_id = gone.id
    page = _page(qtbot, demo_store)
    assert page.institution.set_value(gone_id)
    with demo_store.session() as session:  # deleted on another page meanwhile
        session.delete(session.get(Institution, gone_id))
    target = tmp_path / "merged.xlsx"
    page.export_to(target)
    qtbot.waitUntil(lambda: page.message is not None and not page.busy, timeout=WAIT)
    assert page.export_status.text() == "Not exported: institution: not in the database"
    assert not target.exists()
    with demo_store.reader() as session:  # the export is not remembered either
        assert session.scalar(select(func.count()).select_from(ExchangeExport)) == 0


def test_the_file_dialogs_lead_to_export_and_preview(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = _page(qtbot, demo_store)
    page.full_choice.setChecked(True)
    page.choose_export_path()
    dialog = page.dialog
    assert dialog is not None
    target = tmp_path / "chosen.xlsx"
    dialog.fileSelected.emit(str(target))  # type: ignore[attr-defined]
    dialog.close()
    qtbot.waitUntil(lambda: page.exported is not None and not page.busy, timeout=WAIT)
    assert target.exists()
    page.choose_workbook()
    dialog = page.dialog
    assert dialog is not None
    dialog.fileSelected.emit(str(target))  # type: ignore[attr-defined]
    dialog.close()
    qtbot.waitUntil(lambda: page.plan is not None and not page.busy, timeout=WAIT)
    assert {r.kind for r in _rows(page)} == {RowKind.UNCHANGED}


# --- models and operations ----------------------------------------------------------------------


def test_empty_models_pass_the_model_tester(qapp: object, qtmodeltester: ModelTester) -> None:
    preview_model = PreviewModel()
    proxy = PreviewProxy()
    proxy.setSourceModel(preview_model)
    qtmodeltester.check(preview_model)
    qtmodeltester.check(proxy)
    conflicts = ConflictsModel()
    conflict_proxy = SortProxy()
    conflict_proxy.setSourceModel(conflicts)
    qtmodeltester.check(conflicts)
    qtmodeltester.check(conflict_proxy)


def test_an_operation_with_progress_reports_and_succeeds(qtbot: QtBot) -> None:
    results: list[int] = []

    def work(progress: Any) -> int:
        for done in range(1, 6):
            progress(done, 5)
        return 42

    dialog = run_with_progress(None, "Working…", work, results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=WAIT)
    assert not dialog.isVisible()


def test_an_operation_with_progress_can_be_cancelled(qtbot: QtBot) -> None:
    started, finished = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def work(progress: Any) -> None:
        started.set()
        try:
            for done in range(10_000):
                progress(done, 10_000)
                time.sleep(0.005)
        finally:
            finished.set()

    dialog = run_with_progress(None, "Working…", work, lambda _r: outcomes.append("done"),
                               on_cancel=lambda: outcomes.append("cancelled"))
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.maximum() == 10_000, timeout=WAIT)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    cancel.click()
    qtbot.waitUntil(lambda: outcomes == ["cancelled"], timeout=WAIT)
    assert finished.is_set()


def test_an_operation_with_progress_reports_a_failure(qtbot: QtBot) -> None:
    from r2pdesk.errors import KnownError

    def work(_progress: Any) -> None:
        raise KnownError("the disk is full")

    messages: list[str] = []
    run_with_progress(None, "Working…", work, lambda _r: None, on_failure=messages.append)
    qtbot.waitUntil(lambda: messages == ["the disk is full"], timeout=WAIT)


def test_an_export_can_be_cancelled_and_writes_nothing(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.exchange_page
    from r2pdesk.exchange.workbook import export_full

    def slowly(session: Any, path: Path, *, progress: Any) -> Any:
        def report(done: int, total: int) -> None:
            time.sleep(0.02)  # a large database on a slow laptop
            progress(done, total)
        return export_full(session, path, progress=report)

    monkeypatch.setattr(ui.exchange_page, "export_full", slowly)
    page = _page(qtbot, demo_store)
    page.full_choice.setChecked(True)
    out = tmp_path / "out"
    out.mkdir()
    page.export_to(out / "all.xlsx")
    (dialog,) = page.findChildren(QProgressDialog)
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=WAIT)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    cancel.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.export_status.text() == "Export cancelled; nothing was written."
    assert page.exported is None
    assert list(out.iterdir()) == []  # no workbook, not even a part of one
    with demo_store.reader() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeExport)) == 0
