"""Bringing a database file to the current schema without ever risking the original.

An existing file is first copied aside with SQLite's online backup API (kept as a backup); the
upgrade then runs on a second copy, in one transaction, and only a copy that upgraded and passed
the integrity check replaces the original. A failure leaves the original as it was. An encrypted
file is handled the same way with its passphrase, and its copies are encrypted too.

An upgrade reports its progress through an optional `progress(done, total)` callback: after each
copy and before each revision. Whatever that callback raises (a cancel) stops the upgrade there,
never inside a revision: the transaction rolls back, the working copy is removed, and the
original stays at the revision it had, its copy kept; the exception goes on unchanged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from r2pdesk import crypto
from r2pdesk.errors import KnownError, MigrationError
from r2pdesk.store import check_is_sqlite, make_engine

Progress = Callable[[int, int], None]  # (done, total); what it raises stops the work there
COPY_PAGES = 256  # pages copied per step of the online backup API: about 1 MB, a few ms


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


def pending_revisions(current: str | None) -> list[str]:
    """The revisions an upgrade from `current` (None: an empty file) runs, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    newest_first = [rev.revision for rev in script.iterate_revisions("heads", current or "base")]
    return newest_first[::-1]


def sqlite_copy(
    source: Path, target: Path, passphrase: str | None = None, *,
    conn: sqlite3.Connection | None = None, progress: Progress | None = None,
) -> None:
    """A consistent copy of a database through SQLite's online backup API (WAL included).

    With `progress` the copy goes a few pages at a time, calling `progress(pages done, pages)`
    after each step; what it raises ends the copy (the caller removes the partial file). `conn`,
    when given, is an open connection to `source` to read through. With a passphrase both ends
    are keyed with it.
    """
    if progress is None:
        crypto.copy_database(source, target, passphrase, conn=conn)
        return
    report = progress

    def stepped(_status: int, remaining: int, pages: int) -> None:
        report(pages - remaining, pages)

    src = conn if conn is not None else crypto.open_checked(source, passphrase, readonly=True)
    try:
        dst = crypto.connect(target, passphrase)
        try:
            # Between steps the source is free: a write to it restarts the copy, never mixes.
            src.backup(dst, pages=COPY_PAGES, progress=stepped)
        finally:
            dst.close()
    finally:
        if conn is None:
            src.close()


def _run_upgrade(
    path: Path, passphrase: str | None = None, progress: Progress | None = None
) -> None:
    """Run every pending migration on `path` in one transaction.

    `progress(revisions done, revisions)` is called before each revision starts and once all
    are done; what it raises rolls the transaction back, so no revision is ever half applied.
    """
    # Table rebuilds in batch mode need foreign keys off.
    engine = make_engine(path, passphrase, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            current = conn.exec_driver_sql(
                "SELECT version_num FROM alembic_version").scalar() if _has_version(conn) else None
            steps = pending_revisions(current)
            for done, revision in enumerate(steps):
                if progress is not None:
                    progress(done, len(steps))
                # Each call runs one revision inside the transaction begun above.
                command.upgrade(config, revision)
            if progress is not None:
                progress(len(steps), len(steps))
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationError(f"the upgraded data breaks {len(problems)} references")
        with engine.connect() as conn:
            status = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if status != "ok":
                raise MigrationError(f"the upgraded file fails the integrity check: {status}")
    finally:
        engine.dispose()


def _has_version(conn: Connection) -> bool:
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").first() is not None


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


class _Stages:
    """One progress bar over an upgrade's stages (two copies, the revisions), each as wide as
    the others; remembers what the callback raised, so that it goes on unchanged."""

    SPAN = 1000

    def __init__(self, progress: Progress | None, count: int) -> None:
        self.progress, self.count = progress, count
        self.raised: BaseException | None = None

    def stage(self, index: int) -> Progress | None:
        """The progress callback of stage `index` (None when nobody listens)."""
        if self.progress is None:
            return None
        report = self.progress

        def moved(done: int, total: int) -> None:
            part = done * self.SPAN // total if total > 0 else self.SPAN
            try:
                report(index * self.SPAN + min(part, self.SPAN), self.count * self.SPAN)
            except BaseException as exc:
                self.raised = exc
                raise

        return moved


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _upgrade_copy(work: Path, passphrase: str | None, progress: Progress | None) -> None:
    # Tests stand in for `_run_upgrade` with a function of (path, passphrase).
    if progress is None:
        _run_upgrade(work, passphrase)
    else:
        _run_upgrade(work, passphrase, progress)


def upgrade(
    path: Path, passphrase: str | None = None, *, progress: Progress | None = None
) -> UpgradeResult:
    """Create `path` or bring it to the head revision; see the module's docstring.

    With a passphrase a new file is created encrypted, and an encrypted one is opened with it.
    `progress(done, total)` hears of each copy and of each revision before it starts.
    """
    head = head_revision()
    if not path.exists() or path.stat().st_size == 0:
        return _create(path, head, passphrase, progress)
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
    stages = _Stages(progress, 3)
    copied = False
    try:
        sqlite_copy(path, backup, passphrase, progress=stages.stage(0))
        copied = True
        work.unlink(missing_ok=True)
        sqlite_copy(path, work, passphrase, progress=stages.stage(1))
        _upgrade_copy(work, passphrase, stages.stage(2))
    except Exception as exc:
        _remove(work)
        if not copied:
            _remove(backup)  # a copy cut short is no backup
        if stages.raised is exc:
            raise  # a cancel: the original was never touched
        raise MigrationError(
            f"upgrading {path.name} from schema {current} to {head} failed ({exc}); "
            f"the database was left as it was, and a copy is in {backup}"
        ) from exc
    _release_wal(path, passphrase)
    work.replace(path)
    Path(f"{path}-shm").unlink(missing_ok=True)
    return UpgradeResult(current, head, backup)


def _create(
    path: Path, head: str, passphrase: str | None, progress: Progress | None = None
) -> UpgradeResult:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
    stages = _Stages(progress, 1)
    try:
        _upgrade_copy(path, passphrase, stages.stage(0))
    except Exception as exc:
        _remove(path)
        if isinstance(exc, KnownError) or stages.raised is exc:
            raise
        raise MigrationError(f"creating the database {path} failed: {exc}") from exc
    return UpgradeResult(None, head, None)
