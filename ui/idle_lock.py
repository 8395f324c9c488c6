"""The idle lock: after some minutes without input the window hides its contents behind a lock
screen that asks for the database's passphrase (or, for a plain database, just a click)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk import crypto
from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr

MINUTE_MS = 60 * 1000
# What counts as someone at the keyboard.
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Watches every input of the application; says `idle` once none came for the interval."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """Lock after this many idle minutes; 0 never locks."""
        self.set_interval(max(minutes, 0) * MINUTE_MS)

    def set_interval(self, ms: int) -> None:
        """The idle time in milliseconds (tests use a short one); 0 never locks."""
        self.timer.stop()
        self.timer.setInterval(ms)
        if ms > 0:
            self.timer.start()

    def pause(self) -> None:
        """Stop counting (while locked)."""
        self.timer.stop()

    def resume(self) -> None:
        """Count again from now."""
        if self.timer.interval() > 0:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # restart: someone is here
        return False


class LockScreen(QWidget):
    """What the window shows while locked."""

    unlocked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.encrypted = False
        self.title = QLabel(f"<h2>{tr('r2pdesk is locked')}</h2>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.passphrase.setMaximumWidth(360)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(tr("&Unlock"))
        self.button.setDefault(True)
        self.button.setMaximumWidth(200)
        self.button.clicked.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.body, self.passphrase, self.error, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def prepare(self, path: Path, encrypted: bool) -> None:
        """Ready the screen for a database: a passphrase field only when it is encrypted."""
        self.path, self.encrypted = path, encrypted
        self.passphrase.clear()
        self.error.clear()
        self.passphrase.setVisible(encrypted)
        if encrypted:
            self.body.setText(tr("The window was locked after a time without use.\n"
                                 "Give the passphrase of {name} to go on.").format(name=path.name))
            self.passphrase.setFocus()
        else:
            self.body.setText(tr("The window was locked after a time without use.\n{name} "
                                 "is not encrypted, so no passphrase is asked: press Enter or "
                                 "Unlock to go on. (Settings can encrypt it.)").format(
                                     name=path.name))
            self.button.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.try_unlock()
            return
        super().keyPressEvent(event)

    def try_unlock(self) -> bool:
        """Check what was typed (for an encrypted database); unlock when it is right."""
        if self.encrypted and self.path is not None:
            try:
                crypto.verify_passphrase(self.path, self.passphrase.text())
            except KnownError:
                self.error.setText(tr("Wrong passphrase. Try again."))
                self.passphrase.selectAll()
                return False
        self.passphrase.clear()
        self.error.clear()
        self.unlocked.emit()
        return True
