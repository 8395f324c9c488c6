"""The implementation status report against raw ReportLab laying out the same rows.

The report is built from synthetic recommendations (no database). The raw baseline is what a
programmer would write with plain ReportLab for the same rows, not a strawman: every table of
recommendations the report holds (one per report of the Secretary-General under its heading,
the overdue list, the other recommendations), the same cells (a `Paragraph` each, with the
same markup), the same table styles and column widths, on the same page template (marking at
top and bottom, running header and footer, "Page X of Y" with the usual deferred-canvas
recipe). What the report adds on top is paid from its budget: the cover, the table of contents,
the charts and the summary tables.

    .venv/bin/python bench/pdf_bench.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from common import figure
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from r2pdesk.recommendations.models import Priority, RecStatus
from r2pdesk.reports.base import MARKING_COLOURS, Marking, ReportMeta
from r2pdesk.reports.charts import status_chip
from r2pdesk.reports.data.common import RecItem
from r2pdesk.reports.data.implementation import ImplementationReport, build_implementation
from r2pdesk.reports.implementation import ImplementationRenderer, due_markup
from r2pdesk.reports.styles import BOLD, FONT, MUTED, NAVY, RULE, ZEBRA, register_fonts, stylesheet
from r2pdesk.reports.text import esc, long_date

TODAY = date(2026, 11, 21)
YEARS = range(2009, 2027)
TARGETS = ("Member States", "United Nations", "Regional and Subregional Organizations",
           "Civil Society", "International Development Actors", "General Assembly")
PHRASE = ("strengthen national early warning capacity and ensure that risk assessments inform "
          "budget and policy decisions across ministries with the participation of civil society "
          "women and young people in every region")
WORDS = PHRASE.split()
LEADS = ("Ministry of Justice", "Ministry of the Interior", "National Police")


def synthetic(count: int, seed: int = 7) -> list[RecItem]:
    """`count` recommendations: nine in ten adopted from the reports, the rest national."""
    rng = random.Random(seed)  # noqa: S311 - synthetic rows, not secrets
    items = []
    for n in range(count):
        national = n % 10 == 9
        year = YEARS[n % len(YEARS)]
        due = TODAY + timedelta(days=rng.randint(-400, 400))
        status = rng.choice(list(RecStatus))
        overdue = due < TODAY and status not in {RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE}
        items.append(RecItem(
            ref=f"UPR {n:04d}" if national else f"{year}-MS-{n:04d}",
            text=" ".join(rng.choices(WORDS, k=rng.randint(12, 40))),
            source="UPR" if national else "SG catalogue", status=status,
            lead=rng.choice(LEADS), role="", priority=Priority.MEDIUM, due=due, overdue=overdue,
            days_late=(TODAY - due).days if overdue else 0,
            report_year=None if national else year,
            target=None if national else rng.choice(TARGETS)))
    return items


def data(items: list[RecItem]) -> ImplementationReport:
    """The report's data for these items."""
    meta = ReportMeta("National Committee (benchmark)", "Implementation status report",
                      "Benchmark", "Synthetic rows", TODAY, Marking.RESTRICTED)
    reports = [(year, f"A/{year}/1", f"Report of {year}", 40) for year in YEARS]
    return build_implementation(meta, tuple(items), reports, [(t, 60) for t in TARGETS])


def report(report_data: ImplementationReport) -> bytes:
    """The implementation status report."""
    return ImplementationRenderer(report_data).render()


# --- the raw baseline ---------------------------------------------------------------------------

TABLE_STYLE: list[Any] = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), NAVY),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


