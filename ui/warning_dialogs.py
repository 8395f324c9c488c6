"""Dialogs of the early-warnings page: write or edit a warning, record a response, escalate,
close. Each returns plain input for a core use case; the page runs it, and when the core refuses
the dialog stays open with everything typed and the refusal under the field it names
(`ui.guarded`)."""

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
from r2pdesk.earlywarning.models import Resolution, ResponseKind, Severity, severity_label
from r2pdesk.earlywarning.queries import FactorChoice, Linked, SourceRef, WarningChoices
from r2pdesk.earlywarning.service import WarningDraft
from r2pdesk.i18n import N_, tr
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.recommendations.models import RecommendationId
from r2pdesk.reference.models import IndicatorId, RiskFactorId
from r2pdesk.sources.models import SourceId
from ui.combos import ValueCombo
from ui.guarded import GuardedDialog, unguarded
from ui.recommendation_dialogs import OptionalDate, date_edit, enum_combo, from_qdate
from ui.setup_hints import NO_AREAS, NO_GROUPS, NO_SOURCES, hint_if_empty
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
GONE = N_("(no longer offered: kept while ticked)")
INDICATOR_LINE = 96  # characters: the indicators tab of the form's width


def optional_combo(labels: Mapping[E, str], current: E | None,
                   none_label: str | None = None) -> ValueCombo[E | None]:
    """A combo of an enum's values (labels marked with `N_`) with "not set" (or `none_label`,
    translated) first; severities show their shapes."""
    combo: ValueCombo[E | None] = ValueCombo(
        [(tr(NOT_SET) if none_label is None else none_label, None)])
    for value, label in labels.items():
        if isinstance(value, Severity):
            combo.add(severity_label(value), value)
            combo.setItemIcon(combo.count() - 1, severity_icon(value))
        else:
            combo.add(tr(label), value)
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
                self._add(record_id, tr(GONE), True)
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
        self.setAccessibleName(tr("Indicators"))
        self.setHeaderLabels([tr("Indicator")])
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
            parent = QTreeWidgetItem([tr("Of another framework version")])
            self.addTopLevelItem(parent)
            for record_id in others:
                self._child(parent, record_id, tr(GONE), True)
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
    return tr("{title} — {kind}, {grade}, {confidentiality}").format(
        title=source.title, kind=tr(SOURCE_KIND_LABELS[source.kind]),
        grade=f"{source.reliability}{source.credibility}",
        confidentiality=tr(CONFIDENTIALITY_LABELS[source.confidentiality]))


