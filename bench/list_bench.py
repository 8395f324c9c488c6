"""The early-warning register at 1,000 and at 100,000 warnings: time to its first rows, and
its search (SQLite FTS5) against a raw FTS5 query on the same table.

List: the register's page (`ui.warnings_page.WarningsPage`, offscreen) reads its list again
(`reload_list`: the first window of rows and the count), and the first 50 rows are read through
the model as the table shows them; in the register's own order and sorted by due date.

Search: the same page with words typed in its search box (every word a prefix, as the app
searches), to the first 50 rows of the result and its count. The raw baseline runs, with
`sqlite3` on the same file, the same FTS5 MATCH for the first 200 rows of the table (its own
columns only, newest first) and the count: the app also shows each warning's addressees, areas,
indicators, risk factors and response times.

Each figure is the fastest of several runs (milliseconds: the least disturbed by the rest of
the machine), the caches warm.

    .venv/bin/python bench/list_bench.py [--small 1000] [--large 100000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import copy_db, figure, scale_db
from PySide6.QtCore import QModelIndex, QSignalBlocker
from PySide6.QtWidgets import QApplication

from r2pdesk.paging import Sort
from r2pdesk.search import fts_query
from r2pdesk.startup import open_store
from ui.warning_models import Col
from ui.warnings_page import WarningsPage

FIRST_ROWS = 50
# A word in about one warning title in ten, two words together in one in twenty, and a reference
# (a prefix: at 100,000 warnings it also finds the ten that continue it).
SEARCHES = ("herders", "recruiting young", "EW-2024-012")
RAW_PAGE = (
    "SELECT w.rowid, w.reference, w.title, w.severity, w.status, w.issued_on, w.response_due "
    "FROM early_warning AS w WHERE w.rowid IN "
    "(SELECT rowid FROM warning_fts WHERE warning_fts MATCH ?) ORDER BY w.rowid DESC LIMIT 200"
)
RAW_COUNT = "SELECT count(*) FROM warning_fts WHERE warning_fts MATCH ?"


def first_rows(page: WarningsPage) -> int:
    """Read the first rows as the table shows them; how many there were."""
    model = page.model
    shown = min(FIRST_ROWS, model.rowCount(QModelIndex()))
    for row in range(shown):
        for column in range(model.columnCount(QModelIndex())):
            model.data(model.index(row, column))
    return shown


def timed(run: Callable[[], object], runs: int) -> float:
    """The fastest of `runs` runs, in seconds, after one to warm the caches: these take
    milliseconds, and the least disturbed run is the one to compare."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _register(page: WarningsPage, runs: int) -> dict[str, float]:
    def reload() -> None:
        page.reload_list()
        first_rows(page)

    def by_due() -> None:
        page.model.sort(Col.DUE)
        first_rows(page)
        page.model.order = Sort()

    return {"first_rows_s": timed(reload, runs), "sorted_by_due_s": timed(by_due, runs)}


def _search(page: WarningsPage, db: Path, words: str, runs: int) -> dict[str, Any]:
    def typed() -> None:
        page.search.setText(words)  # the page reads its list again as the text changes
        first_rows(page)
        blocker = QSignalBlocker(page.search)  # emptied for the next run, not read again
        page.search.clear()
        del blocker

    expression = fts_query(words)
    with sqlite3.connect(db) as raw:
        def plain() -> None:
            raw.execute(RAW_PAGE, (expression,)).fetchall()
            raw.execute(RAW_COUNT, (expression,)).fetchone()

        raw_s = timed(plain, runs)
        found = raw.execute(RAW_COUNT, (expression,)).fetchone()[0]
    return {"matches": found, "app_s": timed(typed, runs), "raw_fts5_s": raw_s}


def measure_one(scale: int, runs: int, work: Path) -> dict[str, Any]:
    """The register and its searches on the database of `scale`."""
    database, made = scale_db(scale)
    path = copy_db(database, work / f"list-{scale}.db")
    store = open_store(path)
    try:
        page = WarningsPage(store)  # builds itself and reads its first rows
        figures: dict[str, Any] = {"warnings": page.model.total(), **_register(page, runs)}
        figures["search"] = {words: _search(page, path, words, runs) for words in SEARCHES}
        page.deleteLater()
        QApplication.processEvents()
    finally:
        store.close()
    return {"database": made, **figures}


def _ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


def measure(small: int = 1000, large: int = 100_000, runs: int = 15) -> dict[str, Any]:
    """List and search figures at both sizes, and their ratios."""
    _app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="r2pdesk-bench-") as folder:
        one = measure_one(small, runs, Path(folder))
        big = measure_one(large, runs, Path(folder))
    search: dict[str, Any] = {}
    for words in SEARCHES:
        a, b = one["search"][words], big["search"][words]
        search[words] = {
            "matches": [a["matches"], b["matches"]],
            "app_ms": [_ms(a["app_s"]), _ms(b["app_s"])],
            "raw_fts5_ms": [_ms(a["raw_fts5_s"]), _ms(b["raw_fts5_s"])],
            "app_over_raw_fts5_at_large": round(b["app_s"] / b["raw_fts5_s"], 1),
            "ratio_large_to_small": figure(b["app_s"] / a["app_s"], 1.5, at_most=True),
        }
    return {
        "sizes": [one["warnings"], big["warnings"]],
        "large_db": big["database"],
        "list": {
            "first_rows_ms": [_ms(one["first_rows_s"]), _ms(big["first_rows_s"])],
            "sorted_by_due_ms": [_ms(one["sorted_by_due_s"]), _ms(big["sorted_by_due_s"])],
            "ratio_large_to_small": figure(big["first_rows_s"] / one["first_rows_s"], 1.5,
                                           at_most=True),
            "ratio_sorted_large_to_small": figure(
                big["sorted_by_due_s"] / one["sorted_by_due_s"], 1.5, at_most=True),
        },
        "search": search,
    }


def main() -> None:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(json.dumps(measure(args.small, args.large, args.runs), indent=1))


if __name__ == "__main__":
    main()
