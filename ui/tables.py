"""The table models shared by the lists of the app: a read-only model over a list of frozen
rows (sorted by a proxy), and a windowed one over a list too long to hold (sorted in SQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QTableView,
    QWidget,
)

from r2pdesk.i18n import format_date, is_right_to_left, tr
from r2pdesk.paging import Sort
from ui.dashboard_charts import reads_left_to_right

AnyIndex = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
Row = TypeVar("Row")


class _RowsTable(QAbstractTableModel, Generic[Row]):
    """What every read-only table of frozen rows shares: its titles, its cells, in their own
    direction in a right-to-left window."""

    headers: tuple[str, ...] = ()  # marked with N_, translated where shown
    _rows: list[Row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ItemRole:
            return row
        value = self.cell(row, index.column(), role)
        return in_own_direction(value) if role == DISPLAY else value

    def cell(self, row: Row, column: int, role: int) -> object:
        """What a cell shows for a role (ItemRole is answered already); subclasses say more."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return tr(self.headers[section]) if 0 <= section < len(self.headers) else None
        return None


class RowsModel(_RowsTable[Row]):
    """A read-only table over a list of frozen rows; subclasses say what each cell shows."""

    def __init__(self, rows: Sequence[Row] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        """The record shown in a row."""
        return self._rows[row]



SortRole = Qt.ItemDataRole.UserRole + 2
OVERDUE_TINT = QColor("#fde0c5")  # light orange, always paired with an icon and words


def overdue_icon() -> QIcon:
    """The icon that marks an overdue row (with the words "⚠ overdue" beside it)."""
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def select_row(table: QTableView, row: int) -> None:
    """Choose a row, alone, and make it current: `QTableView.selectRow` chooses nothing in
    right-to-left layouts (it looks for a column at the viewport's far edge and finds none), and
    `setCurrentIndex` would add to the rows chosen while a modifier key is held."""
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().setCurrentIndex(
        table.model().index(row, 0), flags.ClearAndSelect | flags.Rows)


def text_width(view: QWidget, texts: Iterable[str], *, bold: bool = False,
               icon: bool = False) -> int:
    """How wide a column of `view` must be to show each of these texts whole: in its font (made
    bold when the cells are), with the cell's margins, and room for an icon before it."""
    font = QFont(view.font())
    font.setBold(bold)
    metrics = QFontMetrics(font)
    style = view.style()
    margins = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    if icon:
        widest += style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, view) + margins
    return widest + margins + 4  # a little air


def sample_days() -> list[str]:
    """A day of each month as the language in use writes it: the widest is as wide as any."""
    return [format_date(date(2026, month, 28)) for month in range(1, 13)]


LRI, PDI = "\u2066", "\u2069"  # Unicode's left-to-right isolate, and its end


def in_own_direction(value: object) -> object:
    """A cell's text as a right-to-left window shows it: a text in a left-to-right script (a
    record typed in English or French, a reference like 2015-MS-08) is isolated in its own
    direction, so that its digits, punctuation and "…" fall where they belong; it still stands
    where the reading starts. Anything else, and every text in a left-to-right window, as is.

    The models do this rather than a delegate: on PySide6 6.12 under Python 3.11 each call of a
    Qt method that returns nothing costs a reference to None, and a delegate's `initStyleOption`
    runs for every cell painted or measured, which soon aborts Python ("deallocating None")."""
    if isinstance(value, str) and is_right_to_left() and reads_left_to_right(value):
        return f"{LRI}{value}{PDI}"
    return value


