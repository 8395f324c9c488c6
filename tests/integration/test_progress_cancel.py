"""The core's long operations report progress and stop where their progress callback raises.

A cancel is whatever the callback raises (the app raises `Cancelled` once the person clicked
Cancel): it goes on unchanged, and the operation leaves no partial file and nothing changed. A
backup and a restore report the pages copied; an upgrade reports each copy and each revision
before it starts, and never stops inside one; reports and workbooks report as they go.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from openpyxl import load_workbook
from sqlalchemy import func, select

from r2pdesk import backup, migrate
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.errors import MigrationError
from r2pdesk.exchange import reader, service
from r2pdesk.exchange.models import ExchangeExport, ExchangeRow
from r2pdesk.exchange.reader import read_exchange
from r2pdesk.exchange.service import apply, preview
from r2pdesk.exchange.workbook import export_full
from r2pdesk.reports import generate
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY

DATA = Path(__file__).parent / "data"


class Stop(Exception):  # noqa: N818 - what the test's callback raises, as a person's Cancel
    """Raised by the test's progress callback."""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Recorder:
    """A progress callback that keeps every call and raises `Stop` once `stop_at(done, total)`
    holds."""

    def __init__(self, stop_at: Callable[[int, int], bool] = lambda _d, _t: False) -> None:
        self.calls: list[tuple[int, int]] = []
        self.stop_at = stop_at

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))
        if self.stop_at(done, total):
            raise Stop

    def rising(self) -> bool:
        """Whether the fractions done never go down."""
        fractions = [done / total for done, total in self.calls if total > 0]
        return fractions == sorted(fractions)


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies go 8 pages a step, so that even the demo database takes many."""
    monkeypatch.setattr(migrate, "COPY_PAGES", 8)


def released(tmp_path: Path, revision: str = "0001") -> Path:
    path = tmp_path / "old.db"
    with gzip.open(DATA / f"schema-{revision}-demo.db.gz") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


# --- backup and restore -------------------------------------------------------------------------


@pytest.mark.usefixtures("small_steps")
def test_a_backup_reports_its_pages(demo_store: Store, tmp_path: Path) -> None:
    seen = Recorder()
    out = backup.backup(demo_store, tmp_path / "copy.db", progress=seen)
    assert len(seen.calls) > 3
    assert seen.rising()
    assert seen.calls[-1][0] == seen.calls[-1][1]  # all of it
    assert backup.check_copy(Path(shutil.copyfile(out, tmp_path / "check.db")), None).problem \
        is None


@pytest.mark.usefixtures("small_steps")
def test_a_cancelled_backup_leaves_no_file(demo_store: Store, tmp_path: Path) -> None:
    demo_store.checkpoint()
    before = digest(demo_store.path)
    folder = tmp_path / "backups"
    folder.mkdir()
    seen = Recorder(lambda done, total: done > total // 2)
    with pytest.raises(Stop):
        backup.backup(demo_store, folder / "copy.db", progress=seen)
    assert 0 < seen.calls[-1][0] < seen.calls[-1][1]  # stopped half-way
    assert list(folder.iterdir()) == []  # neither the backup nor its partial copy
    assert digest(demo_store.path) == before


def test_a_backup_cancelled_after_its_check_leaves_no_file(
    demo_store: Store, tmp_path: Path
) -> None:
    # The second call with the same figures: the one after the check, before the rename.
    seen = Recorder(lambda done, total: len(seen.calls) > 1 and seen.calls[-2] == (done, total))
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(Stop):
        backup.backup(demo_store, folder / "copy.db", progress=seen)
    assert list(folder.iterdir()) == []


@pytest.fixture
def backed_up(demo_store: Store, tmp_path: Path) -> tuple[Store, Path]:
    """The demo store, a backup of it in another folder, and a change made after it."""
    folder = tmp_path / "kept"
    folder.mkdir()
    out = backup.backup(demo_store, folder / "backup.db")
    with demo_store.session() as session:
        session.get_one(EarlyWarning, session.scalars(select(EarlyWarning.id)).first()).title = (
            "Changed after the backup")
    demo_store.close()
    return demo_store, out


@pytest.mark.usefixtures("small_steps")
@pytest.mark.parametrize("where", ["copying", "checked"])
def test_a_cancelled_restore_changes_nothing(
    backed_up: tuple[Store, Path], where: str
) -> None:
    store, out = backed_up
    before = digest(store.path)
    listed = sorted(store.path.parent.iterdir())

    def stop(done: int, total: int) -> bool:
        return 0 < done < total // 4 if where == "copying" else done == total

    seen = Recorder(stop)
    with pytest.raises(Stop):
        backup.restore(out, store.path, progress=seen)
    assert digest(store.path) == before
    assert sorted(store.path.parent.iterdir()) == listed  # nothing staged, nothing put aside
    with store.reader() as session:
        assert session.scalar(select(func.count()).where(
            EarlyWarning.title == "Changed after the backup")) == 1


@pytest.mark.usefixtures("small_steps")
def test_a_restore_reports_the_copy_then_the_check(backed_up: tuple[Store, Path]) -> None:
    store, out = backed_up
    seen = Recorder()
    backup.restore(out, store.path, progress=seen)
    assert seen.rising()
    assert seen.calls[-1][0] == seen.calls[-1][1]
    copied = [done for done, total in seen.calls if done <= total // 2]
    assert len(copied) > 3
    with store.reader() as session:
        assert session.scalar(select(func.count()).where(
            EarlyWarning.title == "Changed after the backup")) == 0


# --- the upgrade --------------------------------------------------------------------------------


def test_an_upgrade_reports_each_revision_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = released(tmp_path)
    pending = migrate.pending_revisions("0001")
    assert pending == sorted(pending)
    assert pending[-1] == migrate.head_revision()
    log: list[object] = []
    upgrade = command.upgrade

    def one(config: object, revision: str) -> None:
        log.append(revision)
        upgrade(config, revision)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "upgrade", one)
    seen = Recorder()
    original = seen.__call__

    def heard(done: int, total: int) -> None:
        log.append((done, total))
        original(done, total)

    result = migrate.upgrade(path, progress=heard)
    assert result.to_revision == migrate.head_revision()
    assert [entry for entry in log if isinstance(entry, str)] == pending  # one at a time
    for revision in pending:  # each heard of just before it starts
        assert isinstance(log[log.index(revision) - 1], tuple)
    assert seen.rising()
    assert seen.calls[-1][0] == seen.calls[-1][1]
    assert len(seen.calls) >= 2 + len(pending) + 1  # two copies, the revisions, the end


def test_a_cancelled_upgrade_stops_between_revisions_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = released(tmp_path)
    before = digest(path)
    applied: list[str] = []
    upgrade = command.upgrade

    def one(config: object, revision: str) -> None:
        upgrade(config, revision)  # type: ignore[arg-type]
        applied.append(revision)  # only once the revision is wholly done

    monkeypatch.setattr(command, "upgrade", one)
    span = migrate._Stages.SPAN
    seen = Recorder(lambda done, _total: done > 2 * span)  # after the first revision
    with pytest.raises(Stop):  # the callback's own exception, not a MigrationError
        migrate.upgrade(path, progress=seen)
    assert applied == migrate.pending_revisions("0001")[:1]  # stopped between two revisions
    assert digest(path) == before
    assert migrate.current_revision(path) == "0001"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "old.db"]
    kept = list(migrate.backup_dir(path).iterdir())
    assert len(kept) == 1  # the copy made before the upgrade stays, whole
    assert migrate.current_revision(kept[0]) == "0001"
    store = open_store(path, member="tester")  # the next start upgrades it
    try:
        assert store.schema_revision == migrate.head_revision()
    finally:
        store.close()


@pytest.mark.usefixtures("small_steps")
def test_an_upgrade_cancelled_while_copying_leaves_no_copy(tmp_path: Path) -> None:
    path = released(tmp_path)
    before = digest(path)
    seen = Recorder(lambda done, total: 0 < done < total // 3)  # inside the first copy
    with pytest.raises(Stop):
        migrate.upgrade(path, progress=seen)
    assert digest(path) == before
    assert list(migrate.backup_dir(path).iterdir()) == []  # a copy cut short is no backup
    assert not path.with_name("old.db.upgrading").exists()


def test_a_failed_revision_is_still_a_migration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = released(tmp_path)
    before = digest(path)
    upgrade = command.upgrade

    def second_fails(config: object, revision: str) -> None:
        if revision == migrate.pending_revisions("0001")[1]:
            raise RuntimeError("injected")
        upgrade(config, revision)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "upgrade", second_fails)
    with pytest.raises(MigrationError, match="left as it was"):
        migrate.upgrade(path, progress=Recorder())
    assert digest(path) == before
    assert migrate.current_revision(path) == "0001"


def test_a_cancelled_creation_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    seen = Recorder(lambda done, _total: done > 0)
    with pytest.raises(Stop):
        migrate.upgrade(path, progress=seen)
    assert list(tmp_path.iterdir()) == []


# --- reports and workbooks ----------------------------------------------------------------------


def test_a_report_reports_its_layout_and_stops_when_told(demo_store: Store) -> None:
    seen = Recorder()
    with demo_store.reader() as session:
        pdf = generate(session, "implementation", today=DEMO_TODAY, progress=seen)
    assert pdf.startswith(b"%PDF")
    assert len(seen.calls) > 5
    assert seen.rising()
    stop = Recorder(lambda done, total: done > total // 2)
    with demo_store.reader() as session, pytest.raises(Stop):
        generate(session, "implementation", today=DEMO_TODAY, progress=stop)


def counts(store: Store) -> tuple[int, int, int]:
    with store.reader() as session:
        return (int(session.scalar(select(func.count()).where(
                    EarlyWarning.title.like("Edited %"))) or 0),
                int(session.scalar(select(func.count()).select_from(ExchangeExport)) or 0),
                int(session.scalar(select(func.count()).select_from(ExchangeRow)) or 0))


@pytest.fixture
def returned(demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A full workbook with every warning's title edited; progress every row."""
    monkeypatch.setattr(reader, "PROGRESS_ROWS", 1)
    monkeypatch.setattr(service, "PROGRESS_ROWS", 1)
    out = tmp_path / "full.xlsx"
    with demo_store.session() as session:
        export_full(session, out)
    book = load_workbook(out)
    sheet = book["Warnings"]
    column = [cell.value for cell in sheet[1]].index("Title") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value:
            sheet.cell(row=row, column=column).value = f"Edited {row}"
    book.save(out)
    return out


