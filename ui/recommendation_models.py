"""The Qt model of the recommendations list, and the picture of "overdue" it shows.

Overdue rows carry a warning icon, a "⚠ overdue" mark in the due-date column and a tinted row: the
icon and the words say it to readers who cannot tell the tint apart.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QFont, QIcon

from r2pdesk.i18n import N_
from r2pdesk.recommendations.queries import RecOrder, RecRow
from r2pdesk.recommendations.service import PRIORITY_LABELS, SOURCE_LABELS, STATUS_LABELS
from ui.tables import DISPLAY, OVERDUE_TINT, TOOLTIP, WindowedModel, overdue_icon

OVERDUE_MARK = "⚠ overdue"


class Col(IntEnum):
    """Columns of the recommendations table."""

    REF = 0
    TEXT = 1
    LEAD = 2
    STATUS = 3
    PRIORITY = 4
    DUE = 5


def reference(row: RecRow) -> str:
    """How a recommendation is cited in a list: its catalogue id, or its source and reference."""
    if row.catalogue_id:
        return row.catalogue_id
    label = SOURCE_LABELS[row.source]
    return f"{label}: {row.source_reference}" if row.source_reference else label


def due_text(row: RecRow) -> str:
    """The due date as a list shows it, marked when overdue."""
    if row.due_on is None:
        return "—"
    return f"{row.due_on.isoformat()}  {OVERDUE_MARK}" if row.overdue else row.due_on.isoformat()


class RecommendationsModel(WindowedModel[RecRow]):
    """The followed recommendations, one per row, a window at a time, sorted in SQL."""

    headers = (N_("Ref."), N_("Recommendation"), N_("Lead institution"), N_("Status"),
               N_("Priority"), N_("Due"))
    sort_keys = (RecOrder.REFERENCE, RecOrder.TEXT, RecOrder.LEAD, RecOrder.STATUS,
                 RecOrder.PRIORITY, RecOrder.DUE)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon: QIcon | None = None

    def cell(self, row: RecRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._display(row, column)
        if role == TOOLTIP:
            return self._tooltip(row, column)
        return self._overdue_style(row, column, role) if row.overdue else None

    def _overdue_style(self, row: RecRow, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and column == Col.REF:
            if self._icon is None:
                self._icon = overdue_icon()
            return self._icon
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_TINT)
        if role == Qt.ItemDataRole.FontRole and column == Col.DUE:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, row: RecRow, column: int) -> str:
        values = {
            Col.REF: reference(row),
            Col.TEXT: " ".join(row.text.split()),
            Col.LEAD: row.lead_institution or "(no lead yet)",
            Col.STATUS: STATUS_LABELS[row.status],
            Col.PRIORITY: PRIORITY_LABELS[row.priority],
            Col.DUE: due_text(row),
        }
        return values[Col(column)]

    def _tooltip(self, row: RecRow, column: int) -> str | None:
        if column == Col.TEXT:
            return row.text
        if row.overdue:
            return f"Overdue: due {row.due_on}, still {STATUS_LABELS[row.status].lower()}"
        return None

