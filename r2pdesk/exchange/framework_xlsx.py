"""A framework version to and from an Excel workbook, so a committee can complete it in Excel.

The workbook has a read-me sheet, then "Risk factors", "Indicators" and "Inhibitors", each with
one header row. Importing checks the whole file before anything is written: every problem is
listed with its sheet, row and column, and one problem anywhere means nothing is written. An
import always makes a new version of the framework; versions already there, and the assessments
made with them, are left as they are.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError, KnownError
from r2pdesk.i18n import format_number, tr
from r2pdesk.institutions.importer import ImportIssue, WorkbookError
from r2pdesk.reference.frameworks import (
    MAX_CODE,
    FactorSpec,
    IndicatorSpec,
    InhibitorSpec,
    VersionContent,
    check_content,
    create_version,
    version_content,
)
from r2pdesk.reference.models import (
    AppliesTo,
    FrameworkVersion,
    FrameworkVersionId,
    IndicatorsStatus,
    Nature,
)
from r2pdesk.xlsx import save_workbook

README_SHEET = "Read me"
FACTORS_SHEET = "Risk factors"
INDICATORS_SHEET = "Indicators"
INHIBITORS_SHEET = "Inhibitors"
MAX_ROWS = 5000
MAX_COLUMNS = 50
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the older binary .xls format

APPLIES_TO_LABELS = {
    AppliesTo.COMMON: "common",
    AppliesTo.GENOCIDE: "genocide",
    AppliesTo.CRIMES_AGAINST_HUMANITY: "crimes against humanity",
    AppliesTo.WAR_CRIMES: "war crimes",
}
YES, NO = "yes", "no"
T = TypeVar("T")


@dataclass(frozen=True)
class _Column:
    """A column of a sheet: the key it is read into, its header, its width, whether it wraps."""

    key: str
    header: str
    width: int
    wrap: bool = False
    required: bool = True


SHEETS: dict[str, tuple[_Column, ...]] = {
    FACTORS_SHEET: (
        _Column("number", "Number", 9),
        _Column("code", "Code", 9),
        _Column("title", "Title", 50, wrap=True),
        _Column("applies_to", "Applies to", 22),
        _Column("nature", "Nature", 12),
        _Column("status", "Indicators", 12),
        _Column("definition", "Definition", 70, wrap=True, required=False),
    ),
    INDICATORS_SHEET: (
        _Column("factor", "Risk factor", 11),
        _Column("code", "Code", 9),
        _Column("ordinal", "Ordinal", 9, required=False),
        _Column("text", "Text", 90, wrap=True),
        _Column("national", "National", 10, required=False),
    ),
    INHIBITORS_SHEET: (
        _Column("number", "Number", 9),
        _Column("code", "Code", 9),
        _Column("title", "Title", 70, wrap=True),
    ),
}


def _key(text: str) -> str:
    """Headers and choices match in any case, with spaces, hyphens or underscores alike."""
    return "".join(c for c in text.casefold() if c.isalnum())


# --- export ---------------------------------------------------------------------------------


def _readme(version: FrameworkVersion) -> list[str]:
    """The read-me sheet: its explanations in the language in use; the sheet names, column
    headers and choices it names stay as the workbook spells them."""
    framework = version.framework
    return [
        tr("{name}, version {version}").format(name=framework.name, version=version.version),
        tr("Publisher: {publisher}").format(publisher=framework.publisher)
        if framework.publisher else "",
        tr("Also circulated as {reference}").format(reference=framework.reference)
        if framework.reference else "",
        tr("Exported from r2pdesk on {date}.").format(date=date.today().isoformat()),
        "",
        *version.note.splitlines(),
        "",
        tr("How to use this workbook"),
        tr("Edit the sheets, then import the workbook into r2pdesk as a new version of the "
           "framework. Versions already there, and the assessments made with them, stay as they "
           "are."),
        tr("If any row has an error, nothing is imported and every error is listed with its "
           "sheet, row and column."),
        "",
        tr("'{sheet}': one row per risk factor. Applies to: {applies}. Nature: {natures}. "
           "Indicators (how much of the list this version holds): {statuses}.").format(
            sheet=FACTORS_SHEET, applies=", ".join(APPLIES_TO_LABELS.values()),
            natures=", ".join(n.value for n in Nature),
            statuses=", ".join(s.value for s in IndicatorsStatus)),
        tr("'{sheet}': one row per indicator, with the number of its risk factor. Give the "
           "committee's own indicators their own codes (e.g. 7.N1) and National 'yes'. Type "
           "codes as text: as a number, 7.10 would become 7.1.").format(sheet=INDICATORS_SHEET),
        tr("'{sheet}': one row per inhibitor against which resilience is assessed.").format(
            sheet=INHIBITORS_SHEET),
    ]


def _cell(sheet: Any, value: str | int, style: dict[str, Any]) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    for name, attribute in style.items():
        setattr(cell, name, attribute)
    return cell


def _rows(content: VersionContent) -> dict[str, Iterator[tuple[str | int, ...]]]:
    return {
        FACTORS_SHEET: (
            (f.number, f.code, f.title, APPLIES_TO_LABELS[f.applies_to], f.nature.value,
             f.indicators_status.value, f.definition)
            for f in content.factors
        ),
        INDICATORS_SHEET: (
            (f.number, i.code, i.ordinal, i.text, YES if i.national else NO)
            for f in content.factors
            for i in f.indicators
        ),
        INHIBITORS_SHEET: ((i.number, i.code, i.title) for i in content.inhibitors),
    }


def _write_sheet(book: Workbook, title: str, rows: Iterable[tuple[str | int, ...]]) -> None:
    sheet = book.create_sheet(title)
    columns = SHEETS[title]
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    bold = {"font": Font(bold=True)}
    sheet.append([_cell(sheet, column.header, bold) for column in columns])
    styles = [
        {"alignment": Alignment(wrap_text=column.wrap, vertical="top")} for column in columns
    ]
    for row in rows:
        sheet.append([_cell(sheet, value, style) for value, style in zip(row, styles, strict=True)])


def export_framework(session: Session, version_id: FrameworkVersionId, path: Path) -> None:
    """Write a framework version to a workbook (replacing the file only once it is complete)."""
    version = session.get(FrameworkVersion, version_id)
    if version is None:
        raise InputError(tr("framework: that framework version is not in the database"))
    content = version_content(session, version_id)
    book = Workbook(write_only=True)
    readme = book.create_sheet(README_SHEET)
    readme.column_dimensions["A"].width = 110
    wrap = {"alignment": Alignment(wrap_text=True, vertical="top")}
    for number, line in enumerate(_readme(version)):
        style = {**wrap, "font": Font(bold=True)} if number == 0 else wrap
        readme.append([_cell(readme, line, style)])
    for title, rows in _rows(content).items():
        _write_sheet(book, title, rows)
    save_workbook(book, path)


# --- reading --------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text: whole numbers without ".0", text without outer spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Row:
    """One data row of a sheet, each field read as a type, each problem noted against its cell."""

    def __init__(self, sheet: str, number: int, cells: dict[str, tuple[object, str, str]],
                 issues: list[ImportIssue]) -> None:
        self.sheet, self.number, self.cells, self.issues = sheet, number, cells, issues

    def issue(self, key: str, reason: str) -> None:
        _, header, letter = self.cells[key]
        self.issues.append(ImportIssue(self.sheet, self.number, header, reason, letter))

    def raw(self, key: str) -> object:
        return self.cells[key][0] if key in self.cells else None

    def text(self, key: str, *, required: bool = True, limit: int | None = None) -> str:
        value = _text(self.raw(key))
        if required and not value:
            self.issue(key, tr("empty; this column needs a value."))
        elif limit is not None and len(value) > limit:
            self.issue(key, tr("longer than {limit} characters.").format(
                limit=format_number(limit)))
        return value

    def code(self, key: str = "code") -> str:
        if isinstance(self.raw(key), float):
            self.issue(key, tr("a number: type the code as text (as a number, 7.10 becomes "
                               "7.1)."))
            return ""
        return " ".join(self.text(key, limit=MAX_CODE).split())

    def whole(self, key: str, *, required: bool = True) -> int | None:
        value = self.raw(key)
        text = _text(value)
        if not text:
            if required:
                self.issue(key, tr("empty; this column needs a whole number."))
            return None
        if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
            self.issue(key, tr("'{text}' is not a whole number from 1 up.").format(text=text))
            return None
        return int(text)

    def choice(self, key: str, choices: dict[str, T], *, default: T | None = None) -> T | None:
        text = _text(self.raw(key))
        if not text and default is not None:
            return default
        found = choices.get(_key(text))
        if found is None:
            allowed = ", ".join(sorted({_label(c) for c in choices.values()}))
            self.issue(key, tr("'{text}' is not one of: {choices}.").format(
                text=text, choices=allowed))
        return found


def _label(choice: object) -> str:
    if isinstance(choice, AppliesTo):
        return APPLIES_TO_LABELS[choice]
    if isinstance(choice, bool):
        return YES if choice else NO
    return str(choice)


_APPLIES = {_key(label): value for value, label in APPLIES_TO_LABELS.items()} | {
    _key(value.value): value for value in AppliesTo
}
_NATURES = {_key(n.value): n for n in Nature}
_STATUSES = {_key(s.value): s for s in IndicatorsStatus}
_NATIONAL = {"yes": True, "no": False, "true": True, "false": False, "y": True, "n": False}


def _header(sheet: str, cells: tuple[object, ...], issues: list[ImportIssue]) -> dict[
    str, tuple[int, str, str]
] | None:
    """Which position holds which column: key -> (index, header as written, letter); None when
    a column the sheet needs is missing."""
    wanted = {_key(column.header): column for column in SHEETS[sheet]}
    found: dict[str, tuple[int, str, str]] = {}
    for index, cell in enumerate(cells):
        column = wanted.get(_key(_text(cell)))
        if column is not None and column.key not in found:
            found[column.key] = (index, _text(cell), get_column_letter(index + 1))
    missing = [c for c in SHEETS[sheet] if c.required and c.key not in found]
    for column in missing:
        issues.append(ImportIssue(
            sheet, 1, "", tr("no '{header}' column in the header row.").format(
                header=column.header), ""))
    return None if missing else found


def _data_rows(
    sheet: str, rows: Iterable[tuple[object, ...]], issues: list[ImportIssue]
) -> list[_Row] | None:
    """The sheet's non-empty rows after its header; None when the header lacks a column."""
    numbered = enumerate(rows, start=1)
    first = next(numbered, None)
    columns = _header(sheet, first[1] if first else (), issues)
    if columns is None:
        return None
    found: list[_Row] = []
    for number, cells in numbered:
        if not any(_text(cell) for cell in cells):
            continue
        if len(found) >= MAX_ROWS:
            raise KnownError(tr("Sheet '{sheet}' has more than {limit} rows.").format(
                sheet=sheet, limit=format_number(MAX_ROWS)))
        found.append(_Row(sheet, number, {
            key: (cells[index] if index < len(cells) else None, header, letter)
            for key, (index, header, letter) in columns.items()
        }, issues))
    return found


