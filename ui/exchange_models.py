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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
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
from r2pdesk.i18n import N_, format_date, format_number, is_right_to_left, tr
from r2pdesk.institutions.assigned import Assigned
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.institutions.service import InstitutionRow
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog
from ui.tables import DISPLAY, TOOLTIP, RowsModel, SortProxy, SortRole

EMPTY = N_("(empty)")
SHORT = 200  # characters shown in a cell; the tooltip has the rest
NOUNS = {"institution": N_("Institution"), "recommendation": N_("Recommendation"),
         "progress_update": N_("Progress update"), "early_warning": N_("Warning"),
         "warning_response": N_("Response to a warning")}
# "A new ..., made on another laptop.", one whole sentence per kind of record.
NEW_RECORDS = {
    "institution": N_("A new institution, made on another laptop."),
    "recommendation": N_("A new recommendation, made on another laptop."),
    "progress_update": N_("A new progress update, made on another laptop."),
    "early_warning": N_("A new warning, made on another laptop."),
    "warning_response": N_("A new response to a warning, made on another laptop."),
}
KIND_LABELS = {
    0: N_("new"), 1: N_("updated"), 2: N_("conflict"), 3: N_("rejected"), 4: N_("unchanged"),
}


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
        return tr(KIND_LABELS[self.value])


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
        return tr(EMPTY)
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    if column is not None and column.kind is Kind.CHOICE:
        return tr(column.labels.get(value, value))
    if column is not None and column.kind is Kind.DATE:
        return _day(value)
    return value


def _day(text: str | None) -> str:
    """A plain ISO day as people read it; other text as it is."""
    try:
        return format_date(date.fromisoformat(text or ""))
    except ValueError:
        return text or ""


def _translated(header: object) -> object:
    """A column title in the language in use (the titles are kept in English)."""
    return tr(header) if isinstance(header, str) else header


def _sentence(text: str) -> str:
    """Text with a capital first letter, the rest as it is."""
    return text[:1].upper() + text[1:]


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
        note = fields.get("narrative") or tr("no note")
        yield line(tr("Progress report"), shown(status, change.before.get("status")),
                   shown(status, fields.get("status")),
                   tr("Dated {date}: {text}").format(date=_day(_text(fields.get("on"))),
                                                     text=note))
    elif change.action is Action.RESPONSE:
        told = fields.get("action_taken") or fields.get("outcome") or tr("no text")
        yield line(tr("Response"), "", tr(RESPONSE_KIND.get(str(fields.get("kind")), "")),
                   tr("Dated {date}: {text}").format(date=_day(_text(fields.get("on"))),
                                                     text=told))
    else:
        new = NEW_RECORDS.get(change.table)
        yield line(details=tr(new) if new else tr("A new record, made on another laptop."))


def _text(value: Plain) -> str:
    return value if isinstance(value, str) else ""


def _conflict_line(c: PlannedConflict) -> PreviewRow:
    column = column_or_none(c.table, c.field)
    why = tr("Both changed since the export ({value}); decide under Conflicts.").format(
        value=shown(column, c.base))
    return PreviewRow(0, RowKind.CONFLICT, c.sheet, c.row, c.label,
                      column.header if column else c.field, shown(column, c.ours),
                      shown(column, c.theirs), why)


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    """Every line of a plan's preview: new records, updated fields, conflicts, rejected rows
    (one line per problem) and unchanged rows, each in the order of the sheets."""
    found = [line for change in plan.changes for line in _change_rows(change)]
    found += [_conflict_line(c) for c in plan.conflicts]
    found += [PreviewRow(0, RowKind.REJECTED, i.sheet, i.row, tr("(row left out)"), i.column,
                         details=i.message) for i in plan.rejected]
    found += [PreviewRow(0, RowKind.UNCHANGED, u.sheet, u.row, u.label,
                         details=_sentence(tr(u.reason))) for u in plan.unchanged]
    titles = [s.title for s in SHEETS[plan.workbook.meta.kind]]

    def order(line: PreviewRow) -> tuple[int, int, int]:
        sheet = titles.index(line.sheet) if line.sheet in titles else len(titles)
        return line.kind, sheet, line.row

    return [dataclasses.replace(line, id=number)
            for number, line in enumerate(sorted(found, key=order))]


def plan_header(plan: ImportPlan) -> str:
    """The line above a preview: the file, where it comes from, what it would do."""
    rejected = len({(i.sheet, i.row) for i in plan.rejected})
    problems = len(plan.rejected)
    conflicts = len(plan.conflicts)
    counts = tr("{new} new, {updated} updated, {unchanged} unchanged, {conflicts}, {rejected} "
                "rejected ({problems})").format(
        new=format_number(len(plan.created)), updated=format_number(len(plan.updated)),
        unchanged=format_number(len(plan.unchanged)),
        conflicts=tr("1 conflict") if conflicts == 1 else tr("{count} conflicts").format(
            count=format_number(conflicts)),
        rejected=tr("1 row") if rejected == 1 else tr("{count} rows").format(
            count=format_number(rejected)),
        problems=tr("1 problem") if problems == 1 else tr("{count} problems").format(
            count=format_number(problems)))
    meta = plan.workbook.meta
    focal = meta.kind is ExportKind.FOCAL_POINT
    file, day = html.escape(plan.workbook.file_name), format_date(meta.exported_at.date())
    if meta.author:
        made = (tr("focal-point workbook exported {date} by {author}") if focal else
                tr("full workbook exported {date} by {author}")).format(
            date=day, author=html.escape(meta.author))
    else:
        made = (tr("focal-point workbook exported {date}") if focal else
                tr("full workbook exported {date}")).format(date=day)
    return tr("<b>{file}</b> ({made}): {counts}.").format(file=file, made=made, counts=counts)


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

    headers = (N_("Kind"), N_("Sheet"), N_("Row"), N_("Record"), N_("Field"),
               N_("This database"), N_("Workbook"), N_("Details"))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> object:
        return _translated(super().headerData(section, orientation, role))

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


