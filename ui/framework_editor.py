"""The framework editor: the latest version of the Framework of Analysis with the committee's
unsaved changes shown in place (a national indicator added, an indicator's text changed, a list
marked complete), saved together as a new version; and the version to and from Excel.

A version is never changed in place: assessments keep the version they were rated with.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.errors import KnownError
from r2pdesk.exchange.framework_xlsx import export_framework, import_framework
from r2pdesk.i18n import N_, is_right_to_left, tr
from r2pdesk.reference.frameworks import (
    AddIndicator,
    Change,
    EditIndicator,
    FactorSpec,
    IndicatorSpec,
    SetIndicatorsStatus,
    VersionContent,
    apply_changes,
    new_version,
    version_content,
)
from r2pdesk.reference.models import FrameworkVersionId, IndicatorsStatus, Nature
from r2pdesk.reference.service import default_framework_version
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.assessment_dialogs import IndicatorDialog, reading_order
from ui.assessment_grid import TranslatedRowsModel, fit_headers
from ui.changes import Changed
from ui.flow import FlowLayout
from ui.operations import Refusal, run_operation, run_write
from ui.tables import DISPLAY, TOOLTIP, ItemRole, select_row

# Marked with N_, translated with tr where shown.
LIST_WORDS = {IndicatorsStatus.NONE: N_("none listed"),
              IndicatorsStatus.PARTIAL: N_("partial list"),
              IndicatorsStatus.COMPLETE: N_("complete")}
NATURE_WORDS = {Nature.STRUCTURAL: N_("structural"), Nature.DYNAMIC: N_("dynamic")}
KEEP_NOTE = N_("Saving makes a new version. Assessments already made keep the version they "
               "were rated with; new assessments, and assessments copied forward, use the "
               "newest.")
EXCEL_FILTER = N_("Excel workbooks (*.xlsx)")


@dataclass(frozen=True)
class FrameworkLine:
    """A line of the editor: a risk factor, or one of its indicators, and its unsaved change."""

    factor: FactorSpec
    indicator: IndicatorSpec | None
    change: str  # what the unsaved changes do to it; empty when nothing


def _changes(factor: FactorSpec, saved: FactorSpec | None) -> dict[str | None, str]:
    """What changed, by indicator code (None: the risk factor itself)."""
    said: dict[str | None, str] = {}
    if saved is None:
        return said
    if factor.indicators_status is not saved.indicators_status:
        said[None] = tr("list now {status}").format(
            status=tr(LIST_WORDS[factor.indicators_status]))
    texts = {i.code: i.text for i in saved.indicators}
    for indicator in factor.indicators:
        if indicator.code not in texts:
            said[indicator.code] = tr("added", context="indicator")
        elif texts[indicator.code] != indicator.text:
            said[indicator.code] = tr("text changed")
    return said


def framework_lines(content: VersionContent, saved: VersionContent) -> list[FrameworkLine]:
    """Each risk factor then its indicators, marked where they differ from the saved version."""
    before = {f.number: f for f in saved.factors}
    lines = []
    for factor in content.factors:
        said = _changes(factor, before.get(factor.number))
        lines.append(FrameworkLine(factor, None, said.get(None, "")))
        lines.extend(FrameworkLine(factor, i, said.get(i.code, "")) for i in factor.indicators)
    return lines


def next_national_code(factor: FactorSpec) -> str:
    """The committee's next own code for a risk factor: 7.N1, 7.N2 ..."""
    pattern = re.compile(rf"^{factor.number}\.N(\d+)$")
    taken = [int(m.group(1)) for i in factor.indicators if (m := pattern.match(i.code))]
    return f"{factor.number}.N{max(taken, default=0) + 1}"


