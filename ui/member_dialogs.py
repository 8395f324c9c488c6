""""Who are you?": the member who signs what this laptop writes, chosen from the committee's
members or added on the spot."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.audit import Actor
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import clean_name
from r2pdesk.members.labels import CONSTITUENCY_LABELS, role_label
from r2pdesk.members.models import Constituency, MemberId, Role
from r2pdesk.members.queries import list_members
from r2pdesk.members.service import MemberSpec, act_as, add_member
from r2pdesk.store import Store
from ui import changes as kinds
from ui.changes import Changed
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog
from ui.operations import Refusal, run_write

Signed = Callable[[uuid.UUID], None]  # told the member who now signs


def constituency_combo() -> ValueCombo[Constituency]:
    """The constituencies a member sits for, "other" first chosen."""
    combo = ValueCombo((tr(label), value) for value, label in CONSTITUENCY_LABELS.items())
    combo.set_value(Constituency.OTHER)
    return combo


def add_yourself(session: Session, store: Store, spec: MemberSpec) -> MemberId:
    """Add the person at the laptop as a member, the addition signed with their own name."""
    session.info["actor"] = Actor(name=clean_name(spec.name), device=store.actor.device)
    return add_member(session, spec)


def sign_as(store: Store, member_id: uuid.UUID, signed: Signed | None) -> None:
    """Sign with this member from now on; `signed` is told."""
    act_as(store, str(member_id))
    if signed is not None:
        signed(member_id)


class WhoAreYouDialog(GuardedDialog):
    """Choose yourself among the members, or add yourself."""

    def __init__(self, store: Store, signed: Signed | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.signed = signed
        self.setWindowTitle(tr("Who are you?"))
        with store.reader() as session:
            members = list_members(session)
        intro = QLabel(tr("What you change is signed with your name in the audit trail. "
                          "Choose yourself among the committee's members, or add yourself."))
        intro.setWordWrap(True)
        self.choose = QRadioButton(tr("I &am:"))
        self.member: ValueCombo[uuid.UUID] = ValueCombo(
            (f"{m.name} — {role_label(m.role)}", m.id) for m in members)
        self.member.setAccessibleName(tr("Member"))
        # Nobody is chosen for the person (Enter would sign them as the first member): only the
        # member who signs already, when switching.
        current = next((m.id for m in members if m.name == store.actor.name), None)
        self.member.setPlaceholderText(tr("Choose yourself…"))
        if current is None or not self.member.set_value(current):
            self.member.setCurrentIndex(-1)
        self.add = QRadioButton(tr("A&dd me:"))
        self.name = QLineEdit()
        self.name.setAccessibleName(tr("Your name"))
        self.constituency = constituency_combo()
        self.constituency.setAccessibleName(tr("Constituency"))
        choice = QButtonGroup(self)
        choice.addButton(self.choose)
        choice.addButton(self.add)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.choose, self.member)
        form.addRow(self.add, self.name)
        form.addRow(tr("Your &constituency:"), self.constituency)
        self.fields = {"member": self.member, "name": self.name,
                       "constituency": self.constituency}
        self.choose.setEnabled(bool(members))
        self.member.setEnabled(bool(members))
        (self.choose if members else self.add).setChecked(True)
        self.name.textEdited.connect(lambda _text: self.add.setChecked(True))
        self.member.activated.connect(lambda _index: self.choose.setChecked(True))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for toggled in (self.choose.toggled, self.add.toggled):
            toggled.connect(lambda _on: self._allow_ok())
        self.member.currentIndexChanged.connect(lambda _index: self._allow_ok())
        self.name.textChanged.connect(lambda _text: self._allow_ok())
        self._allow_ok()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.save = self._save

    def _chosen(self) -> bool:
        """Whether the person has said who they are: a member chosen, or their name typed."""
        if self.choose.isChecked():
            return self.member.currentIndex() >= 0
        return bool(self.name.text().strip())

    def _allow_ok(self) -> None:
        self.ok.setEnabled(self._chosen())

    def _save(self) -> bool | None:
        if not self._chosen():
            return False
        if self.choose.isChecked():
            try:
                sign_as(self.store, self.member.value(), self.signed)
            except InputError as exc:
                self.refuse(str(exc), exc.field)
                return False
            return True
        spec = MemberSpec(name=self.name.text(), constituency=self.constituency.value(),
                          role=Role.MEMBER)
        run_write(self, self.store, tr("Adding you to the members…"),
                  lambda session: add_yourself(session, self.store, spec),
                  changed=lambda member_id: Changed.of(kinds.MEMBER, ids=[member_id]),
                  on_success=self._added, on_failure=self._refused)
        return None

    def _added(self, member_id: MemberId) -> None:
        sign_as(self.store, member_id, self.signed)
        self.saved()

    def _refused(self, refusal: Refusal) -> None:
        self.refuse(refusal.message, refusal.field)
