"""Where r2pdesk keeps its files by default."""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "r2pdesk"


def default_db_path() -> Path:
    """The database in the platform's user data directory, or `R2PDESK_DB` when set."""
    override = os.environ.get("R2PDESK_DB")
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "r2pdesk.db"


def log_dir() -> Path:
    """Where r2pdesk writes its logs."""
    return user_log_path(APP_NAME, appauthor=False)


def write_crash_log() -> Path:
    """Append the exception being handled, with its traceback, to the log; return its path."""
    path = log_dir() / "r2pdesk.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {datetime.now(UTC).isoformat()}\n{traceback.format_exc()}\n")
    return path
