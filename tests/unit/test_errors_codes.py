"""Faults of the machine are known by SQLite's result code, not by the words of its message:
real SQLite errors (a full database, a read-only file, a locked one, a file that is not a
database) become plain `KnownError`s; a bug stays a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from r2pdesk import errors
from r2pdesk.errors import KnownError, sqlite_error_code
from r2pdesk.members.models import Setting
from r2pdesk.startup import open_store
from r2pdesk.store import Store, environment_error


def raised(action: object) -> BaseException:
    with pytest.raises((sqlite3.Error, DBAPIError)) as info:
        action()  # type: ignore[operator]
    return info.value


def table(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.commit()
    conn.close()


def test_a_full_database_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    table(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA max_page_count = 3")  # SQLite's own limit: the disk is "full"
    exc = raised(lambda: conn.executemany("INSERT INTO t VALUES (?)",
                                          [("x" * 1000,) for _ in range(50)]))
    conn.close()
    assert sqlite_error_code(exc) == errors.SQLITE_FULL
    known = environment_error(exc)
    assert known is not None
    assert str(known).startswith("the disk is full")


def test_a_read_only_file_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    table(path)
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with engine.connect() as conn:
        exc = raised(lambda: conn.execute(text("INSERT INTO t VALUES ('x')")))
    engine.dispose()
    assert isinstance(exc, DBAPIError)  # SQLAlchemy's wrapper: the code is on `.orig`
    assert sqlite_error_code(exc) == errors.SQLITE_READONLY
    known = environment_error(exc)
    assert known is not None
    assert "read-only" in str(known)


def test_a_file_that_is_not_a_database_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are meeting notes, not a database " * 100)
    conn = sqlite3.connect(path)
    exc = raised(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    conn.close()
    assert sqlite_error_code(exc) == errors.SQLITE_NOTADB
    known = environment_error(exc)
    assert known is not None
    assert "not an r2pdesk database" in str(known)


def test_a_locked_database_refuses_a_save_plainly(tmp_path: Path, db_path: Path) -> None:
    store: Store = open_store(db_path, member="tester")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than we wait
    try:
        with (pytest.raises(KnownError, match="another program is writing") as info,
              store.session() as session):
            session.add(Setting(key="committee_name", value="Committee"))
        assert sqlite_error_code(info.value) == errors.SQLITE_BUSY
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with store.session() as session:  # once the other program is done, the save goes through
        session.add(Setting(key="committee_name", value="Committee"))
    store.close()


def test_extended_codes_count_by_their_primary_code() -> None:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = errors.SQLITE_IOERR | (3 << 8)  # SQLITE_IOERR_WRITE
    exc.sqlite_errorname = "SQLITE_IOERR_WRITE"
    assert sqlite_error_code(exc) == errors.SQLITE_IOERR
    known = environment_error(exc)
    assert known is not None
    assert "I/O error" in str(known)


def test_the_words_of_a_message_decide_nothing() -> None:
    # A translated SQLite, or a message from elsewhere: only the code counts.
    worded = sqlite3.OperationalError("database or disk is full")
    assert sqlite_error_code(worded) is None
    assert environment_error(worded) is None
    coded = sqlite3.OperationalError("le disque est plein")
    coded.sqlite_errorcode = errors.SQLITE_FULL
    assert environment_error(coded) is not None


def test_a_bug_stays_a_bug(db_path: Path) -> None:
    store = open_store(db_path, member="tester")
    with pytest.raises(DBAPIError) as info, store.session() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    assert sqlite_error_code(info.value) == 1  # SQLITE_ERROR: a mistake in r2pdesk, not the disk
    assert environment_error(info.value) is None
    store.close()


def test_the_code_is_found_through_the_exception_chain() -> None:
    inner = sqlite3.OperationalError("database is locked")
    inner.sqlite_errorcode = errors.SQLITE_LOCKED

    def save() -> None:
        try:
            raise inner
        except sqlite3.Error as exc:
            raise RuntimeError("while saving") from exc

    with pytest.raises(RuntimeError) as info:
        save()
    assert sqlite_error_code(info.value) == errors.SQLITE_LOCKED
