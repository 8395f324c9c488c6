"""Sections that several reports share: the risk picture of the latest assessment."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from r2pdesk.assessments.models import Level
from r2pdesk.assessments.scale import LEVEL_LABELS, Trend, rank
from r2pdesk.reports.base import Renderer, plural
from r2pdesk.reports.charts import heat_map
from r2pdesk.reports.data.common import RiskSummary
from r2pdesk.reports.data.common import word as _word
from r2pdesk.reports.text import esc, long_date, month_year


def level_word(level: Level | None) -> str:
    """A level as people read it."""
    return "Withheld" if level is None else LEVEL_LABELS[level]


def risk_section(
    renderer: Renderer[Any], risk: RiskSummary | None, *, figures: bool = True
) -> list[Flowable]:
    """The overall level of the latest assessment that counts, its risk factors against the
    previous one (as figures, or in a sentence when the report has its own figures), and its
    summary."""
    styles = renderer.styles
    if risk is None:
        return [renderer.para("The committee has no validated or submitted risk assessment yet.")]
    high = [f for f in risk.factors if f.level is not None and rank(f.level) >= rank(Level.HIGH)]
    worse = [f for f in risk.factors if f.trend is Trend.WORSE]
    period = f"{long_date(risk.period_start)} to {long_date(risk.period_end)}"
    before = level_word(risk.previous_overall) if risk.previous_overall else "—"
    story: list[Flowable] = [
        Paragraph(f"From the latest assessment that counts: <b>{esc(risk.title)}</b> "
                  f"({esc(period)}; {esc(_word(risk.status))}; phase: {esc(_word(risk.phase))}).",
                  styles["body"]),
    ]
    if figures:
        story.append(renderer.figures([
            (level_word(risk.overall), "overall risk level"),
            (before, "in the previous assessment"),
            (str(len(high)), "risk factors high or severe"),
            (str(len(worse)), "risk factors worse than before"),
        ]))
    else:
        compared = (f"previous assessment: {before}; {len(worse)} risk factors worse than then"
                    if risk.previous_overall else "no earlier assessment to compare with")
        rated = (f"{plural(len(high), 'risk factor')} rated high or severe" if high
                 else "no risk factor rated high or severe")
        story.append(Paragraph(
            f"Overall risk level: <b>{level_word(risk.overall)}</b> ({compared}); {rated}.",
            styles["body"]))
    story.append(Spacer(1, 6))
    if risk.summary.strip():
        story += [renderer.subheading("Summary of the assessment"), renderer.para(risk.summary)]
    columns = [(month_year(risk.period_end), _word(risk.status))]
    if risk.previous_overall is not None:
        columns.insert(0, ("Previous", "assessment"))
    rows = [
        (f"{f.number}. {f.title}",
         [f.previous, f.level] if risk.previous_overall is not None else [f.level])
        for f in risk.factors
    ]
    story.append(KeepTogether([
        Paragraph("Level of each risk factor", styles["h3"]), Spacer(1, 2),
        heat_map(columns, rows, renderer.width, trends=[f.trend for f in risk.factors]),
    ]))
    return story
