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


# --- an encrypted database, the lock, rotating backups -----------------------------------------

PASSPHRASE = "the app's passphrase"


def encrypted_demo(template: Path, tmp_path: Path) -> Path:
    from r2pdesk import crypto

    db = copy_database(template, tmp_path / "secret.db")
    crypto.encrypt_database(db, PASSPHRASE)
    return db


def test_an_encrypted_demo_renders_with_its_passphrase(
    tmp_path: Path, demo_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = encrypted_demo(demo_template, tmp_path)
    out = tmp_path / "warnings.png"
    monkeypatch.delenv("R2PDESK_PASSPHRASE", raising=False)
    refused = app("--db", str(db), "--screenshot", str(out), "--page", "warnings")
    assert refused.returncode == 1
    assert "this database is encrypted: give its passphrase" in refused.stderr
    assert not out.exists()
    result = subprocess.run(
        [sys.executable, "-c", "from ui.app import run; run()", "--db", str(db),
         "--screenshot", str(out), "--page", "warnings"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "R2PDESK_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    assert distinct_colours(out) > 20
    assert b"Velmora" not in db.read_bytes()


def test_the_passphrase_is_asked_until_right(tmp_path: Path, demo_template: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from r2pdesk.errors import KnownError
    from ui.app import CancelledError, unlock

    monkeypatch.delenv("R2PDESK_PASSPHRASE", raising=False)
    db = encrypted_demo(demo_template, tmp_path)
    asked: list[str] = []
    answers = iter(["wrong", PASSPHRASE])

    def ask(_path: Path, message: str) -> str | None:
        asked.append(message)
        return next(answers)

    assert unlock(db, ask) == PASSPHRASE
    assert asked == ["secret.db is encrypted. Its passphrase:",
                     "Wrong passphrase for secret.db. Try again:"]
    with pytest.raises(CancelledError):
        unlock(db, lambda _p, _m: None)
    with pytest.raises(KnownError, match="wrong passphrase"):
        unlock(db, lambda _p, _m: "never right")
    plain = copy_database(demo_template, tmp_path / "plain.db")
    assert unlock(plain, lambda _p, _m: pytest.fail("a plain file asks nothing")) is None


def test_a_second_app_is_told_who_has_the_database(tmp_path: Path, demo_template: Path) -> None:
    from r2pdesk import lock

    db = copy_database(demo_template, tmp_path / "demo.db")
    before = db.read_bytes()
    with lock.acquire(db, "Amira Solden"):
        result = app("--db", str(db), "--screenshot", str(tmp_path / "o.png"))
    assert result.returncode == 1
    assert "is opened by Amira Solden on host" in result.stderr
    assert db.read_bytes() == before


def test_rotating_backups_made_when_due(demo_store: object) -> None:
    from datetime import timedelta

    from r2pdesk import backup
    from r2pdesk.store import Store
    from ui.app import rotate_backup

    assert isinstance(demo_store, Store)
    first = rotate_backup(demo_store, keep=2, every=timedelta(days=1))
    assert first is not None
    assert first.exists()
    assert rotate_backup(demo_store, keep=2, every=timedelta(days=1)) is None  # not due yet
    made = [rotate_backup(demo_store, keep=2) for _ in range(3)]  # on exit: always
    assert all(made)
    assert len(backup.auto_backups(first.parent, demo_store.path.stem)) == 2
