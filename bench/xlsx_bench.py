"""Excel exchange against raw openpyxl on the same cells.

Export: the full workbook (every institution, recommendation, progress update, warning and
response: about 20,000 rows) written from the database, against raw openpyxl write-only writing
the same cells (every sheet, the hidden one included) with their styles set the way openpyxl's
documentation shows (a `WriteOnlyCell` with its font, fill, alignment, protection and number
format). The plain values without any style are timed too, for information.

Import: preview and apply (read, validate, three-way merge, write, commit) of that workbook with
one row in ten edited, against raw openpyxl read-only reading every cell's value of the same file.

    .venv/bin/python bench/xlsx_bench.py [--scale 5000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import Any

from common import copy_db, figure, scale_db
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from r2pdesk.exchange.service import apply, preview
from r2pdesk.exchange.workbook import export_full
from r2pdesk.startup import open_store

STYLE_IDS = {"font": "fontId", "fill": "fillId", "alignment": "alignmentId",
             "protection": "protectionId", "number_format": "numFmtId"}
EDITS = {"Warnings": "Description", "Progress updates": "Narrative", "Responses": "Outcome"}


@dataclass
class SheetCells:
    """A sheet's values, and the style of its header row and of each column below it."""

    title: str
    hidden: bool
    rows: list[list[Any]] = field(default_factory=list)
    header: list[dict[str, Any]] = field(default_factory=list)
    body: list[dict[str, Any]] = field(default_factory=list)


def _style(cell: Any) -> dict[str, Any]:
    """The style attributes a cell sets, only those that are not the default (as a programmer
    would write them)."""
    if not cell.has_style:
        return {}
    array = cell.style_array
    return {name: getattr(cell, name) for name, index in STYLE_IDS.items()
            if getattr(array, index)}


def cells_of(path: Path) -> list[SheetCells]:
    """Every cell of a workbook: values, and styles by column."""
    book = load_workbook(path, read_only=True)
    sheets = []
    for ws in book.worksheets:
        sheet = SheetCells(ws.title, ws.sheet_state == "hidden")
        for number, row in enumerate(ws.iter_rows(), start=1):
            sheet.rows.append([cell.value for cell in row])
            if number <= 2:
                (sheet.header if number == 1 else sheet.body).extend(
                    _style(cell) for cell in row)
        sheets.append(sheet)
    book.close()
    return sheets


def raw_write(sheets: list[SheetCells], path: Path, *, styled: bool = True) -> None:
    """The same cells written with raw openpyxl in write-only mode."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        if sheet.hidden:
            ws.sheet_state = "hidden"
        for number, values in enumerate(sheet.rows):
            styles = (sheet.header if number == 0 else sheet.body) if styled else []
            row: list[Any] = []
            for value, style in zip_longest(values, styles[:len(values)]):
                if not style:
                    row.append(value)
                    continue
                cell = WriteOnlyCell(ws, value=value)
                for name, attribute in style.items():
                    setattr(cell, name, attribute)
                row.append(cell)
            ws.append(row)
    book.save(path)


def raw_read(path: Path) -> int:
    """Every cell's value of a workbook read with raw openpyxl in read-only mode."""
    book = load_workbook(path, read_only=True)
    count = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            count += len(row)
    book.close()
    return count


def edited(sheets: list[SheetCells]) -> tuple[list[SheetCells], int]:
    """The workbook as a secretariat sends it back: one row in ten of three sheets edited."""
    changed = 0
    for sheet in sheets:
        header = EDITS.get(sheet.title)
        if header is None:
            continue
        column = sheet.rows[0].index(header)
        for row in sheet.rows[1::10]:
            row[column] = f"{row[column] or ''} (revised)"
            changed += 1
    return sheets, changed


def timed(run: Callable[[], object]) -> float:
    """Seconds one run takes."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(scale: int = 5000, repeat: int = 2) -> dict[str, Any]:
    """Export and import of the full workbook of the database of `scale`, and raw openpyxl;
    the exports, the app's and the raw one taking turns, `repeat` times each (the fastest)."""
    database, _made = scale_db(scale)
    with tempfile.TemporaryDirectory(prefix="r2pdesk-bench-") as folder:
        work = Path(folder)
        exported = work / "full.xlsx"
        store = open_store(copy_db(database, work / "export.db"))
        try:
            with store.session() as session:  # the export the workbook to import comes from
                start = time.perf_counter()
                result = export_full(session, exported)
                exports = [time.perf_counter() - start]
            rows = sum(result.rows.values())
            sheets = cells_of(exported)
            cells = sum(len(r) for s in sheets for r in s.rows)
            raws = [timed(lambda: raw_write(sheets, work / "raw.xlsx"))]
            for _ in range(repeat - 1):
                with store.session() as session:
                    exports.append(timed(lambda: export_full(session, work / "again.xlsx")))
                    session.rollback()
                raws.append(timed(lambda: raw_write(sheets, work / "raw.xlsx")))
        finally:
            store.close()
        export_s, raw_export_s = min(exports), min(raws)
        start = time.perf_counter()
        raw_write(sheets, work / "plain.xlsx", styled=False)
        plain_export_s = time.perf_counter() - start
        incoming = work / "incoming.xlsx"
        sheets, changed = edited(sheets)
        raw_write(sheets, incoming, styled=False)  # styles play no part in an import
        start = time.perf_counter()
        raw_read(incoming)
        raw_import_s = time.perf_counter() - start
        store = open_store(work / "export.db")  # the database the workbook was exported from
        try:
            with store.session() as session:
                start = time.perf_counter()
                plan = preview(session, incoming, today=date.today())
                apply(session, plan)
            import_s = time.perf_counter() - start  # the commit included
        finally:
            store.close()
    export_ratio = raw_export_s / export_s
    import_ratio = raw_import_s / import_s
    return {
        "rows": rows,
        "cells": cells,
        "export": {
            "seconds": round(export_s, 2),
            "rows_per_s": round(rows / export_s),
            "raw_openpyxl_seconds": round(raw_export_s, 2),
            "raw_openpyxl_rows_per_s": round(rows / raw_export_s),
            "raw_unstyled_seconds": round(plain_export_s, 2),
            "ratio_to_raw_unstyled": round(plain_export_s / export_s, 2),  # no target: other cells
            "ratio_to_raw": figure(export_ratio, 0.7, at_most=False),
        },
        "import": {
            "rows_changed": changed,
            "fields_written": len(plan.changes),
            "seconds": round(import_s, 2),
            "rows_per_s": round(rows / import_s),
            "raw_openpyxl_read_seconds": round(raw_import_s, 2),
            "raw_openpyxl_rows_per_s": round(rows / raw_import_s),
            "ratio_to_raw": figure(import_ratio, 0.5, at_most=False),
        },
    }


def main() -> None:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000)
    print(json.dumps(measure(parser.parse_args().scale), indent=1))


if __name__ == "__main__":
    main()
