"""Reading an exchange workbook back, defensively: limits checked before and while reading, every
problem of a row noted with its sheet, row and column, nothing written.

A file that cannot be an exchange workbook (not an .xlsx, cut short, corrupted, too large, XML
with entity declarations, its hidden sheet changed) is refused as a whole with one sentence
saying why (`ExchangeFileError`). Within a good file, a row with a problem is left out and each
of its problems listed; the other rows are read.

What people do to a workbook is taken in stride: rows sorted or filtered, blank rows, columns
moved or added (columns are found by their header), dates typed as text, trailing spaces, a
choice typed in another case or as its stored value.

`read_exchange` takes an optional `progress(rows read, rows)` callback, called every few hundred
rows; what it raises (a cancel) stops the reading there.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from r2pdesk.errors import KnownError
from r2pdesk.exchange.models import ExportKind
from r2pdesk.exchange.sheets import FORMAT, META_SHEET, SHEETS, Column, Kind, Sheet
from r2pdesk.exchange.values import (
    CellError,
    Plain,
    cell_text,
    choice_key,
    normal_text,
    read_choice,
    read_date,
    read_flag,
    read_id,
)

MAX_FILE_BYTES = 16 * 2**20
MAX_UNPACKED_BYTES = 64 * 2**20
MAX_MEMBERS = 500
MAX_ROWS = 20_000  # rows scanned per sheet, blank ones included
MAX_COLUMNS = 60
PROGRESS_ROWS = 250  # rows read between two calls of the progress callback
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an .xls file, or an .xlsx encrypted with a password
NEEDED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")

# What openpyxl, zipfile and the XML parser raise on a damaged file (openpyxl says "no valid
# workbook part" with an OSError). defusedxml's refusals of entity and DTD declarations are
# ValueErrors, told apart by their module.
_DAMAGED = (
    zipfile.BadZipFile, zlib.error, KeyError, IndexError, ValueError, TypeError, AttributeError,
    ParseError, EOFError, NotImplementedError, OverflowError, InvalidFileException, OSError,
)


class ExchangeFileError(KnownError):
    """The file is not read at all; the message says why in one sentence."""


@dataclass(frozen=True)
class Issue:
    """One problem of a row, and where: the column as its header is written in the file."""

    sheet: str
    row: int
    column: str
    message: str

    def as_json(self) -> dict[str, object]:
        """The object `import-xlsx --json` lists under `rejected`."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}

    def __str__(self) -> str:
        where = f"Sheet '{self.sheet}', row {self.row}"
        return f"{where}, column '{self.column}': {self.message}" if self.column else (
            f"{where}: {self.message}")


@dataclass(frozen=True)
class Meta:
    """What the hidden sheet says of the export."""

    export_id: uuid.UUID
    kind: ExportKind
    exported_at: datetime
    institution_id: uuid.UUID | None
    author: str
    device: str


@dataclass(frozen=True)
class BaseRecord:
    """A record as it was exported: the base of the three-way merge."""

    sheet: str
    record_id: uuid.UUID
    revision: int
    values: dict[str, Plain]


@dataclass(frozen=True)
class ParsedRow:
    """A row read without a problem: the values of the sheet's columns found in the file."""

    sheet: Sheet
    number: int
    record_id: uuid.UUID
    values: dict[str, Plain]
    headers: dict[str, str]  # key -> header as the file writes it
    digest: str

    def issue(self, key: str, message: str) -> Issue:
        """A problem of this row found later, against one of its columns ("" for the row)."""
        return Issue(self.sheet.title, self.number, self.headers.get(key, ""), message)


@dataclass(frozen=True)
class ParsedWorkbook:
    """Everything read from a workbook; rows with a problem are in `issues`, not in `rows`."""

    file_name: str
    meta: Meta
    bases: dict[tuple[str, uuid.UUID], BaseRecord]
    rows: tuple[ParsedRow, ...]
    issues: tuple[Issue, ...]


