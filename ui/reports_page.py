"""The Reports page: choose a report and its options, generate it off the UI thread, preview it,
save it as a PDF file and print it.

The options are those of `r2pdesk-cli report`: an institution for a ministry brief, a warning for
a warning note, an assessment for an assessment report (by default the latest that counts), the
marking, and whether confidential records print (which raises the marking to CONFIDENTIAL).
Dialogs and messages open window-modal without blocking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.assessments.queries import list_assessments
from r2pdesk.dashboard import short_title
from r2pdesk.earlywarning.queries import list_warnings
from r2pdesk.institutions.service import list_institutions
from r2pdesk.reports import Marking, effective_marking, generate
from r2pdesk.store import Store
from ui.combos import ValueCombo
from ui.operations import run_operation
from ui.pages import open_dialog, page_action, show_message
from ui.pdf_preview import NEEDS_QTPDF, PdfPreview

LATEST = "The latest validated assessment (default)"
CONFIDENTIAL_WARNING = (
    "⚠ Confidential sources, fields and warnings will print, and every page will be marked "
    "CONFIDENTIAL. Give the report only to the named addressees."
)


@dataclass(frozen=True)
class ReportKind:
    """A report the page offers: its command-line name, its label, what it is for."""

    name: str
    label: str
    description: str


KINDS = (
    ReportKind("ministry-brief", "Ministry brief",
               "One institution's open recommendations, overdue first, and the warnings "
               "awaiting its response."),
    ReportKind("regional-brief", "Regional-body brief",
               "The national picture for a regional organisation: risk levels, trends, "
               "warnings, implementation."),
    ReportKind("warning-note", "Early-warning note",
               "One warning on a page or two: what, where, who is at risk, actions, deadline."),
    ReportKind("assessment", "Risk assessment report",
               "The overall level and the 14 risk factors against the previous assessment, "
               "with the evidence."),
    ReportKind("implementation", "Implementation status report",
               "The national status of the Secretary-General's recommendations, by report "
               "and by target."),
)
LABELS = {kind.name: kind.label for kind in KINDS}


@dataclass(frozen=True)
class ReportOptions:
    """What `generate` is asked for."""

    kind: str
    institution: str | None
    record_id: str | None
    marking: Marking
    include_confidential: bool

    @property
    def printed_marking(self) -> Marking:
        """The marking the report will carry."""
        return effective_marking(self.marking, include_confidential=self.include_confidential)


class ChoiceCombo(ValueCombo[str | None]):
    """A combo of records by name or id, filled again as records change."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    def chosen(self) -> str | None:
        """The value of the current item; None when there is none."""
        return self.value() if self.count() else None

    def set_items(self, items: Sequence[tuple[str, str | None]]) -> None:
        """Show these items instead, keeping the current value where it still is."""
        kept = self.chosen()
        self.blockSignals(True)
        self.clear()
        self._values.clear()
        for label, value in items:
            self.add(label, value)
        if not self.set_value(kept) and self.count():
            self.setCurrentIndex(0)
        self.blockSignals(False)


