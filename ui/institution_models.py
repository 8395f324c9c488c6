"""Qt models over institutions and their focal points."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, Qt

from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.service import FocalPointRow, InstitutionOrder, InstitutionRow
from r2pdesk.paging import Sort
from ui.tables import DISPLAY, TOOLTIP, RowsModel, WindowedModel

# Counts line up at the end of the reading (right in English, left in Arabic).
TRAILING = int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)


class InstitutionColumn(IntEnum):
    """Columns of the institutions table."""

    NAME = 0
    ACRONYM = 1
    KIND = 2
    FOCAL_POINTS = 3
    LEADS = 4
    OPEN = 5


_NUMBERS = (InstitutionColumn.FOCAL_POINTS, InstitutionColumn.LEADS, InstitutionColumn.OPEN)


class InstitutionsModel(WindowedModel[InstitutionRow]):
    """Institutions, one row each, with their focal points and recommendations counted; a window
    at a time, sorted in SQL."""

    headers = (N_("Name"), N_("Acronym"), N_("Kind"), N_("Focal points"), N_("Leads"),
               N_("Open"))
    header_tips = (
        "", "", "",
        N_("Focal points named in this institution"),
        N_("Recommendations this institution leads"),
        N_("Recommendations it leads that are neither implemented nor found not applicable"),
    )
    sort_keys = (InstitutionOrder.NAME, InstitutionOrder.ACRONYM, InstitutionOrder.KIND,
                 InstitutionOrder.FOCAL_POINTS, InstitutionOrder.LEADS, InstitutionOrder.OPEN)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.order = Sort(InstitutionOrder.NAME)

    def _values(self, row: InstitutionRow) -> tuple[str | int, ...]:
        return (
            row.name,
            row.acronym,
            row.kind_label,
            row.focal_points,
            row.recommendations,
            row.open_recommendations,
        )

    def cell(self, row: InstitutionRow, column: int, role: int) -> object:
        if role == DISPLAY:
            value = self._values(row)[column]
            return format_number(value) if isinstance(value, int) else value
        if role == TOOLTIP:
            return _institution_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMBERS:
            return TRAILING
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if (
            role == TOOLTIP
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.header_tips)
        ):
            return tr(self.header_tips[section]) if self.header_tips[section] else None
        return super().headerData(section, orientation, role)


def _institution_tooltip(row: InstitutionRow) -> str:
    lines = [f"{row.name} ({row.acronym})" if row.acronym else row.name, row.kind_label]
    if row.parent:
        lines.append(tr("Part of: {parent}").format(parent=row.parent))
    lines.extend(text for text in (row.email, row.phone) if text)
    lines.append(tr("Leads {count} recommendations, {open} still open").format(
        count=format_number(row.recommendations), open=format_number(row.open_recommendations)))
    return "\n".join(lines)


class FocalPointColumn(IntEnum):
    """Columns of the focal points table."""

    NAME = 0
    TITLE = 1
    EMAIL = 2
    PHONE = 3


class FocalPointsModel(RowsModel[FocalPointRow]):
    """An institution's focal points, one row each."""

    headers = (N_("Name"), N_("Title"), N_("E-mail"), N_("Phone"))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if (role == DISPLAY and orientation == Qt.Orientation.Horizontal
                and section == FocalPointColumn.TITLE):
            return tr("Title", context="job")  # the person's position, not a document's title
        return super().headerData(section, orientation, role)

    def cell(self, row: FocalPointRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return (row.name, row.title, row.email, row.phone)[column]
        if role == TOOLTIP and row.notes:
            return row.notes
        return None
