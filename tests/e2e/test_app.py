"""The app as a separate process: `r2pdesk --screenshot` renders real windows to PNG files.

The screenshots are kept in test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.databases import copy_database, output_dir
from ui.mainwindow import PAGE_NAMES


def app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ui.app import run; run()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


def distinct_colours(path: Path, step: int = 7) -> int:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    return len(colours)


def test_catalogue_screenshot_shows_real_recommendations(
    qapp: object, tmp_path: Path, demo_template: Path
) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    out = output_dir("screenshots") / "catalogue.png"
    out.unlink(missing_ok=True)
    result = app("--db", str(db), "--screenshot", str(out), "--page", "catalogue")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 900)
    assert distinct_colours(out) > 20  # text, tables and frames, not a blank window


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("kind", ["demo", "empty"])
def test_every_page_renders(
    request: pytest.FixtureRequest, tmp_path: Path, page: str, kind: str
) -> None:
    template: Path = request.getfixturevalue(f"{kind}_template")
    db = copy_database(template, tmp_path / "x.db")
    out = output_dir("screenshots", f"app-{kind}") / f"{page}.png"
    result = app("--db", str(db), "--screenshot", str(out), "--page", page)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 900)  # no page widens the window
    assert distinct_colours(out) > 5


def test_unknown_page_is_refused(tmp_path: Path) -> None:
    result = app("--db", str(tmp_path / "x.db"), "--screenshot", str(tmp_path / "o.png"),
                 "--page", "nowhere")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_screenshot_of_a_bad_file_fails_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = app("--db", str(bad), "--screenshot", str(tmp_path / "o.png"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("not an r2pdesk database (not an SQLite file)")
