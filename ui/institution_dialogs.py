"""Pieces of the institutions page: message boxes that never block, the focal point dialog,
and small builders of tables and forms."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import N_, tr
from r2pdesk.institutions.service import (
    FieldError,
    FocalPointInput,
    FocalPointRow,
    validate_focal_point,
)
from ui.guarded import GuardedDialog

# Shown with `tr` (the language is chosen after this module is imported).
TITLE = N_("Institutions")
ALL_KINDS = N_("All kinds")
NO_PARENT = N_("(none)")
EXCEL_FILTER = N_("Excel workbook (*.xlsx);;All files (*)")


def table(model: object, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def labelled(form: QFormLayout, text: str, widget: QWidget) -> None:
    """A row of a form: `text` (already translated) labels `widget` and names it."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    form.addRow(label, widget)


def notes_edit() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(70)
    return edit


def field_widgets(fields: dict[str, QWidget]) -> dict[str, QWidget]:
    """The widgets of a form by the field names an error message starts with: the English
    names and, when the messages are translated, the names in the language in use."""
    return {**{tr(name): widget for name, widget in fields.items()}, **fields}


def field_of(fields: dict[str, QWidget], message: str) -> QWidget | None:
    """The widget of the field an error message names before its colon ("Name: ...")."""
    return fields.get(message.partition(":")[0].strip())


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def tell(parent: QWidget, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    """Show a message without blocking: the box is window-modal and deletes itself when closed."""
    box = QMessageBox(icon, tr(TITLE), text, QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def ask(parent: QWidget, question: str, then: Callable[[], None]) -> QMessageBox:
    """Ask a yes/no question without blocking ("No" by default); call `then` on "Yes"."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, tr(TITLE), question, buttons, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(box.deleteLater)
    yes = box.button(QMessageBox.StandardButton.Yes)
    box.buttonClicked.connect(lambda button: then() if button is yes else None)
    box.open()
    return box


class FocalPointDialog(GuardedDialog):
    """Asks for a focal point's name, title, e-mail, phone and notes; checks them on OK."""

    submitted = Signal(object)  # a checked FocalPointInput

    def __init__(
        self, institution: str, point: FocalPointRow | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.point = point
        self.setWindowTitle((tr("Edit a focal point — {institution}") if point else
                             tr("Add a focal point — {institution}")).format(
                                 institution=institution))
        self.name_edit = QLineEdit(point.name if point else "")
        self.title_edit = QLineEdit(point.title if point else "")
        self.email_edit = QLineEdit(point.email if point else "")
        self.phone_edit = QLineEdit(point.phone if point else "")
        self.notes_edit = notes_edit()
        self.notes_edit.setPlainText(point.notes if point else "")
        form = QFormLayout()
        for text, widget in ((tr("&Name:"), self.name_edit), (tr("&Title:"), self.title_edit),
                             (tr("&E-mail:"), self.email_edit), (tr("&Phone:"), self.phone_edit),
                             (tr("N&otes:"), self.notes_edit)):
            labelled(form, text, widget)
        self.fields = field_widgets({
            "Name": self.name_edit, "Title": self.title_edit, "E-mail": self.email_edit,
            "Phone": self.phone_edit,
        })
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def value(self) -> FocalPointInput:
        """What the form holds."""
        return FocalPointInput(
            name=self.name_edit.text(),
            title=self.title_edit.text(),
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def submit(self) -> None:
        """Check the form; if it is right, hand it on (the dialog closes once it is saved)."""
        if self.busy:
            return
        try:
            data = validate_focal_point(self.value())
        except FieldError as exc:
            self.show_error(str(exc))
            return
        self._set_busy(True)
        self.submitted.emit(data)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.setEnabled(not busy)

    def show_error(self, message: str, field: str = "") -> None:
        """Say what is wrong under the field concerned, with the cursor in it; everything typed
        stays."""
        self._set_busy(False)
        self.refuse(message, field)
