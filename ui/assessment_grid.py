"""The list of assessments, and the rating grid of one assessment: a flat table of risk factors,
each followed by its indented indicators, under a heading for structural and one for dynamic
risk factors; level cells painted with the level's colour and word; and the keys that rate it.

Keys (the table's own; the page saves each change at once):
  0 or N  not present     1 or L  low     2 or M  moderate     3 or H  high     4 or S  severe
  Delete or Backspace  not assessed (clears the level)
  Ctrl+Up / Ctrl+Down  confidence one step higher / lower (none, low, medium, high)
  Enter  the evidence editor (evidence, sources, groups, areas, override, confidential)
The digits are the level's place on the scale, so 0 is the lowest level, not "nothing said".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import TypeVar

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from r2pdesk.assessments.models import Confidence, Level, confidence_label, phase_label
from r2pdesk.assessments.queries import (
    AssessmentRow,
    FactorCell,
    Grid,
    IndicatorCell,
    RatingView,
)
from r2pdesk.assessments.scale import Trend, is_rated, level_label
from r2pdesk.assessments.service import RatingInput, status_label
from r2pdesk.i18n import N_, format_date, format_number, is_right_to_left, tr
from r2pdesk.reference.models import IndicatorsStatus, Nature
from ui.dashboard_charts import FRAME, LEVEL_COLOURS
from ui.tables import DISPLAY, TOOLTIP, AnyIndex, RowsModel

KEY = Qt.Key
LEVEL_KEYS = {
    KEY.Key_0: Level.NOT_PRESENT, KEY.Key_N: Level.NOT_PRESENT,
    KEY.Key_1: Level.LOW, KEY.Key_L: Level.LOW,
    KEY.Key_2: Level.MODERATE, KEY.Key_M: Level.MODERATE,
    KEY.Key_3: Level.HIGH, KEY.Key_H: Level.HIGH,
    KEY.Key_4: Level.SEVERE, KEY.Key_S: Level.SEVERE,
    KEY.Key_Delete: Level.NOT_ASSESSED, KEY.Key_Backspace: Level.NOT_ASSESSED,
}
# The texts of these tables are marked with N_ and translated with tr where they are shown.
KEYS_HELP = N_("Keys: 0–4 or N L M H S set the level (not present … severe) · Delete clears it · "
               "Ctrl+↑/↓ confidence · Enter evidence and override")
CONFIDENCE_STEPS: tuple[Confidence | None, ...] = (None, *Confidence)
TREND_MARKS = {Trend.WORSE: "▲", Trend.SAME: "=", Trend.BETTER: "▼", Trend.NEW: N_("new")}
TREND_WORDS = {
    Trend.WORSE: N_("worse than in the previous assessment"),
    Trend.SAME: N_("the same as in the previous assessment"),
    Trend.BETTER: N_("better than in the previous assessment"),
    Trend.NEW: N_("new: not rated in the previous assessment"),
}
NATURE_HEADINGS = {
    Nature.STRUCTURAL: N_("Structural risk factors — conditions that change slowly"),
    Nature.DYNAMIC: N_("Dynamic risk factors — a trajectory or a trigger"),
}
LevelRole = Qt.ItemDataRole.UserRole + 2
# Headings are disabled, so that the cursor passes over them, but must not look greyed out.
HEADING_LOOK: dict[int, QColor] = {int(Qt.ItemDataRole.ForegroundRole): QColor("#1F1F1F"),
                                   int(Qt.ItemDataRole.BackgroundRole): QColor("#E8E8E8")}
R = TypeVar("R")


class TranslatedRowsModel(RowsModel[R]):
    """A rows model whose column titles (marked with N_) show in the language in use."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        value = super().headerData(section, orientation, role)
        return tr(value) if isinstance(value, str) else value


def fit_headers(table: QTableView, widths: Sequence[tuple[int, int]]) -> None:
    """Give columns their widths, widened where a (translated) title needs more room."""
    header = table.horizontalHeader()
    for column, width in widths:
        table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))


class Col(IntEnum):
    """Columns of the rating grid."""

    CODE = 0
    TITLE = 1
    LEVEL = 2
    CONFIDENCE = 3
    TREND = 4
    BASIS = 5
    EVIDENCE = 6


