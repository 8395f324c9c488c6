"""Charts drawn with ReportLab's own graphics: stacked bars of statuses, bars of warnings by
severity, and a heat map of the risk factors across assessments.

The colours are the Okabe–Ito palette, which readers with the common colour-vision deficiencies
tell apart, and which survives a grey-scale photocopy better than traffic-light red and green.
No chart relies on colour alone: every bar segment prints its number, every heat-map cell its
level in words, and every chart has a legend in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from r2pdesk.assessments.models import Level
from r2pdesk.assessments.scale import Trend, level_label
from r2pdesk.earlywarning.models import Severity, severity_label
from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.service import status_label
from r2pdesk.reports.styles import BOLD, FONT, INK, MUTED, RULE
from r2pdesk.reports.text import esc, fit, lower_first, one_line

ORANGE = colors.HexColor("#E69F00")
SKY_BLUE = colors.HexColor("#56B4E9")
BLUISH_GREEN = colors.HexColor("#009E73")
YELLOW = colors.HexColor("#F0E442")
BLUE = colors.HexColor("#0072B2")
VERMILLION = colors.HexColor("#D55E00")
REDDISH_PURPLE = colors.HexColor("#CC79A7")
WHITE = colors.white

LEVEL_COLOURS = {
    Level.NOT_PRESENT: BLUISH_GREEN,
    Level.LOW: SKY_BLUE,
    Level.MODERATE: YELLOW,
    Level.HIGH: ORANGE,
    Level.SEVERE: VERMILLION,
}
SEVERITY_COLOURS = {
    Severity.LOW: SKY_BLUE,
    Severity.MODERATE: YELLOW,
    Severity.HIGH: ORANGE,
    Severity.CRITICAL: VERMILLION,
}
STATUS_COLOURS = {
    RecStatus.NOT_STARTED: YELLOW,
    RecStatus.IN_PROGRESS: BLUE,
    RecStatus.PARTIALLY_IMPLEMENTED: SKY_BLUE,
    RecStatus.IMPLEMENTED: BLUISH_GREEN,
    RecStatus.NOT_IMPLEMENTED: VERMILLION,
    RecStatus.NOT_APPLICABLE: REDDISH_PURPLE,
}
TREND_SIGNS = {Trend.WORSE: "▲ ", Trend.BETTER: "▼ ", Trend.SAME: "= ", Trend.NEW: ""}
WITHHELD = colors.HexColor("#D9DDE3")


def trend_word(trend: Trend) -> str:
    """How a level moved, as a heat map and a table print it: "▲ worse", in the language in use."""
    word = {
        Trend.WORSE: tr("worse", context="trend"),
        Trend.BETTER: tr("better", context="trend"),
        Trend.SAME: tr("same", context="trend"),
        Trend.NEW: tr("new", context="trend"),
    }[trend]
    return TREND_SIGNS[trend] + word


def _drawing(width: float, height: float) -> Drawing:
    # Else ReportLab starts every drawing in Helvetica, a font the PDF would not embed.
    return Drawing(width, height, initialFontName=FONT)


def _rect(
    box: tuple[float, float, float, float], fill: colors.Color, stroke: colors.Color,
    stroke_width: float,
) -> Rect:
    rect = Rect(*box)  # styled after: the stubs cannot type Rect's keyword arguments
    rect.fillColor, rect.strokeColor, rect.strokeWidth = fill, stroke, stroke_width
    return rect


def ink_on(fill: colors.Color) -> colors.Color:
    """Black or white, whichever reads better on a fill."""
    luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
    return INK if luminance > 0.45 else WHITE


@dataclass(frozen=True)
class Series:
    """One kind of segment in a stacked bar: its name and colour."""

    label: str
    colour: colors.Color


def status_series() -> tuple[Series, ...]:
    """The recommendation statuses, in their order."""
    return tuple(Series(status_label(s), STATUS_COLOURS[s]) for s in RecStatus)


def _legend(drawing: Drawing, items: Sequence[Series], width: float, top: float) -> None:
    """Swatches with their words, flowing left to right under a chart."""
    x, y = 0.0, top - 9
    for item in items:
        span = 13 + stringWidth(item.label, FONT, 7) + 12
        if x + span > width and x > 0:
            x, y = 0.0, y - 12
        drawing.add(_rect((x, y, 9, 7), item.colour, MUTED, 0.3))
        drawing.add(String(x + 13, y + 0.5, item.label, fontName=FONT, fontSize=7,
                           fillColor=INK))
        x += span


def _legend_height(items: Sequence[Series], width: float) -> float:
    x, lines = 0.0, 1
    for item in items:
        span = 13 + stringWidth(item.label, FONT, 7) + 12
        if x + span > width and x > 0:
            x, lines = 0.0, lines + 1
        x += span
    return 12.0 * lines + 4


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series], width: float,
    *, bar: float = 11, gap: float = 5,
) -> Drawing:
    """Horizontal bars, one per row, split into segments by series; each segment prints its
    count where it fits, each bar its total."""
    labels = [fit(label, width * 0.38, FONT, 7.5) for label, _ in rows]
    label_w = max((stringWidth(x, FONT, 7.5) for x in labels), default=0) + 8
    plot = width - label_w - 26
    most = max((sum(values) for _, values in rows), default=0) or 1
    legend = _legend_height(series, width)
    height = len(rows) * (bar + gap) + legend + 6
    drawing = _drawing(width, height)
    for index, (label, (_, values)) in enumerate(zip(labels, rows, strict=True)):
        y = height - (index + 1) * (bar + gap)
        drawing.add(String(label_w - 6, y + 3, label, fontName=FONT, fontSize=7.5,
                           fillColor=INK, textAnchor="end"))
        x = label_w
        for value, kind in zip(values, series, strict=True):
            if not value:
                continue
            span = plot * value / most
            drawing.add(_rect((x, y, span, bar), kind.colour, WHITE, 0.6))
            text = format_number(value)
            if stringWidth(text, BOLD, 7) + 3 <= span:
                drawing.add(String(x + span / 2, y + 3, text, fontName=BOLD, fontSize=7,
                                   fillColor=ink_on(kind.colour), textAnchor="middle"))
            x += span
        drawing.add(String(x + 4, y + 3, format_number(sum(values)), fontName=FONT, fontSize=7,
                           fillColor=MUTED))
    drawing.add(Line(label_w, legend + 2, label_w, height, strokeColor=RULE, strokeWidth=0.6))
    _legend(drawing, series, width, legend)
    return drawing


def count_bars(items: Sequence[tuple[str, int, colors.Color]], width: float) -> Drawing:
    """Horizontal bars of counts, each named on its left and numbered at its end."""
    bar, gap = 13.0, 6.0
    label_w = max((stringWidth(label, FONT, 8) for label, _, _ in items), default=0) + 10
    plot = width - label_w - 30
    most = max((n for _, n, _ in items), default=0) or 1
    height = len(items) * (bar + gap) + 2
    drawing = _drawing(width, height)
    for index, (label, count, colour) in enumerate(items):
        y = height - (index + 1) * (bar + gap)
        drawing.add(String(label_w - 6, y + 3.5, label, fontName=FONT, fontSize=8,
                           fillColor=INK, textAnchor="end"))
        span = plot * count / most
        if count:
            drawing.add(_rect((label_w, y, span, bar), colour, MUTED, 0.3))
        drawing.add(String(label_w + span + 4, y + 3.5, format_number(count), fontName=BOLD,
                           fontSize=8,
                           fillColor=INK))
    drawing.add(Line(label_w, 0, label_w, height, strokeColor=RULE, strokeWidth=0.6))
    return drawing


def level_legend() -> tuple[Series, ...]:
    """The risk levels in their order, and what a withheld cell looks like."""
    return (*(Series(level_label(level), LEVEL_COLOURS[level]) for level in LEVEL_COLOURS),
            Series(tr("Withheld (confidential)"), WITHHELD))


def _cell(drawing: Drawing, box: tuple[float, float, float, float], level: Level | None) -> None:
    x, y, w, h = box
    if level is None:
        fill, text, ink, font = WITHHELD, tr("withheld", context="rating"), MUTED, FONT
    elif level is Level.NOT_ASSESSED:
        fill, text, ink, font = WHITE, lower_first(level_label(level)), MUTED, FONT
    else:
        fill = LEVEL_COLOURS[level]
        text, ink, font = level_label(level), ink_on(fill), BOLD
    drawing.add(_rect(box, fill, WHITE, 1.2))
    drawing.add(String(x + w / 2, y + h / 2 - 2.4, fit(text, w - 4, font, 6.8), fontName=font,
                       fontSize=6.8, fillColor=ink, textAnchor="middle"))


def heat_map(
    columns: Sequence[tuple[str, str]], rows: Sequence[tuple[str, Sequence[Level | None]]],
    width: float, *, trends: Sequence[Trend | None] | None = None,
) -> Drawing:
    """Risk factors (rows) across assessments (columns, each a period over a status), every
    cell its level in words; with `trends`, a last column says how each factor moved."""
    row_h, head_h = 15.0, 24.0
    if trends is not None and all(t is None for t in trends):
        trends = None  # nothing to compare with: no empty column
    trend_head = tr("Trend")
    trend_w = 0.0
    if trends is not None:  # as wide as its longest word: languages differ
        trend_w = max(56.0, stringWidth(trend_head, BOLD, 6.8) + 12,
                      *(stringWidth(trend_word(t), BOLD, 7) + 12 for t in Trend))
    count = max(len(columns), 1)
    cell_w = min(78.0, (width * 0.6 - trend_w) / count)
    longest = max((stringWidth(one_line(label), FONT, 7.2) for label, _ in rows), default=0)
    label_w = min(width - trend_w - count * cell_w, longest + 12)
    legend = _legend_height(level_legend(), width)
    height = head_h + len(rows) * row_h + legend + 8
    drawing = _drawing(width, height)
    top = height - head_h
    for index, (period, status) in enumerate(columns):
        x = label_w + index * cell_w + cell_w / 2
        drawing.add(String(x, top + 12, fit(period, cell_w - 2, BOLD, 6.8), fontName=BOLD,
                           fontSize=6.8, fillColor=INK, textAnchor="middle"))
        drawing.add(String(x, top + 3, fit(status, cell_w - 2, FONT, 6.5), fontName=FONT,
                           fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    if trends is not None:
        drawing.add(String(label_w + len(columns) * cell_w + 8, top + 3, trend_head,
                           fontName=BOLD, fontSize=6.8, fillColor=INK))
    for r, (label, levels) in enumerate(rows):
        y = top - (r + 1) * row_h
        drawing.add(String(0, y + row_h / 2 - 2.6, fit(label, label_w - 6, FONT, 7.2),
                           fontName=FONT, fontSize=7.2, fillColor=INK))
        for c, level in enumerate(levels):
            _cell(drawing, (label_w + c * cell_w, y, cell_w, row_h), level)
        if trends is not None and trends[r] is not None:
            moved = trends[r]
            assert moved is not None
            drawing.add(String(label_w + len(columns) * cell_w + 8, y + row_h / 2 - 2.6,
                               trend_word(moved), fontName=BOLD if moved is Trend.WORSE
                               else FONT, fontSize=7, fillColor=INK))
    drawing.add(Line(0, top - len(rows) * row_h, label_w + len(columns) * cell_w + trend_w,
                     top - len(rows) * row_h, strokeColor=RULE, strokeWidth=0.6))
    _legend(drawing, level_legend(), width, legend)
    return drawing


# --- the same colours in table cells, always beside their word ----------------------------------


def chip(colour: colors.Color, label: str) -> str:
    """Paragraph markup: a coloured square, then the label (escaped)."""
    return f'<font color="#{colour.hexval()[2:]}">■</font> {esc(label)}'


def status_chip(status: RecStatus) -> str:
    """A recommendation status as markup."""
    return chip(STATUS_COLOURS[status], status_label(status))


def level_chip(level: Level | None) -> str:
    """A risk level as markup; None is a withheld rating."""
    if level is None:
        return chip(WITHHELD, tr("Withheld"))
    if level is Level.NOT_ASSESSED:
        return esc(level_label(level))
    return chip(LEVEL_COLOURS[level], level_label(level))


def severity_chip(severity: Severity | None) -> str:
    """A warning's severity as markup."""
    if severity is None:
        return esc(tr("No severity set"))
    return chip(SEVERITY_COLOURS[severity], severity_label(severity))
