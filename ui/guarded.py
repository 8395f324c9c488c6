"""Dialogs that never lose what was typed.

`GuardedDialog` notes what its fields hold when it is first shown. Leaving it with Escape, Cancel
or the window's close button asks "Discard the changes you typed?" when anything differs; it
starts in its first field, not on a tab bar or a button. A save the core refuses keeps the dialog
open with everything in it, and the refusal shows under the field it names.

Saving: the page sets `save`, called on OK. It returns True when saved (the dialog closes), False
when refused (it has called `refuse`), or None when the outcome comes later (an operation running
off the UI thread), and then calls `saved()` or `refuse(message)`. Without `save`, OK closes the
dialog and the page reads `value()` on `accepted`, as any dialog.

Fitting: `fit_to_screen` makes any dialog usable on a 1024x700 screen. What lies above the
buttons scrolls (a tab widget's pages each scroll), so the buttons stay in view, and the dialog
opens no larger than the screen's free area; a GuardedDialog is held to it again when shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import cast

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QVBoxLayout,
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
            fit_to_screen(self)
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


# --- fitting a small screen -------------------------------------------------------------------

FRAME = QSize(24, 60)  # what a window manager adds around a dialog: borders, the title bar
FEW_LINES = 120  # a scrolling form may shrink to this height, not to nothing


def room(widget: QWidget) -> QSize:
    """The largest size a dialog can take on the screen it opens on, inside its frame."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry().size()
    return QSize(max(free.width() - FRAME.width(), 0), max(free.height() - FRAME.height(), 0))


class FittingScroll(QScrollArea):
    """A scroll area around a form: as large as the form asks when the screen allows, as narrow
    as the form allows (no sideways scrolling), and only a few lines high at the least."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the area
        # No event filter on the form to follow its changes: the form still sends events
        # while this area is destroyed, and touching the area then crashes. Resizes suffice.
        self.setWidget(content)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._hold_wrapped_text()
        super().resizeEvent(event)

    def _hold_wrapped_text(self) -> None:
        """Wrapped text (a label of several lines) needs its height at the width it is given:
        hold the form to it, so the area scrolls instead of squeezing the lines."""
        content = self.widget()
        if content is not None and content.hasHeightForWidth():
            height = content.heightForWidth(self.viewport().width())
            if height > 0 and height != content.minimumHeight():
                content.setMinimumHeight(height)

    def _extra(self) -> QSize:
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        frame = 2 * self.frameWidth()
        return QSize(bar + frame, frame)

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        return (content.sizeHint() + self._extra()).boundedTo(room(self))

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        least = content.minimumSizeHint() + self._extra()
        return QSize(min(least.width(), room(self).width() - 2 * FRAME.width()),
                     min(least.height(), FEW_LINES))


class _Toggling(QLabel):
    """The text of a wrapping check box: a click on it ticks the box, as on a box's own text."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        box = self.buddy()
        if isinstance(box, QCheckBox) and event.button() == Qt.MouseButton.LeftButton:
            box.toggle()
        super().mouseReleaseEvent(event)


def wrapping_check(text: str) -> tuple[QCheckBox, QWidget]:
    """A check box whose long text wraps to the width given (a QCheckBox's text never does):
    the box, and the row to lay out. The text's mnemonic ticks the box."""
    box = QCheckBox()
    box.setAccessibleName(text.replace("&", ""))
    label = _Toggling(text)
    label.setWordWrap(True)
    label.setBuddy(box)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(label, 1)
    return box, row


def scrolling(content: QWidget) -> FittingScroll:
    """A form in a scroll area, so it scrolls instead of growing past the screen."""
    return FittingScroll(content)


def scroll_pages(tabs: QTabWidget) -> None:
    """Put each page of a tab widget in a scroll area (its tab bar stays in view)."""
    current = tabs.currentIndex()
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if page is None or isinstance(page, QScrollArea):
            continue
        text, tip = tabs.tabText(index), tabs.tabToolTip(index)
        enabled, icon = tabs.isTabEnabled(index), tabs.tabIcon(index)
        tabs.removeTab(index)
        tabs.insertTab(index, scrolling(page), icon, text)
        tabs.setTabToolTip(index, tip)
        tabs.setTabEnabled(index, enabled)
    tabs.setCurrentIndex(current)
    if tabs.isVisible():
        tabs.currentWidget().show()


def _scroll_body(dialog: QWidget, layout: QBoxLayout, end: int) -> None:
    """Move the items of a box layout before `end` (the buttons) into one scroll area."""
    content = QWidget()
    inner = QVBoxLayout(content)
    inner.setContentsMargins(0, 0, 0, 0)
    for _ in range(end):  # removed without takeAt: the moved layouts stay owned by Qt
        stretch, item = layout.stretch(0), cast("QLayoutItem", layout.itemAt(0))
        if (widget := item.widget()) is not None:
            layout.removeWidget(widget)
            inner.addWidget(widget, stretch)
        elif (child := item.layout()) is not None:
            layout.removeItem(child)
            inner.addLayout(child, stretch)
        else:  # a spacing or a stretch
            layout.takeAt(0)
            inner.addStretch(stretch)
    area = scrolling(content)
    layout.insertWidget(0, area, 1)
    if dialog.isVisible():  # a dialog being shown: Qt would show it only later
        area.show()


def _focus_chain(window: QWidget) -> list[QWidget]:
    """The widgets Tab goes to, in order (not the parts of a compound widget)."""
    chain, widget = [], window.nextInFocusChain()
    while widget is not None and widget is not window:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def fit_to_screen(dialog: QDialog) -> None:
    """Make a dialog fit a small screen: what lies above its buttons scrolls (or each page of a
    tab widget does), and its size is held to the screen. A GuardedDialog does it when first
    shown; another dialog calls it once its layout is built. Doing it twice changes nothing."""
    layout = dialog.layout()
    if isinstance(layout, QBoxLayout):
        chain = _focus_chain(dialog)  # moving widgets reorders it; Tab keeps its order
        items = [cast("QLayoutItem", layout.itemAt(i)).widget() for i in range(layout.count())]
        tabs = [widget for widget in items if isinstance(widget, QTabWidget)]
        for tab_widget in tabs:
            scroll_pages(tab_widget)
        box = next((i for i, w in enumerate(items) if isinstance(w, QDialogButtonBox)),
                   len(items))
        if not tabs and box > 0 and not isinstance(items[0], QScrollArea):
            _scroll_body(dialog, layout, box)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        layout.activate()  # the dialog's minimum size becomes the scrolling one
    hold_to_screen(dialog)


def hold_to_screen(dialog: QWidget) -> None:
    """Shrink a window larger than the screen's free area to fit it."""
    size = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) \
        else dialog.sizeHint()
    fitted = size.boundedTo(room(dialog)).expandedTo(dialog.minimumSizeHint())
    if fitted != dialog.size():
        dialog.resize(fitted)
