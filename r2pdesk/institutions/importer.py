"""Institutions and their focal points from a simple Excel workbook, and the template to fill in.

The first sheet holds one header row, then one row per institution, or per focal point: rows
that repeat an institution's name add its other focal points. The whole file is checked before
anything is written; one error anywhere and nothing is.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError, KnownError
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.models import FocalPoint, Institution, InstitutionKind
from r2pdesk.institutions.service import (
    KIND_LABELS,
    FieldError,
    clean_email,
    clean_name,
    clean_text,
    name_key,
    parse_kind,
    set_fields,
)
from r2pdesk.xlsx import cell_text, save_workbook

MAX_ROWS = 5000
MAX_COLUMNS = 200
SHOWN_ISSUES = 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the older binary .xls format
SHEET_TITLE = "Institutions"


@dataclass(frozen=True)
class _Column:
    """A column the importer reads: its header in the template and the other spellings taken."""

    key: str
    header: str
    width: int
    aliases: tuple[str, ...] = ()


COLUMNS = (
    _Column("name", "Name", 44),
    _Column("acronym", "Acronym", 12),
    _Column("kind", "Kind", 30),
    _Column("email", "E-mail", 30),
    _Column("phone", "Phone", 18),
    _Column("fp_name", "Focal point", 26, ("Focal point name",)),
    _Column("fp_title", "Focal point title", 30),
    _Column("fp_email", "Focal point e-mail", 30),
    _Column("fp_phone", "Focal point phone", 18),
)
HEADERS = tuple(column.header for column in COLUMNS)
_FOCAL_POINT_KEYS = ("fp_name", "fp_title", "fp_email", "fp_phone")


def _header_key(text: str) -> str:
    """Headers match in any case, with or without spaces and hyphens ("E-mail", "email")."""
    return "".join(c for c in text.casefold() if c.isalnum())


_COLUMNS_BY_HEADER = {
    _header_key(spelling): column
    for column in COLUMNS
    for spelling in (column.header, *column.aliases)
}


@dataclass(frozen=True)
class ImportIssue:
    """One thing wrong in the file, and where."""

    sheet: str
    row: int
    column: str  # the header as the file spells it
    reason: str
    letter: str

    def __str__(self) -> str:
        if self.column:
            return tr("Sheet '{sheet}', row {row}, column {letter} ({column}): {reason}").format(
                sheet=self.sheet, row=self.row, letter=self.letter, column=self.column,
                reason=self.reason)
        return tr("Sheet '{sheet}', row {row}: {reason}").format(
            sheet=self.sheet, row=self.row, reason=self.reason)


class WorkbookError(InputError):
    """The file has errors; nothing was imported. The issues say where."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        lines = [f"- {issue}" for issue in issues[:SHOWN_ISSUES]]
        if len(issues) > SHOWN_ISSUES:
            lines.append(tr("… and {count} more.").format(
                count=format_number(len(issues) - SHOWN_ISSUES)))
        heading = tr("Nothing was imported: the file has 1 problem.") if len(issues) == 1 else (
            tr("Nothing was imported: the file has {count} problems.").format(
                count=format_number(len(issues))))
        super().__init__("\n".join([heading, *lines]))
        self.issues = issues


@dataclass(frozen=True)
class ParsedFocalPoint:
    """A focal point as the file gives it; empty text means the file says nothing."""

    row: int
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class ParsedInstitution:
    """An institution as the file gives it, gathered from its rows."""

    row: int
    name: str
    acronym: str = ""
    kind: InstitutionKind | None = None
    email: str = ""
    phone: str = ""
    focal_points: list[ParsedFocalPoint] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """What an import did, institution by institution."""

    added: int
    updated: int
    unchanged: int
    focal_points_added: int
    focal_points_updated: int

    def summary(self) -> str:
        """One sentence for people."""
        return tr(
            "{added} institutions added, {updated} updated, {unchanged} unchanged; "
            "{points_added} focal points added, {points_updated} updated."
        ).format(added=self.added, updated=self.updated, unchanged=self.unchanged,
                 points_added=self.focal_points_added, points_updated=self.focal_points_updated)


# --- reading the file ---------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text, with runs of spaces made one."""
    return " ".join(cell_text(value).split())


