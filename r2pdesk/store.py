"""The store: one SQLite file, its engine and its sessions.

SQLite runs in WAL mode with `synchronous=FULL` (a committed save survives a power cut), foreign
keys on, and pysqlite's own transaction handling turned off so that BEGIN is ours and DDL is
transactional too (the SQLAlchemy "pysqlite begin" recipe).
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
from sqlalchemy.orm import Session, sessionmaker

from r2pdesk import audit
from r2pdesk.errors import KnownError

SQLITE_MAGIC = b"SQLite format 3\x00"
DEVICE_KEY = "device_id"


def make_engine(path: Path | str, *, foreign_keys: bool = True) -> Engine:
    """An engine on one SQLite file with r2pdesk's pragmas and transactional DDL."""
    engine = create_engine(f"sqlite:///{Path(path)}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def check_is_sqlite(path: Path) -> None:
    """Refuse a file that is not an SQLite database, before anything opens it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise KnownError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_MAGIC:
        raise KnownError(f"{path} is not an r2pdesk database (not an SQLite file)")


@dataclass
class Store:
    """An open database: hands out short sessions, one per unit of work."""

    path: Path
    engine: Engine
    actor: audit.Actor
    schema_revision: str
    backup_path: Path | None = None
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self._factory)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        session = self._factory(info={"actor": self.actor})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading only: whatever it holds is rolled back."""
        session = self._factory(info={"actor": self.actor})
        try:
            yield session
        finally:
            session.rollback()
            session.close()

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
