"""The regional-body brief: the national picture for a regional or subregional organization,
in figures only: latest assessment levels and trends, warnings by severity and area, and how far
the recommendations are implemented. It names no source and quotes no record."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from r2pdesk.earlywarning.models import Severity
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.reports.base import Cell, Renderer
from r2pdesk.reports.blocks import level_word, risk_section
from r2pdesk.reports.charts import (
    SEVERITY_COLOURS,
    count_bars,
    level_chip,
    severity_chip,
    stacked_bars,
    status_series,
)
from r2pdesk.reports.data import RegionalBrief
from r2pdesk.reports.data.common import word
from r2pdesk.reports.implementation import percent
from r2pdesk.reports.styles import FONT
from r2pdesk.reports.text import long_date, short_date


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} days"


class RegionalBriefRenderer(Renderer[RegionalBrief]):
    """Lays out the regional-body brief."""

    def _get_story(self, data: RegionalBrief) -> list[Flowable]:
        return [
            *self._summary(data),
            self.heading("Risk of atrocity crimes"),
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
            "Confidential records are counted in this edition, at the explicit request of the "
            "person who generated it."
            if data.meta.confidential_included else
            "Confidential records are left out of every figure."
        )
        return [
            self.heading("Summary"),
            self.figures([
                (level_word(data.risk.overall) if data.risk else "—", "overall risk level"),
                (str(open_now), "early warnings open"),
                (str(issued), "warnings issued in 12 months"),
                (percent(done, data.overall.total), "recommendations implemented"),
            ]),
            Spacer(1, 8),
            Paragraph(
                "This brief gives the national picture as of "
                f"{long_date(data.meta.today)}, for regional and subregional organizations. It "
                "reports levels and figures only: it names no source of information and quotes "
                f"no record. {redaction}", self.styles["body"]),
            Paragraph("The risk levels are the committee's own scale applied to the UN "
                      "Framework of Analysis for Atrocity Crimes (2014), which sets none.",
                      self.styles["note"]),
        ]

    def _scopes(self, data: RegionalBrief) -> list[Flowable]:
        if not data.scopes:
            return []
        rows = [
            [self.cell(s.scope.capitalize() if s.scope == "national" else s.scope, "cell_bold"),
             self.cell(s.title),
             self.cell(f"{short_date(s.period_start)} to {short_date(s.period_end)}"),
             self.cell(word(s.status)), self.cell(word(s.phase)),
             Paragraph(level_chip(s.overall), self.styles["cell"])]
            for s in data.scopes
        ]
        return [
            self.subheading("Assessment that counts, by scope (latest validated, else submitted)"),
            self.table(["Scope", "Assessment", "Period", "Status", "Phase", "Overall"], rows,
                       [0.13, 0.3, 0.2, 0.11, 0.12, 0.14]),
        ]

    def _warnings(self, data: RegionalBrief) -> list[Flowable]:
        bars = count_bars([(s.severity.value.capitalize(), s.issued,
                            SEVERITY_COLOURS[s.severity]) for s in reversed(data.severities)],
                          self.width * 0.44)
        rows: list[list[Cell]] = [
            [Paragraph(severity_chip(s.severity), self.styles["cell"]), self.num(s.open),
             self.num(s.issued)] for s in reversed(data.severities)]
        rows.append([self.cell("All", "cell_bold"),
                     self.num(sum(s.open for s in data.severities), "num_bold"),
                     self.num(sum(s.issued for s in data.severities), "num_bold")])
        counts = self.table(["Severity", "Open now", "Issued in 12 months"], rows,
                            [0.2, 0.13, 0.17], numeric=(1, 2))
        side = Table([[bars, counts]], colWidths=[self.width * 0.5, self.width * 0.5],
                     hAlign="LEFT")
        side.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        r = data.responsiveness
        story: list[Flowable] = [
            self.heading("Early warning"),
            Paragraph(f"Warnings issued since {long_date(data.since)}, by severity.",
                      self.styles["note"]),
            side, Spacer(1, 8),
            Paragraph(
                f"Of the {r.issued} warnings issued in the last twelve months, receipt was "
                f"acknowledged after a median of {_days(r.median_days_to_ack)} and action "
                f"reported after a median of {_days(r.median_days_to_action)}; {r.never_acted} "
                f"have no action reported yet and {r.overdue} are past their response deadline.",
                self.styles["body"]),
        ]
        if data.areas:
            head = ["Region", *(s.value.capitalize() for s in Severity), "All"]
            area_rows = [[self.cell(a.area, "cell_bold"), *(self.num(n or "·") for n in a.counts),
                          self.num(a.total, "num_bold")] for a in data.areas]
            story += [self.subheading("Warnings issued in the last twelve months, by region"),
                      self.table(head, area_rows, [0.35, 0.13, 0.13, 0.13, 0.13, 0.13],
                                 numeric=(1, 2, 3, 4, 5))]
        return story

    def _implementation(self, data: RegionalBrief) -> list[Flowable]:
        lines = [*data.by_source, data.overall]
        adopted = next((s.total for s in data.by_source if s.label == "SG catalogue"), 0)
        rows = [[self.cell(s.label, "cell_bold"), self.num(s.total),
                 self.num(s.count(RecStatus.IMPLEMENTED)),
                 self.num(s.count(RecStatus.PARTIALLY_IMPLEMENTED)),
                 self.num(s.count(RecStatus.IN_PROGRESS)),
                 self.num(percent(s.count(RecStatus.IMPLEMENTED), s.total), "num_bold")]
                for s in lines]
        return [
            self.heading("Implementation of recommendations"),
            Paragraph(
                f"The committee follows {data.overall.total} recommendations, {adopted} of them "
                f"adopted from the {data.catalogue_total} recommendations of the "
                "Secretary-General's reports on the responsibility to protect (2009–2026); "
                f"{data.overdue} are past their due date.", self.styles["body"]),
            stacked_bars([(s.label, s.counts) for s in lines], status_series(), self.width),
            Spacer(1, 8),
            self.table(["Source", "Followed", "Implemented", "Partially implemented",
                        "In progress", "Share implemented"], rows,
                       [0.24, 0.13, 0.15, 0.18, 0.14, 0.16], numeric=(1, 2, 3, 4, 5)),
        ]
