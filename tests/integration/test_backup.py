"""Backups through the online backup API, rotation, and a restore that checks before it replaces."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from r2pdesk import backup, crypto
from r2pdesk.errors import KnownError
from r2pdesk.institutions.models import Institution
from r2pdesk.startup import open_store
from r2pdesk.store import Store

PASSPHRASE = "keys under the mat"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(store: Store) -> set[str]:
    with store.reader() as session:
        return set(session.scalars(select(Institution.name)))


def add(store: Store, name: str) -> None:
    with store.session() as session:
        session.add(Institution(name=name))


def test_backup_of_an_open_store_holds_the_last_commit(store: Store, tmp_path: Path) -> None:
    add(store, "Committed just now")  # still in the WAL: a file copy would miss it
    assert Path(f"{store.path}-wal").stat().st_size > 0
    out = backup.backup(store, tmp_path / "copy.db")
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = conn.execute("SELECT count(*) FROM institution WHERE name = ?",
                             ("Committed just now",)).fetchone()[0]
    finally:
        conn.close()
    assert found == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) \
        == ["copy.db"]


def test_backup_of_an_encrypted_store_is_encrypted(tmp_path: Path) -> None:
    store = open_store(tmp_path / "secret.db", member="tester", passphrase=PASSPHRASE)
    try:
        add(store, "Office of the Ombudsman")
        out = backup.backup(store, tmp_path / "secret-copy.db")
    finally:
        store.close()
    assert crypto.is_encrypted(out)
    assert b"Ombudsman" not in out.read_bytes()
    copy = open_store(out, passphrase=PASSPHRASE)
    try:
        assert "Office of the Ombudsman" in names(copy)
    finally:
        copy.close()


def test_backup_refuses_a_missing_folder(store: Store, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="there is no folder"):
        backup.backup(store, tmp_path / "nowhere" / "copy.db")


def test_rotation_keeps_the_newest(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "rotating"
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    made = [backup.rotate(store, folder, keep=3, now=start + timedelta(days=day))
            for day in range(5)]
    assert backup.auto_backups(folder, store.path.stem) == made[-3:]
    assert not backup.backup_due(store, folder, now=start + timedelta(days=4, hours=23))
    assert backup.backup_due(store, folder, now=start + timedelta(days=5))
    again = backup.rotate(store, folder, keep=3, now=start + timedelta(days=4))  # same second
    assert again != made[-1]
    assert len(backup.auto_backups(folder, store.path.stem)) == 3


def test_restore_replaces_the_database_and_keeps_the_old_one(store: Store, tmp_path: Path) -> None:
    add(store, "Before the backup")
    saved = backup.backup(store, tmp_path / "saved.db")
    add(store, "After the backup")
    store.close()
    aside = backup.restore(saved, store.path)
    reopened = open_store(store.path)
    try:
        assert "Before the backup" in names(reopened)
        assert "After the backup" not in names(reopened)
    finally:
        reopened.close()
    kept = open_store(aside)
    try:
        assert "After the backup" in names(kept)
    finally:
        kept.close()


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 8192):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def forge_audit(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_entry SET actor = 'forger' WHERE seq = 1")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [(damage, "was refused"), (forge_audit, "audit trail of it is broken at entry 1")],
)
def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    store: Store, tmp_path: Path, spoil: object, message: str
) -> None:
    add(store, "Still here")
    saved = backup.backup(store, tmp_path / "saved.db")
    store.close()
    spoil(saved)  # type: ignore[operator]
    before = digest(store.path)
    listing = sorted(store.path.parent.iterdir())
    with pytest.raises(KnownError, match=message) as refused:
        backup.restore(saved, store.path)
    assert "nothing was changed" in str(refused.value)
    assert digest(store.path) == before
    assert sorted(store.path.parent.iterdir()) == listing


def test_restore_of_what_is_not_a_backup(store: Store, tmp_path: Path) -> None:
    store.close()
    text = tmp_path / "notes.db"
    text.write_text("minutes")
    before = digest(store.path)
    with pytest.raises(KnownError, match="not an SQLite file"):
        backup.restore(text, store.path)
    with pytest.raises(KnownError, match="there is no backup"):
        backup.restore(tmp_path / "absent.db", store.path)
    assert digest(store.path) == before


def test_restore_of_an_encrypted_backup_needs_its_passphrase(tmp_path: Path) -> None:
    store = open_store(tmp_path / "secret.db", member="tester", passphrase=PASSPHRASE)
    add(store, "Encrypted record")
    saved = backup.backup(store, tmp_path / "saved.db")
    store.close()
    with pytest.raises(KnownError, match="wrong passphrase"):
        backup.restore(saved, store.path, "guess")
    backup.restore(saved, store.path, PASSPHRASE)
    reopened = open_store(store.path, passphrase=PASSPHRASE)
    try:
        with reopened.reader() as session:
            assert session.scalar(select(func.count()).select_from(Institution)) == 1
    finally:
        reopened.close()


def _full_disk_error(tmp_path: Path) -> sqlite3.Error:
    """What SQLite raises when the file may not grow any more (SQLITE_FULL), for real."""
    conn = sqlite3.connect(tmp_path / "small.db")
    conn.execute("PRAGMA max_page_count = 2")
    conn.execute("CREATE TABLE t (x)")
    try:
        with pytest.raises(sqlite3.Error) as raised:
            conn.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 100)
    finally:
        conn.close()
    return raised.value


def test_a_full_disk_is_told_by_its_code_not_its_words(tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    full = _full_disk_error(tmp_path)
    assert "the disk is full" in str(backup._disk_error(full, out))
    # The OS says so in the user's language: the error number tells, not the words.
    no_space = OSError(28, "Plus d'espace disponible sur le périphérique")
    assert "the disk is full" in str(backup._disk_error(no_space, out))
    other = sqlite3.OperationalError("the disk is full, or so the text claims")
    told = str(backup._disk_error(other, out))
    assert told.startswith(f"cannot write the backup {out}")


def test_restarts_within_the_interval_make_one_backup(tmp_path: Path) -> None:
    # Five starts and closes in ten minutes, each a new process on the same file: the age of the
    # newest backup comes from the folder, so only the first is made; a day later one more.
    path = tmp_path / "committee.db"
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    day = timedelta(hours=24)
    made: list[Path | None] = []
    for minute in (0, 2, 4, 6, 8, 10, 24 * 60 + 1):
        store = open_store(path, member="tester")
        try:
            at = start + timedelta(minutes=minute)
            made.append(backup.rotate_when_due(store, keep=7, every=day, now=at))  # start
            add(store, f"Office {minute}")
            made.append(backup.rotate_when_due(store, keep=7, every=day,  # close
                                               now=at + timedelta(seconds=30)))
        finally:
            store.close()
    kept = backup.auto_backups(path.parent / "backups", path.stem)
    assert [p for p in made if p is not None] == kept
    assert len(kept) == 2
    assert made[0] == kept[0]  # the first start
    assert made[-2] == kept[1]  # the next day's start


def test_the_app_backs_up_on_closing_only_when_due(tmp_path: Path) -> None:
    from ui.app import close_store, rotate_backup

    path = tmp_path / "committee.db"
    every = timedelta(hours=24)
    for attempt in range(3):
        store = open_store(path, member="tester")
        rotate_backup(store, 7, every)  # as the app does once its window is open
        add(store, f"Office {attempt}")
        close_store(store, 7, every)  # as the app does when it ends
    assert len(backup.auto_backups(path.parent / "backups", path.stem)) == 1
