"""Dialogs of the recommendations page: write or edit one, adopt from the catalogue, record
progress with evidence, assign a lead institution. Each returns plain core input; the page
runs it as an undoable command, and when the core refuses the dialog stays open with everything
typed and the refusal under its field (`ui.guarded`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.errors import KnownError
from r2pdesk.i18n import N_, SOURCE_LANGUAGE, format_number, language, tr
from r2pdesk.recommendations.models import Priority, RecSource, RecStatus
from r2pdesk.recommendations.queries import LinkChoices, Linked
from r2pdesk.recommendations.service import (
    PRIORITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    Adoption,
    ProgressInput,
    RecommendationInput,
    priority_label,
)
from r2pdesk.reference.service import CatalogueItem
from r2pdesk.sources.attachments import EvidenceFile, describe_size, read_evidence
from ui.catalogue_models import CatalogueFilterProxy, CatalogueModel, RecColumn
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog, unguarded
from ui.tables import ItemRole

E = TypeVar("E", bound=StrEnum)
NO_LEAD = N_("(no lead institution yet)")


def to_qdate(day: date) -> QDate:
    """A Python date as Qt's."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """A Qt date as Python's."""
    return date(day.year(), day.month(), day.day())


def date_edit(day: date) -> QDateEdit:
    """A date field with a calendar, in ISO order so no one reads 03/04 the wrong way round."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def enum_text(value: StrEnum, label: str) -> str:
    """An enum value's label (marked with `N_`) in the language in use; priorities agree with
    the word "priority" in languages that need it."""
    return priority_label(value) if isinstance(value, Priority) else tr(label)


def enum_combo(labels: Mapping[E, str], current: E | None = None) -> ValueCombo[E]:
    """A combo box of an enum's values, shown by their labels in the language in use."""
    combo = ValueCombo((enum_text(value, label), value) for value, label in labels.items())
    if current is not None:
        combo.set_value(current)
    return combo


def institution_combo(
    choices: Sequence[Linked], current: uuid.UUID | None
) -> ValueCombo[uuid.UUID | None]:
    """A combo of institutions, with "no lead" first."""
    combo: ValueCombo[uuid.UUID | None] = ValueCombo([(tr(NO_LEAD), None)])
    for choice in choices:
        combo.add(choice.label, choice.id)
    combo.set_value(current)
    return combo


class CheckList(QListWidget):
    """A list of records to tick, e.g. the risk factors a recommendation answers."""

    def __init__(self, choices: Iterable[Linked], checked: Iterable[uuid.UUID] = ()) -> None:
        super().__init__()
        ticked = set(checked)
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if choice.id in ticked else Qt.CheckState.Unchecked
            item.setCheckState(state)
            self.addItem(item)
        self.setMinimumHeight(90)

    def checked_ids(self) -> tuple[uuid.UUID, ...]:
        """The ids ticked, in list order."""
        return tuple(
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )


class OptionalDate(QWidget):
    """A date that may be left out (a recommendation without a deadline)."""

    def __init__(self, label: str, day: date | None, default: date) -> None:
        super().__init__()
        self.enabled = QCheckBox(label)
        self.edit = date_edit(day or default)
        self.enabled.setChecked(day is not None)
        self.edit.setEnabled(day is not None)
        self.enabled.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        """The date, or None when left out."""
        return from_qdate(self.edit.date()) if self.enabled.isChecked() else None


