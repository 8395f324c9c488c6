"""The plan of an import: every change a workbook would make, worked out before anything is
written, so that a person sees it first (`preview`) and `exchange.apply` writes it at once.

A row of the workbook is either rejected (each of its problems listed with sheet, row and
column, and nothing of it applied), unchanged, or brings changes and conflicts. A row already
applied from the same export (same content) is unchanged: importing a file twice changes nothing.

The rules of a focal point's workbook, beyond the three-way merge of `exchange.merge`:

- A progress report is history: a row with a new note, or a status changed from what was
  exported, adds one progress update with its own date. Its status is the workbook's when the
  focal point changed it, otherwise the database's (the note then changes no status).
- The status is also a conflict to review when the database's changed since the export and the
  workbook gives yet another, or when the workbook's change is dated before the latest progress
  already recorded (so it would not show as current): nothing reported is lost or masked.
- A response to a warning is added once: the same response already recorded is not added again.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.exchange.checks import MODELS, Checker, label_of
from r2pdesk.exchange.merge import merge_record
from r2pdesk.exchange.models import ExchangeRow
from r2pdesk.exchange.reader import Issue, ParsedRow, ParsedWorkbook
from r2pdesk.exchange.sheets import SHEETS, Column, Kind, field_values
from r2pdesk.exchange.values import Plain, fit_cell, normal_text
from r2pdesk.i18n import N_, format_date, tr

NAMESPACE = uuid.UUID("5b0d2a1e-8f0c-4d8e-9a57-2a2f3c6e9d10")  # ids of progress from workbooks
# Why a row changes nothing: kept in English in the plan (and its JSON), shown with `tr`.
ALREADY_IMPORTED = N_("already imported")
NOTHING_NEW = N_("nothing new")


class Action(enum.StrEnum):
    """What a change does."""

    CREATE = "create"  # a record of another laptop, new here
    UPDATE = "update"  # fields of a record changed
    PROGRESS = "progress"  # a progress report added to a recommendation
    RESPONSE = "response"  # a response added to a warning


@dataclass(frozen=True)
class Change:
    """One record the import writes. For a response, `record_id` is the warning's."""

    sheet: str
    row: int
    table: str
    record_id: uuid.UUID
    action: Action
    label: str
    fields: dict[str, Plain]
    before: dict[str, Plain] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """Plain JSON for `import-xlsx --json`."""
        return {"sheet": self.sheet, "row": self.row, "table": self.table,
                "record_id": str(self.record_id), "action": self.action.value,
                "label": self.label, "fields": self.fields, "before": self.before}


@dataclass(frozen=True)
class PlannedConflict:
    """A field changed in the database and in the workbook since the export, differently."""

    sheet: str
    row: int
    table: str
    record_id: uuid.UUID
    label: str
    field: str
    base: Plain
    ours: Plain
    theirs: Plain
    detail: dict[str, Plain] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """Plain JSON for `import-xlsx --json`."""
        return {"sheet": self.sheet, "row": self.row, "table": self.table,
                "record_id": str(self.record_id), "label": self.label, "field": self.field,
                "base": self.base, "ours": self.ours, "theirs": self.theirs}


@dataclass(frozen=True)
class Unchanged:
    """A row that changes nothing, and why."""

    sheet: str
    row: int
    record_id: uuid.UUID
    label: str
    reason: str  # in English, as the JSON has it; `tr(reason)` for people

    def as_json(self) -> dict[str, object]:
        """Plain JSON for `import-xlsx --json`."""
        return {"sheet": self.sheet, "row": self.row, "record_id": str(self.record_id),
                "label": self.label, "reason": self.reason}


@dataclass(frozen=True)
class AppliedRow:
    """A row to remember as applied, by the digest of its content."""

    sheet: str
    record_id: uuid.UUID
    digest: str


