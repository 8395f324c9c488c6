"""How far the recommendations are implemented: a headline, and a table with a bar per group
(by SG report, by target, by source), each bar split by status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.recommendations.models import RecSource, RecStatus
from r2pdesk.recommendations.service import source_label, status_label
from r2pdesk.recommendations.summary import (
    ImplementationSummary,
    StatusLine,
    implementation_summary,
)
from r2pdesk.reference.service import target_label
from r2pdesk.store import Store
from ui import changes as kinds
from ui.changes import on_change
from ui.flow import FlowLayout, swatched
from ui.operations import Read, run_read
from ui.tables import DISPLAY, TOOLTIP, AnyIndex, ItemRole, RowsModel

# Okabe-Ito colours, told apart by the commonest colour blindnesses; every one takes black text.
# Best first, so that the left end of every bar shows what is done.
STATUS_COLOURS = {
    RecStatus.IMPLEMENTED: QColor("#009E73"),
    RecStatus.PARTIALLY_IMPLEMENTED: QColor("#56B4E9"),
    RecStatus.IN_PROGRESS: QColor("#F0E442"),
    RecStatus.NOT_STARTED: QColor("#CC79A7"),
    RecStatus.NOT_IMPLEMENTED: QColor("#D55E00"),
    RecStatus.NOT_APPLICABLE: QColor("#BBBBBB"),
}
STATUS_ORDER = tuple(STATUS_COLOURS)
GROUPINGS = (("report", N_("By report")), ("target", N_("By target")),
             ("source", N_("By source")))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NONE = "—"
CHART_WIDTH = 160
SCOPES = (  # by report or target; by source
    N_("Only recommendations adopted from the SG catalogue have a report and a target."),
    N_("Every followed recommendation, by where it comes from."),
)
HOW = N_("Percentages are of those followed; double-click a row or press Enter to list them.")
ZERO_TEXT = QColor("#8C8C8C")  # zero counts recede, so that the others stand out


class Column(IntEnum):
    """Columns of the implementation table; the statuses follow FOLLOWED, in STATUS_ORDER."""

    GROUP = 0
    IN_CATALOGUE = 1
    FOLLOWED = 2
    IMPLEMENTED_PCT = 3 + len(STATUS_ORDER)
    UNDER_WAY_PCT = 4 + len(STATUS_ORDER)
    CHART = 5 + len(STATUS_ORDER)


HEADER_TIPS: dict[int, str] = {  # in English, shown as tr(HEADER_TIPS[column])
    Column.IN_CATALOGUE: N_("How many recommendations the SG catalogue holds for the group"),
    Column.FOLLOWED: N_("How many of them the committee follows"),
    Column.IMPLEMENTED_PCT: N_("Implemented, as a share of those followed"),
    Column.UNDER_WAY_PCT: N_("Implemented or partially implemented, as a share of those "
                             "followed"),
}


def status_heading(status: RecStatus) -> str:
    """A status as a column heading, on two lines."""
    return status_label(status).replace(" ", "\n", 1)


def percent_text(value: float | None) -> str:
    """A share as the tables show it; none as a dash."""
    return NONE if value is None else tr("{percent} %").format(percent=format_number(value, 1))


def status_text(line: StatusLine) -> str:
    """A group's counts by status as one line of words (the bar's text equivalent)."""
    parts = [tr("{count} {status}").format(count=format_number(line.statuses.get(s, 0)),
                                           status=status_label(s).lower())
             for s in STATUS_ORDER if line.statuses.get(s, 0)]
    return tr(", ").join(parts) or tr("none followed")


def total_line(lines: Sequence[StatusLine]) -> StatusLine:
    """The sum of some groups (its catalogue count none when theirs are)."""
    statuses: Counter[RecStatus] = Counter()
    for line in lines:
        statuses.update(line.statuses)
    counts = [line.in_catalogue for line in lines if line.in_catalogue is not None]
    return StatusLine("Total", sum(counts) if counts else None, dict(statuses))


def headline_text(summary: ImplementationSummary) -> str:
    """The answer to "how far have we implemented them?" in one line."""
    overall = summary.overall
    partially = overall.statuses.get(RecStatus.PARTIALLY_IMPLEMENTED, 0)
    adopted = sum(line.adopted for line in summary.by_report)
    return tr(
        "{implemented} of {followed} followed recommendations implemented ({percent}) · "
        "{partially} partially · {overdue} overdue · {adopted} of {catalogue} catalogue "
        "recommendations adopted"
    ).format(
        implemented=format_number(overall.implemented), followed=format_number(overall.adopted),
        percent=percent_text(overall.implemented_percent), partially=format_number(partially),
        overdue=format_number(summary.overdue), adopted=format_number(adopted),
        catalogue=format_number(summary.catalogue_total),
    )


class ImplementationModel(RowsModel[StatusLine]):
    """Groups of followed recommendations with their counts by status, and a total row last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        # Translated when the model is made (the language is chosen before any page is).
        self.headers = (
            tr("Group"), tr("In\ncatalogue"), tr("Followed"),
            *(status_heading(s) for s in STATUS_ORDER),
            tr("Implemented\n%"), tr("Implemented or\npartially %"),
            tr("Status of those followed"),
        )
        self.kind = "report"
        self.total: StatusLine | None = None

    def set_lines(self, kind: str, lines: Sequence[StatusLine]) -> None:
        """Show the groups of one kind ("report", "target" or "source"), then their total."""
        self.kind = kind
        self.total = total_line(lines)
        self.set_rows([*lines, self.total])

    def is_total(self, row: int) -> bool:
        """Whether a row is the total row."""
        return self.row_at(row) is self.total

    def group_value(self, row: int) -> object:
        """What a row stands for: a report year, a target, a RecSource; None for the total."""
        if self.is_total(row):
            return None
        label = self.row_at(row).label
        if self.kind == "report":
            return int(label.split()[0])
        return RecSource(label) if self.kind == "source" else label

    def group_label(self, line: StatusLine) -> str:
        """A group's name as people read it."""
        if line is self.total:
            return tr("Total")
        if self.kind == "source":
            return source_label(RecSource(line.label))
        return target_label(line.label) if self.kind == "target" else line.label

    def _text(self, line: StatusLine, column: int) -> str | None:
        if column == Column.CHART:
            return None
        return (
            self.group_label(line),
            NONE if line.in_catalogue is None else format_number(line.in_catalogue),
            format_number(line.adopted),
            *(format_number(line.statuses.get(status, 0)) for status in STATUS_ORDER),
            percent_text(line.implemented_percent),
            percent_text(line.under_way_percent),
        )[column]

    def cell(self, row: StatusLine, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._text(row, column)
        if role in (TOOLTIP, Qt.ItemDataRole.AccessibleTextRole) and column == Column.CHART:
            return status_text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and Column.GROUP < column < Column.CHART:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and self._text(row, column) in ("0", NONE):
            return ZERO_TEXT
        if role == Qt.ItemDataRole.FontRole and row is self.total:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == TOOLTIP:
            tip = HEADER_TIPS.get(section)
            return tr(tip) if tip else self.headers[section].replace("\n", " ")
        return super().headerData(section, orientation, role)


class StatusBarDelegate(QStyledItemDelegate):
    """Draws a group's statuses as one horizontal bar, each part with its count when it fits."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)  # background, selection and focus
        line = index.data(ItemRole)
        if not isinstance(line, StatusLine):
            return
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
        painter.save()
        if line.adopted == 0:
            painter.setPen(option.palette.placeholderText().color())
            leading = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(rect, int(leading), tr("none followed"))
        else:
            self._draw_bar(painter, rect, line)
        painter.restore()

    def _draw_bar(self, painter: QPainter, rect: QRect, line: StatusLine) -> None:
        # The best status where the reading starts: on the left, or on the right in Arabic.
        rtl = painter.layoutDirection() == Qt.LayoutDirection.RightToLeft
        left, done = rect.left(), 0
        for status in STATUS_ORDER:
            count = line.statuses.get(status, 0)
            if not count:
                continue
            done += count
            right = rect.left() + round(rect.width() * done / line.adopted)
            part = QRect(left, rect.top(), right - left, rect.height())
            if rtl:
                part.moveLeft(rect.left() + rect.right() - part.right())
            painter.fillRect(part, STATUS_COLOURS[status])
            if painter.fontMetrics().horizontalAdvance(str(count)) + 4 <= part.width():
                painter.setPen(Qt.GlobalColor.black)
                painter.drawText(part, int(Qt.AlignmentFlag.AlignCenter), str(count))
            left = right

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # Room for a bar of some height even where every other cell holds a single line.
        return QSize(CHART_WIDTH, option.fontMetrics.height() + 14)


class StatusLegend(QWidget):
    """What each colour of the bars means, in words beside a swatch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)  # wraps on a narrow window instead of widening it
        layout.setContentsMargins(0, 0, 0, 0)
        for status in STATUS_ORDER:
            pixmap = QPixmap(14, 14)
            pixmap.fill(STATUS_COLOURS[status])
            swatch = QLabel()
            swatch.setPixmap(pixmap)
            layout.addWidget(swatched(swatch, status_label(status)))


