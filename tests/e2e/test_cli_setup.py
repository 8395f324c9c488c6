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


SIGNED_ENV = {"R2PDESK_MEMBER": MEMBER}


def set_up(db: Path) -> None:
    """The committee and its lists, from an empty database, every write signed by MEMBER: the
    first member signs their own addition, then everything else."""
    init = cli(db, "init")
    assert init.returncode == 0, init.stderr
    ok(db, "--as", MEMBER, "members", "add", "--name", MEMBER, "--constituency",
       "independent_expert", "--role", "secretariat", "--term-start", "2026-01-01",
       "--term-end", "2028-12-31")
    signed = SIGNED_ENV
    assert ok(db, "committee", "--name", "National Committee", "--country", "Freedonia",
              env=signed) == {"name": "National Committee", "country": "Freedonia"}
    ok(db, "institutions", "add", "--name", "Ministry of the Interior", "--acronym", "MOI",
       "--kind", "ministry", env=signed)
    ok(db, "members", "add", "--name", "Jean Petit", "--constituency", "government",
       "--institution", "MOI", env=signed)
    ok(db, "members", "add", "--name", "Sara Lund", "--constituency", "civil_society",
       "--email", "sara@example.org", env=signed)
    ok(db, "areas", "add", "--name", "Freedonia", "--level", "country", env=signed)
    ok(db, "areas", "add", "--name", "North", "--within", "Freedonia", "--level", "region",
       "--code", "FR-N", env=signed)
    ok(db, "areas", "add", "--name", "Riverside", "--within", "FR-N", "--level", "district",
       env=signed)
    ok(db, "areas", "add", "--name", "Hilltop", "--within", "Freedonia > North", "--level",
       "district", env=signed)
    ok(db, "groups", "add", "--name", "River fishers", "--kind", "national", env=signed)
    ok(db, "groups", "add", "--name", "Hill villagers", "--kind", "ethnical", env=signed)
    ok(db, "groups", "add", "--name", "Displaced families", "--kind", "displaced_persons",
       env=signed)
    ok(db, "sources", "add", "--name", "Radio North", "--kind", "open_media", "--reliability",
       "B", "--credibility", "2", env=signed)
    identity = db.with_name("identity.txt")
    identity.write_text("A teacher in Riverside, phone 555\n", "utf-8")
    ok(db, "sources", "add", "--name", "Informant R7", "--kind", "confidential_informant",
       "--reliability", "C", "--credibility", "3", "--identity-file", str(identity), env=signed)


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
    assert ("create", "member") in mine  # the first member signed their own addition
    # The whole script is signed by the member: the login's name is nowhere in the trail.
    assert {e["actor"] for e in trail} == {MEMBER}
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
        # No abbreviated option: --identity is not --identity-file.
        (("sources", "add", "--name", "Someone", "--identity", "x"),
         "unrecognized arguments: --identity x"),
        (("--as", "Paul Obi", "committee", "--name", "Another"),
         "members add --name 'Paul Obi' --as 'Paul Obi'"),
        (("--as", "Paul Obi", "members", "add", "--name", "Ada Obi"), "--as: "),
        (("institutions", "delete", "MOI"), "members come from it (Jean Petit)"),
        (("areas", "retire", "Atlantis"), "area: no area in use is named 'Atlantis'"),
        (("areas", "restore", "North"), "area: no retired area is named 'North'"),
        (("warnings", "close", "EW-1999-001", "--resolution", "resolved"), "warning: "),
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


def test_records_are_named_by_a_short_id_or_their_words(tmp_path: Path,
                                                        committee_db: Path) -> None:
    db = shutil.copy(committee_db, tmp_path / "x.db")
    first = ok(db, "recs", "add", "--text", "Train local mediators in every district",
               env=SIGNED_ENV)
    ok(db, "recs", "add", "--text", "Train teachers in conflict-sensitive teaching",
       env=SIGNED_ENV)
    short = first["id"][:8]
    assert ok(db, "recs", "progress", short, "--status", "in_progress",
              env=SIGNED_ENV)["id"] == first["id"]
    by_words = ok(db, "recs", "progress", "train  LOCAL mediators", "--status", "implemented",
                  env=SIGNED_ENV)
    assert (by_words["id"], by_words["status"]) == (first["id"], "implemented")
    several = cli(db, "recs", "progress", "Train", "--status", "in_progress")
    assert several.returncode == 1
    assert "several begin with 'Train'" in several.stderr
    too_short = cli(db, "recs", "progress", short[:7], "--status", "in_progress")
    assert "recommendation: none has the id" in too_short.stderr

    national = ok(db, "assessments")[0]
    rated = ok(db, "assessments", "rate", national["id"][:10], "--indicator", "7.4", "--level",
               "low", env=SIGNED_ENV)
    assert rated["id"] == national["id"]
    assert ok(db, "assessments", "rate", "national", "--indicator", "7.4", "--level",
              "moderate", env=SIGNED_ENV)["rated"]["level"] == "moderate"


