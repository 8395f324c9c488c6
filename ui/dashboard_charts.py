"""The opening page's pictures: tiles with big numbers, open warnings by severity as bars, and the
latest assessment as a strip of one cell per risk factor. Colour is never the only sign: every bar
and every cell has its words written on it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.assessments.models import AssessmentStatus, Level
from r2pdesk.assessments.scale import level_label
from r2pdesk.dashboard import HeatCell
from r2pdesk.earlywarning.models import (
    Severity,
    WarningStatus,
    severity_label,
    warning_status_label,
)
from r2pdesk.i18n import format_number, tr
from r2pdesk.reference.models import Nature
from ui.flow import FlowLayout, swatched

# Okabe-Ito colours, told apart by the commonest colour blindnesses; each takes black text.
# The same hue means the same degree in both pictures: low is blue, severe or critical vermilion.
SEVERITY_COLOURS = {
    Severity.LOW: QColor("#56B4E9"),
    Severity.MODERATE: QColor("#F0E442"),
    Severity.HIGH: QColor("#E69F00"),
    Severity.CRITICAL: QColor("#D55E00"),
}
LEVEL_COLOURS = {
    Level.NOT_ASSESSED: QColor("#E4E4E4"),
    Level.NOT_PRESENT: QColor("#009E73"),
    Level.LOW: QColor("#56B4E9"),
    Level.MODERATE: QColor("#F0E442"),
    Level.HIGH: QColor("#E69F00"),
    Level.SEVERE: QColor("#D55E00"),
}
FRAME = QColor("#5F5F5F")
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)
# Where the reading starts and ends: the left and the right in English, the other way in Arabic
# (QPainter takes the widget's layout direction and mirrors leading and trailing).
LEADING = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
TRAILING = int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)


def _assessment_status_labels() -> dict[StrEnum, str]:
    return {
        AssessmentStatus.DRAFT: tr("Draft", context="assessment status"),
        AssessmentStatus.UNDER_REVIEW: tr("Under review", context="assessment status"),
        AssessmentStatus.VALIDATED: tr("Validated", context="assessment status"),
        AssessmentStatus.SUPERSEDED: tr("Superseded", context="assessment status"),
    }


def _nature_labels() -> dict[StrEnum, str]:
    return {
        Nature.STRUCTURAL: tr("Structural", context="risk factor"),
        Nature.DYNAMIC: tr("Dynamic", context="risk factor"),
    }


_LABELS: dict[type, Callable[[], dict[StrEnum, str]]] = {
    AssessmentStatus: _assessment_status_labels,
    Nature: _nature_labels,
}
# Enums whose labels the core gives (in the language in use, with the right agreement).
_CORE_LABELS: dict[type, Callable[[Any], str]] = {
    Severity: severity_label,
    Level: level_label,
    WarningStatus: warning_status_label,
}


def label(value: StrEnum) -> str:
    """An enum value as people read it, in the language in use: "response_under_way" as
    "Response under way"."""
    core = _CORE_LABELS.get(type(value))
    if core is not None:
        return core(value)
    labels = _LABELS.get(type(value))
    shown = labels().get(value) if labels else None
    return shown or value.value.replace("_", " ").capitalize()


def mirrored(widget: QWidget, rect: QRect) -> QRect:
    """A rectangle laid out left to right, where it goes in the widget's reading direction."""
    if not widget.isRightToLeft():
        return rect
    return QRect(widget.width() - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())


