"""The forms of the Setup page: a member, an area, a population group, a source, and the choice
of which of two duplicates to keep. Each asks before discarding what was typed and keeps it
through a refused save, the refusal beside its field (`ui.guarded`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.context.queries import AreaRow, GroupRow
from r2pdesk.context.service import AreaSpec, GroupSpec
from r2pdesk.i18n import N_, tr
from r2pdesk.members.labels import CONSTITUENCY_LABELS, ROLE_LABELS
from r2pdesk.members.models import Constituency, Role
from r2pdesk.members.queries import MemberRow
from r2pdesk.members.service import MemberSpec
from r2pdesk.sources.labels import (
    CONFIDENTIALITY_LABELS,
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    SOURCE_KIND_LABELS,
    confidentiality_label,
    source_kind_label,
)
from r2pdesk.sources.models import Confidentiality, SourceKind
from r2pdesk.sources.queries import SourceRow
from r2pdesk.sources.service import SourceSpec
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog
from ui.recommendation_dialogs import OptionalDate

# The usual levels of a country's areas, offered (any other word may be typed).
LEVELS = (N_("country"), N_("region"), N_("district"))
NONE = N_("(none)")


def _notes(text: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(70)
    return edit


class EntryDialog(GuardedDialog):
    """A form of one entry: labelled rows, OK and Cancel; `fields` by the core's field names."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Save"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.name_field: QWidget | None = None

    def row(self, text: str, widget: QWidget, field: str = "") -> None:
        """A labelled field; `field` is the name the core's refusals give it."""
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.form.addRow(label, widget)
        if field:
            self.fields[field] = widget
        if field == "name":
            self.name_field = widget

    def first_field(self) -> QWidget | None:
        """The name, where the form has one, though a choice comes above it ("Within",
        "Kind"): what the person types first goes there."""
        name = self.name_field
        if name is not None and name.isVisible() and name.isEnabled():
            return name
        return super().first_field()


