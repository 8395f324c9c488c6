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
