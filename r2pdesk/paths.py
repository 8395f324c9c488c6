"""Where r2pdesk keeps its files by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "r2pdesk"


def default_db_path() -> Path:
    """The database in the platform's user data directory, or `R2PDESK_DB` when set."""
    override = os.environ.get("R2PDESK_DB")
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "r2pdesk.db"