def test_areas_are_named_alike_by_every_command(tmp_path: Path, committee_db: Path) -> None:
    db = shutil.copy(committee_db, tmp_path / "x.db")
    ok(db, "areas", "add", "--name", "South", "--within", "Freedonia", env=SIGNED_ENV)
    ok(db, "areas", "add", "--name", "Riverside", "--within", "South", env=SIGNED_ENV)
    ambiguous = cli(db, "areas", "retire", "Riverside")
    assert ambiguous.returncode == 1
    assert ("area: several areas are named 'Riverside' (Freedonia > North > Riverside; "
            "Freedonia > South > Riverside); give the path or the code") in ambiguous.stderr
    same = cli(db, "warnings", "add", "--title", "Clashes", "--area", "Riverside")
    assert ambiguous.stderr.splitlines()[-1] == same.stderr.splitlines()[-1]
    # The end of a path names it everywhere: retire, restore, --within, --area.
    assert ok(db, "areas", "retire", "South > Riverside", env=SIGNED_ENV)["retired"] is True
    assert ok(db, "warnings", "add", "--title", "Clashes", "--area", "Riverside",
              env=SIGNED_ENV)["areas"] == ["Riverside"]
    restored = ok(db, "areas", "restore", "South > Riverside", env=SIGNED_ENV)
    assert restored["path"] == "Freedonia > South > Riverside"
    assert restored["retired"] is False
    assert ok(db, "areas", "edit", restored["id"], "--code", "FR-S-R",
              env=SIGNED_ENV)["code"] == "FR-S-R"


def test_institutions_are_edited_and_deleted(tmp_path: Path, committee_db: Path) -> None:
    db = shutil.copy(committee_db, tmp_path / "x.db")
    added = ok(db, "institutions", "add", "--name", "Ministry of Justice", "--kind", "ministry",
               env=SIGNED_ENV)
    assert added["acronym"] == ""
    edited = ok(db, "institutions", "edit", "Ministry of Justice", "--acronym", "MOJ",
                "--phone", "555 0101", env=SIGNED_ENV)
    assert (edited["id"], edited["acronym"], edited["kind"], edited["phone"]) == (
        added["id"], "MOJ", "ministry", "555 0101")
    renamed = ok(db, "institutions", "edit", "MOJ", "--name", "Ministry of Justice and Law",
                 env=SIGNED_ENV)
    assert (renamed["name"], renamed["acronym"]) == ("Ministry of Justice and Law", "MOJ")
    ok(db, "recs", "add", "--text", "Reform the courts", "--lead", "MOJ", env=SIGNED_ENV)
    led = cli(db, "institutions", "delete", "MOJ")
    assert led.returncode == 1
    assert "cannot be deleted: it leads 1 recommendation" in led.stderr
    spare = ok(db, "institutions", "add", "--name", "Office of Statistics", env=SIGNED_ENV)
    deleted = ok(db, "institutions", "delete", spare["id"], env=SIGNED_ENV)
    assert deleted["deleted"] is True
    assert "Office of Statistics" not in [i["name"] for i in ok(db, "institutions")]
    trail = ok(db, "audit")
    assert ("delete", "institution") in {(e["action"], e["table"]) for e in trail}


def test_warnings_are_escalated_and_closed(tmp_path: Path, committee_db: Path) -> None:
    db = shutil.copy(committee_db, tmp_path / "x.db")
    reference = ok(db, "warnings", "add", "--title", "Tension at the market", "--severity",
                   "moderate", "--likelihood", "likely", "--horizon", "weeks", "--addressee",
                   "MOI", env=SIGNED_ENV)["reference"]
    draft = cli(db, "warnings", "close", reference, "--resolution", "resolved")
    assert "a draft was never issued" in draft.stderr
    ok(db, "warnings", "issue", reference, env=SIGNED_ENV)
    lower = cli(db, "warnings", "escalate", reference, "--severity", "low", "--reason", "x")
    assert "an escalation must raise the severity" in lower.stderr
    raised = ok(db, "warnings", "escalate", reference, "--severity", "high", "--reason",
                "Armed groups seen", env=SIGNED_ENV)
    assert raised["severity"] == "high"
    unsaid = cli(db, "warnings", "close", reference)
    assert "resolution: choose how the warning ended" in unsaid.stderr
    closed = ok(db, "warnings", "close", reference, "--resolution", "resolved", "--note",
                "Market reopened after mediation", env=SIGNED_ENV)
    assert (closed["status"], closed["resolution"]) == ("closed", "resolved")
    assert closed["resolution_note"] == "Market reopened after mediation"
    text = cli(db, "warnings", "close", reference, "--resolution", "resolved")
    assert "was already closed" in text.stderr
