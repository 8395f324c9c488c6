"""Undo and redo of every change of an early warning, on a bare QUndoStack over a real database:
each undo gives back the register as it was, each redo as the change left it, and the audit
trail records both."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.context.models import Area
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Resolution,
    ResponseKind,
    Severity,
    WarningEvent,
    WarningId,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_area,
)
from r2pdesk.earlywarning.service import WarningDraft
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.store import Store
from ui import warning_commands as commands
from ui.changes import WARNING, Changed, changes
from ui.recommendation_commands import execute

TODAY = date(2026, 11, 21)


def _world(store: Store) -> tuple[InstitutionId, uuid.UUID]:
    with store.session() as session:
        justice = Institution(name="Ministry of Justice")
        area = Area(name="Ostrel", level="district")
        session.add_all([justice, area])
        session.flush()
        return InstitutionId(justice.id), area.id


def _register(store: Store) -> dict[str, Any]:
    """Everything of every warning a member can change, read with plain queries."""
    with store.reader() as session:
        warnings = {
            w.id: (w.reference, w.title, w.status, w.severity, w.issued_on, w.response_due,
                   w.closed_on, w.resolution, w.resolution_note)
            for w in session.scalars(select(EarlyWarning))
        }
        responses = {(r.id, r.warning_id, r.on, r.kind, r.action_taken)
                     for r in session.scalars(select(WarningResponse))}
        events = {(e.id, e.warning_id, e.at, e.kind, e.from_value, e.to_value, e.reason)
                  for e in session.scalars(select(WarningEvent))}
        links = {tuple(row) for row in session.execute(select(warning_area))} | {
            tuple(row) for row in session.execute(select(warning_addressee))}
    return {"warnings": warnings, "responses": responses, "events": events, "links": links}


def _audited(store: Store) -> list[tuple[str, str]]:
    with store.reader() as session:
        assert verify_chain(session) is None
        return [(e.action, e.table_name) for e in
                session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def _check(stack: QUndoStack, store: Store, command: commands.WarningCommand,
           before: dict[str, Any]) -> dict[str, Any]:
    """Run a command, then undo, redo: the register as it was, then as changed, twice over."""
    assert execute(stack, command) is None, command.error
    after = _register(store)
    assert after != before
    stack.undo()
    assert _register(store) == before
    stack.redo()
    assert _register(store) == after
    stack.undo()
    stack.redo()
    assert _register(store) == after
    return after


def test_a_warnings_whole_life_is_undone_step_by_step(qtbot: QtBot, store: Store) -> None:
    justice, area = _world(store)
    stack = QUndoStack()
    refreshed: list[int] = []
    on_change = lambda: refreshed.append(1)  # noqa: E731 - a counter
    empty = _register(store)

    draft = WarningDraft(title="Armed men at the Ostrel market", severity=Severity.HIGH,
                         area_ids=(area,))  # type: ignore[arg-type]
    create = commands.create(store, draft, TODAY, on_change)
    states = [empty, _check(stack, store, create, empty)]
    warning_id = create.warning_id
    assert warning_id is not None
    assert states[-1]["warnings"][warning_id][0] == "EW-2026-001"  # redone: the same record

    addressed = WarningDraft(title="Armed men at the Ostrel market", severity=Severity.HIGH,
                             area_ids=(area,), addressee_ids=(justice,))  # type: ignore[arg-type]
    steps = [
        commands.edit(store, warning_id, "EW-2026-001", addressed, on_change),
        commands.issue(store, warning_id, "EW-2026-001", TODAY, on_change),
        commands.respond(store, warning_id, "EW-2026-001", institution=justice, on=TODAY,
                         kind=ResponseKind.ACTION, action_taken="Patrols sent", outcome="",
                         today=TODAY, on_change=on_change),
        commands.escalate(store, warning_id, "EW-2026-001", severity=Severity.CRITICAL,
                          reason="Shots fired", today=TODAY, on_change=on_change),
        commands.close(store, warning_id, "EW-2026-001", resolution=Resolution.RESOLVED,
                       note="The men left", on=TODAY, today=TODAY, on_change=on_change),
    ]
    for command in steps:
        states.append(_check(stack, store, command, states[-1]))
    final = states[-1]["warnings"][warning_id]
    assert final[2] is WarningStatus.CLOSED
    assert final[3] is Severity.CRITICAL
    assert stack.count() == 6

    # Back to the empty register one step at a time, each state as it was; then all the way on.
    for state in reversed(states[:-1]):
        stack.undo()
        assert _register(store) == state
    for state in states[1:]:
        stack.redo()
        assert _register(store) == state
    assert refreshed

    audited = _audited(store)
    assert ("delete", "early_warning") in audited  # the creation undone
    assert ("delete", "warning_response") in audited
    assert ("delete", "warning_event") in audited


def test_each_run_undo_and_redo_announces_the_warning(qtbot: QtBot, store: Store) -> None:
    heard: list[Changed] = []
    changes.changed.connect(heard.append)
    try:
        stack = QUndoStack()
        create = commands.create(store, WarningDraft(title="Draft"), TODAY)
        assert execute(stack, create) is None
        stack.undo()
        stack.redo()
    finally:
        changes.changed.disconnect(heard.append)
    assert len(heard) == 3
    assert all(WARNING in c.kinds and create.warning_id in c.ids for c in heard)


def test_a_refused_change_is_not_on_the_stack(qtbot: QtBot, store: Store) -> None:
    stack = QUndoStack()
    create = commands.create(store, WarningDraft(title="Draft"), TODAY)
    assert execute(stack, create) is None
    assert create.warning_id is not None
    before = _register(store)
    issue = commands.issue(store, create.warning_id, "EW-2026-001", TODAY)
    assert execute(stack, issue) == "severity: choose a severity before issuing the warning"
    assert stack.count() == 1
    assert _register(store) == before


def test_a_deleted_draft_comes_back_with_an_undo(qtbot: QtBot, store: Store) -> None:
    justice, area = _world(store)
    stack = QUndoStack()
    draft = WarningDraft(title="Draft", severity=Severity.LOW, area_ids=(area,),  # type: ignore[arg-type]
                         addressee_ids=(justice,))
    create = commands.create(store, draft, TODAY)
    assert execute(stack, create) is None
    warning_id = WarningId(create.warning_id)  # type: ignore[arg-type]
    kept = _register(store)
    delete = commands.delete_draft(store, warning_id, "EW-2026-001")
    assert execute(stack, delete) is None
    assert _register(store)["warnings"] == {}
    assert _register(store)["links"] == set()
    stack.undo()
    assert _register(store) == kept
    stack.redo()
    assert _register(store)["warnings"] == {}
    assert ("delete", "early_warning") in _audited(store)


def test_an_issued_warning_cannot_be_deleted(qtbot: QtBot, store: Store) -> None:
    justice, _area = _world(store)
    stack = QUndoStack()
    create = commands.create(store, WarningDraft(title="Sent", severity=Severity.LOW,
                                                 addressee_ids=(justice,)), TODAY)
    assert execute(stack, create) is None
    warning_id = WarningId(create.warning_id)  # type: ignore[arg-type]
    assert execute(stack, commands.issue(store, warning_id, "EW-2026-001", TODAY)) is None
    error = execute(stack, commands.delete_draft(store, warning_id, "EW-2026-001"))
    assert error is not None
    assert "only a draft can be deleted" in error
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 1