# --- the file ---------------------------------------------------------------------------------


def _refuse(path: Path, why: str) -> ExchangeFileError:
    return ExchangeFileError(f"{path.name} was not imported: {why}")


_DAMAGED_WHY = ("it is damaged or incomplete (perhaps cut short when it was sent); ask for it "
                "again, or open it in Excel or LibreOffice and save it again.")


def _check_zip(path: Path) -> None:
    """Refuse what is not an .xlsx, or would unpack too large, before openpyxl reads it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(len(ZIP_MAGIC))
    except OSError as exc:
        raise ExchangeFileError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"it is {size / 2**20:.0f} MB, and r2pdesk reads exchange "
                            f"workbooks of at most {MAX_FILE_BYTES // 2**20} MB.")
    if magic == OLE_MAGIC:
        raise _refuse(path, "it is an older Excel file (.xls) or protected by a password; "
                            "save it as an Excel workbook (.xlsx) without a password.")
    if magic != ZIP_MAGIC:
        raise _refuse(path, "it is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except _DAMAGED as exc:
        raise _refuse(path, _DAMAGED_WHY) from exc
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS or any(n not in names for n in NEEDED_MEMBERS):
        raise _refuse(path, "it is a zip file but not an Excel workbook (.xlsx).")
    if any(m.flag_bits & 0x1 for m in members):
        raise _refuse(path, "parts of it are encrypted; save it without a password.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(path, f"it would unpack to {unpacked / 2**20:.0f} MB, more than the "
                            f"{MAX_UNPACKED_BYTES // 2**20} MB of an ordinary workbook.")


def _entities(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML, here or in what led to it (openpyxl wraps it)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _explain(path: Path, exc: BaseException) -> ExchangeFileError:
    if _entities(exc):
        return _refuse(path, "it holds XML with entity or DTD declarations, which r2pdesk "
                             "refuses to read; Excel and LibreOffice never write them.")
    if isinstance(exc, InvalidFileException):
        return _refuse(path, "it is not an Excel workbook (.xlsx).")
    return _refuse(path, _DAMAGED_WHY)


class _Counter:
    """Counts the rows read in a workbook and tells `progress` every PROGRESS_ROWS of them."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def row(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_ROWS == 0:
            self.total = max(self.total, self.done)
            self.progress(self.done, self.total)


def _rows(path: Path, sheet: Any, title: str,
          counter: _Counter | None = None) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows, at most MAX_ROWS of them, damage reported as such."""
    rows = iter(sheet.iter_rows(max_col=MAX_COLUMNS))
    count = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except _DAMAGED as exc:
            raise _explain(path, exc) from exc
        count += 1
        if count > MAX_ROWS:
            raise _refuse(path, f"its sheet '{title}' goes on past row {MAX_ROWS:,}, more than "
                                "r2pdesk reads; delete the rows below the data or split the file.")
        if counter is not None:
            counter.row()
        yield cells


# --- the hidden sheet -------------------------------------------------------------------------


def _meta(path: Path, rows: Iterable[tuple[Any, ...]]) -> tuple[
    Meta, dict[tuple[str, uuid.UUID], BaseRecord]
]:
    values: dict[str, str] = {}
    bases: dict[tuple[str, uuid.UUID], BaseRecord] = {}
    in_bases = False
    try:
        for cells in rows:
            # rows come padded with empty cells to MAX_COLUMNS: most of them are None
            texts = ["" if v is None else cell_text(v) for v in [c.value for c in cells]]
            while texts and not texts[-1]:
                texts.pop()
            if not texts:
                continue
            if texts[0] == "sheet" and not in_bases:
                in_bases = True
            elif in_bases:
                base = BaseRecord(texts[0], uuid.UUID(texts[1]), int(texts[2]),
                                  json.loads("".join(texts[3:])))
                if not isinstance(base.values, dict):
                    raise TypeError("base is not an object")
                bases[base.sheet, base.record_id] = base
            else:
                values[texts[0]] = texts[1] if len(texts) > 1 else ""
        if values.get("format") != FORMAT:
            raise ValueError("not our format")
        meta = Meta(
            export_id=uuid.UUID(values["export_id"]),
            kind=ExportKind(values["kind"]),
            exported_at=datetime.fromisoformat(values["exported_at"]),
            institution_id=uuid.UUID(values["institution_id"]) if values.get(
                "institution_id") else None,
            author=values.get("author", ""),
            device=values.get("device", ""),
        )
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise _refuse(path, f"its hidden sheet '{META_SHEET}' was changed or damaged, so what "
                            "was exported is not known; ask for a fresh export.") from exc
    if meta.kind is ExportKind.FOCAL_POINT and meta.institution_id is None:
        raise _refuse(path, f"its hidden sheet '{META_SHEET}' names no institution.")
    return meta, bases


# --- the sheets -------------------------------------------------------------------------------


def _read_cell(column: Column, cell: Any) -> Plain:
    """A cell in its column's plain form; CellError says what is wrong."""
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        raise CellError(f"a formula ({cell_text(value)}): r2pdesk reads values only; type "
                        "the value itself.")
    if getattr(cell, "data_type", None) == "e":
        raise CellError(f"an error value ({cell_text(value)}); type the value itself.")
    return read_value(column, value)


