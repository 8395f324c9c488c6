"""r2pdesk never opens a socket: the CLI and the app's modules run with Python's sockets refused.

A `sitecustomize` module put on the subprocess's PYTHONPATH replaces `socket.socket`,
`socket.create_connection` and `socket.getaddrinfo` with functions that write the attempt to a
log and raise; the test runs the CLI's commands and imports every module of the app and the
core, and the log must stay empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.databases import copy_database

SITECUSTOMIZE = '''
import os, socket, traceback

_LOG = os.environ["R2PDESK_NETWORK_LOG"]


def _refuse(*args, **kwargs):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write("network use: " + repr(args)[:200] + "\\n")
        log.write("".join(traceback.format_stack(limit=8)) + "\\n")
    raise OSError("the network is off limits in this test")


class _Refused(socket.socket):
    def __init__(self, *args, **kwargs):
        _refuse(*args)


socket.socket = _Refused
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''

IMPORT_ALL = r"""
import importlib, pkgutil
import r2pdesk, ui
for package in (r2pdesk, ui):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
import socket
try:
    socket.create_connection(("127.0.0.1", 9))
except OSError:
    print("refused as expected")
"""


@pytest.fixture
def offline(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python refuses sockets, and the log of attempts."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(Path.cwd())]),
        "R2PDESK_NETWORK_LOG": str(log),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env, log


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180,
                          env=env, check=False)


def attempts(log: Path) -> str:
    return log.read_text() if log.exists() else ""


def test_the_guard_itself_sees_an_attempt(offline: tuple[dict[str, str], Path]) -> None:
    env, log = offline
    result = run(env, "-c", IMPORT_ALL)
    assert result.returncode == 0, result.stderr
    assert "refused as expected" in result.stdout
    assert attempts(log).count("network use") == 1  # the test's own, deliberate attempt


def test_the_cli_opens_no_socket(
    offline: tuple[dict[str, str], Path], tmp_path: Path, demo_template: Path
) -> None:
    env, log = offline
    db = tmp_path / "x.db"
    key = tmp_path / "key.txt"
    key.write_text("offline passphrase\n")
    demo = copy_database(demo_template, tmp_path / "demo.db")
    commands = [
        ("--db", str(db), "init", "--demo"),
        ("--db", str(db), "stats", "--json"),
        ("--db", str(db), "recs", "--overdue"),
        ("--db", str(db), "audit", "verify"),
        ("--db", str(db), "backup", "--out", str(tmp_path / "copy.db")),
        ("--db", str(demo), "encrypt", "--passphrase-file", str(key)),
        ("--db", str(demo), "warnings", "--passphrase-file", str(key)),
        ("--db", str(demo), "report", "implementation", "--out", str(tmp_path / "n.pdf"),
         "--passphrase-file", str(key)),
    ]
    for command in commands:
        result = run(env, "-m", "r2pdesk", *command)
        assert result.returncode == 0, (command, result.stderr)
    assert attempts(log) == ""
