"""The Recommendations page: the followed recommendations with filters and a detail pane with
their history, a view per institution, and the implementation summary.

Every change goes through an undoable command (Ctrl+Z / Ctrl+Shift+Z). Dialogs open window-modal
without blocking, and the page acts when they are accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.errors import KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.queries import (
    LinkChoices,
    RecFilter,
    RecRow,
    RecSort,
    adopted_catalogue_ids,
    count_overdue,
    count_recommendations,
    link_choices,
    recommendation_detail,
    recommendation_page,
    recommendation_position,
)
from r2pdesk.recommendations.service import (
    PRIORITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    RecommendationInput,
    current_input,
)
from r2pdesk.reference.service import search_catalogue, target_label
from r2pdesk.sources.attachments import export_attachment
from r2pdesk.sources.models import Attachment
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.changes import Changed, on_change
from ui.combos import ValueCombo
from ui.flow import FlowLayout
from ui.implementation_view import ImplementationView
from ui.institution_load_view import InstitutionLoadView
from ui.pages import FilterChip, open_dialog, page_action, show_message
from ui.recommendation_commands import (
    AdoptCommand,
    CreateCommand,
    EditCommand,
    ProgressCommand,
    StoreCommand,
    execute,
)
from ui.recommendation_detail import EVIDENCE_SCHEME, detail_html, emphasis
from ui.recommendation_dialogs import (
    AdoptDialog,
    LeadDialog,
    ProgressDialog,
    RecommendationDialog,
    enum_text,
)
from ui.recommendation_models import Col, RecommendationsModel
from ui.tables import WindowedTable

E = TypeVar("E", bound=StrEnum)
V = TypeVar("V")
TEXT_WIDTH = 120  # the recommendation's text at least (the list scrolls sideways rather)


def _filter_combo(label: str, any_text: str,
                  options: Iterable[tuple[str, V]]) -> ValueCombo[V | None]:
    combo: ValueCombo[V | None] = ValueCombo([(any_text, None)])
    combo.setAccessibleName(label)
    combo.setToolTip(label)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    for text, value in options:
        combo.add(text, value)
    return combo


def _enum_options(labels: Mapping[E, str]) -> list[tuple[str, E]]:
    return [(enum_text(value, text), value) for value, text in labels.items()]


class RecommendationsPage(QWidget):
    """Follow-up of the committee's recommendations."""

    changed = Signal()  # records changed: the main window refreshes its counts

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.undo_stack = QUndoStack(self)
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.choices = self._load_choices()
        self.model = RecommendationsModel(self)
        self.shown_filter: RecFilter | None = None  # what the list was read under
        self._build_actions()
        self._build()
        self.reload()
        # The list names lead institutions and linked warnings; the detail, their history.
        self.refresher = on_change(self, {
            kinds.RECOMMENDATION, kinds.PROGRESS, kinds.INSTITUTION, kinds.WARNING,
            kinds.CATALOGUE}, self._changed)

    # --- building -------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey,
                slot: Callable[[], object]) -> QAction:
        return page_action(self, text, shortcut, slot)

    def _build_actions(self) -> None:
        new = QKeySequence.StandardKey.New
        self.new_action = self._action(tr("&New…"), new, self.new_recommendation)
        self.adopt_action = self._action(tr("&Adopt from catalogue…"), "Ctrl+Shift+A",
                                         self.adopt)
        self.edit_action = self._action(tr("&Edit…"), "Ctrl+E", self.edit)
        self.progress_action = self._action(tr("Record &progress…"), "Ctrl+P",
                                            self.record_progress)
        self.lead_action = self._action(tr("Assign &lead…"), "Ctrl+L", self.assign_lead)
        self.find_action = self._action(tr("Find"), QKeySequence.StandardKey.Find,
                                        self._focus_search)
        self.undo_action = self.undo_stack.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _toolbar(self) -> FlowLayout:
        bar = FlowLayout()  # wraps on a narrow window instead of widening it
        for action in (self.new_action, self.adopt_action, self.edit_action,
                       self.progress_action, self.lead_action, None,
                       self.undo_action, self.redo_action):
            if action is None:
                bar.addSpacing(16)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)
        self.overdue_label = QLabel()
        bar.addWidget(self.overdue_label)
        return bar

    def _filters(self) -> QVBoxLayout:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search text, reference, id or institution (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = _filter_combo(tr("Status"), tr("Status: any"),
                                           _enum_options(STATUS_LABELS))
        self.institution_filter = _filter_combo(
            tr("Institution"), tr("Institution: any"),
            [(c.label, c.id) for c in self.choices.institutions])
        self.source_filter = _filter_combo(tr("Source"), tr("Source: any"),
                                           _enum_options(SOURCE_LABELS))
        self.year_filter = _filter_combo(
            tr("Report"), tr("Report: any"), [(str(y), y) for y in self.choices.report_years])
        self.target_filter = _filter_combo(
            tr("Target"), tr("Target: any"),
            [(target_label(t), t) for t in self.choices.targets])
        self.priority_filter = _filter_combo(tr("Priority"), tr("Priority: any"),
                                             _enum_options(PRIORITY_LABELS))
        self.overdue_only = QCheckBox(tr("&Overdue only"))
        # Two lines, so that a narrow window shortens the filters rather than widen.
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.overdue_only)
        combos = QHBoxLayout()
        for combo in (self.status_filter, self.institution_filter, self.source_filter,
                      self.year_filter, self.target_filter, self.priority_filter):
            combo.currentIndexChanged.connect(self.reload)
            combo.setMinimumContentsLength(4)
            combos.addWidget(combo, 1)
        lines = QVBoxLayout()
        lines.addLayout(row)
        lines.addLayout(combos)
        self.search.textChanged.connect(self.reload)
        self.overdue_only.toggled.connect(self.reload)
        return lines

    def _list_tab(self) -> QWidget:
        self.table = WindowedTable(self.model, tr("Recommendations"), (
            (Col.REF, 110), (Col.LEAD, 130), (Col.STATUS, 150), (Col.PRIORITY, 64), (Col.DUE, 185)))
        self.table.stretch(Col.TEXT, TEXT_WIDTH)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._open_link)
        self.detail.setAccessibleName(tr("Recommendation detail"))
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)  # the list's words are longer in French or Spanish
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1050, 350])
        self.count_label = QLabel()
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self._filters())
        self.filter_chip = FilterChip(
            tr("Showing: only recommendations past their due date."),
            lambda: self.overdue_only.setChecked(False))
        layout.addWidget(self.filter_chip)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        return tab

    def _build(self) -> None:
        self.institution_view = InstitutionLoadView(self.store, self.today)
        self.institution_view.institution_activated.connect(self.show_institution)
        self.summary_view = ImplementationView(self.store, self.today)
        self.summary_view.group_activated.connect(self.show_group)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._list_tab(), tr("&List"))
        self.tabs.addTab(self.institution_view, tr("By &institution"))
        self.tabs.addTab(self.summary_view, tr("Implementation &summary"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.tabs, 1)

    # --- reading ----------------------------------------------------------------------------

    def _load_choices(self, *, with_warnings: bool = False) -> LinkChoices:
        with self.store.reader() as session:
            return link_choices(session, with_warnings=with_warnings)

    def _dialog_choices(self) -> LinkChoices:
        """What a dialog offers to link, read when it opens (the filters need no warnings)."""
        return self._load_choices(with_warnings=True)

    def current_filter(self) -> RecFilter:
        """The filter the controls describe."""
        return RecFilter(
            status=self.status_filter.value(),
            institution_id=self.institution_filter.value(),
            source=self.source_filter.value(),
            report_year=self.year_filter.value(),
            target=self.target_filter.value(),
            priority=self.priority_filter.value(),
            overdue=self.overdue_only.isChecked(),
            text=self.search.text(),
        )

    def reload(self) -> None:
        """Read the list again (its first rows; more as it scrolls), keeping the selection among
        them."""
        chosen = self.selected_ids()
        spec, today, store = self.current_filter(), self.today(), self.store

        def fetch(order: RecSort, offset: int, limit: int) -> list[RecRow]:
            with store.reader() as session:
                return recommendation_page(session, spec, order, today=today, offset=offset,
                                           limit=limit)

        def count() -> int:
            with store.reader() as session:
                return count_recommendations(session, spec, today=today)

        def locate(order: RecSort, rec_id: uuid.UUID) -> int | None:
            with store.reader() as session:
                return recommendation_position(session, spec, order, rec_id, today=today)

        # The same filter again (after a write): as many rows as were read; the table keeps the
        # chosen ones among them.
        same, self.shown_filter = spec == self.shown_filter, spec
        self.model.set_source(fetch, count, locate, keep_window=same)
        # Said above the list too: set by a dashboard figure, it would otherwise go unnoticed.
        self.filter_chip.setVisible(spec.overdue)
        with self.store.reader() as session:
            overdue = count_overdue(session, today=today)
        total = self.model.total()
        self.count_label.setText(
            tr("1 recommendation shown") if total == 1
            else tr("{count} recommendations shown").format(count=format_number(total)))
        self.overdue_label.setText(tr("⚠ {count} overdue").format(count=format_number(overdue))
                                   if overdue else tr("none overdue"))
        if not chosen:
            self._show_detail()

    def _refresh_all(self) -> None:
        """A command of this page ran (and announced what it changed): show it now."""
        self.refresher.flush()
        self.changed.emit()

    def _changed(self, changed: Changed) -> None:
        """Something shown changed, here or elsewhere: the list (keeping the selection and its
        place), the detail, the institution names in the filter, the tab in front."""
        if changed.touches({kinds.INSTITUTION, kinds.CATALOGUE}):
            self.choices = self._load_choices()
            self.institution_filter.set_items(
                [(c.label, c.id) for c in self.choices.institutions], keep=1)
        self.reload()
        self._show_detail()
        if self.tabs.currentWidget() is self.institution_view:
            self.institution_view.refresh()

    def _tab_changed(self, index: int) -> None:
        # The summary keeps its figures until they change (it listens for itself).
        if self.tabs.widget(index) is self.institution_view:
            self.institution_view.refresh()

    def selected_rows(self) -> list[RecRow]:
        """The recommendations chosen in the list, in list order."""
        return self.table.selected_rows()

    def selected_ids(self) -> list[uuid.UUID]:
        """The ids of the chosen recommendations."""
        return self.table.selected_ids()

    def select(self, ids: list[uuid.UUID]) -> None:
        """Choose these recommendations in the list (those shown)."""
        self.table.select_ids(ids)

    def _selection_changed(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            text = tr("Choose a recommendation to see its history.") if not rows else (
                tr("{count} recommendations chosen.").format(count=format_number(len(rows))))
            self.detail.setHtml(f"<p>{emphasis(text)}</p>")
            return
        with self.store.reader() as session:
            detail = recommendation_detail(session, rows[0].id, today=self.today())
        self.detail.setHtml(detail_html(detail))

    # --- acting -----------------------------------------------------------------------------

    def _run(self, command: StoreCommand, select: list[uuid.UUID] | None = None) -> bool:
        error = execute(self.undo_stack, command)
        if error is not None:
            self._show_message(tr("Not saved"), error, QMessageBox.Icon.Warning)
            return False
        if select:
            self.select(select)
        return True

    def _open(self, dialog: QDialog, accepted: Callable[[], None]) -> None:
        self.dialog = open_dialog(dialog, accepted)

    def new_recommendation(self) -> None:
        """Write the committee's own (or a UPR, treaty-body ...) recommendation."""
        blank = RecommendationInput(text="", made_on=self.today())
        dialog = RecommendationDialog(self._dialog_choices(), blank, self)
        self._open(dialog, lambda: self._created(dialog))

    def _created(self, dialog: RecommendationDialog) -> None:
        command = CreateCommand(self.store, dialog.value(), self._refresh_all)
        if self._run(command, [command.rec_id]):
            self.tabs.setCurrentIndex(0)

    def adopt(self) -> None:
        """Adopt catalogue recommendations not adopted yet."""
        with self.store.reader() as session:
            items = search_catalogue(session)
            taken = adopted_catalogue_ids(session)
        free = [item for item in items if item.id not in taken]
        dialog = AdoptDialog(free, self.choices, self.today(), self)
        self._open(dialog, lambda: self._adopted(dialog))

    def _adopted(self, dialog: AdoptDialog) -> None:
        ids, adoption = dialog.value()
        command = AdoptCommand(self.store, ids, adoption, self._refresh_all)
        self._run(command, command.rec_ids)

    def edit(self) -> None:
        """Edit the chosen recommendation."""
        ids = self.selected_ids()
        if len(ids) != 1:
            self._tell(tr("Choose one recommendation to edit."))
            return
        with self.store.reader() as session:
            data = current_input(session, ids[0])
        dialog = RecommendationDialog(self._dialog_choices(), data, self)
        self._open(dialog, lambda: self._edited(ids[0], dialog))

    def _edited(self, rec_id: uuid.UUID, dialog: RecommendationDialog) -> None:
        new = dialog.value()
        command = EditCommand(self.store, tr("Edit recommendation"), {rec_id: lambda _old: new},
                              self._refresh_all)
        self._run(command, [rec_id])

    def record_progress(self) -> None:
        """Record progress on the chosen recommendation."""
        rows = self.selected_rows()
        if len(rows) != 1:
            self._tell(tr("Choose one recommendation to record its progress."))
            return
        dialog = ProgressDialog(rows[0].status, self.today(), self.store.actor.name, self)
        self._open(dialog, lambda: self._progressed(rows[0].id, dialog))

    def _progressed(self, rec_id: uuid.UUID, dialog: ProgressDialog) -> None:
        command = ProgressCommand(self.store, rec_id, dialog.value(), self.today(),
                                  self._refresh_all)
        self._run(command, [rec_id])

    def assign_lead(self) -> None:
        """Give the chosen recommendations one lead institution."""
        ids = self.selected_ids()
        if not ids:
            self._tell(tr("Choose the recommendations to assign first."))
            return
        dialog = LeadDialog(self.choices, len(ids), self)
        self._open(dialog, lambda: self._assigned(ids, dialog))

    def _assigned(self, ids: list[uuid.UUID], dialog: LeadDialog) -> None:
        lead = dialog.value()

        def change(data: RecommendationInput) -> RecommendationInput:
            supporters = tuple(s for s in data.supporter_ids if s != lead)
            return replace(data, lead_institution_id=lead, supporter_ids=supporters)

        n = len(ids)
        text = (tr("Assign lead to 1 recommendation") if n == 1
                else tr("Assign lead to {count} recommendations").format(count=format_number(n)))
        command = EditCommand(self.store, text, dict.fromkeys(ids, change), self._refresh_all)
        self._run(command, ids)

    def _tell(self, text: str) -> None:
        self._show_message(tr("Recommendations"), text, QMessageBox.Icon.Information)

    def _show_message(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        self.message = show_message(self, title, text, icon)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() != EVIDENCE_SCHEME:
            return
        attachment_id = uuid.UUID(url.path())
        with self.store.reader() as session:  # the file's own name, to save it under
            attachment = session.get(Attachment, attachment_id)
            name = attachment.original_name if attachment is not None else ""
        target, _ = QFileDialog.getSaveFileName(self, tr("Save evidence file"),
                                                options.in_last_folder(name))
        if target:
            options.remember_folder(target)
            self.save_evidence(attachment_id, Path(target))

    def save_evidence(self, attachment_id: uuid.UUID, target: Path) -> None:
        """Write an evidence file where the person chose, checked against its checksum."""
        try:
            with self.store.reader() as session:
                export_attachment(session, attachment_id, target)
        except KnownError as exc:
            self._show_message(tr("Evidence not saved"), str(exc), QMessageBox.Icon.Warning)

    # --- navigation from the other views -------------------------------------------------------

    def _reset_filters(self) -> None:
        for combo in (self.status_filter, self.institution_filter, self.source_filter,
                      self.year_filter, self.target_filter, self.priority_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.overdue_only.blockSignals(True)
        self.overdue_only.setChecked(False)
        self.overdue_only.blockSignals(False)

    def show_institution(self, institution_id: uuid.UUID) -> None:
        """The list, filtered to one institution."""
        self._reset_filters()
        self.institution_filter.set_value(institution_id)
        self.tabs.setCurrentIndex(0)
        self.reload()

    def show_group(self, kind: str, value: object) -> None:
        """The list, filtered to a row of the implementation summary."""
        self._reset_filters()
        combos: dict[str, ValueCombo[Any]] = {
            "report": self.year_filter, "target": self.target_filter, "source": self.source_filter
        }
        combo = combos.get(kind)
        if combo is not None:
            combo.set_value(value)
        self.tabs.setCurrentIndex(0)
        self.reload()

    def show_recommendation(self, rec_id: uuid.UUID) -> None:
        """The list with every recommendation, this one chosen and its history shown."""
        self._reset_filters()
        self.tabs.setCurrentIndex(0)
        self.reload()
        self.select([rec_id])

    def show_overdue(self) -> None:
        """The list, overdue ones only."""
        self._reset_filters()
        self.overdue_only.setChecked(True)
        self.tabs.setCurrentIndex(0)

