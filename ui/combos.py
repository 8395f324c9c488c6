"""A combo box of Python values, compared by equality.

Qt stores item data as QVariant: a UUID made elsewhere is never found by `findData`, and a
StrEnum comes back as a plain str. This combo keeps the values on the Python side instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar, cast

from PySide6.QtWidgets import QComboBox, QWidget

V = TypeVar("V")


class ValueCombo(QComboBox, Generic[V]):
    """A combo box whose items stand for Python values."""

    def __init__(self, items: Iterable[tuple[str, V]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[V] = []
        for label, value in items:
            self.add(label, value)

    def add(self, label: str, value: V) -> None:
        """Add an item showing `label` for `value`."""
        self._values.append(value)
        self.addItem(label)

    def value(self) -> V:
        """The value of the current item."""
        return self._values[self.currentIndex()]

    def set_value(self, value: V) -> bool:
        """Make the item of this value current; False if there is none."""
        try:
            self.setCurrentIndex(self._values.index(value))
        except ValueError:
            return False
        return True

    def set_items(self, items: Iterable[tuple[str, V]], keep: int = 0) -> None:
        """Show these items instead (names read again), the current value kept if it is still
        there; the first `keep` items (an "any" choice) stay as they are. No signal is sent
        when the current value stays."""
        had = self.count() > 0
        current = self.value() if had else None
        self.blockSignals(True)
        try:
            while self.count() > keep:
                self.removeItem(self.count() - 1)
            del self._values[keep:]
            for label, value in items:
                self.add(label, value)
            found = had and self.set_value(cast("V", current))  # a value may be None ("any")
        finally:
            self.blockSignals(False)
        if not found and self.count():
            self.setCurrentIndex(0)
