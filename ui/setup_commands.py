"""Undoable changes of the committee's lists: add, edit, retire and restore an entry, rename
the committee. Each step runs through the single writer (`ui.operations.run_write`) and
announces what it changed; the command goes on the page's undo stack once its first run worked.

An entry is never deleted: undoing an addition retires the entry, redoing it brings the same
entry back; undoing a retirement restores it. Merging is final and has no command here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from r2pdesk.context import service as context
from r2pdesk.i18n import N_, tr
from r2pdesk.members import service as members
from r2pdesk.sources import service as sources
from r2pdesk.store import Store, write_setting
from ui import changes as kinds
from ui.changes import Changed
from ui.operations import Refusal, run_write

Step = Callable[[Session], Any]


@dataclass(frozen=True)
class Entries:
    """One of the committee's lists: its record kind and the core's use cases over it."""

    kind: str  # the record kind announced (ui.changes)
    noun: str  # marked with N_: "member", "area" ...
    add: Callable[[Session, Any], uuid.UUID]
    edit: Callable[[Session, Any, Any], None]
    retire: Callable[[Session, Any], None]
    restore: Callable[[Session, Any], None]
    merge: Callable[[Session, Any, Any], int]


MEMBERS = Entries(kinds.MEMBER, N_("member"), members.add_member, members.edit_member,
                  members.retire_member, members.restore_member, members.merge_members)
AREAS = Entries(kinds.AREA, N_("area"), context.add_area, context.edit_area,
                context.retire_area, context.restore_area, context.merge_areas)
GROUPS = Entries(kinds.GROUP, N_("group"), context.add_group, context.edit_group,
                 context.retire_group, context.restore_group, context.merge_groups)
SOURCES = Entries(kinds.SOURCE, N_("source"), sources.add_source, sources.edit_source,
                  sources.retire_source, sources.restore_source, sources.merge_sources)


class SetupCommand(QUndoCommand):
    """One change of one list, run forward and back through the single writer."""

    def __init__(self, parent: QWidget, store: Store, text: str, kind: str, *,
                 forward: Step, backward: Step, record_id: uuid.UUID | None = None) -> None:
        super().__init__(text)
        self.parent_widget = parent
        self.store = store
        self.kind = kind
        self.forward = forward
        self.backward = backward
        self.record_id = record_id
        self.pushed = False  # the first run is made before the command goes on the stack

    def _changed(self, result: object) -> Changed:
        if isinstance(result, uuid.UUID):
            self.record_id = result
        return Changed.of(self.kind, ids=[self.record_id])

    def _run(self, step: Step) -> None:
        run_write(self.parent_widget, self.store, tr("Saving…"), step, changed=self._changed)

    def redo(self) -> None:
        if not self.pushed:
            self.pushed = True  # QUndoStack.push calls redo: the first run was made already
            return
        self._run(self.forward)

    def undo(self) -> None:
        self._run(self.backward)


def execute(stack: QUndoStack, command: SetupCommand, first: Step, *,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[Refusal], None] | None = None) -> None:
    """Make a change for the first time (`first`, which may differ from the redo, as an addition
    that later only restores) and put it on the stack once it worked."""
    def saved(result: object) -> None:
        stack.push(command)
        if on_success is not None:
            on_success(result)

    run_write(command.parent_widget, command.store, tr("Saving…"), first,
              changed=command._changed, on_success=saved, on_failure=on_failure)


# --- the changes -------------------------------------------------------------------------------

def add(parent: QWidget, store: Store, entries: Entries, spec: object, name: str
        ) -> tuple[SetupCommand, Step]:
    """A new entry; undone by retiring it, redone by restoring the same entry."""
    command = SetupCommand(parent, store, tr("Add {name}").format(name=name), entries.kind,
                           forward=lambda s: None, backward=lambda s: None)
    command.forward = lambda s: entries.restore(s, command.record_id)
    command.backward = lambda s: entries.retire(s, command.record_id)
    return command, lambda s: entries.add(s, spec)


def edit(parent: QWidget, store: Store, entries: Entries, record_id: uuid.UUID, *,
         before: object, after: object, name: str) -> tuple[SetupCommand, Step]:
    """New details of an entry; undone by putting the old ones back."""
    forward: Step = lambda s: entries.edit(s, record_id, after)  # noqa: E731
    command = SetupCommand(parent, store, tr("Edit {name}").format(name=name), entries.kind,
                           forward=forward, backward=lambda s: entries.edit(s, record_id, before),
                           record_id=record_id)
    return command, forward


def retire(parent: QWidget, store: Store, entries: Entries, record_id: uuid.UUID,
           name: str) -> tuple[SetupCommand, Step]:
    """Take an entry out of the lists; undone by restoring it."""
    forward: Step = lambda s: entries.retire(s, record_id)  # noqa: E731
    command = SetupCommand(parent, store, tr("Retire {name}").format(name=name), entries.kind,
                           forward=forward, backward=lambda s: entries.restore(s, record_id),
                           record_id=record_id)
    return command, forward


def restore(parent: QWidget, store: Store, entries: Entries, record_id: uuid.UUID,
            name: str) -> tuple[SetupCommand, Step]:
    """Bring a retired entry back; undone by retiring it again."""
    forward: Step = lambda s: entries.restore(s, record_id)  # noqa: E731
    command = SetupCommand(parent, store, tr("Restore {name}").format(name=name), entries.kind,
                           forward=forward, backward=lambda s: entries.retire(s, record_id),
                           record_id=record_id)
    return command, forward


def rename_committee(parent: QWidget, store: Store, before: members.Committee,
                     after: tuple[str, str]) -> tuple[SetupCommand, Step]:
    """The committee's name and country; undone by putting the old ones back."""
    forward: Step = lambda s: members.set_committee(s, *after)  # noqa: E731
    old = (before.name, before.country)

    def backward(session: Session) -> None:
        if old[0]:
            members.set_committee(session, *old)
        else:  # it had no name yet: the core refuses an empty one, so write the settings
            write_setting(session, members.COMMITTEE_NAME, "")
            write_setting(session, members.COMMITTEE_COUNTRY, old[1])

    command = SetupCommand(parent, store, tr("Rename the committee"), kinds.COMMITTEE,
                           forward=forward, backward=backward)
    return command, forward
