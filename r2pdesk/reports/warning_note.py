"""The early-warning note: one or two pages for the addressees of a warning, opening with its
reference and a severity banner, then what, where, who is at risk, the indicators, the actions
recommended, who must answer and by when."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from r2pdesk.earlywarning.models import WarningStatus
from r2pdesk.reports.base import Renderer
from r2pdesk.reports.charts import SEVERITY_COLOURS, VERMILLION, ink_on
from r2pdesk.reports.data import WarningNote
from r2pdesk.reports.data.common import word
from r2pdesk.reports.flowables import Rule
from r2pdesk.reports.styles import BOLD, FONT, NAVY, PANEL
from r2pdesk.reports.text import esc, long_date


class WarningNoteRenderer(Renderer[WarningNote]):
    """Lays out one warning as a note, without a cover: it must fit on one or two pages."""

    cover = False
    top_margin = 25 * mm

    def _get_story(self, data: WarningNote) -> list[Flowable]:
        return [*self._masthead(data), *self._body(data), *self._closing(data)]

    def _banner(self, data: WarningNote) -> Table:
        fill = SEVERITY_COLOURS[data.severity] if data.severity else PANEL
        ink = ink_on(fill)
        big = ParagraphStyle("sev", fontName=BOLD, fontSize=14, leading=18, textColor=ink)
        small = ParagraphStyle("sev2", fontName=FONT, fontSize=9, leading=12, textColor=ink)
        severity = data.severity.value.upper() if data.severity else "NOT SET"
        lines: list[Flowable] = [
            Paragraph(f"SEVERITY: {severity}", big),
            Paragraph(f"Likelihood: {esc(data.likelihood or 'not set')} · Horizon: "
                      f"{esc(data.horizon or 'not set')} · Status: {esc(word(data.status))}",
                      small),
        ]
        if data.status is WarningStatus.DRAFT:
            lines.append(Paragraph("DRAFT: NOT ISSUED", big))
        banner = Table([[lines]], colWidths=[self.width])
        banner.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ]))
        return banner

    def _masthead(self, data: WarningNote) -> list[Flowable]:
        s = self.styles
        title = ParagraphStyle("wt", parent=s["h1"], fontSize=16, leading=20, textColor=NAVY,
                               spaceBefore=0)
        due = long_date(data.response_due) if data.response_due else "No deadline set"
        if data.overdue:
            due += f' <font color="#{VERMILLION.hexval()[2:]}">(deadline passed)</font>'
        return [
            Paragraph(esc(data.meta.committee), s["cover_committee"]),
            Spacer(1, 2 * mm), Rule(self.width, 1.4, NAVY), Spacer(1, 4 * mm),
            Paragraph(f"EARLY-WARNING NOTE · {esc(data.reference)}", s["cover_kind"]),
            Paragraph(esc(data.title), title),
            self._banner(data), Spacer(1, 4 * mm),
            self.facts([
                ("Reference", self.cell(data.reference, "cell_bold")),
                ("Observed", self.cell(long_date(data.observed))),
                ("Issued", self.cell(long_date(data.issued))),
                ("Response due", Paragraph(f"<b>{due}</b>", s["cell"])),
                ("Addressed to", self.cell("; ".join(a.name for a in data.addressees)
                                           or "No addressee yet")),
            ]),
        ]

    def _section(self, title: str, text: str, empty: str) -> list[Flowable]:
        return [self.heading(title, 2), self.para(text) if text.strip() else
                Paragraph(esc(empty), self.styles["note"])]

    def _body(self, data: WarningNote) -> list[Flowable]:
        story = [
            *self._section("What is happening", data.description, "No description recorded."),
            *self._section("Where", "; ".join(data.areas), "No area recorded."),
            *self._section("Who is at risk", "; ".join(data.groups), "No group recorded."),
            self.heading("Indicators shown", 2),
        ]
        if data.indicators or data.risk_factors:
            story.append(self.table(
                ["Code", "Indicator or risk factor of the Framework of Analysis"],
                [[self.cell(code, "cell_bold"), self.cell(text)]
                 for code, text in (*data.risk_factors, *data.indicators)], [0.12, 0.88]))
        else:
            story.append(Paragraph("No indicator recorded.", self.styles["note"]))
        story += self._section("Recommended actions", data.actions, "No action recommended yet.")
        story.append(self.heading("Addressees and their replies", 2))
        story.append(self.table(["Institution", "Reply so far"],
                                [[self.cell(a.name, "cell_bold"), self.cell(a.reply)]
                                 for a in data.addressees], [0.55, 0.45])
                     if data.addressees else self.para("No addressee yet."))
        story.append(self.heading("Sources", 2))
        if data.sources:
            story.append(self.table(
                ["Source", "Kind", "Grading"],
                [[self.cell(x.title), self.cell(x.kind), self.cell(x.grading)]
                 for x in data.sources], [0.6, 0.28, 0.12]))
        if data.withheld_sources or not data.sources:
            story.append(Paragraph(
                f"{data.withheld_sources} confidential source(s) withheld from this edition."
                if data.withheld_sources else "No source cited.", self.styles["note"]))
        story.append(Spacer(1, 3))
        story.append(Paragraph(
            "Grading: reliability of the source from A (reliable) to F (cannot be judged), "
            "credibility of the information from 1 (confirmed) to 6 (cannot be judged). "
            "Informants are never identified in a note.", self.styles["small"]))
        return story

    def _closing(self, data: WarningNote) -> list[Flowable]:
        if data.status is WarningStatus.CLOSED:
            resolution = data.resolution or "no resolution recorded"
            outcome = f"Closed on {long_date(data.closed_on)}: {resolution}."
            return [*self._section("Outcome", f"{outcome}\n{data.resolution_note}".strip(), "")]
        if data.status is WarningStatus.DRAFT:
            return []
        if data.response_due is not None and data.response_due < data.meta.today:
            ask = (f"The response deadline, {long_date(data.response_due)}, has passed: each "
                   "addressee that has not reported action is asked to inform the committee's "
                   "secretariat of the action taken without delay.")
        else:
            when = long_date(data.response_due) if data.response_due else "as soon as possible"
            ask = (f"Each addressee is asked to inform the committee's secretariat of the action "
                   f"taken by {when}.")
        return [Spacer(1, 4 * mm), Paragraph(f"<b>{ask}</b>", self.styles["body"])]
