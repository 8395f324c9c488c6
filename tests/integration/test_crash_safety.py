"""Crash safety: SIGKILL during writes, a failure at every statement of every migration, disk full.

Kills: a child process imports the core once, then forks one writer after another; each writer
commits transactions in a loop (a recommendation with a known number of progress updates, more
updates to an existing one, a batch of institutions as an import would write them) and prints
each one after its commit. The test SIGKILLs each writer at a random moment and then checks the
file: `integrity_check` is ok, every printed commit is there, no transaction is there in part, and
the audit trail verifies. CI runs 200 kills; `R2PDESK_CRASH_ITERATIONS=5000` runs a longer one.
The figures are written to test-output/crash-safety.json.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from r2pdesk import migrate
from r2pdesk.audit import GENESIS, AuditEntry, entry_digest, verify_chain
from r2pdesk.errors import KnownError, MigrationError
from r2pdesk.institutions.models import Institution
from r2pdesk.sources.attachments import EvidenceFile, save_attachment
from r2pdesk.startup import open_store
from r2pdesk.store import Store, make_engine
from tests.helpers.databases import copy_database, output_dir

ITERATIONS = int(os.environ.get("R2PDESK_CRASH_ITERATIONS", "200"))
SEED = int(os.environ.get("R2PDESK_CRASH_SEED", "20261121"))
FULL_AUDIT_EVERY = 25  # kills between two checks of the whole trail (the new entries: every kill)
DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writers are forked")

WRITERS = r"""
import os, random, sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers

import r2pdesk.models  # noqa: F401 - every mapper
from r2pdesk.audit import Actor
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation, RecStatus
from r2pdesk.store import Store, make_engine

DB = Path(sys.argv[1])


def steps(session, rec, first, count):
    for i in range(first, first + count):
        session.add(ProgressUpdate(recommendation_id=rec.id, on=date(2026, 1, 1),
                                   status=RecStatus.IN_PROGRESS, narrative=f"step {i}"))


def write(seed):
    rng = random.Random(seed)
    store = Store(path=DB, engine=make_engine(DB), actor=Actor("crash", "crashdevice"),
                  schema_revision="")
    n = 0
    while True:
        n += 1
        tag = f"{seed}-{n}"
        kind = rng.choice(("rec", "rec", "more", "batch"))
        if kind == "rec":
            k = rng.randint(1, 6)
            with store.session() as session:
                rec = Recommendation(text=f"crash {tag} k=0", made_on=date(2026, 1, 1))
                session.add(rec)
                session.flush()
                steps(session, rec, 0, k)
                rec.text = f"crash {tag} k={k}"
            print(f"rec {rec.id.hex} {k}", flush=True)
        elif kind == "more":
            k = rng.randint(1, 4)
            with store.session() as session:
                rec = session.scalars(select(Recommendation).where(
                    Recommendation.text.like("crash %")).order_by(func.random()).limit(1)).first()
                if rec is None:
                    continue
                had = int(rec.text.rsplit("k=", 1)[1])
                steps(session, rec, had, k)
                rec.text = rec.text.rsplit("k=", 1)[0] + f"k={had + k}"
            print(f"more {rec.id.hex} {had + k}", flush=True)
        else:
            size = rng.randint(3, 15)
            with store.session() as session:
                session.add_all(Institution(name=f"batch {tag} {j}/{size}") for j in range(size))
            print(f"batch {tag} {size}", flush=True)


configure_mappers()  # once here, not in every writer
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            write(int(line))
        finally:
            os._exit(3)
    print(f"pid {pid}", flush=True)
    _, status = os.waitpid(pid, 0)
    print(f"dead {pid} {status}", flush=True)
