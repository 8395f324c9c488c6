"""A framework version to a real .xlsx file and back, and files with errors that write nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry
from r2pdesk.errors import InputError, KnownError
from r2pdesk.exchange.framework_xlsx import (
    FACTORS_SHEET,
    INDICATORS_SHEET,
    INHIBITORS_SHEET,
    README_SHEET,
    export_framework,
    import_framework,
)
from r2pdesk.institutions.importer import WorkbookError
from r2pdesk.reference.frameworks import AddIndicator, EditIndicator, new_version, version_content
from r2pdesk.reference.models import FrameworkVersion, FrameworkVersionId
from r2pdesk.reference.service import default_framework_version
from r2pdesk.store import Store


def _default(session: Session) -> FrameworkVersion:
    version = default_framework_version(session)
    assert version is not None
    return version


def _counts(session: Session) -> tuple[int, int]:
    return (
        int(session.scalar(select(func.count()).select_from(FrameworkVersion)) or 0),
        int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
    )


def _export(store: Store, path: Path) -> tuple[FrameworkVersionId, uuid.UUID]:
    with store.session() as session:
        version = _default(session)
        export_framework(session, FrameworkVersionId(version.id), path)
        return FrameworkVersionId(version.id), version.framework_id


def test_the_exported_workbook_has_its_sheets_headers_and_layout(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "foa.xlsx"
    _export(store, path)
    book = load_workbook(path)
    assert book.sheetnames == [README_SHEET, FACTORS_SHEET, INDICATORS_SHEET, INHIBITORS_SHEET]
    factors, indicators, inhibitors = (book[n] for n in book.sheetnames[1:])
    assert [c.value for c in factors[1]] == [
        "Number", "Code", "Title", "Applies to", "Nature", "Indicators", "Definition"]
    assert [c.value for c in indicators[1]] == [
        "Risk factor", "Code", "Ordinal", "Text", "National"]
    assert [c.value for c in inhibitors[1]] == ["Number", "Code", "Title"]
    assert factors.max_row == 15
    assert indicators.max_row == 1 + 10 + 12 + 6 + 9
    assert inhibitors.max_row == 8
    assert all(sheet.freeze_panes == "A2" for sheet in (factors, indicators, inhibitors))
    assert factors[1][0].font.bold
    assert indicators.column_dimensions["D"].width == 90
    assert indicators["D2"].alignment.wrap_text
    assert [c.value for c in factors[10]][:6] == [
        9, "RF9", "Intergroup tensions or patterns of discrimination against protected groups",
        "genocide", "structural", "complete"]
    assert [c.value for c in indicators[2]] == [
        7, "7.1", 1,
        ("Imposition of emergency laws or extraordinary security measures that erode "
         "fundamental rights."),
        "no"]
    assert "Framework of Analysis for Atrocity Crimes, version 1" in book[README_SHEET]["A1"].value


def test_export_then_import_gives_the_same_content_in_a_new_version(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "foa.xlsx"
    v1, framework_id = _export(store, path)
    with store.session() as session:
        v2 = import_framework(session, path, framework_id)
    with store.reader() as session:
        version = session.get_one(FrameworkVersion, v2)
        assert version.version == 2
        assert version.partial
        assert version.note == "Imported from foa.xlsx."
        assert version_content(session, v2) == version_content(session, v1)
        assert _default(session).id == v2


def test_national_indicators_and_formula_like_text_survive_the_round_trip(
    store: Store, tmp_path: Path
) -> None:
    with store.session() as session:
        framework_id = _default(session).framework_id
        v2 = new_version(session, framework_id, [
            AddIndicator(7, "7.N1", "Registration of village patrols with the police."),
            EditIndicator(8, "8.9", "=SUM(A1:A3) is not a formula here"),
        ])
        export_framework(session, v2, tmp_path / "v2.xlsx")
    sheet = load_workbook(tmp_path / "v2.xlsx")[INDICATORS_SHEET]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["8.9"][3].data_type == "s"
    assert rows["7.N1"][4].value == "yes"
    with store.session() as session:
        v3 = import_framework(session, tmp_path / "v2.xlsx", framework_id)
        assert version_content(session, v3) == version_content(session, v2)


def test_a_committee_completes_the_framework_in_excel(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "foa.xlsx"
    _, framework_id = _export(store, path)
    book = load_workbook(path)
    sheet = book[INDICATORS_SHEET]
    sheet.append([3, "3.N1", None, "Courts in the north sit part-time.", "Yes"])
    sheet.append([3, "3.N2", None, "No public prosecutor in two districts.", None])
    book.save(path)
    with store.session() as session:
        v2 = import_framework(session, path, framework_id)
        rf3 = version_content(session, v2).factors[2]
        assert [(i.code, i.ordinal, i.national) for i in rf3.indicators] == [
            ("3.N1", 1, True), ("3.N2", 2, False)]


def test_a_file_with_errors_lists_them_all_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "foa.xlsx"
    _, framework_id = _export(store, path)
    book = load_workbook(path)
    factors, indicators, inhibitors = (book[n] for n in book.sheetnames[1:])
    factors["A3"] = "two"  # RF2's number
    factors["D4"] = "everything"  # RF3's applies to
    factors["B5"] = "RF1"  # RF4's code, already RF1's
    indicators["A2"] = 99  # 7.1 under a risk factor that does not exist
    indicators["B3"] = 7.2  # 7.2 typed as a number
    indicators["B4"] = "7.4"  # 7.3 now has 7.4's code too
    indicators["E5"] = "maybe"
    inhibitors["C2"] = None  # INH1 without its title
    book.save(path)
    with store.reader() as session:
        before = _counts(session)
    with store.session() as session, pytest.raises(WorkbookError) as caught:
        import_framework(session, path, framework_id)
    found = {(i.sheet, i.row, i.letter) for i in caught.value.issues}
    assert found == {
        (FACTORS_SHEET, 3, "A"), (FACTORS_SHEET, 4, "D"), (FACTORS_SHEET, 5, "B"),
        (INDICATORS_SHEET, 2, "A"), (INDICATORS_SHEET, 3, "B"), (INDICATORS_SHEET, 5, "B"),
        (INDICATORS_SHEET, 5, "E"), (INHIBITORS_SHEET, 2, "C"),
    }
    message = str(caught.value)
    assert message.startswith("Nothing was imported: the file has 8 problems.")
    assert "Sheet 'Risk factors', row 3, column A (Number): 'two' is not a whole number" in message
    assert ("Sheet 'Risk factors', row 4, column D (Applies to): 'everything' is not one of: "
            "common, crimes against humanity, genocide, war crimes.") in message
    assert "row 5, column B (Code): code RF1 is already in row 2." in message
    assert "row 2, column A (Risk factor): no risk factor 99 in sheet 'Risk factors'." in message
    assert "row 3, column B (Code): a number: type the code as text" in message
    assert "Sheet 'Inhibitors', row 2, column C (Title): empty" in message
    with store.reader() as session:
        assert _counts(session) == before


def test_a_missing_column_is_reported_against_its_sheet(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "foa.xlsx"
    _, framework_id = _export(store, path)
    book = load_workbook(path)
    book[INHIBITORS_SHEET]["C1"] = "Name"
    book.save(path)
    with store.session() as session, pytest.raises(WorkbookError) as caught:
        import_framework(session, path, framework_id)
    assert [str(i) for i in caught.value.issues] == [
        "Sheet 'Inhibitors', row 1: no 'Title' column in the header row."]


def test_files_that_are_not_framework_workbooks_are_refused(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "foa.xlsx"
    _, framework_id = _export(store, path)
    book = load_workbook(path)
    del book[INDICATORS_SHEET]
    book.save(path)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with store.session() as session:
        with pytest.raises(KnownError, match=r"foa\.xlsx has no sheet 'Indicators'"):
            import_framework(session, path, framework_id)
        with pytest.raises(KnownError, match=r"notes\.xlsx is not an Excel workbook"):
            import_framework(session, text, framework_id)
        with pytest.raises(KnownError, match=r"older Excel file \(\.xls\)"):
            import_framework(session, old, framework_id)
        with pytest.raises(KnownError, match=r"Cannot read missing\.xlsx"):
            import_framework(session, tmp_path / "missing.xlsx", framework_id)
        assert _counts(session)[0] == 1


def test_importing_into_an_unknown_framework_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "foa.xlsx"
    _export(store, path)
    with store.session() as session, pytest.raises(InputError, match="framework: not in the"):
        import_framework(session, path, uuid.uuid4())
