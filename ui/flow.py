"""A layout that lines its widgets up like words: a row of buttons or filters that wraps onto a
second line when the window is narrow, instead of forcing the window wider (Qt's flow layout
example). Right to left when the widget is."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)


class FlowLayout(QLayout):
    """Places items left to right (right to left in Arabic), wrapping at the width it has."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        if parent is None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        """Qt's way in for `addWidget`."""
        self._items.append(item)

    def addWidget(self, widget: QWidget, _stretch: int = 0) -> None:
        """Add a widget (a stretch means nothing in a flow; kept so box-layout code reads the
        same)."""
        super().addWidget(widget)

    def addSpacing(self, size: int) -> None:
        """A gap between two groups of items (dropped where a line starts)."""
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def addStretch(self, _stretch: int = 0) -> None:
        """Nothing to do: a flow has no stretch (kept so box-layout code reads the same)."""

    def count(self) -> int:
        """How many items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        """The item at `index`, or None."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        """Remove and return the item at `index`."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        """It grows in neither direction by itself."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        """Its height depends on its width: fewer lines when wider."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height needed at `width`."""
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        """Place the items in `rect`."""
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        """All items on one line."""
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in self._items)
        width += self._spacing * max(0, len(self._items) - 1)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """As wide as the widest item: everything else wraps."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size.grownBy(margins)

    def _visible(self) -> list[QLayoutItem]:
        shown = []
        for item in self._items:
            widget = item.widget()
            if widget is None or not widget.isHidden():
                shown.append(item)
        return shown

    def _place(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, line_height = area.x(), area.y(), 0
        placed: list[tuple[QLayoutItem, QPoint, QSize]] = []
        for item in self._visible():
            hint = item.sizeHint()
            if item.spacerItem() is not None and x == area.x():
                continue  # no gap at the start of a line
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y, line_height = area.x(), y + line_height + self._spacing, 0
            placed.append((item, QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        if move:
            mirrored = self.parentWidget() is not None and self._right_to_left()
            for item, point, hint in placed:
                width = min(hint.width(), area.width())
                left = point.x()
                if mirrored:
                    left = area.x() + area.right() - (point.x() + width - 1)
                item.setGeometry(QRect(QPoint(left, point.y()), QSize(width, hint.height())))
        return y + line_height - rect.y() + margins.bottom()

    def _right_to_left(self) -> bool:
        widget = self.parentWidget()
        return widget is not None and widget.layoutDirection() == Qt.LayoutDirection.RightToLeft


def flowing(widget: QWidget) -> QWidget:
    """`widget`, told that its height depends on its width (for a parent box layout)."""
    policy = widget.sizePolicy()
    policy.setHeightForWidth(True)
    policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
    widget.setSizePolicy(policy)
    return widget


def swatched(swatch: QWidget, text: str) -> QWidget:
    """A colour swatch and its word, kept together on one line of a flow (a legend's entry)."""
    entry = QWidget()
    layout = QHBoxLayout(entry)
    layout.setContentsMargins(0, 0, 10, 0)
    layout.addWidget(swatch)
    layout.addWidget(QLabel(text))
    return entry