"""


DEAD = re.compile(r"dead (\d+) (-?\d+)\s*$")


@dataclass
class Ledger:
    """What the writers acknowledged: each printed after its commit."""

    recs: dict[str, int] = field(default_factory=dict)  # id -> least number of updates
    batches: dict[str, int] = field(default_factory=dict)  # tag -> size
    kills: int = 0
    kills_mid_write: int = 0  # the writer had committed at least once before it was killed
    audit_seq: int = 0  # the audit trail was verified up to this entry...
    audit_hash: str = GENESIS  # ...whose hash is this

    def take(self, line: str) -> bool:
        kind, key, number = line.split()
        if kind == "batch":
            self.batches[key] = int(number)
        else:
            self.recs[key] = max(self.recs.get(key, 0), int(number))
        return True


def check_file(db: Path, ledger: Ledger) -> None:
    """Everything acknowledged is there, nothing is there in part, the file and its trail hold."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = dict(conn.execute("SELECT id, text FROM recommendation WHERE text LIKE 'crash %'"))
        updates = dict(conn.execute(
            "SELECT recommendation_id, count(*) FROM progress_update GROUP BY recommendation_id"))
        names = [row[0] for row in conn.execute(
            "SELECT name FROM institution WHERE name LIKE 'batch %'")]
        created = conn.execute("SELECT count(*) FROM audit_entry WHERE table_name = "
                               "'recommendation' AND action = 'create'").fetchone()[0]
    finally:
        conn.close()
    for rec_id, text in texts.items():  # each save whole: its text counts its updates
        assert updates.get(rec_id, 0) == int(text.rsplit("k=", 1)[1]), text
    assert created == len(texts)
    for rec_id, least in ledger.recs.items():
        assert rec_id in texts, f"acknowledged recommendation {rec_id} lost"
        assert updates[rec_id] >= least
    batches: dict[str, set[str]] = {}
    for name in names:
        _, tag, part = name.split()
        batches.setdefault(tag, set()).add(part)
    for tag, parts in batches.items():
        size = int(next(iter(parts)).split("/")[1])
        assert len(parts) == size, f"batch {tag} is there in part"
    for tag, size in ledger.batches.items():
        assert len(batches.get(tag, ())) == size, f"acknowledged batch {tag} lost"
    verify_new_entries(db, ledger, full=ledger.kills % FULL_AUDIT_EVERY == 0)


def verify_new_entries(db: Path, ledger: Ledger, *, full: bool) -> None:
    """The audit chain holds: the entries written since the last check, or the whole trail."""
    engine = make_engine(db)
    try:
        with Session(engine) as session:
            if full:
                assert verify_chain(session) is None
            query = select(AuditEntry).where(AuditEntry.seq > ledger.audit_seq)
            for entry in session.scalars(query.order_by(AuditEntry.seq)):
                assert entry.prev_hash == ledger.audit_hash, f"audit entry {entry.seq} broken"
                assert entry.hash == entry_digest(entry), f"audit entry {entry.seq} broken"
                ledger.audit_seq, ledger.audit_hash = entry.seq, entry.hash
    finally:
        engine.dispose()


def _read_until_dead(child: subprocess.Popen[str], pid: int, ledger: Ledger) -> None:
    assert child.stdout is not None
    committed = False
    for line in child.stdout:
        # A writer killed between its line and the newline leaves the parent's "dead" report on
        # the same line; the commit it reported was made all the same.
        dead = DEAD.search(line)
        head = line[: dead.start()] if dead else line
        if len(head.split()) == 3:
            committed = ledger.take(head) or committed
        if dead:
            assert int(dead.group(1)) == pid
            break
    ledger.kills_mid_write += committed


