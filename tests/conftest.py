"""Test set-up shared by every suite: headless Qt, database templates, no stray threads."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

# Before anything imports Qt: render offscreen, and keep settings away from the user's own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.databases"]
WRITE_DRAIN_SECONDS = 10.0  # how long a write left running may take to end after its test


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
    _no_write_left(qt_core)


def _no_write_left(qt_core: Any) -> None:
    """Fail a test that ends with a write of the UI's single writer queued or running, or its
    outcome not yet handled (it would land in the next test); the write is let end first."""
    operations = sys.modules.get("ui.operations")
    if operations is None or qt_core is None:
        return
    left = operations.writes_pending()
    app = qt_core.QCoreApplication.instance()
    deadline = time.monotonic() + WRITE_DRAIN_SECONDS
    while operations.writes_pending() and app is not None and time.monotonic() < deadline:
        app.processEvents()  # the outcome reaches the UI thread through the event loop
        time.sleep(0.005)
    assert left == 0, (
        f"{left} write(s) of the single writer still queued or running when the test ended: "
        "wait for them, e.g. qtbot.waitUntil(lambda: writes_pending() == 0)")
    writer = operations._writer.pool  # the writer's own thread, made on first use
    if writer is not None:
        assert writer.waitForDone(5000), "the single writer is still busy after the test"
        assert writer.activeThreadCount() == 0


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