class MemberDialog(EntryDialog):
    """A member of the committee."""

    def __init__(self, title: str, member: MemberRow | None,
                 institutions: Sequence[tuple[uuid.UUID, str]], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name = QLineEdit(member.name if member else "")
        self.constituency = ValueCombo(
            (tr(label), value) for value, label in CONSTITUENCY_LABELS.items())
        self.constituency.set_value(member.constituency if member else Constituency.OTHER)
        self.role = ValueCombo((tr(label), value) for value, label in ROLE_LABELS.items())
        self.role.set_value(member.role if member else Role.MEMBER)
        self.institution: ValueCombo[uuid.UUID | None] = ValueCombo([(tr(NONE), None)])
        for institution_id, name in institutions:
            self.institution.add(name, institution_id)
        self.institution.set_value(member.institution_id if member else None)
        self.term_start = OptionalDate(tr("from"), member.term_start if member else None, today)
        self.term_end = OptionalDate(tr("until"), member.term_end if member else None, today)
        self.active = QCheckBox(tr("Serving now"))
        self.active.setChecked(member.active if member else True)
        self.email = QLineEdit(member.email if member else "")
        self.affiliation = QLineEdit(member.affiliation if member else "")
        self.row(tr("&Name:"), self.name, "name")
        self.row(tr("&Constituency:"), self.constituency, "constituency")
        self.row(tr("&Role:"), self.role, "role")
        self.row(tr("&Institution:"), self.institution, "institution")
        self.row(tr("Term &starts:"), self.term_start, "term start")
        self.row(tr("Term &ends:"), self.term_end, "term end")
        self.row("", self.active)
        self.row(tr("&E-mail:"), self.email, "email")
        self.row(tr("&Affiliation:"), self.affiliation, "affiliation")

    def value(self) -> MemberSpec:
        """The member as the form holds it."""
        return MemberSpec(
            name=self.name.text(), constituency=self.constituency.value(),
            role=self.role.value(), institution_id=self.institution.value(),
            term_start=self.term_start.value(), term_end=self.term_end.value(),
            active=self.active.isChecked(), email=self.email.text(),
            affiliation=self.affiliation.text())


class AreaDialog(EntryDialog):
    """An area: its name, level, code and the area it lies within."""

    def __init__(self, title: str, area: AreaRow | None, within: Sequence[AreaRow], *,
                 parent_id: uuid.UUID | None = None, level: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name = QLineEdit(area.name if area else "")
        self.level = QComboBox()
        self.level.setEditable(True)
        self.level.addItems([tr(word) for word in LEVELS])
        self.level.setCurrentText(area.level if area else level)
        self.code = QLineEdit(area.code if area else "")
        self.within: ValueCombo[uuid.UUID | None] = ValueCombo([(tr(NONE), None)])
        for row in within:
            self.within.add(row.path, row.id)
        self.within.set_value(area.parent_id if area else parent_id)
        self.notes = _notes(area.notes if area else "")
        self.row(tr("&Within:"), self.within, "parent")
        self.row(tr("&Name:"), self.name, "name")
        self.row(tr("&Level:"), self.level, "level")
        self.row(tr("C&ode:"), self.code, "code")
        self.row(tr("N&otes:"), self.notes, "notes")

    def value(self) -> AreaSpec:
        """The area as the form holds it."""
        return AreaSpec(name=self.name.text(), level=self.level.currentText(),
                        code=self.code.text(), parent_id=self.within.value(),
                        notes=self.notes.toPlainText())


class GroupDialog(EntryDialog):
    """A population group at risk."""

    def __init__(self, title: str, group: GroupRow | None, kinds: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.kind: ValueCombo[str] = ValueCombo([(tr("(not said)"), "")])
        for code, label in kinds:
            self.kind.add(label, code)
        self.kind.set_value(group.kind if group else "")
        self.name = QLineEdit(group.name if group else "")
        self.notes = _notes(group.notes if group else "")
        self.row(tr("&Kind:"), self.kind, "kind")
        self.row(tr("&Name:"), self.name, "name")
        self.row(tr("N&otes:"), self.notes, "notes")

    def value(self) -> GroupSpec:
        """The group as the form holds it."""
        return GroupSpec(name=self.name.text(), kind=self.kind.value(),
                         notes=self.notes.toPlainText())


class SourceDialog(EntryDialog):
    """A source, graded; who it is only for those who may see it."""

    def __init__(self, title: str, source: SourceRow | None, may_see: bool, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name = QLineEdit(source.name if source else "")
        self.kind = ValueCombo((source_kind_label(value), value) for value in SOURCE_KIND_LABELS)
        self.kind.set_value(source.kind if source else SourceKind.OPEN_MEDIA)
        self.reliability = ValueCombo((tr(label), grade)
                                      for grade, label in RELIABILITY_LABELS.items())
        self.reliability.set_value(source.reliability if source else "F")
        self.credibility = ValueCombo((tr(label), grade)
                                      for grade, label in CREDIBILITY_LABELS.items())
        self.credibility.set_value(source.credibility if source else 6)
        self.confidentiality = ValueCombo(
            (confidentiality_label(value), value) for value in CONFIDENTIALITY_LABELS)
        self.confidentiality.set_value(
            source.confidentiality if source else Confidentiality.RESTRICTED)
        self.identity = QLineEdit(source.identity if source else "")
        self.reference = QLineEdit(source.reference if source else "")
        self.obtained = OptionalDate(tr("on"), source.obtained_on if source else None, today)
        self.notes = _notes(source.notes if source else "")
        self.row(tr("&Name:"), self.name, "name")
        self.row(tr("&Kind:"), self.kind, "kind")
        self.row(tr("&Reliability:"), self.reliability, "reliability")
        self.row(tr("&Credibility:"), self.credibility, "credibility")
        self.row(tr("Con&fidentiality:"), self.confidentiality, "confidentiality")
        if may_see:
            self.identity.setPlaceholderText(tr("Who the source is (kept confidential)"))
            self.row(tr("&Identity:"), self.identity, "identity")
        else:
            note = QLabel(tr("Who a confidential source is can be seen and changed only by the "
                             "chair and the secretariat."))
            note.setWordWrap(True)
            note.setEnabled(False)
            self.form.addRow(tr("Identity:"), note)
        self.may_see = may_see
        self.row(tr("Re&ference:"), self.reference, "reference")
        self.row(tr("Obtained:"), self.obtained, "obtained on")
        self.row(tr("N&otes:"), self.notes, "notes")

    def value(self) -> SourceSpec:
        """The source as the form holds it (an identity not shown is kept as it is)."""
        return SourceSpec(
            name=self.name.text(), kind=self.kind.value(), reliability=self.reliability.value(),
            credibility=self.credibility.value(), confidentiality=self.confidentiality.value(),
            identity=self.identity.text() if self.may_see else "",
            reference=self.reference.text(), obtained_on=self.obtained.value(),
            notes=self.notes.toPlainText())


class MergeDialog(EntryDialog):
    """Which of two duplicates to keep: every record that names the other then names it."""

    def __init__(self, title: str, choices: Sequence[tuple[uuid.UUID, str]],
                 keep: uuid.UUID | None, drop: uuid.UUID | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        items = [(label, entry_id) for entry_id, label in choices]
        self.keep: ValueCombo[uuid.UUID] = ValueCombo(items)
        self.drop: ValueCombo[uuid.UUID] = ValueCombo(items)
        if keep is not None:
            self.keep.set_value(keep)
        if drop is not None:
            self.drop.set_value(drop)
        elif len(choices) > 1:
            self.drop.setCurrentIndex(1 if self.keep.currentIndex() == 0 else 0)
        explain = QLabel(tr("Every record that names the duplicate will name the one kept "
                            "instead; the duplicate is retired. This cannot be undone."))
        explain.setWordWrap(True)
        self.form.addRow(explain)
        self.row(tr("&Keep:"), self.keep, "keep")
        self.row(tr("&Duplicate, merged into it:"), self.drop, "drop")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Merge"))

    def value(self) -> tuple[uuid.UUID, uuid.UUID]:
        """The entry kept and the duplicate."""
        return self.keep.value(), self.drop.value()
