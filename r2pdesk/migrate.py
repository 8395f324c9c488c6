"""Bringing a database file to the current schema without ever risking the original.

An existing file is first copied aside with SQLite's online backup API (kept as a backup); the
upgrade then runs on a second copy, in one transaction, and only a copy that upgraded and passed
the integrity check replaces the original. A failure leaves the original as it was. An encrypted
file is handled the same way with its passphrase, and its copies are encrypted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from r2pdesk import crypto
from r2pdesk.errors import KnownError, MigrationError
from r2pdesk.store import check_is_sqlite, make_engine


@dataclass(frozen=True)
class UpgradeResult:
    """What an upgrade did."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        """Whether any migration ran."""
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    """The Alembic configuration, built in code so that a frozen build needs no ini file."""
    config = Config()
    config.set_main_option("script_location", str(files("db")))
    return config


def head_revision() -> str:
    """The schema revision this version of r2pdesk writes."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the repository always ships migrations
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    """Every revision this version of r2pdesk knows."""
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(path: Path, passphrase: str | None = None) -> str | None:
    """The schema revision of a database file, or None for an empty one; opened read-only."""
    try:
        conn = crypto.open_checked(path, passphrase, readonly=True)
    except crypto.DB_ERRORS as exc:
        raise KnownError(f"cannot open {path}: {exc}") from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            if tables:
                raise KnownError(f"{path} is an SQLite file but not an r2pdesk database")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except crypto.DB_ERRORS as exc:
        raise KnownError(f"{path} cannot be read as a database: {exc}") from exc
    finally:
        conn.close()


def sqlite_copy(source: Path, target: Path, passphrase: str | None = None) -> None:
    """A consistent copy of a database through SQLite's online backup API (WAL included)."""
    crypto.copy_database(source, target, passphrase)


def _run_upgrade(path: Path, passphrase: str | None = None) -> None:
    """Run every pending migration on `path` in one transaction."""
    # Table rebuilds in batch mode need foreign keys off.
    engine = make_engine(path, passphrase, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationError(f"the upgraded data breaks {len(problems)} references")
        with engine.connect() as conn:
            status = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if status != "ok":
                raise MigrationError(f"the upgraded file fails the integrity check: {status}")
    finally:
        engine.dispose()


def _release_wal(path: Path, passphrase: str | None = None) -> None:
    """Fold the original's WAL into the main file so no stale log outlives the swap."""
    conn = crypto.connect(path, passphrase)
    try:
        crypto.fold_wal(conn, path)
    finally:
        conn.close()


def backup_dir(path: Path) -> Path:
    """Where copies made before an upgrade are kept: beside the database."""
    return path.parent / "backups"


def upgrade(path: Path, passphrase: str | None = None) -> UpgradeResult:
    """Create `path` or bring it to the head revision; see the module's docstring.

    With a passphrase a new file is created encrypted, and an encrypted one is opened with it.
    """
    head = head_revision()
    if not path.exists() or path.stat().st_size == 0:
        return _create(path, head, passphrase)
    check_is_sqlite(path, passphrase)
    current = current_revision(path, passphrase)
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and current not in known_revisions():
        raise KnownError(
            f"{path} was written by a newer r2pdesk (schema {current}); "
            "install that version to open it"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backups = backup_dir(path)
    backups.mkdir(exist_ok=True)
    backup = backups / f"{path.stem}-before-{head}-{stamp}.db"
    work = path.with_name(path.name + ".upgrading")
    try:
        sqlite_copy(path, backup, passphrase)
        work.unlink(missing_ok=True)
        sqlite_copy(path, work, passphrase)
        _run_upgrade(work, passphrase)
    except Exception as exc:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)
        raise MigrationError(
            f"upgrading {path.name} from schema {current} to {head} failed ({exc}); "
            f"the database was left as it was, and a copy is in {backup}"
        ) from exc
    _release_wal(path, passphrase)
    work.replace(path)
    Path(f"{path}-shm").unlink(missing_ok=True)
    return UpgradeResult(current, head, backup)


def _create(path: Path, head: str, passphrase: str | None) -> UpgradeResult:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
    try:
        _run_upgrade(path, passphrase)
    except Exception as exc:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, KnownError):
            raise
        raise MigrationError(f"creating the database {path} failed: {exc}") from exc
    return UpgradeResult(None, head, None)