def read_value(column: Column, value: object) -> Plain:
    """A value typed or read for a column, in its plain form; CellError says what is wrong."""
    if column.kind is Kind.DATE:
        day = read_date(value)
        return None if day is None else day.isoformat()
    if column.kind is Kind.FLAG and isinstance(value, bool):
        return value
    text = cell_text(value)
    if column.kind is Kind.CHOICE:
        return read_choice(text, column.labels)
    if column.kind is Kind.FLAG:
        return read_flag(text)
    if column.kind is Kind.ID:
        return read_id(text)
    if len(normal_text(text)) > column.limit:
        raise CellError(f"longer than {column.limit:,} characters.")
    return text


def _header(sheet: Sheet, number: int, cells: tuple[Any, ...], issues: list[Issue]) -> dict[
    str, int
] | None:
    """Which position holds which column; None when the ID column is missing."""
    wanted = {choice_key(c.header): c for c in sheet.columns} | {"id": sheet.column("id")}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = wanted.get(choice_key(cell_text(cell.value)))
        if column is None:
            continue  # a column of the person's own
        if column.key in found:
            issues.append(Issue(sheet.title, number, cell_text(cell.value),
                                f"a second '{column.header}' column (column "
                                f"{get_column_letter(index + 1)}); only the first is read."))
            continue
        found[column.key] = index
    if "id" not in found:
        issues.append(Issue(sheet.title, number, "", f"no '{sheet.column('id').header}' "
                            "column: it tells which record each row is, so no row of this "
                            "sheet can be read. Ask for a fresh export."))
        return None
    return found


