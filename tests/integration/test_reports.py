"""Every report generated from the demo: page furniture on every page, fonts embedded, PNG pages
to look at, and what redaction leaves out."""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from r2pdesk.earlywarning.models import EarlyWarning, WarningStatus
from r2pdesk.errors import InputError
from r2pdesk.recommendations.service import RecommendationInput, create_recommendation
from r2pdesk.reports import REPORTS, Marking, generate
from r2pdesk.sources.models import Confidentiality, Source
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir

HOSTILE = "<font size=60>HUGE</font> & <img src='/etc/passwd'/> <a href='https://example.org'>x"


def pages(pdf: Path) -> list[str]:
    """The text of each page."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1]


def fonts(pdf: Path) -> list[list[str]]:
    """The rows of `pdffonts`: name, type, encoding, emb, sub, uni, object, generation."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@dataclass(frozen=True)
class _Warning:
    id: uuid.UUID
    reference: str
    title: str


def _warning(store: Store, *, confidential: bool) -> _Warning:
    """The latest issued warning, confidential or not."""
    with store.reader() as session:
        found = session.execute(
            select(EarlyWarning.id, EarlyWarning.reference, EarlyWarning.title)
            .where(EarlyWarning.confidential.is_(confidential),
                   EarlyWarning.status != WarningStatus.DRAFT)
            .order_by(EarlyWarning.reference.desc())
        ).first()
        assert found is not None
        return _Warning(*found)


def _options(store: Store, kind: str) -> dict[str, str]:
    if kind == "ministry-brief":
        return {"institution": "Ministry of the Interior"}
    if kind == "warning-note":
        return {"record_id": _warning(store, confidential=False).reference}
    return {}


def _write(store: Store, kind: str, name: str, **options: object) -> Path:
    with store.reader() as session:
        pdf = generate(session, kind, today=DEMO_TODAY, **options)  # type: ignore[arg-type]
    path = output_dir("reports", kind) / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_report_from_the_demo(demo_store: Store, kind: str) -> None:
    path = _write(demo_store, kind, kind, **_options(demo_store, kind))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/URI" not in data
    texts = pages(path)
    total = len(texts)
    assert total >= (1 if kind == "warning-note" else 3)
    if kind == "warning-note":
        assert total <= 2, "a warning note fits on one or two pages"
    for number, text in enumerate(texts, start=1):
        assert text.count("RESTRICTED") >= 2, f"page {number}: the marking at top and bottom"
        assert f"Page {number} of {total}" in text, f"page {number}"
        assert "CONFIDENTIAL" not in text
    rows = fonts(path)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows  # the `emb` column
    assert {row[0].split("+")[-1] for row in rows} <= {
        "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}
    folder = output_dir("reports", kind)
    for old in folder.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(folder / "page")],
                   check=True, timeout=120)
    assert len(list(folder.glob("page-*.png"))) == total


def test_long_reports_have_contents(demo_store: Store) -> None:
    for kind in ("implementation", "assessment"):
        first = pages(_write(demo_store, kind, f"{kind}-contents"))[1]
        assert "Contents" in first
        assert re.search(r"Summary\s*\.[ .]*\d", first), first


def test_the_marking_asked_for_is_printed(demo_store: Store) -> None:
    path = _write(demo_store, "regional-brief", "public", marking=Marking.PUBLIC)
    assert all(text.count("PUBLIC") >= 2 for text in pages(path))


def test_a_confidential_warning_is_refused_unless_asked(demo_store: Store) -> None:
    warning = _warning(demo_store, confidential=True)
    with demo_store.reader() as session, pytest.raises(InputError, match="confidential"):
        generate(session, "warning-note", today=DEMO_TODAY, record_id=warning.reference)
    path = _write(demo_store, "warning-note", "confidential", record_id=str(warning.id),
                  include_confidential=True, marking=Marking.PUBLIC)
    texts = pages(path)
    assert all(text.count("CONFIDENTIAL") >= 2 for text in texts)
    assert warning.title.split()[0] in " ".join(texts)


def _informant(store: Store) -> tuple[str, str]:
    with store.reader() as session:
        found = session.execute(select(Source.title, Source.identity).where(
            Source.confidentiality == Confidentiality.CONFIDENTIAL)).first()
        assert found is not None
        return found[0], found[1]


@pytest.mark.parametrize(("kind", "options"), [
    ("ministry-brief", {"institution": "MOI"}),
    ("assessment", {}),
    ("regional-brief", {}),
])
def test_confidential_records_only_with_the_option(
    demo_store: Store, kind: str, options: dict[str, str]
) -> None:
    warning = _warning(demo_store, confidential=True)
    informant, identity = _informant(demo_store)
    plain = " ".join(pages(_write(demo_store, kind, f"{kind}-redacted", **options)))
    full_pages = pages(_write(demo_store, kind, f"{kind}-full", include_confidential=True,
                              **options))
    full = " ".join(full_pages)
    squeeze = "".join
    assert squeeze(warning.title.split()) not in squeeze(plain.split())
    assert squeeze(informant.split()) not in squeeze(plain.split())
    assert "RESTRICTED" in plain
    assert all(text.count("CONFIDENTIAL") >= 2 for text in full_pages)
    if kind == "ministry-brief":
        assert squeeze(warning.title.split()) in squeeze(full.split())
    if kind == "assessment":
        assert squeeze(informant.split()) in squeeze(full.split())
        assert "Withheld" in plain
    for text in (plain, full):  # who an informant is never prints
        assert squeeze(identity.split()[:4]) not in squeeze(text.split())


def test_hostile_text_in_the_database_prints_literally(demo_store: Store) -> None:
    with demo_store.session() as session:
        create_recommendation(session, RecommendationInput(
            text=HOSTILE + "\n" + "a" * 400, made_on=DEMO_TODAY, due_on=DEMO_TODAY),
            uuid.uuid4())
    path = _write(demo_store, "implementation", "hostile")
    assert b"/URI" not in path.read_bytes()
    assert b"/Subtype /Image" not in path.read_bytes()
    text = "".join(" ".join(pages(path)).split())
    assert "".join(HOSTILE.split()) in text  # in its own table cell, the text reads on


@pytest.mark.parametrize(("kind", "options", "needle"), [
    ("ministry-brief", {}, "institution"),
    ("ministry-brief", {"institution": "Ministry of Magic"}, "no institution"),
    ("warning-note", {}, "warning"),
    ("warning-note", {"record_id": "EW-1999-999"}, "no warning"),
    ("assessment", {"record_id": "not-an-id"}, "no assessment"),
    ("assessment", {"record_id": str(uuid.uuid4())}, "no assessment"),
    ("sitrep", {}, "no report"),
])
def test_refusals_name_what_is_missing(
    demo_store: Store, kind: str, options: dict[str, str], needle: str
) -> None:
    with demo_store.reader() as session, pytest.raises(InputError, match=needle):
        generate(session, kind, today=DEMO_TODAY, **options)  # type: ignore[arg-type]
