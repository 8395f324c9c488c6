"""Importing institutions from real .xlsx files written with openpyxl, and the template."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry
from r2pdesk.errors import KnownError
from r2pdesk.institutions.importer import (
    HEADERS,
    ImportResult,
    WorkbookError,
    import_institutions,
    read_workbook,
    write_template,
)
from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.institutions.service import (
    KIND_LABELS,
    InstitutionInput,
    find_institution,
    institution_detail,
    list_institutions,
    save_institution,
)
from r2pdesk.store import Store

Rows = Sequence[Sequence[object]]

GOOD: Rows = (
    HEADERS,
    ("Ministry of Justice", "MOJ", "Ministry", "info@justice.example.org", "+1 555 0100",
     "Daria Okonel", "Director of Human Rights", "d.okonel@justice.example.org", "+1 555 0101"),
    ("Ministry of Justice", None, None, None, None, "Felix Armand", "Legal Adviser", None, None),
    ("National Human Rights Commission", "NHRC", "national human rights institution", None,
     5550102, None, None, None, None),
    ("UN Country Team", "UNCT", "un_entity"),
)


def workbook(path: Path, rows: Rows, title: str = "Institutions") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def run_import(store: Store, path: Path) -> ImportResult:
    with store.session() as session:
        return import_institutions(session, path)


def snapshot(store: Store) -> tuple[object, ...]:
    with store.reader() as session:
        rows = list_institutions(session)
        details = [institution_detail(session, row.id) for row in rows]
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
    return tuple(rows), tuple(details), audit


def test_a_good_file_is_imported(store: Store, tmp_path: Path) -> None:
    result = run_import(store, workbook(tmp_path / "good.xlsx", GOOD))
    assert result == ImportResult(added=3, updated=0, unchanged=0, focal_points_added=2,
                                  focal_points_updated=0)
    assert result.summary() == (
        "3 institutions added, 0 updated, 0 unchanged; 2 focal points added, 0 updated."
    )
    with store.reader() as session:
        rows = {row.name: row for row in list_institutions(session)}
        justice = institution_detail(session, rows["Ministry of Justice"].id)
    assert set(rows) == {"Ministry of Justice", "National Human Rights Commission",
                         "UN Country Team"}
    nhrc = rows["National Human Rights Commission"]
    assert (nhrc.kind, nhrc.phone, nhrc.acronym) == (InstitutionKind.NHRI, "5550102", "NHRC")
    assert rows["UN Country Team"].kind is InstitutionKind.UN_ENTITY
    assert justice.row.email == "info@justice.example.org"
    assert [(p.name, p.title, p.email, p.phone) for p in justice.focal_points] == [
        ("Daria Okonel", "Director of Human Rights", "d.okonel@justice.example.org",
         "+1 555 0101"),
        ("Felix Armand", "Legal Adviser", "", ""),
    ]


def test_columns_in_any_order_and_case_with_extra_columns_and_blank_rows(
    store: Store, tmp_path: Path
) -> None:
    rows = (
        (None, None, None),
        ("Comments", "KIND", "e-mail", "name", "FOCAL POINT", "Acronym"),
        ("ours", "Judiciary  ", "registry@court.example.org", "  Supreme Court  ",
         "Nadia Pereth ", "SC"),
        (None, None, None, None, None, None),
        ("only a note", None, None, None, None, None),
        (None, "parliament", None, "National Assembly", None, None),
    )
    result = run_import(store, workbook(tmp_path / "mixed.xlsx", rows))
    assert (result.added, result.focal_points_added) == (2, 1)
    with store.reader() as session:
        court = find_institution(session, "sc")
        assembly = find_institution(session, "National Assembly")
    assert court is not None
    assert assembly is not None
    assert (court.name, court.kind, court.email) == (
        "Supreme Court", InstitutionKind.JUDICIARY, "registry@court.example.org"
    )
    assert assembly.kind is InstitutionKind.PARLIAMENT


def test_a_bad_kind_names_sheet_row_and_column_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    rows = (*GOOD, ("Ministry of Defence", "MOD", "Ministy", "defence@"))
    path = workbook(tmp_path / "bad.xlsx", rows, title="My list")
    before = snapshot(store)
    with pytest.raises(WorkbookError) as caught:
        run_import(store, path)
    issues = caught.value.issues
    assert [(i.sheet, i.row, i.letter, i.column) for i in issues] == [
        ("My list", 6, "C", "Kind"),
        ("My list", 6, "D", "E-mail"),
    ]
    message = str(caught.value)
    assert message.startswith("Nothing was imported: the file has 2 problems.")
    assert (
        "Sheet 'My list', row 6, column C (Kind): 'Ministy' is not a kind of institution"
        in message
    )
    assert "Sheet 'My list', row 6, column D (E-mail): 'defence@' is not an e-mail address" in (
        message
    )
    assert snapshot(store) == before


def test_every_row_is_checked_and_the_first_twenty_problems_shown(
    store: Store, tmp_path: Path
) -> None:
    rows = (("Name", "Kind"), *((f"Institution {n}", "nothing") for n in range(25)))
    with pytest.raises(WorkbookError) as caught:
        run_import(store, workbook(tmp_path / "many.xlsx", rows))
    assert len(caught.value.issues) == 25
    message = str(caught.value)
    assert "row 21, column B (Kind)" in message
    assert "row 22," not in message
    assert message.endswith("… and 5 more.")


def test_rows_without_a_name_or_with_a_nameless_focal_point_are_errors(
    store: Store, tmp_path: Path
) -> None:
    rows = (
        ("Name", "Acronym", "Focal point", "Focal point e-mail"),
        (None, "XYZ", None, None),
        ("Agency", None, None, "someone@example.org"),
        ("Agency", "AG", None, None),
        ("Agency", "AGY", None, None),
    )
    with pytest.raises(WorkbookError) as caught:
        run_import(store, workbook(tmp_path / "gaps.xlsx", rows))
    reasons = [(i.row, i.column, i.reason) for i in caught.value.issues]
    assert reasons == [
        (2, "Name", "every row needs the institution's name."),
        (3, "Focal point e-mail", "a focal point's details are given without their name."),
        (5, "Acronym", "'AGY' differs from 'AG' in row 3 for the same institution."),
    ]


def test_reimporting_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "good.xlsx", GOOD)
    run_import(store, path)
    before = snapshot(store)
    result = run_import(store, path)
    assert result == ImportResult(added=0, updated=0, unchanged=3, focal_points_added=0,
                                  focal_points_updated=0)
    assert snapshot(store) == before  # not even a revision or an audit entry


def test_existing_institutions_are_updated_only_where_the_file_has_a_value(
    store: Store, tmp_path: Path
) -> None:
    with store.session() as session:
        save_institution(session, InstitutionInput(
            name="Ministry of Justice", acronym="MJ", kind=InstitutionKind.MINISTRY,
            email="old@justice.example.org", phone="+1 555 0000", notes="Our notes.",
        ))
    rows = (
        ("name", "acronym", "kind", "email", "phone", "focal point", "focal point title"),
        ("MINISTRY OF JUSTICE", "MOJ", None, None, None, "Daria Okonel", "Director"),
    )
    result = run_import(store, workbook(tmp_path / "update.xlsx", rows))
    assert (result.added, result.updated, result.focal_points_added) == (0, 1, 1)
    with store.reader() as session:
        row = find_institution(session, "moj")
        assert row is not None
        detail = institution_detail(session, row.id)
    assert (row.name, row.acronym, row.kind, row.email, row.phone) == (
        "Ministry of Justice", "MOJ", InstitutionKind.MINISTRY, "old@justice.example.org",
        "+1 555 0000",
    )
    assert detail.notes == "Our notes."
    rows = (("Name", "Focal point", "Focal point title"),
            ("Ministry of Justice", "daria okonel", "Minister"))
    result = run_import(store, workbook(tmp_path / "again.xlsx", rows))
    assert (result.updated, result.focal_points_added, result.focal_points_updated) == (1, 0, 1)
    with store.reader() as session:
        points = institution_detail(session, row.id).focal_points
    assert [(p.name, p.title) for p in points] == [("Daria Okonel", "Minister")]


def test_a_file_that_is_not_a_workbook_is_refused_plainly(store: Store, tmp_path: Path) -> None:
    text = tmp_path / "list.xlsx"
    text.write_text("Name,Kind\nMinistry of Justice,Ministry\n")
    with pytest.raises(KnownError, match=r"^list.xlsx is not an Excel workbook \(.xlsx\)\.$"):
        run_import(store, text)
    csv = tmp_path / "list.csv"
    csv.write_text("Name\n")
    with pytest.raises(KnownError, match="is not an Excel workbook"):
        run_import(store, csv)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(KnownError, match=r"older Excel file \(.xls\)"):
        run_import(store, old)
    with pytest.raises(KnownError, match=r"Cannot read missing\.xlsx"):
        run_import(store, tmp_path / "missing.xlsx")


def test_a_damaged_workbook_is_refused_plainly(store: Store, tmp_path: Path) -> None:
    good = workbook(tmp_path / "good.xlsx", GOOD)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of the XML
            target.writestr(item, data)
    with pytest.raises(KnownError, match="damaged or not an Excel workbook"):
        run_import(store, damaged)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:300])
    with pytest.raises(KnownError, match=r"damaged\.xlsx|truncated\.xlsx"):
        run_import(store, truncated)


def test_an_xml_bomb_is_refused(store: Store, tmp_path: Path) -> None:
    good = workbook(tmp_path / "good.xlsx", GOOD)
    bomb = tmp_path / "bomb.xlsx"
    entities = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("Ministry of Justice", "&lol2;", 1)
                assert "&lol2;" in text
                data = (entities + text).encode()
            target.writestr(item, data)
    before = snapshot(store)
    with pytest.raises(KnownError, match="damaged or not an Excel workbook") as caught:
        run_import(store, bomb)
    assert snapshot(store) == before
    causes = []
    error: BaseException | None = caught.value
    while error is not None:
        causes.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    assert "EntitiesForbidden" in causes  # defusedxml refused it, not a lucky parse error


def test_a_sheet_without_a_name_column_is_refused_plainly(store: Store, tmp_path: Path) -> None:
    path = workbook(tmp_path / "noname.xlsx", (("Institution", "Kind"), ("MOJ", "Ministry")))
    with pytest.raises(KnownError, match=r"^Sheet 'Institutions' has no 'Name' column"):
        run_import(store, path)
    empty = workbook(tmp_path / "empty.xlsx", ())
    with pytest.raises(KnownError, match="is empty"):
        run_import(store, empty)


def test_the_template_reads_back_and_offers_the_kinds(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert read_workbook(path) == []  # an empty template imports nothing, without error
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "Institutions"
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > 30
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(KIND_LABELS.values()) + '"'
    assert "C2" in validation.sqref
    assert book.sheetnames == ["Institutions", "Read me"]
    assert not list(tmp_path.glob("*.part"))


def test_the_filled_in_template_imports(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append(["=cmd|' /C calc'!A0", "X", "Civil-society organization"])
    sheet["A2"].data_type = "s"
    sheet.append(["Civil Society Network", "CSN", "Civil-society organization"])
    book.save(path)
    result = run_import(store, path)
    assert result.added == 2
    with store.reader() as session:
        names = [row.name for row in list_institutions(session, kind="civil_society")]
    assert names == ["=cmd|' /C calc'!A0", "Civil Society Network"]


def test_the_template_cannot_be_written_to_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="Cannot write"):
        write_template(tmp_path / "nowhere" / "template.xlsx")