def isolated(text: object) -> str:
    """A name or a path inside a sentence: in a right-to-left language, isolated in its own
    direction (first strong isolate), so that "Ministry of Justice" or "/home/a.xlsx" keep their
    order and the sentence its direction."""
    return f"\u2068{text}\u2069" if is_right_to_left() else str(text)


def workbook_label(name: str, assigned: Assigned) -> str:
    """An institution as the choice of a focal point's workbook shows it, with what the workbook
    would hold: "Ministry of Justice — 9 recommendations it leads (7 open), 2 open warnings"
    (the export's result says the same numbers)."""
    led = len(assigned.led)
    recs = (tr("1 recommendation it leads") if led == 1 else
            tr("{count} recommendations it leads").format(count=format_number(led)))
    count = len(assigned.warnings)
    warnings = (tr("1 open warning") if count == 1 else
                tr("{count} open warnings").format(count=format_number(count)))
    return tr("{institution} — {recommendations} ({state}), {warnings}").format(
        institution=isolated(name), recommendations=recs,
        state=tr("{open} open").format(open=format_number(assigned.led_open)),
        warnings=warnings)


class InstitutionCombo(ValueCombo[uuid.UUID]):
    """The institutions a focal point's workbook can be written for, each with what its
    workbook would hold, read again on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.names: dict[uuid.UUID, str] = {}
        self.currentTextChanged.connect(self.setToolTip)  # the whole of a line cut short

    def reset(self, institutions: Sequence[InstitutionRow],
              assigned: Mapping[InstitutionId, Assigned]) -> None:
        """Show these institutions with what is assigned to them (confidential records left
        out, as in the workbook), keeping the one chosen when it is still there."""
        chosen = self.value() if self.count() else None
        self.blockSignals(True)
        self.clear()
        self._values.clear()
        self.names = {row.id: row.name for row in institutions}
        for row in institutions:
            name = f"{row.name} ({row.acronym})" if row.acronym else row.name
            text = workbook_label(name, assigned.get(row.id, Assigned()))
            self.add(text, row.id)
            self.setItemData(self.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        if chosen is not None:
            self.set_value(chosen)
        self.blockSignals(False)
        self.setToolTip(self.currentText())

    def chosen_name(self) -> str:
        """The name of the institution chosen ("" when there is none)."""
        return self.names.get(self.value(), "") if self.count() else ""


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
    noun = NOUNS.get(row.table)
    return (tr("{kind}: {record}").format(kind=tr(noun) if noun else row.table.capitalize(),
                                          record=row.label),
            column.header if column else row.field, shown(column, row.base),
            shown(column, row.ours), shown(column, row.theirs), row.source_file,
            tr("{sheet}, row {row}").format(sheet=row.sheet, row=row.row))


class ConflictsModel(RowsModel[ConflictRow]):
    """The open conflicts."""

    headers = (N_("Record"), N_("Field"), N_("Exported"), N_("This database"), N_("Workbook"),
               N_("File"), N_("Sheet and row"))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> object:
        return _translated(super().headerData(section, orientation, role))

    def cell(self, row: ConflictRow, column: int, role: int) -> object:
        texts = _conflict_texts(row)
        if role == DISPLAY:
            return one_line(texts[column])
        if role == TOOLTIP:
            if column == ConflictCol.OURS and row.current != row.ours:
                value = shown(column_or_none(row.table, row.field), row.current)
                return tr("{value}\n(it is now {current})").format(value=texts[column],
                                                                    current=value)
            return texts[column] if len(texts[column]) > 40 else None
        if role == SortRole:
            return (row.sheet, row.row) if column == ConflictCol.WHERE else (
                texts[column].casefold())
        return None


def _choices(column: Column) -> list[tuple[str, Plain]]:
    """(label, value) of a choice or a flag."""
    if column.kind is Kind.FLAG:
        return [(tr("Yes"), True), (tr("No"), False)]
    return [(tr(label), value) for value, label in column.labels.items()]


class ValueDialog(GuardedDialog):
    """A value of one's own for a conflict, prefilled with this database's."""

    def __init__(self, row: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = _conflict_texts(row)
        self.setWindowTitle(tr("Decide: {field}").format(field=texts[ConflictCol.FIELD]))
        form = QFormLayout(self)
        for label, column in ((tr("Record:"), ConflictCol.RECORD),
                              (tr("This database:"), ConflictCol.OURS),
                              (tr("Workbook:"), ConflictCol.THEIRS)):
            shown_ = QLabel(one_line(texts[column]))
            shown_.setWordWrap(True)
            form.addRow(label, shown_)
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
        widget.setAccessibleName(tr("Value"))
        return widget

    def value(self) -> Plain:
        """The value written or chosen."""
        if self.choice is not None:
            return self.choice.value()
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text() if self.edit is not None else None
