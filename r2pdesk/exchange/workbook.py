"""Writing exchange workbooks: a focal point's for one institution, or every record for the
secretariat, each with instructions and a hidden sheet holding the base of the three-way merge.

Rows come from generators and are written by one loop into a write-only workbook, reporting
progress about every 1%. Every text is written as text (`data_type = "s"`), so that nothing a
person typed, such as "=1+1" or "@SUM(A1)", ever becomes a formula.

The hidden sheet "_r2pdesk" holds the export's id, kind and time, then one row per record: its
sheet, id, revision and the plain values of every field exported (JSON, in pieces that fit a
cell). Importing compares the workbook with this base and with the database.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import Actor
from r2pdesk.earlywarning.models import EarlyWarning, WarningResponse
from r2pdesk.errors import InputError, KnownError
from r2pdesk.exchange.models import ExchangeExport, ExportId, ExportKind
from r2pdesk.exchange.reader import MAX_ROWS
from r2pdesk.exchange.results import ExportResult
from r2pdesk.exchange.sheets import (
    FORMAT,
    FP_RECOMMENDATIONS,
    FP_WARNINGS,
    INSTITUTIONS,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    PROGRESS,
    RECOMMENDATIONS,
    RESPONSES,
    WARNINGS,
    Column,
    Kind,
    Sheet,
    field_values,
)
from r2pdesk.exchange.values import CELL_LIMIT, NO, YES, Plain, escape_text, fit_cell
from r2pdesk.institutions.assigned import Assigned, assigned_to
from r2pdesk.institutions.models import Institution
from r2pdesk.orm import utcnow
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation
from r2pdesk.recommendations.service import CLOSED_STATUSES
from r2pdesk.store import read_setting
from r2pdesk.xlsx import save_workbook

Progress = Callable[[int, int], None]
JSON_PIECE = 8_000  # characters of base JSON per cell, far below a cell's limit even escaped


@dataclass(frozen=True)
class _Row:
    """One record as a sheet shows it: every column's value, and its base."""

    record_id: uuid.UUID
    revision: int
    values: dict[str, Plain]
    base: dict[str, Plain]


@dataclass(frozen=True)
class _Part:
    """A sheet of the workbook with how many rows it will have and the rows themselves."""

    sheet: Sheet
    count: int
    rows: Iterable[_Row]


def _row(sheet: Sheet, record: Any, shown: dict[str, Plain] | None = None) -> _Row:
    base = field_values(sheet, record)
    return _Row(record.id, record.revision, {**base, **(shown or {}), "id": str(record.id)}, base)


# --- what goes in -----------------------------------------------------------------------------


def _focal_parts(session: Session, assigned: Assigned) -> list[_Part]:
    """The recommendations the institution leads, open ones first, and the open warnings
    addressed to it (`assigned` has the confidential ones left out already)."""
    led = [r.id for r in assigned.led]
    recs = list(session.scalars(select(Recommendation).where(Recommendation.id.in_(led))))
    recs.sort(key=lambda r: (r.status in CLOSED_STATUSES, r.due_on or date.max, r.text))
    last = dict(session.execute(
        select(ProgressUpdate.recommendation_id, func.max(ProgressUpdate.on))
        .where(ProgressUpdate.recommendation_id.in_(led))
        .group_by(ProgressUpdate.recommendation_id)
    ).all())
    warnings = list(session.scalars(
        select(EarlyWarning).where(EarlyWarning.id.in_([w.id for w in assigned.warnings]))
        .order_by(EarlyWarning.response_due, EarlyWarning.reference)
    ))
    return [
        _Part(FP_RECOMMENDATIONS, len(recs), (
            _row(FP_RECOMMENDATIONS, r, {"last_update": _iso(last.get(r.id))}) for r in recs
        )),
        _Part(FP_WARNINGS, len(warnings), (_row(FP_WARNINGS, w) for w in warnings)),
    ]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _all(session: Session, model: Any) -> list[Any]:
    return list(session.scalars(select(model).order_by(model.created_at, model.id)))


