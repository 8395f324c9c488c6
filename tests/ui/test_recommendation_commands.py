"""Undo and redo of recommendation edits, on a bare QUndoStack over a real database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import Priority, ProgressUpdate, Recommendation, RecStatus
from r2pdesk.recommendations.service import (
    Adoption,
    ProgressInput,
    RecommendationInput,
    current_input,
)
from r2pdesk.sources.attachments import read_evidence
from r2pdesk.sources.models import Attachment
from r2pdesk.store import Store
from ui.recommendation_commands import (
    AdoptCommand,
    CreateCommand,
    EditCommand,
    ProgressCommand,
    execute,
)

TODAY = date(2026, 11, 21)
MADE = date(2026, 3, 1)


def _count(store: Store, model: type[object]) -> int:
    with store.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _status(store: Store, rec_id: uuid.UUID) -> RecStatus | None:
    with store.reader() as session:
        rec = session.get(Recommendation, rec_id)
        return None if rec is None else rec.status


def test_adoption_undone_and_redone_is_the_same_record(qtbot: QtBot, store: Store) -> None:
    stack = QUndoStack()
    changes: list[int] = []
    command = AdoptCommand(store, ["2009-MS-01", "2015-MS-03"], Adoption(made_on=MADE),
                           on_change=lambda: changes.append(1))
    assert execute(stack, command) is None
    assert stack.count() == 1
    assert _count(store, Recommendation) == 2
    stack.undo()
    assert _count(store, Recommendation) == 0
    stack.redo()
    with store.reader() as session:
        ids = set(session.scalars(select(Recommendation.id)))
    assert ids == set(command.rec_ids)
    assert len(changes) == 3
    assert stack.undoText() == "Adopt 2 catalogue recommendations"


def test_a_refused_command_is_not_put_on_the_stack(qtbot: QtBot, store: Store) -> None:
    stack = QUndoStack()
    assert execute(stack, AdoptCommand(store, ["2009-MS-01"], Adoption(made_on=MADE))) is None
    again = AdoptCommand(store, ["2009-MS-01"], Adoption(made_on=MADE))
    error = execute(stack, again)
    assert error is not None
    assert "already adopted" in error
    assert stack.count() == 1
    empty = CreateCommand(store, RecommendationInput(text=" ", made_on=MADE))
    assert execute(stack, empty) == "text: a recommendation needs its text"
    assert stack.count() == 1
    assert _count(store, Recommendation) == 1


def test_edits_undo_to_the_old_values_for_every_record(qtbot: QtBot, store: Store) -> None:
    with store.session() as session:
        lead = Institution(name="Ministry of Justice")
        session.add(lead)
        session.flush()
        lead_id = lead.id
    stack = QUndoStack()
    adopted = AdoptCommand(store, ["2009-MS-01", "2009-MS-02"], Adoption(made_on=MADE))
    execute(stack, adopted)
    assign = EditCommand(
        store, "Assign lead",
        {rec_id: lambda d: replace(d, lead_institution_id=lead_id, priority=Priority.HIGH)
         for rec_id in adopted.rec_ids},
    )
    assert execute(stack, assign) is None
    with store.reader() as session:
        assert {current_input(session, i).lead_institution_id for i in adopted.rec_ids} == {
            lead_id}
    stack.undo()
    with store.reader() as session:
        before = [current_input(session, i) for i in adopted.rec_ids]
    assert {d.lead_institution_id for d in before} == {None}
    assert {d.priority for d in before} == {Priority.MEDIUM}
    stack.redo()
    with store.reader() as session:
        assert {current_input(session, i).priority for i in adopted.rec_ids} == {Priority.HIGH}


def test_progress_with_evidence_undone_and_redone(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    evidence = tmp_path / "decree.pdf"
    evidence.write_bytes(b"%PDF-1.4 decree")
    stack = QUndoStack()
    create = CreateCommand(store, RecommendationInput(text="Adopt a decree", made_on=MADE))
    execute(stack, create)
    progress = ProgressCommand(
        store, create.rec_id,
        ProgressInput(on=TODAY, status=RecStatus.IMPLEMENTED, narrative="Signed",
                      evidence=(read_evidence(evidence),)),
        today=TODAY,
    )
    assert execute(stack, progress) is None
    assert _status(store, create.rec_id) is RecStatus.IMPLEMENTED
    assert _count(store, Attachment) == 1
    stack.undo()
    assert _status(store, create.rec_id) is RecStatus.NOT_STARTED
    assert _count(store, Attachment) == 0
    assert _count(store, ProgressUpdate) == 0
    stack.undo()
    assert _status(store, create.rec_id) is None
    stack.redo()
    stack.redo()
    assert _status(store, create.rec_id) is RecStatus.IMPLEMENTED
    assert _count(store, Attachment) == 1
    assert not stack.canRedo()


def test_progress_refused_by_the_core_leaves_the_stack_as_it_was(
    qtbot: QtBot, store: Store
) -> None:
    stack = QUndoStack()
    create = CreateCommand(store, RecommendationInput(text="x", made_on=MADE))
    execute(stack, create)
    early = ProgressCommand(store, create.rec_id,
                            ProgressInput(on=date(2026, 1, 1), status=RecStatus.IN_PROGRESS),
                            today=TODAY)
    error = execute(stack, early)
    assert error is not None
    assert "before the recommendation was made" in error
    assert stack.count() == 1
    assert stack.undoText() == "New recommendation"
