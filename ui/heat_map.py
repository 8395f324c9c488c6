"""The heat map: the risk factors of a scope (rows, structural then dynamic) across its successive
assessments (columns, oldest first). Each cell has its level's colour and word (or initial where
the word does not fit) and an arrow for the move since the column before; a legend says both in
words, and every cell has a tooltip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.assessments.models import Level
from r2pdesk.assessments.queries import HeatMap, HeatRow, heat_map, list_assessments
from r2pdesk.assessments.scale import Trend, is_rated, trend
from r2pdesk.i18n import N_, tr
from r2pdesk.reference.models import Nature
from r2pdesk.store import Store
from ui.assessment_grid import TREND_MARKS
from ui.combos import ValueCombo
from ui.dashboard_charts import (
    FRAME,
    LEVEL_COLOURS,
    LevelLegend,
    draw_data_text,
    label,
    mirrored,
)

# Texts in English, translated where they are shown.
HEADINGS = {Nature.STRUCTURAL: N_("Structural risk factors"),
            Nature.DYNAMIC: N_("Dynamic risk factors")}
TREND_LEGEND = N_("Arrows compare with the column before:  ▲ worse  ·  = same  ·  ▼ better  ·  "
                  "new: not rated before")
MOVES = {Trend.WORSE: N_("worse than the column before"), Trend.SAME: N_("the same as before"),
         Trend.BETTER: N_("better than the column before"), Trend.NEW: N_("not rated before")}
CENTRE = int(Qt.AlignmentFlag.AlignCenter)
# Leading and trailing: QPainter mirrors them in a right-to-left language.
LEADING = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
TRAILING = int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)


def initial(level: Level) -> str:
    """A level in a letter or two, where its word does not fit."""
    return {
        Level.NOT_ASSESSED: "–",
        Level.NOT_PRESENT: tr("NP", context="initials of Not present"),
        Level.LOW: tr("L", context="initial of Low level"),
        Level.MODERATE: tr("M", context="initial of Moderate level"),
        Level.HIGH: tr("H", context="initial of High level"),
        Level.SEVERE: tr("S", context="initial of Severe level"),
    }[level]


def _level(level: Level) -> str:
    """A level in running text: "not present", "severe"."""
    return label(level).lower()


@dataclass(frozen=True)
class HeatCellInfo:
    """What one cell shows: the effective level and the move since the column before."""

    level: Level
    trend: Trend | None  # None: the first column, or not rated in this one


def heat_lines(heat: HeatMap) -> list[str | tuple[HeatRow, tuple[HeatCellInfo, ...]]]:
    """The map's lines: a heading, then its risk factors with their cells, structural first."""
    lines: list[str | tuple[HeatRow, tuple[HeatCellInfo, ...]]] = []
    for nature in (Nature.STRUCTURAL, Nature.DYNAMIC):
        rows = [r for r in heat.rows if r.nature is nature]
        if rows:
            lines.append(HEADINGS[nature])
        for row in rows:
            cells = tuple(
                HeatCellInfo(level, None if n == 0 else trend(row.levels[n - 1], level))
                for n, level in enumerate(row.levels)
            )
            lines.append((row, cells))
    return lines