class FrameworkModel(TranslatedRowsModel[FrameworkLine]):
    """Risk factors and their indented indicators, with list status, origin and changes."""

    headers = (N_("Code"), N_("Risk factor / indicator"), N_("Nature"), N_("Indicator list"),
               N_("Origin"), N_("Unsaved change"))

    def _text(self, line: FrameworkLine, column: int) -> str:
        factor, indicator = line.factor, line.indicator
        if indicator is not None:
            origin = (tr("national", context="indicator origin") if indicator.national
                      else tr("framework", context="indicator origin"))
            return (f"    {indicator.code}", f"    {indicator.text}", "", "", origin,
                    line.change)[column]
        return (factor.code, f"{factor.number}. {factor.title}", tr(NATURE_WORDS[factor.nature]),
                tr(LIST_WORDS[factor.indicators_status]), "", line.change)[column]

    def cell(self, row: FrameworkLine, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._text(row, column)
        if role == TOOLTIP and column == 1:
            return self._text(row, column).strip()
        if role == Qt.ItemDataRole.FontRole and (row.indicator is None or row.change):
            font = QFont()
            font.setBold(row.indicator is None)
            font.setItalic(bool(row.change) and not is_right_to_left())  # Arabic is not slanted
            return font
        return None


class FrameworkEditor(QWidget):
    """The Framework of Analysis as data: national indicators, new versions, Excel."""

    changed = Signal()  # a new version was written

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.framework_id: uuid.UUID | None = None
        self.version_id: FrameworkVersionId | None = None
        self.version_number = 0
        self.saved: VersionContent | None = None
        self.pending: list[Change] = []
        self.busy = False
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.model = FrameworkModel((), self)
        self._build()
        self.reload()

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build(self) -> None:
        self.add_action = self._action(tr("&Add national indicator…"), "Ctrl+Shift+N",
                                       self.add_indicator)
        self.edit_action = self._action(tr("Change &text…"), "F2", self.edit_indicator)
        self.complete_action = self._action(tr("Mark list &complete"), "", self.mark_complete)
        self.discard_action = self._action(tr("&Discard changes"), "", self.discard)
        self.save_action = self._action(tr("&Save as new version"), "Ctrl+S", self.save_version)
        self.export_action = self._action(tr("E&xport to Excel…"), "", self.choose_export)
        self.import_action = self._action(tr("&Import from Excel…"), "", self.choose_import)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        keep = QLabel(tr(KEEP_NOTE))
        keep.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Framework risk factors and indicators"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_headers(self.table, ((0, 80), (2, 90), (3, 110), (4, 90), (5, 150)))
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            tr("Note for the new version, e.g. the committee's decision"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(keep)
        layout.addLayout(self._bar((self.add_action, self.edit_action, self.complete_action,
                                    self.discard_action, None, self.export_action,
                                    self.import_action)))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.pending_label)
        save_row = QHBoxLayout()
        save_row.addWidget(self.note, 1)
        save_row.addLayout(self._bar((self.save_action,)))
        layout.addLayout(save_row)

    def _bar(self, actions: tuple[QAction | None, ...]) -> FlowLayout:
        bar = FlowLayout()  # wraps on a narrow window instead of widening it
        for action in actions:
            if action is None:
                bar.addStretch(1)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        return bar

    # --- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the latest version again and show it with the unsaved changes made."""
        with self.store.reader() as session:
            version = default_framework_version(session)
            if version is None:
                self.heading.setText(tr("The Framework of Analysis is not in this database."))
                self.model.set_rows([])
                return
            self.framework_id, self.version_id = version.framework_id, FrameworkVersionId(
                version.id)
            self.version_number = version.version
            name = version.framework.name
            self.saved = version_content(session, version.id)
            partial = version.partial
        said = (tr("<b>{name}, version {number}</b> — partial: some risk factors' indicator "
                   "lists are not complete") if partial
                else tr("<b>{name}, version {number}</b> — every indicator list complete"))
        self.heading.setText(reading_order(
            said.format(name=html.escape(name), number=self.version_number)))
        self._show()

    def _show(self) -> None:
        if self.saved is None:
            return
        row = self.table.currentIndex().row()
        content, said = apply_changes(self.saved, self.pending) if self.pending else (
            self.saved, [])
        self.model.set_rows(framework_lines(content, self.saved))
        if row >= 0:
            select_row(self.table, min(row, self.model.rowCount() - 1))
        self.pending_label.setText(
            tr("Unsaved changes: {changes}.").format(changes="; ".join(said)) if said
            else tr("No unsaved change."))
        for action in (self.save_action, self.discard_action):
            action.setEnabled(bool(self.pending))

    def current_line(self) -> FrameworkLine | None:
        """The line chosen in the table."""
        index = self.table.currentIndex()
        line = index.data(ItemRole) if index.isValid() else None
        return line if isinstance(line, FrameworkLine) else None

    def select_code(self, code: str) -> None:
        """Choose a line by its code (a risk factor's "RF7" or an indicator's "7.1")."""
        for row in range(self.model.rowCount()):
            line = self.model.row_at(row)
            if (line.indicator.code if line.indicator else line.factor.code) == code:
                select_row(self.table, row)
                return

    # --- changing ---------------------------------------------------------------------------

    def _try(self, change: Change) -> bool:
        """Keep a change when the version would still hold together; say why not otherwise."""
        if self.saved is None:
            return False
        try:
            apply_changes(self.saved, [*self.pending, change])
        except KnownError as exc:
            self._tell(tr("Not changed"), str(exc), QMessageBox.Icon.Warning)
            return False
        self.pending.append(change)
        self._show()
        return True

    def _open(self, dialog: IndicatorDialog, change: Callable[[], Change]) -> None:
        self.dialog = dialog
        dialog.save = lambda: self._try(change())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def add_indicator(self) -> None:
        """Add the committee's own indicator to the chosen risk factor."""
        line = self.current_line()
        if line is None:
            self._tell(tr("Framework"), tr("Choose a risk factor first."),
                       QMessageBox.Icon.Information)
            return
        factor = line.factor
        if self.pending:  # the code must follow indicators added but not saved yet
            saved = self.saved or VersionContent((), ())
            content, _ = apply_changes(saved, self.pending)
            factor = next(f for f in content.factors if f.number == factor.number)
        dialog = IndicatorDialog(tr("Add a national indicator"),
                                 f"{factor.number}. {factor.title}",
                                 next_national_code(factor), "", new=True, parent=self)
        self._open(dialog, lambda: AddIndicator(factor.number, *dialog.value(), national=True))

    def edit_indicator(self) -> None:
        """Change the text of the chosen indicator."""
        line = self.current_line()
        if line is None or line.indicator is None:
            self._tell(tr("Framework"), tr("Choose an indicator first."),
                       QMessageBox.Icon.Information)
            return
        factor, indicator = line.factor, line.indicator
        dialog = IndicatorDialog(tr("Change an indicator's text"),
                                 f"{factor.number}. {factor.title}",
                                 indicator.code, indicator.text, new=False, parent=self)
        self._open(dialog, lambda: EditIndicator(factor.number, *dialog.value()))

    def mark_complete(self) -> None:
        """Say that the chosen risk factor's list of indicators is complete."""
        line = self.current_line()
        if line is None:
            self._tell(tr("Framework"), tr("Choose a risk factor first."),
                       QMessageBox.Icon.Information)
            return
        self._try(SetIndicatorsStatus(line.factor.number, IndicatorsStatus.COMPLETE))

    def discard(self) -> None:
        """Forget the unsaved changes."""
        self.pending = []
        self._show()

    def save_version(self) -> None:
        """Write the unsaved changes as the framework's next version (through the single
        writer; `busy` until it is saved or refused)."""
        framework_id, saving, note = self.framework_id, list(self.pending), self.note.text()
        if not saving or framework_id is None:
            return

        def saved(_made: FrameworkVersionId) -> None:
            self.pending = self.pending[len(saving):]  # what was changed meanwhile stays
            self.note.clear()
            self.reload()
            self.changed.emit()
            said = tr("Saved as version {number}.").format(number=self.version_number)
            self._tell(tr("Framework"), f"{said} {tr(KEEP_NOTE)}", QMessageBox.Icon.Information)

        self._write(tr("Saving…"), lambda s: new_version(s, framework_id, saving, note=note),
                    saved, title=tr("Not saved"))

    # --- Excel ------------------------------------------------------------------------------

    def choose_export(self) -> None:
        """Ask where to write the workbook, then write it."""
        name = f"framework-version-{self.version_number}.xlsx"
        target, _ = QFileDialog.getSaveFileName(self, tr("Export the framework"),
                                                options.in_last_folder(name), tr(EXCEL_FILTER))
        if target:
            options.remember_folder(target)
            self.export_to(Path(target))

    def choose_import(self) -> None:
        """Ask for a workbook, then read it as a new version."""
        source, _ = QFileDialog.getOpenFileName(self, tr("Import a framework"),
                                                options.last_folder(), tr(EXCEL_FILTER))
        if source:
            options.remember_folder(source)
            self.import_from(Path(source))

    def _run(self, label: str, work: Callable[[], object],
             done: Callable[[object], None]) -> None:
        self.busy = True

        def succeeded(result: object) -> None:
            self.busy = False
            done(result)

        def failed(message: str) -> None:
            self.busy = False
            self._tell(tr("Framework"), message, QMessageBox.Icon.Warning)

        run_operation(self, label, work, succeeded, failed)

    def _write(self, label: str, work: Callable[[Session], FrameworkVersionId],
               done: Callable[[FrameworkVersionId], None], *, title: str) -> None:
        """A new version written through the single writer, announced as a framework change;
        a refusal is told under `title`."""
        self.busy = True

        def succeeded(made: FrameworkVersionId) -> None:
            self.busy = False
            done(made)

        def failed(refusal: Refusal) -> None:
            self.busy = False
            self._tell(title, refusal.message, QMessageBox.Icon.Warning)

        run_write(self, self.store, label, work,
                  changed=lambda made: Changed.of(kinds.FRAMEWORK, ids=[made]),
                  on_success=succeeded, on_failure=failed)

    def export_to(self, path: Path) -> None:
        """Write the saved latest version to a workbook, off the UI thread."""
        version_id, number = self.version_id, self.version_number
        if version_id is None:
            return

        def work() -> None:
            with self.store.reader() as session:
                export_framework(session, version_id, path)

        written = tr("Version {number} written to {file}.").format(number=number, file=path.name)
        if self.pending:
            written += " " + tr("Unsaved changes are not in it.")
        self._run(tr("Exporting the framework…"), work, lambda _r: self._tell(
            tr("Framework"), written, QMessageBox.Icon.Information))

    def import_from(self, path: Path) -> None:
        """Read a workbook and write it as the next version, off the UI thread."""
        framework_id = self.framework_id
        if framework_id is None:
            return
        if self.pending:
            self._tell(tr("Framework"), tr("Save or discard the unsaved changes before importing."),
                       QMessageBox.Icon.Information)
            return

        def imported(_made: FrameworkVersionId) -> None:
            self.reload()
            self.changed.emit()
            said = tr("{file} imported as version {number}.").format(
                file=path.name, number=self.version_number)
            self._tell(tr("Framework"), f"{said} {tr(KEEP_NOTE)}", QMessageBox.Icon.Information)

        self._write(tr("Importing the framework…"),
                    lambda s: import_framework(s, path, framework_id), imported,
                    title=tr("Framework"))

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        # Window-modal but not blocking: tests never hang on it.
        self.message = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        self.message.setWindowModality(Qt.WindowModality.WindowModal)
        self.message.open()

