"""Backups: copies through SQLite's online backup API, rotated, and a restore that checks first.

A backup is never a file copy of a live database: SQLite's backup API reads a consistent
snapshot, WAL included, while the app may still be writing. The copy of an encrypted database is
keyed with the same passphrase, so it is encrypted too. A restore checks the backup (integrity,
schema, audit trail) before it replaces anything, and keeps the file it replaces.

Both take an optional `progress(done, total)` callback, called as the copy goes a few pages at a
time; whatever it raises (a cancel) ends the work there: no partial file is left, the source and
the target are as they were, and the exception goes on unchanged.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session
from sqlcipher3 import dbapi2 as sqlcipher

from r2pdesk import crypto, migrate
from r2pdesk.audit import count_entries, verify_chain
from r2pdesk.errors import SQLITE_FULL, KnownError, sqlite_error_code
from r2pdesk.store import Store, check_is_sqlite, make_engine, passphrase_for

AUTO_PREFIX = "auto"
STAMP = "%Y%m%dT%H%M%S"
_AUTO = re.compile(r"-auto-(\d{8}T\d{6})(?:-\d+)?\.db$")


@dataclass(frozen=True)
class BackupCheck:
    """What checking a backup found: it is sound when `problem` is None."""

    path: Path
    schema_revision: str | None
    audit_entries: int
    problem: str | None = None


def _disk_error(exc: Exception, out: Path) -> KnownError:
    """A failed copy as a plain message: a full disk is told by SQLite's result code or, for the
    file operations around the copy, by the OS's error number, never by the message's words."""
    full = sqlite_error_code(exc) == SQLITE_FULL or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))
    if full:
        return KnownError(f"the disk is full: the backup {out} was not written")
    return KnownError(f"cannot write the backup {out}: {exc}")


def backup(
    source: Store | Path, out: Path, passphrase: str | None = None, *,
    progress: migrate.Progress | None = None,
) -> Path:
    """Copy a database (an open store or a file) to `out` through the online backup API.

    The copy is written beside `out` and renamed onto it only once it is whole and checked;
    `progress(pages copied, pages)` is called after each step of the copy and once checked.
    """
    out = Path(out).expanduser()
    if out.is_dir():
        raise KnownError(f"cannot write the backup {out}: it is a folder")
    if not out.parent.is_dir():
        raise KnownError(f"cannot write the backup {out}: there is no folder {out.parent}")
    part = out.with_name(f".{out.name}.{os.getpid()}.part")
    part.unlink(missing_ok=True)
    seen = _Seen(progress)
    try:
        if isinstance(source, Store) and source.encrypted:
            # An SQLCipher connection serves only the thread that made it: one of our own.
            key = source.passphrase
            migrate.sqlite_copy(source.path, part, key, progress=seen.relay)
        elif isinstance(source, Store):
            key = source.passphrase
            raw = source.engine.raw_connection()
            try:
                migrate.sqlite_copy(source.path, part, key, conn=raw.driver_connection,
                                    progress=seen.relay)
            finally:
                raw.close()
        else:
            key = passphrase_for(source, passphrase)
            check_is_sqlite(source, key)
            migrate.sqlite_copy(source, part, key, progress=seen.relay)
        _check_integrity(part, key, standalone=True)
        seen.again()  # a cancel asked during the check still leaves nothing behind
        part.replace(out)
    except (sqlite3.Error, sqlcipher.Error, OSError) as exc:
        raise _disk_error(exc, out) from exc
    finally:
        _clear(part)
    return out


class _Seen:
    """Passes a copy's progress on and remembers the last figures, to give them again."""

    def __init__(self, progress: migrate.Progress | None, scale: int = 1) -> None:
        self.progress, self.scale = progress, scale
        self.done, self.total = 0, 0
        self.relay: migrate.Progress | None = None if progress is None else self._relay

    def _relay(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.progress is not None:
            self.progress(done, total * self.scale)

    def again(self, done: int | None = None) -> None:
        """Report once more (`done` out of the scaled total, or as last time)."""
        if self.progress is not None:
            total = max(self.total, 1) * self.scale
            self.progress(self.done if done is None else min(done, total), total)


def _check_integrity(path: Path, passphrase: str | None, *, standalone: bool = False) -> None:
    """Raise unless `path` passes `PRAGMA integrity_check`.

    `standalone` also turns a fresh copy into a one-file database (rollback journal), so that
    reading the backup later leaves no -wal or -shm file beside it.
    """
    conn = crypto.open_checked(path, passphrase, readonly=not standalone)
    try:
        if standalone:
            crypto.fold_wal(conn, path)
        status = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
    if status != "ok":
        raise KnownError(f"{path} fails the integrity check: {status}")


def auto_backups(folder: Path, stem: str) -> list[Path]:
    """The rotating backups of the database named `stem` in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{stem}-{AUTO_PREFIX}-*.db") if _AUTO.search(p.name)]
    return sorted(found, key=lambda p: p.name)


def rotate(
    store: Store, folder: Path | None = None, *, keep: int = 7, now: datetime | None = None,
    progress: migrate.Progress | None = None,
) -> Path:
    """Make a new rotating backup of `store` in `folder` and keep only the newest `keep`."""
    if keep < 1:
        raise KnownError("keep at least one backup")
    folder = folder if folder is not None else migrate.backup_dir(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime(STAMP)
    out = folder / f"{store.path.stem}-{AUTO_PREFIX}-{stamp}.db"
    serial = 1
    while out.exists():
        out = folder / f"{store.path.stem}-{AUTO_PREFIX}-{stamp}-{serial}.db"
        serial += 1
    backup(store, out, progress=progress)
    for old in auto_backups(folder, store.path.stem)[:-keep]:
        old.unlink(missing_ok=True)
    return out


def backup_due(
    store: Store, folder: Path | None = None, *, every: timedelta = timedelta(days=1),
    now: datetime | None = None,
) -> bool:
    """Whether the newest rotating backup is older than `every` (or there is none)."""
    folder = folder if folder is not None else migrate.backup_dir(store.path)
    existing = auto_backups(folder, store.path.stem)
    if not existing:
        return True
    match = _AUTO.search(existing[-1].name)
    if match is None:  # pragma: no cover - auto_backups only lists matching names
        return True
    last = datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - last >= every


def rotate_when_due(
    store: Store, *, keep: int, every: timedelta, folder: Path | None = None,
    now: datetime | None = None,
) -> Path | None:
    """A rotating backup only when the newest one is at least `every` old (None when none was
    due).

    The age comes from the newest file in the folder, so it holds across restarts: starting and
    closing the app five times in ten minutes makes one backup, not five.
    """
    if not backup_due(store, folder, every=every, now=now):
        return None
    return rotate(store, folder, keep=keep, now=now)


def check_copy(path: Path, key: str | None) -> BackupCheck:
    """Check a staged copy of a backup: intact, a known schema, an audit trail that holds.

    It opens the copy with the store's pragmas (WAL mode), so it is given a copy, never the
    user's backup file itself.
    """
    try:
        _check_integrity(path, key)
        revision = migrate.current_revision(path, key)
    except KnownError as exc:
        return BackupCheck(path, None, 0, str(exc))
    if revision is None or revision not in migrate.known_revisions():
        return BackupCheck(path, revision, 0, f"{path} is not an r2pdesk database this "
                                              "version can open")
    engine = make_engine(path, key)  # read only: nothing here writes
    try:
        with Session(engine) as session:
            broken = verify_chain(session)
            entries = count_entries(session)
            session.rollback()
    finally:
        engine.dispose()
    if broken is not None:
        return BackupCheck(path, revision, entries,
                           f"the audit trail of {path} is broken at entry {broken}")
    return BackupCheck(path, revision, entries)


def restore(
    backup_file: Path, target: Path, passphrase: str | None = None, *,
    progress: migrate.Progress | None = None,
) -> Path:
    """Replace `target` by a checked copy of `backup_file`; return where the old file was kept.

    Nothing is replaced unless the backup passes `check_backup`. The copy is staged beside the
    target and renamed over it in one step; the replaced file goes to the backups folder.
    `progress` hears of the copy (the first half) and of the check; what it raises before the
    swap leaves the target as it was.
    """
    backup_file = Path(backup_file).expanduser()
    target = Path(target).expanduser()
    if not backup_file.is_file():
        raise KnownError(f"there is no backup at {backup_file}")
    key = passphrase_for(backup_file, passphrase)
    check_is_sqlite(backup_file, key)
    staged = target.with_name(target.name + ".restoring")
    _clear(staged)
    seen = _Seen(progress, scale=2)  # the copy, then the check of the copy
    try:
        migrate.sqlite_copy(backup_file, staged, key, progress=seen.relay)
        checked = check_copy(staged, key)
        seen.again(2 * seen.total)  # the last moment a cancel leaves the target as it was
    except crypto.DB_ERRORS as exc:
        checked = BackupCheck(staged, None, 0, f"it cannot be read ({exc})")
    except Exception:
        _clear(staged)
        raise
    if checked.problem is not None:
        _clear(staged)
        problem = checked.problem.replace(str(staged), "it")
        raise KnownError(f"the backup {backup_file} was refused: {problem}; nothing was changed")
    aside = _put_aside(target)
    staged.replace(target)
    _clear(Path(f"{staged}-wal"), Path(f"{staged}-shm"))
    return aside


def _clear(*paths: Path) -> None:
    for path in paths:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)


def _put_aside(target: Path) -> Path:
    """Keep the file about to be replaced in the backups folder, with its WAL.

    The caller holds the database's lock, so nothing has the file open: the file and its WAL
    moved together still make the same database, and the WAL is never replayed on the new one.
    """
    folder = migrate.backup_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    aside = folder / f"{target.stem}-replaced-{datetime.now(UTC).strftime(STAMP)}.db"
    if target.exists():
        try:
            os.link(target, aside)  # the name stays on the old file until the rename
        except OSError:  # no hard links (a FAT stick): a copy of a closed file
            shutil.copy2(target, aside)
    wal = Path(f"{target}-wal")
    if wal.exists():
        wal.replace(Path(f"{aside}-wal"))
    Path(f"{target}-shm").unlink(missing_ok=True)
    return aside
