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

SETTINGS_VERSION = 2
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


# Never a key in the group "general": QSettings writes that group as [%General] and reads it
# back as "General", so such a key is never found again (settings version 1 had three).
DATABASE_PATH = Option[str]("database/path", "", str)
FIRST_RUN_DONE = Option[bool]("app/first_run_done", False, bool)
WINDOW_GEOMETRY = Option[QByteArray]("window/geometry", QByteArray(), QByteArray)
LAST_PAGE = Option[str]("window/last_page", "dashboard", str)
# The folder of the last file chosen in a file dialog, where the next one opens.
LAST_FOLDER = Option[str]("files/last_folder", "", str)
VERSION = Option[int]("app/settings_version", 0, int)
# Rotating backups (beside the database, in backups/): how many to keep, how often at most.
BACKUP_KEEP = Option[int]("backup/keep", 7, int)
BACKUP_EVERY_HOURS = Option[int]("backup/every_hours", 24, int)
# Minutes without input before the window locks behind the passphrase; 0 = never.
IDLE_LOCK_MINUTES = Option[int]("security/idle_lock_minutes", 15, int)
# The language of the app and its reports ("" = the system's); takes effect at the next start.
LANGUAGE = Option[str]("app/language", "", str)
# The member who signs on this laptop (their id), chosen at the first start ("Who are you?").
MEMBER_ID = Option[str]("member/id", "", str)


def _out_of_general(settings: QSettings) -> None:
    """1 -> 2: the keys of the group "general" move to "app", their values kept.

    A version 1 file holds them under [%General], which QSettings reads as "General/..."; a
    settings object still open in the process that wrote them also knows "general/...".
    """
    for option in (FIRST_RUN_DONE, LANGUAGE):
        name = option.key.split("/", 1)[1]
        for old in (f"General/{name}", f"general/{name}"):
            if settings.contains(old):
                if not settings.contains(option.key):
                    settings.setValue(option.key, settings.value(old))
                settings.remove(old)
    for old in ("General/settings_version", "general/settings_version"):
        settings.remove(old)


# Upgrades from one settings version to the next: index i upgrades version i to i + 1.
UPGRADES: list[Callable[[QSettings], None]] = [
    lambda _settings: None,  # 0 -> 1: the first version, nothing to carry over
    _out_of_general,  # 1 -> 2
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


def last_folder(fallback: Path | str = "") -> str:
    """Where a file dialog opens: the folder used last, while it exists, else `fallback`."""
    folder = LAST_FOLDER.read(open_settings())
    return folder if folder and Path(folder).is_dir() else str(fallback)


def in_last_folder(name: str, fallback: Path | str = "") -> str:
    """A file name suggested in the folder used last (see `last_folder`)."""
    folder = last_folder(fallback)
    return str(Path(folder) / name) if folder else name


def remember_folder(chosen: Path | str) -> None:
    """Keep the folder of a file (or the folder) just chosen in a file dialog."""
    if not chosen:
        return
    path = Path(chosen)
    settings = open_settings()
    LAST_FOLDER.write(settings, str(path if path.is_dir() else path.parent))
    settings.sync()


def database_path(settings: QSettings) -> Path | None:
    """The database chosen at first run, if any."""
    value = DATABASE_PATH.read(settings)
    return Path(value) if value else None
