"""A preview of PDF bytes, and printing them.

QtPdf ships in PySide6-Addons. With it the preview shows the pages (QPdfView:
previous and next page, a page number to go to, zoom to the width or the whole page) and can
print them; without it the preview says what it needs and how many pages the PDF has, and
`can_print` is False.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import N_, format_number, format_percent, tr
from ui.combos import ValueCombo

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # PySide6-Addons is not installed
    QTPDF = False
else:
    QTPDF = True

# In English; shown as tr(NEEDS_QTPDF).
NEEDS_QTPDF = N_("The preview and printing need QtPdf, which is not installed "
                 "(pip install PySide6-Addons). The report can still be saved as a PDF file "
                 "and opened or printed with another program.")
PRINT_DPI = 300  # pages are rendered at most this fine for the printer
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def count_pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects), without QtPdf."""
    return len(_PAGE.findall(pdf))


class PdfPreview(QWidget):
    """Shows the pages of a PDF given as bytes."""

    def __init__(self, parent: QWidget | None = None, *, use_qtpdf: bool | None = None) -> None:
        super().__init__(parent)
        self.uses_qtpdf = QTPDF if use_qtpdf is None else (use_qtpdf and QTPDF)
        self.pdf = b""
        self.empty = QLabel(tr("Choose a report and its options, then Generate (Ctrl+G): "
                               "the report shows here."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(tr("Preview"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.uses_qtpdf:
            self._build_viewer(layout)
        else:
            self.stack.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

    # --- building ---------------------------------------------------------------------------

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def _build_viewer(self, layout: QVBoxLayout) -> None:
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView()
        self.view.setAccessibleName(tr("Preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a8f98; }")
        # The arrows point the way the pages go: backwards is to the right in Arabic.
        back, forward = ("▶", "◀") if self.isRightToLeft() else ("◀", "▶")
        self.previous = self._button(back, tr("Previous page"))
        self.next = self._button(forward, tr("Next page"))
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(tr("Page"))
        self.page_box.setPrefix(tr("Page ", context="prefix"))
        self.page_box.setMinimum(1)
        self.of_label = QLabel()
        self.zoom: ValueCombo[QPdfView.ZoomMode | float] = ValueCombo([
            (tr("Fit width"), QPdfView.ZoomMode.FitToWidth),
            (tr("Whole page"), QPdfView.ZoomMode.FitInView),
            *((format_percent(factor), factor) for factor in (0.5, 0.75, 1.0, 1.5)),
        ])
        self.zoom.setAccessibleName(tr("Zoom"))
        self.previous.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box.editingFinished.connect(lambda: self.go_to(self.page_box.value() - 1))
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous, self.page_box, self.of_label, self.next):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(QLabel(tr("Zoom:")))
        bar.addWidget(self.zoom)
        self.bar = QWidget()
        self.bar.setLayout(bar)
        self.bar.hide()
        layout.addWidget(self.bar)
        self.stack.addWidget(self.view)

    # --- showing ----------------------------------------------------------------------------

    def set_pdf(self, pdf: bytes) -> None:
        """Show these PDF bytes (empty bytes: nothing)."""
        self.pdf = pdf
        if not pdf:
            self.stack.setCurrentWidget(self.empty)
            if self.uses_qtpdf:
                self.bar.hide()
            return
        if not self.uses_qtpdf:
            pages = count_pages(pdf)
            ready = (tr("The report is ready: 1 page.") if pages == 1 else
                     tr("The report is ready: {count} pages.").format(
                         count=format_number(pages)))
            self.notice.setText(f"{ready}\n\n{tr(NEEDS_QTPDF)}")
            self.stack.setCurrentWidget(self.notice)
            return
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.page_box.setMaximum(max(1, self.document.pageCount()))
        self.of_label.setText(tr("of {count}").format(
            count=format_number(self.document.pageCount())))
        self.bar.show()
        self.stack.setCurrentWidget(self.view)
        self.go_to(0)

    def page_count(self) -> int:
        """The pages of the PDF shown (0 when none)."""
        if not self.pdf:
            return 0
        return self.document.pageCount() if self.uses_qtpdf else count_pages(self.pdf)

    def current_page(self) -> int:
        """The page in view, from 0."""
        return self.view.pageNavigator().currentPage() if self.uses_qtpdf else 0

    def go_to(self, page: int) -> None:
        """Scroll to a page (from 0), kept within the document."""
        if not self.uses_qtpdf or not self.pdf:
            return
        page = max(0, min(page, self.document.pageCount() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._page_changed(page)

    def _page_changed(self, page: int) -> None:
        self.page_box.setValue(page + 1)
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page < self.document.pageCount() - 1)

    def _zoom_changed(self) -> None:
        zoom = self.zoom.value()
        if isinstance(zoom, QPdfView.ZoomMode):
            self.view.setZoomMode(zoom)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(zoom)

    # --- printing ---------------------------------------------------------------------------

    @property
    def can_print(self) -> bool:
        """Whether `print_to` can print (it needs QtPdf to draw the pages)."""
        return self.uses_qtpdf and bool(self.pdf)

    def print_to(self, printer: QPrinter) -> int:
        """Print the pages (the printer's page range, else all) as images; the pages printed."""
        if not self.can_print:
            return 0
        last = self.document.pageCount()
        first, to = printer.fromPage(), printer.toPage()
        pages = range(first - 1, min(to, last)) if first > 0 and to > 0 else range(last)
        dpi = min(printer.resolution(), PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for number, page in enumerate(pages):
                if number:
                    printer.newPage()
                self._print_page(painter, page, dpi)
        finally:
            painter.end()
        return len(pages)

    def _print_page(self, painter: QPainter, page: int, dpi: int) -> None:
        points = self.document.pagePointSize(page)
        area = painter.viewport()
        scale = min(area.width() / points.width(), area.height() / points.height())
        width, height = round(points.width() * scale), round(points.height() * scale)
        target = QRect(area.x() + (area.width() - width) // 2,
                       area.y() + (area.height() - height) // 2, width, height)
        image = self.document.render(page, QSize(round(points.width() * dpi / 72),
                                                 round(points.height() * dpi / 72)))
        painter.drawImage(target, image)
