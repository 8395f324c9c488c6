"""Dialogs that never lose what was typed.

`GuardedDialog` notes what its fields hold when it is first shown. Leaving it with Escape, Cancel
or the window's close button asks "Discard the changes you typed?" when anything differs; it
starts in its first field, not on a tab bar or a button. A save the core refuses keeps the dialog
open with everything in it, and the refusal shows under the field it names.

Saving: the page sets `save`, called on OK. It returns True when saved (the dialog closes), False
when refused (it has called `refuse`), or None when the outcome comes later (an operation running
off the UI thread), and then calls `saved()` or `refuse(message)`. Without `save`, OK closes the
dialog and the page reads `value()` on `accepted`, as any dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)

from r2pdesk.i18n import tr

UNGUARDED = "unguarded"  # a widget property: what it holds is not the person's work (a search)
REFUSAL_STYLE = "color: #a40000;"

Save = Callable[[], "bool | None"]


def unguarded(widget: QWidget) -> QWidget:
    """Leave a widget out of the comparison (a search box, a filter)."""
    widget.setProperty(UNGUARDED, True)
    return widget


def _value(widget: QWidget) -> object:  # noqa: PLR0911 - one return per kind of field
    """What a field holds, comparable; None for what is not a field."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked() if widget.isCheckable() else None
    if isinstance(widget, QListWidget):
        items = (widget.item(i) for i in range(widget.count()))
        return tuple((item.text(), item.checkState()) for item in items)
    if isinstance(widget, QTreeWidget):
        found, it = [], QTreeWidgetItemIterator(widget)
        while it.value():
            found.append((it.value().text(0), it.value().checkState(0)))
            it += 1
        return tuple(found)
    return None


def _is_field(widget: QWidget) -> bool:
    """A widget a person types into or chooses with (not a label, tab bar or push button)."""
    if isinstance(widget, QAbstractButton):
        return widget.isCheckable()
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox
                      | QAbstractSpinBox | QAbstractItemView)


