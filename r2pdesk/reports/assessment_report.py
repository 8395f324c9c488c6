"""The risk assessment report: summary and overall level, a heat map of the 14 risk factors with
trends against the previous assessment, resilience, each factor's indicators with their evidence,
and the recommendations and warnings linked to the assessment."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.assessments.models import AssessmentStatus, Level, Strength
from r2pdesk.reports.base import Cell, Renderer, plural
from r2pdesk.reports.blocks import level_word
from r2pdesk.reports.charts import TREND_WORDS, heat_map, level_chip, severity_chip, status_chip
from r2pdesk.reports.data.assessment import AssessmentReport, FactorDetail
from r2pdesk.reports.data.common import word
from r2pdesk.reports.flowables import stack
from r2pdesk.reports.implementation import due_markup
from r2pdesk.reports.text import esc, long_date, short_date


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
            overall += (f" (set by the committee; derived from the risk factors: "
                        f"{esc(level_word(data.derived_overall).lower())})")
        story: list[Flowable] = [self.heading("Summary")]
        if data.status in {AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVIEW}:
            story.append(Paragraph(
                f"<b>This assessment is {esc(word(data.status))}: it is not yet a position of the "
                "committee.</b>", s["body"]))
        story += [
            self.facts([
                ("Overall risk level", Paragraph(f"<b>{overall}</b>", s["cell"])),
                ("Scope", self.cell(data.scope)),
                ("Period", self.cell(f"{long_date(data.period_start)} to "
                                     f"{long_date(data.period_end)}")),
                ("Phase", self.cell(word(data.phase).capitalize())),
                ("Status", self.cell(word(data.status).capitalize())),
                ("Authors", self.cell(data.authors or "Not recorded")),
                ("Framework", self.cell(data.framework)),
                ("Previous assessment", self.cell(data.previous or "None to compare with")),
            ]),
            Spacer(1, 8),
        ]
        if data.override_note:
            story += [self.subheading("Why the committee set the overall level"),
                      self.para(data.override_note)]
        if data.summary.strip():
            story += [self.subheading("Summary of the analysis"), self.para(data.summary)]
        if data.withheld:
            story.append(Paragraph(
                f"{plural(data.withheld, 'confidential rating')} withheld from this edition: "
                "level and evidence do not appear.", s["note"]))
        return story

    def _heat(self, data: AssessmentReport) -> list[Flowable]:
        chart = heat_map([(c.period, c.status) for c in data.columns],
                         [(f"{h.number}. {h.title}", h.levels) for h in data.heat],
                         self.width, trends=[h.trend for h in data.heat])
        return [
            self.heading("Risk factors at a glance"),
            Paragraph("The level of each risk factor in this assessment and in up to three "
                      "earlier assessments of the same scope (drafts left out), each column "
                      "named by the end of its period, with the trend against the previous "
                      "one.", self.styles["note"]),
            chart,
        ]

    def _resilience(self, data: AssessmentReport) -> list[Flowable]:
        rows = [[self.cell(r.code, "cell_bold"), self.cell(r.title),
                 self.cell(word(r.strength).capitalize() if r.strength is not
                           Strength.NOT_ASSESSED else "Not assessed", "cell_bold"),
                 self.cell(r.notes)] for r in data.resilience]
        return [self.heading("Resilience"),
                Paragraph("Inhibitors: what reduces the risk, and how strong it is now.",
                          self.styles["note"]),
                self.table(["Code", "Inhibitor", "Strength", "Notes"], rows,
                           [0.08, 0.34, 0.12, 0.46])]

    def _factor(self, f: FactorDetail) -> list[Flowable]:
        trend = f" · {TREND_WORDS[f.trend]}" if f.trend else ""
        confidence = f" · confidence {esc(f.confidence)}" if f.confidence else ""
        story: list[Flowable] = [
            self.heading(f"{f.number}. {f.title}", 2),
            Paragraph(f"<b>Level:</b> {level_chip(f.level)}{confidence}{esc(trend)}",
                      self.styles["body"]),
        ]
        if f.level is None:
            story.append(Paragraph("Rating withheld: confidential.", self.styles["note"]))
        elif f.evidence.strip():
            story.append(self.para(f.evidence))
        if f.sources:
            story.append(self.para(f"Sources: {'; '.join(f.sources)}", "small"))
        if f.override:
            story.append(self.para(f"Level set over the indicators: {f.override}", "small"))
        rows: list[list[Cell]] = []
        for i in f.indicators:
            evidence: list[Flowable] = [Paragraph("Withheld: confidential rating.",
                                                  self.styles["cell_note"])]
            if i.level is not None:
                evidence = self.paragraphs(i.evidence, "cell")
                if i.sources:
                    evidence += self.paragraphs(f"Sources: {'; '.join(i.sources)}", "cell_note")
                if i.override:
                    evidence += self.paragraphs(f"Level set by the analyst: {i.override}",
                                                "cell_note")
            level = level_chip(i.level)
            if i.trend:
                level += f"<br/>{esc(TREND_WORDS[i.trend])}"
            rows.append([self.cell(i.code, "cell_bold"), self.cell(i.text),
                         Paragraph(level, self.styles["cell"]), stack(evidence)])
        if rows:
            story.append(self.table(["Code", "Indicator", "Level", "Evidence"], rows,
                                    [0.07, 0.33, 0.14, 0.46]))
        return story

    def _detail(self, data: AssessmentReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Risk factors in detail")]
        for f in data.factors:
            if f.level is not Level.NOT_ASSESSED or f.indicators:
                story += self._factor(f)
        return story

    def _linked(self, data: AssessmentReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Recommendations and warnings linked")]
        if data.recommendations:
            story.append(self.table(
                ["Reference", "Recommendation", "Lead", "Status", "Due"],
                [[self.cell(r.ref, "cell_bold"), self.cell(r.text),
                  self.cell(r.lead or "(no lead)"),
                  Paragraph(status_chip(r.status), self.styles["cell"]),
                  Paragraph(due_markup(r), self.styles["cell"])] for r in data.recommendations],
                [0.15, 0.41, 0.16, 0.15, 0.13]))
        else:
            story.append(self.para("No recommendation is linked to this assessment."))
        story.append(Spacer(1, 8))
        if data.warnings:
            story.append(self.table(
                ["Warning", "Title", "Severity", "Issued", "Status"],
                [[self.cell(w.reference, "cell_bold"), self.cell(w.title),
                  Paragraph(severity_chip(w.severity), self.styles["cell"]),
                  self.cell(short_date(w.issued)), self.cell(word(w.status))]
                 for w in data.warnings], [0.16, 0.42, 0.14, 0.13, 0.15]))
        else:
            story.append(self.para("The assessment cites no early warning."))
        return story

