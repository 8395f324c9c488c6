"""The wheel `pip install .` makes: Qt among its requirements, the files the app reads at run time
in it (migrations, reference data, fonts, translations), the source texts and the tests left out,
and an install of it that works from another folder.

The wheel is built without a network (`--no-build-isolation`, the build requirements come with
the `dev` extra) from a copy of the project, so no `build/` folder of an earlier build slips
files into it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LEFT_BEHIND = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "test-output", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "*.db", "*.db-wal", "*.db-shm",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    project = work / "project"
    shutil.copytree(REPO, project, ignore=LEFT_BEHIND)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(project), "--no-deps",
         "--no-build-isolation", "--no-index", "--quiet", "--wheel-dir", str(work / "out")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "out").glob("r2pdesk-*.whl")
    return built


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _metadata(wheel: Path) -> tuple[list[str], str]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        (entry_points,) = (n for n in archive.namelist()
                           if n.endswith(".dist-info/entry_points.txt"))
        message = Parser().parsestr(archive.read(metadata).decode("utf-8"))
        return message.get_all("Requires-Dist") or [], archive.read(entry_points).decode("utf-8")


def test_qt_is_a_default_requirement(wheel: Path) -> None:
    requires, entry_points = _metadata(wheel)
    default = {r.split(";")[0].replace(" ", "") for r in requires if "extra ==" not in r}
    assert "PySide6-Essentials!=6.12.0,>=6.9" in default
    assert "PySide6-Addons!=6.12.0,>=6.9" in default  # QtPdf, for the report preview
    assert "[gui_scripts]\nr2pdesk = ui.app:run" in entry_points
    assert "[console_scripts]\nr2pdesk-cli = r2pdesk.cli:run" in entry_points


def test_the_files_read_at_run_time_are_in_it(wheel: Path) -> None:
    names = _names(wheel)
    needed = ["db/alembic.ini", "db/script.py.mako", "db/env.py"]
    for folder, pattern in (("db/versions", "*.py"), ("resources/data", "*.json"),
                            ("resources/i18n", "*.json"), ("resources/fonts", "*")):
        files = sorted((REPO / folder).glob(pattern))
        assert files, folder
        needed += [f"{folder}/{path.name}" for path in files if path.name != "__init__.py"]
    missing = [name for name in needed if name not in names]
    assert not missing, missing
    assert "r2pdesk/cli.py" in names
    assert "ui/app.py" in names


def test_source_texts_tests_and_tools_are_left_out(wheel: Path) -> None:
    names = _names(wheel)
    assert (REPO / "resources" / "sources" / "README.md").is_file()
    shipped_sources = sorted(n for n in names if n.startswith("resources/sources/"))
    assert shipped_sources == []
    assert not [n for n in names if n.split("/")[0] in {"tests", "tools", "bench", "installers"}]
    # About 2 MiB, 1.4 of them the four DejaVu fonts: a bound that catches a database or a
    # folder of documents slipping in, with room for the code and catalogues to grow.
    assert wheel.stat().st_size < 4 * 2**20


@pytest.mark.slow
def test_the_installed_package_sets_up_a_database_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The installed copy comes first on the path, before the project's own (editable) install.
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "r2pdesk", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=180, check=False)

    show_where = (
        "import db, r2pdesk, resources, ui\n"
        "print(db.__file__, r2pdesk.__file__, resources.__file__, ui.__file__)\n"
    )
    where = subprocess.run(
        [sys.executable, "-c", show_where],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    for path in where.stdout.split():
        assert Path(path).is_relative_to(target), where.stdout

    database = tmp_path / "x.db"
    init = cli("--db", str(database), "init")
    assert init.returncode == 0, init.stdout + init.stderr
    assert init.stdout.startswith(f"database {database} at schema "), init.stdout
    stats = cli("--db", str(database), "--json", "stats")
    assert stats.returncode == 0, stats.stdout + stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["catalogue_recommendations"] == 440  # the reference data was found and loaded
    self_test = cli("--self-test")
    assert self_test.returncode == 0, self_test.stdout + self_test.stderr
    assert "440 catalogue recommendations" in self_test.stdout
