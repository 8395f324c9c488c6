"""Qt models over the SG catalogue: the reports, and the recommendations with a filter proxy."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from r2pdesk.i18n import N_, tr
from r2pdesk.reference.service import CatalogueItem, ReportSummary, target_label
from ui.tables import DISPLAY, TOOLTIP, AnyIndex, RowsModel

NO_SYMBOL = N_("symbol not given in the sources")  # shown as tr(NO_SYMBOL)


class ReportColumn(IntEnum):
    """Columns of the reports table."""

    YEAR = 0
    SYMBOL = 1
    TITLE = 2
    COUNT = 3


class ReportsModel(RowsModel[ReportSummary]):
    """The Secretary-General's reports, one row each."""

    headers = (N_("Year"), N_("Symbol"), N_("Title"), N_("Recs"))

    def cell(self, row: ReportSummary, column: int, role: int) -> object:
        if role == DISPLAY:
            return (str(row.year), row.symbol or "—", row.title, str(row.recommendations))[column]
        if role == TOOLTIP:
            symbol = row.symbol or tr(NO_SYMBOL)
            return tr("{year} report ({symbol})\n{title}\n{focus}").format(
                year=row.year, symbol=symbol, title=row.title, focus=row.focus).strip()
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

    headers = (N_("Report"), N_("Target"), N_("Recommendation"), N_("Paras."))

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