def _full_parts(session: Session) -> list[_Part]:
    names = dict(session.execute(select(Institution.id, Institution.name)).all())
    texts = dict(session.execute(select(Recommendation.id, Recommendation.text)).all())
    refs = dict(session.execute(select(EarlyWarning.id, EarlyWarning.reference)).all())
    institutions = _all(session, Institution)
    recs = _all(session, Recommendation)
    updates = _all(session, ProgressUpdate)
    warnings = _all(session, EarlyWarning)
    responses = _all(session, WarningResponse)

    def short(text: str) -> str:
        return text if len(text) <= 120 else text[:119] + "…"

    return [
        _Part(INSTITUTIONS, len(institutions), (_row(INSTITUTIONS, i) for i in institutions)),
        _Part(RECOMMENDATIONS, len(recs), (
            _row(RECOMMENDATIONS, r, {"lead": names.get(r.lead_institution_id, "")})
            for r in recs
        )),
        _Part(PROGRESS, len(updates), (
            _row(PROGRESS, u, {"recommendation": short(texts.get(u.recommendation_id, ""))})
            for u in updates
        )),
        _Part(WARNINGS, len(warnings), (_row(WARNINGS, w) for w in warnings)),
        _Part(RESPONSES, len(responses), (
            _row(RESPONSES, r, {"warning": refs.get(r.warning_id, ""),
                                "institution": names.get(r.institution_id, "")})
            for r in responses
        )),
    ]


# --- instructions -----------------------------------------------------------------------------


def _focal_instructions(committee: str, institution: Institution, when: str) -> list[str]:
    return [
        f"{committee}: follow-up requested from {institution.name}",
        f"Prepared on {when} with r2pdesk.",
        "",
        "What to do",
        ("1. In the sheet 'Recommendations', for each recommendation on which something has "
         "happened: choose its Status from the list, write what was done in 'New progress "
         "note', give the 'Progress date' (the day it happened), and name any document that "
         "shows it in 'Evidence reference' (send the document with this workbook)."),
        ("2. In the sheet 'Warnings', for each early warning your institution has received or "
         "acted on: give the 'Response date', choose 'Acknowledgement of receipt' or 'Action "
         "taken', and describe the action and its outcome."),
        "3. Save the workbook as it is (an .xlsx file) and send it back to the secretariat.",
        "",
        "Good to know",
        ("The grey columns (reference, text, due date, ID) are locked: they tell r2pdesk which "
         "record each row is. The white columns are yours."),
        ("You may sort and filter the rows, leave rows empty, widen columns and add columns of "
         "your own; r2pdesk finds its columns by their headings."),
        ("Write dates as 2026-11-21 or 21 Nov 2026. A date such as 03/04/2027 could be read as "
         "3 April or as 4 March, so r2pdesk will ask you to write it again."),
        ("Please do not rename or delete the sheets. A hidden sheet holds what was sent to you, "
         "so that your answers can be merged with the work of others without losing any."),
        "Leave a row as it is if there is nothing new: it changes nothing.",
    ]


def _full_instructions(committee: str, when: str) -> list[str]:
    return [
        f"{committee}: every record, for the secretariat to merge",
        f"Prepared on {when} with r2pdesk.",
        "",
        ("This workbook holds every institution, recommendation, progress update, early warning "
         "and response of the database it came from, each sheet with all the fields, one row "
         "per record."),
        ("The white columns may be edited; the grey ones follow the records' history in "
         "r2pdesk and are locked. New records are added in r2pdesk, not here: a row without an "
         "r2pdesk ID is refused."),
        ("On import, every field is compared with what was exported (kept in a hidden sheet) "
         "and with the database: a change made only in the workbook is applied, one made only "
         "in the database is kept, and a field changed in both to different values is kept as "
         "a conflict for a person to decide. Importing the same workbook twice changes "
         "nothing."),
        "Write dates as 2026-11-21 or 21 Nov 2026; 03/04/2027 could be read two ways.",
    ]


# --- cells ------------------------------------------------------------------------------------

_HEADINGS = {"What to do", "Good to know"}
_BOLD = Font(bold=True)
_GREY = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
_HEADER = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
_EDIT = Protection(locked=False)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
SURELY_FITS = CELL_LIMIT // 7  # escaped, a character takes at most seven ("_x001F_")


def style_of(sheet: Any, **style: Any) -> StyleArray:
    """A cell style (font, fill, alignment, protection, number format), looked up once in the
    workbook's tables: setting each attribute on each cell would look it up every time."""
    cell = WriteOnlyCell(sheet)
    for name, value in style.items():
        setattr(cell, name, value)
    return cast("Any", cell)._style  # type: ignore[no-any-return]


