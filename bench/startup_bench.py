"""Start-up and memory, each run in a fresh process (`app_probe.py`, offscreen Qt).

Start-up: from launching the process to the first paint of the main window, for the app on the
demo database and on the large one, against a bare `QApplication` showing an empty
`QMainWindow`; several runs interleaved, medians. Before the runs, the app is started once on
each database (its daily backup is then made: a start-up that also makes it is the first of the
day, not the usual one).

Memory: the peak resident memory of the app with the large database open, the main window shown
and its early-warning, recommendation and assessment pages opened.

    .venv/bin/python bench/startup_bench.py [--runs 5] [--scale 100000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from common import PYTHON, ROOT, copy_db, figure, median, quiet_env, scale_db

PROBE = str(Path(__file__).with_name("app_probe.py"))
PAGES = "warnings,recommendations,assessments"


def probe(args: list[str], home: Path) -> tuple[float, list[dict[str, Any]]]:
    """Seconds from launch to the first paint, and what the probe said."""
    env = quiet_env(XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"))
    start = time.perf_counter()
    errors = home / "probe-errors.txt"
    with errors.open("w") as stderr, subprocess.Popen(  # noqa: S603
            [PYTHON, PROBE, *args], stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT,
            env=env) as process:
        assert process.stdout is not None
        lines: list[dict[str, Any]] = []
        shown = None
        for line in process.stdout:
            lines.append(json.loads(line))
            if lines[-1]["event"] == "shown":
                shown = time.perf_counter() - start
        if process.wait(timeout=600) != 0 or shown is None:
            raise RuntimeError(f"the probe {args} failed: {lines} {errors.read_text()[-2000:]}")
    return shown, lines


def measure(runs: int = 5, scale: int = 100_000, large_runs: int = 3) -> dict[str, Any]:
    """Start-up medians and their ratios, and the peak memory with the large database (the
    large database's runs, fewer for they are long, also open the pages)."""
    demo, _ = scale_db(0)
    large, _ = scale_db(scale)
    with tempfile.TemporaryDirectory(prefix="r2pdesk-bench-") as folder:
        home = Path(folder)
        small_db = str(copy_db(demo, home / "demo" / "r2pdesk.db"))
        large_db = str(copy_db(large, home / "large" / "r2pdesk.db"))
        for db in (small_db, large_db):  # the day's first start makes the daily backup
            probe(["app", db], home)
        times: dict[str, list[float]] = {"bare": [], "demo": [], "large": []}
        large_said: list[list[dict[str, Any]]] = []
        for run in range(runs):
            seconds, bare_said = probe(["bare"], home)
            times["bare"].append(seconds)
            times["demo"].append(probe(["app", small_db], home)[0])
            if run < large_runs:
                seconds, said = probe(["app", large_db, "--pages", PAGES], home)
                times["large"].append(seconds)
                large_said.append(said)
    bare, demo_s, large_s = (median(times[k]) for k in ("bare", "demo", "large"))
    said = max(large_said, key=lambda lines: lines[-1]["peak_mb"])
    pages = {line["page"]: line["seconds"] for line in said if line["event"] == "page"}
    return {
        "startup": {
            "runs": {"bare": runs, "demo_db": runs, "large_db": large_runs},
            "bare_qt_s": round(bare, 3),
            "app_demo_db_s": round(demo_s, 3),
            "app_large_db_s": round(large_s, 3),
            "ratio_demo_db": figure(demo_s / bare, 2.5, at_most=True),
            "ratio_large_db": figure(large_s / bare, 2.5, at_most=True),
        },
        "memory": {
            "scale": scale,
            "pages_opened": pages,
            "peak_rss_mb_window_shown": next(x["peak_mb"] for x in said if x["event"] == "shown"),
            "peak_rss_mb_pages_opened": said[-1]["peak_mb"],
            "bare_qt_peak_rss_mb": bare_said[-1]["peak_mb"],
        },
    }


def main() -> None:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(measure(args.runs, args.scale), indent=1))


if __name__ == "__main__":
    main()
