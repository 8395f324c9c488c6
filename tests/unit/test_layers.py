"""The core runs with no Qt: every module of r2pdesk imports with PySide6 made unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import importlib, pkgutil, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "ui"}:
            raise ImportError(f"the core imported {name}")
        return None

sys.meta_path.insert(0, NoQt())
import r2pdesk
for module in pkgutil.walk_packages(r2pdesk.__path__, "r2pdesk."):
    if module.name != "r2pdesk.__main__":
        importlib.import_module(module.name)
from r2pdesk.cli import main
status = main(["--db", sys.argv[1], "init", "--demo"])
status = status or main(["--db", sys.argv[1], "stats", "--json"])
assert not any(name.split(".")[0] in {"PySide6", "shiboken6", "ui"} for name in sys.modules)
sys.exit(status)
"""


def test_core_runs_without_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "core.db")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"reports": 18' in result.stdout


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], capture_output=True, text=True, timeout=300, check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
