"""The flowables and document machinery the report engine adds to ReportLab's: headings that
feed the contents and the outline, runs of paragraphs for long texts, rules, and a canvas that
numbers pages "X of Y"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph

from r2pdesk.reports.text import one_line


class Heading(Paragraph):
    """A heading that enters the table of contents and the PDF outline."""

    def __init__(self, markup: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(markup, style)
        self.toc_markup = markup  # already escaped: the contents print it as it stands
        self.toc_level = level
        self.toc_key = key


class DocTemplate(BaseDocTemplate):
    """Reports headings to the table of contents and the outline as they are placed."""

    outline_level = -1

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's hook, once per build pass
        self.outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's hook
        if isinstance(flowable, Heading):
            # The outline cannot skip a level: a subsection before any section sits at the top.
            self.outline_level = min(flowable.toc_level, self.outline_level + 1)
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(one_line(flowable.getPlainText()), flowable.toc_key,
                                      level=self.outline_level)
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_markup, self.page,
                                     flowable.toc_key))


class Run(Flowable):
    """The paragraphs of one long text, placed as one flowable until they must split.

    ReportLab splits one long paragraph page after page in quadratic time (each split wraps the
    whole rest again), and a table re-wraps a long cell on every page it spans. A run keeps the
    height of each of its short paragraphs, so both cost linear time. A run splits into two
    runs, which a frame and a table cell (`splitInRow`) both accept.
    """

    def __init__(self, parts: list[Flowable],
                 heights: dict[tuple[Flowable, float], float] | None = None) -> None:
        super().__init__()
        self.parts = parts
        # (part, width) -> height; the part itself is the key (an id could be reused once the
        # part is gone), shared with the runs this one splits into.
        self.heights = {} if heights is None else heights

    def _height(self, part: Flowable, width: float) -> float:
        key = (part, width)
        if key not in self.heights:
            self.heights[key] = part.wrap(width, 1e9)[1]
        return self.heights[key]

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        gaps = sum(p.getSpaceAfter() for p in self.parts[:-1])
        gaps += sum(p.getSpaceBefore() for p in self.parts[1:])
        self.width = avail_width
        self.height = sum(self._height(p, avail_width) for p in self.parts) + gaps
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """What fits here (whole paragraphs, then the first half of the next), and the rest."""
        head: list[Flowable] = []
        used = 0.0
        for index, part in enumerate(self.parts):
            gap = part.getSpaceBefore() if head else 0.0
            height = self._height(part, avail_width)
            if used + gap + height <= avail_height:
                head.append(part)
                used += gap + height + part.getSpaceAfter()
                continue
            room = avail_height - used - gap
            part.wrap(avail_width, room)
            pieces = part.split(avail_width, room) if room > 0 else []
            if pieces:
                head.append(pieces[0])
            rest = [*pieces[1:], *self.parts[index + 1:]] if pieces else self.parts[index:]
            break
        else:
            return [self]
        if not head:
            return []
        return [self._one(head), self._one(rest)]

    def _one(self, parts: list[Flowable]) -> Flowable:
        return Run(parts, self.heights)

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return float(self.parts[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return float(self.parts[-1].getSpaceAfter())

    def draw(self) -> None:
        y = self.height
        for index, part in enumerate(self.parts):
            if index:
                y -= part.getSpaceBefore()
            height = part.wrap(self.width, 1e9)[1]  # again: drawing uses the last wrap's lines
            y -= height
            part.drawOn(self.canv, 0, y)
            y -= part.getSpaceAfter()


def stack(parts: list[Flowable]) -> Flowable:
    """One flowable for several: the paragraph itself, or a run of them."""
    return parts[0] if len(parts) == 1 else Run(parts)


class Rule(Flowable):
    """A horizontal rule of a given thickness and colour."""

    def __init__(self, width: float, thickness: float, colour: colors.Color) -> None:
        super().__init__()
        self.width, self.thickness, self.colour = width, thickness, colour

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.thickness

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


def numbered_canvas(draw: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas class that holds its pages back until the document is complete, then calls
    `draw(canvas, page, total)` on each: "Page X of Y" without laying the document out twice."""

    class NumberedCanvas(Canvas):
        """Keeps each finished page's state, numbers them all when the document is saved."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            cast("Any", self)._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw(self, self.getPageNumber(), total)
                super().showPage()
            super().save()

    return NumberedCanvas
