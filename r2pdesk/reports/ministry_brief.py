"""The ministry brief: for one institution, the recommendations it has to implement, the early
warnings it is asked to answer, and the risk picture behind them."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.service import STATUS_LABELS
from r2pdesk.reports.base import Cell, Renderer
from r2pdesk.reports.blocks import level_word, risk_section
from r2pdesk.reports.charts import VERMILLION, severity_chip, status_chip
from r2pdesk.reports.data import MinistryBrief, RecItem
from r2pdesk.reports.flowables import stack
from r2pdesk.reports.implementation import due_markup
from r2pdesk.reports.text import esc, short_date

# The order of the groups after the overdue ones: the least advanced first.
OPEN_ORDER = (RecStatus.NOT_STARTED, RecStatus.NOT_IMPLEMENTED, RecStatus.IN_PROGRESS,
              RecStatus.PARTIALLY_IMPLEMENTED)
LATE = f"#{VERMILLION.hexval()[2:]}"


class MinistryBriefRenderer(Renderer[MinistryBrief]):
    """Lays out the brief of one institution."""

    def _get_story(self, data: MinistryBrief) -> list[Flowable]:
        return [
            *self._glance(data),
            *self._warnings(data),
            *self._recommendations(data),
            self.heading("Risk summary"),
            *risk_section(self, data.risk),
        ]

    def _glance(self, data: MinistryBrief) -> list[Flowable]:
        overdue = sum(r.overdue for r in data.recommendations)
        late = sum(w.overdue for w in data.warnings)
        name = esc(data.institution) + (f" ({esc(data.acronym)})" if data.acronym else "")
        return [
            self.heading("At a glance"),
            self.figures([
                (str(len(data.recommendations)), "open recommendations"),
                (str(overdue), "past their due date"),
                (str(len(data.warnings)), "warnings awaiting a response"),
                (level_word(data.risk.overall) if data.risk else "—", "overall risk level"),
            ]),
            Spacer(1, 8),
            Paragraph(
                f"This brief lists the recommendations that the {name} leads or supports and "
                "that are not yet implemented, and the early warnings addressed to it on which "
                f"the committee has no report of action, as of {short_date(data.meta.today)}. "
                + (f"<b>{late} of the warnings are past their response deadline.</b>"
                   if late else ""), self.styles["body"]),
        ]

    def _warnings(self, data: MinistryBrief) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Early warnings awaiting your response")]
        if not data.warnings:
            return [*story, self.para("No open warning addressed to the institution awaits its "
                                      "response.")]
        rows: list[list[Cell]] = []
        for w in data.warnings:
            due = short_date(w.response_due)
            if w.overdue:
                due += f'<br/><font color="{LATE}"><b>deadline passed</b></font>'
            what = [*self.paragraphs(w.title, "cell_bold"),
                    *(self.paragraphs(", ".join(w.areas), "cell") if w.areas else []),
                    *(self.paragraphs(f"Asked: {w.asked}", "cell_note") if w.asked else [])]
            rows.append([
                Paragraph(f"<b>{esc(w.reference)}</b><br/>{severity_chip(w.severity)}",
                          self.styles["cell"]),
                stack(what),
                Paragraph(f"Issued {short_date(w.issued)}<br/>Due {due}", self.styles["cell"]),
                self.cell(w.reply),
            ])
        return [*story, self.table(["Warning", "What is asked", "Dates", "Your reply so far"],
                                   rows, [0.16, 0.45, 0.19, 0.2])]

    def _rec_rows(self, items: Sequence[RecItem]) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for r in items:
            text = self.paragraphs(r.text, "cell")
            if r.latest_on:
                text += self.paragraphs(f"Latest progress, {short_date(r.latest_on)}: "
                                        f"{r.latest_note or 'no narrative'}", "cell_note")
            rows.append([
                self.cell(r.ref, "cell_bold"), stack(text),
                self.cell(r.role), Paragraph(status_chip(r.status), self.styles["cell"]),
                Paragraph(due_markup(r), self.styles["cell"]),
            ])
        return rows

    def _recommendations(self, data: MinistryBrief) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Recommendations to implement")]
        if not data.recommendations:
            return [*story, self.para("The institution leads or supports no open recommendation.")]
        story.append(Paragraph(
            "Overdue recommendations first, then by status; within a group, the earliest due "
            "date first. Lead: the institution answers for it; support: it contributes.",
            self.styles["note"]))
        groups = [("Past their due date", [r for r in data.recommendations if r.overdue])]
        groups += [(STATUS_LABELS[s], [r for r in data.recommendations
                                       if not r.overdue and r.status is s]) for s in OPEN_ORDER]
        for title, items in groups:
            if items:
                story += [self.heading(f"{title} ({len(items)})", 2), self.table(
                    ["Reference", "Recommendation and latest progress", "Role", "Status", "Due"],
                    self._rec_rows(items), [0.15, 0.48, 0.09, 0.15, 0.13])]
        return story
