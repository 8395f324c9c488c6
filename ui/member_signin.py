"""Who signs: at start the member this laptop's settings name, else the person is asked ("Who are
you?", or on a new database the committee's name and their own); File > Switch member…; the
status bar says who signs."""

from __future__ import annotations

import uuid
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.members.models import Member
from r2pdesk.members.queries import list_members
from r2pdesk.members.service import act_as, find_member
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.changes import Changed, changes, on_change
from ui.firstrun import CommitteeStartDialog
from ui.guarded import GuardedDialog
from ui.member_dialogs import WhoAreYouDialog


class Window(Protocol):
    """The main window as signing needs it."""

    store: Store
    member_dialog: GuardedDialog | None


def signer(store: Store) -> Member | None:
    """The member in use who signs, or None while the computer's login does."""
    with store.reader() as session:
        member = find_member(session, store.actor.name)
        if member is None or member.retired:
            return None
        session.expunge(member)
        return member


def remembered(store: Store) -> bool:
    """Sign as the member this laptop's settings name, when they are a member in use."""
    wanted = options.MEMBER_ID.read(options.open_settings())
    if not wanted:
        return False
    try:
        uuid.UUID(wanted)
        act_as(store, wanted)
    except (ValueError, InputError):
        return False
    return True


def _signed(member_id: uuid.UUID) -> None:
    """A member now signs: keep them for the next start, and tell the views."""
    settings = options.open_settings()
    options.MEMBER_ID.write(settings, str(member_id))
    settings.sync()
    changes.announce(Changed.of(kinds.MEMBER, ids=[member_id]))


def ask(window: Window, parent: QWidget) -> GuardedDialog:
    """Ask who signs: on a database without members, the committee's name and the first member;
    else "Who are you?". Opened without blocking over `parent`."""
    with window.store.reader() as session:
        anyone = bool(list_members(session, include_retired=True))
    dialog: GuardedDialog = (WhoAreYouDialog(window.store, _signed, parent) if anyone
                             else CommitteeStartDialog(window.store, _signed, parent))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.finished.connect(dialog.deleteLater)
    window.member_dialog = dialog
    dialog.open()
    return dialog


def start(window: Window, parent: QWidget) -> GuardedDialog | None:
    """At start, once the database is open: the member remembered signs, or the person is
    asked. Returns the dialog asking, if any."""
    if remembered(window.store):
        changes.announce(Changed.of(kinds.MEMBER))
        return None
    return ask(window, parent)


class SignerLabel(QLabel):
    """The status bar's word on who signs what is written."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setAccessibleName(tr("Who signs"))
        self.refresh()
        self.refresher = on_change(self, {kinds.MEMBER}, lambda _changed: self.refresh())

    def refresh(self) -> None:
        """Say again who signs."""
        member = signer(self.store)
        if member is not None:
            self.setText(tr("Signed by {name}").format(name=member.name))
            self.setToolTip(tr("What you change is signed with this name in the audit trail. "
                               "File > Switch member… to change it."))
        else:
            self.setText(tr("Signed by {login} (no member chosen)").format(
                login=self.store.actor.name or "?"))
            self.setToolTip(tr("Choose who you are with File > Switch member…"))