class SortProxy(QSortFilterProxyModel):
    """Sorts a list by what each column means, as its model answers for `SortRole`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)


# --- lists too long to hold: windows fetched as the view scrolls --------------------------------

Fetch = Callable[[Sort[Any], int, int], Sequence[Row]]  # (order, offset, limit) -> rows
Count = Callable[[], int]
Locate = Callable[[Sort[Any], Any], int | None]  # (order, record id) -> position or None


class WindowedModel(_RowsTable[Row]):
    """A read-only table over a list too long to hold: it reads a window of rows at a time from
    the core (sorted and filtered in SQL) and more as the view scrolls (`fetchMore`).

    Subclasses say what each cell shows (`cell`) and which core key sorts each column
    (`sort_keys`); the page gives the callables that read the core under its filters
    (`set_source`) and calls `refresh` after a write or a change of filter.
    """

    sort_keys: tuple[object, ...] = ()  # per column: the core's sort key
    bold_columns: frozenset[int] = frozenset()  # columns whose text may be bold (`widest`)
    icon_columns: frozenset[int] = frozenset()  # columns whose cells may have an icon
    page_size = 200

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._places: dict[object, int] = {}
        self._more = False
        self._total: int | None = None
        self._resetting = False
        self.kept_window = False  # the last refresh read the rows loaded before it again
        self._fetch: Fetch[Row] | None = None
        self._count: Count | None = None
        self._locate: Locate | None = None
        self.order: Sort[Any] = Sort()

    # --- reading --------------------------------------------------------------------------

    def set_source(self, fetch: Fetch[Row], count: Count, locate: Locate | None = None, *,
                   keep_window: bool = False) -> None:
        """Read from these from now on: the first window at once, or as many rows as were
        loaded (`keep_window`: the same filter, read again after a write)."""
        self._fetch, self._count, self._locate = fetch, count, locate
        self.refresh(keep_window=keep_window)

    def refresh(self, *, keep_window: bool = True) -> None:
        """Read the list again from its start: as many rows as were loaded (after a write, so
        that the view keeps its place), or one window (a new filter or order)."""
        wanted = max(self.page_size, len(self._rows)) if keep_window else self.page_size
        self.kept_window = keep_window  # the views keep their place too
        rows = list(self._fetch(self.order, 0, wanted)) if self._fetch else []
        self._resetting = True
        try:
            self.beginResetModel()
            self._rows = rows
            self._places = {self.row_id(row): n for n, row in enumerate(rows)}
            self._more = len(rows) == wanted
            self._total = None
            self.endResetModel()
        finally:
            self._resetting = False

    def total(self) -> int:
        """How many rows the list has, loaded or not (counted once per refresh)."""
        if self._total is None:
            self._total = self._count() if self._count is not None else len(self._rows)
        return self._total

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        # Not while a reset is announced: a view asks then, before every view has heard of it.
        return (not parent.isValid() and self._more and self._fetch is not None
                and not self._resetting)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load(self.page_size)

    def _load(self, count: int) -> None:
        assert self._fetch is not None
        rows = list(self._fetch(self.order, len(self._rows), count))
        self._more = len(rows) == count
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for n, row in enumerate(rows, first):
            self._places.setdefault(self.row_id(row), n)
        self._rows.extend(rows)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.sort_keys[column] if 0 <= column < len(self.sort_keys) else None
        wanted: Sort[Any] = (
            Sort() if key is None else Sort(key, order == Qt.SortOrder.DescendingOrder))
        if wanted != self.order:
            self.order = wanted
            self.refresh(keep_window=False)

    # --- finding a record -----------------------------------------------------------------

    def row_id(self, row: Row) -> object:
        """What tells a record apart (its id)."""
        return getattr(row, "id")  # noqa: B009 - the rows are the core's dataclasses

    def row_at(self, row: int) -> Row:
        """The record shown in a row (a loaded one)."""
        return self._rows[row]

    def row_of(self, record_id: object) -> int:
        """The row showing a record among those loaded, or -1."""
        return self._places.get(record_id, -1)

    def load_up_to(self, record_id: object) -> int:
        """The row showing a record, loading the list down to it when it lies beyond the loaded
        rows (one query to find its place, one to read the rows before it); -1 when the filter
        leaves it out."""
        found = self.row_of(record_id)
        if found >= 0 or self._locate is None or self._fetch is None:
            return found
        place = self._locate(self.order, record_id)
        if place is None or place < len(self._rows):
            return -1  # left out, or changed since the rows were read
        page = self.page_size
        self._load((place // page + 1) * page - len(self._rows))
        return self.row_of(record_id)

    # --- what the view shows --------------------------------------------------------------


    def widest(self, column: int) -> Sequence[str]:
        """Texts as wide as the widest a column can show, in the language in use (its labels,
        its dates), for the column's width; none where the width depends on the data."""
        return ()


