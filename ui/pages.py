"""What the record pages share: a table of records chosen by id, page actions with shortcuts,
and dialogs and messages that never block.

Dialogs and message boxes open window-modal with `open()`, never `exec()`: the page stays
scriptable, a test never hangs on a box nobody will close, and the event loop keeps running.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from r2pdesk.i18n import tr
from ui.tables import ItemRole


class RecordTable(QTableView):
    """A sortable table of records (rows with an `id`), chosen and read back by id."""

    def __init__(self, proxy: QSortFilterProxyModel, name: str,
                 widths: Iterable[tuple[int, int]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's own order until asked
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)  # one line per record; the full text is in the detail pane
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.setAccessibleName(name)
        for column, width in widths:
            self.setColumnWidth(column, width)

    def selected_rows(self) -> list[Any]:
        """The records chosen, in the order shown."""
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [self.proxy.index(r, 0).data(ItemRole) for r in rows]

    def selected_ids(self) -> list[Any]:
        """The ids of the records chosen."""
        return [row.id for row in self.selected_rows()]

    def select_ids(self, ids: Sequence[uuid.UUID]) -> None:
        """Choose these records (those shown), the first of them current and scrolled to."""
        selection = QItemSelection()
        wanted = set(ids)
        last = self.proxy.columnCount() - 1
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(ItemRole).id in wanted:
                selection.select(index, self.proxy.index(r, last))
        model = self.selectionModel()
        flags = model.SelectionFlag
        model.select(selection, flags.ClearAndSelect)
        if not selection.isEmpty():
            first = min(selection.indexes(), key=lambda i: (i.row(), i.column()))
            model.setCurrentIndex(first, flags.NoUpdate)
            self.scrollTo(first)


def page_action(page: QWidget, text: str, shortcut: str | QKeySequence.StandardKey,
                slot: Callable[[], object], tip: str = "") -> QAction:
    """An action of a page, its shortcut live while the page (or a child) has focus."""
    action = QAction(text, page)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if tip:
        action.setToolTip(f"{tip} ({action.shortcut().toString()})")
    action.triggered.connect(lambda _checked=False: slot())
    page.addAction(action)
    return action


def open_dialog(dialog: QDialog, accepted: Callable[[], object]) -> QDialog:
    """Open a dialog window-modal without blocking; call `accepted` when it is accepted."""
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def show_message(parent: QWidget, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information, *,
                 ask: bool = False) -> QMessageBox:
    """A message (or, with `ask`, a Yes/Cancel question) that does not block."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(icon, title, text, buttons.Yes | buttons.Cancel if ask else buttons.Ok,
                      parent)
    if ask:
        box.setDefaultButton(buttons.Yes)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


class FilterChip(QFrame):
    """A filter the member may not have set themselves (a dashboard figure opened the list with
    it), said plainly above the list with a button to clear it: "Showing: overdue only
    [Clear]". Without it a later search looks broken."""

    def __init__(self, text: str, clear: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.clear_button = QPushButton(tr("C&lear"))
        self.clear_button.setToolTip(tr("Show the whole list again"))
        self.clear_button.clicked.connect(lambda _checked=False: clear())
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.clear_button)
        self.setAccessibleName(text)
        self.hide()