def text_cell(sheet: Any, text: str, style: StyleArray | None = None, **attributes: Any) -> Cell:
    """A cell holding text as text: never a formula, whatever it starts with; styled by `style`
    (see `style_of`) or by the attributes given."""
    cell = Cell(sheet, row=1, column=1, style_array=style)
    if text:  # an empty cell holds no string at all, so it carries only its style
        cell.value = escape_text(text)
        cell.data_type = "s"
    for name, value in attributes.items():
        setattr(cell, name, value)
    return cell


def bare_text(sheet: Any, text: str) -> Cell | str:
    """Text without a style, as openpyxl writes it fastest: the escaped string itself, unless
    openpyxl would read it as a formula or an error value (then a text cell)."""
    escaped = escape_text(text)
    if not escaped or escaped.startswith("=") or escaped in ERROR_CODES:
        return text_cell(sheet, text)
    return escaped


def _column_style(sheet: Any, column: Column) -> StyleArray:
    style: dict[str, Any] = {"alignment": _WRAP if column.kind is Kind.LONG else _TOP}
    style.update({"protection": _EDIT} if column.editable else {"fill": _GREY})
    if column.kind is Kind.DATE:
        style["number_format"] = DATE_FORMAT
    return style_of(sheet, **style)


def _value_cell(sheet: Any, column: Column, value: Plain, style: StyleArray) -> Cell:
    if column.kind is Kind.DATE:
        day = date.fromisoformat(value) if isinstance(value, str) and value else None
        cell = Cell(sheet, row=1, column=1, style_array=style)
        if day is not None:
            cell.value = datetime.combine(day, time())
        return cell
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = YES if value else NO
    elif column.kind is Kind.CHOICE:
        text = column.labels.get(value, value)
    else:
        text = value if len(value) <= SURELY_FITS else fit_cell(value)
    return text_cell(sheet, text, style)


def _validations(sheet: Sheet, rows: int) -> Iterator[DataValidation]:
    last = max(rows, 1) + 1
    for number, column in enumerate(sheet.columns, start=1):
        if not column.editable:
            continue
        letter = get_column_letter(number)
        if column.kind is Kind.CHOICE:
            found = DataValidation(
                type="list", formula1='"' + ",".join(column.labels.values()) + '"',
                allow_blank=True, showErrorMessage=True, errorTitle=column.header,
                error="Choose a value from the list.",
            )
        elif column.kind is Kind.DATE:
            found = DataValidation(
                type="date", operator="between", formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                errorTitle=column.header, error="Type a date, such as 2026-11-21.",
            )
        elif column.kind is Kind.FLAG:
            found = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True,
                                   showErrorMessage=True)
        else:
            continue
        found.add(f"{letter}2:{letter}{last}")
        yield found


def _start_sheet(book: Workbook, sheet: Sheet, rows: int) -> Any:
    ws = book.create_sheet(sheet.title)
    for number, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = column.width
    ws.freeze_panes = "B2"
    _landscape(ws)
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(rows, 1) + 1}"
    for validation in _validations(sheet, rows):
        ws.data_validations.append(validation)
    # Locked columns stay as exported; sorting, filtering and resizing are left free.
    ws.protection.sheet = True
    ws.protection.sort = False
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.row_dimensions[1].height = row_height((c.header, c.width) for c in sheet.columns)
    ws.append([text_cell(ws, c.header, font=_BOLD, fill=_HEADER, alignment=_WRAP)
               for c in sheet.columns])
    return ws


LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 409  # the most a spreadsheet row can be


def row_height(texts: Iterable[tuple[str, float]]) -> float:
    """A row tall enough for its wrapped texts, given as (text, column width in characters).

    Write-only workbooks cannot be measured when opened, and LibreOffice does not grow a row for
    wrapped text on its own: without this, long recommendations overlap the rows below.
    """
    lines = 1
    for text, width in texts:
        per_line = max(int(width) - 1, 1)
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in text.split("\n")))
    return min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)


def _landscape(ws: Any) -> None:
    # Printed, a sheet is as wide as the page and as long as it needs.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _meta_rows(meta: dict[str, str]) -> Iterator[list[str]]:
    yield from ([key, value] for key, value in meta.items())
    yield []
    yield ["sheet", "record_id", "revision", "base"]