def _writable(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return True


class GuardedDialog(QDialog):
    """A dialog that asks before discarding edits and keeps them through a refused save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save: Save | None = None
        self.fields: dict[str, QWidget] = {}  # field names (marked with N_) as refusals start
        self.busy = False
        self.question: QMessageBox | None = None
        self.refusal: QLabel | None = None
        self._refusal_form: QFormLayout | None = None
        self._snapshot: tuple[object, ...] | None = None

    # --- what was typed -------------------------------------------------------------------

    def _guarded(self) -> Iterator[QWidget]:
        for widget in self.findChildren(QWidget):
            if widget.property(UNGUARDED) or _owned_by_unguarded(widget):
                continue
            yield widget

    def state(self) -> tuple[object, ...]:
        """What every field holds now; a dialog with more to compare adds to it."""
        return tuple(_value(widget) for widget in self._guarded())

    def mark_unedited(self) -> None:
        """Take what the fields hold now as the starting point."""
        self._snapshot = self.state()

    def is_edited(self) -> bool:
        """Whether anything differs from what the dialog opened with."""
        return self._snapshot is not None and self.state() != self._snapshot

    def first_field(self) -> QWidget | None:
        """The first field in tab order that takes typing or a choice."""
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (_is_field(widget) and widget.isVisible() and widget.isEnabled()
                    and _writable(widget) and not widget.property(UNGUARDED)
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                return widget
            widget = widget.nextInFocusChain()
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._snapshot is None:
            self.mark_unedited()
            first = self.first_field()
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- leaving --------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, Cancel or the close button: ask first when something was typed."""
        if self.busy:
            return  # a save is under way; its outcome comes back here
        if not self.is_edited():
            self.discard()
            return
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          tr("Discard the changes you typed?"), buttons.NoButton, self)
        discard = box.addButton(tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(lambda button: self.discard() if button is discard else None)
        box.finished.connect(self._forget_question)
        self.question = box
        box.open()

    def _forget_question(self) -> None:
        if self.question is not None:
            self.question.deleteLater()
        self.question = None

    def discard(self) -> None:
        """Close without saving, whatever was typed."""
        super().reject()

    # --- saving ---------------------------------------------------------------------------

    def accept(self) -> None:
        if self.busy:
            return
        if self.save is None:
            super().accept()
            return
        self.busy = True
        outcome = self.save()
        if outcome is True:
            self.saved()
        elif outcome is False:
            self.busy = False

    def saved(self) -> None:
        """The save worked: close."""
        self.busy = False
        self.clear_refusal()
        super().accept()

    def refuse(self, message: str, field_name: str = "") -> None:
        """The save was refused: keep everything and say why, by the field concerned (named,
        or else the one the message starts with)."""
        self.busy = False
        self.clear_refusal()
        field = self.field_of(message, field_name)
        label = QLabel(message)
        label.setWordWrap(True)
        label.setStyleSheet(REFUSAL_STYLE)
        label.setAccessibleName(tr("Not saved"))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal = label
        if field is not None:
            _show_page_of(field)
            form = _form_of(field)
            if form is not None:
                form.insertRow(_row_of(form, field) + 1, "", label)
                self._refusal_form = form
            else:
                _put_near_buttons(self, label)
            field.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            _put_near_buttons(self, label)
        label.show()

    def clear_refusal(self) -> None:
        """Take away the refusal shown, if any."""
        label, self.refusal = self.refusal, None
        if label is None:
            return
        if self._refusal_form is not None:
            self._refusal_form.removeRow(label)  # deletes the label
            self._refusal_form = None
        else:
            label.hide()
            label.deleteLater()

    def field_of(self, message: str, field_name: str = "") -> QWidget | None:
        """The field a refusal concerns: the one named (an attribute name such as
        "action_taken"), else the one the message names before its colon ("title: ..."), in
        English or in the language in use."""
        wanted = field_name.replace("_", " ").casefold()
        said = message.partition(":")[0].strip().casefold()
        for name, widget in self.fields.items():
            if wanted and wanted == name.casefold():
                return widget
        for name, widget in self.fields.items():
            if said in (name.casefold(), tr(name).casefold()):
                return widget
        return None


def _owned_by_unguarded(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent.property(UNGUARDED):
            return True
        parent = parent.parentWidget()
    return False


def _row_of(form: QFormLayout, widget: QWidget) -> int:
    """The row of a form that holds a widget, or -1."""
    row, _role = cast("tuple[int, object]", form.getWidgetPosition(widget))
    return row


def _form_of(widget: QWidget) -> QFormLayout | None:
    """The form layout that holds a field as one of its rows."""
    parent = widget.parentWidget()
    if parent is None:
        return None
    for layout in [parent.layout(), *parent.findChildren(QLayout)]:
        if isinstance(layout, QFormLayout) and _row_of(layout, widget) >= 0:
            return layout
    return None


def _show_page_of(widget: QWidget) -> None:
    """Bring forward the tab that holds a field."""
    below: list[QWidget] = []
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, QTabWidget):
            for page in below:  # the page is the tab widget's grandchild (in its stack)
                if (index := parent.indexOf(page)) >= 0:
                    parent.setCurrentIndex(index)
        below.append(parent)
        parent = parent.parentWidget()


def _put_near_buttons(dialog: QDialog, label: QLabel) -> None:
    """Show a message just above the dialog's buttons."""
    layout = dialog.layout()
    box = dialog.findChild(QDialogButtonBox)
    if isinstance(layout, QBoxLayout):
        at = layout.indexOf(box) if box is not None else -1
        layout.insertWidget(at if at >= 0 else layout.count(), label)
    elif isinstance(layout, QFormLayout):
        row = _row_of(layout, box) if box is not None else -1
        layout.insertRow(row if row >= 0 else layout.rowCount(), label)
