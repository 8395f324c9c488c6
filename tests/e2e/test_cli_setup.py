"""A committee set up from an empty database with `r2pdesk-cli` alone, its work signed by a
member."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MEMBER = "Amina Kone"
# The tables of the records the scenario writes as MEMBER, each with the action seen in the trail.
SIGNED = {("create", "early_warning"), ("link", "warning_area"), ("link", "warning_group"),
          ("link", "warning_indicator"), ("link", "warning_source"), ("update", "early_warning"),
          ("create", "warning_response"), ("create", "recommendation"),
          ("create", "progress_update"), ("create", "assessment"), ("create", "rating")}


def cli(db: Path, *args: str,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a separate process on the database `db`."""
    environment = {k: v for k, v in os.environ.items() if k != "R2PDESK_MEMBER"}
    return subprocess.run(
        [sys.executable, "-m", "r2pdesk", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, env={**environment, **(env or {})},
        check=False,
    )


def ok(db: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """The JSON a command that must work printed."""
    result = cli(db, *args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def set_up(db: Path) -> None:
    """The committee and its lists, from an empty database."""
    init = cli(db, "init")
    assert init.returncode == 0, init.stderr
    assert ok(db, "committee", "--name", "National Committee", "--country", "Freedonia") == {
        "name": "National Committee", "country": "Freedonia"}
    ok(db, "institutions", "add", "--name", "Ministry of the Interior", "--acronym", "MOI",
       "--kind", "ministry")
    ok(db, "members", "add", "--name", MEMBER, "--constituency", "independent_expert", "--role",
       "secretariat", "--term-start", "2026-01-01", "--term-end", "2028-12-31")
    ok(db, "members", "add", "--name", "Jean Petit", "--constituency", "government",
       "--institution", "MOI")
    ok(db, "members", "add", "--name", "Sara Lund", "--constituency", "civil_society",
       "--email", "sara@example.org")
    ok(db, "areas", "add", "--name", "Freedonia", "--level", "country")
    ok(db, "areas", "add", "--name", "North", "--within", "Freedonia", "--level", "region",
       "--code", "FR-N")
    ok(db, "areas", "add", "--name", "Riverside", "--within", "FR-N", "--level", "district")
    ok(db, "areas", "add", "--name", "Hilltop", "--within", "Freedonia > North", "--level",
       "district")
    ok(db, "groups", "add", "--name", "River fishers", "--kind", "national")
    ok(db, "groups", "add", "--name", "Hill villagers", "--kind", "ethnical")
    ok(db, "groups", "add", "--name", "Displaced families", "--kind", "displaced_persons")
    ok(db, "sources", "add", "--name", "Radio North", "--kind", "open_media", "--reliability",
       "B", "--credibility", "2")
    identity = db.with_name("identity.txt")
    identity.write_text("A teacher in Riverside, phone 555\n", "utf-8")
    ok(db, "sources", "add", "--name", "Informant R7", "--kind", "confidential_informant",
       "--reliability", "C", "--credibility", "3", "--identity-file", str(identity))


def test_a_committee_from_empty_with_the_cli_alone(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    set_up(db)
    assert ok(db, "committee")["name"] == "National Committee"
    assert [m["name"] for m in ok(db, "members")] == [MEMBER, "Jean Petit", "Sara Lund"]
    assert [a["path"] for a in ok(db, "areas", "list")] == [
        "Freedonia", "Freedonia > North", "Freedonia > North > Hilltop",
        "Freedonia > North > Riverside"]
    assert len(ok(db, "groups")) == 3
    sources = ok(db, "sources")
    assert [s["name"] for s in sources] == ["Informant R7", "Radio North"]
    assert "teacher" not in json.dumps(sources)  # an informant's identity is never listed
    assert sources[0]["has_identity"] is True

    signed = {"R2PDESK_MEMBER": MEMBER}
    warning = ok(db, "--as", MEMBER, "warnings", "add", "--title", "Tension over river access",
                 "--description", "Clashes at the landing", "--severity", "high",
                 "--likelihood", "likely", "--horizon", "weeks", "--area", "Riverside",
                 "--group", "River fishers", "--indicator", "7.4", "--source", "Radio North",
                 "--addressee", "MOI")
    assert warning["status"] == "draft"
    assert warning["areas"] == ["Riverside"]
    assert warning["groups"] == ["River fishers"]
    assert warning["indicators"] == ["7.4"]
    assert warning["sources"] == ["Radio North"]
    reference = warning["reference"]
    issued = ok(db, "warnings", "issue", reference, "--as", MEMBER)
    assert issued["status"] == "issued"
    assert issued["response_due"]
    answered = ok(db, "warnings", "respond", reference, "--institution", "Ministry of the Interior",
                  "--kind", "action", "--text", "Patrols along the river", env=signed)
    assert answered["status"] == "response_under_way"
    assert answered["responses"][0]["action_taken"] == "Patrols along the river"
    assert [w["reference"] for w in ok(db, "warnings", "--status", "response_under_way")] == [
        reference]

    rec = ok(db, "recs", "add", "--text", "Train local mediators", "--lead", "MOI", "--due",
             "2099-06-30", "--priority", "high", "--made", "2026-01-15", env=signed)
    assert rec["lead_institution"] == "Ministry of the Interior"
    progressed = ok(db, "recs", "progress", rec["id"], "--status", "in_progress", "--date",
                    "2026-02-01", "--note", "Ten mediators trained", env=signed)
    assert progressed["status"] == "in_progress"
    assert progressed["progress"][0]["note"] == "Ten mediators trained"

    assessment = ok(db, "assessments", "new", "--title", "North, first half", "--start",
                    "2026-01-01", "--end", "2026-06-30", "--area", "North", "--phase",
                    "emerging_risk", env=signed)
    assert assessment["scope"] == "North"
    rated = ok(db, "assessments", "rate", assessment["id"], "--indicator", "7.4", "--level",
               "high", "--evidence", "Radio reports of clashes", "--confidence", "medium",
               "--source", "Radio North", env=signed)
    assert rated["rated"] == {"indicator": "7.4", "level": "high"}
    assert rated["effective_level"] == "high"

    trail = ok(db, "audit")
    mine = {(e["action"], e["table"]) for e in trail if e["actor"] == MEMBER}
    assert mine >= SIGNED
    assert all(e["actor"] == MEMBER for e in trail if (e["action"], e["table"]) in SIGNED)
    listed = cli(db, "audit")
    assert listed.returncode == 0, listed.stderr
    assert sum(MEMBER in line for line in listed.stdout.splitlines()) >= len(SIGNED)
    verified = cli(db, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout


def test_lists_are_edited_retired_and_merged(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    set_up(db)
    edited = ok(db, "members", "edit", "Sara Lund", "--role", "chair", "--no-active")
    assert (edited["role"], edited["active"], edited["email"]) == ("chair", False,
                                                                   "sara@example.org")
    ok(db, "areas", "add", "--name", "Hill top", "--within", "North")
    merged = ok(db, "areas", "merge", "Freedonia > North > Hilltop", "Hill top")
    assert merged["name"] == "Hilltop"
    assert [a["name"] for a in ok(db, "areas", "--search", "hill")] == ["Hilltop"]
    assert ok(db, "groups", "retire", "Hill villagers")["retired"] is True
    assert [g["name"] for g in ok(db, "groups")] == ["Displaced families", "River fishers"]
    assert len(ok(db, "groups", "list", "--all")) == 3
    assert ok(db, "groups", "restore", "Hill villagers")["retired"] is False
    graded = ok(db, "sources", "edit", "Radio North", "--reliability", "a", "--credibility", "1")
    assert (graded["reliability"], graded["credibility"]) == ("A", 1)


@pytest.fixture(scope="module")
def committee_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("committee") / "committee.db"
    set_up(db)
    ok(db, "assessments", "new", "--title", "National", "--start", "2026-01-01", "--end",
       "2026-06-30")
    return db


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("recs", "add", "--text", "Train mediators", "--due", "2026-02-30"), "due: "),
        (("warnings", "add", "--title", "Clashes", "--area", "Atlantis"), "area: "),
        (("--as", "Nobody", "warnings", "add", "--title", "Clashes"), "--as: "),
        (("assessments", "rate", "National", "--indicator", "7.4", "--level", "extreme"),
         "level: "),
        (("members", "add", "--name", "Jean Petit"), "name: "),
        (("warnings", "add", "--title", "Clashes", "--indicator", "99.9"), "indicator: "),
        (("recs", "progress", "2009-MS-01", "--status", "in_progress"), "recommendation: "),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    tmp_path: Path, committee_db: Path, args: tuple[str, ...], needle: str
) -> None:
    db = shutil.copy(committee_db, tmp_path / "x.db")
    before = ok(db, "stats")
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    result = cli(db, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("r2pdesk-cli: error: ")
    assert needle in lines[0]
    assert result.stdout == ""
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert ok(db, "stats") == before