def reads_left_to_right(text: str) -> bool:
    """Whether a text starts in a left-to-right script (English data in an Arabic window)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return True
        if kind in ("R", "AL"):
            return False
    return False


def draw_data_text(painter: QPainter, widget: QWidget, rect: QRect, flags: int,
                   text: str) -> None:
    """Draw a text that is data (a reference title, in English), in its own direction: in a
    right-to-left window it keeps its punctuation and "…" where they belong, and a leading
    alignment still puts it where the reading starts."""
    if not (widget.isRightToLeft() and reads_left_to_right(text)):
        painter.drawText(rect, flags, text)
        return
    horizontal = flags & int(Qt.AlignmentFlag.AlignHorizontal_Mask)
    if horizontal in (0, int(Qt.AlignmentFlag.AlignLeading)):
        flags = (flags & ~horizontal) | int(Qt.AlignmentFlag.AlignRight
                                             | Qt.AlignmentFlag.AlignAbsolute)
    painter.save()
    painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    painter.drawText(rect, flags, text)
    painter.restore()


def _font(widget: QWidget, *, scale: float = 1.0, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


class SeverityChart(QWidget):
    """Horizontal bars of open warnings, the most severe on top, each named and counted."""

    ROW = 22
    GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: tuple[tuple[Severity, int], ...] = tuple((s, 0) for s in Severity)
        self.setAccessibleName(tr("Open warnings by severity"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_counts(self, counts: Sequence[tuple[Severity, int]]) -> None:
        """Show these counts, given lowest severity first."""
        self.counts = tuple(counts)
        self.setAccessibleDescription(self.text())
        self.setToolTip(self.text())
        self.update()

    def text(self) -> str:
        """What the bars say, in words."""
        return tr(", ").join(
            tr("{count} {severity}").format(count=format_number(n), severity=label(s).lower())
            for s, n in reversed(self.counts))

    def sizeHint(self) -> QSize:
        return QSize(300, len(self.counts) * (self.ROW + self.GAP) + self.GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        names = max(metrics.horizontalAdvance(label(s)) for s in Severity) + 12
        room = self.width() - names - metrics.horizontalAdvance("000") - 12
        most = max((n for _, n in self.counts), default=0)
        top = self.GAP // 2
        for severity, n in reversed(self.counts):
            # Laid out left to right, then mirrored in a right-to-left language: the names
            # stand where the reading starts and the bars grow towards where it ends.
            painter.setPen(self.palette().windowText().color())
            painter.drawText(mirrored(self, QRect(0, top, names, self.ROW)), LEADING,
                             label(severity))
            width = 0 if most == 0 else round(room * n / most)
            bar = QRect(names, top, width, self.ROW)
            self._bar(painter, bar, severity, n, metrics)
            top += self.ROW + self.GAP
        painter.end()

    def _bar(self, painter: QPainter, bar: QRect, severity: Severity, n: int,
             metrics: QFontMetrics) -> None:
        count = format_number(n)
        shown = mirrored(self, bar)
        if n:
            painter.fillRect(shown, SEVERITY_COLOURS[severity])
            painter.setPen(QPen(FRAME, 1))
            painter.drawRect(shown.adjusted(0, 0, -1, -1))
        if n and metrics.horizontalAdvance(count) + 12 <= bar.width():
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(shown.adjusted(6, 0, -6, 0), TRAILING, count)
            return
        painter.setPen(self.palette().windowText().color() if n else
                       self.palette().placeholderText().color())
        width = metrics.horizontalAdvance(count) + 8
        after = QRect(bar.left() + bar.width() + 6, bar.top(), width, bar.height())
        painter.drawText(mirrored(self, after), LEADING, count)


class HeatStripView(QWidget):
    """One cell per risk factor, coloured and written with its level; Enter or a click opens it."""

    activated = Signal()

    NUMBER_LINE = 18
    CELL = 44
    TITLE_LINES = 4
    GAP = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells: tuple[HeatCell, ...] = ()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(tr("Risk factors of the latest assessment"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_cells(self, cells: Sequence[HeatCell]) -> None:
        """Show these risk factors, in order."""
        self.cells = tuple(cells)
        self.setAccessibleDescription(tr("; ").join(
            tr("risk factor {number}, {title}: {level}").format(
                number=c.number, title=c.title, level=label(c.level).lower())
            for c in self.cells))
        self.updateGeometry()
        self.update()

    def _small(self) -> QFont:
        return _font(self, scale=0.85)

    def sizeHint(self) -> QSize:
        lines = QFontMetrics(self._small()).lineSpacing() * self.TITLE_LINES
        return QSize(14 * 80, self.NUMBER_LINE + self.CELL + self.GAP * 2 + lines)

    def minimumSizeHint(self) -> QSize:
        return QSize(14 * 44, self.sizeHint().height())  # fits a 1024-pixel screen

    def cell_rect(self, index: int) -> QRect:
        """Where a cell's coloured box is drawn: the first risk factor where reading starts."""
        count = max(len(self.cells), 1)
        left = round(index * self.width() / count)
        right = round((index + 1) * self.width() / count)
        return mirrored(self, QRect(left + 2, self.NUMBER_LINE, right - left - 4, self.CELL))

    def cell_at(self, point: QPoint) -> HeatCell | None:
        """The risk factor under a point, if any."""
        for index, cell in enumerate(self.cells):
            rect = self.cell_rect(index)
            if rect.left() <= point.x() <= rect.right():
                return cell
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        small, bold = self._small(), _font(self, bold=True)
        text = self.palette().windowText().color()
        for index, cell in enumerate(self.cells):
            box = self.cell_rect(index)
            painter.setFont(small)
            painter.setPen(text)
            number = QRect(box.left(), 0, box.width(), self.NUMBER_LINE)
            heading = tr("RF{number} · {nature}").format(
                number=cell.number, nature=label(cell.nature).lower())
            painter.drawText(number, CENTRE, QFontMetrics(small).elidedText(
                heading, Qt.TextElideMode.ElideRight, number.width()))
            painter.fillRect(box, LEVEL_COLOURS[cell.level])
            painter.setPen(QPen(FRAME, 1))
            painter.drawRect(box.adjusted(0, 0, -1, -1))
            word = label(cell.level)
            fits = QFontMetrics(bold).horizontalAdvance(word) <= box.width() - 4
            painter.setFont(bold if fits and cell.level is not Level.NOT_ASSESSED else small)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(box.adjusted(2, 0, -2, 0), CENTRE | Qt.TextFlag.TextWordWrap,
                             label(cell.level))
            painter.setFont(small)
            painter.setPen(text)
            below = QRect(box.left(), box.bottom() + self.GAP, box.width(),
                          self.height() - box.bottom() - self.GAP)
            draw_data_text(painter, self, below, int(Qt.AlignmentFlag.AlignHCenter
                                                     | Qt.AlignmentFlag.AlignTop
                                                     | Qt.TextFlag.TextWordWrap),
                           cell.short_title)
        if self.hasFocus() and self.cells:
            painter.setPen(QPen(self.palette().highlight().color(), 2, Qt.PenStyle.DashLine))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tr(
                    "Risk factor {number}: {title}\n{nature} · level: {level}").format(
                        number=cell.number, title=cell.title, nature=label(cell.nature),
                        level=label(cell.level).lower()))
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.cells:
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS and self.cells:
            self.activated.emit()
            return
        super().keyPressEvent(event)


