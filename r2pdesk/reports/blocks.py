"""Sections that several reports share: the risk picture of the latest assessment."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from r2pdesk.assessments.models import Level, phase_label
from r2pdesk.assessments.scale import Trend, level_label, rank
from r2pdesk.assessments.service import status_label as assessment_status
from r2pdesk.i18n import format_number, tr
from r2pdesk.reports.base import Renderer
from r2pdesk.reports.charts import heat_map
from r2pdesk.reports.data.common import RiskSummary
from r2pdesk.reports.text import esc, long_date, lower_first, month_year


def level_word(level: Level | None) -> str:
    """A level as people read it, in the language in use."""
    return tr("Withheld") if level is None else level_label(level)


def period_words(start: object, end: object) -> str:
    """A period, "1 May 2026 to 31 October 2026", from two dates already written out."""
    return tr("{start} to {end}").format(start=start, end=end)


def risk_section(
    renderer: Renderer[Any], risk: RiskSummary | None, *, figures: bool = True
) -> list[Flowable]:
    """The overall level of the latest assessment that counts, its risk factors against the
    previous one (as figures, or in a sentence when the report has its own figures), and its
    summary."""
    styles = renderer.styles
    if risk is None:
        return [renderer.para(
            tr("The committee has no validated or submitted risk assessment yet."))]
    high = [f for f in risk.factors if f.level is not None and rank(f.level) >= rank(Level.HIGH)]
    worse = [f for f in risk.factors if f.trend is Trend.WORSE]
    period = period_words(long_date(risk.period_start), long_date(risk.period_end))
    before = level_word(risk.previous_overall) if risk.previous_overall else "—"
    story: list[Flowable] = [
        Paragraph(tr("From the latest assessment that counts: <b>{title}</b> ({period}; {status}; "
                     "phase: {phase}).").format(
                         title=esc(risk.title), period=esc(period),
                         status=esc(assessment_status(risk.status)),
                         phase=esc(lower_first(phase_label(risk.phase)))),
                  styles["body"]),
    ]
    if figures:
        story.append(renderer.figures([
            (level_word(risk.overall), tr("overall risk level")),
            (before, tr("in the previous assessment")),
            (format_number(len(high)), tr("risk factors high or severe")),
            (format_number(len(worse)), tr("risk factors worse than before")),
        ]))
    else:
        compared = (tr("previous assessment: {level}; {count} risk factors worse than then")
                    .format(level=before, count=format_number(len(worse)))
                    if risk.previous_overall else tr("no earlier assessment to compare with"))
        if not high:
            rated = tr("no risk factor rated high or severe")
        elif len(high) == 1:
            rated = tr("{count} risk factor rated high or severe").format(count=1)
        else:
            rated = tr("{count} risk factors rated high or severe").format(
                count=format_number(len(high)))
        story.append(Paragraph(
            tr("Overall risk level: <b>{level}</b> ({compared}); {rated}.").format(
                level=esc(level_word(risk.overall)), compared=esc(compared), rated=esc(rated)),
            styles["body"]))
    story.append(Spacer(1, 6))
    if risk.summary.strip():
        story += [renderer.subheading(tr("Summary of the assessment")),
                  renderer.para(risk.summary)]
    columns = [(month_year(risk.period_end), assessment_status(risk.status))]
    if risk.previous_overall is not None:
        # One heading on two lines: a language may put its words in another order.
        columns.insert(0, (tr("Previous", context="heat map heading, first line"),
                           tr("assessment", context="heat map heading, second line")))
    rows = [
        (f"{f.number}. {f.title}",
         [f.previous, f.level] if risk.previous_overall is not None else [f.level])
        for f in risk.factors
    ]
    story.append(KeepTogether([
        Paragraph(esc(tr("Level of each risk factor")), styles["h3"]), Spacer(1, 2),
        heat_map(columns, rows, renderer.width, trends=[f.trend for f in risk.factors]),
    ]))
    return story