def original_english_label(text: str = "") -> QLabel:
    """A small note that a text is the Secretary-General's, in its original English."""
    label = QLabel(text or tr("(original English)"))
    label.setWordWrap(True)
    label.setEnabled(False)  # drawn as a quiet note
    return label


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(buttons.Ok | buttons.Cancel)
    box.button(buttons.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class RecommendationDialog(GuardedDialog):
    """Write a new recommendation or edit one."""

    def __init__(self, choices: LinkChoices, data: RecommendationInput,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        adopted = data.catalogue_id is not None
        self.setWindowTitle(tr("Edit recommendation") if adopted or data.text
                            else tr("New recommendation"))
        self.catalogue_id = data.catalogue_id
        self.text = QPlainTextEdit(data.text)
        self.text.setReadOnly(adopted)  # the Secretary-General's words stay as written
        self.text.setTabChangesFocus(True)
        sources = {
            k: v for k, v in SOURCE_LABELS.items() if adopted or k is not RecSource.CATALOGUE
        }
        self.source = enum_combo(sources, data.source)
        self.source.setEnabled(not adopted)
        self.reference = QLineEdit(data.source_reference)
        self.reference.setPlaceholderText(
            tr("e.g. the UPR cycle and recommendation number, or the treaty body and paragraph")
        )
        self.lead = institution_combo(choices.institutions, data.lead_institution_id)
        self.supporters = CheckList(choices.institutions, data.supporter_ids)
        self.priority = enum_combo(PRIORITY_LABELS, data.priority)
        self.made = date_edit(data.made_on)
        self.due = OptionalDate(tr("Due by"), data.due_on, data.made_on)
        self.factors = CheckList(choices.risk_factors, data.risk_factor_ids)
        self.warnings = CheckList(choices.warnings, data.warning_ids)
        self.assessments = CheckList(choices.assessments, data.assessment_ids)
        self.confidential = QCheckBox(
            tr("Confidential (left out of ministry workbooks and briefs)"))
        self.confidential.setChecked(data.confidential)

        form = QFormLayout()
        form.addRow(tr("&Text"), self.text)
        if adopted and language() != SOURCE_LANGUAGE:  # the Secretary-General's words
            form.addRow("", original_english_label())
        form.addRow(tr("&Source"), self.source)
        form.addRow(tr("&Reference"), self.reference)
        form.addRow(tr("&Lead institution"), self.lead)
        form.addRow(tr("Su&pporting"), self.supporters)
        form.addRow(tr("Pr&iority"), self.priority)
        form.addRow(tr("&Made on"), self.made)
        form.addRow("", self.due)
        form.addRow(tr("Risk &factors answered"), self.factors)
        form.addRow(tr("&Warnings"), self.warnings)
        form.addRow(tr("&Assessments"), self.assessments)
        form.addRow("", self.confidential)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, tr("Save")))
        self.fields = {N_("text"): self.text, N_("source"): self.source,
                       N_("lead institution"): self.lead, N_("due date"): self.due,
                       N_("date made"): self.made}
        self.resize(720, 760)

    def value(self) -> RecommendationInput:
        """What the person entered."""
        return RecommendationInput(
            text=self.text.toPlainText(),
            made_on=from_qdate(self.made.date()),
            source=self.source.value(),
            source_reference=self.reference.text(),
            lead_institution_id=self.lead.value(),
            supporter_ids=self.supporters.checked_ids(),
            priority=self.priority.value(),
            due_on=self.due.value(),
            risk_factor_ids=self.factors.checked_ids(),
            warning_ids=self.warnings.checked_ids(),
            assessment_ids=self.assessments.checked_ids(),
            confidential=self.confidential.isChecked(),
            catalogue_id=self.catalogue_id,
        )


class ProgressDialog(GuardedDialog):
    """Record a dated progress update with its evidence files."""

    def __init__(self, status: RecStatus, today: date, reporter: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Record progress"))
        self.evidence: list[EvidenceFile] = []
        self.on = date_edit(today)
        self.status = enum_combo(STATUS_LABELS, status)
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText(tr("What was done, by whom, and what it changed"))
        self.reporter = QLineEdit(reporter)
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        add = QPushButton(tr("Add &evidence file…"))
        add.clicked.connect(self.choose_files)
        remove = QPushButton(tr("Re&move"))
        remove.clicked.connect(self._remove_file)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000;")
        files = QHBoxLayout()
        files.addWidget(add)
        files.addWidget(remove)
        files.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("&Date"), self.on)
        form.addRow(tr("&Status"), self.status)
        form.addRow(tr("&Narrative"), self.narrative)
        form.addRow(tr("&Reported by"), self.reporter)
        form.addRow(tr("Evidence"), self.files)
        form.addRow("", files)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, tr("Record", context="verb")))
        self.fields = {N_("date"): self.on, N_("status"): self.status}
        self.resize(620, 480)

    def choose_files(self) -> None:
        """Ask for files and add them."""
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Evidence files"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: Sequence[Path]) -> None:
        """Read and check files now, so a bad one is reported before anything is saved."""
        problems = []
        for path in paths:
            try:
                evidence = read_evidence(path)
            except KnownError as exc:
                problems.append(str(exc))
                continue
            self.evidence.append(evidence)
            self.files.addItem(f"{evidence.original_name}  ({describe_size(evidence.size)})")
        self.error.setText("\n".join(problems))

    def _remove_file(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)
            del self.evidence[row]

    def value(self) -> ProgressInput:
        """What the person entered."""
        return ProgressInput(
            on=from_qdate(self.on.date()),
            status=self.status.value(),
            narrative=self.narrative.toPlainText(),
            reported_by=self.reporter.text(),
            evidence=tuple(self.evidence),
        )


