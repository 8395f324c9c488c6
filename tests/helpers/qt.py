"""Qt helpers shared by the UI tests: a page shown and active, the dialog it opened."""

from __future__ import annotations

from typing import Protocol, TypeVar

from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

W = TypeVar("W", bound=QWidget)
D = TypeVar("D", bound=QDialog)


class OpensDialogs(Protocol):
    """A page that keeps the dialog it opened last."""

    dialog: QDialog | None


def shown(qtbot: QtBot, widget: W, width: int = 1400, height: int = 850) -> W:
    """Show a widget as the active window, so its keyboard shortcuts work."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def opened(qtbot: QtBot, page: OpensDialogs, kind: type[D]) -> D:
    """The dialog of this kind the page has opened, once it is visible."""
    qtbot.waitUntil(lambda: isinstance(page.dialog, kind) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, kind)
    return dialog
