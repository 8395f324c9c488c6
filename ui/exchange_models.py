"""What the Exchange page shows: an import's preview as one row per change, and the open
conflicts, each in a read-only table model; and the small dialog to write a conflict's value.

Values are shown as people read them (a status by its label, a flag as Yes or No, nothing as
"(empty)"); long texts on one line, in full in the tooltip.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import html
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from r2pdesk.errors import InputError
from r2pdesk.exchange.models import ExportKind
from r2pdesk.exchange.plan import Action, Change, ImportPlan, PlannedConflict
from r2pdesk.exchange.service import ConflictRow, column_of
from r2pdesk.exchange.sheets import FP_RECOMMENDATIONS, RESPONSE_KIND, SHEETS, Column, Kind
from r2pdesk.exchange.values import Plain
from r2pdesk.institutions.service import InstitutionRow
from ui.combos import ValueCombo
from ui.tables import DISPLAY, TOOLTIP, RowsModel, SortProxy, SortRole

EMPTY = "(empty)"
SHORT = 200  # characters shown in a cell; the tooltip has the rest
NOUNS = {"institution": "institution", "recommendation": "recommendation",
         "progress_update": "progress update", "early_warning": "warning",
         "warning_response": "response to a warning"}


class RowKind(enum.IntEnum):
    """What a row of the preview is, in the order the preview lists them."""

    NEW = 0
    UPDATED = 1
    CONFLICT = 2
    REJECTED = 3
    UNCHANGED = 4

    @property
    def label(self) -> str:
        """The word shown."""
        return self.name.lower()


TINTS = {  # always with the kind in words beside it
    RowKind.NEW: QColor("#e2f3e0"),
    RowKind.UPDATED: QColor("#dde9fb"),
    RowKind.CONFLICT: QColor("#fde0c5"),
    RowKind.REJECTED: QColor("#f8d3d3"),
}
GREY = QColor("#6b6b6b")


def plural(n: int, word: str) -> str:
    """A count and its noun: "1 conflict", "2 conflicts"."""
    return f"{n} {word}{'s' * (n != 1)}"


def shown(column: Column | None, value: Plain) -> str:
    """A plain value as people read it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column is not None and column.kind is Kind.CHOICE:
        return column.labels.get(value, value)
    return value


def column_or_none(table: str, key: str) -> Column | None:
    """The column of a field, or None for one the exchange does not describe."""
    try:
        return column_of(table, key)
    except InputError:
        return None


def one_line(text: str) -> str:
    """Text on one line, cut where a cell would not show it anyway."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SHORT else flat[:SHORT - 1] + "…"


# --- the preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    """One line of an import's preview."""

    id: int  # its place in the preview
    kind: RowKind
    sheet: str
    row: int
    record: str
    field: str = ""
    ours: str = ""  # this database's value
    theirs: str = ""  # the workbook's value
    details: str = ""


def _change_rows(change: Change) -> Iterator[PreviewRow]:
    """The lines of one change."""
    fields = change.fields
    line = functools.partial(PreviewRow, 0, RowKind.NEW, change.sheet, change.row, change.label)
    if change.action is Action.UPDATE:
        for key, value in fields.items():
            column = column_or_none(change.table, key)
            yield PreviewRow(0, RowKind.UPDATED, change.sheet, change.row, change.label,
                             column.header if column else key,
                             shown(column, change.before.get(key)), shown(column, value))
    elif change.action is Action.PROGRESS:
        status = FP_RECOMMENDATIONS.column("status")
        note = fields.get("narrative") or "no note"
        yield line("Progress report", shown(status, change.before.get("status")),
                   shown(status, fields.get("status")), f"Dated {fields.get('on')}: {note}")
    elif change.action is Action.RESPONSE:
        told = fields.get("action_taken") or fields.get("outcome") or "no text"
        yield line("Response", "", RESPONSE_KIND.get(str(fields.get("kind")), ""),
                   f"Dated {fields.get('on')}: {told}")
    else:
        noun = NOUNS.get(change.table, change.table)
        yield line(details=f"A new {noun}, made on another laptop.")


