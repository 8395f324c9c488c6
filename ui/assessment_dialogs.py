"""Dialogs and forms of the Risk assessments page: an assessment's details (new, edit, copy
forward), the evidence editor of one rating, a framework indicator, the overall level with the
committee's override, and the inhibitors' strengths.

Each dialog stays open, as it was, while the core refuses what it holds: the page sets `save`,
which writes and says whether it did, and only then does the dialog close.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.assessments import scale
from r2pdesk.assessments.models import Confidence, Level, Phase, Strength
from r2pdesk.assessments.queries import Choice, Grid, RatingChoices, ResilienceCell
from r2pdesk.assessments.scale import LEVEL_LABELS, LEVELS
from r2pdesk.assessments.service import STATUS_LABELS, AssessmentInput, RatingInput
from r2pdesk.recommendations.queries import Linked
from ui.assessment_grid import GridRow, rating_input
from ui.combos import ValueCombo
from ui.dashboard_charts import LEVEL_COLOURS
from ui.recommendation_dialogs import CheckList, date_edit, enum_combo, from_qdate

PHASE_LABELS = {
    Phase.STABILITY: "Stability",
    Phase.EMERGING_RISK: "Emerging risk",
    Phase.ACTIVE_CRISIS: "Active crisis",
    Phase.POST_CONFLICT_RECOVERY: "Post-conflict recovery",
}
STRENGTH_LABELS = {
    Strength.NOT_ASSESSED: "Not assessed",
    Strength.ABSENT: "Absent",
    Strength.WEAK: "Weak",
    Strength.MODERATE: "Moderate",
    Strength.STRONG: "Strong",
}
CONFIDENCE_LABELS = {None: "Not said", Confidence.LOW: "Low", Confidence.MEDIUM: "Medium",
                     Confidence.HIGH: "High"}
NATIONAL_SCOPE = "National (the whole country)"
NO_OVERRIDE = "No override: the level as rated or derived"


COPY_NOTE = ("Copying forward makes a new draft carrying every rating with its evidence, and the "
             "inhibitors, of “{}”, on the newest framework version: only what changed needs "
             "updating. The overall override is not carried.")


def next_period(start: date, end: date) -> tuple[date, date]:
    """The period after one: as many whole months when it is made of whole months (January to
    June gives July to December), else as many days."""
    after = end + timedelta(days=1)
    if start.day != 1 or after.day != 1:
        return after, after + (end - start)
    months = (after.year - start.year) * 12 + after.month - start.month
    index = after.year * 12 + after.month - 1 + months
    return after, date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def current_input(grid: Grid, *, next_one: bool = False) -> AssessmentInput:
    """An assessment's details as core input; for the next period when copying forward."""
    row = grid.assessment
    start, end = (next_period(row.period_start, row.period_end) if next_one
                  else (row.period_start, row.period_end))
    return AssessmentInput(title=row.title, period_start=start, period_end=end,
                           area_id=row.area_id, phase=row.phase, authors=grid.authors,
                           summary=grid.summary)


