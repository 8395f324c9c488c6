"""The Qt model of the early-warnings list, the words for the register's values, and the marks
of severity and of an overdue response.

Severity is never told by colour alone: each level has its own shape (circle, square, triangle,
diamond, growing with the danger) beside its written label. Overdue rows carry a warning icon, a
"⚠ overdue" mark in the due column and a tint, as in the recommendations list.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

from r2pdesk.earlywarning.models import (
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningStatus,
)
from r2pdesk.earlywarning.queries import WarningOrder, WarningRow
from r2pdesk.earlywarning.timing import TimingSummary
from r2pdesk.i18n import N_
from r2pdesk.sources.models import Confidentiality, SourceKind
from ui.tables import DISPLAY, OVERDUE_TINT, TOOLTIP, WindowedModel, overdue_icon

OVERDUE_MARK = "⚠ overdue"
NOT_SET = "(not set)"

SEVERITY_LABELS = {
    Severity.LOW: "Low", Severity.MODERATE: "Moderate", Severity.HIGH: "High",
    Severity.CRITICAL: "Critical",
}
# (shape glyph, colour, light tint for banners): Okabe-Ito hues, shapes that differ without them
SEVERITY_MARKS = {
    Severity.LOW: ("●", "#0072B2", "#e1eef8"),
    Severity.MODERATE: ("■", "#E69F00", "#fdf0d5"),
    Severity.HIGH: ("▲", "#D55E00", "#fbe1d3"),
    Severity.CRITICAL: ("◆", "#8E0B3A", "#f6d5df"),
}
STATUS_LABELS = {
    WarningStatus.DRAFT: "Draft", WarningStatus.ISSUED: "Issued",
    WarningStatus.ACKNOWLEDGED: "Acknowledged",
    WarningStatus.RESPONSE_UNDER_WAY: "Response under way", WarningStatus.CLOSED: "Closed",
}
LIKELIHOOD_LABELS = {
    Likelihood.UNLIKELY: "Unlikely", Likelihood.POSSIBLE: "Possible",
    Likelihood.LIKELY: "Likely", Likelihood.VERY_LIKELY: "Very likely",
}
HORIZON_LABELS = {
    Horizon.IMMINENT: "Imminent", Horizon.WEEKS: "Within weeks", Horizon.MONTHS: "Within months",
}
RESOLUTION_LABELS = {
    Resolution.RESOLVED: "Resolved", Resolution.ESCALATED: "Escalated",
    Resolution.NO_ACTION_TAKEN: "No action taken",
    Resolution.OVERTAKEN_BY_EVENTS: "Overtaken by events",
}
RESPONSE_LABELS = {
    ResponseKind.ACKNOWLEDGEMENT: "Acknowledgement of receipt", ResponseKind.ACTION: "Action",
}
SOURCE_KIND_LABELS = {
    SourceKind.OPEN_MEDIA: "open media", SourceKind.CIVIL_SOCIETY_REPORT: "civil society report",
    SourceKind.OFFICIAL: "official", SourceKind.FIELD_MISSION: "field mission",
    SourceKind.CONFIDENTIAL_INFORMANT: "confidential informant",
}
CONFIDENTIALITY_LABELS = {
    Confidentiality.PUBLIC: "public", Confidentiality.RESTRICTED: "restricted",
    Confidentiality.CONFIDENTIAL: "confidential",
}


class Col(IntEnum):
    """Columns of the warnings table."""

    REF = 0
    TITLE = 1
    SEVERITY = 2
    STATUS = 3
    ISSUED = 4
    DUE = 5
    ADDRESSEES = 6
    ACTION = 7


def severity_text(severity: Severity | None) -> str:
    """A severity in words, with "not set" for a draft without one."""
    return SEVERITY_LABELS[severity] if severity is not None else NOT_SET


def _shape(severity: Severity, size: float) -> QPolygonF:
    """Circle, square, triangle or diamond, as a polygon filling a square of `size`."""
    m, s = 2.0, size - 2.0
    c = size / 2
    points = {
        Severity.MODERATE: [(m + 1, m + 1), (s - 1, m + 1), (s - 1, s - 1), (m + 1, s - 1)],
        Severity.HIGH: [(c, m), (s, s - 1), (m, s - 1)],
        Severity.CRITICAL: [(c, m - 1), (s + 1, c), (c, s + 1), (m - 1, c)],
    }[severity]
    return QPolygonF([QPointF(x, y) for x, y in points])


def severity_icon(severity: Severity, size: int = 16) -> QIcon:
    """The shape of a severity, filled with its colour and outlined so it shows on any tint."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#202020"), 1))
    painter.setBrush(QColor(SEVERITY_MARKS[severity][1]))
    if severity is Severity.LOW:
        painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - 3, size / 2 - 3)
    else:
        painter.drawPolygon(_shape(severity, size))
    painter.end()
    return QIcon(pixmap)


