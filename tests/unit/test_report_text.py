"""Hostile text in a report prints literally or wraps: it never crashes the layout, never
changes the fonts, and never loads a file or makes a link."""

from __future__ import annotations

import io
import string
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from r2pdesk.i18n import speaking
from r2pdesk.reports.base import Marking, Renderer, ReportMeta, esc
from r2pdesk.reports.charts import heat_map, stacked_bars, status_series
from r2pdesk.reports.styles import BOLD, FONT, register_fonts, stylesheet
from r2pdesk.reports.text import (
    MAX_WORD,
    clean,
    fit,
    long_date,
    month_year,
    one_line,
    short_date,
)

HOSTILE = (
    "<font size=60>BIG</font>",
    '<img src="/etc/passwd"/>',
    "<img src='https://example.org/x.png' width=500 height=500/>",
    '<a href="https://example.org/phish">click</a>',
    '<link href="file:///etc/passwd">here</link>',
    "<b>unclosed bold",
    "<i>",
    "</para>",
    "<para>",
    "<br/>",
    "<!-- comment -->",
    "<![CDATA[x]]>",
    "&",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&unknown;",
    "<",
    ">",
    "<<>>",
    "\x00\x01\x07\x1b[31m\x7f\x85",
    "\r\n",
    "\t",
    "\u202eevil\u202c",
    "\ufeff",
    "مرحبا بالعالم",
    "שלום עולם",
    "Здравствуй, мир",
    "Καλημέρα κόσμε",
)
RTL = st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=80)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), max_size=8).map("".join),
    RTL,
    st.text(alphabet=string.printable, max_size=300),
)
PLAIN = st.text(alphabet=string.ascii_letters + string.digits + " .,;:!?&<>'\"=/-()[]#%*+",
                min_size=1, max_size=160).filter(lambda t: t.strip())

register_fonts()
STYLES = stylesheet()


def small_pdf(texts: list[str]) -> bytes:
    """A small document: each text as a paragraph, and as labels of two charts."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, initialFontName=FONT)
    story: list[Flowable] = [Paragraph(esc(t), STYLES["body"]) for t in texts]
    story.append(stacked_bars([(t, [1, 2, 0, 0, 0, 0]) for t in texts], status_series(), 400))
    story.append(heat_map([(t, t) for t in texts[:3]], [(t, [None] * len(texts[:3]))
                                                         for t in texts], 400))
    doc.build(story)
    return buffer.getvalue()


def assert_inert(pdf: bytes) -> None:
    """No link, no image, no external object in the PDF."""
    assert pdf.startswith(b"%PDF")
    for needle in (b"/URI", b"/Link", b"/Annots", b"/Launch", b"/GoToR", b"/XObject",
                   b"/Subtype /Image"):
        assert needle not in pdf, needle


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
@example("<font size=60>" * 50)
@example("\x00" * 100)
def test_any_text_renders_and_loads_nothing(text: str) -> None:
    assert_inert(small_pdf([text]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLAIN)
@example("<font size=60>BIG</font> & <img src='/etc/passwd'/>")
@example('<a href="https://example.org">click</a> &amp; <b>unclosed')
def test_plain_ascii_prints_literally(tmp_path_factory: pytest.TempPathFactory,
                                      text: str) -> None:
    pdf = small_pdf([text])
    assert_inert(pdf)
    assert squeeze(text) in squeeze(pdf_text(pdf, tmp_path_factory.mktemp("pdf")))


@pytest.mark.parametrize("text", HOSTILE[:20])
def test_markup_prints_as_typed(tmp_path: Path, text: str) -> None:
    pdf = small_pdf([f"before {text} after"])
    assert_inert(pdf)
    printed = squeeze(pdf_text(pdf, tmp_path))
    assert squeeze(f"before {clean(text)} after") in printed


def test_right_to_left_text_prints_its_letters(tmp_path: Path) -> None:
    arabic, hebrew = "مرحبا بالعالم", "שלום עולם"
    pdf = small_pdf([arabic, hebrew])
    printed = pdf_text(pdf, tmp_path)
    # Printed in logical order, unshaped (ReportLab has no bidi here), but every letter is there.
    assert set(squeeze(arabic + hebrew)) <= set(printed)


def test_esc_escapes_drops_controls_and_breaks_lines() -> None:
    assert esc("a & b <c> d") == "a &amp; b &lt;c&gt; d"
    assert esc("one\r\ntwo\rthree\nfour") == "one<br/>two<br/>three<br/>four"
    assert esc("tab\there\x00\x1b\x7f\u202e") == "tab\there"
    word = "x" * (MAX_WORD * 3 + 5)
    assert max(len(w) for w in esc(word).split()) == MAX_WORD
    assert one_line("a\nb\tc\x00") == "a b c"
    assert fit("a" * 500, 50, FONT, 8).endswith("…")


@dataclass(frozen=True)
class _Data:
    meta: ReportMeta
    field: str


class _Hostile(Renderer[_Data]):
    """A renderer that prints one field as a paragraph and in a table cell."""

    def _get_story(self, data: _Data) -> list[Flowable]:
        return [self.heading(data.meta.title), self.para(data.field),
                self.table(["Field", "Value"], [[self.cell("huge"), self.cell(data.field)]],
                           [0.2, 0.8])]


@pytest.mark.parametrize("unit", ["lorem <ipsum> & dolor\n", "x" * 97 + "<&>", "سلام עולם "])
def test_a_field_of_100000_characters_wraps_across_pages(tmp_path: Path, unit: str) -> None:
    huge = (unit * (100_000 // len(unit) + 1))[:100_000]
    meta = ReportMeta(huge[:300], "Test", "<font size=60>" + huge[:200], huge[:300],
                      date(2026, 1, 1), Marking.CONFIDENTIAL)
    pdf = _Hostile(_Data(meta, huge)).render()
    assert_inert(pdf)
    printed = pdf_text(pdf, tmp_path)
    assert printed.count("CONFIDENTIAL") > 10
    if unit.isascii():  # pdftotext reorders right-to-left lines, brackets and all
        assert "<font size=60>" in printed


def test_dates_are_written_as_the_report_language_writes_them() -> None:
    day = date(2026, 11, 21)
    assert (long_date(day), short_date(day), month_year(day)) == (
        "21 November 2026", "21 Nov 2026", "Nov 2026")
    with speaking("fr"):  # the day and the month held together in a narrow cell
        assert (long_date(day), short_date(day), month_year(day)) == (
            "21 novembre 2026", "21\u00a0nov. 2026", "nov. 2026")
    with speaking("es"):
        assert long_date(day) == "21 de noviembre de 2026"
        assert short_date(day) == "21\u00a0nov 2026"


def test_table_headings_never_break_inside_a_word() -> None:
    """A longer translation widens its column, taking room from the columns with some to
    spare; the widths as given when every heading fits."""
    meta = ReportMeta("Committee", "Test", "Title", "", date(2026, 1, 1), Marking.RESTRICTED)
    renderer = _Hostile(_Data(meta, ""))
    assert renderer._fit_headings(["Year", "Report"], [0.2, 0.8]) == [0.2, 0.8]
    widths = renderer._fit_headings(["Informe", "En seguimiento", "Aplicadas"], [0.8, 0.09, 0.11])
    word = stringWidth("seguimiento", BOLD, STYLES["head"].fontSize)
    assert widths[1] * renderer.width >= word + 8
    assert widths[0] < 0.8
    assert sum(widths) == pytest.approx(1.0)
