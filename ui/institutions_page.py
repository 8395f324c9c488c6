"""The institutions page: find, add and edit institutions and their focal points, import them
from Excel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.errors import KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.institutions.importer import ImportResult, import_institutions, write_template
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.institutions.service import (
    KIND_LABELS,
    FocalPointId,
    FocalPointInput,
    FocalPointRow,
    InstitutionDetail,
    InstitutionFilter,
    InstitutionInput,
    InstitutionRow,
    InstitutionSort,
    count_institutions,
    delete_focal_point,
    delete_institution,
    institution_choices,
    institution_detail,
    institution_page,
    institution_position,
    save_focal_point,
    save_institution,
)
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.changes import Changed, on_change
from ui.flow import FlowLayout, flowing
from ui.institution_dialogs import (
    ALL_KINDS,
    EXCEL_FILTER,
    NO_PARENT,
    FocalPointDialog,
    ask,
    field_of,
    field_widgets,
    labelled,
    notes_edit,
    table,
    tell,
)
from ui.institution_models import (
    FocalPointColumn,
    FocalPointsModel,
    InstitutionColumn,
    InstitutionsModel,
)
from ui.operations import Refusal, run_operation, run_write
from ui.tables import select_row


class InstitutionsPage(QWidget):
    """Find, add and edit the institutions the committee works with, and their focal points."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.current_id: InstitutionId | None = None
        self.detail: InstitutionDetail | None = None
        self.focal_dialog: FocalPointDialog | None = None
        self.message: QMessageBox | None = None  # the last message shown, for tests
        self.busy = False  # a change is being saved
        self._everyone: list[tuple[InstitutionId, str]] = []
        self.institutions = InstitutionsModel(parent=self)
        self.shown_filter: InstitutionFilter | None = None  # what the list was read under
        self.focal_points = FocalPointsModel(parent=self)
        self._build()
        self.reload()
        self.new_institution()
        # Names and counts of recommendations led show here too.
        self.refresher = on_change(self, {kinds.INSTITUTION, kinds.FOCAL_POINT,
                                          kinds.RECOMMENDATION}, self._changed)

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel(tr("<b>Institutions and their focal points</b>"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self._build_filters())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_list())
        split.addWidget(self._build_editor())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 560])
        layout.addWidget(split, 1)
        self.status = QLabel()
        self.status.setAccessibleName(tr("Status"))
        layout.addWidget(self.status)
        self._build_shortcuts()
        for first, second in zip(self._tab_chain, self._tab_chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _build_filters(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Name, acronym or focal point (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search institutions"))
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(tr("Kind of institution shown"))
        self.kind_filter.addItem(tr(ALL_KINDS), None)
        for kind, kind_name in KIND_LABELS.items():
            self.kind_filter.addItem(tr(kind_name), kind.value)
        self.count_label = QLabel()
        self.new_button = QPushButton(tr("&New institution"))
        self.new_button.setToolTip("Ctrl+N")
        self.import_button = QPushButton(tr("&Import from Excel…"))
        self.template_button = QPushButton(tr("Save te&mplate…"))
        self.template_button.setToolTip(tr("An empty workbook with the columns the import reads"))
        self.kind_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(10)
        row = QHBoxLayout()
        for text, widget in ((tr("&Search:"), self.search), (tr("&Kind:"), self.kind_filter)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 3 if widget is self.search else 1)
        row.addWidget(self.count_label)
        buttons = QWidget()  # they wrap on a narrow window instead of widening it
        flow = FlowLayout(buttons)
        for button in (self.new_button, self.import_button, self.template_button):
            flow.addWidget(button)
        row.addWidget(flowing(buttons), 2)
        self.search.textChanged.connect(self.reload_list)
        self.kind_filter.currentIndexChanged.connect(self.reload_list)
        self.new_button.clicked.connect(self.new_institution)
        self.import_button.clicked.connect(self.import_excel)
        self.template_button.clicked.connect(self.save_template)
        return row

    def _build_list(self) -> QTableView:
        self.table = table(self.institutions, InstitutionColumn.NAME)
        self.table.setAccessibleName(tr("Institutions"))
        # The name keeps room to be read on a small screen; the kind gives way (its tooltip
        # and the form have it whole), and the counts scroll.
        header = self.table.horizontalHeader()
        for column, width in ((InstitutionColumn.NAME, 240), (InstitutionColumn.KIND, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(InstitutionColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        return self.table

    def _build_editor(self) -> QWidget:
        self.name_edit = QLineEdit()
        self.acronym_edit = QLineEdit()
        self.kind_box = QComboBox()
        for kind, kind_name in KIND_LABELS.items():
            self.kind_box.addItem(tr(kind_name), kind.value)
        self.parent_box = QComboBox()
        self.email_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.notes_edit = notes_edit()
        self.summary = QLabel()
        self.save_button = QPushButton(tr("Sa&ve"))
        self.save_button.setToolTip("Ctrl+S")
        self.delete_button = QPushButton(tr("De&lete…"))
        form = QFormLayout()
        for text, widget in ((tr("N&ame:"), self.name_edit), (tr("Ac&ronym:"), self.acronym_edit),
                             (tr("Kin&d of institution:"), self.kind_box),
                             (tr("&Part of:"), self.parent_box), (tr("&E-mail:"), self.email_edit),
                             (tr("P&hone:"), self.phone_edit), (tr("N&otes:"), self.notes_edit)):
            labelled(form, text, widget)
        form.addRow(self.summary)
        self.fields: dict[str, QWidget] = field_widgets({
            "Name": self.name_edit, "Acronym": self.acronym_edit, "Kind": self.kind_box,
            "Parent": self.parent_box, "E-mail": self.email_edit, "Phone": self.phone_edit,
        })
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        self.form_box = QGroupBox(tr("New institution"))
        box_layout = QVBoxLayout(self.form_box)
        box_layout.addLayout(form)
        box_layout.addLayout(buttons)
        for edit in (self.name_edit, self.acronym_edit, self.email_edit, self.phone_edit):
            edit.returnPressed.connect(self.save)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.confirm_delete)

        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_box)
        layout.addWidget(self._build_focal_points(), 1)
        return editor

    def _build_focal_points(self) -> QGroupBox:
        self.focal_table = table(self.focal_points, FocalPointColumn.TITLE)
        self.focal_table.setAccessibleName(tr("Focal points"))
        self.add_point_button = QPushButton(tr("Add &focal point…"))
        self.edit_point_button = QPushButton(tr("Edi&t…"))
        self.remove_point_button = QPushButton(tr("Remove…"))
        self.remove_point_button.setToolTip(tr("Delete key in the table"))
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.add_point_button, self.edit_point_button, self.remove_point_button):
            row.addWidget(button)
        box = QGroupBox(tr("Focal points"))
        layout = QVBoxLayout(box)
        layout.addWidget(self.focal_table, 1)
        layout.addLayout(row)
        self.add_point_button.clicked.connect(self.add_focal_point)
        self.edit_point_button.clicked.connect(self.edit_focal_point)
        self.remove_point_button.clicked.connect(self.confirm_remove_focal_point)
        self.focal_table.activated.connect(lambda _index: self.edit_focal_point())
        self.focal_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self._tab_chain: list[QWidget] = [
            self.search, self.kind_filter, self.table, self.name_edit, self.acronym_edit,
            self.kind_box, self.parent_box, self.email_edit, self.phone_edit, self.notes_edit,
            self.save_button, self.delete_button, self.focal_table, self.add_point_button,
            self.edit_point_button, self.remove_point_button, self.new_button,
            self.import_button, self.template_button,
        ]
        return box

    def _build_shortcuts(self) -> None:
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.New, self.new_institution),
            (QKeySequence.StandardKey.Save, self.save),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            # Window-wide, so they work from the navigation too; Qt ignores them while the page
            # is hidden behind another.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        remove = QAction(self.focal_table)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.confirm_remove_focal_point)
        self.focal_table.addAction(remove)

    # --- the list -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected to type over."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def reload(self) -> None:
        """Read the institutions matching the filters again, keeping the one being edited."""
        with self.store.reader() as session:
            self._everyone = institution_choices(session)
        self._fill_parents()
        self.reload_list(load=True)

    def reload_list(self, *, load: bool = False) -> None:
        """Read the list again under the filters (its first rows; more as it scrolls); with
        `load`, down to the institution being edited."""
        spec = InstitutionFilter(self.search.text(), self.kind_filter.currentData())
        store = self.store

        def fetch(order: InstitutionSort, offset: int, limit: int) -> list[InstitutionRow]:
            with store.reader() as session:
                return institution_page(session, spec, order, offset=offset, limit=limit)

        def count() -> int:
            with store.reader() as session:
                return count_institutions(session, spec)

        def locate(order: InstitutionSort, institution_id: uuid.UUID) -> int | None:
            with store.reader() as session:
                return institution_position(session, spec, order, institution_id)

        same, self.shown_filter = spec == self.shown_filter, spec  # after a write: keep the rows
        self.institutions.set_source(fetch, count, locate, keep_window=same)
        self.count_label.setText(tr("{shown} of {total}").format(
            shown=format_number(self.institutions.total()),
            total=format_number(len(self._everyone))))
        self._select(self.current_id, load=load)

    def _fill_parents(self) -> None:
        wanted = self.parent_box.currentData()
        self.parent_box.clear()
        self.parent_box.addItem(tr(NO_PARENT), None)
        for institution_id, name in self._everyone:
            if institution_id != self.current_id:
                self.parent_box.addItem(name, str(institution_id))
        self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(wanted)))

    def _select(self, institution_id: InstitutionId | None, *, load: bool = False) -> None:
        model = self.institutions
        row = (model.load_up_to(institution_id) if load and institution_id is not None
               else model.row_of(institution_id))
        if row < 0:
            # Cleared, so that choosing the same row again opens it again.
            self.table.selectionModel().clearCurrentIndex()
            self.table.clearSelection()
            return
        index = self.institutions.index(row, 0)
        select_row(self.table, row)  # opens nothing: it is the institution shown
        self.table.scrollTo(index)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.institutions.row_at(current.row())
        if row.id != self.current_id:
            self.open_institution(row.id)

    # --- the form -------------------------------------------------------------------------------

    def open_institution(self, institution_id: InstitutionId) -> None:
        """Show one institution in the form."""
        try:
            with self.store.reader() as session:
                detail = institution_detail(session, institution_id)
        except KnownError as exc:
            self._tell(QMessageBox.Icon.Warning, str(exc))
            self.reload()
            return
        self._show(detail)

    def _show(self, detail: InstitutionDetail | None) -> None:
        self.detail = detail
        self.current_id = detail.row.id if detail else None
        row = detail.row if detail else None
        self.name_edit.setText(row.name if row else "")
        self.acronym_edit.setText(row.acronym if row else "")
        self.kind_box.setCurrentIndex(self.kind_box.findData(row.kind) if row else 0)
        self.email_edit.setText(row.email if row else "")
        self.phone_edit.setText(row.phone if row else "")
        self.notes_edit.setPlainText(detail.notes if detail else "")
        self.focal_points.set_rows(detail.focal_points if detail else ())
        self.form_box.setTitle(row.name if row else tr("New institution"))
        self.summary.setText(self._summary(row) if row else "")
        self.parent_box.setCurrentIndex(0)
        self._fill_parents()
        if detail and detail.parent_id:
            position = self.parent_box.findData(str(detail.parent_id))
            self.parent_box.setCurrentIndex(max(0, position))
        self._update_buttons()

    @staticmethod
    def _summary(row: InstitutionRow) -> str:
        """What an institution leads: "Leads 9 recommendations, 7 open." """
        text = (tr("Leads 1 recommendation, {open} open.") if row.recommendations == 1 else
                tr("Leads {count} recommendations, {open} open."))
        return text.format(count=format_number(row.recommendations),
                           open=format_number(row.open_recommendations))

    def _update_buttons(self) -> None:
        saved = self.current_id is not None
        chosen = self.focal_table.currentIndex().isValid()
        self.delete_button.setEnabled(saved)
        self.add_point_button.setEnabled(saved)
        self.edit_point_button.setEnabled(saved and chosen)
        self.remove_point_button.setEnabled(saved and chosen)

    def new_institution(self) -> None:
        """Empty the form to add an institution."""
        self._show(None)
        self._select(None)
        self.status.clear()
        self.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def form_input(self) -> InstitutionInput:
        """What the form holds."""
        return InstitutionInput(
            name=self.name_edit.text(),
            acronym=self.acronym_edit.text(),
            kind=self.kind_box.currentData(),
            parent_id=self._chosen_parent(),
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def _chosen_parent(self) -> InstitutionId | None:
        # Ids travel through the combo box as text: Qt compares strings, not Python objects.
        data = self.parent_box.currentData()
        return InstitutionId(uuid.UUID(data)) if data else None

    def _changed(self, _changed: Changed) -> None:
        """Something shown here changed (here or elsewhere): read it again, keeping the form
        as typed unless the institution shown is gone."""
        self.reload()
        if self.current_id is not None and self.detail is not None:
            try:
                with self.store.reader() as session:
                    detail = institution_detail(session, self.current_id)
            except KnownError:
                self.new_institution()
                return
            self.detail = detail
            self.focal_points.set_rows(detail.focal_points)
            self.summary.setText(self._summary(detail.row))

    def _run(self, label: str, work: Callable[[Session], Any],
             changed: Changed | Callable[[Any], Changed], done: Callable[[Any], None],
             failed: Callable[[str], None] | None = None) -> None:
        """Save a change through the single writer; the page takes no other change meanwhile."""
        self.busy = True

        def succeeded(result: Any) -> None:
            self.busy = False
            self.refresher.flush()
            done(result)

        def refused(refusal: Refusal) -> None:
            self.busy = False
            (failed or self._form_error)(refusal.message)

        run_write(self, self.store, label, work, changed=changed, on_success=succeeded,
                  on_failure=refused)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        self._keep(tell(self, icon, text))

    def _keep(self, box: QMessageBox) -> None:
        """Remember the message shown until it is closed (tests read it)."""
        self.message = box
        box.finished.connect(lambda _result: self._forget(box))

    def _forget(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None

    def _form_error(self, message: str) -> None:
        widget = field_of(self.fields, message)
        if widget is not None:
            widget.setFocus()
        self._tell(QMessageBox.Icon.Warning, message)

    def save(self) -> None:
        """Save the form: a new institution, or changes to the one shown."""
        if self.busy:
            return
        data, institution_id = self.form_input(), self.current_id

        def work(session: Session) -> InstitutionId:
            return save_institution(session, data, institution_id)

        self._run(tr("Saving the institution…"), work,
                  lambda saved_id: Changed.of(kinds.INSTITUTION, ids=[saved_id]), self._saved)

    def _saved(self, institution_id: InstitutionId) -> None:
        self.current_id = institution_id
        self.reload()
        self.open_institution(institution_id)
        self.status.setText(tr("Saved {name}.").format(name=self.name_edit.text()))

    def confirm_delete(self) -> None:
        """Ask, then delete the institution shown."""
        if self.detail is None or self.busy:
            return
        row = self.detail.row
        question = (tr("Delete {name} and its 1 focal point?") if row.focal_points == 1 else
                    tr("Delete {name} and its {count} focal points?"))
        self._keep(ask(
            self, question.format(name=row.name, count=format_number(row.focal_points)),
            self._delete,
        ))

    def _delete(self) -> None:
        if self.current_id is None:
            return
        institution_id, name = self.current_id, self.name_edit.text()

        def work(session: Session) -> None:
            delete_institution(session, institution_id)

        def deleted(_result: None) -> None:
            self.new_institution()
            self.reload()
            self.status.setText(tr("Deleted {name}.").format(name=name))

        self._run(tr("Deleting the institution…"), work,
                  Changed.of(kinds.INSTITUTION, kinds.FOCAL_POINT, ids=[institution_id]),
                  deleted)

    # --- focal points ---------------------------------------------------------------------------

    def _chosen_point(self) -> FocalPointRow | None:
        index = self.focal_table.currentIndex()
        return self.focal_points.row_at(index.row()) if index.isValid() else None

    def add_focal_point(self) -> None:
        """Open the dialog for a new focal point of the institution shown."""
        self._open_focal_dialog(None)

    def edit_focal_point(self) -> None:
        """Open the dialog on the chosen focal point."""
        point = self._chosen_point()
        if point is not None:
            self._open_focal_dialog(point)

    def _open_focal_dialog(self, point: FocalPointRow | None) -> None:
        if self.current_id is None or self.detail is None:
            return
        dialog = FocalPointDialog(self.detail.row.name, point, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.submitted.connect(lambda data: self._save_point(dialog, data))
        self.focal_dialog = dialog
        dialog.open()

    def _save_point(self, dialog: FocalPointDialog, data: FocalPointInput) -> None:
        institution_id = self.current_id
        if institution_id is None:
            return
        point_id = dialog.point.id if dialog.point else None

        def work(session: Session) -> FocalPointId:
            return save_focal_point(session, institution_id, data, point_id)

        def saved(_point_id: FocalPointId) -> None:
            dialog.busy = False
            dialog.accept()
            self.focal_dialog = None
            self._refresh_current()
            self.status.setText(tr("Saved focal point {name}.").format(name=data.name))

        run_write(dialog, self.store, tr("Saving the focal point…"), work,
                  changed=lambda saved_id: Changed.of(kinds.FOCAL_POINT, kinds.INSTITUTION,
                                                      ids=[saved_id, institution_id]),
                  on_success=saved,
                  on_failure=lambda refusal: dialog.show_error(refusal.message,
                                                            refusal.field))

    def confirm_remove_focal_point(self) -> None:
        """Ask, then remove the chosen focal point."""
        point = self._chosen_point()
        if point is None or self.detail is None or self.busy:
            return
        self._keep(ask(
            self, tr("Remove {name} from the focal points of {institution}?").format(
                name=point.name, institution=self.detail.row.name),
            lambda: self._remove_point(point),
        ))

    def _remove_point(self, point: FocalPointRow) -> None:
        def work(session: Session) -> None:
            delete_focal_point(session, point.id)

        def removed(_result: None) -> None:
            self._refresh_current()
            self.status.setText(tr("Removed focal point {name}.").format(name=point.name))

        self._run(tr("Removing the focal point…"), work,
                  Changed.of(kinds.FOCAL_POINT, kinds.INSTITUTION,
                             ids=[point.id, self.current_id]), removed)

    def _refresh_current(self) -> None:
        self.reload()
        if self.current_id is not None:
            self.open_institution(self.current_id)

    # --- Excel ----------------------------------------------------------------------------------

    def import_excel(self) -> None:
        """Ask for a workbook and import its institutions."""
        if self.busy:
            return
        chosen, _ = QFileDialog.getOpenFileName(self, tr("Import institutions"),
                                                options.last_folder(), tr(EXCEL_FILTER))
        if chosen:
            options.remember_folder(chosen)
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        """Import a workbook's institutions; nothing is written if it has any error."""
        def work(session: Session) -> ImportResult:
            return import_institutions(session, path)

        def imported(result: ImportResult) -> None:
            self.reload()
            self.status.setText(tr("Imported {file}: {summary}").format(
                file=path.name, summary=result.summary()))
            self._tell(QMessageBox.Icon.Information, f"{path.name}: {result.summary()}")

        def refused(message: str) -> None:
            self._tell(QMessageBox.Icon.Warning, message)

        self._run(tr("Importing {file}…").format(file=path.name), work,
                  Changed.of(kinds.INSTITUTION, kinds.FOCAL_POINT), imported, refused)

    def save_template(self) -> None:
        """Ask where, then write the empty workbook to fill in."""
        if self.busy:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr("Save the import template"), options.in_last_folder("institutions.xlsx"),
            tr(EXCEL_FILTER))
        if chosen:
            options.remember_folder(chosen)
            self.write_template_to(Path(chosen))

    def write_template_to(self, path: Path) -> None:
        """Write the template to a file (".xlsx" added when the name has no extension)."""
        target = path if path.suffix else path.with_suffix(".xlsx")

        def written(_result: None) -> None:
            self.status.setText(tr("Template saved to {path}.").format(path=target))

        # A file, not the database: no writer, nothing to announce.
        self.busy = True

        def ended(result: None) -> None:
            self.busy = False
            written(result)

        def failed(message: str) -> None:
            self.busy = False
            self._tell(QMessageBox.Icon.Warning, message)

        run_operation(self, tr("Writing the template…"), lambda: write_template(target), ended,
                      failed)