class _RowReader:
    """Reads one data row's fields, recording each field's error against its column."""

    def __init__(
        self, sheet: str, row: int, values: dict[str, str], headers: dict[str, tuple[str, str]],
        issues: list[ImportIssue],
    ) -> None:
        self.sheet, self.row, self.values = sheet, row, values
        self.headers, self.issues = headers, issues

    def issue(self, key: str, reason: str) -> None:
        header, letter = self.headers[key]
        self.issues.append(ImportIssue(self.sheet, self.row, header, reason, letter))

    def text(self, key: str, check: Callable[[str], str] | None = None) -> str:
        """A field's text, checked by `check` (a service cleaner) when given."""
        value = self.values.get(key, "")
        if not value:
            return ""
        try:
            return check(value) if check else clean_text(value, key)
        except FieldError as exc:
            self.issue(key, exc.reason)
            return ""

    def kind(self) -> InstitutionKind | None:
        value = self.values.get("kind", "")
        if not value:
            return None
        try:
            return parse_kind(value)
        except FieldError as exc:
            self.issue("kind", exc.reason)
            return None

    def institution(self) -> ParsedInstitution | None:
        if not self.values.get("name"):
            self.issue("name", tr("every row needs the institution's name."))
            return None
        return ParsedInstitution(
            row=self.row,
            name=self.text("name", clean_name),
            acronym=self.text("acronym"),
            kind=self.kind(),
            email=self.text("email", clean_email),
            phone=self.text("phone"),
        )

    def focal_point(self) -> ParsedFocalPoint | None:
        given = [key for key in _FOCAL_POINT_KEYS if self.values.get(key)]
        if not given:
            return None
        if "fp_name" not in given:
            self.issue(given[0], tr("a focal point's details are given without their name."))
            return None
        return ParsedFocalPoint(
            row=self.row,
            name=self.text("fp_name", lambda v: clean_name(v, "a focal point")),
            title=self.text("fp_title"),
            email=self.text("fp_email", clean_email),
            phone=self.text("fp_phone"),
        )


def _header_map(
    sheet: str, row: int, cells: tuple[object, ...], issues: list[ImportIssue]
) -> dict[str, tuple[int, str, str]]:
    """Which position holds which column: key -> (index, header as written, column letter)."""
    found: dict[str, tuple[int, str, str]] = {}
    for index, cell in enumerate(cells):
        header = _text(cell)
        column = _COLUMNS_BY_HEADER.get(_header_key(header))
        if column is None:
            continue  # a column of the person's own: ignored
        letter = get_column_letter(index + 1)
        if column.key in found:
            first = found[column.key]
            issues.append(ImportIssue(
                sheet, row, header, tr("the same column as column {letter} ({header}).").format(
                    letter=first[2], header=first[1]), letter
            ))
            continue
        found[column.key] = (index, header, letter)
    if "name" not in found:
        raise KnownError(
            tr("Sheet '{sheet}' has no 'Name' column: its first row should hold the column names "
               "({headers}).").format(sheet=sheet, headers=", ".join(HEADERS))
        )
    return found


def _merge(into: ParsedInstitution, other: ParsedInstitution, reader: _RowReader) -> None:
    """A later row of the same institution: it may fill gaps but not contradict."""
    for key in ("acronym", "kind", "email", "phone"):
        mine, theirs = getattr(into, key), getattr(other, key)
        if theirs and mine and mine != theirs:
            reader.issue(key, tr("'{theirs}' differs from '{mine}' in row {row} for the same "
                                 "institution.").format(theirs=theirs, mine=mine, row=into.row))
        elif theirs:
            setattr(into, key, theirs)


def parse_rows(sheet: str, rows: Iterable[tuple[object, ...]]) -> list[ParsedInstitution]:
    """The institutions of a sheet's rows (header first); raises WorkbookError on any issue."""
    issues: list[ImportIssue] = []
    numbered = enumerate(rows, start=1)
    columns: dict[str, tuple[int, str, str]] | None = None
    for number, cells in numbered:
        if any(_text(cell) for cell in cells):
            columns = _header_map(sheet, number, cells, issues)
            break
    if columns is None:
        raise KnownError(tr("Sheet '{sheet}' is empty: there is nothing to import.").format(
            sheet=sheet))
    headers = {key: (header, letter) for key, (_, header, letter) in columns.items()}
    found: dict[str, ParsedInstitution] = {}
    count = 0
    for number, cells in numbered:
        values = {
            key: _text(cells[index]) if index < len(cells) else ""
            for key, (index, _, _) in columns.items()
        }
        if not any(values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise KnownError(tr("Sheet '{sheet}' has more than {limit} rows: split the "
                                "file.").format(sheet=sheet, limit=format_number(MAX_ROWS)))
        reader = _RowReader(sheet, number, values, headers, issues)
        parsed = reader.institution()
        point = reader.focal_point()
        if parsed is None or not parsed.name:
            continue
        known = found.setdefault(name_key(parsed.name), parsed)
        if known is not parsed:
            _merge(known, parsed, reader)
        if point is not None and point.name:
            known.focal_points.append(point)
    if issues:
        raise WorkbookError(issues)
    return list(found.values())


# What openpyxl and the XML parser raise on a damaged file; defusedxml's refusals of entity and
# DTD tricks are ValueErrors too.
_DAMAGED = (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, ParseError, EOFError)


def _damaged(path: Path) -> KnownError:
    return KnownError(
        tr("{file} could not be read: it is damaged or not an Excel workbook (.xlsx).").format(
            file=path.name)
    )


def _open(handle: BinaryIO, path: Path) -> Any:
    if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
        raise KnownError(
            tr("{file} is an older Excel file (.xls): open it in Excel or LibreOffice and save "
               "it as an Excel workbook (.xlsx).").format(file=path.name)
        )
    handle.seek(0)
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile) as exc:
        raise KnownError(tr("{file} is not an Excel workbook (.xlsx).").format(
            file=path.name)) from exc
    except _DAMAGED as exc:
        raise _damaged(path) from exc


