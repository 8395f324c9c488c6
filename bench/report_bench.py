"""How much the report engine costs over raw ReportLab.

Builds a ~100-page implementation status report from synthetic recommendations (no database),
then lays out the same rows with a plain `SimpleDocTemplate` and one `Table`, and prints one JSON
object with both times and their ratio. The report does more than the raw table: a cover, a
table of contents (so two layout passes), charts, summary tables, an overdue list, the marking
and "Page X of Y" on every page; the time per page is printed too.

    .venv/bin/python bench/report_bench.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import time
from datetime import date, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from r2pdesk.recommendations.models import Priority, RecStatus
from r2pdesk.recommendations.service import STATUS_LABELS
from r2pdesk.reports.base import Marking, ReportMeta
from r2pdesk.reports.data.common import RecItem
from r2pdesk.reports.data.implementation import build_implementation
from r2pdesk.reports.implementation import ImplementationRenderer
from r2pdesk.reports.styles import FONT, register_fonts, stylesheet
from r2pdesk.reports.text import esc, short_date

TODAY = date(2026, 11, 21)
YEARS = range(2009, 2027)
TARGETS = ("Member States", "United Nations", "Regional and Subregional Organizations",
           "Civil Society", "International Development Actors", "General Assembly")
PHRASE = ("strengthen national early warning capacity and ensure that risk assessments inform "
          "budget and policy decisions across ministries with the participation of civil society "
          "women and young people in every region")
WORDS = PHRASE.split()


def synthetic(count: int, seed: int = 7) -> list[RecItem]:
    """`count` adopted recommendations spread over the reports and targets."""
    rng = random.Random(seed)  # noqa: S311 - synthetic rows, not secrets
    items = []
    for n in range(count):
        year = YEARS[n % len(YEARS)]
        due = TODAY + timedelta(days=rng.randint(-400, 400))
        status = rng.choice(list(RecStatus))
        overdue = due < TODAY and status not in {RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE}
        items.append(RecItem(
            ref=f"{year}-MS-{n:04d}", text=" ".join(rng.choices(WORDS, k=rng.randint(12, 40))),
            source="SG catalogue", status=status, lead=rng.choice(("Ministry of Justice",
                                                                    "Ministry of the Interior",
                                                                    "National Police")),
            role="", priority=Priority.MEDIUM, due=due, overdue=overdue,
            days_late=(TODAY - due).days if overdue else 0, report_year=year,
            target=rng.choice(TARGETS)))
    return items


def report(items: list[RecItem]) -> bytes:
    """The implementation status report of these items."""
    meta = ReportMeta("National Committee (benchmark)", "Implementation status report",
                      "Benchmark", "Synthetic rows", TODAY, Marking.RESTRICTED)
    reports = [(year, f"A/{year}/1", f"Report of {year}", 40) for year in YEARS]
    targets = [(t, 60) for t in TARGETS]
    return ImplementationRenderer(build_implementation(meta, tuple(items), reports,
                                                       targets)).render()


def raw(items: list[RecItem]) -> bytes:
    """The same rows in one plain ReportLab table."""
    styles = stylesheet()
    cell = styles["cell"]
    rows = [[Paragraph(h, styles["head"]) for h in
             ("Reference", "Target", "Recommendation", "Lead", "Status", "Due")]]
    rows += [[Paragraph(esc(i.ref), cell), Paragraph(esc(i.target or ""), cell),
              Paragraph(esc(i.text), cell), Paragraph(esc(i.lead), cell),
              Paragraph(STATUS_LABELS[i.status], cell), Paragraph(short_date(i.due), cell)]
             for i in items]
    width = A4[0] - 40 * mm
    table = Table(rows, colWidths=[w * width for w in (0.13, 0.13, 0.33, 0.14, 0.15, 0.12)],
                  repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=27 * mm, bottomMargin=25 * mm,
                      initialFontName=FONT).build([table])
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    """Pages of a ReportLab PDF."""
    return len(re.findall(rb"/Type /Page\b", pdf))


def best(make: object, items: list[RecItem], repeat: int) -> tuple[float, bytes]:
    """The fastest of `repeat` runs, and the PDF."""
    assert callable(make)
    times, pdf = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = make(items)
        times.append(time.perf_counter() - start)
    return min(times), pdf


def main() -> None:
    """Calibrate the number of rows to the pages asked for, then time both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    register_fonts()
    count = 1000
    pages = page_count(report(synthetic(count)))
    count = max(1, round(count * args.pages / pages))
    items = synthetic(count)
    ours, ours_pdf = best(report, items, args.repeat)
    plain, raw_pdf = best(raw, items, args.repeat)
    print(json.dumps({
        "rows": count,
        "report_pages": page_count(ours_pdf),
        "raw_pages": page_count(raw_pdf),
        "report_seconds": round(ours, 3),
        "raw_reportlab_seconds": round(plain, 3),
        "report_ms_per_page": round(1000 * ours / page_count(ours_pdf), 1),
        "raw_ms_per_page": round(1000 * plain / page_count(raw_pdf), 1),
        "ratio": round(ours / plain, 2),
    }))


if __name__ == "__main__":
    main()
