"""The report engine: the page furniture every report shares and its building blocks.

Every page carries the classification marking at its top and bottom and "Page X of Y" in its
footer; the first page of most reports is a cover (committee, title, date, marking, handling
note); long reports get a table of contents and a PDF outline. A renderer receives a frozen data
object (see `r2pdesk.reports.data`) and never the database.

Text typed by people reaches a `Paragraph` only through `esc` (see `r2pdesk.reports.text`).
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from r2pdesk.i18n import N_, SOURCE_LANGUAGE, format_number, language, tr
from r2pdesk.reports.flowables import (
    Contents,
    DocTemplate,
    Heading,
    Para,
    Rule,
    Run,
    numbered_canvas,
    stack,
)
from r2pdesk.reports.styles import (
    BOLD,
    FONT,
    MUTED,
    NAVY,
    PANEL,
    RULE,
    ZEBRA,
    register_fonts,
    stylesheet,
)
from r2pdesk.reports.text import chunks, esc, fit, long_date, one_line

__all__ = ["esc"]  # the escaping every renderer uses, re-exported from r2pdesk.reports.text


class Marking(enum.StrEnum):
    """The classification printed on every page, lowest first."""

    PUBLIC = "PUBLIC"
    RESTRICTED = "RESTRICTED"
    CONFIDENTIAL = "CONFIDENTIAL"


DEFAULT_MARKING = Marking.RESTRICTED
MARKING_COLOURS = {
    Marking.PUBLIC: colors.HexColor("#00704F"),
    Marking.RESTRICTED: colors.HexColor("#8A4B00"),
    Marking.CONFIDENTIAL: colors.HexColor("#A3260B"),
}
HANDLING = {  # marked for the catalogue: `tr` them where printed
    Marking.PUBLIC: N_("May be shared and published without restriction."),
    Marking.RESTRICTED: N_(
        "For official use by the addressees. Not for publication or onward distribution "
        "without the consent of the committee."
    ),
    Marking.CONFIDENTIAL: N_(
        "Contains confidential information. For the named addressees only: do not copy, "
        "forward or quote. Store securely and destroy when no longer needed."
    ),
}
# Where a report in another language quotes reference texts, which stay in English.
QUOTED_SG_REPORTS = N_(
    "The titles of the Secretary-General's reports, their recommendations and the targets they "
    "name are quoted in their original English.")
QUOTED_FRAMEWORK = N_(
    "The risk factors and indicators of the Framework of Analysis for Atrocity Crimes are quoted "
    "in their original English.")
QUOTED_BOTH = N_(
    "The recommendations of the Secretary-General and the risk factors and indicators of the "
    "Framework of Analysis for Atrocity Crimes are quoted in their original English.")


def marking_label(marking: Marking) -> str:
    """The marking as printed for the reader, in the language in use ("RESTRICTED")."""
    return {
        Marking.PUBLIC: tr("PUBLIC", context="marking"),
        Marking.RESTRICTED: tr("RESTRICTED", context="marking"),
        Marking.CONFIDENTIAL: tr("CONFIDENTIAL", context="marking"),
    }[marking]


def effective_marking(requested: Marking | None, *, include_confidential: bool) -> Marking:
    """The marking a report prints: the one asked for (RESTRICTED by default), raised to
    CONFIDENTIAL whenever confidential content is included."""
    if include_confidential:
        return Marking.CONFIDENTIAL
    return requested or DEFAULT_MARKING


@dataclass(frozen=True)
class ReportMeta:
    """What the cover and the page furniture of every report print."""

    committee: str
    kind: str  # "Ministry brief", printed above the title
    title: str
    subtitle: str
    today: date
    marking: Marking
    confidential_included: bool = False


class HasMeta(Protocol):
    """A report's data: a frozen dataclass with its `meta`."""

    @property
    def meta(self) -> ReportMeta: ...


# --- the document -------------------------------------------------------------------------------


def release(*heaps: list[Any]) -> None:
    """Let go of a finished layout a piece at a time.

    Freed at once, the flowables and pages of a long report (hundreds of thousands of objects)
    are one cascade of deallocations that holds the GIL for half a second, and the window
    stalls as long; popped one by one, other threads get their turn in between."""
    for heap in heaps:
        while heap:
            item = heap.pop()
            for name in ("_cellvalues", "_content", "parts"):  # rows of a table, kept or run
                inner = getattr(item, name, None)
                if isinstance(inner, list):
                    release(inner)


