"""Undoable edits of recommendations: thin `QUndoCommand`s over the core's use cases.

Each command runs one use case in one session. It remembers what it needs to go back (the old
values, or the ids it created, so that a creation redone is the same record again). A command
runs first through `execute`, which puts it on the stack only when it worked and otherwise
returns the message for the page to show; nothing was saved.

Every run that worked (the first, each undo and redo) takes its turn with the single writer
(`ui.operations.write_now`) and announces what it changed (`footprint`) so every view reads it
again.

Undoing a progress update takes back an entry just recorded; the history is otherwise only
ever added to.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.orm import Session

from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr
from r2pdesk.recommendations.service import (
    STATUS_LABELS,
    Adoption,
    ProgressInput,
    RecommendationInput,
    add_progress,
    adopt,
    create_recommendation,
    current_input,
    delete_recommendation,
    remove_progress,
    update_recommendation,
)
from r2pdesk.store import Store
from ui.changes import PROGRESS, RECOMMENDATION, Changed
from ui.operations import write_now

Work = Callable[[Session], None]


class StoreCommand(QUndoCommand):
    """A command whose redo and undo each run a use case in one transaction."""

    def __init__(self, store: Store, text: str, on_change: Callable[[], None] | None) -> None:
        super().__init__(text)
        self.store = store
        self.on_change = on_change
        self.error: str | None = None
        self._applied = False  # set by `execute`, so that the stack's first redo does not repeat it

    def forward(self, session: Session) -> None:
        """Apply the change."""
        raise NotImplementedError

    def backward(self, session: Session) -> None:
        """Take the change back."""
        raise NotImplementedError

    def footprint(self) -> Changed | None:
        """What a run changes, announced after each run that worked (first, undo, redo);
        None when the command announces for itself."""
        return None

    def _run(self, work: Work) -> bool:
        try:
            write_now(self.store, work, self.footprint())
        except KnownError as exc:
            self.error = str(exc)
            return False
        self.error = None
        if self.on_change is not None:
            self.on_change()
        return True

    def apply(self) -> bool:
        """The first run, before the command goes on a stack: did it work?"""
        self._applied = self._run(self.forward)
        return self._applied

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._run(self.forward)

    def undo(self) -> None:
        self._run(self.backward)


def execute(stack: QUndoStack, command: StoreCommand) -> str | None:
    """Apply a command and put it on the stack; or return why it could not be applied."""
    if not command.apply():
        return command.error
    stack.push(command)
    return None


class CreateCommand(StoreCommand):
    """Write a new recommendation."""

    def __init__(
        self, store: Store, data: RecommendationInput, on_change: Callable[[], None] | None = None
    ) -> None:
        super().__init__(store, tr("New recommendation"), on_change)
        self.data = data
        self.rec_id = uuid.uuid4()

    def footprint(self) -> Changed:
        return Changed.of(RECOMMENDATION, ids=[self.rec_id])

    def forward(self, session: Session) -> None:
        create_recommendation(session, self.data, self.rec_id)

    def backward(self, session: Session) -> None:
        delete_recommendation(session, self.rec_id)


class AdoptCommand(StoreCommand):
    """Adopt catalogue recommendations."""

    def __init__(
        self,
        store: Store,
        catalogue_ids: Sequence[str],
        adoption: Adoption,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        n = len(catalogue_ids)
        text = (tr("Adopt 1 catalogue recommendation") if n == 1
                else tr("Adopt {count} catalogue recommendations").format(count=n))
        super().__init__(store, text, on_change)
        self.catalogue_ids = list(catalogue_ids)
        self.adoption = adoption
        self.rec_ids = [uuid.uuid4() for _ in catalogue_ids]

    def footprint(self) -> Changed:
        return Changed.of(RECOMMENDATION, ids=self.rec_ids)

    def forward(self, session: Session) -> None:
        adopt(session, self.catalogue_ids, self.adoption, self.rec_ids)

    def backward(self, session: Session) -> None:
        for rec_id in self.rec_ids:
            delete_recommendation(session, rec_id)


class EditCommand(StoreCommand):
    """Save new values of several recommendations' fields (one edit, or one lead for many)."""

    def __init__(
        self,
        store: Store,
        text: str,
        changes: dict[uuid.UUID, Callable[[RecommendationInput], RecommendationInput]],
        on_change: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(store, text, on_change)
        self.changes = changes
        self.before: dict[uuid.UUID, RecommendationInput] = {}
        self.after: dict[uuid.UUID, RecommendationInput] = {}

    def footprint(self) -> Changed:
        return Changed.of(RECOMMENDATION, ids=self.changes)

    def forward(self, session: Session) -> None:
        if not self.after:  # first run: compute from what is in the database now
            self.before = {i: current_input(session, i) for i in self.changes}
            self.after = {i: change(self.before[i]) for i, change in self.changes.items()}
        for rec_id, data in self.after.items():
            update_recommendation(session, rec_id, data)

    def backward(self, session: Session) -> None:
        for rec_id, data in self.before.items():
            update_recommendation(session, rec_id, data)



class ProgressCommand(StoreCommand):
    """Record a progress update, with its evidence."""

    def __init__(
        self,
        store: Store,
        rec_id: uuid.UUID,
        progress: ProgressInput,
        today: date,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        status = tr(STATUS_LABELS[progress.status]).lower()
        super().__init__(store, tr("Record progress ({status})").format(status=status),
                         on_change)
        self.rec_id = rec_id
        self.progress = progress
        self.today = today
        self.update_id = uuid.uuid4()

    def footprint(self) -> Changed:
        return Changed.of(RECOMMENDATION, PROGRESS, ids=[self.rec_id, self.update_id])

    def forward(self, session: Session) -> None:
        add_progress(session, self.rec_id, self.progress, today=self.today,
                     update_id=self.update_id)

    def backward(self, session: Session) -> None:
        remove_progress(session, self.update_id)
