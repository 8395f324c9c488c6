"""What the benchmarks share: the large fictional databases, made once and kept in build/bench/,
timing helpers, and the shape of a figure with its target."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench"
PYTHON = sys.executable
CLI = [PYTHON, "-m", "r2pdesk"]


def _fingerprint() -> str:
    """What the generated databases depend on: the demo, the scale generator, the schema."""
    digest = hashlib.sha256()
    for folder, pattern in (("r2pdesk/demo", "*.py"), ("db/versions", "*.py"),
                            ("resources/data", "*.json")):
        for path in sorted((ROOT / folder).glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def scale_db(n: int) -> tuple[Path, dict[str, Any]]:
    """The database of `r2pdesk-cli init --demo --scale n` (n = 0: the demo alone), made once
    per version of the generator and kept; and how long making it took (then or now)."""
    folder = CACHE / f"scale-{n}-{_fingerprint()}"
    path, info = folder / "r2pdesk.db", folder / "made.json"
    if path.exists() and info.exists():
        return path, {**json.loads(info.read_text()), "cached": True}
    for old in CACHE.glob(f"scale-{n}-*"):  # made by an earlier generator or schema
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    work = folder / "making.db"
    start = time.perf_counter()
    scale = ["--scale", str(n)] if n else []
    subprocess.run([*CLI, "--db", str(work), "init", "--demo", *scale, "--json"],  # noqa: S603
                   check=True, capture_output=True, cwd=ROOT, env=quiet_env())
    seconds = time.perf_counter() - start
    for suffix in ("-wal", "-shm"):  # closed cleanly, the log is empty; never carry one over
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    work.rename(path)
    made = {"scale": n, "seconds": round(seconds, 1),
            "megabytes": round(path.stat().st_size / 2**20, 1)}
    info.write_text(json.dumps(made))
    return path, {**made, "cached": False}


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a database to work on."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def quiet_env(**extra: str) -> dict[str, str]:
    """The environment of a measured subprocess: headless Qt, and what `extra` sets (such as
    XDG folders, so that the user's own settings are neither read nor touched)."""
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1", **extra})
    return env


def best_of(run: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by the rest of the
    machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def figure(value: float, target: float, *, at_most: bool, digits: int = 2) -> dict[str, Any]:
    """A ratio with its target and whether it is met."""
    return {"value": round(value, digits), "target": f"{'<=' if at_most else '>='} {target}",
            "pass": value <= target if at_most else value >= target}
