"""The Risk assessments page: the list of assessments and their review, the rating grid of the
chosen one (rated from the keyboard, every change saved at once), the heat map of a scope's
successive assessments, and the framework editor.

Autosave: each level, confidence step, evidence, override and inhibitor is written by one use
case in one short session as soon as it is made, so nothing is lost if the app closes. When the
core refuses, its message is shown and nothing was saved; a refused form stays open as it was,
the refusal under its field.

Undo (Ctrl+Z / Ctrl+Shift+Z): ratings, the overall level, inhibitors, details and the review's
steps are undoable commands (`ui.assessment_commands`); validating asks first, and its undo
reopens the assessment for review.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.assessments import service
from r2pdesk.assessments.models import AssessmentStatus, Level, Strength
from r2pdesk.assessments.queries import (
    Grid,
    RatingChoices,
    assessment_grid,
    list_assessments,
    rating_choices,
)
from r2pdesk.assessments.scale import is_rated
from r2pdesk.assessments.service import AssessmentInput, RatingInput
from r2pdesk.errors import KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.store import Store
from ui import assessment_commands as commands
from ui import changes as kinds
from ui.assessment_dialogs import (
    COPY_NOTE,
    AssessmentDialog,
    EvidenceDialog,
    FormDialog,
    OverallBox,
    ResiliencePanel,
    current_input,
    heading_html,
    item_html,
    scale_help_html,
    summary_html,
)
from ui.assessment_grid import (
    KEYS_HELP,
    AssessmentsModel,
    Col,
    GridModel,
    LevelDelegate,
    RatingTable,
    fit_headers,
    grid_rows,
    heading_rows,
    rating_input,
    step_confidence,
)
from ui.changes import Changed, on_change
from ui.flow import FlowLayout
from ui.framework_editor import FrameworkEditor
from ui.guarded import GuardedDialog, scrolling
from ui.heat_map import HeatMapPanel
from ui.operations import write_now
from ui.recommendation_commands import execute
from ui.tables import select_row

LIST_TAB, GRID_TAB, HEAT_TAB, FRAMEWORK_TAB = range(4)


class AssessmentsPage(QWidget):
    """Risk assessments on the Framework of Analysis, from the first rating to validation."""

    changed = Signal()  # records changed: the main window refreshes its counts

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.grid: Grid | None = None
        self.undo_stack = QUndoStack(self)
        self.list_model = AssessmentsModel((), self)
        self.grid_model = GridModel(self)
        self._build_actions()
        self._build()
        self.reload()
        self.refresher = on_change(self, {kinds.ASSESSMENT, kinds.FRAMEWORK, kinds.AREA,
                                          kinds.SOURCE}, lambda _changed: self.reload())

    # --- building -------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey, tip: str,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(tr("&New…"), QKeySequence.StandardKey.New,
                                       tr("Start a new draft assessment"), self.new_assessment)
        self.copy_action = self._action(tr("&Copy forward…"), "Ctrl+Shift+C",
                                        tr("A new draft from the chosen assessment"),
                                        self.copy_forward)
        self.edit_action = self._action(tr("&Edit details…"), "Ctrl+E",
                                        tr("Title, scope, period, phase, authors, summary"),
                                        self.edit_details)
        self.submit_action = self._action(tr("Submit for &review"), "Ctrl+Shift+R",
                                          tr("Send the draft to the committee"), self.submit)
        self.validate_action = self._action(tr("&Validate"), "Ctrl+Shift+V",
                                            tr("Adopt the assessment under review"),
                                            self.validate)
        self.supersede_action = self._action(tr("Su&persede"), "",
                                             tr("Keep a validated assessment for the record"),
                                             self.supersede)
        self.draft_action = self._action(tr("Return to &draft"), "Ctrl+Shift+D",
                                         tr("Send it back to its authors"), self.return_to_draft)
        self.undo_action = self.undo_stack.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _build(self) -> None:
        self.toolbar = QWidget()
        bar = FlowLayout(self.toolbar)  # wraps on a narrow window instead of widening it
        bar.setContentsMargins(0, 0, 0, 0)
        for action in (self.new_action, self.copy_action, self.edit_action, None,
                       self.submit_action, self.validate_action, self.supersede_action,
                       self.draft_action, None, self.undo_action, self.redo_action):
            if action is None:
                bar.addSpacing(16)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)
        self.heat_panel = HeatMapPanel(self.store)
        self.framework = FrameworkEditor(self.store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._list_tab(), tr("&Assessments"))
        self.tabs.addTab(self._grid_tab(), tr("Rating &grid"))
        self.tabs.addTab(self.heat_panel, tr("&Heat map"))
        self.tabs.addTab(self.framework, tr("&Framework"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tabs, 1)

    def _list_tab(self) -> QWidget:
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setAccessibleName(tr("Assessments"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(AssessmentsModel.LEVEL_COLUMN,
                                            LevelDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit_headers(self.table, ((1, 140), (2, 190), (3, 120), (4, 110), (5, 170), (6, 70)))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_grid())
        self.table.doubleClicked.connect(lambda _i: self.tabs.setCurrentIndex(GRID_TAB))
        self.count_label = QLabel()
        self.list_detail = QLabel()
        self.list_detail.setWordWrap(True)
        self.list_detail.setTextFormat(Qt.TextFormat.RichText)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list_detail)
        return tab

    def _grid_controls(self) -> QHBoxLayout:
        self.unrated_only = QCheckBox(tr("&Unrated only"))
        self.unrated_only.toggled.connect(lambda _on: self._show_grid())
        help_button = QToolButton()
        help_button.setText(tr("How levels work…"))
        help_button.setToolTip(scale_help_html())
        help_button.clicked.connect(lambda: self._tell(tr("The scale and how levels derive"),
                                                       scale_help_html()))
        keys = QLabel(tr(KEYS_HELP))
        keys.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(keys, 1)
        controls.addWidget(self.unrated_only)
        controls.addWidget(help_button)
        return controls

    def _side(self) -> QWidget:
        self.item_detail = QLabel()
        self.item_detail.setWordWrap(True)
        self.item_detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.item_detail.setTextFormat(Qt.TextFormat.RichText)
        self.resilience = ResiliencePanel()
        self.resilience.changed.connect(self.save_resilience)
        chosen = QGroupBox(tr("The chosen line in full"))
        QVBoxLayout(chosen).addWidget(self.item_detail)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chosen, 1)
        layout.addWidget(self.resilience)
        return scrolling(side)  # the seven inhibitors scroll rather than heighten the window

    def _grid_tab(self) -> QWidget:
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.overall = OverallBox()
        self.overall.level.setWordWrap(True)  # a long language wraps it rather than widen
        self.overall.apply.connect(self.set_overall)
        self.rating_table = RatingTable(self.grid_model)
        self.rating_table.level_typed.connect(self.rate)
        self.rating_table.confidence_stepped.connect(self.step_confidence)
        self.rating_table.editor_requested.connect(self.open_evidence)
        self.rating_table.selectionModel().currentRowChanged.connect(lambda *_: self._detail())
        splitter = QSplitter()
        splitter.addWidget(self.rating_table)
        splitter.addWidget(self._side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([990, 380])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.heading)
        layout.addWidget(self.overall)
        layout.addLayout(self._grid_controls())
        layout.addWidget(splitter, 1)
        return tab

    # --- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again, keeping the assessment chosen (the latest when none is)."""
        chosen = self.current_id()
        with self.store.reader() as session:
            rows = list_assessments(session)
        self.list_model.set_rows(rows)
        self.count_label.setText(
            tr("1 assessment") if len(rows) == 1
            else tr("{count} assessments").format(count=format_number(len(rows))))
        row = self.list_model.row_of(chosen) if chosen else -1
        with QSignalBlocker(self.table.selectionModel()):  # the grid is read once, below
            select_row(self.table, row if row >= 0 else 0)
        self._load_grid()

    def current_id(self) -> uuid.UUID | None:
        """The assessment chosen in the list."""
        row = self.table.currentIndex().row()
        return self.list_model.row_at(row).id if row >= 0 else None

    def _tab_changed(self, index: int) -> None:
        self.toolbar.setVisible(index in (LIST_TAB, GRID_TAB))  # they act on the chosen one
        if index == HEAT_TAB:
            self.heat_panel.refresh()

    def _load_grid(self) -> None:
        assessment_id = self.current_id()
        self.grid = None
        if assessment_id is not None:
            with self.store.reader() as session:
                self.grid = assessment_grid(session, assessment_id)
        self._enable_actions()
        self._show_grid()

    def _enable_actions(self) -> None:
        status = self.grid.assessment.status if self.grid else None
        self.copy_action.setEnabled(status is not None)
        self.edit_action.setEnabled(self.grid is not None and self.grid.editable)
        for action, allowed in ((self.submit_action, AssessmentStatus.DRAFT),
                                (self.validate_action, AssessmentStatus.UNDER_REVIEW),
                                (self.draft_action, AssessmentStatus.UNDER_REVIEW),
                                (self.supersede_action, AssessmentStatus.VALIDATED)):
            action.setEnabled(status is allowed)

    def _show_grid(self) -> None:
        grid = self.grid
        key = self._current_key()
        at = self.rating_table.currentIndex().row()
        rows = grid_rows(grid, unrated_only=self.unrated_only.isChecked()) if grid else []
        self.grid_model.set_rows(rows)
        self.rating_table.clearSpans()
        for row in heading_rows(rows):
            self.rating_table.setSpan(row, 0, 1, len(Col))
        self.heading.setText(heading_html(grid))
        self.list_detail.setText(heading_html(grid) + (summary_html(grid) if grid else ""))
        self.overall.setVisible(grid is not None)
        if grid is not None:
            self.overall.show_grid(grid)
            self.resilience.set_cells(grid.resilience, editable=grid.editable)
        row = self.grid_model.row_near(key, at)
        if row >= 0:
            self.rating_table.setCurrentIndex(self.grid_model.index(row, Col.LEVEL))
        self._detail()

    def _current_key(self) -> tuple[uuid.UUID, uuid.UUID | None] | None:
        row = self.rating_table.currentIndex().row()
        return self.grid_model.row_at(row).key if row >= 0 else None

    def _detail(self) -> None:
        row = self.rating_table.currentIndex().row()
        self.item_detail.setText(item_html(self.grid_model.row_at(row)) if row >= 0 else "")

    # --- writing ----------------------------------------------------------------------------

    def _write(self, work: Callable[[Session], object], parent: QWidget | None = None,
               after: Callable[[], object] | None = None) -> bool:
        """Run one use case; show the core's refusal, or read everything again."""
        try:
            # At once (a form waits on the answer), in its turn with the single writer.
            write_now(self.store, work, Changed.of(kinds.ASSESSMENT))
        except KnownError as exc:
            self._refused(str(exc), parent)
            return False
        self.refresher.flush()  # read everything again now, not at the end of the turn
        if after is not None:
            after()
        self.changed.emit()
        return True

    def _write_shown(self, use: Callable[..., object], *args: object,
                     parent: QWidget | None = None,
                     after: Callable[[], object] | None = None) -> bool:
        """Run `use(session, the id of the assessment shown, *args)`."""
        grid = self.grid
        return grid is not None and self._write(
            lambda s: use(s, grid.assessment.id, *args), parent, after)

    def _refused(self, message: str, parent: QWidget | None) -> None:
        """A refusal: under its field in a form (which stays open), else as a message."""
        if isinstance(parent, GuardedDialog):
            parent.refuse(message)
        else:
            self._tell(tr("Not saved"), message, QMessageBox.Icon.Warning, parent)

    def _command(self, make: Callable[[uuid.UUID], commands.AssessmentCommand],
                 parent: QWidget | None = None) -> bool:
        """Make an undoable change of the assessment shown; read everything again."""
        grid = self.grid
        if grid is None:
            return False
        error = execute(self.undo_stack, make(grid.assessment.id))
        if error is not None:
            self._refused(error, parent)
            return False
        return True

    def _after_command(self, assessment_id: uuid.UUID) -> None:
        """After a run, an undo or a redo: the assessment changed, shown again."""
        if self.current_id() == assessment_id:
            self.reload()
        else:
            self.show_assessment(assessment_id)
        self.changed.emit()

    def _save_rating(self, line_data: tuple[RatingInput, RatingInput],
                     parent: QWidget | None = None) -> bool:
        before, after = line_data
        return self._command(lambda aid: commands.rate(
            self.store, aid, before, after, lambda: self._after_command(aid)), parent)

    def rate(self, row: int, level: Level) -> bool:
        """Give a line of the grid a level (not assessed clears it)."""
        line = self.grid_model.row_at(row)
        if line.factor is None or (line.rating is None and not is_rated(level)):
            return False  # nothing to clear: no empty rating is written
        before = rating_input(line)
        return self._save_rating((before, replace(before, level=level)))

    def step_confidence(self, row: int, step: int) -> bool:
        """Raise (1) or lower (-1) a line's confidence."""
        line = self.grid_model.row_at(row)
        if line.factor is None:
            return False
        data = rating_input(line)
        after = replace(data, confidence=step_confidence(data.confidence, step))
        return self._save_rating((data, after))

    def open_evidence(self, row: int) -> None:
        """The evidence editor of a line of the grid."""
        line = self.grid_model.row_at(row)
        if line.factor is not None:
            dialog = EvidenceDialog(line, self._choices(), self)
            before = rating_input(line)
            self._open(dialog, lambda: self._save_rating((before, dialog.value()), dialog))

    def set_overall(self, level: Level | None, justification: str) -> bool:
        """Set (or take away) the committee's overall level."""
        grid = self.grid
        if grid is None:
            return False
        before = (grid.assessment.overall_override, grid.override_justification)
        return self._command(lambda aid: commands.overall(
            self.store, aid, before, (level, justification), lambda: self._after_command(aid)))

    def save_resilience(self, factor_id: uuid.UUID, strength: Strength, notes: str) -> bool:
        """Save one inhibitor's strength and notes."""
        grid = self.grid
        cell = next((c for c in grid.resilience if c.resilience_factor_id == factor_id), None
                    ) if grid else None
        if cell is None:
            return False
        done = self._command(lambda aid: commands.resilience(
            self.store, aid, factor_id, (cell.strength, cell.notes), after=(strength, notes),
            on_change=lambda: self._after_command(aid)))
        if not done:
            self._load_grid()
        return done

    # --- the list's actions -----------------------------------------------------------------

    def _choices(self) -> RatingChoices:
        with self.store.reader() as session:
            return rating_choices(session)

    def _open(self, dialog: FormDialog, save: Callable[[], bool]) -> None:
        self.dialog = dialog
        dialog.save = save
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def _details(self, title: str, data: AssessmentInput, note: str,
                 write: Callable[[Session, AssessmentInput], uuid.UUID | None]) -> None:
        dialog = AssessmentDialog(title, data, self._choices().areas, self, note)
        data_id = self.current_id()  # an edit keeps the assessment chosen
        made: list[uuid.UUID | None] = []

        def shown() -> None:
            target = made[-1] or data_id
            if target is not None:
                self.show_assessment(target)

        def save() -> bool:
            return self._write(lambda s: made.append(write(s, dialog.value())), dialog, shown)

        self._open(dialog, save)

    def new_assessment(self) -> None:
        """Start a new draft assessment."""
        today = self.today()
        start = (today.replace(day=1) - timedelta(days=150)).replace(day=1)
        blank = AssessmentInput(title="", period_start=start, period_end=today)
        self._details(tr("New assessment"), blank, "", service.create_assessment)

    def copy_forward(self) -> None:
        """A new draft carrying the chosen assessment's ratings into the next period."""
        grid = self.grid
        if grid is None:
            self._tell(tr("Assessments"), tr("Choose the assessment to copy forward first."))
            return
        row = grid.assessment
        self._details(tr("Copy forward"), current_input(grid, next_one=True),
                      tr(COPY_NOTE).format(title=row.title),
                      lambda s, d: service.copy_forward(s, row.id, d))

    def edit_details(self) -> None:
        """Edit the chosen assessment's title, scope, period, phase, authors and summary."""
        grid = self.grid
        if grid is None:
            return
        before = current_input(grid)
        dialog = AssessmentDialog(tr("Edit assessment"), before, self._choices().areas, self)
        self._open(dialog, lambda: self._command(lambda aid: commands.details(
            self.store, aid, before, dialog.value(), lambda: self._after_command(aid)), dialog))

    def submit(self) -> bool:
        """Send the chosen draft to the committee for review."""
        return self._command(lambda aid: commands.submit(
            self.store, aid, lambda: self._after_command(aid)))

    def validate(self) -> None:
        """Ask, then adopt the chosen assessment (every risk factor must be rated); Ctrl+Z
        reopens it for review."""
        grid = self.grid
        if grid is None:
            return
        question = tr("Validate “{title}”? The committee adopts it and it is kept as it is; "
                      "Undo (Ctrl+Z) reopens it for review.").format(title=grid.assessment.title)
        buttons = QMessageBox.StandardButton
        self.message = QMessageBox(QMessageBox.Icon.Question, tr("Validate"), question,
                                   buttons.Yes | buttons.Cancel, self)
        self.message.setDefaultButton(buttons.Cancel)
        self.message.setWindowModality(Qt.WindowModality.WindowModal)
        yes = self.message.button(buttons.Yes)
        self.message.buttonClicked.connect(
            lambda button: self.validated() if button is yes else None)
        self.message.open()

    def validated(self) -> bool:
        """Adopt the chosen assessment now (the question was answered)."""
        return self._command(lambda aid: commands.validate(
            self.store, aid, lambda: self._after_command(aid)))

    def supersede(self) -> bool:
        """Keep the chosen validated assessment for the record."""
        return self._write_shown(service.supersede)

    def return_to_draft(self) -> bool:
        """Send the chosen assessment back to its authors."""
        return self._command(lambda aid: commands.return_to_draft(
            self.store, aid, lambda: self._after_command(aid)))

    # --- telling, and navigation from other pages ---------------------------------------------

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information,
              parent: QWidget | None = None) -> None:
        # Window-modal but not blocking: the page stays scriptable, and tests never hang on it.
        self.message = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok,
                                   parent or self)
        self.message.setWindowModality(Qt.WindowModality.WindowModal)
        self.message.open()

    def show_assessment(self, assessment_id: uuid.UUID) -> None:
        """The rating grid of one assessment, chosen in the list."""
        self.reload()
        row = self.list_model.row_of(assessment_id)
        if row >= 0:
            select_row(self.table, row)
            self.tabs.setCurrentIndex(GRID_TAB)
            self.rating_table.setFocus()
