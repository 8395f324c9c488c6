"""Qt models over the SG catalogue: the reports, and the recommendations with a filter proxy."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from r2pdesk.reference.service import CatalogueItem, ReportSummary, target_label

AnyIndex = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
NO_SYMBOL = "symbol not given in the sources"
Row = TypeVar("Row")


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over a list of frozen rows; subclasses say what each cell shows."""

    headers: tuple[str, ...] = ()

    def __init__(self, rows: Sequence[Row] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        """The record shown in a row."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ItemRole:
            return row
        return self.cell(row, index.column(), role)

    def cell(self, row: Row, column: int, role: int) -> object:
        """What a cell shows for a role (ItemRole is answered already); subclasses say more."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None


class ReportColumn(IntEnum):
    """Columns of the reports table."""

    YEAR = 0
    SYMBOL = 1
    TITLE = 2
    COUNT = 3


class ReportsModel(RowsModel[ReportSummary]):
    """The Secretary-General's reports, one row each."""

    headers = ("Year", "Symbol", "Title", "Recs")

    def cell(self, row: ReportSummary, column: int, role: int) -> object:
        if role == DISPLAY:
            return (str(row.year), row.symbol or "—", row.title, str(row.recommendations))[column]
        if role == TOOLTIP:
            symbol = row.symbol or NO_SYMBOL
            return f"{row.year} report ({symbol})\n{row.title}\n{row.focus}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ReportColumn.YEAR,
            ReportColumn.COUNT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RecColumn(IntEnum):
    """Columns of the recommendations table."""

    YEAR = 0
    TARGET = 1
    TEXT = 2
    PARAGRAPHS = 3


class CatalogueModel(RowsModel[CatalogueItem]):
    """The catalogue's recommendations, one row each, in report and source order."""

    headers = ("Report", "Target", "Recommendation", "Paras.")

    def cell(self, row: CatalogueItem, column: int, role: int) -> object:
        if role == DISPLAY:
            return (str(row.year), target_label(row.target), row.text, row.paragraphs)[column]
        if role == TOOLTIP and column == RecColumn.TEXT:
            return row.text
        return None


class CatalogueFilterProxy(QSortFilterProxyModel):
    """Filters the catalogue by report year, target and words (all must appear)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._year: int | None = None
        self._target: str | None = None
        self._words: list[str] = []

    def set_filter(self, year: int | None, target: str | None, text: str) -> None:
        """Show only what matches; None and empty text do not filter."""
        self.beginFilterChange()
        self._year, self._target, self._words = year, target, text.casefold().split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CatalogueModel):
            return True
        item = model.row_at(source_row)
        if self._year is not None and item.year != self._year:
            return False
        if self._target is not None and item.target != self._target:
            return False
        haystack = f"{item.text} {item.paragraphs} {item.symbol} {item.id}".casefold()
        return all(word in haystack for word in self._words)
