"""The store: one SQLite file, its engine and its sessions.

SQLite runs in WAL mode with `synchronous=FULL` (a committed save survives a power cut), foreign
keys on, `secure_delete` on (deleted content is overwritten, not left in free space), and
pysqlite's own transaction handling turned off so that BEGIN is ours and DDL is transactional
too (the SQLAlchemy "pysqlite begin" recipe). With a passphrase the file is opened through
SQLCipher (see `r2pdesk.crypto`), keyed before any other statement.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlcipher3 import dbapi2 as sqlcipher

from r2pdesk import audit, crypto, errors
from r2pdesk.errors import KnownError
from r2pdesk.i18n import N_, tr
from r2pdesk.orm import Tracked

SQLITE_MAGIC = crypto.SQLITE_MAGIC
DEVICE_KEY = "device_id"
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA secure_delete=ON",
    # 32 MiB of page cache (the default is 2 MiB): a list window of a register of 100,000
    # warnings then reads from memory; the cache only grows as pages are read.
    "PRAGMA cache_size=-32768",
)


def make_engine(
    path: Path | str, passphrase: str | None = None, *, foreign_keys: bool = True
) -> Engine:
    """An engine on one SQLite file with r2pdesk's pragmas and transactional DDL.

    With a passphrase every connection is an SQLCipher one, keyed before anything else runs.
    """
    path = Path(path)
    if passphrase is None:
        engine = create_engine(f"sqlite:///{path}")
    else:
        crypto.check_passphrase_text(passphrase)
        engine = create_engine(
            f"sqlite:///{path}",
            module=sqlcipher,
            creator=lambda: crypto.connect(path, passphrase, check_same_thread=False),
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.execute("PRAGMA foreign_keys=ON" if foreign_keys else "PRAGMA foreign_keys=OFF")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def check_is_sqlite(path: Path, passphrase: str | None = None) -> None:
    """Refuse a file that is not an SQLite database, before anything opens it.

    An encrypted file needs its passphrase, and the right one.
    """
    header = crypto.file_header(path)
    if not header or header == SQLITE_MAGIC:
        return
    if not crypto.is_encrypted(path):
        raise KnownError(crypto.not_a_database(path))
    if passphrase is None:
        raise KnownError(f"{tr(crypto.NEEDS_PASSPHRASE)} ({path})")
    crypto.verify_passphrase(path, passphrase)


def passphrase_for(path: Path, passphrase: str | None) -> str | None:
    """The key to open `path` with: the passphrase for an encrypted file, none for a plain one."""
    return passphrase if crypto.is_encrypted(path) else None


def environment_error(exc: BaseException) -> KnownError | None:
    """A plain message for a fault of the machine (disk full, I/O error, file locked or
    read-only, not a database), known by SQLite's result code; None for anything else."""
    code = errors.sqlite_error_code(exc)
    message = _ENVIRONMENT_MESSAGES.get(code) if code is not None else None
    return KnownError(tr(message)) if message is not None else None


_ENVIRONMENT_MESSAGES = {
    errors.SQLITE_FULL: N_(
        "the disk is full: the change was not saved, and the database is as it was before it; "
        "free some space and try again"),
    errors.SQLITE_IOERR: N_("the disk could not be written (I/O error): the change was not saved"),
    errors.SQLITE_BUSY: N_("another program is writing to the database: try again in a moment"),
    errors.SQLITE_LOCKED: N_("another program is writing to the database: try again in a moment"),
    errors.SQLITE_READONLY: N_(
        "the database file is read-only (or on a disk that cannot be written): the change was "
        "not saved"),
    errors.SQLITE_PERM: N_(
        "this computer does not allow r2pdesk to write the database: the change was not saved"),
    errors.SQLITE_CANTOPEN: N_(
        "the database file cannot be opened: check that it and its folder still exist and can "
        "be written"),
    errors.SQLITE_NOTADB: N_(
        "the file is not an r2pdesk database (not an SQLite file, or encrypted with another "
        "passphrase)"),
    errors.SQLITE_CORRUPT: N_(
        "the database file is damaged: restore it from a backup (File > Restore from backup)"),
}


def _note_deletion(session: Session, _context: object, _instances: object) -> None:
    if any(isinstance(obj, Tracked) for obj in session.deleted):
        session.info["scrub"] = True


def _note_bulk_deletion(state: ORMExecuteState) -> None:
    if state.is_delete:
        state.session.info["scrub"] = True


@dataclass
class Store:
    """An open database: hands out short sessions, one per unit of work."""

    path: Path
    engine: Engine
    actor: audit.Actor
    schema_revision: str
    backup_path: Path | None = None
    passphrase: str | None = field(default=None, repr=False)
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self._factory)
        event.listen(self._factory, "before_flush", _note_deletion)
        event.listen(self._factory, "do_orm_execute", _note_bulk_deletion)

    @property
    def encrypted(self) -> bool:
        """Whether the file is encrypted."""
        return self.passphrase is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        A save that deleted records is followed by a WAL checkpoint, so that with
        `secure_delete` no copy of what was deleted stays in the files.
        """
        session = self._factory(info={"actor": self.actor})
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            known = environment_error(exc)
            if known is None:
                raise
            raise known from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if session.info.pop("scrub", False):
            self.checkpoint()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading only: whatever it holds is rolled back."""
        session = self._factory(info={"actor": self.actor})
        try:
            yield session
        except DBAPIError as exc:
            known = environment_error(exc)
            if known is None:
                raise
            raise known from exc
        finally:
            session.rollback()
            session.close()

    def checkpoint(self) -> None:
        """Copy the WAL into the main file and truncate it: `wal_checkpoint(TRUNCATE)`."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()
            cursor.close()
        finally:
            raw.close()

    def close(self) -> None:
        """Release the file (the last connection's close checkpoints the WAL)."""
        self.engine.dispose()


def device_id(session: Session) -> str:
    """This database's device id, made on first use: it marks what was written on this laptop."""
    from r2pdesk.members.models import Setting  # noqa: PLC0415 - avoids an import cycle

    setting = session.get(Setting, DEVICE_KEY)
    if setting is None:
        setting = Setting(key=DEVICE_KEY, value=uuid.uuid4().hex[:16])
        session.add(setting)
        session.flush()
    return setting.value


def read_setting(session: Session, key: str, default: str = "") -> str:
    """A setting kept in the database, or the default."""
    from r2pdesk.members.models import Setting  # noqa: PLC0415 - avoids an import cycle

    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def write_setting(session: Session, key: str, value: str) -> None:
    """Keep a setting in the database."""
    from r2pdesk.members.models import Setting  # noqa: PLC0415 - avoids an import cycle

    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value
