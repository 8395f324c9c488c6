"""The Early warnings page: the register with filters, a detail pane with each warning's
timeline, and the actions of its life cycle: new, edit, issue, respond, escalate, close, and
deleting a draft.

Every change is an undoable command (`ui.warning_commands`; Ctrl+Z / Ctrl+Shift+Z), which
announces the warning as changed. Issuing, closing and deleting a draft ask first. When the core
refuses, nothing was saved: a form stays open with everything typed and the refusal under the
field it names; otherwise the message is shown. Actions that do not fit the chosen warning are
disabled.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.earlywarning import queries, service
from r2pdesk.earlywarning.models import Severity, WarningId, WarningStatus
from r2pdesk.i18n import format_number, tr
from r2pdesk.store import Store
from ui import changes as kinds
from ui import warning_commands as commands
from ui.changes import Changed, on_change
from ui.flow import FlowLayout
from ui.guarded import GuardedDialog
from ui.pages import FilterChip, open_dialog, page_action, show_message
from ui.recommendation_commands import execute
from ui.tables import WindowedTable
from ui.warning_detail import detail_html, emphasis
from ui.warning_dialogs import (
    CloseDialog,
    EscalateDialog,
    ResponseDialog,
    WarningDialog,
    optional_combo,
)
from ui.warning_models import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    Col,
    WarningsModel,
    summary_text,
)

OPEN = frozenset({WarningStatus.ISSUED, WarningStatus.ACKNOWLEDGED,
                  WarningStatus.RESPONSE_UNDER_WAY})
TITLE_WIDTH = 160  # the warning's title at least (the list scrolls sideways rather)


class WarningsPage(QWidget):
    """The early-warning register and the life cycle of its warnings."""

    changed = Signal()  # records changed: the main window refreshes its counts

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.undo_stack = QUndoStack(self)
        self.model = WarningsModel(self)
        self.shown_filter: queries.WarningFilter | None = None  # what the list was read under
        self.summary_due = False  # the response times are to be measured again
        self._build_actions()
        self._build()
        self.reload()
        # The list and the detail name institutions, areas, groups, sources and indicators.
        self.refresher = on_change(self, {
            kinds.WARNING, kinds.INSTITUTION, kinds.AREA, kinds.GROUP, kinds.SOURCE,
            kinds.FRAMEWORK}, self._changed)

    # --- building -------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey, tip: str,
                slot: Callable[[], object]) -> QAction:
        return page_action(self, text, shortcut, slot, tip)

    def _build_actions(self) -> None:
        self.new_action = self._action(tr("&New…"), QKeySequence.StandardKey.New,
                                       tr("Write a new draft warning"), self.new_warning)
        self.edit_action = self._action(tr("&Edit…"), "Ctrl+E", tr("Edit the chosen warning"),
                                        self.edit)
        self.issue_action = self._action(tr("&Issue…"), "Ctrl+I",
                                         tr("Send the chosen draft to its addressees"),
                                         self.issue)
        self.respond_action = self._action(tr("&Record response…"), "Ctrl+R",
                                           tr("Log an acknowledgement or an action"),
                                           self.respond)
        self.escalate_action = self._action(tr("Esc&alate…"), "Ctrl+Shift+E",
                                            tr("Raise the severity, saying why"), self.escalate)
        self.close_action = self._action(tr("&Close…"), "Ctrl+Shift+C",
                                         tr("Close the chosen warning with its resolution"),
                                         self.close_warning)
        self.delete_action = self._action(tr("&Delete draft…"), "Ctrl+Shift+Del",
                                          tr("Delete the chosen draft warning"),
                                          self.delete_draft)
        self.find_action = self._action(tr("Find"), QKeySequence.StandardKey.Find,
                                        tr("Search references and titles"), self._focus_search)
        self.undo_action = self.undo_stack.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _toolbar(self) -> FlowLayout:
        bar = FlowLayout()  # wraps on a narrow window instead of widening it
        for action in (self.new_action, self.edit_action, self.issue_action,
                       self.respond_action, self.escalate_action, self.close_action,
                       self.delete_action, None, self.undo_action, self.redo_action):
            if action is None:
                bar.addSpacing(12)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName(tr("Response times"))
        # It wraps rather than widen the window: the line is longer in French or Spanish.
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(
            Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.summary_label, 1)
        return bar

    def _filters(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search reference or title (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = optional_combo(STATUS_LABELS, None, tr("Status: any"))
        self.severity_filter = optional_combo(SEVERITY_LABELS, None, tr("Severity: any"))
        self.overdue_only = QCheckBox(tr("&Overdue only"))
        row = QHBoxLayout()
        row.addWidget(self.search, 3)
        for combo, name in ((self.status_filter, tr("Status")),
                            (self.severity_filter, tr("Severity"))):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.reload_list)
            row.addWidget(combo, 1)
        row.addWidget(self.overdue_only)
        self.search.textChanged.connect(self.reload_list)
        self.overdue_only.toggled.connect(self.reload_list)
        return row

    def _table(self) -> WindowedTable:
        table = WindowedTable(self.model, tr("Early warnings"), (
            (Col.REF, 120), (Col.SEVERITY, 105), (Col.STATUS, 150), (Col.ISSUED, 95),
            (Col.DUE, 190), (Col.ADDRESSEES, 180), (Col.ACTION, 115)))
        table.stretch(Col.TITLE, TITLE_WIDTH)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.doubleClicked.connect(lambda _index: self.edit())
        return table

    def _build(self) -> None:
        self.table = self._table()
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName(tr("Warning detail"))
        # One above the other: the register needs its eight columns, the detail two of its own.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 420])
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addLayout(self._filters())
        self.filter_chip = FilterChip(
            tr("Showing: only warnings whose response is overdue."),
            lambda: self.overdue_only.setChecked(False))
        layout.addWidget(self.filter_chip)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

    # --- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list and the response times again, keeping the selection.

        The response times are the whole register's (not read again on a change of filter) and
        cost a pass over it: they are measured once the list's first rows are shown.
        """
        self.reload_list()
        if not self.summary_due:
            self.summary_due = True
            QTimer.singleShot(0, self, self.refresh_summary)

    def _changed(self, _changed: Changed) -> None:
        """Something shown changed: the list (keeping the selection and place), the response
        times and the detail, read again."""
        self.reload()
        self._show_detail(self.selected_rows())

    def refresh_summary(self) -> None:
        """Measure the register's response times now and show them."""
        self.summary_due = False
        with self.store.reader() as session:
            summary = queries.timing_summary(session, self.today())
        self.summary_label.setText(summary_text(summary))

    def current_filter(self) -> queries.WarningFilter:
        """The filter the controls describe."""
        return queries.WarningFilter(
            status=self.status_filter.value(), severity=self.severity_filter.value(),
            overdue=self.overdue_only.isChecked(), text=self.search.text())

    def reload_list(self) -> None:
        """Read the list again under the filters (its first rows; more as it scrolls), keeping
        the selection among them."""
        spec, today, store = self.current_filter(), self.today(), self.store

        def fetch(order: queries.WarningSort, offset: int,
                  limit: int) -> list[queries.WarningRow]:
            with store.reader() as session:
                return queries.warning_page(session, spec, order, today=today, offset=offset,
                                            limit=limit)

        def count() -> int:
            with store.reader() as session:
                return queries.count_warnings(session, spec, today=today)

        def locate(order: queries.WarningSort, warning_id: uuid.UUID) -> int | None:
            with store.reader() as session:
                return queries.warning_position(session, spec, order, warning_id, today=today)

        # The same filter again (after a write): as many rows as were read; the table keeps the
        # chosen ones among them.
        same, self.shown_filter = spec == self.shown_filter, spec
        self.model.set_source(fetch, count, locate, keep_window=same)
        # Said above the list too: set by a dashboard figure, it would otherwise go unnoticed.
        self.filter_chip.setVisible(spec.overdue)
        total = self.model.total()
        self.count_label.setText(
            tr("1 warning shown") if total == 1
            else tr("{count} warnings shown").format(count=format_number(total)))
        if not self.selected_rows():  # nothing chosen, or what was chosen is filtered out
            self._selection_changed()

    def selected_rows(self) -> list[queries.WarningRow]:
        """The warnings chosen in the list, in list order."""
        return self.table.selected_rows()

    def selected_ids(self) -> list[WarningId]:
        """The ids of the chosen warnings."""
        return self.table.selected_ids()

    def select(self, ids: Sequence[uuid.UUID]) -> None:
        """Choose these warnings in the list (those the filters show, read down to the first)."""
        self.table.select_ids(ids)

    def show_warning(self, warning_id: uuid.UUID) -> None:
        """The whole register, this warning chosen and shown in full."""
        self._reset_filters()
        self.reload_list()
        self.select([warning_id])

    def show_overdue(self) -> None:
        """The register, overdue warnings only."""
        self._reset_filters()
        self.overdue_only.setChecked(True)

    def _reset_filters(self) -> None:
        widgets = (self.status_filter, self.severity_filter, self.search, self.overdue_only)
        blockers = [QSignalBlocker(widget) for widget in widgets]  # one reload, by the caller
        self.status_filter.setCurrentIndex(0)
        self.severity_filter.setCurrentIndex(0)
        self.search.clear()
        self.overdue_only.setChecked(False)
        del blockers

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        one = rows[0] if len(rows) == 1 else None
        status = one.status if one else None
        self.edit_action.setEnabled(one is not None)
        self.issue_action.setEnabled(status is WarningStatus.DRAFT)
        self.respond_action.setEnabled(status is not None and status is not WarningStatus.DRAFT)
        self.escalate_action.setEnabled(
            status in OPEN and one is not None and one.severity is not Severity.CRITICAL)
        self.close_action.setEnabled(status in OPEN)
        self.delete_action.setEnabled(status is WarningStatus.DRAFT)
        self._show_detail(rows)

    def _show_detail(self, rows: list[queries.WarningRow]) -> None:
        if len(rows) != 1:
            text = tr("Choose a warning to see it in full.") if not rows else (
                tr("{count} warnings chosen.").format(count=format_number(len(rows))))
            self.detail.setHtml(f"<p>{emphasis(text)}</p>")
            return
        with self.store.reader() as session:
            detail = queries.warning_detail(session, rows[0].id)
            texts = queries.framework_texts(session, detail)
        self.detail.setHtml(detail_html(detail, texts, self.today()))

    def _choices(self) -> queries.WarningChoices:
        with self.store.reader() as session:
            return queries.warning_choices(session)

    def _one(self, ask: str) -> queries.WarningRow | None:
        """The one warning chosen; else `ask` ("Choose one warning to ...") is shown."""
        rows = self.selected_rows()
        if len(rows) != 1:
            self._show_message(tr("Early warnings"), ask, QMessageBox.Icon.Information)
            return None
        return rows[0]

    # --- acting -----------------------------------------------------------------------------

    def _run(self, command: commands.WarningCommand, dialog: GuardedDialog | None = None,
             then: Callable[[WarningId], object] | None = None) -> bool:
        """Make a change as an undoable command, then choose the warning; a refusal is shown
        under its field in `dialog` (which stays open), else as a message."""
        error = execute(self.undo_stack, command)
        if error is not None:
            if dialog is not None:
                dialog.refuse(error)
            else:
                self._show_message(tr("Not saved"), error, QMessageBox.Icon.Warning)
            return False
        if dialog is not None:
            dialog.saved()
        self.refresher.flush()  # the list read again, then the warning chosen in it
        if command.warning_id is not None:
            self.select([command.warning_id])
            if then is not None:
                then(command.warning_id)
        self.changed.emit()
        return True

    def _open(self, dialog: GuardedDialog, save: Callable[[], object]) -> None:
        """Open a form whose OK runs `save`; it closes once saved."""
        dialog.save = lambda: (save(), None)[1]  # the outcome: `saved` or `refuse`
        self.dialog = open_dialog(dialog, lambda: None)

    def _ask(self, parent: QWidget, title: str, question: str, yes: Callable[[], object],
             no: Callable[[], object] = lambda: None) -> None:
        """Ask a Yes/Cancel question without blocking; run `yes` or `no`."""
        self._show_message(title, question, QMessageBox.Icon.Question, ask=True, parent=parent)
        box = self.message
        assert box is not None
        chosen = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: yes() if button is chosen else no())
        box.rejected.connect(no)  # Escape

    def new_warning(self) -> None:
        """Write a new draft warning."""
        today = self.today()
        with self.store.reader() as session:
            reference = service.next_reference(session, today.year)
        dialog = WarningDialog(self._choices(), service.WarningDraft(title=""),
                               tr("New warning ({reference})").format(reference=reference),
                               today, parent=self)
        self._open(dialog, lambda: self._run(
            commands.create(self.store, dialog.value(), today), dialog, self.show_warning))

    def edit(self) -> None:
        """Edit the chosen warning."""
        row = self._one(tr("Choose one warning to edit."))
        if row is None:
            return
        with self.store.reader() as session:
            draft = queries.warning_detail(session, row.id).draft()
        dialog = WarningDialog(self._choices(), draft,
                               tr("Edit {reference}").format(reference=row.reference),
                               self.today(), issued=row.issued is not None, parent=self)
        self._open(dialog, lambda: self._run(
            commands.edit(self.store, row.id, row.reference, dialog.value()), dialog))

    def issue(self) -> None:
        """Ask, then send the chosen draft to its addressees today."""
        row = self._one(tr("Choose one warning to issue."))
        if row is None:
            return
        n = len(row.addressees)
        question = (
            tr("Issue {reference} “{title}” today to 1 addressee? Its response deadline follows "
               "from its severity.") if n == 1 else
            tr("Issue {reference} “{title}” today to {count} addressees? Its response deadline "
               "follows from its severity.")
        ).format(reference=row.reference, title=row.title, count=format_number(n))
        today = self.today()
        self._ask(self, tr("Issue warning"), question, lambda: self._run(
            commands.issue(self.store, row.id, row.reference, today)))

    def respond(self) -> None:
        """Record what an institution did about the chosen warning."""
        row = self._one(tr("Choose one warning to record a response to."))
        if row is None:
            return
        with self.store.reader() as session:
            addressees = [x.id for x in queries.warning_detail(session, row.id).addressees]
        institutions = [(x.id, x.label) for x in self._choices().institutions]
        dialog = ResponseDialog(row.reference, institutions, addressees, self.today(), self)
        self._open(dialog, lambda: self._responded(row, dialog))

    def _responded(self, row: queries.WarningRow, dialog: ResponseDialog) -> None:
        entry = dialog.value()
        if entry.institution_id is None:
            dialog.refuse(tr("institution: choose the institution that responded"))
            return
        self._run(commands.respond(
            self.store, row.id, row.reference, institution=entry.institution_id, on=entry.on,
            kind=entry.kind, action_taken=entry.action_taken, outcome=entry.outcome,
            today=self.today()), dialog)

    def escalate(self) -> None:
        """Raise the chosen warning's severity."""
        row = self._one(tr("Choose one warning to escalate."))
        if row is None:
            return
        dialog = EscalateDialog(row.reference, row.severity, self)

        def save() -> None:
            severity, reason = dialog.value()
            self._run(commands.escalate(self.store, row.id, row.reference, severity=severity,
                                        reason=reason, today=self.today()), dialog)

        self._open(dialog, save)

    def close_warning(self) -> None:
        """Close the chosen warning, saying how it ended; asked once more before closing."""
        row = self._one(tr("Choose one warning to close."))
        if row is None:
            return
        dialog = CloseDialog(row.reference, self.today(), self)
        self._open(dialog, lambda: self._closing(row, dialog))

    def _closing(self, row: queries.WarningRow, dialog: CloseDialog) -> None:
        resolution, note, on = dialog.value()
        command = commands.close(self.store, row.id, row.reference, resolution=resolution,
                                 note=note, on=on, today=self.today())
        if resolution is None:  # refused at once, under the field: nothing to confirm
            self._run(command, dialog)
            return

        def resume() -> None:
            dialog.busy = False  # back to the form, as it was

        question = tr("Close {reference} “{title}”? It leaves the open warnings; responses can "
                      "still be recorded.").format(reference=row.reference, title=row.title)
        self._ask(dialog, tr("Close warning"), question, lambda: self._run(command, dialog),
                  resume)

    def delete_draft(self) -> None:
        """Ask, then delete the chosen draft (Ctrl+Z brings it back)."""
        row = self._one(tr("Choose one draft warning to delete."))
        if row is None:
            return
        question = tr("Delete the draft {reference} “{title}”? Undo (Ctrl+Z) brings it back."
                      ).format(reference=row.reference, title=row.title)
        self._ask(self, tr("Delete draft"), question, lambda: self._run(
            commands.delete_draft(self.store, row.id, row.reference)))

    def _show_message(self, title: str, text: str, icon: QMessageBox.Icon, *,
                      ask: bool = False, parent: QWidget | None = None) -> None:
        self.message = show_message(parent or self, title, text, icon, ask=ask)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
