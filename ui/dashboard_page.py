"""The Dashboard, the app's opening page: what needs attention today.

Tiles with the numbers that matter, open warnings by severity, the latest assessment as a strip of
risk factors, and the lists of what is late or due soon. Every tile, list row and the strip open
what they show, by a click or with Enter; Tab goes from one to the next.
"""

from __future__ import annotations

import html
import itertools
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from babel.dates import format_date as babel_date
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFocusEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.dashboard import (
    Attention,
    DueRecommendation,
    HeatStrip,
    LateResponse,
    OverdueRecommendation,
    attention,
)
from r2pdesk.earlywarning.timing import TimingSummary
from r2pdesk.i18n import (
    N_,
    SOURCE_LANGUAGE,
    format_date,
    format_number,
    is_right_to_left,
    language,
    tr,
)
from r2pdesk.store import Store
from ui import changes as kinds
from ui.changes import on_change
from ui.dashboard_charts import (
    ENTER_KEYS,
    LEVEL_COLOURS,
    SEVERITY_COLOURS,
    HeatStripView,
    LevelLegend,
    SeverityChart,
    Tile,
    label,
)
from ui.tables import DISPLAY, TOOLTIP, AnyIndex, ItemRole, RowsModel

NONE = "—"
FIT, STRETCH = 0, -1  # column widths: as wide as the contents, or what the others leave
REF_WIDTH, LEAD_WIDTH = 104, 150
CHART_WIDTH, TIMING_WIDTH = 260, 250
TEXT_LINES = 2  # long texts wrap onto a second line in the lists


def days(n: int) -> str:
    """A number of days in words."""
    return tr("1 day") if n == 1 else tr("{count} days").format(count=format_number(n))


def _number(value: float) -> str:
    return format_number(value) if value == int(value) else format_number(value, 1)


def _median(value: float | None) -> str:
    if value is None:
        return tr("— (none yet)")
    if value == 1:
        return tr("1 day (median)")
    return tr("{count} days (median)").format(count=_number(value))


def timing_text(summary: TimingSummary) -> str:
    """The warning-to-action summary as three lines."""
    return "\n".join((
        tr("Acknowledged in: {median}").format(median=_median(summary.median_days_to_ack)),
        tr("First action in: {median}").format(median=_median(summary.median_days_to_action)),
        tr("Never acted upon: {count} of {issued} issued").format(
            count=format_number(summary.never_acted), issued=format_number(summary.issued)),
    ))


def _day(day: date) -> str:
    """A day in short: 21 Nov 2026, 21 nov. 2026."""
    return f"{day.day} {day:%b %Y}" if language() == SOURCE_LANGUAGE else format_date(day)


def long_date(day: date, *, weekday: bool = False) -> str:
    """A day in words: (Saturday) 21 November 2026, (samedi) 21 novembre 2026."""
    if language() == SOURCE_LANGUAGE:
        return f"{day:%A} {day.day} {day:%B %Y}" if weekday else f"{day:%d %B %Y}"
    return str(babel_date(day, format="full" if weekday else "long", locale=language()))


def strip_heading(strip: HeatStrip) -> str:
    """The line above the heat strip, rich text: the assessment, its review, its overall level."""
    colour = LEVEL_COLOURS[strip.overall].name()
    # The line starts with the assessment's title, maybe in English: a right-to-left mark keeps
    # an Arabic line reading from the right all the same.
    mark = "\u200f" if is_right_to_left() else ""
    return mark + tr("{title} · {start} to {end} · {status} · overall risk: {level}").format(
        title=f"<b>{html.escape(strip.title)}</b>",
        start=_day(strip.period_start),
        end=_day(strip.period_end),
        status=label(strip.status).lower(),
        level=(f'<span style="background-color: {colour}; color: black;">&nbsp;<b>'
               f"{label(strip.overall)}</b>&nbsp;</span>"),
    )


