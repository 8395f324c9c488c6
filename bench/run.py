"""`make bench`: every benchmark side by side in one run, printed as one JSON object.

Each part runs in its own process (so that one part's memory and caches do not weigh on the
next) and prints its figures; this gathers them, with the time each took and the list of
targets met and missed. Progress goes to stderr.

The large fictional databases are made once by `r2pdesk-cli init --demo --scale N` and kept in
build/bench/ (made again when the demo, the generator or the schema changes); how long making
them took is printed under "databases".

    .venv/bin/python bench/run.py [--only pdf,xlsx,list,startup]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import PYTHON, ROOT, quiet_env, scale_db

HERE = Path(__file__).resolve().parent
LARGE, SMALL, XLSX = 100_000, 1_000, 5_000
PARTS = {
    "pdf": ["pdf_bench.py"],
    "xlsx": ["xlsx_bench.py", "--scale", str(XLSX)],
    "list": ["list_bench.py", "--small", str(SMALL), "--large", str(LARGE)],
    "startup": ["startup_bench.py", "--scale", str(LARGE)],
}


def note(text: str) -> None:
    """Progress, on stderr."""
    sys.stderr.write(f"bench: {text}\n")
    sys.stderr.flush()


def part(name: str) -> dict[str, Any]:
    """Run one part in its own process; its JSON, and how long it took."""
    note(f"{name}…")
    start = time.perf_counter()
    done = subprocess.run([PYTHON, str(HERE / PARTS[name][0]), *PARTS[name][1:]],  # noqa: S603
                          check=True, capture_output=True, text=True, cwd=ROOT, env=quiet_env())
    seconds = time.perf_counter() - start
    note(f"{name} done in {seconds:.0f} s")
    return {**json.loads(done.stdout), "bench_seconds": round(seconds, 1)}


def targets(found: Any, path: str = "") -> list[dict[str, Any]]:
    """Every figure with a target, where it is in the object."""
    listed: list[dict[str, Any]] = []
    if isinstance(found, dict):
        if {"value", "target", "pass"} <= found.keys():
            return [{"figure": path, **found}]
        for key, value in found.items():
            listed += targets(value, f"{path}.{key}" if path else key)
    return listed


def main() -> None:
    """Make the databases, run every part, print one JSON object."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help="parts to run, comma-separated")
    chosen = parser.parse_args().only.split(",")
    start = time.perf_counter()
    databases = {}
    for n in (0, SMALL, XLSX, LARGE):
        note(f"database of scale {n or 'demo'}…")
        databases[f"scale_{n}" if n else "demo"] = scale_db(n)[1]
    result: dict[str, Any] = {"databases": databases}
    for name in chosen:
        result[name] = part(name)
    checked = targets(result)
    result["targets"] = {
        "met": [t["figure"] for t in checked if t["pass"]],
        "missed": [f"{t['figure']}: {t['value']} (target {t['target']})"
                   for t in checked if not t["pass"]],
    }
    result["total_seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