def test_sigkill_during_writes_loses_nothing_acknowledged(
    empty_template: Path, tmp_path: Path
) -> None:
    db = copy_database(empty_template, tmp_path / "crash.db")
    rng = random.Random(SEED)
    ledger = Ledger()
    started = time.monotonic()
    checking = 0.0
    child = subprocess.Popen(
        [sys.executable, "-c", WRITERS, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, bufsize=1,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        for iteration in range(ITERATIONS):
            child.stdin.write(f"{SEED + iteration}\n")
            child.stdin.flush()
            pid = int(child.stdout.readline().split()[1])
            time.sleep(rng.uniform(0.01, 0.3))
            os.kill(pid, signal.SIGKILL)
            _read_until_dead(child, pid, ledger)
            ledger.kills += 1
            t0 = time.monotonic()
            check_file(db, ledger)
            checking += time.monotonic() - t0
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()
    verify_new_entries(db, ledger, full=True)
    elapsed = time.monotonic() - started
    figures = {
        "kills_survived": ledger.kills, "kills_after_a_commit": ledger.kills_mid_write,
        "acknowledged_recommendations": len(ledger.recs),
        "acknowledged_batches": len(ledger.batches), "seconds": round(elapsed, 1),
        "seconds_checking": round(checking, 1),
    }
    (output_dir() / "crash-safety.json").write_text(json.dumps(figures, indent=2))
    print(figures)
    assert ledger.kills == ITERATIONS
    assert ledger.kills_mid_write > ITERATIONS // 2  # most kills land in the middle of writing
    assert len(ledger.recs) > ITERATIONS


# --- a failure at every statement of every migration -------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def released_0001(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("released") / "schema-0001.db"
    with gzip.open(DATA / "schema-0001-demo.db.gz") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


class InjectedError(RuntimeError):
    """The failure the test injects."""


@pytest.fixture
def statements() -> Iterator[dict[str, Any]]:
    """Counts the statements every engine runs; raises at statement number `fail_at`."""
    state: dict[str, Any] = {"count": 0, "fail_at": None, "seen": []}

    def before(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        state["count"] += 1
        state["seen"].append(statement)
        if state["count"] == state["fail_at"]:
            raise InjectedError(f"failure injected at statement {state['count']}")

    event.listen(Engine, "before_cursor_execute", before)
    yield state
    event.remove(Engine, "before_cursor_execute", before)


def _fresh(released: Path, folder: Path) -> Path:
    folder.mkdir()
    path = folder / "old.db"
    shutil.copyfile(released, path)
    return path


def _count_statements(statements: dict[str, Any], run: Callable[[], object]) -> int:
    statements.update(count=0, fail_at=None, seen=[])
    run()
    return int(statements["count"])


def _record(name: str, figures: dict[str, Any]) -> None:
    (output_dir() / f"migration-injection-{name}.json").write_text(json.dumps(figures, indent=2))
    print(figures)


def test_a_failure_at_any_upgrade_statement_leaves_the_file_as_it_was(
    released_0001: Path, tmp_path: Path, statements: dict[str, Any]
) -> None:
    """Upgrading the released 0001 demo to head: 0002 and every later migration."""
    clean = _fresh(released_0001, tmp_path / "clean")
    total = _count_statements(statements, lambda: migrate.upgrade(clean))
    assert migrate.current_revision(clean) == migrate.head_revision()
    assert total >= 5
    for number in range(1, total + 1):
        path = _fresh(released_0001, tmp_path / f"at-{number}")
        before = digest(path)
        statements.update(count=0, fail_at=number)
        with pytest.raises(MigrationError, match="left as it was"):
            migrate.upgrade(path)
        statements.update(fail_at=None)
        assert digest(path) == before, f"statement {number} changed the original"
        assert not path.with_name("old.db.upgrading").exists()
        assert migrate.current_revision(path) == "0001"
        shutil.rmtree(path.parent)
    store = open_store(_fresh(released_0001, tmp_path / "after"), member="tester")  # still opens
    store.close()
    _record("upgrade", {"from": "0001", "to": migrate.head_revision(), "injection_points": total})


def test_a_failure_at_any_creation_statement_leaves_nothing(
    tmp_path: Path, statements: dict[str, Any]
) -> None:
    """Creating a database runs every migration from 0001 on: a failure leaves no file."""
    total = _count_statements(statements, lambda: migrate.upgrade(tmp_path / "clean.db"))
    assert total > 50
    path = tmp_path / "new.db"
    for number in range(1, total + 1):
        statements.update(count=0, fail_at=number)
        with pytest.raises(MigrationError):
            migrate.upgrade(path)
        statements.update(fail_at=None)
        assert sorted(tmp_path.iterdir()) == [tmp_path / "clean.db"], f"statement {number}"
    assert migrate.upgrade(path).to_revision == migrate.head_revision()
    _record("create", {"from": None, "to": migrate.head_revision(), "injection_points": total})


# --- disk full ---------------------------------------------------------------------------------


def import_with_evidence(store: Store, evidence: EvidenceFile) -> None:
    """One save as an import makes it: many rows, then an evidence file."""
    with store.session() as session:
        session.add_all(Institution(name=f"import row {i}") for i in range(300))
        session.flush()
        save_attachment(session, evidence)


def test_disk_full_is_a_plain_message_and_writes_nothing(db_path: Path) -> None:
    store = open_store(db_path, member="tester")
    try:
        with store.reader() as session:
            before = session.scalar(select(func.count()).select_from(Institution))
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        store.engine.dispose()
        limit = f"PRAGMA max_page_count={int(pages or 0) + 16}"  # room for a few pages, no more
        event.listen(store.engine, "connect", lambda dbapi, _rec: dbapi.execute(limit))
        evidence = EvidenceFile("scan.pdf", os.urandom(2 * 1024 * 1024), "application/pdf")
        with pytest.raises(KnownError, match="the disk is full") as failure:
            import_with_evidence(store, evidence)
        assert "not saved" in str(failure.value)
        with store.reader() as session:
            assert session.scalar(select(func.count()).select_from(Institution)) == before
            assert verify_chain(session) is None
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] == 0
    finally:
        conn.close()
