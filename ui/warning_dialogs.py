"""Dialogs of the early-warnings page: write or edit a warning, record a response, escalate,
close. Each returns plain input for a core use case; the page runs it and shows the core's
message when it refuses."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.context.models import AreaId, GroupId
from r2pdesk.earlywarning.models import Resolution, ResponseKind, Severity
from r2pdesk.earlywarning.queries import FactorChoice, Linked, SourceRef, WarningChoices
from r2pdesk.earlywarning.service import WarningDraft
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.recommendations.models import RecommendationId
from r2pdesk.reference.models import IndicatorId, RiskFactorId
from r2pdesk.sources.models import SourceId
from ui.combos import ValueCombo
from ui.recommendation_dialogs import OptionalDate, date_edit, enum_combo, from_qdate
from ui.warning_models import (
    CONFIDENTIALITY_LABELS,
    HORIZON_LABELS,
    LIKELIHOOD_LABELS,
    NOT_SET,
    RESOLUTION_LABELS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    SOURCE_KIND_LABELS,
    severity_icon,
)

E = TypeVar("E", bound=StrEnum)
ID = Qt.ItemDataRole.UserRole
GONE = "(no longer offered: kept while ticked)"
INDICATOR_LINE = 96  # characters: the indicators tab of the form's width


def optional_combo(labels: Mapping[E, str], current: E | None,
                   none_label: str = NOT_SET) -> ValueCombo[E | None]:
    """A combo of an enum's values with "not set" first; severities show their shapes."""
    combo: ValueCombo[E | None] = ValueCombo([(none_label, None)])
    for value, label in labels.items():
        combo.add(label, value)
        if isinstance(value, Severity):
            combo.setItemIcon(combo.count() - 1, severity_icon(value))
    combo.set_value(current)
    return combo


