"""Reports printed in French and Spanish from the demo, with page images to look at; Arabic, which
ReportLab cannot shape, prints in English.

The expected texts are read from the catalogue with `tr` in the report's language, so the tests
follow the translations; a few are written out ("Rapport", "Página 1 de") to prove that the
report is translated at all and not English text found again in English.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from r2pdesk.i18n import SOURCE_LANGUAGE, set_language, speaking, tr
from r2pdesk.reports import generate
from r2pdesk.reports.base import QUOTED_BOTH, QUOTED_SG_REPORTS, Marking, marking_label
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir

KINDS: dict[str, dict[str, str]] = {
    "implementation": {},
    "ministry-brief": {"institution": "Ministry of the Interior"},
}
# The report's kind on its cover, the first heading, and the page footer, written out.
WRITTEN_OUT = {
    ("fr", "implementation"): ("Rapport", "Résumé", "Page 1 sur"),
    ("es", "implementation"): ("Informe", "Resumen", "Página 1 de"),
    ("fr", "ministry-brief"): ("NOTE D'INFORMATION", "Vue d'ensemble", "Page 1 sur"),
    ("es", "ministry-brief"): ("NOTA INFORMATIVA", "Panorama general", "Página 1 de"),
}
LONG_DATE = {"fr": "21 novembre 2026", "es": "21 de noviembre de 2026", "en": "21 November 2026"}


@pytest.fixture(autouse=True)
def _english_again() -> Iterator[None]:
    """Each test chooses a language; English again after it, whatever happened."""
    yield
    set_language(SOURCE_LANGUAGE)


def squeeze(text: str) -> str:
    """Text without its white space: pdftotext breaks lines where the layout does."""
    return "".join(text.split())


def pages(pdf: Path) -> list[str]:
    """The text of each page."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1]


def page_images(pdf: Path, code: str, kind: str) -> list[Path]:
    """Each page as test-output/reports/lang/<code>-<kind>-p<N>.png."""
    folder = output_dir("reports", "lang")
    for old in folder.glob(f"{code}-{kind}-p*.png"):
        old.unlink()
    prefix = folder / f".{code}-{kind}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(prefix)], check=True,
                   timeout=120)
    made = []
    for image in folder.glob(f".{code}-{kind}-*.png"):
        found = re.search(r"-(\d+)\.png$", image.name)
        assert found is not None, image
        made.append(image.rename(folder / f"{code}-{kind}-p{int(found.group(1))}.png"))
    return sorted(made)


def _report(store: Store, code: str, kind: str) -> Path:
    set_language(code)
    with store.reader() as session:
        pdf = generate(session, kind, today=DEMO_TODAY, **KINDS[kind])  # type: ignore[arg-type]
    path = output_dir("reports", "lang") / f"{code}-{kind}.pdf"
    path.write_bytes(pdf)
    return path


def _headings(kind: str) -> list[str]:
    """The headings a report prints, in the language in use."""
    if kind == "implementation":
        return [tr("Implementation status report").upper(), tr("Contents"), tr("Summary"),
                tr("Status by report"), tr("Status by target"), tr("Overdue recommendations"),
                tr("Recommendations by report"), tr("Other national recommendations"),
                tr("Share implemented"), tr("In catalogue"), tr(QUOTED_SG_REPORTS)]
    return [tr("Ministry brief").upper(), tr("At a glance"),
            tr("Early warnings awaiting your response"), tr("Recommendations to implement"),
            tr("Risk summary"), tr("Recommendation and latest progress"), tr(QUOTED_BOTH)]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("code", ["fr", "es"])
def test_reports_in_french_and_spanish(demo_store: Store, code: str, kind: str) -> None:
    path = _report(demo_store, code, kind)
    texts = pages(path)
    total = len(texts)
    assert total >= 3
    whole = squeeze(" ".join(texts))
    with speaking(code):
        expected = _headings(kind)
        marking = marking_label(Marking.RESTRICTED)
        footer = [tr("Page {page} of {total}").format(page=n, total=total)
                  for n in range(1, total + 1)]
    for text in expected:
        assert squeeze(text) in whole, text
    for number, text in enumerate(texts, start=1):
        assert squeeze(footer[number - 1]) in squeeze(text), f"page {number}"
        assert squeeze(text).count(squeeze(marking)) >= 2, f"page {number}: marking top and bottom"
    assert LONG_DATE[code] in " ".join(texts)  # dates as the language writes them (Babel)
    for text in WRITTEN_OUT[code, kind]:  # translated indeed: these need the catalogue
        assert squeeze(text) in whole, text
    assert "Page 1 of" not in texts[0]
    images = page_images(path, code, kind)
    assert len(images) == total


def test_arabic_reports_print_in_english(demo_store: Store) -> None:
    """ReportLab neither shapes Arabic letters nor orders right-to-left text: a report asked for
    in Arabic is the English one."""
    path = _report(demo_store, "ar", "implementation")
    texts = pages(path)
    whole = squeeze(" ".join(texts))
    for text in ("IMPLEMENTATION STATUS REPORT", "Contents", "Summary", "Status by report"):
        assert squeeze(text) in whole, text
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert texts[0].count("RESTRICTED") >= 2
    assert LONG_DATE["en"] in texts[0]
    assert squeeze(QUOTED_SG_REPORTS) not in whole  # an English report quotes English as is
    assert not re.search("[\u0600-\u06ff]", " ".join(texts))  # no Arabic letter printed
    assert len(page_images(path, "ar", "implementation")) == len(texts)
