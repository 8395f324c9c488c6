"""The regional-body brief: the national picture for a regional or subregional organization,
in figures only: latest assessment levels and trends, warnings by severity and area, and how far
the recommendations are implemented. It names no source and quotes no record."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from r2pdesk.assessments.models import phase_label
from r2pdesk.assessments.queries import NATIONAL
from r2pdesk.assessments.service import status_label as assessment_status
from r2pdesk.earlywarning.models import Severity, severity_label
from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.models import RecSource, RecStatus
from r2pdesk.recommendations.service import source_label
from r2pdesk.reports.base import QUOTED_FRAMEWORK, Cell, Renderer
from r2pdesk.reports.blocks import level_word, period_words, risk_section
from r2pdesk.reports.charts import (
    SEVERITY_COLOURS,
    count_bars,
    level_chip,
    severity_chip,
    stacked_bars,
    status_series,
)
from r2pdesk.reports.data import RegionalBrief
from r2pdesk.reports.implementation import percent
from r2pdesk.reports.styles import FONT
from r2pdesk.reports.text import esc, long_date, lower_first, short_date


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    days = format_number(value, 0 if value.is_integer() else 1)
    return (tr("{days} day") if value == 1 else tr("{days} days")).format(days=days)


class RegionalBriefRenderer(Renderer[RegionalBrief]):
    """Lays out the regional-body brief."""

    def _get_story(self, data: RegionalBrief) -> list[Flowable]:
        return [
            *self._summary(data),
            self.heading(tr("Risk of atrocity crimes")),
            *risk_section(self, data.risk, figures=False),
            *self._scopes(data),
            *self._warnings(data),
            *self._implementation(data),
        ]

    def _summary(self, data: RegionalBrief) -> list[Flowable]:
        open_now = sum(s.open for s in data.severities)
        issued = sum(s.issued for s in data.severities)
        done = data.overall.count(RecStatus.IMPLEMENTED)
        redaction = (
            tr("Confidential records are counted in this edition, at the explicit request of "
               "the person who generated it.")
            if data.meta.confidential_included else
            tr("Confidential records are left out of every figure.")
        )
        picture = tr("This brief gives the national picture as of {date}, for regional and "
                     "subregional organizations. It reports levels and figures only: it names no "
                     "source of information and quotes no record.").format(
                         date=long_date(data.meta.today))
        return [
            self.heading(tr("Summary")),
            self.figures([
                (level_word(data.risk.overall) if data.risk else "—", tr("overall risk level")),
                (format_number(open_now), tr("early warnings open")),
                (format_number(issued), tr("warnings issued in 12 months")),
                (percent(done, data.overall.total), tr("recommendations implemented")),
            ]),
            Spacer(1, 8),
            Paragraph(esc(f"{picture} {redaction}"), self.styles["body"]),
            Paragraph(esc(tr("The risk levels are the committee's own scale applied to the UN "
                             "Framework of Analysis for Atrocity Crimes (2014), which sets "
                             "none.")), self.styles["note"]),
            *self.quoted_in_english(QUOTED_FRAMEWORK),
        ]

    def _scopes(self, data: RegionalBrief) -> list[Flowable]:
        if not data.scopes:
            return []
        rows = [
            [self.cell(tr("National") if s.scope == NATIONAL else s.scope, "cell_bold"),
             self.cell(s.title),
             self.cell(period_words(short_date(s.period_start), short_date(s.period_end))),
             self.cell(assessment_status(s.status)),
             self.cell(lower_first(phase_label(s.phase))),
             Paragraph(level_chip(s.overall), self.styles["cell"])]
            for s in data.scopes
        ]
        return [
            self.subheading(tr("Assessment that counts, by scope (latest validated, else "
                               "submitted)")),
            self.table([tr("Scope"), tr("Assessment"), tr("Period"), tr("Status"), tr("Phase"),
                        tr("Overall")], rows,
                       [0.13, 0.3, 0.2, 0.11, 0.12, 0.14]),
        ]

    def _warnings(self, data: RegionalBrief) -> list[Flowable]:
        bars = count_bars([(severity_label(s.severity), s.issued,
                            SEVERITY_COLOURS[s.severity]) for s in reversed(data.severities)],
                          self.width * 0.44)
        rows: list[list[Cell]] = [
            [Paragraph(severity_chip(s.severity), self.styles["cell"]), self.num(s.open),
             self.num(s.issued)] for s in reversed(data.severities)]
        rows.append([self.cell(tr("All", context="warnings"), "cell_bold"),
                     self.num(sum(s.open for s in data.severities), "num_bold"),
                     self.num(sum(s.issued for s in data.severities), "num_bold")])
        counts = self.table([tr("Severity"), tr("Open now"), tr("Issued in 12 months")], rows,
                            [0.2, 0.13, 0.17], numeric=(1, 2))
        side = Table([[bars, counts]], colWidths=[self.width * 0.5, self.width * 0.5],
                     hAlign="LEFT")
        side.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        r = data.responsiveness
        story: list[Flowable] = [
            self.heading(tr("Early warning")),
            Paragraph(esc(tr("Warnings issued since {date}, by severity.").format(
                date=long_date(data.since))), self.styles["note"]),
            side, Spacer(1, 8),
            Paragraph(esc(tr(
                "Of the {issued} warnings issued in the last twelve months, receipt was "
                "acknowledged after a median of {ack} and action reported after a median of "
                "{action}; {never} have no action reported yet and {overdue} are past their "
                "response deadline.").format(
                    issued=format_number(r.issued), ack=_days(r.median_days_to_ack),
                    action=_days(r.median_days_to_action), never=format_number(r.never_acted),
                    overdue=format_number(r.overdue))),
                self.styles["body"]),
        ]
        if data.areas:
            head = [tr("Region"), *(severity_label(s) for s in Severity),
                    tr("All", context="warnings")]
            area_rows = [[self.cell(a.area, "cell_bold"), *(self.num(n or "·") for n in a.counts),
                          self.num(a.total, "num_bold")] for a in data.areas]
            story += [self.subheading(tr("Warnings issued in the last twelve months, by region")),
                      self.table(head, area_rows, [0.35, 0.13, 0.13, 0.13, 0.13, 0.13],
                                 numeric=(1, 2, 3, 4, 5))]
        return story

    def _implementation(self, data: RegionalBrief) -> list[Flowable]:
        lines = [*data.by_source, data.overall]
        catalogue = source_label(RecSource.CATALOGUE)
        adopted = next((s.total for s in data.by_source if s.label == catalogue), 0)
        rows = [[self.cell(s.label, "cell_bold"), self.num(s.total),
                 self.num(s.count(RecStatus.IMPLEMENTED)),
                 self.num(s.count(RecStatus.PARTIALLY_IMPLEMENTED)),
                 self.num(s.count(RecStatus.IN_PROGRESS)),
                 self.num(percent(s.count(RecStatus.IMPLEMENTED), s.total), "num_bold")]
                for s in lines]
        return [
            self.heading(tr("Implementation of recommendations")),
            Paragraph(esc(tr(
                "The committee follows {total} recommendations, {adopted} of them adopted from the "
                "{catalogue} recommendations of the Secretary-General's reports on the "
                "responsibility to protect (2009–2026); {overdue} are past their due date.").format(
                    total=format_number(data.overall.total), adopted=format_number(adopted),
                    catalogue=format_number(data.catalogue_total),
                    overdue=format_number(data.overdue))), self.styles["body"]),
            stacked_bars([(s.label, s.counts) for s in lines], status_series(), self.width),
            Spacer(1, 8),
            self.table([tr("Source"), tr("Followed"), tr("Implemented", context="column"),
                        tr("Partially implemented", context="column"),
                        tr("In progress", context="column"), tr("Share implemented")], rows,
                       [0.24, 0.13, 0.15, 0.18, 0.14, 0.16], numeric=(1, 2, 3, 4, 5)),
        ]
