"""Encryption at rest with SQLCipher: recognising, opening, encrypting and re-keying a database.

An encrypted file is an SQLite database whose every page (the first included) is encrypted by
SQLCipher 4 (AES-256, a key derived from the passphrase with PBKDF2-HMAC-SHA512), and so is its
WAL. Evidence files live inside the database, so they are encrypted with it.

Plain files are opened with Python's own `sqlite3`, encrypted ones with `sqlcipher3`: one file is
only ever opened through one of the two libraries in a process (two SQLite libraries in one
process do not see each other's POSIX locks). The key goes through SQLCipher's C API
(`set_key`, `reset_key`), never through SQL text.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import cast
from urllib.parse import quote

from sqlcipher3 import dbapi2 as sqlcipher

from r2pdesk.errors import SQLITE_NOTADB, KnownError, sqlite_error_code
from r2pdesk.i18n import N_, tr

SQLITE_MAGIC = b"SQLite format 3\x00"
MIN_PAGE = 512  # the smallest page size: an encrypted file is a whole number of pages
# A message, marked for the catalogue: `tr` it where shown.
NEEDS_PASSPHRASE = N_("this database is encrypted: give its passphrase")
# The errors of both libraries (sqlcipher3's are its own classes, not sqlite3's).
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)



def _quiet() -> None:
    """Turn off SQLCipher's log (process-wide): it writes to stderr, and errors reach us anyway."""
    conn = sqlcipher.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
    finally:
        conn.close()


_quiet()


def not_a_database(path: Path) -> str:
    """The message for a file that is not an SQLite database, in the language in use."""
    return tr("{path} is not an r2pdesk database (not an SQLite file)").format(path=path)


def file_header(path: Path) -> bytes:
    """The first bytes of a file (empty for an empty file)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise KnownError(tr("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from exc


def is_encrypted(path: Path) -> bool:
    """Whether a file looks like an SQLCipher database: whole pages of what reads as noise."""
    if not path.is_file():
        return False
    size = path.stat().st_size
    if size < MIN_PAGE or size % MIN_PAGE:
        return False
    return file_header(path) != SQLITE_MAGIC


def check_passphrase_text(passphrase: str) -> str:
    """Refuse a passphrase SQLCipher would misread; return it unchanged."""
    if not passphrase:
        raise KnownError(tr("the passphrase is empty"))
    if "\x00" in passphrase:
        raise KnownError(tr("the passphrase contains a NUL character"))
    return passphrase


def connect(
    path: Path, passphrase: str | None = None, *, readonly: bool = False,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A DB-API connection to `path`: keyed with SQLCipher when a passphrase is given.

    The connection is typed as `sqlite3.Connection`: sqlcipher3's has the same interface.
    `check_same_thread=False` lets a pool hand it to another thread (one at a time).
    """
    target = f"file:{quote(str(path))}?mode=ro" if readonly else str(path)
    if passphrase is None:
        return sqlite3.connect(target, uri=readonly, isolation_level=None,
                               check_same_thread=check_same_thread)
    conn = sqlcipher.connect(target, uri=readonly, isolation_level=None,
                             check_same_thread=check_same_thread)
    conn.set_key(check_passphrase_text(passphrase))
    return cast("sqlite3.Connection", conn)


def open_checked(
    path: Path, passphrase: str | None, *, readonly: bool = False
) -> sqlite3.Connection:
    """A connection whose key has been tried: a wrong passphrase is a plain error."""
    conn = connect(path, passphrase, readonly=readonly)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DB_ERRORS as exc:
        conn.close()
        if passphrase is not None and sqlite_error_code(exc) == SQLITE_NOTADB:
            raise KnownError(tr("wrong passphrase for {path}").format(path=path)) from exc
        raise KnownError(tr("{path} cannot be read as a database: {error}").format(
            path=path, error=exc)) from exc
    return conn


def verify_passphrase(path: Path, passphrase: str) -> None:
    """Raise `KnownError` unless `passphrase` opens the encrypted file at `path`.

    Opened for writing (a wrong key cannot write anything), so that closing it removes the
    -wal and -shm files that reading a WAL database makes.
    """
    open_checked(path, passphrase).close()


