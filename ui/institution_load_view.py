"""What each institution has to do: the recommendations it leads and supports, overdue first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.service import status_label
from r2pdesk.recommendations.summary import DUE_SOON_DAYS, InstitutionLoad, by_institution
from r2pdesk.store import Store
from ui.implementation_view import STATUS_ORDER, ZERO_TEXT, status_heading
from ui.tables import DISPLAY, TOOLTIP, AnyIndex, RowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
WARNING_SIGN = "⚠"
# Dark vermillion on a pale tint: readable, and not the only sign (the text carries the ⚠).
OVERDUE_TEXT = QColor("#8A3A00")
OVERDUE_BACKGROUND = QColor("#FBE3D3")
SORT_ARROW_ROOM = 22  # Qt would reserve a header's height for the arrow, too wide for two lines


class LoadColumn(IntEnum):
    """Columns of the institution table; the statuses follow SUPPORTS, in STATUS_ORDER."""

    INSTITUTION = 0
    LEADS = 1
    OPEN = 2
    OVERDUE = 3
    DUE_SOON = 4
    SUPPORTS = 5


class InstitutionLoadModel(RowsModel[InstitutionLoad]):
    """Institutions with recommendations, one row each, their counts sortable as numbers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        # Translated when the model is made (the language is chosen before any page is).
        self.headers = (
            tr("Institution"), tr("Leads"), tr("Open", context="adjective"), tr("Overdue"),
            tr("Due within\n{count} days").format(count=DUE_SOON_DAYS), tr("Supports"),
            *(status_heading(s) for s in STATUS_ORDER),
        )

    def _values(self, row: InstitutionLoad) -> tuple[str | int, ...]:
        return (
            row.name, row.led, row.open, row.overdue, row.due_soon, row.supports,
            *(row.leads.get(status, 0) for status in STATUS_ORDER),
        )

    def _display(self, row: InstitutionLoad, column: int) -> str:
        if column == LoadColumn.OVERDUE and row.overdue:
            return f"{WARNING_SIGN} {format_number(row.overdue)}"
        value = self._values(row)[column]
        return format_number(value) if isinstance(value, int) else value

    def cell(self, row: InstitutionLoad, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._display(row, column)
        if role == SORT_ROLE:
            value = self._values(row)[column]
            return value.casefold() if isinstance(value, str) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column != LoadColumn.INSTITUTION:
            return RIGHT
        if role == TOOLTIP:
            return _tooltip(row)
        if column == LoadColumn.OVERDUE and row.overdue:
            return _overdue_style(role)
        zero = self._values(row)[column] == 0
        return ZERO_TEXT if zero and role == Qt.ItemDataRole.ForegroundRole else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == TOOLTIP:
            if section > LoadColumn.SUPPORTS:
                status = STATUS_ORDER[section - LoadColumn.SUPPORTS - 1]
                return tr("Recommendations it leads that are {status}").format(
                    status=status_label(status).lower())
            return self.headers[section].replace("\n", " ")
        return super().headerData(section, orientation, role)


def _overdue_style(role: int) -> object:
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(OVERDUE_TEXT)
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(OVERDUE_BACKGROUND)
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setBold(True)
        return font
    return None


def _tooltip(row: InstitutionLoad) -> str:
    return tr(
        "{name}\nLeads {led} ({open} open, {overdue} overdue, {due_soon} due within {days} days)"
        " · supports {supports}"
    ).format(name=row.name, led=row.led, open=row.open, overdue=row.overdue,
             due_soon=row.due_soon, days=DUE_SOON_DAYS, supports=row.supports)


class InstitutionLoadView(QWidget):
    """The institutions with recommendations, sortable by any column, the most overdue first."""

    institution_activated = Signal(uuid.UUID)

    def __init__(
        self, store: Store, today_provider: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.today_provider = today_provider
        self.model = InstitutionLoadModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._table()
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # a long language wraps it rather than widen
        note = QLabel(tr(
            "{sign} marks overdue recommendations; the status columns count those it "
            "leads. Click a heading to sort; double-click a row or press Enter to list the "
            "institution's recommendations."
        ).format(sign=WARNING_SIGN))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(self._activated)
        self.refresh()

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setAccessibleName(tr("Recommendations by institution"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(LoadColumn.INSTITUTION, QHeaderView.ResizeMode.Stretch)
        metrics = header.fontMetrics()
        for column in range(LoadColumn.LEADS, len(self.model.headers)):
            lines = self.model.headers[column].split("\n")
            width = max(metrics.horizontalAdvance(line) for line in lines)
            header.resizeSection(column, width + SORT_ARROW_ROOM)
        table.setSortingEnabled(True)
        # The core's order (most overdue, then most open) survives ties: Qt's sort is stable.
        table.sortByColumn(LoadColumn.OVERDUE, Qt.SortOrder.DescendingOrder)
        return table

    def refresh(self) -> None:
        """Read the figures from the database again."""
        with self.store.reader() as session:
            loads = by_institution(session, today=self.today_provider())
        self.model.set_rows(loads)
        overdue = sum(load.overdue for load in loads)
        self.count_label.setText(tr(
            "{count} institutions lead or support recommendations · "
            "{overdue} overdue recommendations"
        ).format(count=format_number(len(loads)), overdue=format_number(overdue)))

    def institution_at(self, row: int) -> InstitutionLoad:
        """The institution shown in a row of the table, as sorted."""
        return self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())

    def _activated(self, index: AnyIndex) -> None:
        self.institution_activated.emit(self.institution_at(index.row()).id)