def _unique(row: _Row, key: str, value: object, seen: dict[object, int], message: str) -> bool:
    """Whether a value is the first of its column; `message` says otherwise, with {value} and
    {row} (the row that has it already)."""
    if value in seen:
        row.issue(key, message.format(value=value, row=seen[value]))
        return False
    seen[value] = row.number
    return True


def _factors(rows: list[_Row]) -> list[FactorSpec]:
    factors: list[FactorSpec] = []
    numbers: dict[object, int] = {}
    codes: dict[object, int] = {}
    for row in rows:
        number, code = row.whole("number"), row.code()
        title = row.text("title")
        applies = row.choice("applies_to", _APPLIES)
        nature = row.choice("nature", _NATURES)
        status = row.choice("status", _STATUSES)
        definition = row.text("definition", required=False)
        unique = [
            number is None or _unique(row, "number", number, numbers,
                                      tr("risk factor {value} is already in row {row}.")),
            not code or _unique(row, "code", code, codes,
                                tr("code {value} is already in row {row}.")),
        ]
        if number is None or applies is None or nature is None or status is None:
            continue
        if code and title and all(unique):
            factors.append(FactorSpec(number, code, title, applies, nature, status, definition))
    return factors


def _indicators(rows: list[_Row], numbers: set[int] | None) -> dict[int, list[IndicatorSpec]]:
    """Indicators by risk factor number; `numbers` None: the risk factors could not be read, so
    the indicators' risk factors are not checked against them."""
    found: dict[int, list[IndicatorSpec]] = {}
    codes: dict[int, dict[object, int]] = {}
    ordinals: dict[int, dict[object, int]] = {}
    for row in rows:
        factor, code = row.whole("factor"), row.code()
        ordinal = row.whole("ordinal", required=False)
        text = row.text("text")
        national = row.choice("national", _NATIONAL, default=False)
        if factor is None:
            continue
        if numbers is not None and factor not in numbers:
            row.issue("factor", tr("no risk factor {number} in sheet '{sheet}'.").format(
                number=factor, sheet=FACTORS_SHEET))
            continue
        unique = [
            not code or _unique(row, "code", code, codes.setdefault(factor, {}),
                                tr("code {value} is already in row {row}.")),
            ordinal is None
            or _unique(row, "ordinal", ordinal, ordinals.setdefault(factor, {}),
                       tr("ordinal {value} is already in row {row}.")),
        ]
        if code and text and national is not None and all(unique):
            found.setdefault(factor, []).append(IndicatorSpec(code, ordinal or 0, text, national))
    return found


