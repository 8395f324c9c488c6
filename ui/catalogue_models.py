"""Qt models over the SG catalogue: the reports, and the recommendations with a filter proxy."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

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


class ReportColumn(IntEnum):
    """Columns of the reports table."""

    YEAR = 0
    SYMBOL = 1
    TITLE = 2
    COUNT = 3


REPORT_HEADERS = {
    ReportColumn.YEAR: "Year",
    ReportColumn.SYMBOL: "Symbol",
    ReportColumn.TITLE: "Title",
    ReportColumn.COUNT: "Recs",
}


class ReportsModel(QAbstractTableModel):
    """The Secretary-General's reports, one row each."""

    def __init__(self, reports: Sequence[ReportSummary] = (), parent: QObject | None = None):
        super().__init__(parent)
        self._reports = list(reports)

    def set_reports(self, reports: Sequence[ReportSummary]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._reports = list(reports)
        self.endResetModel()

    def report(self, row: int) -> ReportSummary:
        """The report shown in a row."""
        return self._reports[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._reports)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(ReportColumn)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._reports):
            return None
        report = self._reports[index.row()]
        column = ReportColumn(index.column())
        if role == DISPLAY:
            return {
                ReportColumn.YEAR: str(report.year),
                ReportColumn.SYMBOL: report.symbol or "—",
                ReportColumn.TITLE: report.title,
                ReportColumn.COUNT: str(report.recommendations),
            }[column]
        if role == TOOLTIP:
            symbol = report.symbol or NO_SYMBOL
            return f"{report.year} report ({symbol})\n{report.title}\n{report.focus}".strip()
        if role == ItemRole:
            return report.year
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ReportColumn.YEAR,
            ReportColumn.COUNT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return REPORT_HEADERS.get(ReportColumn(section)) if 0 <= section < 4 else None
        return None


class RecColumn(IntEnum):
    """Columns of the recommendations table."""

    YEAR = 0
    TARGET = 1
    TEXT = 2
    PARAGRAPHS = 3


REC_HEADERS = {
    RecColumn.YEAR: "Report",
    RecColumn.TARGET: "Target",
    RecColumn.TEXT: "Recommendation",
    RecColumn.PARAGRAPHS: "Paras.",
}


class CatalogueModel(QAbstractTableModel):
    """The catalogue's recommendations, one row each, in report and source order."""

    def __init__(self, items: Sequence[CatalogueItem] = (), parent: QObject | None = None):
        super().__init__(parent)
        self._items = list(items)

    def set_items(self, items: Sequence[CatalogueItem]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> CatalogueItem:
        """The recommendation shown in a row."""
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(RecColumn)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = RecColumn(index.column())
        if role == DISPLAY:
            return {
                RecColumn.YEAR: str(item.year),
                RecColumn.TARGET: target_label(item.target),
                RecColumn.TEXT: item.text,
                RecColumn.PARAGRAPHS: item.paragraphs,
            }[column]
        if role == TOOLTIP and column == RecColumn.TEXT:
            return item.text
        if role == ItemRole:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return REC_HEADERS.get(RecColumn(section)) if 0 <= section < 4 else None
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
        item = model.item(source_row)
        if self._year is not None and item.year != self._year:
            return False
        if self._target is not None and item.target != self._target:
            return False
        haystack = f"{item.text} {item.paragraphs} {item.symbol} {item.id}".casefold()
        return all(word in haystack for word in self._words)
