"""What every workbook r2pdesk reads or writes shares: saving without leaving half a file, and
reading a cell as the text a person typed."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook

from r2pdesk.errors import KnownError


def save_workbook(book: Workbook, path: Path) -> None:
    """Save beside the target, then rename: a failed save leaves no partial workbook behind."""
    partial = path.with_name(path.name + ".part")
    try:
        book.save(partial)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}.") from exc


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", booleans as TRUE/FALSE, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