def _numbered(indicators: list[IndicatorSpec]) -> tuple[IndicatorSpec, ...]:
    """Indicators in order of their ordinals; those given none (0) follow, in the file's order."""
    given = sorted((i for i in indicators if i.ordinal), key=lambda i: i.ordinal)
    last = given[-1].ordinal if given else 0
    added = [
        replace(i, ordinal=last + n)
        for n, i in enumerate((i for i in indicators if not i.ordinal), start=1)
    ]
    return (*given, *added)


def _inhibitors(rows: list[_Row]) -> list[InhibitorSpec]:
    inhibitors: list[InhibitorSpec] = []
    numbers: dict[object, int] = {}
    codes: dict[object, int] = {}
    for row in rows:
        number, code, title = row.whole("number"), row.code(), row.text("title")
        unique = [
            number is None or _unique(row, "number", number, numbers,
                                      tr("inhibitor {value} is already in row {row}.")),
            not code or _unique(row, "code", code, codes,
                                tr("code {value} is already in row {row}.")),
        ]
        if number and code and title and all(unique):
            inhibitors.append(InhibitorSpec(number, code, title))
    return inhibitors


def parse_sheets(sheets: dict[str, Iterable[tuple[object, ...]]]) -> VersionContent:
    """A version's content from the rows of the three sheets; raises WorkbookError listing every
    problem."""
    issues: list[ImportIssue] = []
    factor_rows = _data_rows(FACTORS_SHEET, sheets[FACTORS_SHEET], issues)
    factors = _factors(factor_rows or [])
    named = None if factor_rows is None else {
        int(text) for row in factor_rows if (text := _text(row.raw("number"))).isdigit()
    }
    indicators = _indicators(
        _data_rows(INDICATORS_SHEET, sheets[INDICATORS_SHEET], issues) or [], named
    )
    inhibitors = _inhibitors(_data_rows(INHIBITORS_SHEET, sheets[INHIBITORS_SHEET], issues) or [])
    if factor_rows == []:
        issues.append(ImportIssue(FACTORS_SHEET, 2, "", tr("no risk factor is given."), ""))
    if issues:
        raise WorkbookError(issues)
    return VersionContent(
        factors=tuple(
            replace(f, indicators=_numbered(indicators.get(f.number, [])))
            for f in sorted(factors, key=lambda f: f.number)
        ),
        inhibitors=tuple(sorted(inhibitors, key=lambda i: i.number)),
    )