class WindowedTable(QTableView):
    """A table of records over a `WindowedModel`: sorted by the model (in SQL), chosen and read
    back by id, a record beyond the loaded rows loaded when it is chosen."""

    def __init__(self, model: WindowedModel[Any], name: str,
                 widths: Iterable[tuple[int, int]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.windowed = model
        self.setModel(model)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)  # the core's own order until a column is clicked
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)  # one line per record; the full text is in the detail pane
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.setAccessibleName(name)
        for column, width in widths:
            self.setColumnWidth(column, self.fitted_width(column, width))
        self._kept: list[Any] = []
        self._scrolled = (0, 0)  # where the view was before the model was read again
        self._stretched: tuple[int, int] | None = None
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)

    def stretch(self, column: int, minimum: int) -> None:
        """Give `column` the room the other columns leave, but never less than `minimum`: the
        table scrolls sideways rather than squeeze it (as QHeaderView's Stretch mode would
        where the other columns' words are long, in French or Spanish)."""
        self._stretched = (column, minimum)
        header = self.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._other_resized)
        self._fit_stretched()

    def _other_resized(self, column: int, _old: int, _new: int) -> None:
        if self._stretched is not None and column != self._stretched[0]:
            self._fit_stretched()

    def _fit_stretched(self) -> None:
        if self._stretched is None:
            return
        column, minimum = self._stretched
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != column and not header.isSectionHidden(c))
        header.resizeSection(column, max(minimum, self.viewport().width() - others))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit_stretched()
        return super().viewportEvent(event)

    def fitted_width(self, column: int, width: int) -> int:
        """A column's width: as wide as the widest of its words in the language in use where
        the model knows them, else `width`; never narrower than its (translated) title."""
        model = self.windowed
        samples = model.widest(column)
        if samples:
            width = text_width(self, samples, bold=column in model.bold_columns,
                               icon=column in model.icon_columns)
        return max(width, self.horizontalHeader().sectionSizeHint(column))

    def _remember(self) -> None:
        self._kept = self.selected_ids()
        self._scrolled = (self.verticalScrollBar().value(), self.horizontalScrollBar().value())

    def _restore(self) -> None:
        # Only among the rows read again (finding others would cost a query at every keystroke),
        # and without scrolling: that could read more rows while the reset is still announced.
        if self._kept:
            scrolls = self.hasAutoScroll()
            self.setAutoScroll(False)  # a new current row would scroll to it
            self.select_ids(self._kept, load=False, scroll=False)
            self.setAutoScroll(scrolls)
        if not self.windowed.kept_window:
            return  # a new filter or order: from the top
        # Read again after a write (the same rows or more): the view stays where it was.
        self.updateGeometries()
        vertical, horizontal = self._scrolled
        self.verticalScrollBar().setValue(vertical)
        self.horizontalScrollBar().setValue(horizontal)

    def selected_rows(self) -> list[Any]:
        """The records chosen, in the order shown."""
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [self.windowed.row_at(r) for r in rows]

    def selected_ids(self) -> list[Any]:
        """The ids of the records chosen."""
        return [self.windowed.row_id(row) for row in self.selected_rows()]

    def select_ids(self, ids: Sequence[object], *, load: bool = True,
                   scroll: bool = True) -> None:
        """Choose these records (those the filter shows), the first of them current (and
        scrolled to); with `load`, the list is read down to the first when it is not loaded."""
        model = self.windowed
        if load and ids:
            model.load_up_to(ids[0])
        selection = QItemSelection()
        last = model.columnCount() - 1
        for record_id in ids:
            row = model.row_of(record_id)
            if row >= 0:
                selection.select(model.index(row, 0), model.index(row, last))
        chooser = self.selectionModel()
        flags = chooser.SelectionFlag
        chooser.select(selection, flags.ClearAndSelect)
        if not selection.isEmpty():
            first = min(selection.indexes(), key=lambda i: (i.row(), i.column()))
            chooser.setCurrentIndex(first, flags.NoUpdate)
            if scroll:
                self.scrollTo(first)
