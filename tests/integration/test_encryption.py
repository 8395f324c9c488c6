"""Encryption at rest: an encrypted file shows nothing without its passphrase, opens with it."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from r2pdesk import crypto, migrate
from r2pdesk.audit import verify_chain
from r2pdesk.errors import KnownError, MigrationError
from r2pdesk.institutions.models import Institution
from r2pdesk.sources.attachments import EvidenceFile, load_attachment, save_attachment
from r2pdesk.sources.models import Confidentiality, Source, SourceKind
from r2pdesk.startup import open_store
from tests.helpers.databases import copy_database

PASSPHRASE = "seven ravens over Ostrel"
CANARY = "CANARY-7f3a91-informant-Ostrel"
DATA = Path(__file__).parent / "data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_bytes(path: Path) -> bytes:
    """The database and its WAL and shared-memory files, as they lie on the disk."""
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def add_canaries(store_path: Path, passphrase: str | None) -> uuid.UUID:
    store = open_store(store_path, member="tester", passphrase=passphrase)
    try:
        with store.session() as session:
            session.add(Source(title="Informant", kind=SourceKind.CONFIDENTIAL_INFORMANT,
                               identity=CANARY, confidentiality=Confidentiality.CONFIDENTIAL))
            attachment = save_attachment(
                session, EvidenceFile("letter.txt", f"scan of {CANARY}".encode(), "text/plain"))
        return attachment.id
    finally:
        store.close()


def test_a_new_encrypted_database_shows_nothing_without_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    attachment_id = add_canaries(path, PASSPHRASE)
    assert crypto.is_encrypted(path)
    raw = file_bytes(path)
    assert not raw.startswith(crypto.SQLITE_MAGIC)
    assert raw.count(CANARY.encode()) == 0
    assert raw.count(b"Informant") == 0
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    store = open_store(path, passphrase=PASSPHRASE)
    try:
        with store.reader() as session:
            assert session.scalar(select(Source.identity)) == CANARY
            _, data = load_attachment(session, attachment_id)
            assert CANARY.encode() in data
    finally:
        store.close()


@pytest.mark.parametrize(
    ("passphrase", "message"),
    [(None, "this database is encrypted: give its passphrase"),
     ("wrong horse", "wrong passphrase for ")],
)
def test_missing_or_wrong_passphrase_is_a_plain_error_and_changes_nothing(
    tmp_path: Path, passphrase: str | None, message: str
) -> None:
    path = tmp_path / "secret.db"
    open_store(path, passphrase=PASSPHRASE).close()
    before = digest(path)
    with pytest.raises(KnownError, match=message):
        open_store(path, passphrase=passphrase)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.db"]


def test_encrypting_an_existing_database(demo_db_path: Path) -> None:
    add_canaries(demo_db_path, None)
    assert file_bytes(demo_db_path).count(CANARY.encode()) > 0  # the check can see it
    store = open_store(demo_db_path)
    with store.reader() as session:
        institutions = session.scalar(select(func.count()).select_from(Institution))
    store.close()
    crypto.encrypt_database(demo_db_path, PASSPHRASE)
    assert crypto.is_encrypted(demo_db_path)
    assert file_bytes(demo_db_path).count(CANARY.encode()) == 0
    for demo_word in (b"Velmora", b"Ministry", b"fictional"):
        assert demo_word not in file_bytes(demo_db_path)
    assert sorted(p.name for p in demo_db_path.parent.iterdir()) == ["demo.db"]
    store = open_store(demo_db_path, passphrase=PASSPHRASE)
    try:
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Institution)) == institutions
            assert session.scalar(select(Source.identity).where(Source.title == "Informant")) \
                == CANARY
            assert verify_chain(session) is None
    finally:
        store.close()
    with pytest.raises(KnownError, match="already encrypted"):
        crypto.encrypt_database(demo_db_path, PASSPHRASE)


def test_changing_the_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    add_canaries(path, PASSPHRASE)
    with pytest.raises(KnownError, match="wrong passphrase"):
        crypto.rekey(path, "not it", "new words")
    crypto.rekey(path, PASSPHRASE, "new words")
    with pytest.raises(KnownError, match="wrong passphrase"):
        open_store(path, passphrase=PASSPHRASE)
    store = open_store(path, passphrase="new words")
    try:
        with store.reader() as session:
            assert session.scalar(select(Source.identity)) == CANARY
    finally:
        store.close()
    assert file_bytes(path).count(CANARY.encode()) == 0


@pytest.mark.parametrize("bad", ["", "a\x00b"])
def test_unusable_passphrases_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(KnownError, match="passphrase"):
        open_store(tmp_path / "x.db", passphrase=bad)
    assert not (tmp_path / "x.db").exists()


def encrypted_release(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(DATA / "schema-0001-demo.db.gz") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    crypto.encrypt_database(path, PASSPHRASE)
    return path


def test_an_encrypted_database_upgrades_and_its_copy_stays_encrypted(tmp_path: Path) -> None:
    path = encrypted_release(tmp_path)
    assert migrate.current_revision(path, PASSPHRASE) == "0001"
    store = open_store(path, member="tester", passphrase=PASSPHRASE)
    try:
        assert store.schema_revision == migrate.head_revision()
        assert store.backup_path is not None
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Institution)) == 13
    finally:
        store.close()
    assert crypto.is_encrypted(path)
    assert crypto.is_encrypted(store.backup_path)
    assert migrate.current_revision(store.backup_path, PASSPHRASE) == "0001"
    assert b"Velmora" not in store.backup_path.read_bytes()


def test_a_failed_upgrade_of_an_encrypted_database_leaves_it_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = encrypted_release(tmp_path)
    before = digest(path)

    def broken(work: Path, passphrase: str | None = None) -> None:
        assert passphrase == PASSPHRASE
        raise RuntimeError("injected")

    monkeypatch.setattr(migrate, "_run_upgrade", broken)
    with pytest.raises(MigrationError, match="left as it was"):
        open_store(path, passphrase=PASSPHRASE)
    assert digest(path) == before


def test_a_plain_database_opens_plain_whatever_the_passphrase(db_path: Path) -> None:
    store = open_store(db_path, passphrase=PASSPHRASE)
    try:
        assert not store.encrypted
        with store.session() as session:
            session.add(Institution(name="Plain"))
    finally:
        store.close()
    assert not crypto.is_encrypted(db_path)


def test_encrypting_what_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("minutes of the meeting")
    with pytest.raises(KnownError, match="not an SQLite file"):
        crypto.encrypt_database(path, PASSPHRASE)
    assert path.read_text() == "minutes of the meeting"


def test_an_encrypted_copy_of_the_demo_template(demo_template: Path, tmp_path: Path) -> None:
    """The demo, encrypted: no demo word readable in the bytes, everything there with the key."""
    path = copy_database(demo_template, tmp_path / "demo.db")
    crypto.encrypt_database(path, PASSPHRASE)
    assert b"Velmora" not in path.read_bytes()
    store = open_store(path, passphrase=PASSPHRASE)
    try:
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Institution)) == 13
            assert session.scalar(select(func.count()).select_from(Source)) > 0
            assert date.today()  # the store answers queries like any other
    finally:
        store.close()