# What openpyxl and the XML parser raise on a damaged file; defusedxml's refusals of entity and
# DTD tricks are ValueErrors too.
_DAMAGED = (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, ParseError, EOFError)


def _guarded(rows: Iterable[tuple[object, ...]], path: Path) -> list[tuple[object, ...]]:
    try:
        return list(rows)
    except _DAMAGED as exc:
        raise KnownError(tr("{file} could not be read: it is damaged.").format(
            file=path.name)) from exc


def read_framework(path: Path) -> VersionContent:
    """The framework in a workbook, checked; nothing is written."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
                raise KnownError(tr("{file} is an older Excel file (.xls): save it as "
                                    ".xlsx.").format(file=path.name))
            handle.seek(0)
            try:
                book = load_workbook(handle, read_only=True, data_only=True)
            except (InvalidFileException, zipfile.BadZipFile) as exc:
                raise KnownError(tr("{file} is not an Excel workbook (.xlsx).").format(
                    file=path.name)) from exc
            except _DAMAGED as exc:
                raise KnownError(tr("{file} could not be read: it is damaged.").format(
                    file=path.name)) from exc
            try:
                return parse_sheets(_sheets(book, path))
            finally:
                book.close()
    except OSError as exc:
        raise KnownError(tr("Cannot read {file}: {problem}.").format(
            file=path.name, problem=exc.strerror or exc)) from exc


def _sheets(book: Any, path: Path) -> dict[str, Iterable[tuple[object, ...]]]:
    titles = {_key(str(title)): str(title) for title in book.sheetnames}
    missing = [name for name in SHEETS if _key(name) not in titles]
    if missing:
        raise KnownError(
            tr("{file} has no sheet {sheets}: export a framework from r2pdesk to see the sheets "
               "it needs.").format(file=path.name,
                                   sheets=", ".join(f"'{name}'" for name in missing))
        )
    return {
        name: _guarded(
            book[titles[_key(name)]].iter_rows(values_only=True, max_col=MAX_COLUMNS), path
        )
        for name in SHEETS
    }


def import_framework(
    session: Session, path: Path, framework_id: uuid.UUID, version_id: uuid.UUID | None = None
) -> FrameworkVersionId:
    """Read a workbook and, if it has no error, write it as the framework's next version."""
    content = read_framework(path)
    check_content(content)
    return create_version(session, framework_id, content,
                          tr("Imported from {file}.").format(file=path.name), version_id)