def _text(value: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setTabChangesFocus(True)  # Tab leaves the field: the form works with the keyboard
    edit.setPlaceholderText(placeholder)
    return edit


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(buttons.Ok | buttons.Cancel)
    box.button(buttons.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _lay_out(dialog: QDialog, rows: Sequence[tuple[str, QWidget]], ok: str) -> None:
    form = QFormLayout()
    for label, widget in rows:
        form.addRow(label, widget)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(_buttons(dialog, ok))


class TickList(QListWidget):
    """Records to tick, by id; a ticked record no longer offered stays, marked, until unticked."""

    def __init__(self, name: str, choices: Iterable[tuple[uuid.UUID, str]],
                 checked: Iterable[uuid.UUID] = ()) -> None:
        super().__init__()
        self.setAccessibleName(name)
        ticked = list(dict.fromkeys(checked))
        offered = set()
        for record_id, label in choices:
            offered.add(record_id)
            self._add(record_id, label, record_id in ticked)
        for record_id in ticked:
            if record_id not in offered:
                self._add(record_id, GONE, True)
        self.setMinimumHeight(90)

    def _add(self, record_id: uuid.UUID, label: str, ticked: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(ID, record_id)
        item.setToolTip(label)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.addItem(item)

    def checked_ids(self) -> tuple[uuid.UUID, ...]:
        """The ids ticked, in list order."""
        return tuple(self.item(i).data(ID) for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_checked(self, record_id: uuid.UUID, ticked: bool = True) -> None:
        """Tick (or untick) one record."""
        for i in range(self.count()):
            if self.item(i).data(ID) == record_id:
                state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
                self.item(i).setCheckState(state)


class IndicatorTree(QTreeWidget):
    """The indicators of the framework in use under their risk factors, to tick."""

    def __init__(self, factors: Sequence[FactorChoice], checked: Iterable[uuid.UUID]) -> None:
        super().__init__()
        self.setAccessibleName("Indicators")
        self.setHeaderLabels(["Indicator"])
        self.setHeaderHidden(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        ticked = set(checked)
        offered: set[uuid.UUID] = set()
        self._leaves: list[QTreeWidgetItem] = []
        for factor in factors:
            if not factor.indicators:
                continue  # the version holds no indicator list for this factor
            parent = QTreeWidgetItem([f"{factor.code} {factor.title}"])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            bold = parent.font(0)
            bold.setBold(True)
            parent.setFont(0, bold)
            self.addTopLevelItem(parent)
            for ind in factor.indicators:
                offered.add(ind.id)
                # Broken into lines here: item views size rows before they know the width.
                label = textwrap.fill(f"{ind.code}  {ind.text}", INDICATOR_LINE,
                                      subsequent_indent="       ")
                self._child(parent, ind.id, label, ind.id in ticked)
            parent.setExpanded(True)
        others = ticked - offered
        if others:
            parent = QTreeWidgetItem(["Of another framework version"])
            self.addTopLevelItem(parent)
            for record_id in others:
                self._child(parent, record_id, GONE, True)
            parent.setExpanded(True)

    def _child(self, parent: QTreeWidgetItem, record_id: uuid.UUID, label: str,
               ticked: bool) -> None:
        item = QTreeWidgetItem(parent, [label])
        item.setData(0, ID, record_id)
        item.setToolTip(0, label)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self._leaves.append(item)

    def _children(self) -> list[QTreeWidgetItem]:
        return self._leaves

    def checked_ids(self) -> tuple[uuid.UUID, ...]:
        """The indicators ticked, in list order."""
        return tuple(item.data(0, ID) for item in self._children()
                     if item.checkState(0) == Qt.CheckState.Checked)

    def set_checked(self, record_id: uuid.UUID, ticked: bool = True) -> None:
        """Tick (or untick) one indicator."""
        for item in self._children():
            if item.data(0, ID) == record_id:
                state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
                item.setCheckState(0, state)

    def filter(self, text: str) -> None:
        """Show only the indicators whose code or text holds every word."""
        words = text.casefold().split()
        for item in self._children():
            label = item.text(0).casefold()
            item.setHidden(not all(word in label for word in words))


def _pairs(links: Iterable[Linked]) -> list[tuple[uuid.UUID, str]]:
    return [(x.id, x.label) for x in links]


def _source_label(source: SourceRef) -> str:
    """A source as a picker shows it; there is no identity to show."""
    return (f"{source.title} — {SOURCE_KIND_LABELS[source.kind]}, "
            f"{source.reliability}{source.credibility}, "
            f"{CONFIDENTIALITY_LABELS[source.confidentiality]}")


class WarningDialog(QDialog):
    """Write a new warning or edit one: what, where, who, on what evidence, to whom."""

    def __init__(self, choices: WarningChoices, draft: WarningDraft, heading: str, today: date,
                 *, issued: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.title = QLineEdit(draft.title)
        self.title.setPlaceholderText("What is feared, where: one line")
        self.observed = OptionalDate("Observed on", draft.observed_on, today)
        self.description = _text(draft.description, "What was seen or reported, by whom, when")
        self.severity = optional_combo(SEVERITY_LABELS, draft.severity)
        if issued:  # the core refuses it too; the form says so before anyone tries
            self.severity.setEnabled(False)
            self.severity.setToolTip("An issued warning changes severity only by escalation")
        self.likelihood = optional_combo(LIKELIHOOD_LABELS, draft.likelihood)
        self.horizon = optional_combo(HORIZON_LABELS, draft.horizon)
        self.recommended = _text(draft.recommended_actions, "What the addressees should do")
        self.confidential = QCheckBox("&Confidential (left out of ministry workbooks and briefs)")
        self.confidential.setChecked(draft.confidential)
        self.areas = TickList("Areas", _pairs(choices.areas), draft.area_ids)
        self.groups = TickList("Groups at risk", _pairs(choices.groups), draft.group_ids)
        self.addressees = TickList("Addressees", _pairs(choices.institutions), draft.addressee_ids)
        self.indicators = IndicatorTree(choices.factors, draft.indicator_ids)
        self.indicator_search = QLineEdit()
        self.indicator_search.setPlaceholderText("Find an indicator by code or words")
        self.indicator_search.setClearButtonEnabled(True)
        self.indicator_search.textChanged.connect(self.indicators.filter)
        self.factors = TickList(
            "Risk factors", [(f.id, f"{f.code} {f.title}") for f in choices.factors],
            draft.risk_factor_ids)
        self.sources = TickList(
            "Sources", [(s.id, _source_label(s)) for s in choices.sources], draft.source_ids)
        self.recommendations = TickList(
            "Linked recommendations", _pairs(choices.recommendations), draft.recommendation_ids)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._main_tab(), "Warning")
        self.tabs.addTab(self._form(("Where", self.areas), ("Who is at risk", self.groups),
                                    ("Addressed to", self.addressees)), "Where, who, to whom")
        self.tabs.addTab(self._indicator_tab(), "Indicators")
        self.tabs.addTab(self._form(("Risk factors", self.factors), ("Sources", self.sources),
                                    ("Recommendations", self.recommendations)), "Evidence, links")
        hint = QLabel("Ctrl+Tab moves to the next tab.")
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint)
        layout.addWidget(_buttons(self, "Save"))
        self.resize(820, 720)

    def _main_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        form.addRow("&Title", self.title)
        form.addRow("", self.observed)
        form.addRow("&What is happening", self.description)
        form.addRow("&Severity", self.severity)
        form.addRow("&Likelihood", self.likelihood)
        form.addRow("&Horizon", self.horizon)
        form.addRow("Recommended &actions", self.recommended)
        form.addRow("", self.confidential)
        return tab

    def _form(self, *rows: tuple[str, QWidget]) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        for label, widget in rows:
            form.addRow(label, widget)
        return tab

    def _indicator_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel("Indicators of the framework in use; risk factors 7 (enabling "
                                "circumstances) and 8 (triggers) first."))
        layout.addWidget(self.indicator_search)
        layout.addWidget(self.indicators, 1)
        return tab

    def value(self) -> WarningDraft:
        """What the person entered."""
        return WarningDraft(
            title=self.title.text(),
            observed_on=self.observed.value(),
            description=self.description.toPlainText(),
            severity=self.severity.value(),
            likelihood=self.likelihood.value(),
            horizon=self.horizon.value(),
            recommended_actions=self.recommended.toPlainText(),
            confidential=self.confidential.isChecked(),
            area_ids=tuple(AreaId(x) for x in self.areas.checked_ids()),
            group_ids=tuple(GroupId(x) for x in self.groups.checked_ids()),
            indicator_ids=tuple(IndicatorId(x) for x in self.indicators.checked_ids()),
            risk_factor_ids=tuple(RiskFactorId(x) for x in self.factors.checked_ids()),
            addressee_ids=tuple(InstitutionId(x) for x in self.addressees.checked_ids()),
            source_ids=tuple(SourceId(x) for x in self.sources.checked_ids()),
            recommendation_ids=tuple(
                RecommendationId(x) for x in self.recommendations.checked_ids()),
        )


@dataclass(frozen=True)
class ResponseInput:
    """A response as entered: who, when, which kind, what was done and what came of it."""

    institution_id: InstitutionId | None
    on: date
    kind: ResponseKind
    action_taken: str
    outcome: str


class ResponseDialog(QDialog):
    """Record an acknowledgement or an action by an institution."""

    def __init__(self, reference: str, institutions: Sequence[tuple[uuid.UUID, str]],
                 addressees: Iterable[uuid.UUID], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record a response to {reference}")
        first = set(addressees)
        ordered = sorted(institutions, key=lambda x: x[0] not in first)  # addressees first
        self.institution: ValueCombo[uuid.UUID | None] = ValueCombo()
        if not ordered:
            self.institution.add("(no institution in the register)", None)
        for record_id, name in ordered:
            self.institution.add(f"{name} — addressee" if record_id in first else name, record_id)
        self.on = date_edit(today)
        self.kind = enum_combo(RESPONSE_LABELS, ResponseKind.ACKNOWLEDGEMENT)
        self.action_taken = _text("", "What was done (needed for an action)")
        self.outcome = _text("", "What came of it, if known")
        _lay_out(self, [("&Institution", self.institution), ("&Date", self.on),
                        ("&Kind", self.kind), ("&Action taken", self.action_taken),
                        ("&Outcome", self.outcome)], "Record")
        self.resize(600, 420)

    def value(self) -> ResponseInput:
        """What the person entered."""
        chosen = self.institution.value()
        return ResponseInput(
            InstitutionId(chosen) if chosen else None, from_qdate(self.on.date()),
            self.kind.value(), self.action_taken.toPlainText(), self.outcome.toPlainText(),
        )


class EscalateDialog(QDialog):
    """Raise a warning's severity, saying why."""

    def __init__(self, reference: str, current: Severity | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Escalate {reference}")
        levels = list(Severity)
        self.severity: ValueCombo[Severity] = ValueCombo()
        for level in levels:
            mark = " (current)" if level is current else ""
            self.severity.add(SEVERITY_LABELS[level] + mark, level)
            self.severity.setItemIcon(self.severity.count() - 1, severity_icon(level))
        above = levels.index(current) + 1 if current is not None else 0
        self.severity.set_value(levels[min(above, len(levels) - 1)])
        self.reason = _text("", "What changed: new facts, a missed deadline …")
        _lay_out(self, [("New &severity", self.severity), ("&Reason", self.reason)], "Escalate")
        self.resize(520, 300)

    def value(self) -> tuple[Severity, str]:
        """The new severity and the reason."""
        return self.severity.value(), self.reason.toPlainText()


class CloseDialog(QDialog):
    """Close a warning: how it ended, a note, the day."""

    def __init__(self, reference: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Close {reference}")
        self.resolution: ValueCombo[Resolution | None] = ValueCombo(
            [("(choose how it ended)", None)])
        for value, label in RESOLUTION_LABELS.items():
            self.resolution.add(label, value)
        self.note = _text("", "What happened; what the committee learnt")
        self.on = date_edit(today)
        _lay_out(self, [("&Resolution", self.resolution), ("&Note", self.note),
                        ("Closed &on", self.on)], "Close warning")
        self.resize(520, 320)

    def value(self) -> tuple[Resolution | None, str, date]:
        """The resolution (None: not chosen), the note and the day."""
        return self.resolution.value(), self.note.toPlainText(), from_qdate(self.on.date())
