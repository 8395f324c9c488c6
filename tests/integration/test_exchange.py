"""The Excel exchange on real files: focal-point and full workbooks written, edited as people edit
them, previewed and merged three ways into the demo database."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.earlywarning.models import EarlyWarning, WarningResponse, warning_addressee
from r2pdesk.exchange.models import ExchangeConflict, ExchangeRow
from r2pdesk.exchange.plan import Action, ImportPlan
from r2pdesk.exchange.service import (
    StalePlanError,
    apply,
    conflicts,
    preview,
    resolve_conflict,
)
from r2pdesk.exchange.sheets import META_SHEET
from r2pdesk.exchange.workbook import export_focal_point, export_full
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import (
    Priority,
    ProgressUpdate,
    Recommendation,
    RecStatus,
)
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY

TODAY = DEMO_TODAY
MODELS = (Institution, Recommendation, ProgressUpdate, EarlyWarning, WarningResponse)
SKIP = {"updated_at", "revision"}


def records(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every exchanged record's fields, by table (revisions and update times aside)."""
    found = {}
    for model in MODELS:
        columns = [c for c in model.__table__.columns if c.name not in SKIP]
        rows = session.execute(select(*columns).order_by(model.id)).all()
        found[model.__tablename__] = [tuple(str(v) for v in row) for row in rows]
    return found


