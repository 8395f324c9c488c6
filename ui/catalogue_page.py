"""The catalogue browser: the Secretary-General's reports, their targets and recommendations."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import N_, SOURCE_LANGUAGE, format_number, language, tr
from r2pdesk.reference.service import (
    CatalogueItem,
    list_reports,
    list_targets,
    search_catalogue,
    target_label,
)
from r2pdesk.store import Store
from ui import changes as kinds
from ui.catalogue_models import (
    NO_SYMBOL,
    CatalogueFilterProxy,
    CatalogueModel,
    RecColumn,
    ReportColumn,
    ReportsModel,
)
from ui.changes import on_change
from ui.tables import select_row

ALL_REPORTS = N_("All reports")
ALL_TARGETS = N_("All targets")


def _table(model: object, *, stretch: int, widths: dict[int, int] | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in (widths or {}).items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    return view


class CataloguePage(QWidget):
    """Browse and search the 2009-2026 recommendations, report by report and target by target."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.reports = ReportsModel(parent=self)
        self.recommendations = CatalogueModel(parent=self)
        self.proxy = CatalogueFilterProxy(self)
        self.proxy.setSourceModel(self.recommendations)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._build()
        self._fit_timer.timeout.connect(self.rec_view.resizeRowsToContents)
        self.reload()
        self.refresher = on_change(self, {kinds.CATALOGUE}, lambda _changed: self.reload())

    def _build(self) -> None:
        self.year_box = QComboBox()
        self.year_box.setAccessibleName(tr("Report year"))
        self.target_box = QComboBox()
        self.target_box.setAccessibleName(tr("Target"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search the recommendations (all words must appear)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search the catalogue"))
        self.count_label = QLabel()

        for box in (self.year_box, self.target_box):  # narrow windows shorten them
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
        filters = QHBoxLayout()
        for text, widget in ((tr("&Report:"), self.year_box), (tr("&Target:"), self.target_box),
                             (tr("&Search:"), self.search)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 3 if widget is self.search else 0)
        filters.addWidget(self.count_label)

        self.report_view = _table(self.reports, stretch=ReportColumn.TITLE)
        self.report_view.setAccessibleName(tr("Reports"))
        self.rec_view = _table(
            self.proxy,
            stretch=RecColumn.TEXT,
            widths={RecColumn.TARGET: 170, RecColumn.PARAGRAPHS: 150},
        )
        self.rec_view.setAccessibleName(tr("Recommendations"))
        self.rec_view.setSortingEnabled(False)
        # Wrapped rows take their height from the text column's width: follow it.
        self.rec_view.horizontalHeader().sectionResized.connect(self._fit_rows)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName(tr("Recommendation detail"))

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.rec_view)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.report_view)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([440, 1000])

        layout = QVBoxLayout(self)
        self._add_heading(layout)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        self.year_box.currentIndexChanged.connect(self._apply_filter)
        self.target_box.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.report_view.selectionModel().selectionChanged.connect(self._report_chosen)
        self.rec_view.selectionModel().currentRowChanged.connect(self._show_detail)

    def _add_heading(self, layout: QVBoxLayout) -> None:
        # The recommendations are quoted as the Secretary-General wrote them, in English; in
        # another language the page says so plainly.
        heading = QLabel(tr(
            "<b>Secretary-General's recommendations on the responsibility to protect, "
            "2009-2026</b> — texts in their original English"
        ))
        heading.setWordWrap(True)
        self.original_note = QLabel(tr(
            "The recommendations are quoted in their original English, as the "
            "Secretary-General's reports give them; the rest of the page is translated."))
        self.original_note.setWordWrap(True)
        self.original_note.setStyleSheet("color: palette(placeholder-text);")
        self.original_note.setVisible(language() != SOURCE_LANGUAGE)
        layout.addWidget(heading)
        layout.addWidget(self.original_note)

    def reload(self) -> None:
        """Read the catalogue from the database again."""
        with self.store.reader() as session:
            reports = list_reports(session)
            targets = list_targets(session)
            items = search_catalogue(session)
        self.reports.set_rows(reports)
        self.recommendations.set_rows(items)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem(tr(ALL_REPORTS), None)
        for report in reports:
            self.year_box.addItem(tr("{year} ({symbol})").format(
                year=report.year, symbol=report.symbol or tr("no symbol")), report.year)
        self.year_box.blockSignals(False)
        self.target_box.blockSignals(True)
        self.target_box.clear()
        self.target_box.addItem(tr(ALL_TARGETS), None)
        for target in targets:
            self.target_box.addItem(target_label(target), target)
        self.target_box.blockSignals(False)
        self.rec_view.resizeRowsToContents()
        self._apply_filter()

    def _apply_filter(self) -> None:
        self.proxy.set_filter(
            self.year_box.currentData(), self.target_box.currentData(), self.search.text()
        )
        shown, total = self.proxy.rowCount(), self.recommendations.rowCount()
        self.count_label.setText(tr("{shown} of {total}").format(
            shown=format_number(shown), total=format_number(total)))
        self.rec_view.resizeRowsToContents()
        if shown and not self.rec_view.currentIndex().isValid():
            select_row(self.rec_view, 0)
        elif not shown:
            self.detail.setHtml(f"<p>{tr('No recommendation matches these filters.')}</p>")

    def _fit_rows(self, column: int, _old: int, _new: int) -> None:
        if column == RecColumn.TEXT:
            self._fit_timer.start()  # once the layout has settled, not at every step

    def _report_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if not rows:
            return
        year = self.reports.row_at(rows[0].row()).year
        position = self.year_box.findData(year)
        if position >= 0:
            self.year_box.setCurrentIndex(position)

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        item = self.recommendations.row_at(self.proxy.mapToSource(current).row())
        self.detail.setHtml(detail_html(item))

    def select_year(self, year: int | None) -> None:
        """Show one report's recommendations (None: all)."""
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(year)))


def detail_html(item: CatalogueItem) -> str:
    """The detail pane's text, every user-visible field escaped."""
    symbol = html.escape(item.symbol) if item.symbol else f"<i>{html.escape(tr(NO_SYMBOL))}</i>"
    paragraphs = html.escape(item.paragraphs) or f"<i>{html.escape(tr('none given'))}</i>"
    report = tr("{year} report, {symbol}").format(year=item.year, symbol=symbol)
    target = tr("<b>Target:</b> {target} · <b>Paragraphs:</b> {paragraphs}").format(
        target=html.escape(target_label(item.target)), paragraphs=paragraphs)
    # The text is quoted as the report gives it, in English: said so in another language.
    original = ("" if language() == SOURCE_LANGUAGE else
                f" <i>{html.escape(tr('(original English)'))}</i>")
    return (
        f"<p><b>{html.escape(item.id)}</b> · {report}<br>"
        f"<i>{html.escape(item.title)}</i></p>"
        f"<p>{target}</p>"
        f"<p>{html.escape(item.text)}{original}</p>"
    )
