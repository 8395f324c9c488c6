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


def crash_log_path() -> Path:
    """The file crashes are written to."""
    return log_dir() / "r2pdesk.log"


def write_crash_log(exc: BaseException | None = None, where: str = "") -> Path:
    """Append an exception (by default the one being handled), with its traceback, to the log;
    return its path. `where` says in which thread it happened, when not the main one."""
    path = crash_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(traceback.format_exception(exc)) if exc is not None else traceback.format_exc()
    heading = f"--- {datetime.now(UTC).isoformat()}" + (f" in {where}" if where else "")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{heading}\n{text}\n")
    return path