class AdoptDialog(GuardedDialog):
    """Choose catalogue recommendations to adopt, with who leads them and by when."""

    def __init__(self, items: Sequence[CatalogueItem], choices: LinkChoices, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Adopt from the SG catalogue"))
        self.model = CatalogueModel(items, self)
        self.proxy = CatalogueFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Words, a paragraph or an id such as 2015-MS"))
        self.search.setClearButtonEnabled(True)
        unguarded(self.search)  # finding is not choosing
        self.year: ValueCombo[int | None] = ValueCombo([(tr("All reports"), None)])
        unguarded(self.year)
        for year in sorted({item.year for item in items}):
            self.year.add(str(year), year)
        self.search.textChanged.connect(self._filter)
        self.year.currentIndexChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RecColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._count)
        self.chosen = QLabel()
        self.lead = institution_combo(choices.institutions, None)
        self.priority = enum_combo(PRIORITY_LABELS, Priority.MEDIUM)
        self.made = date_edit(today)
        a_year_on = date(today.year + 1, today.month, min(today.day, 28))
        self.due = OptionalDate(tr("Due by"), None, a_year_on)

        filters = QHBoxLayout()
        search_label = QLabel(tr("&Search"))
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.year)
        form = QFormLayout()
        form.addRow(tr("&Lead institution"), self.lead)
        form.addRow(tr("Pr&iority"), self.priority)
        form.addRow(tr("Adopted &on"), self.made)
        form.addRow("", self.due)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        if language() != SOURCE_LANGUAGE:  # the catalogue's texts are the Secretary-General's
            layout.addWidget(original_english_label(
                tr("The Secretary-General's recommendations are shown in their original English.")))
        layout.addWidget(self.chosen)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, tr("Adopt")))
        self.resize(980, 720)
        self._count()

    def state(self) -> tuple[object, ...]:
        """The fields, and the recommendations chosen in the list."""
        return (*super().state(), tuple(self.chosen_ids()))

    def _filter(self) -> None:
        self.proxy.set_filter(self.year.value(), None, self.search.text())

    def _count(self) -> None:
        n = len(self.chosen_ids())
        self.chosen.setText(tr("{count} chosen (Ctrl+click or Shift+arrows to choose several)")
                            .format(count=format_number(n)))

    def chosen_ids(self) -> list[str]:
        """The catalogue ids chosen, in catalogue order."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.proxy.index(r, 0).data(ItemRole).id for r in rows]

    def value(self) -> tuple[list[str], Adoption]:
        """The chosen ids and how they are adopted."""
        return self.chosen_ids(), Adoption(
            made_on=from_qdate(self.made.date()),
            lead_institution_id=self.lead.value(),
            priority=self.priority.value(),
            due_on=self.due.value(),
        )


class LeadDialog(GuardedDialog):
    """Give the chosen recommendations one lead institution."""

    def __init__(self, choices: LinkChoices, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Assign lead institution"))
        self.lead = institution_combo(choices.institutions, None)
        layout = QFormLayout(self)
        chosen = (tr("1 recommendation chosen.") if count == 1
                  else tr("{count} recommendations chosen.").format(count=format_number(count)))
        layout.addRow(QLabel(chosen))
        layout.addRow(tr("&Lead institution"), self.lead)
        layout.addRow(_buttons(self, tr("Assign")))

    def value(self) -> uuid.UUID | None:
        """The institution chosen (None: no lead)."""
        return self.lead.value()