class WarningDialog(GuardedDialog):
    """Write a new warning or edit one: what, where, who, on what evidence, to whom."""

    def __init__(self, choices: WarningChoices, draft: WarningDraft, heading: str, today: date,
                 *, issued: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.title = QLineEdit(draft.title)
        self.title.setPlaceholderText(tr("What is feared, where: one line"))
        self.observed = OptionalDate(tr("Observed on"), draft.observed_on, today)
        self.description = _text(draft.description,
                                 tr("What was seen or reported, by whom, when"))
        self.severity = optional_combo(SEVERITY_LABELS, draft.severity)
        if issued:  # the core refuses it too; the form says so before anyone tries
            self.severity.setEnabled(False)
            self.severity.setToolTip(tr("An issued warning changes severity only by escalation"))
        self.likelihood = optional_combo(LIKELIHOOD_LABELS, draft.likelihood)
        self.horizon = optional_combo(HORIZON_LABELS, draft.horizon)
        self.recommended = _text(draft.recommended_actions, tr("What the addressees should do"))
        self.confidential = QCheckBox(
            tr("&Confidential (left out of ministry workbooks and briefs)"))
        self.confidential.setChecked(draft.confidential)
        self.areas = TickList(tr("Areas"), _pairs(choices.areas), draft.area_ids)
        self.groups = TickList(tr("Groups at risk"), _pairs(choices.groups), draft.group_ids)
        self.addressees = TickList(tr("Addressees"), _pairs(choices.institutions),
                                   draft.addressee_ids)
        self.indicators = IndicatorTree(choices.factors, draft.indicator_ids)
        self.indicator_search = QLineEdit()
        unguarded(self.indicator_search)  # a search, not part of the warning
        self.indicator_search.setPlaceholderText(tr("Find an indicator by code or words"))
        self.indicator_search.setClearButtonEnabled(True)
        self.indicator_search.textChanged.connect(self.indicators.filter)
        self.factors = TickList(
            tr("Risk factors"), [(f.id, f"{f.code} {f.title}") for f in choices.factors],
            draft.risk_factor_ids)
        self.sources = TickList(
            tr("Sources"), [(s.id, _source_label(s)) for s in choices.sources],
            draft.source_ids)
        for empty, words in ((self.areas, NO_AREAS), (self.groups, NO_GROUPS),
                             (self.sources, NO_SOURCES)):
            hint_if_empty(empty, words)  # a new committee: where to add them
        self.recommendations = TickList(
            tr("Linked recommendations"), _pairs(choices.recommendations),
            draft.recommendation_ids)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._main_tab(), tr("Warning"))
        self.tabs.addTab(self._form((tr("Where"), self.areas),
                                    (tr("Who is at risk"), self.groups),
                                    (tr("Addressed to"), self.addressees)),
                         tr("Where, who, to whom"))
        self.tabs.addTab(self._indicator_tab(), tr("Indicators"))
        self.tabs.addTab(self._form((tr("Risk factors"), self.factors),
                                    (tr("Sources"), self.sources),
                                    (tr("Recommendations"), self.recommendations)),
                         tr("Evidence, links"))
        hint = QLabel(tr("Ctrl+Tab moves to the next tab."))
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint)
        layout.addWidget(_buttons(self, tr("Save")))
        self.fields = {N_("title"): self.title, N_("observed on"): self.observed,
                       N_("severity"): self.severity, N_("areas"): self.areas,
                       N_("groups"): self.groups, N_("addressees"): self.addressees,
                       N_("indicators"): self.indicators, N_("risk factors"): self.factors,
                       N_("sources"): self.sources, N_("recommendations"): self.recommendations}
        self.resize(820, 720)

    def _main_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        form.addRow(tr("&Title"), self.title)
        form.addRow("", self.observed)
        form.addRow(tr("&What is happening"), self.description)
        form.addRow(tr("&Severity"), self.severity)
        form.addRow(tr("&Likelihood"), self.likelihood)
        form.addRow(tr("&Horizon"), self.horizon)
        form.addRow(tr("Recommended &actions"), self.recommended)
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
        intro = QLabel(tr("Indicators of the framework in use; risk factors 7 (enabling "
                          "circumstances) and 8 (triggers) first."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
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


class ResponseDialog(GuardedDialog):
    """Record an acknowledgement or an action by an institution."""

    def __init__(self, reference: str, institutions: Sequence[tuple[uuid.UUID, str]],
                 addressees: Iterable[uuid.UUID], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Record a response to {reference}").format(reference=reference))
        first = set(addressees)
        ordered = sorted(institutions, key=lambda x: x[0] not in first)  # addressees first
        self.institution: ValueCombo[uuid.UUID | None] = ValueCombo()
        if not ordered:
            self.institution.add(tr("(no institution in the register)"), None)
        for record_id, name in ordered:
            shown = tr("{name} — addressee").format(name=name) if record_id in first else name
            self.institution.add(shown, record_id)
        self.on = date_edit(today)
        self.kind = enum_combo(RESPONSE_LABELS, ResponseKind.ACKNOWLEDGEMENT)
        self.action_taken = _text("", tr("What was done (needed for an action)"))
        self.outcome = _text("", tr("What came of it, if known"))
        _lay_out(self, [(tr("&Institution"), self.institution), (tr("&Date"), self.on),
                        (tr("&Kind"), self.kind), (tr("&Action taken"), self.action_taken),
                        (tr("&Outcome"), self.outcome)], tr("Record", context="verb"))
        self.fields = {N_("institution"): self.institution, N_("date"): self.on,
                       N_("action taken"): self.action_taken}
        self.resize(600, 420)

    def value(self) -> ResponseInput:
        """What the person entered."""
        chosen = self.institution.value()
        return ResponseInput(
            InstitutionId(chosen) if chosen else None, from_qdate(self.on.date()),
            self.kind.value(), self.action_taken.toPlainText(), self.outcome.toPlainText(),
        )


class EscalateDialog(GuardedDialog):
    """Raise a warning's severity, saying why."""

    def __init__(self, reference: str, current: Severity | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Escalate {reference}").format(reference=reference))
        levels = list(Severity)
        self.severity: ValueCombo[Severity] = ValueCombo()
        for level in levels:
            label = severity_label(level)
            if level is current:
                label = tr("{severity} (current)").format(severity=label)
            self.severity.add(label, level)
            self.severity.setItemIcon(self.severity.count() - 1, severity_icon(level))
        above = levels.index(current) + 1 if current is not None else 0
        self.severity.set_value(levels[min(above, len(levels) - 1)])
        self.reason = _text("", tr("What changed: new facts, a missed deadline …"))
        _lay_out(self, [(tr("New &severity"), self.severity), (tr("&Reason"), self.reason)],
                 tr("Escalate"))
        self.fields = {N_("severity"): self.severity, N_("reason"): self.reason}
        self.resize(520, 300)

    def value(self) -> tuple[Severity, str]:
        """The new severity and the reason."""
        return self.severity.value(), self.reason.toPlainText()


class CloseDialog(GuardedDialog):
    """Close a warning: how it ended, a note, the day."""

    def __init__(self, reference: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Close {reference}").format(reference=reference))
        self.resolution: ValueCombo[Resolution | None] = ValueCombo(
            [(tr("(choose how it ended)"), None)])
        for value, label in RESOLUTION_LABELS.items():
            self.resolution.add(tr(label), value)
        self.note = _text("", tr("What happened; what the committee learnt"))
        self.on = date_edit(today)
        _lay_out(self, [(tr("&Resolution"), self.resolution), (tr("&Note"), self.note),
                        (tr("Closed &on"), self.on)], tr("Close warning"))
        self.fields = {N_("resolution"): self.resolution, N_("note"): self.note,
                       N_("closed on"): self.on}
        self.resize(520, 320)

    def value(self) -> tuple[Resolution | None, str, date]:
        """The resolution (None: not chosen), the note and the day."""
        return self.resolution.value(), self.note.toPlainText(), from_qdate(self.on.date())
