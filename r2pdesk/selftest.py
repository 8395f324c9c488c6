"""`--self-test`: proves an installed r2pdesk works, on a throwaway database (no Qt here).

It creates a temporary database, migrates it, loads the reference data, adds the fictional demo,
renders a report and writes a full workbook into the temporary folder, checks both, and prints
one line: `r2pdesk self-test ok: ...` (exit 0) or `r2pdesk self-test FAILED: <what>` (exit 1).
Nothing outside the temporary folder is read or written, so it is safe on any machine, and it
finds the migrations, reference data and fonts the way a frozen build must (importlib.resources).
The app adds its own step (the main window drawn offscreen) through `extra`.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from r2pdesk import __version__
from r2pdesk.errors import KnownError
from r2pdesk.store import Store

# An extra step run on the open store: returns a few words for the result line.
Extra = Callable[[Store, Path], str]

REPORT_KIND = "implementation"
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class SelfTestError(Exception):
    """One step of the self-test did not give what it should."""


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF written by ReportLab has (it writes no object streams)."""
    if not pdf.startswith(b"%PDF-"):
        raise SelfTestError("the report is not a PDF")
    if b"%%EOF" not in pdf[-64:]:
        raise SelfTestError("the report PDF is cut short")
    pages = len(_PAGE.findall(pdf))
    if pages == 0:
        raise SelfTestError("the report PDF has no page")
    return pages


def workbook_sheets(path: Path) -> int:
    """How many sheets the workbook at `path` has, opened again from the file."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only the self-test reads one back

    book = load_workbook(path, read_only=True)
    try:
        names = book.sheetnames
    finally:
        book.close()
    if not names:
        raise SelfTestError("the workbook has no sheet")
    return len(names)


def _check_store(store: Store, folder: Path) -> list[str]:
    from r2pdesk.demo import populate_demo  # noqa: PLC0415
    from r2pdesk.exchange.workbook import export_full  # noqa: PLC0415
    from r2pdesk.reference.models import CatalogueRecommendation  # noqa: PLC0415
    from r2pdesk.reports import generate  # noqa: PLC0415
    from r2pdesk.startup import count  # noqa: PLC0415

    catalogue = count(store, CatalogueRecommendation)
    if catalogue == 0:
        raise SelfTestError("the reference data did not load (no catalogue recommendation)")
    today = date.today()
    with store.session() as session:
        populate_demo(session, today=today)
    with store.reader() as session:
        pdf = generate(session, REPORT_KIND, today=today)
    report = folder / f"{REPORT_KIND}.pdf"
    report.write_bytes(pdf)
    pages = pdf_pages(report.read_bytes())
    workbook = folder / "full-export.xlsx"
    with store.session() as session:
        export_full(session, workbook)
    sheets = workbook_sheets(workbook)
    return [
        f"schema {store.schema_revision}",
        f"{catalogue} catalogue recommendations",
        f"report {pages} pages",
        f"workbook {sheets} sheets",
    ]


def check(extra: Extra | None = None) -> str:
    """Run every step; the words of the result line, or SelfTestError / any error on failure."""
    from r2pdesk.startup import open_store  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="r2pdesk-self-test-") as name:
        folder = Path(name)
        store = open_store(folder / "self-test.db", member="self-test")
        try:
            parts = _check_store(store, folder)
            if extra is not None:
                parts.append(extra(store, folder))
        finally:
            store.close()
    return ", ".join(parts)


def run(extra: Extra | None = None, out: TextIO | None = None) -> int:
    """Run the self-test, print one line, and return the exit status (0 when it passed)."""
    out = out or sys.stdout
    started = time.monotonic()
    try:
        summary = check(extra)
    except (KnownError, SelfTestError) as exc:
        out.write(f"r2pdesk self-test FAILED: {exc}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - any failure is the answer; details on stderr
        traceback.print_exc(file=sys.stderr)
        out.write(f"r2pdesk self-test FAILED: {type(exc).__name__}: {exc}\n")
        return 1
    elapsed = time.monotonic() - started
    out.write(f"r2pdesk self-test ok: version {__version__}, {summary} ({elapsed:.1f} s)\n")
    return 0