class PageCountCanvas(Canvas):
    """ReportLab's usual "Page X of Y" recipe: pages are kept and numbered on save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self.pages.append(dict(self.__dict__))
        cast("Any", self)._startPage()

    def save(self) -> None:
        for state in self.pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(A4[0] - 20 * mm, 15 * mm,
                                 f"Page {self.getPageNumber()} of {len(self.pages)}")
            super().showPage()
        super().save()


def furniture(meta: ReportMeta) -> Callable[[Canvas, Any], None]:
    """The page furniture the report draws: marking, running header and footer."""
    width, height = A4

    def on_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(MARKING_COLOURS[meta.marking])
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(width / 2, height - 11 * mm, meta.marking.value)
        canvas.drawCentredString(width / 2, 8 * mm, meta.marking.value)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        left, right = 20 * mm, width - 20 * mm
        canvas.drawString(left, height - 18 * mm, meta.title)
        canvas.drawRightString(right, height - 18 * mm, long_date(meta.today))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, height - 20.5 * mm, right, height - 20.5 * mm)
        canvas.line(left, 18.5 * mm, right, 18.5 * mm)
        canvas.drawString(left, 15 * mm, meta.committee)
        canvas.restoreState()

    return on_page


def raw(report_data: ImplementationReport) -> bytes:
    """The same tables of recommendations, laid out with plain ReportLab."""
    styles = stylesheet()
    width = A4[0] - 40 * mm

    def table(header: list[str], items: tuple[RecItem, ...], widths: list[float],
              *, target: bool) -> Table:
        rows: list[list[Any]] = [[Paragraph(h, styles["head"]) for h in header]]
        rows += [[Paragraph(esc(i.ref), styles["cell_bold"]),
                  *([Paragraph(esc(i.target or ""), styles["cell_muted"])] if target else []),
                  Paragraph(esc(i.text), styles["cell"]), Paragraph(esc(i.lead), styles["cell"]),
                  Paragraph(status_chip(i.status), styles["cell"]),
                  Paragraph(due_markup(i), styles["cell"])] for i in items]
        return Table(rows, colWidths=[w * width for w in widths], repeatRows=1, splitByRow=1,
                     splitInRow=0, hAlign="LEFT", style=TableStyle(TABLE_STYLE))

    story: list[Any] = []
    for s in report_data.sections:
        story += [Paragraph(esc(f"{s.year}: {s.title}"), styles["h2"]),
                  Paragraph(f"{s.in_catalogue} recommendations in the catalogue; the committee "
                            f"follows {len(s.items)}.", styles["small"])]
        if s.items:
            story.append(table(["Reference", "Target", "Recommendation", "Lead", "Status", "Due"],
                               s.items, [0.15, 0.12, 0.31, 0.14, 0.15, 0.13], target=True))
    for title, items in (("Overdue", report_data.overdue), ("Others", report_data.others)):
        story += [Paragraph(title, styles["h1"]),
                  table(["Reference", "Recommendation", "Lead", "Status", "Due"], items,
                        [0.15, 0.41, 0.16, 0.15, 0.13], target=False)]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, initialFontName=FONT, initialFontSize=9,
                          leftMargin=20 * mm, rightMargin=20 * mm, topMargin=27 * mm,
                          bottomMargin=25 * mm)
    frame = Frame(20 * mm, 25 * mm, width, A4[1] - 52 * mm, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("body", [frame], onPage=furniture(report_data.meta))])
    doc.build(story, canvasmaker=PageCountCanvas)
    return buffer.getvalue()


# --- measuring ----------------------------------------------------------------------------------


def page_count(pdf: bytes) -> int:
    """Pages of a ReportLab PDF."""
    return len(re.findall(rb"/Type /Page\b", pdf))


def timed(make: Callable[[ImplementationReport], bytes], report_data: ImplementationReport,
          repeat: int) -> tuple[float, bytes]:
    """The fastest of `repeat` runs, and the PDF."""
    times, pdf = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = make(report_data)
        times.append(time.perf_counter() - start)
    return min(times), pdf


def measure(pages: int = 100, repeat: int = 3) -> dict[str, object]:
    """Calibrate the rows to about `pages` pages of report, then time both, alternately."""
    register_fonts()
    count = 600
    count = max(1, round(count * pages / page_count(report(data(synthetic(count))))))
    report_data = data(synthetic(count))
    ours, plain = [], []
    ours_pdf = raw_pdf = b""
    for _ in range(repeat):  # interleaved, so that a busy moment of the machine hits both
        seconds, ours_pdf = timed(report, report_data, 1)
        ours.append(seconds)
        seconds, raw_pdf = timed(raw, report_data, 1)
        plain.append(seconds)
    best, best_raw = min(ours), min(plain)
    ratio = best / best_raw
    return {
        "rows": count,
        "table_rows": sum(len(s.items) for s in report_data.sections)
        + len(report_data.overdue) + len(report_data.others),
        "report_pages": page_count(ours_pdf),
        "raw_pages": page_count(raw_pdf),
        "report_s": round(best, 3),
        "raw_reportlab_s": round(best_raw, 3),
        "report_ms_per_page": round(1000 * best / page_count(ours_pdf), 1),
        "raw_ms_per_page": round(1000 * best_raw / page_count(raw_pdf), 1),
        "ratio": figure(ratio, 1.5, at_most=True),
    }


def main() -> None:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.pages, args.repeat)))


if __name__ == "__main__":
    main()
