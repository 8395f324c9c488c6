"""Dialogs and forms of the Risk assessments page: an assessment's details (new, edit, copy
forward), the evidence editor of one rating, a framework indicator, the overall level with the
committee's override, and the inhibitors' strengths.

Each dialog stays open, as it was, while the core refuses what it holds: the page sets `save`,
which writes and says whether it did (or, for a write off the UI thread, calls `saved` or
`refuse` later), and only then does the dialog close; it asks before discarding what was typed
(`ui.guarded`).
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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

from r2pdesk.assessments.models import (
    PHASE_LABELS,
    STRENGTH_LABELS,
    Confidence,
    Level,
    Strength,
    confidence_label,
    phase_label,
)
from r2pdesk.assessments.queries import Choice, Grid, RatingChoices, ResilienceCell
from r2pdesk.assessments.scale import LEVELS, level_label
from r2pdesk.assessments.service import AssessmentInput, RatingInput, status_label
from r2pdesk.i18n import N_, format_date, format_datetime, is_right_to_left, tr
from r2pdesk.recommendations.queries import Linked
from ui.assessment_grid import GridRow, rating_input
from ui.combos import ValueCombo
from ui.dashboard_charts import LEVEL_COLOURS
from ui.guarded import GuardedDialog
from ui.recommendation_dialogs import CheckList, date_edit, enum_combo, from_qdate
from ui.setup_hints import NO_AREAS, NO_GROUPS, NO_SOURCES, hint_if_empty

# The labels of phases and strengths are the core's (PHASE_LABELS, STRENGTH_LABELS, imported
# above); the texts below are marked with N_ and translated with tr where they are shown.
CONFIDENCE_LABELS: dict[Confidence | None, str] = {
    None: N_("Not said"), Confidence.LOW: N_("Low"), Confidence.MEDIUM: N_("Medium"),
    Confidence.HIGH: N_("High"),
}
NATIONAL_SCOPE = N_("National (the whole country)")
NO_OVERRIDE = N_("No override: the level as rated or derived")


COPY_NOTE = N_("Copying forward makes a new draft carrying every rating with its evidence, and "
               "the inhibitors, of “{title}”, on the newest framework version: only what changed "
               "needs updating. The overall override is not carried.")
# The paragraphs of `r2pdesk.assessments.scale`'s docstring, as the help shows them.
SCALE_HELP = (
    N_("The risk scale of r2pdesk's assessments and how levels derive from one another."),
    N_("The Framework of Analysis has no official scoring scale; this one is r2pdesk's own "
       "design."),
    N_("The scale, lowest first: not present < low < moderate < high < severe. \"Not assessed\" "
       "is not a level: it says that nobody has rated the item yet, and every derivation leaves "
       "it out. Confidence (low, medium, high) says how sure the analyst is; it is kept apart "
       "from the level and never changes it."),
    N_("A risk factor's level. When any of its indicators is rated, the risk factor's level is "
       "the highest level among its rated indicators. Nothing is averaged: one severe indicator "
       "makes the risk factor severe, whatever the others say. The rule never gives less than "
       "the highest indicator, raising any indicator never lowers it, and the order of the "
       "indicators does not matter. (A rule that raises the level \"when half the indicators "
       "are high\" was set aside: rating one more indicator \"not present\" would lower that "
       "share, and with it the risk factor.) With no rated indicator the analyst rates the risk "
       "factor directly."),
    N_("Overrides. The analyst may set a risk factor (or an indicator) to another level, higher "
       "or lower, with a written justification; no override without one. The level that "
       "counts, the effective level, is the override when there is one, else the derived (or "
       "direct) level."),
    N_("The overall level of an assessment is derived from its risk factors the same way: the "
       "highest effective level among them, never below the highest risk factor. The committee "
       "may override it too, at any level, with its own written justification."),
    N_("Trends compare an item's effective level with the previous assessment's: worse, same, "
       "better, or new when the item was not rated before."),
)


def _em(text: str) -> str:
    """Set apart: italics, or grey in right-to-left scripts, which are not slanted."""
    return f'<span style="color:#555555">{text}</span>' if is_right_to_left() else f"<i>{text}</i>"


def reading_order(text: str) -> str:
    """Rich text laid out in the language's direction, even when it starts with English data
    (Qt otherwise takes a paragraph's direction from its first letter)."""
    return f'<div dir="rtl">{text}</div>' if is_right_to_left() else text


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
    combo: ValueCombo[Level | None] = ValueCombo([(tr(NO_OVERRIDE), None)])
    for level in LEVELS:
        combo.add(level_label(level), level)
    combo.set_value(current)
    return combo


class FormDialog(GuardedDialog):
    """A dialog that closes only once the page has saved what it holds."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)

    def buttons(self, ok: str) -> QDialogButtonBox:
        """Save and Cancel."""
        kinds = QDialogButtonBox.StandardButton
        box = QDialogButtonBox(kinds.Ok | kinds.Cancel)
        box.button(kinds.Ok).setText(ok)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        return box


class AssessmentDialog(FormDialog):
    """An assessment's title, scope, period, phase, authors and summary."""

    def __init__(self, title: str, data: AssessmentInput, areas: Sequence[Choice],
                 parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(title, parent)
        self.data = data
        self.title = QLineEdit(data.title)
        self.title.setPlaceholderText(tr("e.g. National risk assessment, first half of 2027"))
        self.scope: ValueCombo[uuid.UUID | None] = ValueCombo([(tr(NATIONAL_SCOPE), None)])
        for area in areas:
            self.scope.add(area.label, area.id)
        self.scope.set_value(data.area_id)
        self.start = date_edit(data.period_start)
        self.end = date_edit(data.period_end)
        self.phase = enum_combo(PHASE_LABELS, data.phase)
        self.authors = QLineEdit(data.authors)
        self.authors.setPlaceholderText(tr("Who wrote it, separated by semicolons"))
        self.summary = _text(data.summary,
                             tr("What the committee concludes, in a few sentences"))
        form = QFormLayout()
        form.addRow(tr("&Title"), self.title)
        form.addRow(tr("S&cope"), self.scope)
        form.addRow(tr("Period &from"), self.start)
        form.addRow(tr("Period &to"), self.end)
        form.addRow(tr("&Phase"), self.phase)
        form.addRow(tr("&Authors"), self.authors)
        form.addRow(tr("&Summary"), self.summary)
        layout = QVBoxLayout(self)
        if note:
            said = QLabel(note)
            said.setWordWrap(True)
            layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons(tr("Save")))
        self.fields = {N_("title"): self.title, N_("period"): self.end, N_("area"): self.scope,
                       N_("authors"): self.authors, N_("summary"): self.summary}
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
        super().__init__(tr("Evidence and override"), parent)
        self.data = data = rating_input(line)
        factor, indicator = line.factor, line.indicator
        assert factor is not None  # headings have no rating to edit
        derived_note = "" if indicator or not factor.from_indicators else tr(
            "Derived from its rated indicators: {level}. To rate it otherwise, set an override "
            "with a justification.").format(level=level_label(factor.derived_level).lower())
        said = QLabel(f"{indicator.code} {indicator.text}" if indicator
                      else f"{factor.code} {factor.title}")
        said.setWordWrap(True)
        said.setStyleSheet("font-weight: bold;")
        self.level = ValueCombo((level_label(v), v) for v in Level)
        self.level.set_value(data.level)
        self.level.setEnabled(not derived_note)
        self.level.setToolTip(derived_note or tr("The level of the scale this item reaches"))
        self.confidence: ValueCombo[Confidence | None] = ValueCombo(
            (tr(label) if value is None else confidence_label(value), value)
            for value, label in CONFIDENCE_LABELS.items())
        self.confidence.set_value(data.confidence)
        self.evidence = _text(data.evidence, tr("What was observed, where, when, and by whom"))
        self.sources = CheckList(_linked(choices.sources), data.source_ids)
        self.groups = CheckList(_linked(choices.groups), data.group_ids)
        self.areas = CheckList(_linked(choices.areas), data.area_ids)
        for empty, words in ((self.areas, NO_AREAS), (self.groups, NO_GROUPS),
                             (self.sources, NO_SOURCES)):
            hint_if_empty(empty, words)  # a new committee: where to add them
        self.override = override_combo(data.override_level)
        self.justification = _text(
            data.override_justification, tr("Why the level that counts differs (required)"))
        self.justification.setMaximumHeight(80)
        self.confidential = QCheckBox(tr("Confidential (left out of exports for ministries)"))
        self.confidential.setChecked(data.confidential)
        form = QFormLayout()
        form.addRow(tr("&Level"), self.level)
        if derived_note:
            note = QLabel(derived_note)
            note.setWordWrap(True)
            form.addRow("", note)
        form.addRow(tr("C&onfidence"), self.confidence)
        form.addRow(tr("&Evidence"), self.evidence)
        form.addRow("", self._links())
        form.addRow(tr("O&verride"), self.override)
        form.addRow(tr("&Justification"), self.justification)
        form.addRow("", self.confidential)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons(tr("Save")))
        # The core names an override by what it overrides ("override of indicator 7.1: ...").
        where = (tr("override of indicator {code}").format(code=indicator.code) if indicator
                 else tr("override of risk factor {number}").format(number=factor.number))
        self.fields = {N_("level"): self.level, N_("evidence"): self.evidence,
                       where: self.justification, N_("override justification"): self.justification,
                       N_("sources"): self.sources, N_("groups"): self.groups,
                       N_("areas"): self.areas}
        self.resize(980, 700)

    def _links(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (text, checks) in enumerate(
                ((tr("&Sources"), self.sources), (tr("&Groups"), self.groups),
                 (tr("&Areas"), self.areas))):
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
        self.code.setToolTip(tr("The committee's own code, e.g. 7.N1") if new else
                             tr("An indicator keeps its code"))
        self.text = _text(text, tr("What to look for, as the framework words its indicators"))
        said = QLabel(factor)
        said.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Risk factor"), said)
        form.addRow(tr("&Code"), self.code)
        form.addRow(tr("&Text"), self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons(tr("Add") if new else tr("Change")))
        self.resize(620, 300)

    def value(self) -> tuple[str, str]:
        """The code and the text."""
        return self.code.text().strip(), self.text.toPlainText()


def level_html(level: Level) -> str:
    """A level as rich text: its word on its colour."""
    return (f'<span style="background-color: {LEVEL_COLOURS[level].name()}; color: black;">'
            f"&nbsp;<b>{html.escape(level_label(level))}</b>&nbsp;</span>")


def scale_help_html() -> str:
    """The scale and the derivation rule, as `r2pdesk.assessments.scale` documents them."""
    return "<qt>" + "".join(f"<p>{html.escape(tr(p))}</p>" for p in SCALE_HELP) + "</qt>"


def heading_html(grid: Grid | None) -> str:
    """What the grid shows: the assessment, its review, its framework, what trends compare."""
    if grid is None:
        said = tr("Choose an assessment in the list, or start one (Ctrl+N).")
        return _em(html.escape(said))
    row = grid.assessment
    compared = (tr("trends against “{title}”").format(title=html.escape(grid.previous.title))
                if grid.previous else
                html.escape(tr("no earlier assessment of this scope to compare with")))
    kept = "" if grid.editable else "<br>" + tr(
        "<b>This assessment is kept as it is;</b> copy it forward to carry it on.")
    scope = html.escape(tr("National", context="scope") if row.area_id is None else row.scope)
    return reading_order(
        f"<b>{html.escape(row.title)}</b> · {scope} · {format_date(row.period_start)} – "
        f"{format_date(row.period_end)} · {html.escape(phase_label(row.phase))} · "
        f"<b>{html.escape(status_label(row.status))}</b><br>{html.escape(grid.framework)} · "
        f"{compared}{kept}")


def summary_html(grid: Grid) -> str:
    """An assessment's authors and summary, for the list."""
    authors = html.escape(grid.authors) or _em(html.escape(tr("no authors given")))
    summary = (html.escape(grid.summary).replace("\n", "<br>")
               or _em(html.escape(tr("no summary yet"))))
    said = f"{tr('Authors: {authors}').format(authors=authors)}<br>{summary}"
    return reading_order(said) if is_right_to_left() else f"<br>{said}"


def item_html(line: GridRow) -> str:
    """A line of the grid in full, for the pane beside it."""
    if line.factor is None:
        return ""
    item = line.indicator
    code, text = (item.code, item.text) if item else (line.factor.code, line.factor.title)
    view = line.rating
    parts = [f"<b>{html.escape(code)}</b> {html.escape(text)}",
             tr("Level: {level}").format(level=level_html(line.level))]
    if view is not None and view.evidence:
        parts.append(tr("Evidence: {text}").format(text=html.escape(view.evidence)))
    if view is not None and view.override_justification:
        parts.append(tr("Override justified: {text}").format(
            text=html.escape(view.override_justification)))
    if view is not None:
        saved = tr("Last saved by {name}, {time}").format(
            name=html.escape(view.author or tr("unknown")),
            time=html.escape(format_datetime(view.updated_at)))
        parts.append(f"<small>{saved}</small>")
    return reading_order("<br>".join(parts))


class OverallBox(QWidget):
    """The overall level derived from the risk factors, and the committee's override."""

    apply = Signal(object, str)  # the override (a Level, or None to take it away), why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = QLabel()
        self.level.setTextFormat(Qt.TextFormat.RichText)
        self.override = override_combo(None)
        self.override.setAccessibleName(tr("Overall override"))
        self.justification = QLineEdit()
        self.justification.setPlaceholderText(tr("Why the committee sets another overall level"))
        self.justification.setAccessibleName(tr("Justification of the overall override"))
        self.button = QPushButton(tr("Set &overall level"))
        self.button.clicked.connect(
            lambda: self.apply.emit(self.override.value(), self.justification.text()))
        label = QLabel(tr("O&verride:"))
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
        level = level_html(row.effective_level)
        if row.overall_override is not None:
            said = tr("Overall level: {level} set by the committee (derived: {derived})").format(
                level=level, derived=html.escape(level_label(row.overall_level).lower()))
        else:
            said = tr("Overall level: {level} derived: the highest risk factor").format(
                level=level)
        self.level.setText(said)
        self.override.set_value(row.overall_override)
        self.justification.setText(grid.override_justification)
        for widget in (self.override, self.justification, self.button):
            widget.setEnabled(grid.editable)


class ResiliencePanel(QGroupBox):
    """The inhibitors with their strength and notes; each change is reported as it is made."""

    changed = Signal(object, object, str)  # resilience factor id, Strength, notes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Resilience: the inhibitors"), parent)
        self.lines = QVBoxLayout(self)  # one widget per inhibitor: its name over its fields
        self.rows: dict[uuid.UUID, tuple[ValueCombo[Strength], QLineEdit]] = {}
        self.saved: dict[uuid.UUID, tuple[Strength, str]] = {}

    def _row(self, cell: ResilienceCell) -> tuple[ValueCombo[Strength], QLineEdit]:
        title = QLabel(f"{cell.number}. {cell.title}")
        title.setWordWrap(True)
        strength = enum_combo(STRENGTH_LABELS, cell.strength)
        strength.setAccessibleName(
            tr("Strength of inhibitor {number}").format(number=cell.number))
        notes = QLineEdit(cell.notes)
        notes.setPlaceholderText(tr("Notes"))
        notes.setAccessibleName(tr("Notes on inhibitor {number}").format(number=cell.number))
        # Not a grid: a name wrapped over two columns of a grid gets the height of one line.
        line = QWidget()
        fields = QHBoxLayout()
        fields.addWidget(strength)
        fields.addWidget(notes, 1)
        stacked = QVBoxLayout(line)
        stacked.setContentsMargins(0, 0, 0, 0)
        stacked.setSpacing(2)
        stacked.addWidget(title)
        stacked.addLayout(fields)
        self.lines.addWidget(line)
        strength.currentIndexChanged.connect(lambda _i: self._report(cell.resilience_factor_id))
        notes.editingFinished.connect(lambda: self._report(cell.resilience_factor_id))
        return strength, notes

    def set_cells(self, cells: Sequence[ResilienceCell], *, editable: bool) -> None:
        """Show an assessment's inhibitors."""
        if [c.resilience_factor_id for c in cells] != list(self.rows):
            while self.lines.count():
                item = self.lines.takeAt(0)
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
