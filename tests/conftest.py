"""Test set-up shared by every suite: headless Qt, database templates, no stray threads."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator

import pytest

# Before anything imports Qt: render offscreen, and keep settings away from the user's own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.databases"]


@pytest.fixture(autouse=True)
def _no_stray_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread running."""
    before = set(threading.enumerate())
    yield
    leftover = [
        t for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon
    ]
    assert not leftover, f"threads left running: {leftover}"
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None:
        pool = qt_core.QThreadPool.globalInstance()
        assert pool.waitForDone(5000), "background operations still running after the test"
        assert pool.activeThreadCount() == 0


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings, logs and the default database go to a temporary home, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("R2PDESK_DB", raising=False)