class ReportsPage(QWidget):
    """PDF briefs and reports, previewed, saved and printed."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.busy = False
        self.pdf = b""
        self.generated: ReportOptions | None = None
        self._chosen_marking = Marking.RESTRICTED
        self._build_actions()
        self._build()
        self.refresh_choices()
        self.set_kind(KINDS[0].name)
        self._update_actions()

    # --- building -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.generate_action = page_action(self, "&Generate", "Ctrl+G", self.generate,
                                           "Make the report with these options")
        self.save_action = page_action(self, "&Save as PDF…", "Ctrl+S", self.choose_file,
                                       "Save the report shown as a PDF file")
        self.print_action = page_action(self, "&Print…", "Ctrl+P", self.choose_printer,
                                        "Print the report shown")

    def _kinds(self) -> QGroupBox:
        box = QGroupBox("Report")
        layout = QVBoxLayout(box)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for kind in KINDS:
            button = QRadioButton(kind.label)
            button.setToolTip(kind.description)
            description = QLabel(kind.description)
            description.setWordWrap(True)
            description.setIndent(22)
            description.setStyleSheet("color: palette(placeholder-text);")
            self.kind_group.addButton(button)
            self.kind_buttons[kind.name] = button
            button.toggled.connect(self._kind_toggled)
            layout.addWidget(button)
            layout.addWidget(description)
        return box

    def _options(self) -> QGroupBox:
        box = QGroupBox("Options")
        self.form = QFormLayout(box)
        self.institution = ChoiceCombo("Institution")
        self.warning = ChoiceCombo("Warning")
        self.assessment = ChoiceCombo("Assessment")
        self.marking: ValueCombo[Marking] = ValueCombo((m.value, m) for m in Marking)
        self.marking.setAccessibleName("Marking")
        self.marking.set_value(Marking.RESTRICTED)
        self.marking.currentIndexChanged.connect(self._marking_changed)
        self.form.addRow("&Institution:", self.institution)
        self.form.addRow("&Warning:", self.warning)
        self.form.addRow("&Assessment:", self.assessment)
        self.form.addRow("&Marking:", self.marking)
        self.confidential = QCheckBox(
            "Include &confidential items (raises the marking to CONFIDENTIAL)")
        self.confidential.toggled.connect(self._confidential_toggled)
        self.confidential_warning = QLabel(CONFIDENTIAL_WARNING)
        self.confidential_warning.setWordWrap(True)
        self.confidential_warning.setStyleSheet("color: #a3260b; font-weight: bold;")
        self.confidential_warning.hide()
        self.form.addRow(self.confidential)
        self.form.addRow(self.confidential_warning)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for action in (self.generate_action, self.save_action, self.print_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _build(self) -> None:
        self.status = QLabel("No report generated yet.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Report status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_note = QLabel(NEEDS_QTPDF)
        self.print_note.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self._kinds())
        side.addWidget(self._options())
        side.addLayout(self._buttons())
        side.addWidget(self.status)
        side.addWidget(self.print_note)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(480)
        self.preview = PdfPreview()
        self.print_note.setVisible(not self.preview.uses_qtpdf)
        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.preview, 1)

    # --- choices ----------------------------------------------------------------------------

    def refresh_choices(self) -> None:
        """Read the institutions, warnings and assessments again, keeping those chosen."""
        with self.store.reader() as session:
            institutions = [
                (f"{row.name} ({row.acronym})" if row.acronym else row.name, row.name)
                for row in list_institutions(session)]
            flag = " (confidential)"
            warnings = [
                (f"{row.reference}{flag * row.confidential} — {short_title(row.title)}",
                 str(row.id)) for row in list_warnings(session, today=self.today())]
            assessments = [
                (f"{row.title} · {row.scope} · {row.status.value}", str(row.id))
                for row in list_assessments(session)]
        self.institution.set_items(institutions)
        self.warning.set_items(warnings)
        self.assessment.set_items([(LATEST, None), *assessments])

    def showEvent(self, event: QShowEvent) -> None:
        """Records may have changed on other pages: read the choices again."""
        super().showEvent(event)
        self.refresh_choices()

    # --- options ----------------------------------------------------------------------------

    def kind(self) -> str:
        """The report chosen, by its command-line name."""
        for name, button in self.kind_buttons.items():
            if button.isChecked():
                return name
        return KINDS[0].name

    def set_kind(self, name: str) -> None:
        """Choose a report by its command-line name."""
        self.kind_buttons[name].setChecked(True)

    def _kind_toggled(self) -> None:
        kind = self.kind()
        for combo, wanted in ((self.institution, "ministry-brief"),
                              (self.warning, "warning-note"), (self.assessment, "assessment")):
            self.form.setRowVisible(combo, kind == wanted)

    def _marking_changed(self) -> None:
        if not self.confidential.isChecked():
            self._chosen_marking = self.marking.value()

    def _confidential_toggled(self, checked: bool) -> None:
        self.confidential_warning.setVisible(checked)
        self.marking.setEnabled(not checked)
        self.marking.set_value(Marking.CONFIDENTIAL if checked else self._chosen_marking)

    def options(self) -> ReportOptions:
        """What the controls ask for."""
        kind = self.kind()
        records = {"warning-note": self.warning, "assessment": self.assessment}
        record = records[kind].chosen() if kind in records else None
        institution = self.institution.chosen()
        return ReportOptions(
            kind=kind,
            institution=institution if kind == "ministry-brief" else None,
            record_id=record,
            marking=self._chosen_marking,
            include_confidential=self.confidential.isChecked(),
        )

    # --- generating -------------------------------------------------------------------------

    def _update_actions(self) -> None:
        self.generate_action.setEnabled(not self.busy)
        self.save_action.setEnabled(bool(self.pdf) and not self.busy)
        self.print_action.setEnabled(self.preview.can_print and not self.busy)
        if not self.preview.uses_qtpdf:
            self.print_action.setToolTip(NEEDS_QTPDF)

    def generate(self) -> None:
        """Make the report off the UI thread, then preview it."""
        if self.busy:
            return
        options = self.options()
        store, today = self.store, self.today()

        def work() -> bytes:
            with store.reader() as session:
                return generate(session, options.kind, today=today,
                                institution=options.institution, record_id=options.record_id,
                                marking=options.marking,
                                include_confidential=options.include_confidential)

        self.busy = True
        self._update_actions()
        label = f"Generating the {LABELS[options.kind].lower()}…"
        self._say(label)
        run_operation(self, label, work, lambda pdf: self._generated(options, pdf), self._refused)

    def _generated(self, options: ReportOptions, pdf: bytes) -> None:
        self.busy = False
        self.pdf = pdf
        self.generated = options
        self.preview.set_pdf(pdf)
        pages = self.preview.page_count()
        self._say(f"{LABELS[options.kind]}: {pages} page{'s' * (pages != 1)}, "
                  f"marked {options.printed_marking.value}.")
        self._update_actions()

    def _refused(self, message: str) -> None:
        self.busy = False
        self._say(f"Not generated: {message}", error=True)
        self._update_actions()
        self._tell(QMessageBox.Icon.Warning, message)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a3260b;" if error else "")

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = show_message(self, "Reports", text, icon)
        self.message = box
        box.finished.connect(lambda _result: self._forget(box))

    def _forget(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None

    # --- saving and printing ----------------------------------------------------------------

    def suggested_name(self) -> str:
        """A file name for the report shown: its kind and the day."""
        kind = self.generated.kind if self.generated else self.kind()
        return f"{kind}-{self.today().isoformat()}.pdf"

    def choose_file(self) -> None:
        """Ask where to save the report shown, then save it."""
        if not self.pdf or self.busy:
            return
        start = str(Path.home() / self.suggested_name())
        dialog = QFileDialog(self, "Save the report as PDF", start, "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        self.dialog = open_dialog(dialog, lambda: self.save_to(Path(dialog.selectedFiles()[0])))

    def save_to(self, path: Path) -> bool:
        """Write the report shown to `path`; say so, or why not."""
        try:
            path.write_bytes(self.pdf)
        except OSError as exc:
            self._tell(QMessageBox.Icon.Warning,
                       f"Cannot write {path}: {exc.strerror or exc}. Choose another place.")
            return False
        self._say(f"Saved to {path}.")
        return True

    def choose_printer(self) -> None:
        """Ask for a printer and the pages, then print the report shown."""
        if not self.preview.can_print or self.busy:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.preview.page_count())
        self.printer = printer  # kept alive while the dialog is open
        # QPrintDialog hides QDialog.open() and accepted() behind overloads of its own.
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda result: result and self.print_to(printer))
        QDialog.open(dialog)
        self.dialog = dialog

    def print_to(self, printer: QPrinter) -> int:
        """Print the report shown; the pages printed."""
        printed = self.preview.print_to(printer)
        if printed:
            self._say(f"Sent {printed} page{'s' * (printed != 1)} to the printer.")
        else:
            self._tell(QMessageBox.Icon.Warning, "The printer could not be started.")
        return printed