class HeatMapView(QWidget):
    """The painted grid of a scope's heat map."""

    LABEL = 330  # the narrowest room for the risk factors' titles
    COLUMN = 150
    WIDEST = 220  # a column grows no wider; the titles take what is left
    ROW = 30
    HEADER = 50
    HEADING = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heat: HeatMap | None = None
        self.lines: list[str | tuple[HeatRow, tuple[HeatCellInfo, ...]]] = []
        self.setAccessibleName(tr("Heat map of risk factors by assessment"))

    def set_heat_map(self, heat: HeatMap) -> None:
        """Show a scope's heat map."""
        self.heat = heat
        self.lines = heat_lines(heat)
        self.setAccessibleDescription(self.text())
        self.updateGeometry()
        self.update()

    def cell(self, number: int, column: int) -> HeatCellInfo:
        """The cell of a risk factor (by number) in a column."""
        for line in self.lines:
            if not isinstance(line, str) and line[0].number == number:
                return line[1][column]
        raise KeyError(number)

    def text(self) -> str:
        """The newest column in words."""
        if self.heat is None or not self.heat.columns:
            return tr("No assessment of this scope yet.")
        last = self.heat.columns[-1]
        rated = [tr("RF{number} {level}").format(number=r.number, level=_level(r.levels[-1]))
                 for r in self.heat.rows]
        return tr("{title}: {levels}").format(title=last.title, levels=tr(", ").join(rated))

    def _columns(self) -> int:
        return len(self.heat.columns) if self.heat else 0

    def sizeHint(self) -> QSize:
        headings = sum(isinstance(line, str) for line in self.lines)
        height = self.HEADER + headings * self.HEADING + (len(self.lines) - headings) * self.ROW
        return QSize(self.LABEL + max(self._columns(), 1) * self.COLUMN + 8, height + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.LABEL + max(self._columns(), 1) * 60, self.sizeHint().height())

    def _label_width(self) -> int:
        return max(self.LABEL, min(560, self.width() - self._columns() * self.WIDEST - 8))

    def _column_width(self) -> int:
        room = self.width() - self._label_width() - 8
        return max(60, min(self.WIDEST, room // max(self._columns(), 1)))

    def _tops(self) -> list[int]:
        tops, top = [], self.HEADER
        for line in self.lines:
            tops.append(top)
            top += self.HEADING if isinstance(line, str) else self.ROW
        return tops

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.heat is None or not self.heat.columns:
            painter.drawText(self.rect(), CENTRE, tr("No assessment of this scope yet."))
            painter.end()
            return
        self._paint_header(painter)
        bold = QFont(self.font())
        bold.setBold(True)
        text = self.palette().windowText().color()
        for top, line in zip(self._tops(), self.lines, strict=True):
            painter.setPen(text)
            if isinstance(line, str):
                painter.setFont(bold)
                heading = mirrored(self, QRect(4, top, self.width() - 8, self.HEADING))
                painter.drawText(heading, LEADING, tr(line))
                continue
            row, cells = line
            painter.setFont(self.font())
            # The risk factors' titles stand where the reading starts (on the right in Arabic);
            # the assessments follow in the reading direction, oldest first.
            title_box = mirrored(self, QRect(4, top, self._label_width() - 12, self.ROW))
            title = QFontMetrics(self.font()).elidedText(
                f"RF{row.number}  {row.title}", Qt.TextElideMode.ElideRight, title_box.width())
            draw_data_text(painter, self, title_box, LEADING, title)
            for column, info in enumerate(cells):
                self._paint_cell(painter, self._cell_rect(top, column), info)
        painter.end()

    def _cell_rect(self, top: int, column: int) -> QRect:
        width = self._column_width()
        left = self._label_width() + column * width
        return mirrored(self, QRect(left + 2, top + 2, width - 4, self.ROW - 4))

    def _paint_header(self, painter: QPainter) -> None:
        assert self.heat is not None
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(self.palette().windowText().color())
        width = self._column_width()
        for column, row in enumerate(self.heat.columns):
            rect = mirrored(self, QRect(self._label_width() + column * width, 0, width,
                                        self.HEADER - 4))
            period = tr("{start} – {end}\n{status}").format(
                start=f"{row.period_start:%Y-%m}", end=f"{row.period_end:%Y-%m}",
                status=label(row.status).lower())
            painter.drawText(rect, CENTRE | Qt.TextFlag.TextWordWrap, period)

    def _paint_cell(self, painter: QPainter, box: QRect, info: HeatCellInfo) -> None:
        painter.fillRect(box, LEVEL_COLOURS[info.level])
        painter.setPen(QPen(FRAME, 1))
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        mark = tr(TREND_MARKS[info.trend]) if info.trend else ""
        font = QFont(self.font())
        font.setBold(is_rated(info.level))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        word = label(info.level)
        new = tr(TREND_MARKS[Trend.NEW])
        room = box.width() - metrics.horizontalAdvance(f" {new}") - 12
        shown = word if metrics.horizontalAdvance(word) <= room else initial(info.level)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(box.adjusted(6, 0, -6, 0), LEADING, shown)
        if mark:
            painter.drawText(box.adjusted(6, 0, -6, 0), TRAILING, mark)

    def tip_at(self, point: QPoint) -> str | None:
        """The words of the cell under a point, if any."""
        if self.heat is None:
            return None
        for top, line in zip(self._tops(), self.lines, strict=True):
            if isinstance(line, str) or not top <= point.y() < top + self.ROW:
                continue
            row, cells = line
            for column, info in enumerate(cells):
                if self._cell_rect(top, column).contains(point):
                    said = self.heat.columns[column]
                    if info.trend:
                        text = tr("RF{number} {title}\n{assessment} ({status}): {level}; {move}")
                    else:
                        text = tr("RF{number} {title}\n{assessment} ({status}): {level}")
                    return text.format(
                        number=row.number, title=row.title, assessment=said.title,
                        status=label(said.status).lower(), level=_level(info.level),
                        move=tr(MOVES[info.trend]) if info.trend else "")
            return f"RF{row.number} {row.title}"
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ScopeCombo(ValueCombo[uuid.UUID | None]):
    """National, then each area that has an assessment (`set_items` keeps the one chosen when
    it is still offered)."""


class HeatMapPanel(QWidget):
    """The heat map with its scope combo and legend."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.scope = ScopeCombo()
        self.scope.setAccessibleName(tr("Scope"))
        self.scope.setMinimumContentsLength(24)
        scope_label = QLabel(tr("S&cope:"))
        scope_label.setBuddy(self.scope)
        self.view = HeatMapView()
        scroll = QScrollArea()
        scroll.setWidget(self.view)
        scroll.setWidgetResizable(True)
        controls = QHBoxLayout()
        controls.addWidget(scope_label)
        controls.addWidget(self.scope)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(LevelLegend())
        legend = QLabel(tr(TREND_LEGEND))
        legend.setWordWrap(True)
        layout.addWidget(legend)
        layout.addWidget(scroll, 1)
        self.scope.currentIndexChanged.connect(lambda _i: self._show())
        self.refresh()

    def refresh(self) -> None:
        """Read the scopes and the map again, keeping the scope chosen."""
        with self.store.reader() as session:
            rows = list_assessments(session)
        areas = sorted({(r.scope, r.area_id) for r in rows if r.area_id is not None},
                       key=lambda pair: pair[0].casefold())
        self.scope.set_items([(tr("National", context="scope"), None), *areas])
        self._show()

    def set_scope(self, area_id: uuid.UUID | None) -> bool:
        """Show the map of an area (None: national); False when it has no assessment."""
        return self.scope.set_value(area_id)

    def _show(self) -> None:
        with self.store.reader() as session:
            self.view.set_heat_map(heat_map(session, self.scope.value()))