def _integrity(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA integrity_check").fetchone()
    return str(row[0]) if row else "no answer"


def _export(source: sqlite3.Connection, target: Path, passphrase: str) -> None:
    """Copy every table, index and row of `source` into a new file encrypted with `passphrase`."""
    source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), passphrase))
    try:
        source.execute("SELECT sqlcipher_export('encrypted')").fetchall()
    finally:
        source.execute("DETACH DATABASE encrypted")


def _swap_in(new: Path, path: Path, aside: Path) -> None:
    """Replace `path` with `new` in one rename, the old file (with its WAL folded in) kept aside."""
    with contextlib.suppress(FileNotFoundError):
        os.link(path, aside)
    new.replace(path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fold_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Write the WAL back into the main file and drop it, so no stale log outlives a swap."""
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchall()
    except DB_ERRORS as exc:
        raise KnownError(tr("{path} is in use by another program: {error}").format(
            path=path, error=exc)) from exc


def encrypt_database(path: Path, passphrase: str) -> Path:
    """Encrypt the plain database at `path` in place; return the plain copy kept until verified.

    The encrypted copy is written beside it with `sqlcipher_export`, checked (integrity, same
    tables and row counts), then renamed over the original. The plain original is removed once
    the encrypted file has opened with the passphrase; if anything fails it is left as it was.
    """
    check_passphrase_text(passphrase)
    if file_header(path) != SQLITE_MAGIC:
        if is_encrypted(path):
            raise KnownError(tr("{path} is already encrypted").format(path=path))
        raise KnownError(not_a_database(path))
    work = path.with_name(path.name + ".encrypting")
    aside = path.with_name(path.name + ".plain-until-verified")
    for leftover in (work, aside):
        leftover.unlink(missing_ok=True)
    plain = sqlcipher.connect(str(path), isolation_level=None)  # no key: reads the plain file
    try:
        fold_wal(cast("sqlite3.Connection", plain), path)
        _export(cast("sqlite3.Connection", plain), work, passphrase)
        counts = _row_counts(cast("sqlite3.Connection", plain))
    except Exception:
        work.unlink(missing_ok=True)
        raise
    finally:
        plain.close()
    _check_copy(work, passphrase, counts)
    _swap_in(work, path, aside)
    try:
        verify_passphrase(path, passphrase)
    except KnownError:
        aside.replace(path)  # put the plain original back
        raise
    aside.unlink(missing_ok=True)
    return path


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    counts: dict[str, int] = {}
    for name in names:
        # A table name cannot be a bound parameter; these come from sqlite_master, quoted.
        statement = 'SELECT count(*) FROM "' + name.replace('"', '""') + '"'  # noqa: S608
        counts[name] = int(conn.execute(statement).fetchone()[0])
    return counts


def _check_copy(work: Path, passphrase: str, counts: dict[str, int]) -> None:
    try:
        conn = open_checked(work, passphrase)
        try:
            status = _integrity(conn)
            copied = _row_counts(conn)
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
        finally:
            conn.close()
        if status != "ok" or copied != counts:
            raise KnownError(
                tr("the encrypted copy of the database does not check out ({status})").format(
                    status=status))
    except Exception:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)
        raise


def rekey(path: Path, old: str, new: str) -> None:
    """Change the passphrase of an encrypted database (every page is re-encrypted in place)."""
    check_passphrase_text(new)
    if not is_encrypted(path):
        raise KnownError(tr("{path} is not encrypted: encrypt it first").format(path=path))
    conn = open_checked(path, old)
    try:
        fold_wal(conn, path)  # SQLCipher re-keys the main file; the WAL must be empty first
        cast("sqlcipher.Connection", conn).reset_key(new)
        conn.execute("PRAGMA journal_mode=WAL").fetchall()
    finally:
        conn.close()
    verify_passphrase(path, new)


def copy_database(
    source: Path,
    target: Path,
    passphrase: str | None = None,
    *,
    conn: sqlite3.Connection | None = None,
) -> None:
    """A consistent copy through SQLite's online backup API, WAL included, never a file copy.

    With a passphrase both ends are keyed with it, so the copy of an encrypted database is
    encrypted too. `conn`, when given, is an open connection to `source` to read through.
    """
    src = conn if conn is not None else open_checked(source, passphrase, readonly=True)
    try:
        dst = connect(target, passphrase)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        if conn is None:
            src.close()