class LateResponsesModel(RowsModel[LateResponse]):
    """Warnings whose response is overdue."""

    headers = (N_("Warning"), N_("Severity"), N_("Title"), N_("Late by"))
    widths = (FIT, FIT, STRETCH, FIT)

    def cell(self, row: LateResponse, column: int, role: int) -> object:
        if role == DISPLAY:
            severity = label(row.severity) if row.severity else NONE
            return (row.reference, severity, row.title, days(row.days_late))[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == 1 and row.severity:
            return QBrush(SEVERITY_COLOURS[row.severity])
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and row.severity:
            return QBrush(Qt.GlobalColor.black)
        if role == TOOLTIP:
            return tr("{reference} {title}\nResponse was due on {date}").format(
                reference=row.reference, title=row.title, date=format_date(row.response_due))
        return None


class OverdueModel(RowsModel[OverdueRecommendation]):
    """Recommendations past their due date."""

    headers = (N_("Ref."), N_("Recommendation"), N_("Lead institution"), N_("Late by"))
    widths = (REF_WIDTH, STRETCH, LEAD_WIDTH, FIT)

    def cell(self, row: OverdueRecommendation, column: int, role: int) -> object:
        if role == DISPLAY:
            lead = row.lead or tr("(no lead yet)")
            return (row.ref, row.text, lead, days(row.days_late))[column]
        if role == TOOLTIP:
            return tr("{text}\nDue on {date}").format(text=row.text, date=format_date(row.due))
        return None


class DueSoonModel(RowsModel[DueRecommendation]):
    """Recommendations due within the coming days."""

    headers = (N_("Ref."), N_("Recommendation"), N_("Lead institution"), N_("Due in"))
    widths = (REF_WIDTH, STRETCH, LEAD_WIDTH, FIT)

    def cell(self, row: DueRecommendation, column: int, role: int) -> object:
        if role == DISPLAY:
            left = tr("today", context="due") if row.days_left == 0 else days(row.days_left)
            return (row.ref, row.text, row.lead or tr("(no lead yet)"), left)[column]
        if role == TOOLTIP:
            return tr("{text}\nDue on {date}").format(text=row.text, date=format_date(row.due))
        return None


class LinkTable(QTableView):
    """A list whose rows open what they show on a click or Enter; Tab leaves it."""

    opened = Signal(object)  # the row's record

    def __init__(self, model: QAbstractItemModel, name: str, widths: tuple[int, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(name)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().lineSpacing() * TEXT_LINES + 8)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        header = self.horizontalHeader()
        modes = {FIT: QHeaderView.ResizeMode.ResizeToContents,
                 STRETCH: QHeaderView.ResizeMode.Stretch}
        for column, width in enumerate(widths):
            header.setSectionResizeMode(column, modes.get(width, QHeaderView.ResizeMode.Fixed))
            if width > 0:
                self.setColumnWidth(column, width)
        self.clicked.connect(self._open)

    def _open(self, index: AnyIndex) -> None:
        if index.isValid():
            self.opened.emit(index.data(ItemRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Arriving by Tab, the first row is ready for Enter.
        if not self.currentIndex().isValid() and self.model().rowCount() > 0:
            self.setCurrentIndex(self.model().index(0, 0, QModelIndex()))
        super().focusInEvent(event)


class ListPanel(QWidget):
    """A titled list, or a line saying it is empty."""

    def __init__(self, title: str, empty: str, model: LateResponsesModel | OverdueModel |
                 DueSoonModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.table = LinkTable(model, title, model.widths)
        self.empty = QLabel(empty)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)

    def set_count(self, n: int) -> None:
        """Say how many there are; hide the table when there are none."""
        self.heading.setText(tr("{title} ({count})").format(title=self.title,
                                                              count=format_number(n)))
        self.table.setVisible(n > 0)
        self.empty.setVisible(n == 0)


class Box(QFrame):
    """A framed, titled part of the page."""

    def __init__(self, title: str, *widgets: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.body = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)  # a fixed-width box: longer titles take a second line
        self.body.addWidget(heading)
        for widget in widgets:
            self.body.addWidget(widget)


class DashboardPage(QWidget):
    """What needs attention today, each figure a way into its page."""

    open_warning = Signal(uuid.UUID)
    open_recommendation = Signal(uuid.UUID)
    open_assessment = Signal(uuid.UUID)
    open_list = Signal(str)  # "open-warnings", "overdue-warnings", "overdue-recommendations"...

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.figures: Attention | None = None
        self.late_model = LateResponsesModel((), self)
        self.overdue_model = OverdueModel((), self)
        self.soon_model = DueSoonModel((), self)
        self._build()
        self.refresh()
        self.shown_day = today()
        # Hidden, it reads its figures again when it shows (and only if something changed).
        self.refresher = on_change(self, {
            kinds.WARNING, kinds.RECOMMENDATION, kinds.PROGRESS, kinds.ASSESSMENT,
            kinds.INSTITUTION, kinds.FRAMEWORK}, lambda _changed: self.refresh())

    # --- building -------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        title = QLabel(f"<h2>{tr('What needs attention today')}</h2>")
        self.date_label = QLabel()
        self.date_label.setAccessibleName(tr("Today"))
        self.date_label.setStyleSheet("font-size: 14pt;")
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.date_label)
        return row

    def _tiles(self) -> QGridLayout:
        self.tiles = {
            name: Tile(caption, name) for caption, name in (
                (tr("Open warnings"), "open-warnings"),
                (tr("Responses overdue"), "overdue-warnings"),
                (tr("Recommendations overdue"), "overdue-recommendations"),
                (tr("Due within 30 days"), "due-soon-recommendations"),
            )
        }
        # The four cards on a line, the two charts on the next: each keeps its words whole
        # on a narrow screen.
        row = QGridLayout()
        for index, tile in enumerate(self.tiles.values()):
            tile.clicked.connect(lambda _checked=False, t=tile: self.open_list.emit(t.list_name))
            row.addWidget(tile, 0, index)
        self.chart = SeverityChart()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        severity = Box(tr("Open warnings by severity"), self.chart, self.status_label)
        severity.setMinimumWidth(CHART_WIDTH)
        self.timing_label = QLabel()
        self.timing_label.setWordWrap(True)
        self.timing_label.setAccessibleName(tr("From warning to action"))
        timing = Box(tr("From warning to action"), self.timing_label)
        timing.setMinimumWidth(TIMING_WIDTH)
        for column, box in enumerate((severity, timing)):
            box.body.addStretch(1)
            row.addWidget(box, 1, column * 2, 1, 2)
        return row

    def _assessment(self) -> QFrame:
        self.strip_heading = QLabel()
        self.strip_heading.setWordWrap(True)
        self.strip_heading.setTextFormat(Qt.TextFormat.RichText)
        self.open_assessment_button = QPushButton(tr("Open the assessment"))
        self.open_assessment_button.clicked.connect(self._open_assessment)
        self.strip = HeatStripView()
        self.strip.activated.connect(self._open_assessment)
        self.legend = LevelLegend()
        heading = QHBoxLayout()
        heading.addWidget(self.strip_heading, 1)
        heading.addWidget(self.open_assessment_button)
        frame = Box(tr("Risk factors in the latest assessment"))
        frame.body.addLayout(heading)
        frame.body.addWidget(self.strip)
        frame.body.addWidget(self.legend)
        return frame

    def _lists(self) -> QHBoxLayout:
        self.late_panel = ListPanel(tr("Responses overdue"), tr(
            "No warning is waiting past its response day."), self.late_model)
        self.soon_panel = ListPanel(tr("Recommendations due within 30 days"), tr(
            "None due in the next 30 days."), self.soon_model)
        self.overdue_panel = ListPanel(tr("Recommendations overdue"), tr(
            "No recommendation is overdue."), self.overdue_model)
        self.late_panel.table.opened.connect(lambda row: self.open_warning.emit(row.id))
        for panel in (self.soon_panel, self.overdue_panel):
            panel.table.opened.connect(lambda row: self.open_recommendation.emit(row.id))
        self.left_column = QVBoxLayout()
        self.left_column.addWidget(self.late_panel, 1)
        self.left_column.addWidget(self.soon_panel, 1)
        self.left_column.addStretch(0)
        self.left_column.setSpacing(12)
        row = QHBoxLayout()
        row.addLayout(self.left_column, 1)
        row.addWidget(self.overdue_panel, 1)
        return row

    def _build(self) -> None:
        # The page scrolls rather than make the window taller than a small screen.
        body = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addLayout(self._header())
        layout.addLayout(self._tiles())
        layout.addWidget(self._assessment())
        layout.addLayout(self._lists(), 1)
        # Tab order: the tiles, the strip, then the lists from left to right.
        order: list[QWidget] = [*self.tiles.values(), self.open_assessment_button, self.strip,
                                self.late_panel.table, self.soon_panel.table,
                                self.overdue_panel.table]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every figure again."""
        today = self.today()
        with self.store.reader() as session:
            figures = attention(session, today=today)
        self.figures = figures
        self.date_label.setText(long_date(today, weekday=True))
        self._show_tiles(figures)
        self._show_strip(figures.heat_strip)
        self.chart.set_counts(figures.open_warnings.by_severity)
        unrated = figures.open_warnings.unrated
        self.status_label.setText(tr("and {count} with no severity set yet").format(
            count=format_number(unrated)))
        self.status_label.setVisible(unrated > 0)
        self.timing_label.setText(timing_text(figures.timing))
        self.late_model.set_rows(figures.late_responses)
        self.overdue_model.set_rows(figures.overdue_recommendations)
        self.soon_model.set_rows(figures.due_soon)
        for panel in (self.late_panel, self.overdue_panel, self.soon_panel):
            panel.set_count(panel.table.model().rowCount())
        # The two lists on the left share their height by how long they are; empty ones shrink.
        late, soon = len(figures.late_responses), len(figures.due_soon)
        self.left_column.setStretch(0, late and 2 + late)
        self.left_column.setStretch(1, soon and 2 + soon)
        self.left_column.setStretch(2, int(not late and not soon))

    def _show_tiles(self, figures: Attention) -> None:
        warnings = figures.open_warnings
        by_status = " · ".join(
            tr("{count} {status}").format(count=format_number(n), status=label(s).lower())
            for s, n in warnings.by_status if n) or tr("none open")
        late = figures.late_responses
        horizon = figures.today + timedelta(figures.due_soon_days)
        self.tiles["open-warnings"].set_value(warnings.total, by_status)
        self.tiles["overdue-warnings"].set_value(
            len(late), tr("past the response day, no action yet"), alarm=True)
        self.tiles["overdue-recommendations"].set_value(
            len(figures.overdue_recommendations), tr("past their due date"), alarm=True)
        self.tiles["due-soon-recommendations"].set_value(
            len(figures.due_soon),
            tr("recommendations due by {date}").format(date=long_date(horizon)))

    def _show_strip(self, strip: HeatStrip | None) -> None:
        self.strip.set_cells(strip.cells if strip else ())
        for widget in (self.strip, self.legend, self.open_assessment_button):
            widget.setVisible(strip is not None)
        self.strip_heading.setText(
            strip_heading(strip) if strip else
            tr("No assessment has been validated or submitted for review yet: the risk factors "
               "show here once one has."))

    def showEvent(self, event: QShowEvent) -> None:
        # Writes elsewhere come through the refresher; a new day changes every figure.
        if self.today() != self.shown_day:
            self.shown_day = self.today()
            self.refresh()
        super().showEvent(event)

    # --- acting -----------------------------------------------------------------------------

    def _open_assessment(self) -> None:
        if self.figures is not None and self.figures.heat_strip is not None:
            self.open_assessment.emit(self.figures.heat_strip.id)
