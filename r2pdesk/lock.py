"""One writer per database: a lock file beside it says who has it open.

`<db>.lock` holds the holder's pid, host, member name and start time, and is locked with
`fcntl.flock` (POSIX) or `msvcrt.locking` (Windows), never waited for. The operating system
drops the lock when its process dies, however it dies, so a lock file left by a crash is
simply taken over. A lock held by a process that is gone (an inherited descriptor) on this
host is recovered by replacing the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr

READ_TRIES = 5
WIN_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: one far past the text, so it stays readable


class LockedError(KnownError):
    """The database is open elsewhere: the message says by whom, where, since when."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        self.holder = holder
        if holder is None:
            super().__init__(tr("{path} is open in another r2pdesk").format(path=path))
        else:
            super().__init__(tr("{path} is opened by {holder}").format(
                path=path, holder=holder.describe()))


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as written in the lock file."""

    pid: int
    host: str
    member: str
    started: str  # ISO 8601, local time

    def describe(self) -> str:
        """'Amira Solden on host X since 09:12 (process 4242)', in the language in use."""
        who = self.member or tr("someone")
        try:
            since = datetime.fromisoformat(self.started).strftime("%H:%M")
        except ValueError:
            since = "?"
        return tr("{who} on host {host} since {time} (process {pid})").format(
            who=who, host=self.host, time=since, pid=self.pid)


def lock_path(db: Path) -> Path:
    """The lock file of a database: `<db>.lock` beside it."""
    return db.with_name(db.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        os.lseek(fd, WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl  # noqa: PLC0415 - POSIX only

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        os.lseek(fd, WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(path: Path) -> Holder | None:
    """Who the lock file names, or None when it names no one readable."""
    for _ in range(READ_TRIES):  # the holder may be writing it this very moment
        try:
            data = json.loads(lock_path(path).read_text(encoding="utf-8"))
            return Holder(int(data["pid"]), str(data["host"]), str(data["member"]),
                          str(data["started"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True


def _is_stale(holder: Holder | None) -> bool:
    """A lock held by a process of this host that no longer exists."""
    return (holder is not None and holder.host == socket.gethostname()
            and holder.pid != os.getpid() and not _alive(holder.pid))


class DatabaseLock:
    """The lock on one database, held until `release` (or the process ends)."""

    def __init__(self, db: Path, member: str = "") -> None:
        self.db = db
        self.path = lock_path(db)
        self.member = member
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock at once, or raise `LockedError` naming the holder."""
        for _ in range(2):  # a second round after recovering a stale lock
            fd = self._open_and_lock()
            if fd is not None:
                self._fd = fd
                self._write_holder()
                return self
            holder = read_holder(self.db)
            if not _is_stale(holder):
                raise LockedError(self.db, holder)
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # its holder is dead: a fresh file, a fresh lock
        raise LockedError(self.db, read_holder(self.db))

    def _open_and_lock(self) -> int | None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise KnownError(tr("cannot create the lock file {path}: {reason}").format(
                path=self.path, reason=exc.strerror or exc)) from exc
        if not _try_lock(fd):
            os.close(fd)
            return None
        try:  # the file may have been replaced between our open and our lock
            same = os.path.samestat(os.fstat(fd), self.path.stat())
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            return self._open_and_lock()
        return fd

    def _write_holder(self) -> None:
        assert self._fd is not None
        text = json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "member": self.member,
            "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        })
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, text.encode())
        os.fsync(self._fd)

    def release(self) -> None:
        """Give the lock up and remove the lock file."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):  # Windows keeps an open file: it stays, unlocked
            self.path.unlink()
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self if self.held else self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire(db: Path, member: str = "") -> DatabaseLock:
    """Take the lock of a database for this process; see `DatabaseLock.acquire`."""
    return DatabaseLock(Path(db).expanduser(), member).acquire()