def digest(session: Session) -> str:
    """Table counts, every record and the audit tip: equal when nothing was written."""
    tip = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    counts = [session.scalar(select(func.count()).select_from(m)) for m in MODELS]
    payload = json.dumps([records(session), counts, tip], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def focal_institution(session: Session) -> Institution:
    """The demo institution that leads the most recommendations and has open warnings."""
    leads = func.count(Recommendation.id)
    return session.execute(
        select(Institution).join(Recommendation, Recommendation.lead_institution_id
                                 == Institution.id)
        .where(Institution.id.in_(select(warning_addressee.c.institution_id)))
        .group_by(Institution.id).order_by(leads.desc()).limit(1)
    ).scalar_one()


def export(store: Store, path: Path, *, full: bool = False) -> uuid.UUID:
    with store.session() as session:
        if full:
            return export_full(session, path).export_id
        return export_focal_point(session, focal_institution(session).id, path).export_id


def plan_of(store: Store, path: Path) -> ImportPlan:
    with store.reader() as session:
        return preview(session, path, today=TODAY)


def import_file(store: Store, path: Path) -> ImportPlan:
    with store.session() as session:
        plan = preview(session, path, today=TODAY)
        apply(session, plan)
    return plan


# --- editing a workbook as a person would -------------------------------------------------------


def sheet_rows(ws: Worksheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def edit(path: Path, target: Path, change: Callable[[Any], None]) -> Path:
    book = load_workbook(path)
    change(book)
    book.save(target)
    return target


def set_cell(book: Any, sheet: str, record_id: uuid.UUID | str, header: str, value: Any) -> int:
    """Give a record's row a value in the column of that header; the row's number."""
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    column = headers.index(header) + 1
    id_column = headers.index("r2pdesk ID") + 1
    for number in range(2, ws.max_row + 1):
        if ws.cell(number, id_column).value == str(record_id):
            ws.cell(number, column).value = value
            return number
    raise AssertionError(f"{record_id} not in {sheet}")


def rewrite(book: Any, sheet: str, rows: list[list[Any]]) -> None:
    """Replace a sheet's content (as a person re-typing it elsewhere would), keeping its place."""
    index = book.sheetnames.index(sheet)
    del book[sheet]
    ws = book.create_sheet(sheet, index)
    for row in rows:
        ws.append(row)


@pytest.fixture
def store(demo_store: Store) -> Store:
    """Every test here works on a copy of the demo database."""
    return demo_store


def open_recommendations(session: Session, institution: Institution) -> list[Recommendation]:
    """Its open recommendations that can take a progress report dated 19 to 21 November."""
    recs = session.scalars(select(Recommendation).where(
        Recommendation.lead_institution_id == institution.id,
        Recommendation.confidential.is_(False),
        Recommendation.made_on <= date(2026, 11, 19),
        Recommendation.status.not_in([RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE]),
    ).order_by(Recommendation.id)).all()
    return [r for r in recs if all(u.on < date(2026, 11, 19) for u in r.updates)]


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("full", [False, True], ids=["focal_point", "full"])
def test_a_round_trip_changes_nothing(store: Store, tmp_path: Path, full: bool) -> None:
    path = tmp_path / "out.xlsx"
    export(store, path, full=full)
    with store.reader() as session:
        before = digest(session)
    plan = import_file(store, path)
    assert not plan.changes
    assert not plan.conflicts
    assert not plan.rejected
    assert len(plan.unchanged) == len(plan.workbook.rows) > 0
    with store.reader() as session:
        assert digest(session) == before
        assert verify_chain(session) is None


def test_the_focal_point_workbook_can_be_worked_with(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        institution = focal_institution(session)
        hidden = session.scalars(select(Recommendation).where(
            Recommendation.lead_institution_id == institution.id)).first()
        assert hidden is not None
        hidden.confidential = True
        secret_id = hidden.id
    path = tmp_path / "fp.xlsx"
    export(store, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", "Recommendations", "Warnings", META_SHEET]
    assert book[META_SHEET].sheet_state == "hidden"
    recs = book["Recommendations"]
    headers = [c.value for c in recs[1]]
    assert headers == ["Reference", "Recommendation", "Due", "Status", "New progress note",
                       "Progress date", "Evidence reference", "Last progress recorded",
                       "r2pdesk ID"]
    assert recs.freeze_panes == "B2"
    assert recs.protection.sheet
    assert not recs.protection.autoFilter
    assert recs.column_dimensions["B"].width == 60
    assert recs["B2"].alignment.wrap_text
    assert recs["B2"].protection.locked  # the text is locked
    assert not recs["D2"].protection.locked  # the status is not
    assert not recs["E2"].protection.locked
    assert recs["C2"].number_format == "yyyy-mm-dd"
    lists = [dv for dv in recs.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == (
        '"Not started,In progress,Partially implemented,Implemented,Not implemented,'
        'Not applicable"')
    assert str(lists[0].sqref).startswith("D2:")
    ids = {row[-1] for row in sheet_rows(recs)[1:]}
    assert str(secret_id) not in ids
    warnings = book["Warnings"]
    assert [c.value for c in warnings[1]][:5] == [
        "Reference", "Warning", "Severity", "Response due", "Response date"]
    assert warnings.max_row >= 2
    intro = " ".join(str(row[0]) for row in sheet_rows(book["Instructions"]))
    assert "What to do" in intro
    assert "03/04/2027" in intro


def test_a_workbook_edited_as_a_person_would_imports_the_intended_changes(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    with store.reader() as session:
        one, two, three = open_recommendations(session, focal_institution(session))[:3]
        ids = (one.id, two.id, three.id)
        third_status = three.status
        second_status = (RecStatus.PARTIALLY_IMPLEMENTED if two.status is not
                         RecStatus.PARTIALLY_IMPLEMENTED else RecStatus.NOT_IMPLEMENTED)

    def as_people_do(book: Any) -> None:
        set_cell(book, "Recommendations", ids[0], "Status", "IMPLEMENTED")
        set_cell(book, "Recommendations", ids[0], "New progress note",
                 "  Law adopted by parliament.  ")
        set_cell(book, "Recommendations", ids[0], "Progress date", "21 Nov 2026")
        set_cell(book, "Recommendations", ids[1], "Status", second_status.value)
        set_cell(book, "Recommendations", ids[1], "Progress date", "20/11/2026")
        set_cell(book, "Recommendations", ids[2], "New progress note", "Workshop held.")
        set_cell(book, "Recommendations", ids[2], "Progress date", datetime(2026, 11, 19))
        set_cell(book, "Recommendations", ids[2], "Evidence reference", "Minutes 12/2026 ")
        rows = sheet_rows(book["Recommendations"])
        header, data = rows[0], rows[1:]
        status = header.index("Status")
        move = [i for i in range(len(header)) if i != status] + [status]  # Status moved last
        reordered = [["My remarks"] + [r[i] for i in move] for r in [header]]
        body = [["ok"] + [r[i] for i in move] for r in reversed(data)]  # sorted the other way
        body.insert(2, [None] * len(reordered[0]))  # and a blank row
        rewrite(book, "Recommendations", reordered + body)

    edited = edit(path, tmp_path / "edited.xlsx", as_people_do)
    plan = import_file(store, edited)
    assert not plan.rejected
    assert not plan.conflicts
    assert not plan.updated
    reports = {c.record_id: c.fields for c in plan.created}
    assert set(reports) == set(ids)
    assert all(c.action is Action.PROGRESS for c in plan.created)
    assert reports[ids[0]]["status"] == "implemented"
    assert reports[ids[0]]["on"] == "2026-11-21"
    assert reports[ids[0]]["narrative"] == "Law adopted by parliament."
    assert reports[ids[1]]["status"] == second_status.value
    assert reports[ids[1]]["on"] == "2026-11-20"
    assert reports[ids[2]]["narrative"] == "Workshop held.\n\nEvidence: Minutes 12/2026"
    with store.reader() as session:
        institution = focal_institution(session)
        first, second, third = (session.get(Recommendation, i) for i in ids)
        assert first is not None
        assert second is not None
        assert third is not None
        assert first.status is RecStatus.IMPLEMENTED
        assert second.status is second_status
        assert third.status is third_status  # a note alone changes no status
        assert third.updates[-1].narrative == "Workshop held.\n\nEvidence: Minutes 12/2026"
        assert third.updates[-1].reported_by == institution.name


def test_responses_to_warnings_are_added_once(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    book = load_workbook(path)
    warning_id = sheet_rows(book["Warnings"])[1][-1]

    def respond(book: Any) -> None:
        set_cell(book, "Warnings", warning_id, "Response date", "2026-11-20")
        set_cell(book, "Warnings", warning_id, "Response", "action taken")
        set_cell(book, "Warnings", warning_id, "Action taken", "Patrols sent to the market.")

    edited = edit(path, tmp_path / "edited.xlsx", respond)
    with store.reader() as session:
        before = session.scalar(select(func.count()).select_from(WarningResponse))
    plan = import_file(store, edited)
    assert [c.action for c in plan.created] == [Action.RESPONSE]
    again = import_file(store, edited)
    assert not again.changes
    assert {u.reason for u in again.unchanged} >= {"already imported"}
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(WarningResponse)) == before + 1
        warning = session.get(EarlyWarning, uuid.UUID(warning_id))
        assert warning is not None
        assert warning.responses[-1].action_taken == "Patrols sent to the market."


def test_reimporting_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    with store.reader() as session:
        rec_id = open_recommendations(session, focal_institution(session))[0].id

    def report(book: Any) -> None:
        set_cell(book, "Recommendations", rec_id, "Status", "Implemented")
        set_cell(book, "Recommendations", rec_id, "Progress date", "2026-11-20")

    edited = edit(path, tmp_path / "edited.xlsx", report)
    import_file(store, edited)
    with store.session() as session:  # the secretariat changes the status again since
        found = session.get(Recommendation, rec_id)
        assert found is not None
        found.updates.append(ProgressUpdate(on=TODAY, status=RecStatus.IN_PROGRESS))
        found.status = RecStatus.IN_PROGRESS
    with store.reader() as session:
        before = digest(session)
    again = import_file(store, edited)
    assert not again.changes
    assert not again.conflicts
    with store.reader() as session:
        assert digest(session) == before
        assert session.scalar(select(func.count()).select_from(ExchangeConflict)) == 0


def test_concurrent_edits_produce_conflicts_and_lose_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "full.xlsx"
    export(store, path, full=True)
    with store.session() as session:  # edits in the database after the export
        first, second = session.scalars(select(Institution).order_by(Institution.name)).all()[:2]
        first.phone, first.email = "+1 555 0100", "desk@ministry.example"
        second.acronym = "SAME"
        rec, other = session.scalars(select(Recommendation).order_by(Recommendation.id)).all()[:2]
        exported_priority = other.priority
        db_priority, wb_priority = (p for p in Priority if p is not exported_priority)
        other.priority = db_priority
        ids = first.id, second.id, rec.id, other.id

    def elsewhere(book: Any) -> None:  # edits in the workbook
        set_cell(book, "Institutions", ids[0], "Phone", "+1 555 0199")
        set_cell(book, "Institutions", ids[0], "Notes", "Reorganised in November.")
        set_cell(book, "Institutions", ids[1], "Acronym", "SAME")
        set_cell(book, "Recommendations", ids[2], "Text", "A clearer text, from the workbook.")
        set_cell(book, "Recommendations", ids[3], "Priority", wb_priority.value.upper())

    edited = edit(path, tmp_path / "edited.xlsx", elsewhere)
    plan = import_file(store, edited)
    assert not plan.rejected
    assert {(c.table, c.record_id, tuple(c.fields)) for c in plan.updated} == {
        ("institution", ids[0], ("notes",)),
        ("recommendation", ids[2], ("text",)),
    }
    assert {(c.record_id, c.field, c.ours, c.theirs) for c in plan.conflicts} == {
        (ids[0], "phone", "+1 555 0100", "+1 555 0199"),
        (ids[3], "priority", db_priority.value, wb_priority.value),
    }
    with store.session() as session:
        first = session.get(Institution, ids[0])
        assert first is not None
        assert first.email == "desk@ministry.example"  # changed only here: kept
        assert first.notes == "Reorganised in November."  # changed only there: applied
        assert first.phone == "+1 555 0100"  # changed on both sides: kept, pending review
        open_ = {c.field: c for c in conflicts(session)}
        assert set(open_) == {"phone", "priority"}
        assert open_["phone"].theirs == "+1 555 0199"
        resolve_conflict(session, open_["phone"].id, open_["phone"].theirs, today=TODAY)
        resolve_conflict(session, open_["priority"].id, open_["priority"].ours, today=TODAY)
    with store.reader() as session:
        assert conflicts(session) == []
        first, other = session.get(Institution, ids[0]), session.get(Recommendation, ids[3])
        assert first is not None
        assert other is not None
        assert first.phone == "+1 555 0199"
        assert other.priority is db_priority
        assert verify_chain(session) is None


def test_a_status_reported_on_both_sides_is_a_conflict_resolved_through_progress(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    with store.session() as session:
        rec = open_recommendations(session, focal_institution(session))[0]
        changed = (RecStatus.NOT_IMPLEMENTED if rec.status is not RecStatus.NOT_IMPLEMENTED
                   else RecStatus.IN_PROGRESS)
        rec.updates.append(ProgressUpdate(on=date(2026, 11, 19), status=changed))
        rec.status = changed

    def report(book: Any) -> None:
        set_cell(book, "Recommendations", rec.id, "Status", "Implemented")
        set_cell(book, "Recommendations", rec.id, "New progress note", "All done.")
        set_cell(book, "Recommendations", rec.id, "Progress date", "2026-11-20")

    plan = import_file(store, edit(path, tmp_path / "edited.xlsx", report))
    assert [(c.field, c.ours, c.theirs) for c in plan.conflicts] == [
        ("status", changed.value, "implemented")]
    with store.session() as session:
        (conflict,) = conflicts(session)
        resolve_conflict(session, conflict.id, "In progress", today=TODAY)
        found = session.get(Recommendation, rec.id)
        assert found is not None
        assert found.status is RecStatus.IN_PROGRESS
        narratives = [u.narrative for u in found.updates]
        assert "All done." in narratives  # the report itself is kept in the history


def test_merge_orders_give_the_same_result(demo_db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "full.xlsx"
    store = open_store(demo_db_path, member="secretariat")
    try:
        export(store, path, full=True)
        with store.reader() as session:
            first = session.scalars(select(Institution).order_by(Institution.name)).first()
            recs = session.scalars(select(Recommendation).order_by(Recommendation.id)).all()
            assert first is not None
            ids = first.id, recs[0].id, recs[1].id
    finally:
        store.close()

    def by_a(book: Any) -> None:
        set_cell(book, "Institutions", ids[0], "Phone", "+1 555 0101")
        set_cell(book, "Recommendations", ids[1], "Source reference", "A's reference")

    def by_b(book: Any) -> None:
        set_cell(book, "Institutions", ids[0], "Phone", "+1 555 0102")
        set_cell(book, "Institutions", ids[0], "Notes", "B's note")
        set_cell(book, "Recommendations", ids[2], "Due", "31 Dec 2027")

    a = edit(path, tmp_path / "a.xlsx", by_a)
    b = edit(path, tmp_path / "b.xlsx", by_b)
    results = []
    for order in ((a, b), (b, a)):
        copy = tmp_path / f"{order[0].stem}-first.db"
        shutil.copyfile(demo_db_path, copy)
        merged = open_store(copy, member="secretariat")
        try:
            for workbook in order:
                import_file(merged, workbook)
            with merged.session() as session:
                pending = conflicts(session)
                assert [(c.field, {c.ours, c.theirs}) for c in pending] == [
                    ("phone", {"+1 555 0101", "+1 555 0102"})]
                for conflict in pending:  # the person chooses the same, whatever the order
                    resolve_conflict(session, conflict.id, "+1 555 0102", today=TODAY)
            with merged.reader() as session:
                results.append(records(session))
        finally:
            merged.close()
    assert results[0] == results[1]


def test_rejected_rows_are_named_by_sheet_row_and_column(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    with store.reader() as session:
        recs = [r.id for r in open_recommendations(session, focal_institution(session))]
    book = load_workbook(path)
    warning_id = sheet_rows(book["Warnings"])[1][-1]
    rows: dict[str, int] = {}

    def mistakes(book: Any) -> None:
        sheet = "Recommendations"
        rows["ambiguous"] = set_cell(book, sheet, recs[0], "Progress date", "03/04/2026")
        set_cell(book, sheet, recs[0], "New progress note", "Something")
        rows["undated"] = set_cell(book, sheet, recs[1], "New progress note", "No date")
        rows["status"] = set_cell(book, sheet, recs[2], "Status", "Done")
        rows["formula"] = set_cell(book, sheet, recs[3], "New progress note", "=1+1")
        rows["locked"] = set_cell(book, sheet, recs[4], "Recommendation", "Rewritten")
        rows["good"] = set_cell(book, sheet, recs[5], "New progress note", "Fine.")
        set_cell(book, sheet, recs[5], "Progress date", "2026-11-20")
        rows["response"] = set_cell(book, "Warnings", warning_id, "Response", "Action taken")
        set_cell(book, "Warnings", warning_id, "Response date", "2026-11-20")

    plan = import_file(store, edit(path, tmp_path / "edited.xlsx", mistakes))
    found = {(i.sheet, i.row, i.column): i.message for i in plan.rejected}
    expected = {
        ("Recommendations", rows["ambiguous"], "Progress date"): "could be 3 April 2026 or 4 "
                                                                  "March 2026",
        ("Recommendations", rows["undated"], "Progress date"): "give the date",
        ("Recommendations", rows["status"], "Status"): "'Done' is not one of",
        ("Recommendations", rows["formula"], "New progress note"): "a formula (=1+1)",
        ("Recommendations", rows["locked"], "Recommendation"): "kept as r2pdesk exported it",
        ("Warnings", rows["response"], "Action taken"): "say what was done",
    }
    assert set(found) == set(expected)
    for where, fragment in expected.items():
        assert fragment in found[where]
    assert [(c.sheet, c.row) for c in plan.created] == [("Recommendations", rows["good"])]
    json.dumps(plan.as_json())  # plain JSON throughout


def test_a_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fp.xlsx"
    export(store, path)
    with store.reader() as session:
        rec_id = open_recommendations(session, focal_institution(session))[0].id
        before = digest(session)
    edited = edit(path, tmp_path / "edited.xlsx", lambda book: (
        set_cell(book, "Recommendations", rec_id, "Status", "Implemented"),
        set_cell(book, "Recommendations", rec_id, "Progress date", "2026-11-20"),
    ))
    with store.session() as session:  # even in a session that commits
        plan = preview(session, edited, today=TODAY)
    assert len(plan.created) == 1
    with store.reader() as session:
        assert digest(session) == before
        assert session.scalar(select(func.count()).select_from(ExchangeRow)) == 0


def test_a_plan_made_stale_by_another_edit_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "full.xlsx"
    export(store, path, full=True)
    with store.reader() as session:
        institution_id = session.scalars(select(Institution.id)).first()
    edited = edit(path, tmp_path / "edited.xlsx", lambda book: set_cell(
        book, "Institutions", institution_id, "Notes", "From the workbook."))
    with store.reader() as session:
        plan = preview(session, edited, today=TODAY)
    with store.session() as session:
        found = session.get(Institution, institution_id)
        assert found is not None
        found.phone = "+1 555 0142"
    with store.reader() as session:
        before = digest(session)
    with pytest.raises(StalePlanError, match="preview the import again"), store.session() as s:
        apply(s, plan)
    with store.reader() as session:
        assert digest(session) == before


def test_the_full_workbook_brings_every_record_to_another_laptop(
    demo_store: Store, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "full.xlsx"
    export(demo_store, path, full=True)
    with demo_store.reader() as session:
        source = records(session)
        statuses = dict(session.execute(select(Recommendation.id, Recommendation.status)).all())
    other = open_store(db_path, member="member-b")
    try:
        plan = import_file(other, path)
        assert not plan.rejected, plan.rejected[:3]
        assert not plan.updated
        assert {c.action for c in plan.created} == {Action.CREATE}
        assert len(plan.created) == sum(len(rows) for rows in source.values())
        with other.reader() as session:
            copied = records(session)
            for table in ("institution", "progress_update", "early_warning", "warning_response"):
                assert copied[table] == source[table], table
            assert dict(session.execute(
                select(Recommendation.id, Recommendation.status)).all()) == statuses
            assert verify_chain(session) is None
        again = import_file(other, path)
        assert not again.changes
    finally:
        other.close()


def test_a_record_deleted_here_is_not_brought_back(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "full.xlsx"
    export(store, path, full=True)
    with store.session() as session:
        institution = Institution(name="Short-lived office")
        session.add(institution)
    export(store, path, full=True)
    with store.session() as session:
        found = session.get(Institution, institution.id)
        session.delete(found)
    plan = plan_of(store, path)
    (issue,) = plan.rejected
    assert issue.sheet == "Institutions"
    assert issue.column == "r2pdesk ID"
    assert "was deleted here on" in issue.message