@dataclass(frozen=True)
class GridRow:
    """A line of the grid: a heading (no factor), a risk factor, or one of its indicators."""

    heading: str = ""
    factor: FactorCell | None = None
    indicator: IndicatorCell | None = None

    @property
    def key(self) -> tuple[uuid.UUID, uuid.UUID | None] | None:
        """(risk factor id, indicator id or None); None for a heading."""
        if self.factor is None:
            return None
        return self.factor.risk_factor_id, self.indicator.indicator_id if self.indicator else None

    @property
    def rating(self) -> RatingView | None:
        """The saved rating of the line, if any."""
        if self.indicator is not None:
            return self.indicator.rating
        return self.factor.rating if self.factor else None

    @property
    def level(self) -> Level:
        """The effective level shown."""
        if self.indicator is not None:
            return self.indicator.level
        return self.factor.effective_level if self.factor else Level.NOT_ASSESSED

    @property
    def trend(self) -> Trend | None:
        """The move since the previous assessment."""
        if self.indicator is not None:
            return self.indicator.trend
        return self.factor.trend if self.factor else None


def _unrated(factor: FactorCell) -> bool:
    return not is_rated(factor.effective_level) or any(
        not is_rated(i.level) for i in factor.indicators)


def grid_rows(grid: Grid, *, unrated_only: bool = False) -> list[GridRow]:
    """The grid's lines: structural, then dynamic risk factors, each with its indicators; only
    what is not rated yet (and the risk factors they belong to) when asked."""
    rows: list[GridRow] = []
    for nature in (Nature.STRUCTURAL, Nature.DYNAMIC):
        factors = [f for f in grid.factors if f.nature is nature
                   and (not unrated_only or _unrated(f))]
        if factors:
            rows.append(GridRow(heading=NATURE_HEADINGS[nature]))
        for factor in factors:
            rows.append(GridRow(factor=factor))
            rows.extend(GridRow(factor=factor, indicator=i) for i in factor.indicators
                        if not unrated_only or not is_rated(i.level))
    return rows