def _conflict_line(c: PlannedConflict) -> PreviewRow:
    column = column_or_none(c.table, c.field)
    why = f"Both changed since the export ({shown(column, c.base)}); decide under Conflicts."
    return PreviewRow(0, RowKind.CONFLICT, c.sheet, c.row, c.label,
                      column.header if column else c.field, shown(column, c.ours),
                      shown(column, c.theirs), why)


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    """Every line of a plan's preview: new records, updated fields, conflicts, rejected rows
    (one line per problem) and unchanged rows, each in the order of the sheets."""
    found = [line for change in plan.changes for line in _change_rows(change)]
    found += [_conflict_line(c) for c in plan.conflicts]
    found += [PreviewRow(0, RowKind.REJECTED, i.sheet, i.row, "(row left out)", i.column,
                         details=i.message) for i in plan.rejected]
    found += [PreviewRow(0, RowKind.UNCHANGED, u.sheet, u.row, u.label,
                         details=u.reason.capitalize()) for u in plan.unchanged]
    titles = [s.title for s in SHEETS[plan.workbook.meta.kind]]

    def order(line: PreviewRow) -> tuple[int, int, int]:
        sheet = titles.index(line.sheet) if line.sheet in titles else len(titles)
        return line.kind, sheet, line.row

    return [dataclasses.replace(line, id=number)
            for number, line in enumerate(sorted(found, key=order))]


def plan_header(plan: ImportPlan) -> str:
    """The line above a preview: the file, where it comes from, what it would do."""
    rejected = len({(i.sheet, i.row) for i in plan.rejected})
    counts = [f"{len(plan.created)} new", f"{len(plan.updated)} updated",
              f"{len(plan.unchanged)} unchanged", plural(len(plan.conflicts), "conflict"),
              f"{plural(rejected, 'row')} rejected ({plural(len(plan.rejected), 'problem')})"]
    meta = plan.workbook.meta
    made = "focal-point workbook" if meta.kind is ExportKind.FOCAL_POINT else "full workbook"
    by = f" by {meta.author}" if meta.author else ""
    return (f"<b>{html.escape(plan.workbook.file_name)}</b> ({made} exported "
            f"{meta.exported_at:%Y-%m-%d}{html.escape(by)}): {', '.join(counts)}.")


class PreviewCol(enum.IntEnum):
    """The columns of the preview."""

    KIND = 0
    SHEET = 1
    ROW = 2
    RECORD = 3
    FIELD = 4
    OURS = 5
    THEIRS = 6
    DETAILS = 7


class PreviewModel(RowsModel[PreviewRow]):
    """The lines of an import's preview."""

    headers = ("Kind", "Sheet", "Row", "Record", "Field", "This database", "Workbook", "Details")

    def _text(self, row: PreviewRow, column: int) -> str:
        return (row.kind.label, row.sheet, str(row.row), row.record, row.field, row.ours,
                row.theirs, row.details)[column]

    def cell(self, row: PreviewRow, column: int, role: int) -> object:
        text = self._text(row, column)
        if role == DISPLAY:
            return one_line(text)
        if role == TOOLTIP:
            return text if len(text) > 40 or "\n" in text else None
        if role == SortRole:
            return self._sort_key(row, column, text)
        return self._look(row, role)

    @staticmethod
    def _sort_key(row: PreviewRow, column: int, text: str) -> object:
        if column == PreviewCol.KIND:
            return row.id  # the preview's own order: by kind, then sheet and row
        return row.row if column == PreviewCol.ROW else text.casefold()

    @staticmethod
    def _look(row: PreviewRow, role: int) -> object:
        if role == Qt.ItemDataRole.BackgroundRole and row.kind in TINTS:
            return QBrush(TINTS[row.kind])
        if role == Qt.ItemDataRole.ForegroundRole and row.kind is RowKind.UNCHANGED:
            return QBrush(GREY)
        return None