def _text(value: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    return edit


def _linked(choices: Sequence[Choice]) -> list[Linked]:
    return [Linked(c.id, c.label) for c in choices]


def override_combo(current: Level | None) -> ValueCombo[Level | None]:
    """No override, or one of the levels of the scale."""
    combo: ValueCombo[Level | None] = ValueCombo([(NO_OVERRIDE, None)])
    for level in LEVELS:
        combo.add(LEVEL_LABELS[level], level)
    combo.set_value(current)
    return combo


class FormDialog(QDialog):
    """A dialog that closes only once the page has saved what it holds."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.save: Callable[[], bool] | None = None

    def buttons(self, ok: str) -> QDialogButtonBox:
        """Save and Cancel."""
        kinds = QDialogButtonBox.StandardButton
        box = QDialogButtonBox(kinds.Ok | kinds.Cancel)
        box.button(kinds.Ok).setText(ok)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        return box

    def accept(self) -> None:
        if self.save is None or self.save():
            super().accept()


class AssessmentDialog(FormDialog):
    """An assessment's title, scope, period, phase, authors and summary."""

    def __init__(self, title: str, data: AssessmentInput, areas: Sequence[Choice],
                 parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(title, parent)
        self.data = data
        self.title = QLineEdit(data.title)
        self.title.setPlaceholderText("e.g. National risk assessment, first half of 2027")
        self.scope: ValueCombo[uuid.UUID | None] = ValueCombo([(NATIONAL_SCOPE, None)])
        for area in areas:
            self.scope.add(area.label, area.id)
        self.scope.set_value(data.area_id)
        self.start = date_edit(data.period_start)
        self.end = date_edit(data.period_end)
        self.phase = enum_combo(PHASE_LABELS, data.phase)
        self.authors = QLineEdit(data.authors)
        self.authors.setPlaceholderText("Who wrote it, separated by semicolons")
        self.summary = _text(data.summary, "What the committee concludes, in a few sentences")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("S&cope", self.scope)
        form.addRow("Period &from", self.start)
        form.addRow("Period &to", self.end)
        form.addRow("&Phase", self.phase)
        form.addRow("&Authors", self.authors)
        form.addRow("&Summary", self.summary)
        layout = QVBoxLayout(self)
        if note:
            said = QLabel(note)
            said.setWordWrap(True)
            layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons("Save"))
        self.resize(640, 460)

    def value(self) -> AssessmentInput:
        """What the person entered (the framework version stays the caller's)."""
        return replace(
            self.data, title=self.title.text(), area_id=self.scope.value(),
            period_start=from_qdate(self.start.date()), period_end=from_qdate(self.end.date()),
            phase=self.phase.value(), authors=self.authors.text(),
            summary=self.summary.toPlainText(),
        )


class EvidenceDialog(FormDialog):
    """One rating in full: level, confidence, evidence and what it cites, override, secrecy."""

    def __init__(self, line: GridRow, choices: RatingChoices,
                 parent: QWidget | None = None) -> None:
        super().__init__("Evidence and override", parent)
        self.data = data = rating_input(line)
        factor, indicator = line.factor, line.indicator
        assert factor is not None  # headings have no rating to edit
        derived_note = "" if indicator or not factor.from_indicators else (
            f"Derived from its rated indicators: {LEVEL_LABELS[factor.derived_level].lower()}. "
            "To rate it otherwise, set an override with a justification.")
        said = QLabel(f"{indicator.code} {indicator.text}" if indicator
                      else f"{factor.code} {factor.title}")
        said.setWordWrap(True)
        said.setStyleSheet("font-weight: bold;")
        self.level = ValueCombo((LEVEL_LABELS[v], v) for v in Level)
        self.level.set_value(data.level)
        self.level.setEnabled(not derived_note)
        self.level.setToolTip(derived_note or "The level of the scale this item reaches")
        self.confidence: ValueCombo[Confidence | None] = ValueCombo(
            (label, value) for value, label in CONFIDENCE_LABELS.items())
        self.confidence.set_value(data.confidence)
        self.evidence = _text(data.evidence, "What was observed, where, when, and by whom")
        self.sources = CheckList(_linked(choices.sources), data.source_ids)
        self.groups = CheckList(_linked(choices.groups), data.group_ids)
        self.areas = CheckList(_linked(choices.areas), data.area_ids)
        self.override = override_combo(data.override_level)
        self.justification = _text(
            data.override_justification, "Why the level that counts differs (required)")
        self.justification.setMaximumHeight(80)
        self.confidential = QCheckBox("Confidential (left out of exports for ministries)")
        self.confidential.setChecked(data.confidential)
        form = QFormLayout()
        form.addRow("&Level", self.level)
        if derived_note:
            form.addRow("", QLabel(derived_note))
        form.addRow("C&onfidence", self.confidence)
        form.addRow("&Evidence", self.evidence)
        form.addRow("", self._links())
        form.addRow("O&verride", self.override)
        form.addRow("&Justification", self.justification)
        form.addRow("", self.confidential)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons("Save"))
        self.resize(980, 700)

    def _links(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (text, checks) in enumerate(
                (("&Sources", self.sources), ("&Groups", self.groups), ("&Areas", self.areas))):
            label = QLabel(text)
            label.setBuddy(checks)
            grid.addWidget(label, 0, column)
            grid.addWidget(checks, 1, column)
            grid.setColumnStretch(column, 2 if column == 0 else 1)  # sources have long names
        return box

    def value(self) -> RatingInput:
        """The rating as entered."""
        return replace(
            self.data, level=self.level.value(), confidence=self.confidence.value(),
            evidence=self.evidence.toPlainText(), source_ids=self.sources.checked_ids(),
            group_ids=self.groups.checked_ids(), area_ids=self.areas.checked_ids(),
            override_level=self.override.value(),
            override_justification=self.justification.toPlainText(),
            confidential=self.confidential.isChecked(),
        )


class IndicatorDialog(FormDialog):
    """A national indicator to add to a risk factor, or an indicator's text to change."""

    def __init__(self, title: str, factor: str, code: str, text: str, *, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.code = QLineEdit(code)
        self.code.setReadOnly(not new)
        self.code.setToolTip("The committee's own code, e.g. 7.N1" if new else
                             "An indicator keeps its code")
        self.text = _text(text, "What to look for, as the framework words its indicators")
        form = QFormLayout()
        form.addRow("Risk factor", QLabel(factor))
        form.addRow("&Code", self.code)
        form.addRow("&Text", self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons("Add" if new else "Change"))
        self.resize(620, 300)

    def value(self) -> tuple[str, str]:
        """The code and the text."""
        return self.code.text().strip(), self.text.toPlainText()


def level_html(level: Level) -> str:
    """A level as rich text: its word on its colour."""
    return (f'<span style="background-color: {LEVEL_COLOURS[level].name()}; color: black;">'
            f"&nbsp;<b>{LEVEL_LABELS[level]}</b>&nbsp;</span>")


def scale_help_html() -> str:
    """The scale and the derivation rule, as `r2pdesk.assessments.scale` documents them."""
    paragraphs = (scale.__doc__ or "").strip().split("\n\n")
    return "<qt>" + "".join(f"<p>{html.escape(' '.join(p.split()))}</p>"
                            for p in paragraphs) + "</qt>"


def heading_html(grid: Grid | None) -> str:
    """What the grid shows: the assessment, its review, its framework, what trends compare."""
    if grid is None:
        return "<i>Choose an assessment in the list, or start one (Ctrl+N).</i>"
    row = grid.assessment
    compared = (f"trends against “{html.escape(grid.previous.title)}”" if grid.previous
                else "no earlier assessment of this scope to compare with")
    kept = "" if grid.editable else (
        "<br><b>This assessment is kept as it is;</b> copy it forward to carry it on.")
    scope = row.scope.capitalize() if row.area_id is None else html.escape(row.scope)
    return (f"<b>{html.escape(row.title)}</b> · {scope} · {row.period_start.isoformat()} – "
            f"{row.period_end.isoformat()} · {PHASE_LABELS[row.phase]} · "
            f"<b>{STATUS_LABELS[row.status]}</b><br>{html.escape(grid.framework)} · {compared}"
            f"{kept}")


def summary_html(grid: Grid) -> str:
    """An assessment's authors and summary, for the list."""
    authors = html.escape(grid.authors) or "<i>no authors given</i>"
    summary = html.escape(grid.summary).replace("\n", "<br>") or "<i>no summary yet</i>"
    return f"<br>Authors: {authors}<br>{summary}"


def item_html(line: GridRow) -> str:
    """A line of the grid in full, for the pane beside it."""
    if line.factor is None:
        return ""
    item = line.indicator
    code, text = (item.code, item.text) if item else (line.factor.code, line.factor.title)
    view = line.rating
    parts = [f"<b>{html.escape(code)}</b> {html.escape(text)}", f"Level: {level_html(line.level)}"]
    if view is not None and view.evidence:
        parts.append(f"Evidence: {html.escape(view.evidence)}")
    if view is not None and view.override_justification:
        parts.append(f"Override justified: {html.escape(view.override_justification)}")
    if view is not None:
        parts.append(f"<small>Last saved by {html.escape(view.author or 'unknown')}, "
                     f"{view.updated_at:%Y-%m-%d %H:%M}</small>")
    return "<br>".join(parts)


class OverallBox(QWidget):
    """The overall level derived from the risk factors, and the committee's override."""

    apply = Signal(object, str)  # the override (a Level, or None to take it away), why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = QLabel()
        self.level.setTextFormat(Qt.TextFormat.RichText)
        self.override = override_combo(None)
        self.override.setAccessibleName("Overall override")
        self.justification = QLineEdit()
        self.justification.setPlaceholderText("Why the committee sets another overall level")
        self.justification.setAccessibleName("Justification of the overall override")
        self.button = QPushButton("Set &overall level")
        self.button.clicked.connect(
            lambda: self.apply.emit(self.override.value(), self.justification.text()))
        label = QLabel("O&verride:")
        label.setBuddy(self.override)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.level)
        layout.addSpacing(12)
        layout.addWidget(label)
        layout.addWidget(self.override)
        layout.addWidget(self.justification, 1)
        layout.addWidget(self.button)

    def show_grid(self, grid: Grid) -> None:
        """Show an assessment's overall level and override."""
        row = grid.assessment
        said = f"Overall level: {level_html(row.effective_level)}"
        if row.overall_override is not None:
            said += f" set by the committee (derived: {LEVEL_LABELS[row.overall_level].lower()})"
        else:
            said += " derived: the highest risk factor"
        self.level.setText(said)
        self.override.set_value(row.overall_override)
        self.justification.setText(grid.override_justification)
        for widget in (self.override, self.justification, self.button):
            widget.setEnabled(grid.editable)


class ResiliencePanel(QGroupBox):
    """The inhibitors with their strength and notes; each change is reported as it is made."""

    changed = Signal(object, object, str)  # resilience factor id, Strength, notes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Resilience: the inhibitors", parent)
        self.grid = QGridLayout(self)
        self.rows: dict[uuid.UUID, tuple[ValueCombo[Strength], QLineEdit]] = {}
        self.saved: dict[uuid.UUID, tuple[Strength, str]] = {}

    def _row(self, cell: ResilienceCell) -> tuple[ValueCombo[Strength], QLineEdit]:
        title = QLabel(f"{cell.number}. {cell.title}")
        title.setWordWrap(True)
        strength = enum_combo(STRENGTH_LABELS, cell.strength)
        strength.setAccessibleName(f"Strength of inhibitor {cell.number}")
        notes = QLineEdit(cell.notes)
        notes.setPlaceholderText("Notes")
        notes.setAccessibleName(f"Notes on inhibitor {cell.number}")
        at = self.grid.rowCount()
        self.grid.addWidget(title, at, 0, 1, 2)
        self.grid.addWidget(strength, at + 1, 0)
        self.grid.addWidget(notes, at + 1, 1)
        strength.currentIndexChanged.connect(lambda _i: self._report(cell.resilience_factor_id))
        notes.editingFinished.connect(lambda: self._report(cell.resilience_factor_id))
        return strength, notes

    def set_cells(self, cells: Sequence[ResilienceCell], *, editable: bool) -> None:
        """Show an assessment's inhibitors."""
        if [c.resilience_factor_id for c in cells] != list(self.rows):
            while self.grid.count():
                item = self.grid.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
            self.rows = {c.resilience_factor_id: self._row(c) for c in cells}
        self.saved = {c.resilience_factor_id: (c.strength, c.notes) for c in cells}
        for cell in cells:
            strength, notes = self.rows[cell.resilience_factor_id]
            strength.blockSignals(True)
            strength.set_value(cell.strength)
            strength.blockSignals(False)
            notes.setText(cell.notes)
            notes.setCursorPosition(0)  # the start of the notes, not their end
            notes.setToolTip(cell.notes)
            strength.setEnabled(editable)
            notes.setReadOnly(not editable)

    def _report(self, factor_id: uuid.UUID) -> None:
        strength, notes = self.rows[factor_id]
        now = (strength.value(), notes.text().strip())
        if self.saved.get(factor_id) != now:
            self.saved[factor_id] = now
            self.changed.emit(factor_id, *now)
