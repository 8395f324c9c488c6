"""The Reports page: choose a report and its options, generate it off the UI thread, preview it,
save it as a PDF file and print it.

The options are those of `r2pdesk-cli report`: an institution for a ministry brief, a warning for
a warning note, an assessment for an assessment report (by default the latest that counts), the
marking, and whether confidential records print (which raises the marking to CONFIDENTIAL).
Dialogs and messages open window-modal without blocking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
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
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from r2pdesk.assessments.queries import list_assessments
from r2pdesk.assessments.service import STATUS_LABELS as ASSESSMENT_STATUS_LABELS
from r2pdesk.dashboard import short_title
from r2pdesk.earlywarning.queries import warning_references
from r2pdesk.i18n import LANGUAGES, N_, format_number, language, report_language, tr
from r2pdesk.institutions.models import Institution
from r2pdesk.institutions.service import list_institutions
from r2pdesk.reports import Marking, effective_marking, generate
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.changes import on_change
from ui.combos import ValueCombo
from ui.operations import Progress, run_with_progress
from ui.pages import open_dialog, page_action, show_message
from ui.pdf_preview import NEEDS_QTPDF, PdfPreview

# Texts are kept in English here and shown with `tr` (the language is chosen after import).
LATEST = N_("The latest validated assessment (default)")
CONFIDENTIAL_WARNING = N_(
    "⚠ Confidential sources, fields and warnings will print, and every page will be marked "
    "CONFIDENTIAL. Give the report only to the named addressees."
)
MARKING_LABELS = {
    Marking.PUBLIC: N_("PUBLIC"),
    Marking.RESTRICTED: N_("RESTRICTED"),
    Marking.CONFIDENTIAL: N_("CONFIDENTIAL"),
}


def marking_label(marking: Marking) -> str:
    """A marking as the page shows it, in the language in use."""
    return tr(MARKING_LABELS[marking])


@dataclass(frozen=True)
class ReportKind:
    """A report the page offers: its command-line name, its label, what it is for."""

    name: str
    label: str
    description: str


KINDS = (
    ReportKind("ministry-brief", N_("Ministry brief"),
               N_("One institution's open recommendations, overdue first, and the warnings "
                  "awaiting its response.")),
    ReportKind("regional-brief", N_("Regional-body brief"),
               N_("The national picture for a regional organisation: risk levels, trends, "
                  "warnings, implementation.")),
    ReportKind("warning-note", N_("Early-warning note"),
               N_("One warning on a page or two: what, where, who is at risk, actions, "
                  "deadline.")),
    ReportKind("assessment", N_("Risk assessment report"),
               N_("The overall level and the 14 risk factors against the previous assessment, "
                  "with the evidence.")),
    ReportKind("implementation", N_("Implementation status report"),
               N_("The national status of the Secretary-General's recommendations, by report "
                  "and by target.")),
)
LABELS = {kind.name: kind.label for kind in KINDS}  # in English; shown with `tr`
GENERATING = {
    "ministry-brief": N_("Generating the ministry brief…"),
    "regional-brief": N_("Generating the regional-body brief…"),
    "warning-note": N_("Generating the early-warning note…"),
    "assessment": N_("Generating the risk assessment report…"),
    "implementation": N_("Generating the implementation status report…"),
}


def file_slug(text: str) -> str:
    """A name as part of a file name: its words, lower case, joined by hyphens."""
    return "-".join(re.findall(r"\w+", text.casefold())) or "report"


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
        # Institutions, warnings and assessments named in the choices, read again when they
        # change (a hidden page when it next shows).
        self.refresher = on_change(self, {kinds.INSTITUTION, kinds.WARNING, kinds.ASSESSMENT},
                                   lambda _changed: self.refresh_choices())
        self.set_kind(KINDS[0].name)
        self._update_actions()

    # --- building -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.generate_action = page_action(self, tr("&Generate"), "Ctrl+G", self.generate,
                                           tr("Make the report with these options"))
        self.save_action = page_action(self, tr("&Save as PDF…"), "Ctrl+S", self.choose_file,
                                       tr("Save the report shown as a PDF file"))
        self.print_action = page_action(self, tr("&Print…"), "Ctrl+P", self.choose_printer,
                                        tr("Print the report shown"))

    def _kinds(self) -> QGroupBox:
        box = QGroupBox(tr("Report"))
        layout = QVBoxLayout(box)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for kind in KINDS:
            button = QRadioButton(tr(kind.label))
            button.setToolTip(tr(kind.description))
            description = QLabel(tr(kind.description))
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
        box = QGroupBox(tr("Options"))
        self.form = QFormLayout(box)
        self.institution = ChoiceCombo(tr("Institution"))
        self.warning = ChoiceCombo(tr("Warning"))
        self.assessment = ChoiceCombo(tr("Assessment"))
        self.marking: ValueCombo[Marking] = ValueCombo((marking_label(m), m) for m in Marking)
        self.marking.setAccessibleName(tr("Marking"))
        self.marking.set_value(Marking.RESTRICTED)
        self.marking.currentIndexChanged.connect(self._marking_changed)
        self.form.addRow(tr("&Institution:"), self.institution)
        self.form.addRow(tr("&Warning:"), self.warning)
        self.form.addRow(tr("&Assessment:"), self.assessment)
        self.form.addRow(tr("&Marking:"), self.marking)
        self.confidential = QCheckBox(
            tr("Include &confidential items (raises the marking to CONFIDENTIAL)"))
        self.confidential.toggled.connect(self._confidential_toggled)
        self.confidential_warning = QLabel(tr(CONFIDENTIAL_WARNING))
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
        self.status = QLabel(tr("No report generated yet."))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Report status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_note = QLabel(tr(NEEDS_QTPDF))
        self.print_note.setWordWrap(True)
        # Arabic reports would not come out right (ReportLab neither shapes Arabic letters nor
        # orders right-to-left text): they are printed in English, and the page says so.
        self.language_note = QLabel(tr(
            "Reports are printed in English: r2pdesk cannot yet print PDF reports in "
            "{language}.").format(language=LANGUAGES[language()]))
        self.language_note.setWordWrap(True)
        self.language_note.setAccessibleName(tr("Language of reports"))
        self.language_note.setVisible(report_language() != language())
        side = QVBoxLayout()
        side.addWidget(self.language_note)
        side.addWidget(self._kinds())
        side.addWidget(self._options())
        side.addLayout(self._buttons())
        side.addWidget(self.status)
        side.addWidget(self.print_note)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        # At least 480 pixels, wider where a translation needs it; the preview takes the rest.
        panel.setMinimumWidth(480)
        panel.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
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
            warnings = [
                ((tr("{reference} (confidential) — {title}") if row.confidential else
                  "{reference} — {title}").format(reference=row.reference,
                                                  title=short_title(row.title)),
                 str(row.id)) for row in warning_references(session)]
            assessments = [
                (f"{row.title} · {row.scope} · {tr(ASSESSMENT_STATUS_LABELS[row.status])}",
                 str(row.id))
                for row in list_assessments(session)]
        self.institution.set_items(institutions)
        self.warning.set_items(warnings)
        self.assessment.set_items([(tr(LATEST), None), *assessments])


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
            self.print_action.setToolTip(tr(NEEDS_QTPDF))

    def generate(self) -> None:
        """Make the report off the UI thread, then preview it."""
        if self.busy:
            return
        options = self.options()
        store, today = self.store, self.today()

        def work(progress: Progress) -> bytes:
            with store.reader() as session:
                return generate(session, options.kind, today=today,
                                institution=options.institution, record_id=options.record_id,
                                marking=options.marking,
                                include_confidential=options.include_confidential,
                                progress=progress)

        self.busy = True
        self._update_actions()
        label = tr(GENERATING[options.kind])
        self._say(label)
        run_with_progress(self, label, work, lambda pdf: self._generated(options, pdf),
                          on_failure=self._refused, on_cancel=self._cancelled)

    def _generated(self, options: ReportOptions, pdf: bytes) -> None:
        self.busy = False
        self.pdf = pdf
        self.generated = options
        self.preview.set_pdf(pdf)
        pages = self.preview.page_count()
        said = (tr("{report}: 1 page, marked {marking}.") if pages == 1 else
                tr("{report}: {pages} pages, marked {marking}."))
        self._say(said.format(report=tr(LABELS[options.kind]), pages=format_number(pages),
                              marking=marking_label(options.printed_marking)))
        self._update_actions()

    def _cancelled(self) -> None:
        self.busy = False
        self._say(tr("Generation cancelled; the report shown before is unchanged.")
                  if self.pdf else tr("Generation cancelled."))
        self._update_actions()

    def _refused(self, message: str) -> None:
        self.busy = False
        self._say(tr("Not generated: {message}").format(message=message), error=True)
        self._update_actions()
        self._tell(QMessageBox.Icon.Warning, message)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a3260b;" if error else "")

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = show_message(self, tr("Reports"), text, icon)
        self.message = box
        box.finished.connect(lambda _result: self._forget(box))

    def _forget(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None

    # --- saving and printing ----------------------------------------------------------------

    def suggested_name(self) -> str:
        """A file name for the report shown: its kind, the institution of a ministry brief (its
        acronym, else its name) and the day."""
        kind = self.generated.kind if self.generated else self.kind()
        name = self.generated.institution if self.generated else None
        if name:
            with self.store.reader() as session:
                acronym = session.scalar(
                    select(Institution.acronym).where(Institution.name == name))
            kind = f"{kind}-{file_slug(acronym or name)}"
        return f"{kind}-{self.today().isoformat()}.pdf"

    def choose_file(self) -> None:
        """Ask where to save the report shown, then save it."""
        if not self.pdf or self.busy:
            return
        start = options.in_last_folder(self.suggested_name(), Path.home())
        dialog = QFileDialog(self, tr("Save the report as PDF"), start, tr("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.fileSelected.connect(options.remember_folder)
        self.dialog = open_dialog(dialog, lambda: self.save_to(Path(dialog.selectedFiles()[0])))

    def save_to(self, path: Path) -> bool:
        """Write the report shown to `path`; say so, or why not."""
        try:
            path.write_bytes(self.pdf)
        except OSError as exc:
            self._tell(QMessageBox.Icon.Warning,
                       tr("Cannot write {path}: {problem}. Choose another place.").format(
                           path=path, problem=exc.strerror or exc))
            return False
        self._say(tr("Saved to {path}.").format(path=path))
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
            self._say(tr("Sent 1 page to the printer.") if printed == 1 else
                      tr("Sent {pages} pages to the printer.").format(
                          pages=format_number(printed)))
        else:
            self._tell(QMessageBox.Icon.Warning, tr("The printer could not be started."))
        return printed
