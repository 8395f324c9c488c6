"""The flowables and document machinery the report engine adds to ReportLab's: headings that
feed the contents and the outline, a table of contents laid out in one pass, runs of paragraphs
for long texts, rules, and a canvas that numbers pages "X of Y"."""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Callable
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from r2pdesk.reports.text import one_line


class Heading(Paragraph):
    """A heading that enters the table of contents and the PDF outline."""

    def __init__(self, markup: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(markup, style)
        self.toc_markup = markup  # already escaped: the contents print it as it stands
        self.toc_level = level
        self.toc_key = key


class Para(Paragraph):
    """A paragraph that keeps its lines while the width it is given stays the same.

    A table lays every cell out to size its rows, again for the rest of the table each time it
    splits at the foot of a page, and once more to draw it: the lines depend on the width alone.
    """

    _lines_width: float | None = None  # the width the lines in `blPara` were broken for

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width == self._lines_width and "blPara" in self.__dict__:
            self.width = avail_width
            return avail_width, self.height
        width, height = super().wrap(avail_width, avail_height)
        self._lines_width = avail_width if "blPara" in self.__dict__ else None
        return width, height


class Contents(TableOfContents):
    """A table of contents laid out in one pass, where ReportLab's takes two or more.

    Its entries are known before the layout (every heading is made first, see
    `Renderer.heading`) and their text does not depend on their page: only the dots and the page
    number at the end of each line do, and those are drawn once the document is complete (see
    `numbered_canvas`), exactly as ReportLab draws them. So the document is laid out once, with
    the contents as long as they will be, instead of once with a placeholder and once more.
    """

    def __init__(self, entries: list[tuple[int, str, str]], level_styles: list[PropertySet],
                 **kwargs: Any) -> None:
        super().__init__(levelStyles=level_styles, **kwargs)
        self._lastEntries = [(level, markup, 0, key) for level, markup, key in entries]
        self.pages: dict[str, int] = {}  # heading key -> its page, as the layout places it
        # page -> the entry ends on it: (transform, x, y, level, key, width, height)
        self._ends: dict[int, list[tuple[Any, ...]]] = {}

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size = super().wrap(avail_width, avail_height)

        def end(canvas: Canvas, _kind: str | None, label: str) -> None:
            _page, level, key = label.split(",")
            info = cast("Any", canvas)._curr_tx_info
            self._ends.setdefault(canvas.getPageNumber(), []).append((
                cast("Any", canvas)._currentMatrix, info["cur_x"], info["cur_y"], int(level),
                literal_eval(key), avail_width, avail_height))

        self.canv.setNamedCB("drawTOCEntryEnd", end)  # in place of ReportLab's, which draws now
        return size

    def draw_ends(self, canvas: Canvas, page: int) -> None:
        """Draw the dots and page numbers of the entries that end on this page."""
        for matrix, x, y, level, key, width, height in self._ends.get(page, ()):
            canvas.saveState()
            canvas.transform(*matrix)
            cast("Any", canvas)._curr_tx_info = {"cur_x": x, "cur_y": y}
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            drawPageNumbers(canvas, self.getLevelStyle(level), [(self.pages.get(key, 0), key)],
                            width, height, dot)
            del cast("Any", canvas)._curr_tx_info
            canvas.restoreState()


class DocTemplate(BaseDocTemplate):
    """Reports headings to the table of contents and the outline as they are placed."""

    outline_level = -1
    contents: Contents | None = None

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's hook, once per build pass
        self.outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's hook
        if isinstance(flowable, Heading):
            # The outline cannot skip a level: a subsection before any section sits at the top.
            self.outline_level = min(flowable.toc_level, self.outline_level + 1)
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(one_line(flowable.getPlainText()), flowable.toc_key,
                                      level=self.outline_level)
            if self.contents is not None:
                self.contents.pages[flowable.toc_key] = self.page


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
        # A table splitting a cell passes the column's width, paddings included, having wrapped
        # the cell inside them: at that width the run may seem to fit whole, and a table cannot
        # take one piece back. Lay it out at the width it was wrapped at.
        avail_width = min(avail_width, self.width or avail_width)
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


def numbered_canvas(draw: Callable[[Canvas, int, int], None],
                    contents: Contents | None = None) -> type[Canvas]:
    """A canvas class that holds its pages back until the document is complete, then calls
    `draw(canvas, page, total)` on each, and draws the page numbers of the `contents`: "Page X
    of Y" and a table of contents without laying the document out twice."""

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
                if contents is not None:
                    contents.draw_ends(self, self.getPageNumber())
                super().showPage()
            super().save()

    return NumberedCanvas
