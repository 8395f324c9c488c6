"""Who signs: the committee and its first member asked on a new database, "Who are you?" when the
database has members and this laptop names none in use, the member remembered at the next start,
and the audit trail naming that member instead of the computer's login."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry
from r2pdesk.members.models import Constituency, Role
from r2pdesk.members.queries import list_members
from r2pdesk.members.service import MemberSpec, add_member, committee, retire_member
from r2pdesk.store import Store
from tests.helpers.qt import shown
from ui import settings as options
from ui.firstrun import CommitteeStartDialog
from ui.guarded import GuardedDialog
from ui.member_dialogs import WhoAreYouDialog
from ui.member_signin import SignerLabel, start
from ui.operations import writes_pending
from ui.setup_dialogs import GroupDialog
from ui.setup_page import SetupPage


class Holder(QWidget):
    """Stands for the main window: what signing needs of it."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.member_dialog: GuardedDialog | None = None
        self.signer = SignerLabel(store, self)


def ok(qtbot: QtBot, dialog: GuardedDialog, *, closes: bool = True) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: writes_pending() == 0)
    qtbot.wait(20)
    if closes:
        qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())


def last_seq(store: Store) -> int:
    with store.reader() as session:
        return int(session.scalar(select(func.max(AuditEntry.seq))) or 0)


def signers_since(store: Store, seq: int) -> set[str]:
    with store.reader() as session:
        return set(session.scalars(select(AuditEntry.actor).where(AuditEntry.seq > seq)))


def three_members(store: Store) -> None:
    with store.session() as session:
        for name, role in (("Amina K.", Role.CHAIR), ("Jonas Weber", Role.MEMBER),
                           ("Sara Mendez", Role.SECRETARIAT)):
            add_member(session, MemberSpec(name, role=role))


def add_group_through_the_page(qtbot: QtBot, store: Store, name: str) -> None:
    page = shown(qtbot, SetupPage(store), 1024, 700)
    page.show_section("groups")
    qtbot.mouseClick(page.groups.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.dialog, GroupDialog) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, GroupDialog)
    qtbot.keyClicks(dialog.name, name)
    ok(qtbot, dialog)


def test_a_new_database_asks_the_committee_and_who_you_are(qtbot: QtBot, store: Store) -> None:
    holder = shown(qtbot, Holder(store), 1024, 700)
    assert "no member chosen" in holder.signer.text()
    before = last_seq(store)
    dialog = start(holder, holder)
    assert isinstance(dialog, CommitteeStartDialog)
    assert dialog.focusWidget() is dialog.committee_name
    qtbot.keyClicks(dialog.committee_name, "National Committee of Lorvania")
    qtbot.keyClicks(dialog.country, "Lorvania")
    qtbot.keyClicks(dialog.name, "Amina K.")
    dialog.constituency.set_value(Constituency.NHRI)
    ok(qtbot, dialog)
    assert store.actor.name == "Amina K."
    with store.reader() as session:
        assert committee(session).name == "National Committee of Lorvania"
        [member] = list_members(session)
    assert member.role is Role.SECRETARIAT
    assert member.constituency is Constituency.NHRI
    assert options.MEMBER_ID.read(options.open_settings()) == str(member.id)
    qtbot.waitUntil(lambda: holder.signer.text() == "Signed by Amina K.")
    add_group_through_the_page(qtbot, store, "Harani")
    assert signers_since(store, before) == {"Amina K."}  # her own addition included


def test_the_committee_form_keeps_what_was_typed_when_refused(
    qtbot: QtBot, store: Store
) -> None:
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, CommitteeStartDialog)
    qtbot.keyClicks(dialog.name, "Amina K.")
    ok(qtbot, dialog, closes=False)  # no committee name
    assert dialog.isVisible()
    assert dialog.name.text() == "Amina K."
    assert dialog.refusal is not None
    assert "name is needed" in dialog.refusal.text()
    assert dialog.focusWidget() is dialog.committee_name
    with store.reader() as session:
        assert list_members(session) == []  # nothing saved


