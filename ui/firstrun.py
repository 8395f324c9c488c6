"""The first run: where to keep the database and whether to add the fictional demo; then, on a
new database without the demo, the committee's name and who you are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.audit import Actor
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import clean_name
from r2pdesk.members.labels import ROLE_LABELS
from r2pdesk.members.models import MemberId, Role
from r2pdesk.members.service import MemberSpec, add_member, committee, set_committee
from r2pdesk.store import Store
from ui import changes as kinds
from ui.changes import Changed
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog, hold_to_screen, wrapping_check
from ui.member_dialogs import Signed, constituency_combo, sign_as
from ui.operations import Refusal, run_write


class FirstRunDialog(QDialog):
    """Asks where the database lives and offers the demo country."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome to r2pdesk"))
        intro = QLabel(tr(
            "r2pdesk keeps everything in one database file on this computer. Choose where to "
            "keep it; an existing r2pdesk database can be chosen too."
        ))
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(str(default_path))
        self.path_edit.setAccessibleName(tr("Database file"))
        browse = QPushButton(tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        label = QLabel(tr("&Database file:"))
        label.setBuddy(self.path_edit)
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.demo_box, demo_row = wrapping_check(tr(
            "Add the &demo: a fictional country with institutions, assessments, warnings and "
            "recommendations, to try every screen (only into a new, empty database)"
        ))
        after = QLabel(tr("Without the demo, r2pdesk next asks the committee's name and who you "
                          "are; the rest is set up on the Setup page."))
        after.setWordWrap(True)
        after.setEnabled(False)  # a quiet note
        self.demo_box.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(demo_row)
        layout.addWidget(after)
        layout.addWidget(buttons)
        # Short enough for any screen once its long choice wraps: held to the screen, not
        # put in a scroll area (moving its row layout there left the heap damaged).
        hold_to_screen(self)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("Database file"),
            self.path_edit.text(),
            tr("r2pdesk database (*.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.path_edit.setText(chosen)

    def chosen_path(self) -> Path:
        """The database file the user chose."""
        return Path(self.path_edit.text().strip()).expanduser()

    def wants_demo(self) -> bool:
        """Whether to add the demo country."""
        return self.demo_box.isChecked()


class CommitteeStartDialog(GuardedDialog):
    """On a new, empty database: the committee's name and country, and who you are (the first
    member, who signs what follows). The rest is set up on the Setup page."""

    def __init__(self, store: Store, signed: Signed | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.signed = signed
        self.setWindowTitle(tr("Set up your committee"))
        with store.reader() as session:
            known = committee(session)
        intro = QLabel(tr(
            "This database is new. Name the committee and yourself: what you change is signed "
            "with your name in the audit trail. Members, areas, population groups and sources "
            "are added next, on the Setup page."))
        intro.setWordWrap(True)
        self.committee_name = QLineEdit(known.name)
        self.country = QLineEdit(known.country)
        self.name = QLineEdit()
        self.constituency = constituency_combo()
        self.role = ValueCombo((tr(label), value) for value, label in ROLE_LABELS.items())
        self.role.set_value(Role.SECRETARIAT)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget in ((tr("Committee &name:"), self.committee_name),
                             (tr("&Country:"), self.country), (tr("&Your name:"), self.name),
                             (tr("Your c&onstituency:"), self.constituency),
                             (tr("Your &role:"), self.role)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        self.fields = {"committee": self.committee_name, "country": self.country,
                       "name": self.name, "constituency": self.constituency}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(500)
        self.save = self._save

    def _save(self) -> None:
        name, country = self.committee_name.text(), self.country.text()
        spec = MemberSpec(name=self.name.text(), constituency=self.constituency.value(),
                          role=self.role.value())

        def work(session: Session) -> MemberId:
            session.info["actor"] = Actor(name=clean_name(spec.name),
                                          device=self.store.actor.device)
            try:
                set_committee(session, name, country)
            except InputError as exc:  # the committee's fields are named apart from the member's
                raise InputError(str(exc), field="committee" if exc.field == "name"
                                 else exc.field) from exc
            return add_member(session, spec)  # signed with their own name, as what follows

        run_write(self, self.store, tr("Setting up the committee…"), work,
                  changed=lambda member_id: Changed.of(kinds.COMMITTEE, kinds.MEMBER,
                                                       ids=[member_id]),
                  on_success=self._done, on_failure=self._refused)

    def _done(self, member_id: MemberId) -> None:
        sign_as(self.store, member_id, self.signed)
        self.saved()

    def _refused(self, refusal: Refusal) -> None:
        self.refuse(refusal.message, refusal.field)