@dataclass(frozen=True)
class ImportPlan:
    """What importing a workbook would do; `exchange.apply.apply` writes it."""

    workbook: ParsedWorkbook
    today: date
    changes: tuple[Change, ...]  # in the order they are written
    unchanged: tuple[Unchanged, ...]
    conflicts: tuple[PlannedConflict, ...]
    rejected: tuple[Issue, ...]
    rows: tuple[AppliedRow, ...]
    seen: tuple[tuple[str, uuid.UUID, int | None], ...]  # table, id, revision (None: absent)

    @property
    def created(self) -> tuple[Change, ...]:
        """New records: records of another laptop, progress reports, responses."""
        return tuple(c for c in self.changes if c.action is not Action.UPDATE)

    @property
    def updated(self) -> tuple[Change, ...]:
        """Records whose fields change."""
        return tuple(c for c in self.changes if c.action is Action.UPDATE)

    def as_json(self) -> dict[str, object]:
        """The object `import-xlsx --json` prints."""
        meta = self.workbook.meta
        return {
            "file": self.workbook.file_name,
            "export_id": str(meta.export_id),
            "kind": meta.kind.value,
            "created": [c.as_json() for c in self.created],
            "updated": [c.as_json() for c in self.updated],
            "unchanged": [u.as_json() for u in self.unchanged],
            "conflicts": [c.as_json() for c in self.conflicts],
            "rejected": [i.as_json() for i in self.rejected],
        }

    def summary(self) -> str:
        """One line for people."""
        return tr("{new} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts, "
                  "{problems} problems in rejected rows").format(
            new=len(self.created), updated=len(self.updated), unchanged=len(self.unchanged),
            conflicts=len(self.conflicts), problems=len(self.rejected))


@dataclass
class RowPlan:
    """What one row brings; any issue rejects the whole row."""

    changes: list[Change] = dataclasses.field(default_factory=list)
    conflicts: list[PlannedConflict] = dataclasses.field(default_factory=list)
    issues: list[Issue] = dataclasses.field(default_factory=list)


Handler = Callable[["Planner", ParsedRow], RowPlan]


def normal(column: Column, value: Plain, base: Plain = None) -> Plain:
    """A value as the merge compares it: text without outer spaces or CRLF, and a text that the
    export had to cut taken as the full text it stands for."""
    if column.kind not in (Kind.TEXT, Kind.LONG):
        return value
    text = normal_text(value) if isinstance(value, str) else ""
    if isinstance(base, str) and fit_cell(base) != base and text == normal_text(fit_cell(base)):
        return normal_text(base)
    return text


