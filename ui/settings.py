"""Every QSettings option of the app, typed, with defaults and versioned upgrades.

Nothing else in the front end touches QSettings; the core receives plain values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

SETTINGS_VERSION = 1
ORGANIZATION = "r2pdesk"
APPLICATION = "r2pdesk"


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: its key, its default, and how to read the stored value back."""

    key: str
    default: T
    kind: type

    def read(self, settings: QSettings) -> T:
        """The stored value, or the default when absent or unreadable."""
        value = settings.value(self.key, self.default, type=self.kind)
        return value if isinstance(value, self.kind) else self.default  # type: ignore[return-value]

    def write(self, settings: QSettings, value: T) -> None:
        """Store a value."""
        settings.setValue(self.key, value)


DATABASE_PATH = Option[str]("database/path", "", str)
FIRST_RUN_DONE = Option[bool]("general/first_run_done", False, bool)
WINDOW_GEOMETRY = Option[QByteArray]("window/geometry", QByteArray(), QByteArray)
LAST_PAGE = Option[str]("window/last_page", "catalogue", str)
VERSION = Option[int]("general/settings_version", 0, int)
# Rotating backups (beside the database, in backups/): how many to keep, how often at most.
BACKUP_KEEP = Option[int]("backup/keep", 7, int)
BACKUP_EVERY_HOURS = Option[int]("backup/every_hours", 24, int)
# Minutes without input before the window locks behind the passphrase; 0 = never.
IDLE_LOCK_MINUTES = Option[int]("security/idle_lock_minutes", 15, int)
# The language of the app and its reports ("" = the system's); takes effect at the next start.
LANGUAGE = Option[str]("general/language", "", str)

# Upgrades from one settings version to the next: index i upgrades version i to i + 1.
UPGRADES: list[Callable[[QSettings], None]] = [
    lambda _settings: None,  # 0 -> 1: the first version, nothing to carry over
]


def open_settings() -> QSettings:
    """The app's settings, upgraded to the current version."""
    settings = QSettings(ORGANIZATION, APPLICATION)
    version = VERSION.read(settings)
    while version < SETTINGS_VERSION:
        UPGRADES[version](settings)
        version += 1
        VERSION.write(settings, version)
    return settings


def database_path(settings: QSettings) -> Path | None:
    """The database chosen at first run, if any."""
    value = DATABASE_PATH.read(settings)
    return Path(value) if value else None
