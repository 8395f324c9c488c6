"""The store on a real SQLite file: migrations, pragmas, reference data, safety on failure."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from r2pdesk import migrate
from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.errors import KnownError, MigrationError
from r2pdesk.institutions.models import Institution
from r2pdesk.models import Base
from r2pdesk.recommendations.models import Recommendation
from r2pdesk.reference.load import load_reference
from r2pdesk.reference.models import CatalogueRecommendation, RiskFactor, SgReport
from r2pdesk.search import include_name
from r2pdesk.startup import open_store
from r2pdesk.store import make_engine


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run_sql(path: Path, statement: str, *params: object) -> None:
    """Change a database file behind the store's back, as another program would."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fresh_database_is_at_head_with_reference_data(tmp_path: Path) -> None:
    store = open_store(tmp_path / "fresh.db", member="tester")
    try:
        assert store.schema_revision == migrate.head_revision()
        assert store.backup_path is None
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(SgReport)) == 18
            assert session.scalar(select(func.count()).select_from(CatalogueRecommendation)) == 440
            assert session.scalar(select(func.count()).select_from(RiskFactor)) == 14
    finally:
        store.close()


def test_reopening_changes_nothing(db_path: Path) -> None:
    before = dump(db_path)
    for _ in range(2):
        store = open_store(db_path, member="someone else")
        assert store.backup_path is None
        with store.session() as session:
            assert load_reference(session) is False  # digest unchanged: nothing to load
        store.close()
    assert dump(db_path) == before


def test_forced_reference_reload_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    before = dump(store.path)
    with store.session() as session:
        assert load_reference(session, force=True) is True
    assert dump(store.path) == before


def test_models_and_migrations_agree(db_path: Path) -> None:
    """What `alembic check` does: autogenerate finds nothing to add."""
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_pragmas(store) -> None:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_ddl_is_transactional(store) -> None:  # type: ignore[no-untyped-def]
    conn = store.engine.connect()
    transaction = conn.begin()
    conn.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
    transaction.rollback()
    conn.close()
    with store.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        assert "scratch" not in set(names.scalars())


def test_foreign_keys_are_enforced(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import date
    from uuid import uuid4

    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.session() as session:
        session.add(Recommendation(text="x", made_on=date(2026, 1, 1), lead_institution_id=uuid4()))


def test_records_get_bookkeeping_and_audit(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        institution = Institution(name="Ministry of Justice")
        session.add(institution)
    assert institution.revision == 1
    assert institution.author == "tester"
    assert len(institution.origin_device) == 16
    with store.session() as session:
        row = session.get(Institution, institution.id)
        row.acronym = "MoJ"
    with store.session() as session:
        row = session.get(Institution, institution.id)
        assert row.revision == 2
        assert row.updated_at >= row.created_at
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [e.action for e in entries] == ["create", "update"]
        assert '"acronym": ["", "MoJ"]' in entries[1].changes
        assert verify_chain(session) is None
        entries[0].actor = "forger"
        session.flush()
        assert verify_chain(session) == entries[0].seq
        session.rollback()


def test_adopted_catalogue_item_survives_a_reload(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    with store.session() as session:
        session.add(Recommendation(text="adopted", made_on=date(2026, 1, 1),
                                   catalogue_id="2015-MS-01"))
    with store.session() as session:
        load_reference(session, force=True)
    with store.reader() as session:
        assert session.get(CatalogueRecommendation, "2015-MS-01") is not None


def pretend_older(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the file look one schema behind, as an older r2pdesk would have left it."""
    run_sql(db_path, "UPDATE alembic_version SET version_num = 'older'")
    monkeypatch.setattr(migrate, "known_revisions", lambda: {"older", migrate.head_revision()})


def test_failed_upgrade_leaves_original_untouched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_older(db_path, monkeypatch)
    before = digest(db_path)

    def broken(path: Path, _passphrase: str | None = None) -> None:
        run_sql(path, "DROP TABLE institution")
        raise RuntimeError("disk I/O error injected by the test")

    monkeypatch.setattr(migrate, "_run_upgrade", broken)
    with pytest.raises(MigrationError, match="left as it was") as failure:
        migrate.upgrade(db_path)
    assert digest(db_path) == before
    assert not db_path.with_name(db_path.name + ".upgrading").exists()
    backups = list(migrate.backup_dir(db_path).glob("*.db"))
    assert len(backups) == 1
    assert str(backups[0]) in str(failure.value)
    assert dump(backups[0]) == dump(db_path)


def test_successful_upgrade_keeps_a_copy(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_older(db_path, monkeypatch)

    def stamp_head(path: Path, _passphrase: str | None = None) -> None:
        run_sql(path, "UPDATE alembic_version SET version_num = ?", migrate.head_revision())

    monkeypatch.setattr(migrate, "_run_upgrade", stamp_head)
    result = migrate.upgrade(db_path)
    assert result.changed
    assert result.backup is not None
    assert result.backup.exists()
    assert migrate.current_revision(db_path) == migrate.head_revision()
    assert migrate.current_revision(result.backup) == "older"


def test_newer_schema_is_refused(db_path: Path) -> None:
    run_sql(db_path, "UPDATE alembic_version SET version_num = 'fffffffff'")
    before = digest(db_path)
    with pytest.raises(KnownError, match="newer r2pdesk"):
        open_store(db_path)
    assert digest(db_path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PK\x03\x04 not a database", "not an SQLite file"), (b"", None)],
)
def test_files_that_are_not_databases(tmp_path: Path, content: bytes, message: str | None) -> None:
    path = tmp_path / "thing.db"
    path.write_bytes(content)
    if message is None:  # an empty file is a new database
        open_store(path).close()
        assert migrate.current_revision(path) == migrate.head_revision()
        return
    with pytest.raises(KnownError, match=message):
        open_store(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    run_sql(path, "CREATE TABLE notes (body TEXT)")
    before = digest(path)
    with pytest.raises(KnownError, match="not an r2pdesk database"):
        open_store(path)
    assert digest(path) == before


def test_unwritable_folder_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KnownError, match="cannot create the folder"):
        open_store(blocker / "sub" / "r2pdesk.db")