class Planner:
    """Works out the plan of one workbook against the database."""

    def __init__(self, session: Session, workbook: ParsedWorkbook, today: date) -> None:
        self.session, self.book, self.today = session, workbook, today
        self.check = Checker(session, today)
        self.seen: dict[tuple[str, uuid.UUID], int | None] = {}
        self.applied = set(session.scalars(
            select(ExchangeRow.digest).where(ExchangeRow.export_id == workbook.meta.export_id)
        ))

    def record(self, table: str, record_id: uuid.UUID) -> object | None:
        """A record of the database, remembered with its revision for `apply` to check."""
        found = self.session.get(MODELS[table], record_id)
        self.seen[table, record_id] = None if found is None else found.revision
        return found

    def base(self, row: ParsedRow) -> dict[str, Plain] | None:
        """The row's record as exported, or None (the row was not exported here)."""
        found = self.book.bases.get((row.sheet.title, row.record_id))
        return None if found is None else found.values

    def locked(self, row: ParsedRow, base: dict[str, Plain], plan: RowPlan) -> None:
        """Refuse changes to the columns a person may not edit."""
        for column in row.sheet.fields:
            if column.editable or column.key not in row.values:
                continue
            old = base.get(column.key)
            if normal(column, row.values[column.key], old) != normal(column, old):
                plan.issues.append(row.issue(column.key, tr(
                    "this column is kept as r2pdesk exported it (empty); change it back, or "
                    "change the record in r2pdesk.") if old in (None, "") else tr(
                    "this column is kept as r2pdesk exported it ('{value}'); change it back, "
                    "or change the record in r2pdesk.").format(value=old)))

    def full_row(self, row: ParsedRow) -> RowPlan:
        """A row of a full workbook: a record new here, or a three-way merge of its fields."""
        plan = RowPlan()
        sheet, table = row.sheet, row.sheet.table
        base = self.base(row)
        record = self.record(table, row.record_id)
        if base is None:
            plan.issues.append(row.issue("id", tr("this record is not in the workbook's hidden "
                                                  "sheet: rows cannot be copied in from "
                                                  "elsewhere.")))
            return plan
        values = {c.key: normal(c, row.values.get(c.key, base.get(c.key)), base.get(c.key))
                  for c in sheet.fields}
        self.locked(row, base, plan)
        if record is None:
            self._create(row, values, plan)
            return plan
        current = field_values(sheet, record)
        ours = {c.key: normal(c, current[c.key]) for c in sheet.fields}
        theirs = {c.key: values[c.key] for c in sheet.fields
                  if c.editable and c.key in row.values}
        merged = merge_record({c.key: normal(c, base.get(c.key)) for c in sheet.fields
                               if c.key in base}, ours, theirs)
        label = label_of(table, ours)
        if merged.changes:
            for key, message in self.check.record(table, row.record_id, ours | merged.changes):
                plan.issues.append(row.issue(key, message))
            plan.changes.append(Change(sheet.title, row.number, table, row.record_id,
                                       Action.UPDATE, label, merged.changes,
                                       {k: ours[k] for k in merged.changes}))
        plan.conflicts += [
            PlannedConflict(sheet.title, row.number, table, row.record_id, label, key,
                            c.base, c.ours, c.theirs)
            for key, c in merged.conflicts.items()
        ]
        return plan

    def _create(self, row: ParsedRow, values: dict[str, Plain], plan: RowPlan) -> None:
        table = row.sheet.table
        deleted = self.check.deleted_on(table, row.record_id)
        if deleted is not None:
            plan.issues.append(row.issue("id", tr(
                "this record was deleted here on {day}; it is not added again. Write it anew in "
                "r2pdesk if it is still wanted.").format(
                    day=format_date(date.fromisoformat(deleted)))))
            return
        for key, message in self.check.record(table, row.record_id, values, creating=True):
            plan.issues.append(row.issue(key, message))
        if not plan.issues:
            self.check.plan_creation(table, row.record_id, values)
        plan.changes.append(Change(row.sheet.title, row.number, table, row.record_id,
                                   Action.CREATE, label_of(table, values), values))

    def run(self, rows: Iterable[ParsedRow], handle: Handler) -> ImportPlan:
        """Plan every row with `handle`, in the order of the sheets."""
        changes: list[Change] = []
        unchanged: list[Unchanged] = []
        conflicts: list[PlannedConflict] = []
        rejected: list[Issue] = list(self.book.issues)
        applied: list[AppliedRow] = []
        for row in rows:
            if row.digest in self.applied:
                unchanged.append(Unchanged(row.sheet.title, row.number, row.record_id,
                                           self._label(row), ALREADY_IMPORTED))
                continue
            plan = handle(self, row)
            if plan.issues:
                rejected += plan.issues
            elif not plan.changes and not plan.conflicts:
                unchanged.append(Unchanged(row.sheet.title, row.number, row.record_id,
                                           self._label(row), NOTHING_NEW))
            else:
                changes += plan.changes
                conflicts += plan.conflicts
                applied.append(AppliedRow(row.sheet.title, row.record_id, row.digest))
        rejected.sort(key=lambda i: (_sheet_order(self.book, i.sheet), i.row))
        return ImportPlan(
            self.book, self.today, tuple(_parents_first(self.book, changes)), tuple(unchanged),
            tuple(conflicts), tuple(rejected), tuple(applied),
            tuple((table, id_, rev) for (table, id_), rev in self.seen.items()),
        )

    def _label(self, row: ParsedRow) -> str:
        base = self.base(row) or {}
        return label_of(row.sheet.table, {**base, **row.values})


def _sheet_order(book: ParsedWorkbook, title: str) -> int:
    titles = [s.title for s in SHEETS[book.meta.kind]]
    return titles.index(title) if title in titles else len(titles)


def _parents_first(book: ParsedWorkbook, changes: list[Change]) -> list[Change]:
    """The changes in the order of the sheets, a new institution after the new institution it
    is part of (the database checks each reference as the row is written)."""
    created = {c.record_id: c for c in changes
               if c.action is Action.CREATE and c.table == "institution"}

    def depth(change: Change) -> int:
        found, parent = 0, change.fields.get("parent_id")
        while isinstance(parent, str) and uuid.UUID(parent) in created and found < len(created):
            found += 1
            parent = created[uuid.UUID(parent)].fields.get("parent_id")
        return found

    return sorted(changes, key=lambda c: (_sheet_order(book, c.sheet), depth(c)))


def progress_id(export_id: uuid.UUID, record_id: uuid.UUID, digest: str) -> uuid.UUID:
    """The id of a progress update reported in a workbook row: the same row, the same id."""
    return uuid.uuid5(NAMESPACE, f"{export_id}/{record_id}/{digest}")
