"""The risk assessment report: summary and overall level, a heat map of the 14 risk factors with
trends against the previous assessment, resilience, each factor's indicators with their evidence,
and the recommendations and warnings linked to the assessment."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.assessments.models import AssessmentStatus, Level, phase_label, strength_label
from r2pdesk.assessments.service import status_label as assessment_status
from r2pdesk.earlywarning.models import warning_status_label
from r2pdesk.i18n import format_number, tr
from r2pdesk.reports.base import QUOTED_BOTH, Cell, Renderer
from r2pdesk.reports.blocks import level_word, period_words
from r2pdesk.reports.charts import heat_map, level_chip, severity_chip, status_chip, trend_word
from r2pdesk.reports.data.assessment import AssessmentReport, FactorDetail
from r2pdesk.reports.flowables import stack
from r2pdesk.reports.implementation import due_markup
from r2pdesk.reports.text import esc, long_date, lower_first, short_date, upper_first


class AssessmentRenderer(Renderer[AssessmentReport]):
    """Lays out one risk assessment, with a table of contents."""

    toc = True

    def _get_story(self, data: AssessmentReport) -> list[Flowable]:
        return [
            *self._summary(data),
            *self._heat(data),
            *self._resilience(data),
            *self._detail(data),
            *self._linked(data),
        ]

    def _summary(self, data: AssessmentReport) -> list[Flowable]:
        s = self.styles
        overall = level_chip(data.overall)
        if data.override_note:
            overall += " " + esc(tr("(set by the committee; derived from the risk factors: "
                                    "{level})").format(
                                        level=lower_first(level_word(data.derived_overall))))
        story: list[Flowable] = [self.heading(tr("Summary"))]
        if data.status in {AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVIEW}:
            story.append(Paragraph("<b>" + esc(tr(
                "This assessment is {status}: it is not yet a position of the committee.").format(
                    status=assessment_status(data.status))) + "</b>", s["body"]))
        story += [
            self.facts([
                (tr("Overall risk level"), Paragraph(f"<b>{overall}</b>", s["cell"])),
                (tr("Scope"), self.cell(data.scope)),
                (tr("Period"), self.cell(period_words(long_date(data.period_start),
                                                      long_date(data.period_end)))),
                (tr("Phase"), self.cell(phase_label(data.phase))),
                (tr("Status"), self.cell(upper_first(assessment_status(data.status)))),
                (tr("Authors"), self.cell(data.authors or tr("Not recorded"))),
                (tr("Framework"), self.cell(data.framework)),
                (tr("Previous assessment"), self.cell(data.previous
                                                      or tr("None to compare with"))),
            ]),
            Spacer(1, 8),
            *self.quoted_in_english(QUOTED_BOTH),
        ]
        if data.override_note:
            story += [self.subheading(tr("Why the committee set the overall level")),
                      self.para(data.override_note)]
        if data.summary.strip():
            story += [self.subheading(tr("Summary of the analysis")), self.para(data.summary)]
        if data.withheld:
            withheld = (tr("{count} confidential rating withheld from this edition: level and "
                           "evidence do not appear.") if data.withheld == 1 else
                        tr("{count} confidential ratings withheld from this edition: level and "
                           "evidence do not appear."))
            story.append(Paragraph(esc(withheld.format(count=format_number(data.withheld))),
                                   s["note"]))
        return story

    def _heat(self, data: AssessmentReport) -> list[Flowable]:
        chart = heat_map([(c.period, c.status) for c in data.columns],
                         [(f"{h.number}. {h.title}", h.levels) for h in data.heat],
                         self.width, trends=[h.trend for h in data.heat])
        return [
            self.heading(tr("Risk factors at a glance")),
            Paragraph(esc(tr("The level of each risk factor in this assessment and in up to "
                             "three earlier assessments of the same scope (drafts left out), "
                             "each column named by the end of its period, with the trend "
                             "against the previous one.")), self.styles["note"]),
            chart,
        ]

    def _resilience(self, data: AssessmentReport) -> list[Flowable]:
        rows = [[self.cell(r.code, "cell_bold"), self.cell(r.title),
                 self.cell(strength_label(r.strength), "cell_bold"),
                 self.cell(r.notes)] for r in data.resilience]
        return [self.heading(tr("Resilience")),
                Paragraph(esc(tr("Inhibitors: what reduces the risk, and how strong it is now.")),
                          self.styles["note"]),
                self.table([tr("Code"), tr("Inhibitor"), tr("Strength"), tr("Notes")], rows,
                           [0.08, 0.34, 0.12, 0.46])]

    def _factor(self, f: FactorDetail) -> list[Flowable]:
        trend = f" · {trend_word(f.trend)}" if f.trend else ""
        confidence = (" · " + tr("confidence {level}").format(level=f.confidence)
                      if f.confidence else "")
        story: list[Flowable] = [
            self.heading(f"{f.number}. {f.title}", 2),
            Paragraph(f"<b>{esc(tr('Level:'))}</b> {level_chip(f.level)}{esc(confidence)}"
                      f"{esc(trend)}", self.styles["body"]),
        ]
        if f.level is None:
            story.append(Paragraph(esc(tr("Rating withheld: confidential.")),
                                   self.styles["note"]))
        elif f.evidence.strip():
            story.append(self.para(f.evidence))
        if f.sources:
            story.append(self.para(tr("Sources: {sources}").format(sources="; ".join(f.sources)),
                                   "small"))
        if f.override:
            story.append(self.para(tr("Level set over the indicators: {justification}").format(
                justification=f.override), "small"))
        rows: list[list[Cell]] = []
        for i in f.indicators:
            evidence: list[Flowable] = [Paragraph(esc(tr("Withheld: confidential rating.")),
                                                  self.styles["cell_note"])]
            if i.level is not None:
                evidence = self.paragraphs(i.evidence, "cell")
                if i.sources:
                    evidence += self.paragraphs(tr("Sources: {sources}").format(
                        sources="; ".join(i.sources)), "cell_note")
                if i.override:
                    evidence += self.paragraphs(tr("Level set by the analyst: {justification}")
                                                .format(justification=i.override), "cell_note")
            level = level_chip(i.level)
            if i.trend:
                level += f"<br/>{esc(trend_word(i.trend))}"
            rows.append([self.cell(i.code, "cell_bold"), self.cell(i.text),
                         Paragraph(level, self.styles["cell"]), stack(evidence)])
        if rows:
            story.append(self.table([tr("Code"), tr("Indicator"), tr("Level"), tr("Evidence")],
                                    rows, [0.07, 0.33, 0.14, 0.46]))
        return story

    def _detail(self, data: AssessmentReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Risk factors in detail"))]
        for f in data.factors:
            if f.level is not Level.NOT_ASSESSED or f.indicators:
                story += self._factor(f)
        return story

    def _linked(self, data: AssessmentReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Recommendations and warnings linked"))]
        if data.recommendations:
            story.append(self.table(
                [tr("Reference"), tr("Recommendation"), tr("Lead", context="column"),
                 tr("Status"), tr("Due")],
                [[self.cell(r.ref, "cell_bold"), self.cell(r.text),
                  self.cell(r.lead or tr("(no lead)")),
                  Paragraph(status_chip(r.status), self.styles["cell"]),
                  Paragraph(due_markup(r), self.styles["cell"])] for r in data.recommendations],
                [0.15, 0.40, 0.16, 0.16, 0.13]))
        else:
            story.append(self.para(tr("No recommendation is linked to this assessment.")))
        story.append(Spacer(1, 8))
        if data.warnings:
            story.append(self.table(
                [tr("Warning"), tr("Title"), tr("Severity"), tr("Issued", context="date"),
                 tr("Status")],
                [[self.cell(w.reference, "cell_bold"), self.cell(w.title),
                  Paragraph(severity_chip(w.severity), self.styles["cell"]),
                  self.cell(short_date(w.issued)), self.cell(warning_status_label(w.status))]
                 for w in data.warnings], [0.16, 0.42, 0.14, 0.13, 0.15]))
        else:
            story.append(self.para(tr("The assessment cites no early warning.")))
        return story