class AssessmentsModel(TranslatedRowsModel[AssessmentRow]):
    """The assessments, latest period first, with their overall level as colour and word."""

    headers = (N_("Title"), N_("Scope"), N_("Period"), N_("Phase"), N_("Status"),
               N_("Overall level"), N_("Ratings"))
    LEVEL_COLUMN = 5

    def row_of(self, assessment_id: uuid.UUID) -> int:
        """The line of an assessment; -1 when it is not listed."""
        return next((n for n, row in enumerate(self._rows) if row.id == assessment_id), -1)

    def _text(self, row: AssessmentRow, column: int) -> str:
        overall = level_word(row.effective_level)
        if row.overall_override is not None:
            overall = tr("{level} (override)").format(level=overall)
        scope = tr("National", context="scope") if row.area_id is None else row.scope
        return (row.title, scope,
                f"{format_date(row.period_start)} – {format_date(row.period_end)}",
                phase_label(row.phase), status_label(row.status), overall,
                format_number(row.ratings))[column]

    def cell(self, row: AssessmentRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._text(row, column)
        if role == LevelRole and column == self.LEVEL_COLUMN:
            return row.effective_level
        if role == TOOLTIP and column == self.LEVEL_COLUMN:
            derived = level_word(row.overall_level).lower()
            if row.overall_override:
                return tr("Derived from the risk factors: {level}; the committee set the level "
                          "shown").format(level=derived)
            return tr("Derived from the risk factors: {level}").format(level=derived)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == len(self.headers) - 1:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        return None


def level_word(level: Level) -> str:
    """A level as the grid writes it, in the language in use."""
    return level_label(level)


def basis_text(row: GridRow) -> str:
    """Where the level shown comes from."""
    if row.indicator is not None:
        view = row.indicator.rating
        if view is not None and view.override_level is not None:
            return tr("override (rated {level})").format(level=level_word(view.level).lower())
        return tr("rated") if is_rated(row.level) else ""
    factor = row.factor
    if factor is None:
        return ""
    if factor.override_level is not None:
        return tr("override (derived {level})").format(
            level=level_word(factor.derived_level).lower())
    if factor.from_indicators:
        return tr("derived: highest indicator")
    return tr("rated directly") if is_rated(factor.derived_level) else ""


def evidence_text(view: RatingView | None) -> str:
    """A rating's evidence in one line: how many sources, the first line of the text."""
    if view is None:
        return ""
    parts = []
    if view.confidential:
        parts.append(tr("confidential"))
    if view.source_ids:
        n = len(view.source_ids)
        parts.append(tr("1 source") if n == 1
                     else tr("{count} sources").format(count=format_number(n)))
    first = view.evidence.strip().splitlines()[0] if view.evidence.strip() else ""
    return " · ".join([*parts, first] if first else parts)


def _factor_title(factor: FactorCell) -> str:
    if factor.indicators_status is IndicatorsStatus.PARTIAL:
        return tr("{title} (indicator list partial)").format(title=factor.title)
    return factor.title


class GridModel(TranslatedRowsModel[GridRow]):
    """The lines of an assessment's rating grid."""

    headers = (N_("Code"), N_("Risk factor / indicator"), N_("Level"), N_("Confidence"),
               N_("Trend"), N_("Derived / override"), N_("Evidence"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)

    def row_of(self, risk_factor_id: uuid.UUID, indicator_id: uuid.UUID | None = None) -> int:
        """The line of an item; -1 when it is not shown."""
        wanted = (risk_factor_id, indicator_id)
        return next((n for n, row in enumerate(self._rows) if row.key == wanted), -1)

    def row_near(self, key: tuple[uuid.UUID, uuid.UUID | None] | None, at: int) -> int:
        """The line of an item; when it is no longer shown (rated, under "unrated only"), the
        first item at or after the line where it was; -1 when there is none."""
        row = self.row_of(*key) if key else -1
        if row >= 0 or key is None:
            return row
        row = min(max(at, 0), self.rowCount() - 1)
        while 0 <= row < self.rowCount() - 1 and self.row_at(row).factor is None:
            row += 1
        return row

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.row_at(index.row()).factor is None:
            return Qt.ItemFlag.NoItemFlags  # headings: the cursor passes over them
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _text(self, row: GridRow, column: int) -> str:
        factor, indicator = row.factor, row.indicator
        if factor is None:
            return tr(row.heading) if column == Col.CODE else ""
        view = row.rating
        texts = {
            Col.CODE: f"    {indicator.code}" if indicator else factor.code,
            Col.TITLE: f"    {indicator.text}" if indicator else _factor_title(factor),
            Col.LEVEL: level_word(row.level),
            Col.CONFIDENCE: (confidence_label(view.confidence).lower()
                             if view and view.confidence else "—"),
            Col.TREND: tr(TREND_MARKS[row.trend]) if row.trend else "",
            Col.BASIS: basis_text(row),
            Col.EVIDENCE: evidence_text(view),
        }
        return texts[Col(column)]

    def _tip(self, row: GridRow, column: int) -> str | None:
        view = row.rating
        if column == Col.TREND:
            return (tr(TREND_WORDS[row.trend]) if row.trend
                    else tr("not rated now, or nothing to compare"))
        if column == Col.BASIS and view and view.override_justification:
            return tr("Justification: {text}").format(text=view.override_justification)
        if column == Col.EVIDENCE and view and view.evidence:
            return view.evidence
        if column == Col.TITLE:
            return self._text(row, column).strip()
        return None

    def cell(self, row: GridRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._text(row, column)
        if role == TOOLTIP:
            return self._tip(row, column)
        return self._look(row, column, role)

    def _look(self, row: GridRow, column: int, role: int) -> object:
        if role == LevelRole and column == Col.LEVEL and row.factor is not None:
            return row.level
        if role == Qt.ItemDataRole.AccessibleTextRole and column == Col.TREND:
            return tr(TREND_WORDS[row.trend]) if row.trend else tr("no trend")
        if role == Qt.ItemDataRole.FontRole and row.indicator is None and column <= Col.LEVEL:
            font = QFont()
            font.setBold(True)
            return font
        if row.factor is None and role in HEADING_LOOK:
            return HEADING_LOOK[role]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Col.TREND:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class LevelDelegate(QStyledItemDelegate):
    """Paints a level as a box of its colour with its word, so colour is never alone."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        raw = index.data(LevelRole)  # a StrEnum comes back from Qt as a plain str
        if raw is None:
            super().paint(painter, option, index)
            return
        level = Level(raw)
        text = index.data(DISPLAY)
        blank = QStyleOptionViewItem(option)
        self.initStyleOption(blank, index)
        blank.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, blank, painter, option.widget)
        box: QRect = option.rect.adjusted(3, 3, -3, -3)
        painter.save()
        painter.fillRect(box, LEVEL_COLOURS[level])
        painter.setPen(FRAME)
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        font = QFont(option.font)
        font.setBold(is_rated(level))
        font.setItalic(not is_rated(level) and not is_right_to_left())  # Arabic is not slanted
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), str(text))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 16, hint.height() + 6)


class OneLineDelegate(QStyledItemDelegate):
    """A cell kept to one line, cut short with an ellipsis, in a table whose rows wrap."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), min(hint.height(), option.fontMetrics.height() + 8))


class RatingTable(QTableView):
    """The grid's table: turns the rating keys into requests; the page saves them."""

    level_typed = Signal(int, object)  # row, Level
    confidence_stepped = Signal(int, int)  # row, +1 or -1
    editor_requested = Signal(int)  # row

    WIDTHS = ((Col.BASIS, 130), (Col.EVIDENCE, 130))  # the others take their content's width
    TITLE_LEAST = 220  # the names stay readable; narrower, the table scrolls sideways

    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (Col.CODE, Col.LEVEL, Col.CONFIDENCE, Col.TREND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        fit_headers(self, self.WIDTHS)
        # Rows as tall as their wrapped names; the evidence stays one line (it is read in full
        # beside the grid and in its editor).
        self.setWordWrap(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(28)  # room for a level's coloured box
        header.sectionResized.connect(
            lambda column, _old, _new: self.fit_title() if column != Col.TITLE else None)
        self.setItemDelegateForColumn(Col.EVIDENCE, OneLineDelegate(self))
        self.setItemDelegateForColumn(Col.LEVEL, LevelDelegate(self))
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setAccessibleName(tr("Rating grid"))
        self.setAccessibleDescription(tr(KEYS_HELP))
        self.verticalHeader().hide()
        self.doubleClicked.connect(lambda index: self.editor_requested.emit(index.row()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_title()

    def fit_title(self) -> None:
        """Give the names what the other columns leave, and never less than TITLE_LEAST."""
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in Col if c is not Col.TITLE)
        header.resizeSection(Col.TITLE, max(self.TITLE_LEAST, self.viewport().width() - others))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        if row < 0 or mods not in (Qt.KeyboardModifier.NoModifier,
                                   Qt.KeyboardModifier.ControlModifier):
            super().keyPressEvent(event)
            return
        if mods == Qt.KeyboardModifier.ControlModifier and key in (KEY.Key_Up, KEY.Key_Down):
            self.confidence_stepped.emit(row, 1 if key == KEY.Key_Up else -1)
        elif mods == Qt.KeyboardModifier.NoModifier and key in LEVEL_KEYS:
            self.level_typed.emit(row, LEVEL_KEYS[KEY(key)])
        elif mods == Qt.KeyboardModifier.NoModifier and key in (KEY.Key_Return, KEY.Key_Enter):
            self.editor_requested.emit(row)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


def step_confidence(current: Confidence | None, step: int) -> Confidence | None:
    """One step up or down the confidence scale, stopping at its ends."""
    at = CONFIDENCE_STEPS.index(current) + step
    return CONFIDENCE_STEPS[max(0, min(at, len(CONFIDENCE_STEPS) - 1))]


def rating_input(row: GridRow) -> RatingInput:
    """A line's saved rating as core input, to change one thing of it and save it again."""
    if row.factor is None:
        raise ValueError("a heading has no rating")
    view = row.rating
    base = RatingInput(
        risk_factor_id=row.factor.risk_factor_id,
        indicator_id=row.indicator.indicator_id if row.indicator else None,
    )
    if view is None:
        return base
    return replace(
        base, level=view.level, confidence=view.confidence, evidence=view.evidence,
        source_ids=view.source_ids, group_ids=view.group_ids, area_ids=view.area_ids,
        override_level=view.override_level, override_justification=view.override_justification,
        confidential=view.confidential,
    )


def heading_rows(rows: Sequence[GridRow]) -> list[int]:
    """The lines that are headings (the table spans them across its columns)."""
    return [n for n, row in enumerate(rows) if row.factor is None]