def test_an_import_reports_and_a_cancelled_one_writes_nothing(
    demo_store: Store, returned: Path
) -> None:
    before = counts(demo_store)
    seen = Recorder()
    with demo_store.reader() as session:
        plan = preview(session, returned, today=DEMO_TODAY, progress=seen)
    assert plan.changes
    assert len(seen.calls) > 10
    assert seen.rising()
    assert seen.calls[-1][0] == seen.calls[-1][1]
    with demo_store.reader() as session, pytest.raises(Stop):
        preview(session, returned, today=DEMO_TODAY,
                progress=Recorder(lambda done, total: done > total // 2))

    halfway = Recorder(lambda done, total: done > total // 2)
    with pytest.raises(Stop), demo_store.session() as session:  # rolled back
        apply(session, plan, progress=halfway)
    assert counts(demo_store) == before
    written = Recorder()
    with demo_store.session() as session:
        apply(session, plan, progress=written)
    assert written.rising()
    edited, exports, rows = counts(demo_store)
    assert edited > 0
    assert (exports, rows) != before[1:]


def test_progress_of_reading_counts_rows(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "PROGRESS_ROWS", 1)
    out = tmp_path / "full.xlsx"
    with demo_store.session() as session:
        export_full(session, out)
    seen = Recorder()
    book = read_exchange(out, seen)
    assert len(seen.calls) > len(book.rows)  # the hidden sheet is read too
    assert all(total >= done for done, total in seen.calls)
    assert [done for done, _total in seen.calls] == sorted({d for d, _t in seen.calls})
