"""What changed in the database, announced once to every view that shows it.

Every write the UI makes ends with one announcement on the app-wide hub `changes`: the kinds of
record it touched and their ids (a `Changed`). Pages, the dashboard, the status bar and the audit
view listen and read again what they show. A `Refresher` does the listening for a widget: it
coalesces the announcements of one event-loop turn into one refresh and, while the widget is
hidden, only remembers that it is stale and refreshes when the widget shows again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

# The kinds of record, named after the features; one place, so that a writer and a listener
# cannot spell one differently.
INSTITUTION = "institution"
FOCAL_POINT = "focal_point"
WARNING = "warning"
RECOMMENDATION = "recommendation"
PROGRESS = "progress"
ASSESSMENT = "assessment"
AREA = "area"
GROUP = "group"
SOURCE = "source"
MEMBER = "member"
COMMITTEE = "committee"
FRAMEWORK = "framework"
CATALOGUE = "catalogue"
SETTING = "setting"
AUDIT = "audit"
KINDS = frozenset({INSTITUTION, FOCAL_POINT, WARNING, RECOMMENDATION, PROGRESS, ASSESSMENT,
                   AREA, GROUP, SOURCE, MEMBER, COMMITTEE, FRAMEWORK, CATALOGUE, SETTING,
                   AUDIT})


@dataclass(frozen=True)
class Changed:
    """One write's footprint: the kinds of record it touched and the ids it knows of.

    Empty `ids` means "some of these kinds, which ones unknown" (an import, an undo of many):
    a listener then reads all it shows of them again.
    """

    kinds: frozenset[str]
    ids: frozenset[uuid.UUID] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.kinds - KINDS
        if unknown:
            raise ValueError(f"unknown record kinds: {sorted(unknown)}")

    @classmethod
    def of(cls, *kinds: str, ids: Iterable[uuid.UUID | None] = ()) -> Changed:
        """`Changed.of(INSTITUTION, ids=[institution_id])`; ids that are None are left out."""
        return cls(frozenset(kinds), frozenset(i for i in ids if i is not None))

    def touches(self, kinds: Iterable[str]) -> bool:
        """Whether any of these kinds changed."""
        return not self.kinds.isdisjoint(kinds)

    def __or__(self, other: Changed) -> Changed:
        return Changed(self.kinds | other.kinds, self.ids | other.ids)


class ChangeHub(QObject):
    """The one place writes announce what they changed; used on the UI thread only."""

    changed = Signal(object)  # a Changed

    def announce(self, change: Changed) -> None:
        """Tell every listener; every write, undo and redo ends with this, once it is saved."""
        # Every write touches the audit trail too: its view listens to "audit".
        self.changed.emit(change | Changed(frozenset({AUDIT})))


changes = ChangeHub()


class Refresher(QObject):
    """Refreshes a widget when a kind it shows changes: once per event-loop turn however many
    announcements came, and while the widget is hidden only when it shows again."""

    def __init__(self, widget: QWidget, kinds: Iterable[str],
                 refresh: Callable[[Changed], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.kinds = frozenset(kinds)
        self.refresh = refresh
        self.due: Changed | None = None  # what changed since the last refresh
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.run)
        widget.installEventFilter(self)
        changes.changed.connect(self.heard)

    @property
    def stale(self) -> bool:
        """Something it shows changed and it has not refreshed yet."""
        return self.due is not None

    def heard(self, change: Changed) -> None:
        """An announcement: note it and refresh at the end of this event-loop turn."""
        if not change.touches(self.kinds):
            return
        self.due = change if self.due is None else self.due | change
        if self.widget.isVisible():
            self.timer.start()

    def flush(self) -> None:
        """Refresh now what is due, shown or not: the widget's own write, before it selects
        the record it just saved."""
        self.timer.stop()
        if self.due is not None:
            due, self.due = self.due, None
            self.refresh(due)

    def run(self) -> None:
        """Refresh now if the widget shows; a hidden one waits for its Show event."""
        if self.due is None or not self.widget.isVisible():
            return
        due, self.due = self.due, None
        self.refresh(due)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.due is not None:
            self.timer.start()
        return False


def on_change(widget: QWidget, kinds: Iterable[str],
              refresh: Callable[[Changed], None]) -> Refresher:
    """Keep `widget` true to the database: `refresh(changed)` runs when a kind it shows
    changed (coalesced, deferred while hidden). The refresher lives as long as the widget."""
    return Refresher(widget, kinds, refresh)
