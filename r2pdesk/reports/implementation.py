"""The implementation status report: for each report of the Secretary-General 2009-2026 and each
target, the recommendations the committee follows and their national status."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.recommendations.models import RecStatus
from r2pdesk.reports.base import Cell, Renderer
from r2pdesk.reports.charts import VERMILLION, stacked_bars, status_chip, status_series
from r2pdesk.reports.data import ImplementationReport, RecItem, StatusCount
from r2pdesk.reports.flowables import Para
from r2pdesk.reports.styles import NAVY
from r2pdesk.reports.text import esc, short_date


def percent(part: int, whole: int) -> str:
    """A share as people read it; a dash when there is nothing to share."""
    return "—" if whole == 0 else f"{round(100 * part / whole)}%"


def due_markup(item: RecItem) -> str:
    """The due date, with the days late under it when overdue."""
    text = short_date(item.due) if item.due else "No date"
    if item.overdue:
        text += (f'<br/><font color="#{VERMILLION.hexval()[2:]}">'
                 f"{item.days_late} days late</font>")
    return text


class ImplementationRenderer(Renderer[ImplementationReport]):
    """Lays out the implementation status report, with a table of contents."""

    toc = True

    def _get_story(self, data: ImplementationReport) -> list[Flowable]:
        return [
            *self._summary(data),
            *self._by_report(data),
            *self._by_target(data),
            *self._overdue(data),
            *self._reports(data),
            *self._others(data),
        ]

    def _by_status(self, lines: Sequence[StatusCount]) -> Flowable:
        """Statuses down, groups (a few) across: each column one group's recommendations."""
        rows: list[list[Cell]] = [
            [Para(status_chip(status), self.styles["cell"]),
             *(self.num(line.count(status) or "·") for line in lines)]
            for status in RecStatus
        ]
        rows.append([self.cell("Total followed", "cell_bold"),
                     *(self.num(line.total, "num_bold") for line in lines)])
        rows.append([self.cell("Share implemented", "cell_bold"),
                     *(self.num(percent(line.count(RecStatus.IMPLEMENTED), line.total),
                                "num_bold") for line in lines)])
        first = 0.28
        rest = (1 - first) / max(len(lines), 1)
        return self.table(["Status", *(line.label for line in lines)], rows,
                          [first, *([rest] * len(lines))],
                          numeric=range(1, len(lines) + 1),
                          style=[("LINEABOVE", (0, -2), (-1, -2), 0.8, NAVY)])

    def _summary(self, data: ImplementationReport) -> list[Flowable]:
        overall = data.overall
        adopted = sum(s.total for s in data.by_report)
        done = overall.count(RecStatus.IMPLEMENTED)
        partly = overall.count(RecStatus.PARTIALLY_IMPLEMENTED)
        return [
            self.heading("Summary"),
            self.figures([
                (str(overall.total), "recommendations followed"),
                (str(adopted), f"of the {data.catalogue_total} in the SG catalogue"),
                (percent(done, overall.total), "implemented"),
                (str(len(data.overdue)), "overdue"),
            ]),
            Spacer(1, 8),
            Paragraph(
                f"The committee follows {overall.total} recommendations: {adopted} adopted from "
                f"the {data.catalogue_total} recommendations of the Secretary-General's reports "
                f"on the responsibility to protect, and {len(data.others)} of its own or from "
                f"other mechanisms. {done} are implemented and {partly} partially implemented; "
                f"{len(data.overdue)} are past their due date.", self.styles["body"]),
            Spacer(1, 4),
            self._by_status([*data.by_source, overall]),
        ]

    def _by_report(self, data: ImplementationReport) -> list[Flowable]:
        chart = stacked_bars([(s.label, s.counts) for s in data.by_report], status_series(),
                             self.width)
        rows = [
            [self.cell(str(s.year), "cell_bold"), self.cell(s.symbol or "—", "cell_muted"),
             self.cell(s.title), self.num(s.in_catalogue), self.num(len(s.items)),
             self.num(sum(i.status is RecStatus.IMPLEMENTED for i in s.items))]
            for s in data.sections
        ]
        return [
            self.heading("Status by report"),
            Paragraph("Recommendations followed from each report of the Secretary-General, by "
                      "national status. The number at the end of each bar is the total "
                      "followed.", self.styles["note"]),
            chart, Spacer(1, 10),
            self.table(["Year", "Symbol", "Report", "In catalogue", "Followed", "Implemented"],
                       rows, [0.07, 0.215, 0.395, 0.1, 0.09, 0.13], numeric=(3, 4, 5)),
        ]

    def _by_target(self, data: ImplementationReport) -> list[Flowable]:
        chart = stacked_bars([(t.label, t.counts) for t in data.by_target], status_series(),
                             self.width)
        return [
            self.heading("Status by target"),
            Paragraph("Whom the Secretary-General's recommendations address, and the national "
                      "status of those the committee follows.", self.styles["note"]),
            chart, Spacer(1, 10),
            self.table(
                ["Target", "In catalogue", "Followed", "Share followed", "Implemented",
                 "Share implemented"],
                [[self.cell(t.label, "cell_bold"), self.num(t.in_catalogue or 0),
                  self.num(t.total), self.num(percent(t.total, t.in_catalogue or 0)),
                  self.num(t.count(RecStatus.IMPLEMENTED)),
                  self.num(percent(t.count(RecStatus.IMPLEMENTED), t.total))]
                 for t in data.by_target],
                [0.3, 0.14, 0.12, 0.14, 0.14, 0.16], numeric=(1, 2, 3, 4, 5)),
        ]

    def _item_rows(self, items: Sequence[RecItem], *, target: bool) -> list[list[Cell]]:
        return [
            [self.cell(i.ref, "cell_bold"),
             *([self.cell(i.target or "(not specified)", "cell_muted")] if target else []),
             self.cell(i.text), self.cell(i.lead or "(no lead)"),
             Para(status_chip(i.status), self.styles["cell"]),
             Para(due_markup(i), self.styles["cell"])]
            for i in items
        ]

    def _overdue(self, data: ImplementationReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Overdue recommendations")]
        if not data.overdue:
            return [*story, self.para("No recommendation is past its due date.")]
        return [*story, self.table(
            ["Reference", "Recommendation", "Lead", "Status", "Due"],
            self._item_rows(data.overdue, target=False), [0.15, 0.41, 0.16, 0.15, 0.13])]

    def _reports(self, data: ImplementationReport) -> list[Flowable]:
        story = [self.heading("Recommendations by report")]
        for s in data.sections:
            story.append(self.heading(f"{s.year}: {s.title}", 2))
            line = (f"{esc(s.symbol) + '. ' if s.symbol else ''}{s.in_catalogue} recommendations "
                    f"in the catalogue; the committee follows {len(s.items)}.")
            story.append(Paragraph(line, self.styles["small"]))
            if s.items:
                story.append(self.table(
                    ["Reference", "Target", "Recommendation", "Lead", "Status", "Due"],
                    self._item_rows(s.items, target=True),
                    [0.15, 0.12, 0.31, 0.14, 0.15, 0.13]))
        return story

    def _others(self, data: ImplementationReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading("Other national recommendations")]
        if not data.others:
            return [*story, self.para("None.")]
        return [*story, Paragraph(
            "Recommendations of the committee itself, of the Universal Periodic Review and of "
            "the treaty bodies.", self.styles["note"]), self.table(
            ["Source", "Recommendation", "Lead", "Status", "Due"],
            self._item_rows(data.others, target=False), [0.16, 0.4, 0.16, 0.15, 0.13])]