def _base_row(sheet: Sheet, row: _Row) -> list[str]:
    encoded = json.dumps(row.base, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    pieces = [encoded[i:i + JSON_PIECE] for i in range(0, len(encoded), JSON_PIECE)] or ["{}"]
    return [sheet.title, str(row.record_id), str(row.revision), *pieces]


class _Ticker:
    """Calls back about every 1% of the rows written."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress, self.done, self.shown = max(total, 1), progress, 0, -1

    def tick(self) -> None:
        self.done += 1
        percent = self.done * 100 // self.total
        if self.progress is not None and percent != self.shown:
            self.shown = percent
            self.progress(self.done, self.total)


def _write(path: Path, lines: list[str], meta: dict[str, str], parts: list[_Part],
           progress: Progress | None) -> dict[str, int]:
    # What is written must be readable back: the hidden sheet too, a row for every record.
    sizes = [(part.sheet.title, part.count) for part in parts]
    sizes.append((META_SHEET, len(meta) + 1 + sum(part.count for part in parts)))
    for title, count in sizes:
        if count >= MAX_ROWS:
            raise KnownError(f"The sheet '{title}' would have {count:,} rows, "
                             f"more than the {MAX_ROWS - 1:,} an exchange workbook holds.")
    book = Workbook(write_only=True)
    try:
        intro = book.create_sheet(INSTRUCTIONS_SHEET)
        intro.column_dimensions["A"].width = 110
        for number, line in enumerate(lines):
            intro.row_dimensions[number + 1].height = row_height([(line, 110)])
            bold: dict[str, Any] = {"font": _BOLD} if number == 0 or line in _HEADINGS else {}
            intro.append([text_cell(intro, line, alignment=_WRAP, **bold)])
        sheets = [(part, _start_sheet(book, part.sheet, part.count)) for part in parts]
        hidden = book.create_sheet(META_SHEET)
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
        for values in _meta_rows(meta):
            hidden.append([text_cell(hidden, v) for v in values])
        ticker = _Ticker(sum(part.count for part in parts), progress)
        counts: dict[str, int] = {}
        for part, ws in sheets:
            counts[part.sheet.title] = 0
            columns = [(c, _column_style(ws, c)) for c in part.sheet.columns]
            for row in part.rows:
                ws.row_dimensions[counts[part.sheet.title] + 2].height = row_height(
                    (str(row.values.get(c.key) or ""), c.width) for c in part.sheet.columns
                )
                ws.append([_value_cell(ws, c, row.values.get(c.key), style)
                           for c, style in columns])
                hidden.append([bare_text(hidden, v) for v in _base_row(part.sheet, row)])
                counts[part.sheet.title] += 1
                ticker.tick()
    except BaseException:
        # Interrupted (cancelled, or failed): close the write-only sheets, whose buffers would
        # otherwise complain when collected; nothing was saved.
        for ws in book.worksheets:
            ws.close()
        raise
    save_workbook(book, path)
    return counts


def _record(session: Session, kind: ExportKind, institution_id: uuid.UUID | None) -> tuple[
    ExchangeExport, dict[str, str]
]:
    actor = session.info.get("actor") or Actor("", "")
    export = ExchangeExport(id=uuid.uuid4(), kind=kind, institution_id=institution_id,
                            created_at=utcnow(), author=actor.name, device=actor.device)
    session.add(export)
    meta = {
        "format": FORMAT,
        "export_id": str(export.id),
        "kind": kind.value,
        "exported_at": export.created_at.isoformat(),
        "institution_id": "" if institution_id is None else str(institution_id),
        "author": actor.name,
        "device": actor.device,
    }
    return export, meta


def export_focal_point(
    session: Session, institution_id: uuid.UUID, path: Path, *, progress: Progress | None = None
) -> ExportResult:
    """Write a focal point's workbook for one institution (confidential records left out), and
    remember the export."""
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise InputError("institution: not in the database")
    export, meta = _record(session, ExportKind.FOCAL_POINT, institution.id)
    meta["institution"] = institution.name
    committee = read_setting(session, "committee_name") or "The committee"
    lines = _focal_instructions(committee, institution, export.created_at.date().isoformat())
    assigned = assigned_to(session, institution.id)
    counts = _write(path, lines, meta, _focal_parts(session, assigned), progress)
    session.flush()
    return ExportResult(ExportId(export.id), export.kind, path, counts, assigned)


def export_full(session: Session, path: Path, *, progress: Progress | None = None) -> ExportResult:
    """Write every record of every kind, for the secretariat to merge, and remember the
    export."""
    export, meta = _record(session, ExportKind.FULL, None)
    committee = read_setting(session, "committee_name") or "The committee"
    lines = _full_instructions(committee, export.created_at.date().isoformat())
    counts = _write(path, lines, meta, _full_parts(session), progress)
    session.flush()
    return ExportResult(ExportId(export.id), export.kind, path, counts)
