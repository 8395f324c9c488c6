"""The Qt model of the early-warnings list, the words for the register's values, and the marks
of severity and of an overdue response.

Severity is never told by colour alone: each level has its own shape (circle, square, triangle,
diamond, growing with the danger) beside its written label. Overdue rows carry a warning icon, a
"⚠ overdue" mark in the due column and a tint, as in the recommendations list.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

from r2pdesk.earlywarning import models as core
from r2pdesk.earlywarning.models import (
    Severity,
    WarningStatus,
    severity_label,
    warning_status_label,
)
from r2pdesk.earlywarning.queries import WarningOrder, WarningRow
from r2pdesk.earlywarning.timing import TimingSummary
from r2pdesk.i18n import N_, format_date, format_number, tr
from r2pdesk.sources import labels as source_labels
from ui.tables import DISPLAY, OVERDUE_TINT, TOOLTIP, WindowedModel, overdue_icon, sample_days

# The words of the register's values, in English: marked with N_ (the core's own tables where it
# has them), translated with `tr` where they are shown.
OVERDUE_MARK = N_("⚠ overdue")
NOT_SET = N_("(not set)")
NONE = "—"

SEVERITY_LABELS = core.SEVERITY_LABELS
# (shape glyph, colour, light tint for banners): Okabe-Ito hues, shapes that differ without them
SEVERITY_MARKS = {
    Severity.LOW: ("●", "#0072B2", "#e1eef8"),
    Severity.MODERATE: ("■", "#E69F00", "#fdf0d5"),
    Severity.HIGH: ("▲", "#D55E00", "#fbe1d3"),
    Severity.CRITICAL: ("◆", "#8E0B3A", "#f6d5df"),
}
STATUS_LABELS = core.WARNING_STATUS_LABELS
LIKELIHOOD_LABELS = core.LIKELIHOOD_LABELS
HORIZON_LABELS = core.HORIZON_LABELS
RESOLUTION_LABELS = core.RESOLUTION_LABELS
RESPONSE_LABELS = core.RESPONSE_KIND_LABELS
SOURCE_KIND_LABELS = source_labels.SOURCE_KIND_LABELS
CONFIDENTIALITY_LABELS = source_labels.CONFIDENTIALITY_LABELS


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
    return severity_label(severity) if severity is not None else tr(NOT_SET)


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
        return NONE
    day = format_date(row.response_due)
    return f"{day}  {tr(OVERDUE_MARK)}" if row.overdue else day


def _days(value: float | None) -> str:
    if value is None:
        return NONE
    return format_number(value, 0 if float(value).is_integer() else 1)


def summary_text(summary: TimingSummary) -> str:
    """The header line: how many were issued, how fast they were answered, how many are late
    (phrases of their own, between middle dots)."""
    overdue = (tr("⚠ {count} overdue").format(count=format_number(summary.overdue))
               if summary.overdue else tr("none overdue", context="warnings"))
    return " · ".join((
        tr("{count} issued", context="warnings").format(count=format_number(summary.issued)),
        tr("median {days} days to acknowledgement").format(
            days=_days(summary.median_days_to_ack)),
        tr("median {days} days to action").format(days=_days(summary.median_days_to_action)),
        overdue,
    ))


class WarningsModel(WindowedModel[WarningRow]):
    """The early warnings, one per row, a window at a time, sorted in SQL."""

    headers = (N_("Reference"), N_("Title"), N_("Severity"), N_("Status"), N_("Issued"),
               N_("Response due"), N_("Addressees"), N_("Days to action"))
    sort_keys = (WarningOrder.REFERENCE, WarningOrder.TITLE, WarningOrder.SEVERITY,
                 WarningOrder.STATUS, WarningOrder.ISSUED, WarningOrder.DUE,
                 WarningOrder.ADDRESSEES, WarningOrder.DAYS_TO_ACTION)
    bold_columns = frozenset({Col.DUE})
    icon_columns = frozenset({Col.REF, Col.SEVERITY})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons: dict[object, QIcon] = {}

    def widest(self, column: int) -> Sequence[str]:
        if column == Col.SEVERITY:
            return [*map(severity_label, Severity), tr(NOT_SET)]
        if column == Col.STATUS:
            return [warning_status_label(status) for status in WarningStatus]
        if column == Col.ISSUED:
            return sample_days()
        if column == Col.DUE:
            return [f"{day}  {tr(OVERDUE_MARK)}" for day in sample_days()]
        if column == Col.ACTION:
            return [format_number(999)]
        return ()

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
            Col.STATUS: warning_status_label(row.status),
            Col.ISSUED: format_date(row.issued, NONE),
            Col.DUE: due_text(row),
            Col.ADDRESSEES: ", ".join(row.addressees) or NONE,
            Col.ACTION: NONE if row.days_to_action is None else format_number(row.days_to_action),
        }
        return values[Col(column)]

    def _tooltip(self, row: WarningRow, column: int) -> str | None:
        if column == Col.TITLE:
            return row.title
        if column == Col.ADDRESSEES:
            return "\n".join(row.addressees) or None
        if column == Col.ACTION:
            return _timing_tip(row)
        if row.overdue:
            return tr("Overdue: a response was due on {date} and no action is recorded").format(
                date=format_date(row.response_due))
        return None


def _timing_tip(row: WarningRow) -> str:
    """How fast an issued warning was answered, in one sentence."""
    if not row.issued:
        return tr("Not issued yet.")
    ack = None if row.days_to_ack is None else format_number(row.days_to_ack)
    action = None if row.days_to_action is None else format_number(row.days_to_action)
    if ack is None and action is None:
        return tr("Not acknowledged yet; no action yet.")
    if ack is None:
        return tr("Not acknowledged yet; first action after {action} days.").format(action=action)
    if action is None:
        return tr("Acknowledged after {ack} days; no action yet.").format(ack=ack)
    return tr("Acknowledged after {ack} days; first action after {action} days.").format(
        ack=ack, action=action)