def due_text(row: WarningRow) -> str:
    """The response day as a list shows it, marked when overdue."""
    if row.response_due is None:
        return "—"
    day = row.response_due.isoformat()
    return f"{day}  {OVERDUE_MARK}" if row.overdue else day


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def summary_text(summary: TimingSummary) -> str:
    """The header line: how many were issued, how fast they were answered, how many are late."""
    overdue = f"⚠ {summary.overdue} overdue" if summary.overdue else "none overdue"
    return (
        f"{summary.issued} issued · median {_days(summary.median_days_to_ack)} days to "
        f"acknowledgement · median {_days(summary.median_days_to_action)} days to action · "
        f"{overdue}"
    )


class WarningsModel(WindowedModel[WarningRow]):
    """The early warnings, one per row, a window at a time, sorted in SQL."""

    headers = (N_("Reference"), N_("Title"), N_("Severity"), N_("Status"), N_("Issued"),
               N_("Response due"), N_("Addressees"), N_("Days to action"))
    sort_keys = (WarningOrder.REFERENCE, WarningOrder.TITLE, WarningOrder.SEVERITY,
                 WarningOrder.STATUS, WarningOrder.ISSUED, WarningOrder.DUE,
                 WarningOrder.ADDRESSEES, WarningOrder.DAYS_TO_ACTION)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons: dict[object, QIcon] = {}

    def _icon(self, key: Severity | str) -> QIcon:
        if key not in self._icons:
            self._icons[key] = (
                severity_icon(key) if isinstance(key, Severity) else
                overdue_icon()
            )
        return self._icons[key]

    def cell(self, row: WarningRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._display(row, column)
        if role == TOOLTIP:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(row, column)
        return self._overdue_style(column, role) if row.overdue else None

    def _decoration(self, row: WarningRow, column: int) -> QIcon | None:
        if column == Col.SEVERITY and row.severity is not None:
            return self._icon(row.severity)
        if column == Col.REF and row.overdue:
            return self._icon("overdue")
        return None

    def _overdue_style(self, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_TINT)
        if role == Qt.ItemDataRole.FontRole and column == Col.DUE:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, row: WarningRow, column: int) -> str:
        values = {
            Col.REF: row.reference,
            Col.TITLE: row.title,
            Col.SEVERITY: severity_text(row.severity),
            Col.STATUS: STATUS_LABELS[row.status],
            Col.ISSUED: row.issued.isoformat() if row.issued else "—",
            Col.DUE: due_text(row),
            Col.ADDRESSEES: ", ".join(row.addressees) or "—",
            Col.ACTION: "—" if row.days_to_action is None else str(row.days_to_action),
        }
        return values[Col(column)]

    def _tooltip(self, row: WarningRow, column: int) -> str | None:
        if column == Col.TITLE:
            return row.title
        if column == Col.ADDRESSEES:
            return "\n".join(row.addressees) or None
        if column == Col.ACTION:
            ack = "not acknowledged yet" if row.days_to_ack is None else (
                f"acknowledged after {row.days_to_ack} days")
            act = "no action yet" if row.days_to_action is None else (
                f"first action after {row.days_to_action} days")
            return f"{ack.capitalize()}; {act}." if row.issued else "Not issued yet."
        if row.overdue:
            return f"Overdue: a response was due on {row.response_due} and no action is recorded"
        return None
