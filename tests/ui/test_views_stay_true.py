"""Views stay true to the database: every write goes through one helper that runs it on a
single writer and announces what changed, and every view that shows it reads it again."""

from __future__ import annotations

import itertools
import threading
import time
import uuid

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.institutions.service import InstitutionInput, find_institution, save_institution
from r2pdesk.store import Store
from ui import changes as kinds
from ui.changes import Changed, changes
from ui.operations import Refusal, run_write, writes_pending


def test_a_write_announces_its_kinds_and_ids(qtbot: QtBot, store: Store) -> None:
    heard: list[Changed] = []
    changes.changed.connect(heard.append)
    saved: list[uuid.UUID] = []

    def work(session: Session) -> uuid.UUID:
        return save_institution(session, InstitutionInput(name="Ministry of Water"))

    try:
        run_write(None, store, "Saving…", work,
                  changed=lambda new_id: Changed.of(kinds.INSTITUTION, ids=[new_id]),
                  on_success=saved.append)
        qtbot.waitUntil(lambda: bool(saved))
    finally:
        changes.changed.disconnect(heard.append)
    assert len(heard) == 1
    assert heard[0].kinds == {kinds.INSTITUTION, kinds.AUDIT}
    assert heard[0].ids == {saved[0]}
    with store.reader() as session:
        row = find_institution(session, "Ministry of Water")
    assert row is not None
    assert row.id == saved[0]


def test_two_writes_started_together_run_one_after_the_other(qtbot: QtBot, store: Store) -> None:
    spans: list[tuple[str, float, float]] = []
    inside = threading.Lock()
    overlapped: list[str] = []

    def slow(name: str) -> object:
        def work(session: Session) -> str:
            if not inside.acquire(blocking=False):
                overlapped.append(name)
                inside.acquire()
            start = time.monotonic()
            save_institution(session, InstitutionInput(name=name))
            time.sleep(0.15)
            spans.append((name, start, time.monotonic()))
            inside.release()
            return name
        return work

    ended: list[str] = []
    for name in ("First ministry", "Second ministry", "Third ministry"):
        run_write(None, store, "Saving…", slow(name),
                  changed=Changed.of(kinds.INSTITUTION), on_success=ended.append)
    assert writes_pending() == 3
    qtbot.waitUntil(lambda: len(ended) == 3, timeout=5000)
    assert writes_pending() == 0
    assert not overlapped
    assert [name for name, _start, _end in spans] == ended == [
        "First ministry", "Second ministry", "Third ministry"]
    for (_a, _s, first_end), (_b, second_start, _e) in itertools.pairwise(spans):
        assert second_start >= first_end


def test_a_refusal_names_its_field_and_announces_nothing(qtbot: QtBot, store: Store) -> None:
    heard: list[Changed] = []
    refusals: list[Refusal] = []
    changes.changed.connect(heard.append)

    def work(_session: Session) -> None:
        raise InputError("Name: give a name", field="name")

    try:
        run_write(None, store, "Saving…", work, changed=Changed.of(kinds.INSTITUTION),
                  on_failure=refusals.append)
        qtbot.waitUntil(lambda: bool(refusals))
    finally:
        changes.changed.disconnect(heard.append)
    assert refusals == [Refusal("Name: give a name", "name")]
    assert heard == []


def test_an_unknown_kind_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="institutions"):
        Changed.of("institutions")


def test_a_refresher_coalesces_and_waits_while_hidden(qtbot: QtBot) -> None:
    widget = QLineEdit()
    qtbot.addWidget(widget)
    seen: list[Changed] = []
    refresher = kinds.on_change(widget, {kinds.INSTITUTION, kinds.WARNING}, seen.append)
    changes.announce(Changed.of(kinds.INSTITUTION))
    qtbot.wait(20)
    assert seen == []  # hidden: only remembered
    assert refresher.stale
    widget.show()
    qtbot.waitUntil(lambda: len(seen) == 1)
    a, b = uuid.uuid4(), uuid.uuid4()
    changes.announce(Changed.of(kinds.INSTITUTION, ids=[a]))
    changes.announce(Changed.of(kinds.WARNING, ids=[b]))
    changes.announce(Changed.of(kinds.ASSESSMENT))  # not shown: ignored
    qtbot.waitUntil(lambda: len(seen) == 2)
    qtbot.wait(20)
    assert len(seen) == 2
    assert seen[1].kinds == {kinds.INSTITUTION, kinds.WARNING, kinds.AUDIT}
    assert seen[1].ids == {a, b}
