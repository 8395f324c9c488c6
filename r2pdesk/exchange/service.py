"""The exchange's use cases: preview an import, apply it in one transaction, list the conflicts
it left and resolve them.

`preview` reads and plans (see `exchange.plan` for the rules) and writes nothing; `apply` writes
the plan inside the caller's transaction, and any failure leaves the database as it was, since
the caller's session rolls back. A plan is refused (`StalePlanError`) if a record it read changed
in between, so what a person confirmed is what is written.

Both take an optional `progress(done, total)` callback, called every few hundred rows; what it
raises (a cancel) stops the work there: a preview returns nothing, an apply writes nothing once
the caller's session rolls back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.audit import Actor
from r2pdesk.errors import InputError, KnownError
from r2pdesk.exchange.checks import MODELS, Checker, label_of
from r2pdesk.exchange.focal import plan_focal_row
from r2pdesk.exchange.models import (
    ConflictId,
    ConflictStatus,
    ExchangeConflict,
    ExchangeExport,
    ExchangeRow,
    ExportKind,
)
from r2pdesk.exchange.plan import ImportPlan, Planner, normal
from r2pdesk.exchange.reader import PROGRESS_ROWS, ParsedRow, read_exchange, read_value
from r2pdesk.exchange.sheets import FP_RECOMMENDATIONS, SHEETS, Column, field_values
from r2pdesk.exchange.values import CellError, Plain
from r2pdesk.exchange.writers import WRITERS, update_fields
from r2pdesk.institutions.models import Institution
from r2pdesk.orm import utcnow
from r2pdesk.recommendations.models import Recommendation, RecStatus
from r2pdesk.recommendations.service import ProgressInput, add_progress

Progress = Callable[[int, int], None]  # (done, total)


class StalePlanError(KnownError):
    """The database changed between the preview and the apply: preview again."""


def _half(progress: Progress | None, which: int) -> Progress | None:
    """Progress of one half of a preview (0: reading, 1: planning) on one bar of 0-1000."""
    if progress is None:
        return None
    report = progress

    def moved(done: int, total: int) -> None:
        report(which * 500 + (500 * min(done, total) // total if total > 0 else 0), 1000)

    return moved


def _counted(rows: Iterable[ParsedRow], progress: Progress | None) -> Iterator[ParsedRow]:
    """The rows, `progress` told every PROGRESS_ROWS of them."""
    listed = list(rows)
    for done, row in enumerate(listed):
        if progress is not None and done % PROGRESS_ROWS == 0:
            progress(done, len(listed))
        yield row
    if progress is not None:
        progress(len(listed), len(listed))


def preview(
    session: Session, path: Path, *, today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read a workbook and work out every change it would make; nothing is written.

    Raises `ExchangeFileError` (a KnownError) when the file cannot be an exchange workbook.
    `progress` hears of the reading (the first half) and of the planning.
    """
    workbook = read_exchange(path, _half(progress, 0))
    planner = Planner(session, workbook, today or date.today())
    rows = _counted(workbook.rows, _half(progress, 1))
    if workbook.meta.kind is ExportKind.FOCAL_POINT:
        return planner.run(rows, plan_focal_row)
    return planner.run(rows, Planner.full_row)


def _check_fresh(session: Session, plan: ImportPlan) -> None:
    for table, record_id, revision in plan.seen:
        found = session.get(MODELS[table], record_id)
        if (None if found is None else found.revision) != revision:
            raise StalePlanError("The database changed since the preview (a record of the workbook "
                            "was edited); preview the import again.")
    done = set(session.scalars(select(ExchangeRow.digest).where(
        ExchangeRow.export_id == plan.workbook.meta.export_id)))
    if any(row.digest in done for row in plan.rows):
        raise StalePlanError("Part of this workbook was imported since the preview; preview the "
                        "import again.")


def _export(session: Session, plan: ImportPlan) -> ExchangeExport:
    """The export the workbook came from, remembered here if it was made on another laptop."""
    meta = plan.workbook.meta
    export = session.get(ExchangeExport, meta.export_id)
    if export is None:
        institution = meta.institution_id
        if institution is not None and session.get(Institution, institution) is None:
            institution = None
        export = ExchangeExport(id=meta.export_id, kind=meta.kind, institution_id=institution,
                                created_at=meta.exported_at, author=meta.author,
                                device=meta.device)
        session.add(export)
    if export.imported_at is None:
        export.imported_at = utcnow()
    return export


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def apply(
    session: Session, plan: ImportPlan, *, progress: Progress | None = None
) -> tuple[ConflictId, ...]:
    """Write a previewed plan: all of it, or (raising) none of it. The ids of the conflicts.

    `progress(changes written, changes)` is called every few hundred changes and before the
    bookkeeping is written."""
    if not plan.changes and not plan.conflicts and not plan.rows:
        return ()  # nothing new: not even the bookkeeping is touched
    _check_fresh(session, plan)
    export = _export(session, plan)
    total = len(plan.changes) + 1  # the last step: conflicts and rows remembered
    for done, change in enumerate(plan.changes):
        if progress is not None and done % PROGRESS_ROWS == 0:
            progress(done, total)
        try:
            WRITERS[change.action](session, change, plan.today)
        except InputError as exc:
            raise KnownError(f"Sheet '{change.sheet}', row {change.row}: {exc}. Nothing was "
                             "imported.") from exc
    if progress is not None:
        progress(total - 1, total)
    conflicts = [
        ExchangeConflict(
            id=uuid.uuid4(), export_id=export.id, table_name=c.table, record_id=c.record_id,
            field=c.field, base=_json(c.base), ours=_json(c.ours), theirs=_json(c.theirs),
            detail=_json(c.detail), source_file=plan.workbook.file_name[:300], sheet=c.sheet,
            row=c.row,
        )
        for c in plan.conflicts
    ]
    session.add_all(conflicts)
    session.add_all(ExchangeRow(export_id=export.id, digest=r.digest, sheet=r.sheet,
                                record_id=r.record_id) for r in plan.rows)
    session.flush()
    return tuple(ConflictId(c.id) for c in conflicts)


