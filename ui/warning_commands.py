"""Undoable changes of early warnings: thin `QUndoCommand`s over the core's use cases.

A change is made the first time by its use case (which checks it and may refuse it). The command
keeps the warning as it was before and as the change left it (`r2pdesk.earlywarning.snapshot`);
undo puts the first back, redo the second, so a redone step is the same record with the same
dates, and every undo and redo is audited as the change it makes.

They run like the recommendations' commands (`ui.recommendation_commands.execute`): on a stack
only once the first run worked, else the core's message for the page to show. Each run that
worked announces the warning as changed (`ui.changes`), so every view reads it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from r2pdesk.earlywarning import service
from r2pdesk.earlywarning.models import EarlyWarning, Resolution, ResponseKind, Severity, WarningId
from r2pdesk.earlywarning.service import WarningDraft, WarningState
from r2pdesk.earlywarning.snapshot import WarningSnapshot, put_back, take
from r2pdesk.i18n import tr
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.store import Store
from ui.changes import WARNING, Changed, changes
from ui.recommendation_commands import StoreCommand

Change = Callable[[Session], WarningState | None]
OnChange = Callable[[], None] | None


class WarningCommand(StoreCommand):
    """One change of one warning (or a new one), undone and redone by putting it back."""

    def __init__(self, store: Store, text: str, warning_id: WarningId | None, change: Change,
                 on_change: OnChange = None) -> None:
        super().__init__(store, text, self._changed)
        self.then = on_change
        self.warning_id = warning_id
        self.change = change
        self.before: WarningSnapshot | None = None
        self.after: WarningSnapshot | None = None
        self.made = False  # the use case ran; from then on the snapshots are put back

    def _changed(self) -> None:
        """Every run that worked, the first, undo and redo: say so to every view."""
        changes.announce(Changed.of(WARNING, ids=[self.warning_id]))
        if self.then is not None:
            self.then()

    def _now(self, session: Session) -> WarningSnapshot | None:
        if self.warning_id is None or session.get(EarlyWarning, self.warning_id) is None:
            return None
        return take(session, self.warning_id)

    def forward(self, session: Session) -> None:
        if self.made:
            assert self.warning_id is not None
            put_back(session, self.warning_id, self.after)
            return
        self.before = self._now(session)
        state = self.change(session)
        if state is not None:
            self.warning_id = state.id
        self.after = self._now(session)
        self.made = True

    def backward(self, session: Session) -> None:
        if self.warning_id is not None:
            put_back(session, self.warning_id, self.before)


def create(store: Store, draft: WarningDraft, today: date,
           on_change: OnChange = None) -> WarningCommand:
    """Write a new draft warning."""
    return WarningCommand(store, tr("New warning"), None,
                          lambda s: service.create_warning(s, draft, today), on_change)


def edit(store: Store, warning_id: WarningId, reference: str, draft: WarningDraft,
         on_change: OnChange = None) -> WarningCommand:
    """Save what was written of a warning."""
    return WarningCommand(store, tr("Edit {reference}").format(reference=reference), warning_id,
                          lambda s: service.update_warning(s, warning_id, draft), on_change)


def issue(store: Store, warning_id: WarningId, reference: str, today: date,
          on_change: OnChange = None) -> WarningCommand:
    """Send a draft to its addressees."""
    return WarningCommand(store, tr("Issue {reference}").format(reference=reference), warning_id,
                          lambda s: service.issue_warning(s, warning_id, today), on_change)


def respond(store: Store, warning_id: WarningId, reference: str, *,
            institution: InstitutionId, on: date, kind: ResponseKind, action_taken: str,
            outcome: str, today: date, on_change: OnChange = None) -> WarningCommand:
    """Log what an institution did about a warning."""
    return WarningCommand(
        store, tr("Record a response to {reference}").format(reference=reference), warning_id,
        lambda s: service.record_response(s, warning_id, institution, on, kind,
                                          action_taken=action_taken, outcome=outcome,
                                          today=today),
        on_change)


def escalate(store: Store, warning_id: WarningId, reference: str, *, severity: Severity,
             reason: str, today: date, on_change: OnChange = None) -> WarningCommand:
    """Raise a warning's severity."""
    return WarningCommand(store, tr("Escalate {reference}").format(reference=reference),
                          warning_id,
                          lambda s: service.escalate(s, warning_id, severity, reason, today),
                          on_change)


def close(store: Store, warning_id: WarningId, reference: str, *,
          resolution: Resolution | None, note: str, on: date, today: date,
          on_change: OnChange = None) -> WarningCommand:
    """Close a warning with its resolution."""
    return WarningCommand(
        store, tr("Close {reference}").format(reference=reference), warning_id,
        lambda s: service.close_warning(s, warning_id, resolution, note, on, today=today),
        on_change)


def delete_draft(store: Store, warning_id: WarningId, reference: str,
                 on_change: OnChange = None) -> WarningCommand:
    """Delete a draft warning."""

    def change(session: Session) -> None:
        service.delete_draft(session, warning_id)

    return WarningCommand(store, tr("Delete draft {reference}").format(reference=reference),
                          warning_id, change, on_change)
