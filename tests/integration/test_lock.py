"""One writer per database: a second opener is told who holds it; a stale lock is recovered."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from r2pdesk import lock
from r2pdesk.errors import KnownError

HOLDER = r"""
import subprocess, sys, time
from pathlib import Path
from r2pdesk import lock

held = lock.acquire(Path(sys.argv[1]), "Amira Solden")
if sys.argv[2] == "orphan":  # leave the lock with a child that outlives us
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                              pass_fds=[held._fd], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print("locked", orphan.pid, flush=True)
    sys.exit(0)
print("locked", flush=True)
sys.stdin.readline()
held.release()
print("released", flush=True)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def holder(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's lock, as Amira Solden."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), "hold"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()


def test_a_second_opener_is_told_who_holds_it(db_path: Path, holder: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    with pytest.raises(lock.LockedError) as refused:
        lock.acquire(db_path, "Second Member")
    assert time.monotonic() - started < 1.0
    message = str(refused.value)
    assert f"opened by Amira Solden on host {socket.gethostname()} since " in message
    assert f"(process {holder.pid})" in message
    assert isinstance(refused.value, KnownError)


def test_the_lock_is_free_again_when_released(db_path: Path, holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    assert holder.stdout is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "released"
    with lock.acquire(db_path, "Second Member") as held:
        assert held.held
        info = json.loads(lock.lock_path(db_path).read_text())
        assert info["member"] == "Second Member"
        assert info["pid"] == os.getpid()
    assert not lock.lock_path(db_path).exists()


def test_a_lock_left_by_a_killed_process_is_recovered(
    db_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert lock.read_holder(db_path) is not None  # the file is still there, naming the dead
    with lock.acquire(db_path, "After the crash"):
        assert lock.read_holder(db_path).member == "After the crash"  # type: ignore[union-attr]


def test_a_lock_held_for_a_dead_process_is_recovered(db_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", HOLDER, str(db_path), "orphan"],
                            capture_output=True, text=True, timeout=60, check=True)
    word, orphan = result.stdout.split()
    assert word == "locked"
    try:
        dead = lock.read_holder(db_path)
        assert dead is not None
        assert dead.pid != int(orphan)  # the file names the holder that exited
        with lock.acquire(db_path, "Recovered"):
            assert lock.read_holder(db_path).member == "Recovered"  # type: ignore[union-attr]
    finally:
        os.kill(int(orphan), signal.SIGKILL)  # the child that still holds the old lock


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "r2pdesk", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_cli_writes_nothing_while_another_holds_the_lock(
    db_path: Path, holder: subprocess.Popen[str]
) -> None:
    before = digest(db_path)
    started = time.monotonic()
    refused = cli("--db", str(db_path), "init", "--demo")
    assert time.monotonic() - started < 10  # Python's start-up included; the lock is not waited
    assert refused.returncode == 1
    assert "opened by Amira Solden on host" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert digest(db_path) == before
    read = cli("--db", str(db_path), "stats", "--json")  # reading takes no lock
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["institutions"] == 0
