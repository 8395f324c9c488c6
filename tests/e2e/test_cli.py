"""`r2pdesk-cli` and `python -m r2pdesk` run as a secretariat's script would run them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from r2pdesk import migrate
from tests.helpers.databases import copy_database


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "r2pdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_then_stats(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    init = cli("--db", str(db), "init")
    assert init.returncode == 0, init.stderr
    assert f"database {db} at schema" in init.stdout
    stats = as_json(cli("--db", str(db), "stats", "--json"))
    assert stats["reports"] == 18
    assert stats["catalogue_recommendations_2009_2024"] == 432
    assert stats["catalogue_by_year"]["2025"] == 3
    assert stats["catalogue_by_year"]["2026"] == 5
    assert stats["catalogue_recommendations"] == 440
    assert stats["risk_factors"] == 14
    for key in ("institutions", "recommendations", "warnings", "assessments"):
        assert stats[key] == 0
    assert stats["schema_revision"] == migrate.head_revision()


def test_json_flag_before_the_command_too(tmp_path: Path, empty_template: Path) -> None:
    db = copy_database(empty_template, tmp_path / "x.db")
    assert as_json(cli("--json", "--db", str(db), "stats"))["reports"] == 18


def test_init_twice_changes_nothing(tmp_path: Path, empty_template: Path) -> None:
    db = copy_database(empty_template, tmp_path / "x.db")
    before = digest(db)
    result = as_json(cli("--db", str(db), "init", "--json"))
    assert result["backup"] is None
    assert digest(db) == before


def test_init_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = as_json(cli("--db", str(db), "init", "--demo", "--json"))
    assert result["demo"]
    stats = as_json(cli("--db", str(db), "stats", "--json"))
    assert stats["demo"] is True
    for key in ("institutions", "recommendations", "warnings", "assessments"):
        assert stats[key] > 0
    again = cli("--db", str(db), "init", "--demo")
    assert again.returncode != 0
    assert len(again.stderr.strip().splitlines()) == 1
    assert "demo" in again.stderr


def test_catalogue_json(tmp_path: Path, empty_template: Path) -> None:
    db = copy_database(empty_template, tmp_path / "x.db")
    items = as_json(cli("--db", str(db), "catalogue", "--json"))
    assert len(items) == 440
    assert set(items[0]) >= {"id", "year", "symbol", "title", "target", "text", "paragraphs"}
    assert items[0] == {
        "id": "2009-MS-01",
        "year": 2009,
        "symbol": "A/63/677",
        "title": "Implementing the responsibility to protect",
        "target": "Member States",
        "text": "Accept and act in accordance with the responsibility to protect (Pillar One).",
        "paragraphs": "13–27 46–47",
    }
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("args", "count"),
    [
        (("--year", "2009"), 35),
        (("--year", "2009", "--target", "Member States"), 12),
        (("--target", "member states"), 158),
        (("--target", "General Assembly"), 5),
        (("--year", "2026"), 5),
        (("--search", "Framework of Analysis"), None),
    ],
)
def test_catalogue_filters(
    tmp_path: Path, empty_template: Path, args: tuple[str, ...], count: int | None
) -> None:
    db = copy_database(empty_template, tmp_path / "x.db")
    items = as_json(cli("--db", str(db), "catalogue", "--json", *args))
    if count is not None:
        assert len(items) == count
    else:
        assert items
        assert all("framework of analysis" in item["text"].lower() for item in items)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("catalogue", "--year", "1999"), "no catalogue recommendation matches that year"),
        (("catalogue", "--year", "twenty"), "invalid int value"),
        (("catalogue", "--target", "Nobody"), "no catalogue recommendation matches that target"),
        (("frobnicate",), "invalid choice"),
        ((), "required: command"),
    ],
)
def test_errors_are_one_line_and_change_nothing(
    tmp_path: Path, empty_template: Path, args: tuple[str, ...], needle: str
) -> None:
    db = copy_database(empty_template, tmp_path / "x.db")
    before = digest(db)
    result = cli("--db", str(db), *args)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert digest(db) == before


def test_missing_database_is_not_created_by_stats(tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    result = cli("--db", str(db), "stats", "--json")
    assert result.returncode == 1
    assert result.stderr.strip() == f"r2pdesk-cli: error: there is no database at {db}"
    assert not db.exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("minutes of the meeting")
    result = cli("--db", str(db), "init")
    assert result.returncode == 1
    assert "not an r2pdesk database" in result.stderr
    assert db.read_text() == "minutes of the meeting"


def test_default_database_in_user_data_dir(tmp_path: Path) -> None:
    home = Path(os.environ["XDG_DATA_HOME"])
    result = cli("init", "--json")
    data = as_json(result)
    assert Path(data["database"]).is_relative_to(home)
    assert Path(data["database"]).exists()


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("r2pdesk-cli")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("r2pdesk ")


def test_recs_json(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    every = as_json(cli("--db", str(db), "recs", "--json"))
    assert len(every) == 25
    keys = {"id", "text", "status", "due", "overdue", "lead_institution", "source", "catalogue_id"}
    assert all(keys <= set(rec) for rec in every)
    today = date.today().isoformat()
    for rec in every:
        assert rec["overdue"] == bool(
            rec["due"] and rec["due"] < today
            and rec["status"] not in {"implemented", "not_applicable"}
        )
    adopted = [r for r in every if r["source"] == "catalogue"]
    assert adopted
    assert all(r["catalogue_id"] for r in adopted)

    overdue = as_json(cli("--db", str(db), "recs", "--json", "--overdue"))
    assert overdue == [r for r in every if r["overdue"]]
    done = as_json(cli("--db", str(db), "recs", "--status", "implemented", "--json"))
    assert done
    assert {r["status"] for r in done} == {"implemented"}

    lead = every[0]["lead_institution"]
    led = as_json(cli("--db", str(db), "recs", "--json", "--institution", lead.upper()))
    assert {r["id"] for r in every if r["lead_institution"] == lead} <= {r["id"] for r in led}

    stats = as_json(cli("--db", str(db), "stats", "--json"))
    by_status = stats["recommendations_by_status"]
    assert sum(by_status.values()) == 25
    assert by_status["implemented"] == len(done)


def test_recs_refuses_an_unknown_institution_or_status(
    tmp_path: Path, demo_template: Path
) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    unknown = cli("--db", str(db), "recs", "--institution", "Ministry of Magic")
    assert unknown.returncode == 1
    assert unknown.stderr == "r2pdesk-cli: error: no institution is named 'Ministry of Magic'\n"
    status = cli("--db", str(db), "recs", "--status", "done")
    assert status.returncode == 2
    assert "invalid choice: 'done'" in status.stderr
    assert len(status.stderr.splitlines()) == 1


def test_warnings_json(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    every = as_json(cli("--db", str(db), "warnings", "--json"))
    assert len(every) == 11
    keys = {"id", "reference", "title", "severity", "status", "issued", "response_due",
            "overdue", "indicators", "addressees"}
    assert all(keys <= set(w) for w in every)
    assert len({w["reference"] for w in every}) == 11
    assert all(isinstance(w["indicators"], list) for w in every)
    assert any(w["indicators"] for w in every)
    issued = [w for w in every if w["status"] != "draft"]
    assert all(w["addressees"] and w["severity"] and w["response_due"] for w in issued)
    today = date.today().isoformat()
    for warning in every:
        if warning["overdue"]:
            assert warning["response_due"] < today
            assert warning["status"] in {"issued", "acknowledged"}

    overdue = as_json(cli("--db", str(db), "warnings", "--overdue", "--json"))
    assert overdue == [w for w in every if w["overdue"]]
    drafts = as_json(cli("--db", str(db), "warnings", "--status", "draft", "--json"))
    assert drafts
    assert {w["status"] for w in drafts} == {"draft"}
    assert all(w["issued"] is None for w in drafts)


def test_assessments_json(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    every = as_json(cli("--db", str(db), "assessments", "--json"))
    assert len(every) == 3
    keys = {"id", "title", "scope", "period_start", "period_end", "phase", "status",
            "overall_level", "ratings"}
    assert all(keys <= set(a) for a in every)
    assert {a["scope"] for a in every} == {"national", "Velmora"}
    assert all(a["period_start"] < a["period_end"] for a in every)
    assert all(a["ratings"] > 14 for a in every)
    levels = {"not_assessed", "not_present", "low", "moderate", "high", "severe"}
    assert all(a["overall_level"] in levels for a in every)


def _focal_institution(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT i.name FROM institution i JOIN recommendation r "
            "ON r.lead_institution_id = i.id WHERE r.confidential = 0 "
            "GROUP BY i.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


def test_exchange_export_dry_run_import_and_conflicts(tmp_path: Path, demo_template: Path) -> None:
    from openpyxl import load_workbook

    db = copy_database(demo_template, tmp_path / "demo.db")
    out = tmp_path / "focal.xlsx"
    exported = as_json(cli("--db", str(db), "export-xlsx", "--out", str(out), "--institution",
                           _focal_institution(db), "--json"))
    assert exported["kind"] == "focal_point"
    assert exported["rows"]["Recommendations"] > 0
    book = load_workbook(out)
    sheet = book["Recommendations"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("Status")].value
               not in ("Implemented", "Not applicable"))
    row[headers.index("Status")].value = "Implemented"
    row[headers.index("Progress date")].value = "2026-11-20"
    row[headers.index("New progress note")].value = "Adopted."
    exported_due = row[headers.index("Due")].value
    row[headers.index("Due")].value = "someday"  # a locked column, changed anyway
    book.save(out)
    before = digest(db)

    dry = as_json(cli("--db", str(db), "import-xlsx", str(out), "--dry-run", "--json"))
    assert dry["applied"] is False
    assert dry["created"] == []
    assert dry["rejected"] == [{"sheet": "Recommendations", "row": row[0].row, "column": "Due",
                                "message": dry["rejected"][0]["message"]}]
    assert "'someday' is not a date" in dry["rejected"][0]["message"]
    assert digest(db) == before

    row[headers.index("Due")].value = exported_due  # put back as it was
    book.save(out)
    applied = as_json(cli("--db", str(db), "import-xlsx", str(out), "--json"))
    assert applied["applied"] is True
    assert [c["action"] for c in applied["created"]] == ["progress"]
    assert applied["created"][0]["fields"]["status"] == "implemented"
    assert applied["rejected"] == []
    assert set(applied) >= {"created", "updated", "unchanged", "conflicts", "rejected"}
    again = as_json(cli("--db", str(db), "import-xlsx", str(out), "--json"))
    assert again["created"] == again["updated"] == again["conflicts"] == []
    assert as_json(cli("--db", str(db), "conflicts", "--json")) == []


def test_import_xlsx_refuses_a_file_that_is_not_a_workbook(
    tmp_path: Path, demo_template: Path
) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    fake = tmp_path / "returned.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not really a workbook")
    before = digest(db)
    result = cli("--db", str(db), "import-xlsx", str(fake), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("r2pdesk-cli: error: returned.xlsx was not imported: ")
    assert len(result.stderr.splitlines()) == 1
    assert digest(db) == before


# --- report -------------------------------------------------------------------------------------


def test_report_implementation_writes_a_pdf(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    out = tmp_path / "x.pdf"
    result = cli("--db", str(db), "report", "implementation", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert result.stdout.strip() == f"implementation written to {out} (marked RESTRICTED)"
    data = as_json(cli("--db", str(db), "report", "ministry-brief", "--institution", "moj",
                       "--include-confidential", "--out", str(out), "--json"))
    assert data["marking"] == "CONFIDENTIAL"
    assert data["bytes"] == out.stat().st_size


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("ministry-brief",), "a ministry brief is for one institution"),
        (("ministry-brief", "--institution", "Ministry of Magic"), "no institution is named"),
        (("warning-note",), "a warning note is for one warning"),
        (("warning-note", "--id", "EW-1999-999"), "no warning has the reference or id"),
        (("assessment", "--id", "42"), "no assessment has the id '42'"),
        (("implementation", "--out-dir", "x"), "unrecognized arguments"),
        (("implementation", "--marking", "SECRET"), "invalid choice: 'SECRET'"),
        (("sitrep",), "invalid choice: 'sitrep'"),
    ],
)
def test_report_refusals_are_one_line_and_write_nothing(
    tmp_path: Path, demo_template: Path, args: tuple[str, ...], needle: str
) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    out = tmp_path / "out" / "x.pdf"
    out.parent.mkdir()
    result = cli("--db", str(db), "report", *args, "--out", str(out))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert list(out.parent.iterdir()) == []


def test_report_to_an_unwritable_place_is_refused(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    for out in (tmp_path / "missing" / "x.pdf", tmp_path):
        result = cli("--db", str(db), "report", "regional-brief", "--out", str(out))
        assert result.returncode == 1
        assert result.stderr.startswith(f"r2pdesk-cli: error: cannot write {out}: ")
        assert len(result.stderr.splitlines()) == 1
    long_name = tmp_path / "out" / ("x" * 300 + ".pdf")  # refused by the file system itself
    long_name.parent.mkdir()
    result = cli("--db", str(db), "report", "regional-brief", "--out", str(long_name))
    assert result.returncode == 1
    assert result.stderr.startswith(f"r2pdesk-cli: error: cannot write {long_name}: ")
    assert len(result.stderr.splitlines()) == 1
    assert list(long_name.parent.iterdir()) == []


# --- encryption, backups, restore, audit --------------------------------------------------------

PASSPHRASE = "committee of seven"


def secret_file(tmp_path: Path, name: str = "key.txt", text: str = PASSPHRASE) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


def test_init_encrypt_needs_a_passphrase(tmp_path: Path) -> None:
    db = tmp_path / "secret.db"
    refused = cli("--db", str(db), "init", "--encrypt", env={"R2PDESK_PASSPHRASE": ""})
    assert refused.returncode == 1
    assert "init --encrypt needs a passphrase" in refused.stderr
    assert not db.exists()
    made = cli("--db", str(db), "init", "--encrypt", "--demo",
               env={"R2PDESK_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    assert not db.read_bytes().startswith(b"SQLite format 3")
    assert b"Velmora" not in db.read_bytes()
    locked = cli("--db", str(db), "stats", env={"R2PDESK_PASSPHRASE": ""})
    assert locked.returncode == 1
    assert locked.stderr == (
        f"r2pdesk-cli: error: this database is encrypted: give its passphrase ({db})\n")
    wrong = cli("--db", str(db), "stats", env={"R2PDESK_PASSPHRASE": "guess"})
    assert wrong.returncode == 1
    assert wrong.stderr == f"r2pdesk-cli: error: wrong passphrase for {db}\n"
    stats = as_json(cli("--db", str(db), "stats", "--json", env={"R2PDESK_PASSPHRASE": PASSPHRASE}))
    assert stats["warnings"] == 11


def test_encrypt_then_change_the_passphrase(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    plain = as_json(cli("--db", str(db), "recs", "--json"))
    assert b"Velmora" in db.read_bytes()
    key = secret_file(tmp_path)
    done = cli("--db", str(db), "encrypt", "--passphrase-file", str(key),
               env={"R2PDESK_PASSPHRASE": ""})
    assert done.returncode == 0, done.stderr
    assert b"Velmora" not in db.read_bytes()
    assert as_json(cli("--passphrase-file", str(key), "--db", str(db), "recs", "--json")) == plain
    new = secret_file(tmp_path, "new.txt", "a longer and newer passphrase")
    changed = cli("--db", str(db), "passphrase", "--new-file", str(new),
                  env={"R2PDESK_PASSPHRASE": PASSPHRASE})
    assert changed.returncode == 0, changed.stderr
    old = cli("--db", str(db), "stats", "--passphrase-file", str(key))
    assert "wrong passphrase" in old.stderr
    assert as_json(cli("--db", str(db), "recs", "--json", "--passphrase-file", str(new))) == plain


def test_backup_and_restore(tmp_path: Path, demo_template: Path) -> None:
    db = copy_database(demo_template, tmp_path / "demo.db")
    out = tmp_path / "saved.db"
    made = as_json(cli("--db", str(db), "backup", "--out", str(out), "--json"))
    assert made["backup"] == str(out)
    damaged = tmp_path / "damaged.db"
    data = bytearray(out.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = bytes(4096)
    damaged.write_bytes(bytes(data))
    before = digest(db)
    refused = cli("--db", str(db), "restore", str(damaged))
    assert refused.returncode == 1
    assert "was refused" in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert digest(db) == before
    restored = as_json(cli("--db", str(db), "restore", str(out), "--json"))
    assert Path(restored["replaced_file_kept"]).exists()
    assert len(as_json(cli("--db", str(db), "recs", "--json"))) == 25


def test_audit_verify_and_list(tmp_path: Path, demo_template: Path) -> None:
    import sqlite3

    db = copy_database(demo_template, tmp_path / "demo.db")
    intact = cli("--db", str(db), "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.startswith("audit trail intact: ")
    total = int(intact.stdout.split(": ")[1].split()[0])
    assert total > 100
    entries = as_json(cli("--db", str(db), "audit", "--json"))
    assert len(entries) == total
    institutions = as_json(cli("--db", str(db), "audit", "--json", "--table", "institution"))
    assert institutions
    assert {e["table"] for e in institutions} == {"institution"}
    assert as_json(cli("--db", str(db), "audit", "--json", "--since", "2999-01-01")) == []
    conn = sqlite3.connect(db)
    conn.execute("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 7")
    conn.commit()
    conn.close()
    broken = cli("--db", str(db), "audit", "verify")
    assert broken.returncode == 1
    assert broken.stderr.startswith("r2pdesk-cli: error: audit trail broken at entry 7 (")