class ImplementationView(QWidget):
    """How far the followed recommendations are implemented, by report, target or source.

    The figures take a pass over every recommendation and its history: they are read off the UI
    thread and kept until a recommendation, a progress update or the catalogue changes (read
    again then, or when the view next shows)."""

    group_activated = Signal(str, object)
    summary_shown = Signal()  # figures read and shown

    def __init__(
        self, store: Store, today_provider: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.today_provider = today_provider
        self.summary: ImplementationSummary | None = None
        self.reading: Read | None = None
        self.model = ImplementationModel(self)
        self._build()
        self.refresh()
        self.refresher = on_change(self, {kinds.RECOMMENDATION, kinds.PROGRESS,
                                          kinds.CATALOGUE}, lambda _changed: self.refresh())

    def _build(self) -> None:
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setStyleSheet("font-weight: bold;")
        self.grouping = QComboBox()
        self.grouping.setAccessibleName(tr("Group by"))
        for kind, text in GROUPINGS:
            self.grouping.addItem(tr(text), kind)
        label = QLabel(tr("&Show:"))
        label.setBuddy(self.grouping)
        self.note = QLabel()
        self.note.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(label)
        controls.addWidget(self.grouping)
        controls.addWidget(self.note, 1)
        self.table = self._table()
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(controls)
        layout.addWidget(StatusLegend())
        layout.addWidget(self.table, 1)
        self.grouping.currentIndexChanged.connect(self._show_grouping)
        self.table.activated.connect(self._activated)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(tr("Implementation by group"))
        table.setItemDelegateForColumn(Column.CHART, StatusBarDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Names and bars share what the counts leave; long names wrap rather than squeeze bars.
        header.setSectionResizeMode(Column.GROUP, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.CHART, QHeaderView.ResizeMode.Stretch)
        # Few rows: each can take the height its wrapped name needs, as the width changes.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def refresh(self) -> None:
        """Read the figures again, off the UI thread; what is shown stays until they come."""
        if self.reading is not None:
            self.reading.discard()  # superseded: what it read may be older than the change
        today = self.today_provider()
        if self.summary is None:
            self.headline.setText(tr("Reading the figures…"))
        self.reading = run_read(
            self.store, lambda session: implementation_summary(session, today=today),
            self._show)

    def _show(self, summary: ImplementationSummary) -> None:
        self.reading = None
        self.summary = summary
        self.headline.setText(headline_text(summary))
        self._show_grouping()
        self.summary_shown.emit()

    def kind(self) -> str:
        """The grouping shown: "report", "target" or "source"."""
        return str(self.grouping.currentData())

    def set_kind(self, kind: str) -> None:
        """Show another grouping."""
        self.grouping.setCurrentIndex(self.grouping.findData(kind))

    def _show_grouping(self) -> None:
        if self.summary is None:
            return
        kind = self.kind()
        lines = {"report": self.summary.by_report, "target": self.summary.by_target,
                 "source": self.summary.by_source}[kind]
        self.model.set_lines(kind, lines)
        # Sources are not a part of the catalogue: the column would say nothing.
        self.table.setColumnHidden(Column.IN_CATALOGUE, kind == "source")
        self.note.setText(f"{tr(SCOPES[kind == 'source'])} {tr(HOW)}")

    def _activated(self, index: AnyIndex) -> None:
        value = self.model.group_value(index.row())
        if value is not None:
            self.group_activated.emit(self.model.kind, value)