def _swatch(colour: QColor) -> QLabel:
    pixmap = QPixmap(14, 14)
    pixmap.fill(colour)
    swatch = QLabel()
    swatch.setPixmap(pixmap)
    return swatch


class LevelLegend(QWidget):
    """What each colour of the heat strip means, in words beside a swatch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)  # wraps on a narrow window instead of widening it
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Levels:")))
        for level in reversed(Level):
            layout.addWidget(swatched(_swatch(LEVEL_COLOURS[level]), label(level)))


class Tile(QPushButton):
    """A big number and what it counts; pressing it opens the list behind it."""

    def __init__(self, caption: str, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.list_name = list_name
        self.number = QLabel("0")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.number.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        heading = QLabel(f"<b>{caption}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        for child in self.findChildren(QLabel):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_value(self, n: int, note: str, *, alarm: bool = False) -> None:
        """Show a count, marked with a sign when it calls for action."""
        self.number.setText(f"⚠ {n}" if alarm and n else str(n))
        self.note.setText(note)
        self.setAccessibleName(tr("{caption}: {count}").format(caption=self.caption, count=n))
        self.setToolTip(tr("{caption}: {count}. {note}").format(
            caption=self.caption, count=n, note=note))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            self.animateClick()
            return
        super().keyPressEvent(event)