def test_who_are_you_signs_as_the_member_chosen_and_remembers_them(
    qtbot: QtBot, store: Store
) -> None:
    three_members(store)
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, WhoAreYouDialog)
    with store.reader() as session:
        sara = next(m for m in list_members(session) if m.name == "Sara Mendez")
    dialog.member.setFocus()
    dialog.member.set_value(sara.id)
    ok(qtbot, dialog)
    assert store.actor.name == "Sara Mendez"
    qtbot.waitUntil(lambda: holder.signer.text() == "Signed by Sara Mendez")
    before = last_seq(store)
    add_group_through_the_page(qtbot, store, "Journalists")
    assert signers_since(store, before) == {"Sara Mendez"}

    # The next start on this laptop: no question, the same member signs.
    store.actor = type(store.actor)(name="login", device=store.actor.device)
    again = Holder(store)
    qtbot.addWidget(again)
    assert start(again, again) is None
    assert store.actor.name == "Sara Mendez"


def test_someone_not_yet_a_member_adds_themselves(qtbot: QtBot, store: Store) -> None:
    three_members(store)
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, WhoAreYouDialog)
    before = last_seq(store)
    qtbot.keyClicks(dialog.name, "Yusuf Haddad")
    assert dialog.add.isChecked()  # typing a name chooses "add me"
    dialog.constituency.set_value(Constituency.GOVERNMENT)
    ok(qtbot, dialog)
    assert store.actor.name == "Yusuf Haddad"
    with store.reader() as session:
        names = [m.name for m in list_members(session)]
    assert "Yusuf Haddad" in names
    assert signers_since(store, before) == {"Yusuf Haddad"}


def test_adding_yourself_under_a_name_taken_is_refused_beside_it(
    qtbot: QtBot, store: Store
) -> None:
    three_members(store)
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, WhoAreYouDialog)
    qtbot.keyClicks(dialog.name, "jonas weber")
    ok(qtbot, dialog, closes=False)
    assert dialog.isVisible()
    assert dialog.name.text() == "jonas weber"
    assert dialog.refusal is not None
    assert "already a member" in dialog.refusal.text()
    assert store.actor.name == "tester"


def test_a_member_remembered_but_retired_since_is_asked_again(
    qtbot: QtBot, store: Store
) -> None:
    three_members(store)
    with store.session() as session:
        jonas = next(m for m in list_members(session) if m.name == "Jonas Weber")
        retire_member(session, jonas.id)
    settings = options.open_settings()
    options.MEMBER_ID.write(settings, str(jonas.id))
    settings.sync()
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, WhoAreYouDialog)
    assert dialog.member.findText("Jonas Weber", Qt.MatchFlag.MatchStartsWith) == -1
    dialog.discard()
    assert store.actor.name == "tester"


def test_who_are_you_starts_with_nobody_chosen_and_ok_waits_for_a_choice(
    qtbot: QtBot, store: Store
) -> None:
    three_members(store)
    holder = shown(qtbot, Holder(store), 1024, 700)
    dialog = start(holder, holder)
    assert isinstance(dialog, WhoAreYouDialog)
    qtbot.waitExposed(dialog)
    assert dialog.member.currentIndex() == -1
    assert dialog.member.currentText() == ""
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.member, Qt.Key.Key_Return)  # Enter signs nobody
    qtbot.wait(20)
    assert dialog.isVisible()
    assert store.actor.name == "tester"

    qtbot.keyClicks(dialog.name, "Yusuf")
    assert dialog.ok.isEnabled()  # the add-yourself name typed
    dialog.name.clear()
    assert not dialog.ok.isEnabled()
    dialog.choose.setChecked(True)
    assert not dialog.ok.isEnabled()
    with store.reader() as session:
        sara = next(m for m in list_members(session) if m.name == "Sara Mendez")
    dialog.member.set_value(sara.id)
    assert dialog.ok.isEnabled()
    ok(qtbot, dialog)
    assert store.actor.name == "Sara Mendez"
