"""The early-warning note: one or two pages for the addressees of a warning, opening with its
reference and a severity banner, then what, where, who is at risk, the indicators, the actions
recommended, who must answer and by when."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from r2pdesk.earlywarning.models import WarningStatus, severity_label, warning_status_label
from r2pdesk.i18n import format_number, tr
from r2pdesk.reports.base import QUOTED_FRAMEWORK, Renderer
from r2pdesk.reports.charts import SEVERITY_COLOURS, VERMILLION, ink_on
from r2pdesk.reports.data import WarningNote
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
        severity = (severity_label(data.severity).upper() if data.severity
                    else tr("NOT SET", context="severity"))
        unset = tr("not set")
        lines: list[Flowable] = [
            Paragraph(esc(tr("SEVERITY: {severity}").format(severity=severity)), big),
            Paragraph(esc(tr("Likelihood: {likelihood} · Horizon: {horizon} · Status: {status}")
                          .format(likelihood=data.likelihood or unset,
                                  horizon=data.horizon or unset,
                                  status=warning_status_label(data.status))), small),
        ]
        if data.status is WarningStatus.DRAFT:
            lines.append(Paragraph(esc(tr("DRAFT: NOT ISSUED")), big))
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
        due = esc(long_date(data.response_due) if data.response_due else tr("No deadline set"))
        if data.overdue:
            due += (f' <font color="#{VERMILLION.hexval()[2:]}">'
                    f'{esc(tr("(deadline passed)"))}</font>')
        return [
            Paragraph(esc(data.meta.committee), s["cover_committee"]),
            Spacer(1, 2 * mm), Rule(self.width, 1.4, NAVY), Spacer(1, 4 * mm),
            Paragraph(esc(tr("EARLY-WARNING NOTE · {reference}").format(
                reference=data.reference)), s["cover_kind"]),
            Paragraph(esc(data.title), title),
            self._banner(data), Spacer(1, 4 * mm),
            self.facts([
                (tr("Reference"), self.cell(data.reference, "cell_bold")),
                (tr("Observed"), self.cell(long_date(data.observed))),
                (tr("Issued", context="date"), self.cell(long_date(data.issued))),
                (tr("Response due"), Paragraph(f"<b>{due}</b>", s["cell"])),
                (tr("Addressed to"), self.cell("; ".join(a.name for a in data.addressees)
                                               or tr("No addressee yet"))),
            ]),
        ]

    def _section(self, title: str, text: str, empty: str) -> list[Flowable]:
        return [self.heading(title, 2), self.para(text) if text.strip() else
                Paragraph(esc(empty), self.styles["note"])]

    def _body(self, data: WarningNote) -> list[Flowable]:
        story = [
            *self._section(tr("What is happening"), data.description,
                           tr("No description recorded.")),
            *self._section(tr("Where"), "; ".join(data.areas), tr("No area recorded.")),
            *self._section(tr("Who is at risk"), "; ".join(data.groups),
                           tr("No group recorded.")),
            self.heading(tr("Indicators shown"), 2),
        ]
        if data.indicators or data.risk_factors:
            story.append(self.table(
                [tr("Code"), tr("Indicator or risk factor of the Framework of Analysis")],
                [[self.cell(code, "cell_bold"), self.cell(text)]
                 for code, text in (*data.risk_factors, *data.indicators)], [0.12, 0.88]))
            story += self.quoted_in_english(QUOTED_FRAMEWORK)
        else:
            story.append(Paragraph(esc(tr("No indicator recorded.")), self.styles["note"]))
        story += self._section(tr("Recommended actions"), data.actions,
                               tr("No action recommended yet."))
        story.append(self.heading(tr("Addressees and their replies"), 2))
        story.append(self.table([tr("Institution"), tr("Reply so far")],
                                [[self.cell(a.name, "cell_bold"), self.cell(a.reply)]
                                 for a in data.addressees], [0.55, 0.45])
                     if data.addressees else self.para(tr("No addressee yet.")))
        story.append(self.heading(tr("Sources"), 2))
        if data.sources:
            story.append(self.table(
                [tr("Source"), tr("Kind"), tr("Grading")],
                [[self.cell(x.title), self.cell(x.kind), self.cell(x.grading)]
                 for x in data.sources], [0.6, 0.28, 0.12]))
        if data.withheld_sources or not data.sources:
            withheld = (tr("{count} confidential source withheld from this edition.")
                        if data.withheld_sources == 1 else
                        tr("{count} confidential sources withheld from this edition."))
            story.append(Paragraph(esc(
                withheld.format(count=format_number(data.withheld_sources))
                if data.withheld_sources else tr("No source cited.")), self.styles["note"]))
        story.append(Spacer(1, 3))
        story.append(Paragraph(esc(tr(
            "Grading: reliability of the source from A (reliable) to F (cannot be judged), "
            "credibility of the information from 1 (confirmed) to 6 (cannot be judged). "
            "Informants are never identified in a note.")), self.styles["small"]))
        return story

    def _closing(self, data: WarningNote) -> list[Flowable]:
        if data.status is WarningStatus.CLOSED:
            resolution = data.resolution or tr("no resolution recorded")
            outcome = tr("Closed on {date}: {resolution}.").format(
                date=long_date(data.closed_on), resolution=resolution)
            return [*self._section(tr("Outcome"), f"{outcome}\n{data.resolution_note}".strip(),
                                   "")]
        if data.status is WarningStatus.DRAFT:
            return []
        if data.response_due is not None and data.response_due < data.meta.today:
            ask = tr("The response deadline, {date}, has passed: each addressee that has not "
                     "reported action is asked to inform the committee's secretariat of the "
                     "action taken without delay.").format(date=long_date(data.response_due))
        elif data.response_due:
            ask = tr("Each addressee is asked to inform the committee's secretariat of the action "
                     "taken by {date}.").format(date=long_date(data.response_due))
        else:
            ask = tr("Each addressee is asked to inform the committee's secretariat of the action "
                     "taken as soon as possible.")
        return [Spacer(1, 4 * mm), Paragraph(f"<b>{esc(ask)}</b>", self.styles["body"])]