def _guarded(rows: Iterable[tuple[object, ...]], path: Path) -> Iterator[tuple[object, ...]]:
    """The sheet's rows, a damaged part of the file reported as such (and bugs still as bugs)."""
    iterator = iter(rows)
    while True:
        try:
            cells = next(iterator)
        except StopIteration:
            return
        except _DAMAGED as exc:
            raise _damaged(path) from exc
        yield cells


def read_workbook(path: Path) -> list[ParsedInstitution]:
    """The institutions of the workbook's first sheet, checked; nothing is written."""
    try:
        with path.open("rb") as handle:
            workbook = _open(handle, path)
            try:
                if not workbook.worksheets:
                    raise KnownError(tr("{file} has no worksheet.").format(file=path.name))
                sheet = workbook.worksheets[0]
                rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                return parse_rows(str(sheet.title), _guarded(rows, path))
            finally:
                workbook.close()
    except OSError as exc:
        raise KnownError(tr("Cannot read {file}: {problem}.").format(
            file=path.name, problem=exc.strerror or exc)) from exc


# --- writing to the database --------------------------------------------------------------------


def _given(values: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if value}


def _apply_focal_points(record: Institution, points: list[ParsedFocalPoint]) -> tuple[int, int]:
    added = updated = 0
    existing = {name_key(point.name): point for point in record.focal_points}
    for parsed in points:
        values = {"title": parsed.title, "email": parsed.email, "phone": parsed.phone}
        point = existing.get(name_key(parsed.name))
        if point is None:
            point = FocalPoint(name=parsed.name, **values)
            record.focal_points.append(point)
            existing[name_key(parsed.name)] = point
            added += 1
        elif set_fields(point, _given(values)):
            updated += 1
    return added, updated


def apply_import(session: Session, institutions: list[ParsedInstitution]) -> ImportResult:
    """Write checked institutions: new ones added, existing ones (same name) changed only where
    the file gives a value."""
    existing = {name_key(r.name): r for r in session.scalars(select(Institution))}
    added = updated = unchanged = points_added = points_updated = 0
    for parsed in institutions:
        values: dict[str, object] = {
            "acronym": parsed.acronym, "kind": parsed.kind, "email": parsed.email,
            "phone": parsed.phone,
        }
        record = existing.get(name_key(parsed.name))
        if record is None:
            record = Institution(
                name=parsed.name, **{**values, "kind": parsed.kind or InstitutionKind.OTHER}
            )
            session.add(record)
            added += 1
            points_added += _apply_focal_points(record, parsed.focal_points)[0]
            continue
        changed = set_fields(record, _given(values))
        new_points, changed_points = _apply_focal_points(record, parsed.focal_points)
        points_added += new_points
        points_updated += changed_points
        if changed or new_points or changed_points:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportResult(added, updated, unchanged, points_added, points_updated)


def import_institutions(session: Session, path: Path) -> ImportResult:
    """Read a workbook and, if it has no error, write its institutions."""
    return apply_import(session, read_workbook(path))


# --- the template -------------------------------------------------------------------------------


def _put(sheet: Any, row: int, column: int, value: str) -> Any:
    """Write text as text: a value that starts with "=" is not a formula here."""
    cell = sheet.cell(row=row, column=column, value=value)
    if value.startswith("="):
        cell.data_type = "s"
    return cell


# The read-me sheet, written in the language in use (the column names and the kinds it names
# stay as the sheet spells them); the heading of the list of kinds comes last.
README = (
    N_("How to fill in the Institutions sheet"),
    "",
    N_("One row per institution. To give an institution several focal points, repeat its name "
       "on one row per focal point."),
    N_("Only Name is required. Columns may be in any order; other columns are ignored."),
    N_("Kind is one of the values below (the drop-down in the Kind column offers them)."),
    N_("An institution already in r2pdesk under the same name is updated only where the file "
       "has a value; nothing is ever deleted."),
    N_("If any row has an error, nothing is imported and every error is listed with its row."),
    "",
    N_("Kinds"),
)


def write_template(path: Path) -> None:
    """Write an empty workbook to fill in: the headers, a drop-down of kinds, a read-me sheet."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    for number, column in enumerate(COLUMNS, start=1):
        _put(sheet, 1, number, column.header).font = bold
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    kind_letter = get_column_letter(HEADERS.index("Kind") + 1)
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(KIND_LABELS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kind",
        error=tr("Choose a kind of institution from the list."),
    )
    kinds.add(f"{kind_letter}2:{kind_letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(kinds)
    readme = workbook.create_sheet("Read me")
    readme.column_dimensions["A"].width = 100
    headings = (1, len(README))
    lines = [tr(line) if line else "" for line in README] + list(KIND_LABELS.values())
    for number, line in enumerate(lines, start=1):
        cell = _put(readme, number, 1, line)
        if number in headings:
            cell.font = bold
    save_workbook(workbook, path)