def _digest(sheet: Sheet, record_id: uuid.UUID, values: dict[str, Plain]) -> str:
    payload = json.dumps([sheet.title, str(record_id), sorted(values.items())],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


class _SheetReader:
    """Reads the data rows of one sheet into ParsedRows and Issues."""

    def __init__(self, sheet: Sheet, columns: dict[str, int], headers: dict[str, str]) -> None:
        self.sheet, self.columns, self.headers = sheet, columns, headers
        self.kinds = {key: sheet.column(key) for key in columns}
        self.seen: dict[uuid.UUID, int] = {}

    def row(self, number: int, cells: tuple[Any, ...], issues: list[Issue]) -> ParsedRow | None:
        present = {key: cells[i] for key, i in self.columns.items() if i < len(cells)}
        if not any(cell_text(c.value).strip() for c in present.values()):
            return None  # a blank row
        values: dict[str, Plain] = {}
        problems: list[Issue] = []
        for key, cell in present.items():
            try:
                values[key] = _read_cell(self.kinds[key], cell)
            except CellError as exc:
                problems.append(Issue(self.sheet.title, number, self.headers[key], str(exc)))
        for key in self.columns.keys() - present.keys():
            values[key] = None
        record = values.pop("id", None)
        if record is None and not any(p.column == self.headers["id"] for p in problems):
            problems.append(Issue(self.sheet.title, number, self.headers["id"],
                                  "no r2pdesk ID: records are added in r2pdesk, not in the "
                                  "workbook."))
        elif isinstance(record, str) and uuid.UUID(record) in self.seen:
            problems.append(Issue(self.sheet.title, number, self.headers["id"],
                                  f"the same record as row {self.seen[uuid.UUID(record)]}; "
                                  "keep one row per record."))
        if problems or not isinstance(record, str):
            issues.extend(problems)
            return None
        record_id = uuid.UUID(record)
        self.seen[record_id] = number
        return ParsedRow(self.sheet, number, record_id, values, self.headers,
                         _digest(self.sheet, record_id, values))


def _read_sheet(sheet: Sheet, rows: Iterable[tuple[Any, ...]], issues: list[Issue]) -> list[
    ParsedRow
]:
    numbered = enumerate(rows, start=1)
    for number, cells in numbered:
        if any(cell_text(c.value).strip() for c in cells):
            columns = _header(sheet, number, cells, issues)
            if columns is None:
                for _ in numbered:  # still read to the end, so that the limits hold
                    pass
                return []
            break
    else:
        return []
    headers = {key: cell_text(cells[i].value) for key, i in columns.items()}
    reader = _SheetReader(sheet, columns, headers)
    return [
        parsed for number, cells in numbered
        if (parsed := reader.row(number, cells, issues)) is not None
    ]


def _worksheet(book: Any, title: str) -> Any | None:
    for name in book.sheetnames:
        if choice_key(name) == choice_key(title):
            found = book[name]
            return found if hasattr(found, "iter_rows") else None
    return None


def read_exchange(
    path: Path, progress: Callable[[int, int], None] | None = None
) -> ParsedWorkbook:
    """Read an exchange workbook: ExchangeFileError when it cannot be one; nothing is written.

    `progress(rows read, rows)` is called as it goes (the total as the sheets declare it)."""
    _check_zip(path)
    # The file is opened here so that it is closed whatever openpyxl does on a damaged one; and
    # openpyxl warns of what it drops (extensions, a missing stylesheet): none of it is ours.
    try:
        with path.open("rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                book = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
            except _DAMAGED as exc:
                raise _explain(path, exc) from exc
            try:
                return _read_book(path, book, progress)
            finally:
                book.close()
    except OSError as exc:
        raise ExchangeFileError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc


def _declared_rows(*sheets: Any) -> int:
    """The rows the sheets say they hold (a file may not say: then 0)."""
    total = 0
    for sheet in sheets:
        try:
            total += int(getattr(sheet, "max_row", 0) or 0)
        except (TypeError, ValueError):
            continue
    return total


def _read_book(path: Path, book: Any,
               progress: Callable[[int, int], None] | None = None) -> ParsedWorkbook:
    hidden = _worksheet(book, META_SHEET)
    if hidden is None:
        raise _refuse(path, f"it is not an r2pdesk exchange workbook (its hidden sheet "
                            f"'{META_SHEET}' is missing); export one with r2pdesk.")
    counter = _Counter(progress, _declared_rows(hidden, *(
        _worksheet(book, name) for name in book.sheetnames if choice_key(name) != choice_key(
            META_SHEET))))
    meta, bases = _meta(path, _rows(path, hidden, META_SHEET, counter))
    issues: list[Issue] = []
    parsed: list[ParsedRow] = []
    for sheet in SHEETS[meta.kind]:
        found = _worksheet(book, sheet.title)
        if found is not None:
            parsed += _read_sheet(sheet, _rows(path, found, sheet.title, counter), issues)
    return ParsedWorkbook(path.name, meta, bases, tuple(parsed), tuple(issues))
