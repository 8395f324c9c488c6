"""The implementation status report: for each report of the Secretary-General 2009-2026 and each
target, the recommendations the committee follows and their national status."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer

from r2pdesk.i18n import format_number, format_percent, tr
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.reports.base import QUOTED_SG_REPORTS, Cell, Renderer
from r2pdesk.reports.charts import VERMILLION, stacked_bars, status_chip, status_series
from r2pdesk.reports.data import ImplementationReport, RecItem, StatusCount
from r2pdesk.reports.flowables import Para
from r2pdesk.reports.styles import NAVY
from r2pdesk.reports.text import esc, short_date


def percent(part: int, whole: int) -> str:
    """A share as people read it; a dash when there is nothing to share."""
    return "—" if whole == 0 else format_percent(part / whole)


def due_markup(item: RecItem) -> str:
    """The due date, with the days late under it when overdue."""
    text = short_date(item.due) if item.due else esc(tr("No date"))
    if item.overdue:
        late = (tr("{days} day late") if item.days_late == 1 else tr("{days} days late")).format(
            days=format_number(item.days_late))
        text += f'<br/><font color="#{VERMILLION.hexval()[2:]}">{esc(late)}</font>'
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
        rows.append([self.cell(tr("Total followed"), "cell_bold"),
                     *(self.num(line.total, "num_bold") for line in lines)])
        rows.append([self.cell(tr("Share implemented"), "cell_bold"),
                     *(self.num(percent(line.count(RecStatus.IMPLEMENTED), line.total),
                                "num_bold") for line in lines)])
        first = 0.28
        rest = (1 - first) / max(len(lines), 1)
        return self.table([tr("Status"), *(line.label for line in lines)], rows,
                          [first, *([rest] * len(lines))],
                          numeric=range(1, len(lines) + 1),
                          style=[("LINEABOVE", (0, -2), (-1, -2), 0.8, NAVY)])

    def _summary(self, data: ImplementationReport) -> list[Flowable]:
        overall = data.overall
        adopted = sum(s.total for s in data.by_report)
        done = overall.count(RecStatus.IMPLEMENTED)
        partly = overall.count(RecStatus.PARTIALLY_IMPLEMENTED)
        return [
            self.heading(tr("Summary")),
            self.figures([
                (format_number(overall.total), tr("recommendations followed")),
                (format_number(adopted), tr("of the {count} in the SG catalogue").format(
                    count=format_number(data.catalogue_total))),
                (percent(done, overall.total), tr("implemented", context="share")),
                (format_number(len(data.overdue)), tr("overdue", context="count")),
            ]),
            Spacer(1, 8),
            Paragraph(esc(tr(
                "The committee follows {total} recommendations: {adopted} adopted from the "
                "{catalogue} recommendations of the Secretary-General's reports on the "
                "responsibility to protect, and {others} of its own or from other mechanisms. "
                "{done} are implemented and {partly} partially implemented; {overdue} are past "
                "their due date.").format(
                    total=format_number(overall.total), adopted=format_number(adopted),
                    catalogue=format_number(data.catalogue_total),
                    others=format_number(len(data.others)), done=format_number(done),
                    partly=format_number(partly), overdue=format_number(len(data.overdue)))),
                self.styles["body"]),
            *self.quoted_in_english(QUOTED_SG_REPORTS),
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
            self.heading(tr("Status by report")),
            Paragraph(esc(tr("Recommendations followed from each report of the "
                             "Secretary-General, by national status. The number at the end of "
                             "each bar is the total followed.")), self.styles["note"]),
            chart, Spacer(1, 10),
            self.table([tr("Year"), tr("Symbol"), tr("Report"), tr("In catalogue"),
                        tr("Followed"), tr("Implemented", context="column")],
                       rows, [0.07, 0.215, 0.395, 0.1, 0.09, 0.13], numeric=(3, 4, 5)),
        ]

    def _by_target(self, data: ImplementationReport) -> list[Flowable]:
        chart = stacked_bars([(t.label, t.counts) for t in data.by_target], status_series(),
                             self.width)
        return [
            self.heading(tr("Status by target")),
            Paragraph(esc(tr("Whom the Secretary-General's recommendations address, and the "
                             "national status of those the committee follows.")),
                      self.styles["note"]),
            chart, Spacer(1, 10),
            self.table(
                [tr("Target"), tr("In catalogue"), tr("Followed"), tr("Share followed"),
                 tr("Implemented", context="column"), tr("Share implemented")],
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
             *([self.cell(i.target or tr("(not specified)"), "cell_muted")] if target else []),
             self.cell(i.text), self.cell(i.lead or tr("(no lead)")),
             Para(status_chip(i.status), self.styles["cell"]),
             Para(due_markup(i), self.styles["cell"])]
            for i in items
        ]

    def _overdue(self, data: ImplementationReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Overdue recommendations"))]
        if not data.overdue:
            return [*story, self.para(tr("No recommendation is past its due date."))]
        return [*story, self.table(
            [tr("Reference"), tr("Recommendation"), tr("Lead", context="column"), tr("Status"),
             tr("Due")],
            self._item_rows(data.overdue, target=False), [0.15, 0.40, 0.16, 0.16, 0.13])]

    def _reports(self, data: ImplementationReport) -> list[Flowable]:
        story = [self.heading(tr("Recommendations by report"))]
        for s in data.sections:
            story.append(self.heading(f"{s.year}: {s.title}", 2))
            counts = tr("{count} recommendations in the catalogue; the committee follows "
                        "{followed}.").format(count=format_number(s.in_catalogue),
                                               followed=format_number(len(s.items)))
            line = f"{esc(s.symbol) + '. ' if s.symbol else ''}{esc(counts)}"
            story.append(Paragraph(line, self.styles["small"]))
            if s.items:
                story.append(self.table(
                    [tr("Reference"), tr("Target"), tr("Recommendation"),
                     tr("Lead", context="column"), tr("Status"), tr("Due")],
                    self._item_rows(s.items, target=True),
                    [0.15, 0.12, 0.30, 0.14, 0.16, 0.13]))
        return story

    def _others(self, data: ImplementationReport) -> list[Flowable]:
        story: list[Flowable] = [self.heading(tr("Other national recommendations"))]
        if not data.others:
            return [*story, self.para(tr("None."))]
        return [*story, Paragraph(esc(tr(
            "Recommendations of the committee itself, of the Universal Periodic Review and of "
            "the treaty bodies.")), self.styles["note"]), self.table(
            [tr("Source"), tr("Recommendation"), tr("Lead", context="column"), tr("Status"),
             tr("Due")],
            self._item_rows(data.others, target=False), [0.16, 0.39, 0.16, 0.16, 0.13])]

