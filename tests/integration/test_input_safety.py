"""Hostile attachment names are kept as text and never become paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from r2pdesk.sources.attachments import (
    MAX_NAME,
    STORED_NAME,
    EvidenceFile,
    export_attachment,
    load_attachment,
    read_evidence,
    save_attachment,
)
from r2pdesk.sources.models import Attachment
from r2pdesk.store import Store

HOSTILE = [
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\config\\SAM",
    "..\\x",
    "CON",
    "con.txt",
    "NUL.pdf",
    "LPT1",
    "a\x00b",
    "a" * 1000,
    "x" * 990 + ".pdf",
    "/absolute/path/evil.sh",
    "C:\\evil.exe",
    "name\nwith\rbreaks\t.pdf",
    "\u202egnp.exe",  # right-to-left override: shows as "exe.png"
    ".",
    "..",
    "",
]


def every_file(root: Path) -> set[Path]:
    return {Path(dirpath) / name for dirpath, _dirs, names in os.walk(root) for name in names}


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n)[:30])
def test_a_hostile_name_is_only_text(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    workdir = tmp_path / "deep" / "work"  # where a relative name would land if it were a path
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    before = every_file(tmp_path)
    with store.session() as session:
        attachment = save_attachment(session, EvidenceFile(name, b"%PDF-1.4 evidence", "x/y"))
    assert every_file(tmp_path) == before  # nothing written beside the database or the cwd
    with store.reader() as session:
        stored, shown = session.execute(select(Attachment.stored_name, Attachment.original_name)
                                        .where(Attachment.id == attachment.id)).one()
        _, data = load_attachment(session, attachment.id)
    assert STORED_NAME.match(stored)
    assert stored.startswith(attachment.id.hex)
    assert "/" not in stored
    assert "\\" not in stored
    assert "\x00" not in shown
    assert all(ch.isprintable() for ch in shown)
    assert 0 < len(shown) <= MAX_NAME
    assert data == b"%PDF-1.4 evidence"


def test_export_writes_only_where_the_user_chose(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        attachment = save_attachment(session, EvidenceFile("../../escape.txt", b"x", "text/plain"))
    target = tmp_path / "chosen" / "here.txt"
    target.parent.mkdir()
    with store.reader() as session:
        export_attachment(session, attachment.id, target)
    assert every_file(tmp_path) - {store.path, Path(f"{store.path}-wal"),
                                   Path(f"{store.path}-shm")} == {target}


@pytest.mark.parametrize("name", ["CON", "a" * 250 + ".pdf", "..x", "report .pdf"])
def test_reading_a_file_with_an_odd_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"content")
    evidence = read_evidence(path)
    assert evidence.original_name == name[:MAX_NAME]
    assert evidence.data == b"content"