class BuildProgress:
    """ReportLab's build events as `progress(done, total)`: flowables placed, over every pass
    (a table of contents takes two); called again at each finished page."""

    def __init__(self, progress: Callable[[int, int], None], passes: int) -> None:
        self.progress, self.passes = progress, passes
        self.pass_, self.size, self.done = 1, 1, 0

    def __call__(self, kind: str, value: int) -> None:
        if kind == "PASS":
            self.pass_, self.done = min(value, self.passes), 0
        elif kind == "SIZE_EST":
            self.size = max(value, 1)
        elif kind in ("PROGRESS", "PAGE"):
            if kind == "PROGRESS":  # a split puts pieces back: never count backwards
                self.done = max(self.done, min(value, self.size))
            self.progress((self.pass_ - 1) * self.size + self.done, self.size * self.passes)


D = TypeVar("D", bound=HasMeta)
Cell = Flowable  # what a table cell holds: a paragraph, a run of them, a drawing
HUGE_CELL = 1500  # characters of markup: a cell this long may be taller than a page


class Renderer(Generic[D]):
    """Lays out one report on A4: cover, running header and footer, marking, page numbers.

    A report subclasses it, names itself and writes `_get_story`.
    """

    pagesize = A4
    left_margin = 20 * mm
    right_margin = 20 * mm
    top_margin = 27 * mm
    bottom_margin = 25 * mm
    cover: ClassVar[bool] = True
    toc: ClassVar[bool] = False  # a table of contents after the cover, for long reports

    def __init__(self, data: D) -> None:
        self.data = data
        self.meta = data.meta
        self._register_fonts()
        self.styles = self._get_stylesheet()
        self._headings: list[tuple[int, str, str]] = []  # (level, markup, key), for the contents

    @property
    def width(self) -> float:
        """The width of the text frame, in points."""
        return self.pagesize[0] - self.left_margin - self.right_margin

    def _register_fonts(self) -> None:
        register_fonts()

    def _get_stylesheet(self) -> dict[str, ParagraphStyle]:
        return stylesheet()

    def _get_story(self, data: D) -> list[Flowable]:
        raise NotImplementedError

    def render(self, progress: Callable[[int, int], None] | None = None) -> bytes:
        """The PDF; `progress(done, total)` hears of each flowable placed and page finished, and
        what it raises (a cancel) ends the layout there."""
        buffer = io.BytesIO()
        doc = DocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=self.left_margin,
            rightMargin=self.right_margin, topMargin=self.top_margin,
            bottomMargin=self.bottom_margin, title=one_line(self.meta.title),
            author=one_line(self.meta.committee), subject=one_line(self.meta.kind),
            creator="r2pdesk", initialFontName=FONT, initialFontSize=9,
        )
        doc.addPageTemplates(self._page_templates())
        story: list[Flowable] = []
        if self.cover:
            story += [*self._cover_story(), NextPageTemplate("body"), PageBreak()]
        self._headings = []
        body = self._get_story(self.data)  # first: it makes the headings the contents list
        if self.toc:
            doc.contents = Contents(self._headings, [self.styles["toc1"], self.styles["toc2"]],
                                    dotsMinLevel=0)
            story += self._toc_story(doc.contents)
        story += body
        maker = numbered_canvas(self._draw_page_number, doc.contents)
        if progress is not None:
            doc.setProgressCallBack(BuildProgress(progress, passes=1))
        doc.build(story, canvasmaker=maker)  # one pass, contents included (see Contents)
        release(body, getattr(doc.canv, "_pages", []))
        return buffer.getvalue()

    # --- page furniture -------------------------------------------------------------------------

    def _page_templates(self) -> list[PageTemplate]:
        height = self.pagesize[1]
        body = Frame(self.left_margin, self.bottom_margin, self.width,
                     height - self.top_margin - self.bottom_margin, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = []
        if self.cover:
            box = 62 * mm
            top = Frame(self.left_margin, self.bottom_margin + box, self.width,
                        height - self.top_margin - self.bottom_margin - box, id="cover",
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            bottom = Frame(self.left_margin, self.bottom_margin, self.width, box,
                           id="handling", leftPadding=0, rightPadding=0, topPadding=0,
                           bottomPadding=0)
            templates.append(PageTemplate("cover", [top, bottom], onPage=self._on_cover))
        templates.append(PageTemplate("body", [body], onPage=self._on_page))
        return templates

    def _draw_marking(self, canvas: Canvas) -> None:
        width, height = self.pagesize
        marking = marking_label(self.meta.marking)
        canvas.setFillColor(MARKING_COLOURS[self.meta.marking])
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(width / 2, height - 11 * mm, marking)
        canvas.drawCentredString(width / 2, 8 * mm, marking)

    def _on_cover(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        self._draw_marking(canvas)
        width, height = self.pagesize
        canvas.setFillColor(NAVY)
        canvas.rect(0, height - 5 * mm, width, 5 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _on_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        self._draw_marking(canvas)
        width, height = self.pagesize
        left, right = self.left_margin, width - self.right_margin
        half = self.width / 2 - 6 * mm
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        header_y = height - 18 * mm
        canvas.drawString(left, header_y, fit(self.meta.title, half, FONT, 7.5))
        canvas.drawRightString(right, header_y, long_date(self.meta.today))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, header_y - 2.5 * mm, right, header_y - 2.5 * mm)
        footer_y = 15 * mm
        canvas.line(left, footer_y + 3.5 * mm, right, footer_y + 3.5 * mm)
        canvas.drawString(left, footer_y, fit(self.meta.committee, half + 25 * mm, FONT, 7.5))
        canvas.restoreState()

    def _draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(self.pagesize[0] - self.right_margin, 15 * mm,
                               tr("Page {page} of {total}").format(page=page, total=total))
        canvas.restoreState()

    def _cover_story(self) -> list[Flowable]:
        meta, s = self.meta, self.styles
        story: list[Flowable] = [
            Paragraph(esc(meta.committee), s["cover_committee"]),
            Spacer(1, 3 * mm),
            Rule(self.width, 1.6, NAVY),
            Spacer(1, 48 * mm),
            Paragraph(esc(meta.kind.upper()), s["cover_kind"]),
            Paragraph(esc(meta.title), s["cover_title"]),
        ]
        if meta.subtitle:
            story.append(Paragraph(esc(meta.subtitle), s["cover_subtitle"]))
        story += [Paragraph(long_date(meta.today), s["cover_date"]), FrameBreak()]
        story.append(self._handling_box())
        return story

    def _handling_box(self) -> Flowable:
        meta, s = self.meta, self.styles
        colour = MARKING_COLOURS[meta.marking]
        marking = ParagraphStyle("m", parent=s["marking_box"], textColor=colour)
        lines: list[Flowable] = [
            Paragraph(esc(marking_label(meta.marking)), marking),
            Paragraph(esc(tr(HANDLING[meta.marking])), ParagraphStyle("h", parent=s["small"],
                                                             alignment=TA_CENTER)),
        ]
        if meta.confidential_included:
            lines.append(Paragraph(
                esc(tr("This edition includes confidential records at the explicit request of "
                       "the person who generated it.")), ParagraphStyle("c", parent=s["small"],
                                                           alignment=TA_CENTER, textColor=colour)))
        box = Table([[lines]], colWidths=[self.width])
        box.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BOX", (0, 0), (-1, -1), 1.2, colour),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
        ]))
        note = Paragraph(esc(
            tr("Prepared by the secretariat of the committee on {date}. Produced with r2pdesk.")
            .format(date=long_date(meta.today))), s["small"])
        return KeepTogether([box, Spacer(1, 4 * mm), note])

    def _toc_story(self, toc: Contents) -> list[Flowable]:
        toc.tableStyle = TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])
        return [Paragraph(esc(tr("Contents")), self.styles["h1"]), toc, PageBreak()]

    # --- building blocks ------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> Flowable:
        """A section heading (level 1) or subsection (level 2), listed in the contents; it
        starts a new page when too little room is left under it.

        (Not `keepWithNext`: that would carry a long table whole to the next page, leaving a
        gap; the table splits instead, its header repeated.)"""
        key = f"h{len(self._headings) + 1}"
        self._headings.append((level - 1, esc(text), key))
        style = self.styles["h1" if level == 1 else "h2"]
        flowable = Heading(esc(text), style, level - 1, key)
        return KeepTogether([CondPageBreak((45 if level == 1 else 32) * mm), flowable])

    def quoted_in_english(self, note: str) -> list[Flowable]:
        """In a report printed in another language, the note (marked with N_: QUOTED_...) that
        the reference texts it quotes keep their original English; nothing in English."""
        if language() == SOURCE_LANGUAGE:
            return []
        return [Paragraph(esc(tr(note)), self.styles["note"])]

    def subheading(self, text: str) -> Flowable:
        """A heading over a table or a paragraph, not listed in the contents."""
        return KeepTogether([CondPageBreak(28 * mm), Paragraph(esc(text), self.styles["h3"])])

    def paragraphs(self, text: str, style: str = "body") -> list[Flowable]:
        """User text, printed literally, as paragraphs of at most about `CHUNK` characters."""
        pieces = chunks(text)
        base = self.styles[style]
        if len(pieces) == 1:
            return [Para(esc(pieces[0]), base)]
        run = ParagraphStyle(f"{base.name}-run", parent=base, spaceAfter=0)  # lines of one text
        return [Para(esc(p), base if i == len(pieces) - 1 else run)
                for i, p in enumerate(pieces)]

    def para(self, text: str, style: str = "body") -> Flowable:
        """User text as a paragraph (a run of them when long), printed literally."""
        return stack(self.paragraphs(text, style))

    def cell(self, text: str, style: str = "cell") -> Flowable:
        """User text in a table cell."""
        return stack(self.paragraphs(text, style))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[Cell]],
        widths: Sequence[float], *, numeric: Sequence[int] = (),
        style: Sequence[tuple[Any, ...]] = (),
    ) -> Table:
        """A table with a repeated header row that splits across pages, even inside a row;
        `widths` are fractions of the frame width, `numeric` the columns of figures, whose
        headings align right like the figures (made with `num`)."""
        head = [Para(esc(h), self.styles["head_num" if i in numeric else "head"])
                for i, h in enumerate(header)]
        widths = self._fit_headings(header, widths)
        # A row splits across pages only when a cell is long enough to need it: splitting
        # ordinary rows leaves a stub of a row at the top of the next page.
        huge = any(isinstance(cell, Run) or len(getattr(cell, "text", "")) > HUGE_CELL
                   for row in rows for cell in row)
        table = Table([head, *(list(row) for row in rows)],
                      colWidths=[w * self.width for w in widths], repeatRows=1, splitByRow=1,
                      splitInRow=1 if huge else 0, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *style,
        ]))
        return table

    def _fit_headings(self, header: Sequence[str], widths: Sequence[float]) -> list[float]:
        """Column widths (fractions) widened so that no heading breaks inside a word (a
        translation may be longer), the room taken from the columns that have more than their
        heading needs, in proportion; the widths as given when nothing is short."""
        size = self.styles["head"].fontSize
        need = [(max((stringWidth(word, BOLD, size) for word in h.split()), default=0.0) + 9)
                / self.width for h in header]
        short = sum(max(n - w, 0.0) for n, w in zip(need, widths, strict=True))
        spare = sum(max(w - n, 0.0) for n, w in zip(need, widths, strict=True))
        if short <= 0 or spare < short:
            return list(widths)
        share = short / spare
        return [n if n >= w else w - (w - n) * share for n, w in zip(need, widths, strict=True)]

    def num(self, value: object, style: str = "num") -> Paragraph:
        """A figure in a table cell, aligned right (a count as the language writes it)."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = format_number(value)
        return Para(esc(str(value)), self.styles[style])

    def facts(self, pairs: Sequence[tuple[str, Cell]], label_width: float = 0.24) -> Table:
        """Label and value lines, as at the top of a note."""
        rows = [[Paragraph(esc(label), self.styles["label"]), value] for label, value in pairs]
        table = Table(rows, colWidths=[label_width * self.width, (1 - label_width) * self.width],
                      hAlign="LEFT", splitInRow=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ]))
        return table

    def figures(self, items: Sequence[tuple[str, str]]) -> Table:
        """A band of key figures: a large number over a short label, side by side."""
        big = ParagraphStyle("fig", parent=self.styles["body"], fontName=BOLD, fontSize=18,
                             leading=22, textColor=NAVY, alignment=TA_CENTER, spaceAfter=0)
        small = ParagraphStyle("figl", parent=self.styles["small"], alignment=TA_CENTER)
        row = [[Paragraph(esc(value), big), Paragraph(esc(label), small)] for value, label in items]
        table = Table([row], colWidths=[self.width / len(items)] * len(items), hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]))
        return table
