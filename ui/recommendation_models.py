"""The Qt model of the recommendations list, and the picture of "overdue" it shows.

Overdue rows carry a warning icon, a "⚠ overdue" mark in the due-date column and a tinted row: the
icon and the words say it to readers who cannot tell the tint apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QFont, QIcon

from r2pdesk.i18n import N_, format_date, tr
from r2pdesk.recommendations.models import Priority, RecStatus
from r2pdesk.recommendations.queries import RecOrder, RecRow
from r2pdesk.recommendations.service import priority_label, source_label, status_label
from ui.tables import DISPLAY, OVERDUE_TINT, TOOLTIP, WindowedModel, overdue_icon, sample_days

OVERDUE_MARK = N_("⚠ overdue")  # translated where shown
NONE = "—"


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
    label = source_label(row.source)
    if not row.source_reference:
        return label
    return tr("{source}: {reference}").format(source=label, reference=row.source_reference)


def due_text(row: RecRow) -> str:
    """The due date as a list shows it, marked when overdue."""
    if row.due_on is None:
        return NONE
    day = format_date(row.due_on)
    return f"{day}  {tr(OVERDUE_MARK)}" if row.overdue else day


class RecommendationsModel(WindowedModel[RecRow]):
    """The followed recommendations, one per row, a window at a time, sorted in SQL."""

    headers = (N_("Ref."), N_("Recommendation"), N_("Lead institution"), N_("Status"),
               N_("Priority"), N_("Due"))
    sort_keys = (RecOrder.REFERENCE, RecOrder.TEXT, RecOrder.LEAD, RecOrder.STATUS,
                 RecOrder.PRIORITY, RecOrder.DUE)
    bold_columns = frozenset({Col.DUE})
    icon_columns = frozenset({Col.REF})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon: QIcon | None = None

    def widest(self, column: int) -> Sequence[str]:
        if column == Col.REF:
            return ["2026-MS-10"]  # a catalogue id; other references are cut, whole in the detail
        if column == Col.STATUS:
            return [status_label(status) for status in RecStatus]
        if column == Col.PRIORITY:
            return [priority_label(priority) for priority in Priority]
        if column == Col.DUE:
            return [f"{day}  {tr(OVERDUE_MARK)}" for day in sample_days()]
        return ()

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
            Col.LEAD: row.lead_institution or tr("(no lead yet)"),
            Col.STATUS: status_label(row.status),
            Col.PRIORITY: priority_label(row.priority),
            Col.DUE: due_text(row),
        }
        return values[Col(column)]

    def _tooltip(self, row: RecRow, column: int) -> str | None:
        if column == Col.TEXT:
            return row.text
        if row.overdue:
            return tr("Overdue: due {date}, still {status}").format(
                date=format_date(row.due_on), status=status_label(row.status).lower())
        return None