# --- conflicts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    """An open conflict as the conflict list shows it."""

    id: ConflictId
    table: str
    record_id: uuid.UUID
    label: str
    field: str
    base: Plain
    ours: Plain
    theirs: Plain
    current: Plain  # what the database holds now
    source_file: str
    sheet: str
    row: int

    def as_json(self) -> dict[str, object]:
        """The object `conflicts --json` prints."""
        return {"id": str(self.id), "table": self.table, "record_id": str(self.record_id),
                "label": self.label, "field": self.field, "base": self.base,
                "ours": self.ours, "theirs": self.theirs, "current": self.current,
                "source_file": self.source_file, "sheet": self.sheet, "row": self.row}


def column_of(table: str, field: str) -> Column:
    """The column of a record's field, as the full workbook has it."""
    for sheet in (*SHEETS[ExportKind.FULL], FP_RECOMMENDATIONS):
        if sheet.table == table:
            for column in sheet.fields:
                if column.key == field:
                    return column
    raise InputError(f"{table}.{field}: not a field the exchange knows")


def _current(session: Session, table: str, record_id: uuid.UUID) -> dict[str, Plain] | None:
    record = session.get(MODELS[table], record_id)
    if record is None:
        return None
    sheet = next(s for s in SHEETS[ExportKind.FULL] if s.table == table)
    return field_values(sheet, record)


def conflicts(session: Session) -> list[ConflictRow]:
    """The open conflicts, oldest first."""
    rows = []
    for c in session.scalars(select(ExchangeConflict).where(
        ExchangeConflict.status == ConflictStatus.OPEN
    ).order_by(ExchangeConflict.created_at, ExchangeConflict.sheet, ExchangeConflict.row)):
        current = _current(session, c.table_name, c.record_id)
        rows.append(ConflictRow(
            ConflictId(c.id), c.table_name, c.record_id,
            label_of(c.table_name, current or {}) if current else "(deleted)", c.field,
            json.loads(c.base), json.loads(c.ours), json.loads(c.theirs),
            None if current is None else current.get(c.field), c.source_file, c.sheet, c.row,
        ))
    return rows


def resolve_conflict(
    session: Session, conflict_id: uuid.UUID, value: Plain, *, today: date | None = None
) -> None:
    """Settle a conflict with a value: one of the two kept, or another a person writes."""
    conflict = session.get(ExchangeConflict, conflict_id)
    if conflict is None:
        raise InputError("conflict: not in the database")
    if conflict.status is ConflictStatus.RESOLVED:
        raise InputError(f"conflict: already resolved on {conflict.resolved_at:%Y-%m-%d}")
    column = column_of(conflict.table_name, conflict.field)
    try:
        chosen = normal(column, read_value(column, value))
    except CellError as exc:
        raise InputError(f"{column.header}: {exc}") from exc
    current = _current(session, conflict.table_name, conflict.record_id)
    if current is None:
        raise InputError("conflict: the record was deleted since; there is nothing to resolve")
    actor = session.info.get("actor") or Actor("", "")
    if chosen != normal(column, current.get(conflict.field)):
        _write(session, conflict, chosen, today or date.today(), actor)
    conflict.status = ConflictStatus.RESOLVED
    conflict.resolution = _json(chosen)
    conflict.resolved_at = utcnow()
    conflict.resolved_by = actor.name
    session.flush()


def _write(session: Session, conflict: ExchangeConflict, chosen: Plain, today: date,
           actor: Actor) -> None:
    if conflict.table_name == "recommendation" and conflict.field == "status":
        # The status follows the progress history: the decision is recorded as its latest step.
        rec = session.get(Recommendation, conflict.record_id)
        assert rec is not None
        add_progress(session, rec.id, ProgressInput(
            on=today, status=RecStatus(str(chosen)), reported_by=actor.name,
            narrative=f"Status decided on reviewing a conflict with {conflict.source_file} "
                      f"(sheet '{conflict.sheet}', row {conflict.row}).",
        ), today=today)
        return
    current = _current(session, conflict.table_name, conflict.record_id) or {}
    checker = Checker(session, today)
    problems = checker.record(conflict.table_name, conflict.record_id,
                              current | {conflict.field: chosen})
    if problems:
        raise InputError("; ".join(f"{column_of(conflict.table_name, key).header}: {why}"
                                   if key else why for key, why in problems))
    update_fields(session, conflict.table_name, conflict.record_id, {conflict.field: chosen})
