"""The ministry brief: for one institution, the recommendations it has to implement, the early
warnings it is asked to answer, and the risk picture behind them."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.service import status_label
from r2pdesk.reports.base import QUOTED_BOTH, Cell, Renderer
from r2pdesk.reports.blocks import level_word, risk_section
from r2pdesk.reports.charts import VERMILLION, severity_chip, status_chip
from r2pdesk.reports.data import MinistryBrief, RecItem
from r2pdesk.reports.flowables import stack
from r2pdesk.reports.implementation import due_markup
from r2pdesk.reports.styles import FONT
from r2pdesk.reports.text import esc, short_date

# The order of the groups after the overdue ones: the least advanced first.
OPEN_ORDER = (RecStatus.NOT_STARTED, RecStatus.NOT_IMPLEMENTED, RecStatus.IN_PROGRESS,
              RecStatus.PARTIALLY_IMPLEMENTED)
LATE = f"#{VERMILLION.hexval()[2:]}"


def _counted(data: MinistryBrief) -> str:
    """What the figures count, and what is assigned to the institution but not listed (the
    focal point's workbook holds the closed recommendations it leads too)."""
    said = [tr("Of the open recommendations, it leads {leads} and supports {supports}.").format(
        leads=format_number(data.leads), supports=format_number(data.supports))]
    if data.closed:
        said.append(tr("1 more recommendation that it leads or supports is implemented or not "
                       "applicable and is not listed.") if data.closed == 1 else
                    tr("{count} more recommendations that it leads or supports are implemented "
                       "or not applicable and are not listed.").format(
                        count=format_number(data.closed)))
    if data.acted:
        said.append(tr("It has reported action on 1 more open warning, not listed.")
                    if data.acted == 1 else
                    tr("It has reported action on {count} more open warnings, not listed.")
                    .format(count=format_number(data.acted)))
    return esc(" ".join(said))


class MinistryBriefRenderer(Renderer[MinistryBrief]):
    """Lays out the brief of one institution."""

    def _get_story(self, data: MinistryBrief) -> list[Flowable]:
        return [
            *self._glance(data),
            *self._warnings(data),
            *self._recommendations(data),
            self.heading(tr("Risk summary")),
            *risk_section(self, data.risk),
        ]

    def _glance(self, data: MinistryBrief) -> list[Flowable]:
        overdue = sum(r.overdue for r in data.recommendations)
        late = sum(w.overdue for w in data.warnings)
        name = esc(data.institution) + (f" ({esc(data.acronym)})" if data.acronym else "")
        intro = esc(tr(
            "This brief lists the recommendations that the {institution} leads or supports and "
            "that are still open (neither implemented nor found not applicable), and the open "
            "early warnings addressed to it on which the committee has no report of action, as "
            "of {date}.")).format(institution=name, date=esc(short_date(data.meta.today)))
        said = [_counted(data)]
        if late:
            said.append("<b>" + esc(tr("{count} of the warnings are past their response "
                                        "deadline.").format(count=format_number(late))) + "</b>")
        return [
            self.heading(tr("At a glance")),
            self.figures([
                (format_number(len(data.recommendations)),
                 tr("open recommendations it leads or supports")),
                (format_number(overdue), tr("past their due date")),
                (format_number(len(data.warnings)), tr("warnings awaiting a response")),
                (level_word(data.risk.overall) if data.risk else "—", tr("overall risk level")),
            ]),
            Spacer(1, 8),
            Paragraph(" ".join([intro, *said]), self.styles["body"]),
            *self.quoted_in_english(QUOTED_BOTH),
        ]

    def _warnings(self, data: MinistryBrief) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Early warnings awaiting your response"))]
        if not data.warnings:
            return [*story, self.para(tr("No open warning addressed to the institution awaits "
                                         "its response."))]
        rows: list[list[Cell]] = []
        for w in data.warnings:
            due = esc(short_date(w.response_due))
            if w.overdue:
                due += f'<br/><font color="{LATE}"><b>{esc(tr("deadline passed"))}</b></font>'
            asked = tr("Asked: {actions}").format(actions=w.asked)
            what = [*self.paragraphs(w.title, "cell_bold"),
                    *(self.paragraphs(", ".join(w.areas), "cell") if w.areas else []),
                    *(self.paragraphs(asked, "cell_note") if w.asked else [])]
            rows.append([
                Paragraph(f"<b>{esc(w.reference)}</b><br/>{severity_chip(w.severity)}",
                          self.styles["cell"]),
                stack(what),
                Paragraph(esc(tr("Issued {date}").format(date=short_date(w.issued))) + "<br/>"
                          + esc(tr("Due {date}")).format(date=due), self.styles["cell"]),
                self.cell(w.reply),
            ])
        return [*story, self.table(
            [tr("Warning"), tr("What is asked"), tr("Dates"), tr("Your reply so far")],
            rows, [0.16, 0.45, 0.19, 0.2])]

    def _rec_rows(self, items: Sequence[RecItem]) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for r in items:
            text = self.paragraphs(r.text, "cell")
            if r.latest_on:
                text += self.paragraphs(tr("Latest progress, {date}: {narrative}").format(
                    date=short_date(r.latest_on), narrative=r.latest_note or tr("no narrative")),
                    "cell_note")
            rows.append([
                self.cell(r.ref, "cell_bold"), stack(text),
                self.cell(r.role), Paragraph(status_chip(r.status), self.styles["cell"]),
                Paragraph(due_markup(r), self.styles["cell"]),
            ])
        return rows

    def _recommendations(self, data: MinistryBrief) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Recommendations to implement"))]
        if not data.recommendations:
            return [*story, self.para(tr("The institution leads or supports no open "
                                         "recommendation."))]
        story.append(Paragraph(esc(tr(
            "Overdue recommendations first, then by status; within a group, the earliest due "
            "date first. Lead: the institution answers for it; support: it contributes.")),
            self.styles["note"]))
        groups = [(tr("Past their due date"), [r for r in data.recommendations if r.overdue])]
        groups += [(status_label(s), [r for r in data.recommendations
                                      if not r.overdue and r.status is s]) for s in OPEN_ORDER]
        # The role's column as wide as its longest word ("Responsable"), not to break it.
        roles = (tr("Lead", context="role"), tr("Support", context="role"))
        role = max(0.09, (max(stringWidth(word, FONT, self.styles["cell"].fontSize)
                              for text in roles for word in text.split()) + 9) / self.width)
        for title, items in groups:
            if items:
                story += [self.heading(f"{title} ({format_number(len(items))})", 2), self.table(
                    [tr("Reference"), tr("Recommendation and latest progress"), tr("Role"),
                     tr("Status"), tr("Due")],
                    self._rec_rows(items), [0.16, 0.55 - role, role, 0.16, 0.13])]
        return story