class PreviewProxy(SortProxy):
    """The preview, with or without the rows that change nothing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unchanged_shown = True

    def show_unchanged(self, shown_: bool) -> None:
        """Show the unchanged rows, or hide them."""
        self.beginFilterChange()
        self.unchanged_shown = shown_
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if self.unchanged_shown or not isinstance(model, PreviewModel):
            return True
        return model.row_at(source_row).kind is not RowKind.UNCHANGED


# --- export -------------------------------------------------------------------------------------


class InstitutionCombo(ValueCombo[uuid.UUID]):
    """The institutions a focal point's workbook can be written for, read again on demand."""

    def reset(self, institutions: Sequence[InstitutionRow]) -> None:
        """Show these institutions, keeping the one chosen when it is still there."""
        chosen = self.value() if self.count() else None
        self.blockSignals(True)
        self.clear()
        self._values.clear()
        for row in institutions:
            acronym = f" ({row.acronym})" if row.acronym else ""
            self.add(f"{row.name}{acronym} — "
                     f"{plural(row.open_recommendations, 'open recommendation')}", row.id)
        if chosen is not None:
            self.set_value(chosen)
        self.blockSignals(False)


# --- the conflicts ------------------------------------------------------------------------------


class ConflictCol(enum.IntEnum):
    """The columns of the conflict list."""

    RECORD = 0
    FIELD = 1
    BASE = 2
    OURS = 3
    THEIRS = 4
    FILE = 5
    WHERE = 6


def _conflict_texts(row: ConflictRow) -> tuple[str, ...]:
    column = column_or_none(row.table, row.field)
    return (f"{NOUNS.get(row.table, row.table).capitalize()}: {row.label}",
            column.header if column else row.field, shown(column, row.base),
            shown(column, row.ours), shown(column, row.theirs), row.source_file,
            f"{row.sheet}, row {row.row}")


class ConflictsModel(RowsModel[ConflictRow]):
    """The open conflicts."""

    headers = ("Record", "Field", "Exported", "This database", "Workbook", "File",
               "Sheet and row")

    def cell(self, row: ConflictRow, column: int, role: int) -> object:
        texts = _conflict_texts(row)
        if role == DISPLAY:
            return one_line(texts[column])
        if role == TOOLTIP:
            if column == ConflictCol.OURS and row.current != row.ours:
                value = shown(column_or_none(row.table, row.field), row.current)
                return f"{texts[column]}\n(it is now {value})"
            return texts[column] if len(texts[column]) > 40 else None
        if role == SortRole:
            return (row.sheet, row.row) if column == ConflictCol.WHERE else (
                texts[column].casefold())
        return None


def _choices(column: Column) -> list[tuple[str, Plain]]:
    """(label, value) of a choice or a flag."""
    if column.kind is Kind.FLAG:
        return [("Yes", True), ("No", False)]
    return [(label, value) for value, label in column.labels.items()]


class ValueDialog(QDialog):
    """A value of one's own for a conflict, prefilled with this database's."""

    def __init__(self, row: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = _conflict_texts(row)
        self.setWindowTitle(f"Decide: {texts[ConflictCol.FIELD]}")
        form = QFormLayout(self)
        for label, column in (("Record", ConflictCol.RECORD), ("This database", ConflictCol.OURS),
                              ("Workbook", ConflictCol.THEIRS)):
            shown_ = QLabel(one_line(texts[column]))
            shown_.setWordWrap(True)
            form.addRow(f"{label}:", shown_)
        self.choice: ValueCombo[Plain] | None = None
        self.edit: QLineEdit | QPlainTextEdit | None = None
        form.addRow(f"{texts[ConflictCol.FIELD]}:", self._editor(row))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(540, self.sizeHint().height())

    def _editor(self, row: ConflictRow) -> QWidget:
        column = column_or_none(row.table, row.field)
        widget: QWidget
        if column is not None and column.kind in (Kind.CHOICE, Kind.FLAG):
            self.choice = widget = ValueCombo(_choices(column))
            self.choice.set_value(row.ours)
        elif column is not None and column.kind is Kind.LONG:
            self.edit = widget = QPlainTextEdit(str(row.ours or ""))
        else:
            self.edit = widget = QLineEdit(str(row.ours or ""))
            if column is not None and column.kind is Kind.DATE:
                self.edit.setPlaceholderText("2026-11-21")
        widget.setAccessibleName("Value")
        return widget

    def value(self) -> Plain:
        """The value written or chosen."""
        if self.choice is not None:
            return self.choice.value()
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text() if self.edit is not None else None
