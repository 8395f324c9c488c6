"""The Exchange page: Excel workbooks for focal points and members.

Export writes a focal point's workbook for one institution, or every record for the secretariat;
Import previews every change a returned workbook would make, then applies all of it in one
transaction (or nothing); Conflicts lists the fields changed on both sides, for a person to
decide. Reading and writing files runs off the UI thread; dialogs and messages never block.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.exchange.plan import ImportPlan
from r2pdesk.exchange.results import ExportResult
from r2pdesk.exchange.service import ConflictRow, apply, conflicts, preview, resolve_conflict
from r2pdesk.exchange.values import Plain
from r2pdesk.exchange.workbook import export_focal_point, export_full
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.assigned import assignments
from r2pdesk.institutions.service import list_institutions
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.changes import Changed, on_change
from ui.exchange_models import (
    ConflictCol,
    ConflictsModel,
    InstitutionCombo,
    PreviewCol,
    PreviewModel,
    PreviewProxy,
    PreviewRow,
    ValueDialog,
    isolated,
    plan_header,
    preview_rows,
)
from ui.operations import (
    Progress,
    Refusal,
    run_long_write,
    run_operation,
    run_with_progress,
    run_write,
)
from ui.pages import RecordTable, open_dialog, show_message
from ui.tables import SortProxy

XLSX_FILTER = N_("Excel workbooks (*.xlsx)")
# What applying a workbook or deciding a conflict may change.
IMPORTED = Changed.of(kinds.RECOMMENDATION, kinds.PROGRESS, kinds.WARNING, kinds.INSTITUTION,
                      kinds.FOCAL_POINT)
Outcome = Callable[[Any], None]


def _label(text: str = "", name: str = "") -> QLabel:
    """A paragraph; with a name, a line the page writes what happened into."""
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
    return label


def _buttons(*buttons: QPushButton, right: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(int(right))
    for button in buttons:
        row.addWidget(button)
    row.addStretch(int(not right))
    return row


class ExchangePage(QWidget):
    """Exchange workbooks with focal points and members: export, import, conflicts."""

    changed = Signal()  # records changed: the main window refreshes its counts

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.plan: ImportPlan | None = None
        self.exported: ExportResult | None = None
        self.busy = False
        self.preview_model = PreviewModel(parent=self)
        self.preview_proxy = PreviewProxy(self)
        self.preview_proxy.setSourceModel(self.preview_model)
        self.conflicts_model = ConflictsModel(parent=self)
        self.conflicts_proxy = SortProxy(self)
        self.conflicts_proxy.setSourceModel(self.conflicts_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._export_tab(), tr("E&xport"))
        self.tabs.addTab(self._import_tab(), tr("&Import"))
        self.tabs.addTab(self._conflicts_tab(), tr("&Conflicts"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.reload()
        self._show_plan()
        self.refresher = on_change(self, {
            kinds.INSTITUTION, kinds.RECOMMENDATION, kinds.PROGRESS, kinds.WARNING},
            self._changed)

    # --- building -------------------------------------------------------------------------

    def _export_tab(self) -> QWidget:
        self.focal_choice = QRadioButton(tr("Workbook for one &focal-point institution:"))
        self.full_choice = QRadioButton(
            tr("F&ull exchange workbook (every record, for the secretariat)"))
        group = QButtonGroup(self)
        group.addButton(self.focal_choice)
        group.addButton(self.full_choice)
        self.focal_choice.setChecked(True)
        self.institution = InstitutionCombo()
        self.institution.setAccessibleName(tr("Institution"))
        self.institution.setMinimumContentsLength(40)
        self.focal_choice.toggled.connect(self.institution.setEnabled)
        # The choice on a line of its own, under its button: each institution's name comes with
        # what its workbook would hold, which needs the width.
        focal = QHBoxLayout()
        focal.addSpacing(24)
        focal.addWidget(self.institution, 1)
        self.export_button = QPushButton(tr("&Export…"))
        self.export_button.clicked.connect(self.choose_export_path)
        self.export_status = _label(name=tr("What was exported"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(_label(tr(
            "A focal point's workbook lists the recommendations its institution leads, open or "
            "not, and the open warnings addressed to it, for the focal point to report progress "
            "and responses in Excel or LibreOffice; those it only supports are reported on by "
            "the institution that leads them (the ministry brief lists both, open ones only). "
            "The full workbook holds every record, for another member's laptop or the "
            "secretariat to merge. Confidential records stay out of focal points' workbooks.")))
        layout.addWidget(self.focal_choice)
        layout.addLayout(focal)
        layout.addWidget(self.full_choice)
        layout.addLayout(_buttons(self.export_button))
        layout.addWidget(self.export_status)
        layout.addStretch(1)
        return tab

    def _import_tab(self) -> QWidget:
        self.choose_button = QPushButton(tr("C&hoose workbook…"))
        self.choose_button.clicked.connect(self.choose_workbook)
        self.preview_header = _label(name=tr("Import preview"))
        self.show_unchanged = QCheckBox(tr("Show &unchanged rows"))
        self.show_unchanged.setChecked(True)
        self.show_unchanged.toggled.connect(self.preview_proxy.show_unchanged)
        self.preview_table = RecordTable(self.preview_proxy, tr("Import preview"), (
            (PreviewCol.KIND, 80), (PreviewCol.SHEET, 120), (PreviewCol.ROW, 48),
            (PreviewCol.RECORD, 230), (PreviewCol.FIELD, 130), (PreviewCol.OURS, 150),
            (PreviewCol.THEIRS, 150)))
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(PreviewCol.DETAILS, QHeaderView.ResizeMode.Stretch)
        self.apply_button = QPushButton(tr("&Apply all"))
        self.apply_button.clicked.connect(self.apply_plan)
        self.cancel_button = QPushButton(tr("Cance&l"))
        self.cancel_button.clicked.connect(self.cancel_plan)
        self.import_status = _label(name=tr("Import result"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        top = _buttons(self.choose_button)
        top.addWidget(self.show_unchanged)
        layout.addLayout(top)
        layout.addWidget(self.preview_header)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(_buttons(self.apply_button, self.cancel_button, right=True))
        layout.addWidget(self.import_status)
        return tab

    def _conflicts_tab(self) -> QWidget:
        self.conflicts_table = RecordTable(self.conflicts_proxy, tr("Open conflicts"), (
            (ConflictCol.FIELD, 120), (ConflictCol.BASE, 170), (ConflictCol.OURS, 170),
            (ConflictCol.THEIRS, 170), (ConflictCol.FILE, 200), (ConflictCol.WHERE, 150)))
        header = self.conflicts_table.horizontalHeader()
        header.setSectionResizeMode(ConflictCol.RECORD, QHeaderView.ResizeMode.Stretch)
        self.conflicts_table.doubleClicked.connect(lambda _index: self.edit_conflict())
        self.keep_button = QPushButton(tr("&Keep this database's value"))
        self.keep_button.clicked.connect(self.keep_database)
        self.take_button = QPushButton(tr("&Take the workbook's value"))
        self.take_button.clicked.connect(self.take_workbook)
        self.edit_button = QPushButton(tr("&Edit…"))
        self.edit_button.clicked.connect(self.edit_conflict)
        self.conflict_status = _label(name=tr("Conflict decided"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(_label(tr(
            "These fields were changed both here and in a workbook since it was exported, to "
            "different values. This database keeps its value until you decide: keep it, take "
            "the workbook's, or write another.")))
        layout.addWidget(self.conflicts_table, 1)
        layout.addLayout(_buttons(self.keep_button, self.take_button, self.edit_button))
        layout.addWidget(self.conflict_status)
        return tab

    # --- reading --------------------------------------------------------------------------

    def _changed(self, _changed: Changed) -> None:
        """Institutions or records changed elsewhere: read the choices and conflicts again
        (not while an operation of the page runs: it reads them when it ends)."""
        if not self.busy:
            self.reload()

    def reload(self) -> None:
        """The institutions and the open conflicts, read again."""
        with self.store.reader() as session:
            institutions = list_institutions(session)
            assigned = assignments(session)
            rows = conflicts(session)
        self.institution.reset(institutions, assigned)
        self.focal_choice.setEnabled(bool(institutions))
        if not institutions:
            self.full_choice.setChecked(True)
        self._show_conflicts(rows)

    def _show_conflicts(self, rows: list[ConflictRow]) -> None:
        chosen = self.conflicts_table.selected_ids()
        self.conflicts_model.set_rows(rows)
        self.conflicts_table.select_ids(chosen)
        self.tabs.setTabText(2, tr("&Conflicts ({count})").format(
            count=format_number(len(rows))) if rows else tr("&Conflicts"))
        for button in (self.keep_button, self.take_button, self.edit_button):
            button.setEnabled(bool(rows))

    # --- running --------------------------------------------------------------------------

    def _run(self, label: str, work: Callable[[], Any], done: Outcome,
             failed: Callable[[str], None]) -> None:
        if self.busy:  # one operation at a time
            return
        self.busy = True
        self._enable()
        run_operation(self, label, work, lambda result: self._ended(done, result),
                      lambda message: self._ended(failed, message))

    def _run_cancellable(self, label: str, work: Callable[[Progress], Any], done: Outcome,
                         failed: Callable[[str], None], cancelled: str) -> None:
        """Like `_run`, with a progress bar and Cancel: then `cancelled` is the import status."""
        if self.busy:
            return
        self.busy = True
        self._enable()
        run_with_progress(self, label, work, lambda result: self._ended(done, result),
                          on_failure=lambda message: self._ended(failed, message),
                          on_cancel=lambda: self._ended(self.import_status.setText, cancelled))

    def _ended(self, then: Outcome, outcome: Any) -> None:
        self.busy = False
        self._enable()
        then(outcome)

    def _enable(self) -> None:
        free = not self.busy
        for button in (self.export_button, self.choose_button):
            button.setEnabled(free)
        self.apply_button.setEnabled(free and self.plan is not None and bool(
            self.plan.changes or self.plan.conflicts or self.plan.rows))
        self.cancel_button.setEnabled(free and self.plan is not None)

    def _refused(self, title: str, status: QLabel) -> Callable[[str], None]:
        def tell(message: str) -> None:
            status.setText(tr("{title}: {message}").format(title=title, message=message))
            self.message = show_message(self, title, message, QMessageBox.Icon.Warning)
        return tell

    def _open_file_dialog(self, caption: str, save: bool, chosen: Callable[[Path], None],
                          name: str = "") -> None:
        dialog = QFileDialog(self, caption, options.in_last_folder(name, Path.home()))
        dialog.setNameFilter(tr(XLSX_FILTER))
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("xlsx")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(options.remember_folder)
        dialog.fileSelected.connect(lambda path: chosen(Path(path)))
        self.dialog = open_dialog(dialog, lambda: None)

    # --- export ---------------------------------------------------------------------------

    def export_institution(self) -> uuid.UUID | None:
        """The institution whose workbook is asked for; None for the full workbook."""
        if self.full_choice.isChecked() or not self.institution.count():
            return None
        return self.institution.value()

    def choose_export_path(self) -> None:
        """Ask where to write the workbook, then write it."""
        which = "all" if self.export_institution() is None else self.institution.chosen_name()
        stem = re.sub(r"[^\w-]+", "-", which).strip("-").lower()
        name = f"r2pdesk-{stem}-{self.today().isoformat()}.xlsx"
        self._open_file_dialog(tr("Export workbook"), True, self.export_to, name)

    def export_to(self, path: Path) -> None:
        """Write the workbook chosen to `path`, off the UI thread, with progress."""
        institution = self.export_institution()

        def work(session: Session, progress: Progress) -> ExportResult:
            if institution is None:
                return export_full(session, path, progress=progress)
            return export_focal_point(session, institution, path, progress=progress)

        if self.busy:
            return
        self.busy = True
        self._enable()
        self.export_status.setText(tr("Writing {path}…").format(path=path))
        # An export is recorded (what went to whom): a write, through the single writer.
        run_long_write(
            self, self.store, tr("Writing the workbook…"), work,
            changed=Changed.of(kinds.AUDIT),
            on_success=lambda result: self._ended(self._exported, result),
            on_failure=lambda refusal: self._ended(
                self._refused(tr("Not exported"), self.export_status), refusal.message),
            on_cancel=lambda: self._ended(self.export_status.setText,
                                          tr("Export cancelled; nothing was written.")))

    def _exported(self, result: ExportResult) -> None:
        self.exported = result
        if result.assigned is None:
            said = tr("Wrote {counts} to {path}.").format(counts=result.contents(),
                                                          path=isolated(result.path))
        else:  # the rows in the words of the choice of institution, and what was left out
            rows = (tr("1 row") if result.total == 1 else
                    tr("{count} rows").format(count=format_number(result.total)))
            said = " ".join(filter(None, [
                tr("Wrote {rows} to {path}: {contents}.").format(
                    rows=rows, path=isolated(result.path), contents=result.contents()),
                result.left_out()]))
        self.export_status.setText(said)

    # --- import ---------------------------------------------------------------------------

    def choose_workbook(self) -> None:
        """Ask for a returned workbook, then preview it."""
        self._open_file_dialog(tr("Import workbook"), False, self.preview_file)

    def preview_file(self, path: Path) -> None:
        """Read a workbook and show every change it would make; nothing is written."""
        today = self.today()

        def work(progress: Progress) -> tuple[ImportPlan, list[PreviewRow]]:
            with self.store.reader() as session:
                plan = preview(session, path, today=today, progress=progress)
            return plan, preview_rows(plan)  # thousands of lines: not on the UI thread

        self.import_status.setText(tr("Reading {name}…").format(name=path.name))
        self._run_cancellable(tr("Reading the workbook…"), work,
                              lambda result: self._previewed(*result),
                              self._refused(tr("Not imported"), self.import_status),
                              tr("Reading cancelled; nothing was imported."))

    def _previewed(self, plan: ImportPlan, rows: list[PreviewRow] | None = None) -> None:
        self.plan = plan
        self._show_plan(rows)
        said = [tr("Nothing is written until you apply.") if self.apply_button.isEnabled() else
                tr("This workbook brings nothing new to apply.")]
        if plan.rejected:
            said.append(tr("Rows with problems are left out: correct them in the workbook and "
                           "import it again."))
        self.import_status.setText(" ".join(said))

    def _show_plan(self, rows: list[PreviewRow] | None = None) -> None:
        """The plan's preview (its `rows` when already made), or none."""
        if rows is None:
            rows = preview_rows(self.plan) if self.plan else []
        self.preview_model.set_rows(rows)
        self._enable()
        self.preview_header.setText(plan_header(self.plan) if self.plan else tr(
            "Choose a workbook returned by a focal point or a member to see what it would "
            "change."))

    def apply_plan(self) -> None:
        """Write the previewed changes, all of them in one transaction, or none."""
        plan = self.plan
        if plan is None or self.busy:
            return

        def work(session: Session, progress: Progress) -> int:
            return len(apply(session, plan, progress=progress))  # a cancel rolls it all back

        if self.busy:
            return
        self.busy = True
        self._enable()
        failed = self._refused(tr("Not imported"), self.import_status)
        run_long_write(
            self, self.store, tr("Applying the workbook…"), work, changed=IMPORTED,
            on_success=lambda n: self._ended(lambda count: self._applied(plan, count), n),
            on_failure=lambda refusal: self._ended(failed, refusal.message),
            on_cancel=lambda: self._ended(self.import_status.setText, tr(
                "Import cancelled; nothing was written. The preview is still here to apply.")))

    def _applied(self, plan: ImportPlan, conflicts_left: int) -> None:
        self.plan = None
        self._show_plan()
        said = [tr("Applied {file}: {summary}.").format(file=plan.workbook.file_name,
                                                         summary=plan.summary())]
        if conflicts_left:
            said.append(tr("1 conflict to decide under Conflicts.") if conflicts_left == 1 else
                        tr("{count} conflicts to decide under Conflicts.").format(
                            count=format_number(conflicts_left)))
        self.import_status.setText(" ".join(said))
        self.reload()
        self.changed.emit()

    def cancel_plan(self) -> None:
        """Put the preview away; nothing was written."""
        if self.plan is not None:
            self.import_status.setText(tr("{file} was not imported.").format(
                file=self.plan.workbook.file_name))
        self.plan = None
        self._show_plan()

    # --- conflicts ------------------------------------------------------------------------

    def keep_database(self) -> None:
        """Settle the chosen conflicts with this database's values."""
        self.resolve([(row, row.ours) for row in self.conflicts_table.selected_rows()])

    def take_workbook(self) -> None:
        """Settle the chosen conflicts with the workbook's values."""
        self.resolve([(row, row.theirs) for row in self.conflicts_table.selected_rows()])

    def edit_conflict(self) -> None:
        """Write a value of one's own for the chosen conflict."""
        rows = self.conflicts_table.selected_rows()
        if len(rows) != 1:
            self.message = show_message(self, tr("Conflicts"), tr("Choose one conflict to edit."))
            return
        dialog = ValueDialog(rows[0], self)
        self.dialog = open_dialog(dialog, lambda: self.resolve([(rows[0], dialog.value())]))

    def resolve(self, decisions: list[tuple[ConflictRow, Plain]]) -> None:
        """Settle conflicts with these values, all of them or (on a refusal) none."""
        if not decisions:
            self.message = show_message(self, tr("Conflicts"),
                                        tr("Choose the conflicts to decide."))
            return
        today = self.today()

        def work(session: Session) -> None:
            for row, value in decisions:
                resolve_conflict(session, row.id, value, today=today)

        def done(_result: None) -> None:
            self.busy = False
            self._enable()
            self.reload()
            self.conflict_status.setText(
                tr("1 conflict decided.") if len(decisions) == 1 else
                tr("{count} conflicts decided.").format(count=format_number(len(decisions))))
            self.changed.emit()

        def refused(refusal: Refusal) -> None:
            self.busy = False
            self._enable()
            self._refused(tr("Not decided"), self.conflict_status)(refusal.message)

        if self.busy:
            return
        self.busy = True
        self._enable()
        run_write(self, self.store, tr("Saving the decision…"), work, changed=IMPORTED,
                  on_success=done, on_failure=refused)
