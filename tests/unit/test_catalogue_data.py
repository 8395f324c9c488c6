"""The committed recommendation catalogue against its seed documents.

``tools/build_catalogue.py`` is the source of truth for ``resources/data/catalogue.json``; these
tests check that the committed file is what the generator makes now, and that what it makes
agrees with the seed text, counted here independently of the generator's row-joining logic.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "resources" / "sources"
GENERATOR = REPO / "tools" / "build_catalogue.py"
CATALOGUE = REPO / "resources" / "data" / "catalogue.json"
MAPPING = "004_e9b96148bbcb9e2c.txt"

TARGET_NAMES = {
    "Member States",
    "Regional and Subregional Organizations",
    "United Nations",
    "General Assembly",
    "Civil Society",
    "International Development Actors",
}
MS = "Member States"
RSO = "Regional and Subregional Organizations"
UN = "United Nations"
GA = "General Assembly"
CS = "Civil Society"
IDA = "International Development Actors"

# Bullets per target, counted by eye in the mapping (rows split by page breaks added up).
EXPECTED_PER_TARGET: dict[int, dict[str, int]] = {
    2009: {MS: 12, RSO: 4, UN: 9, GA: 5, CS: 5},
    2010: {MS: 2, RSO: 2, UN: 5, CS: 2},
    2011: {MS: 6, RSO: 10, UN: 7, CS: 4},
    2012: {MS: 7, RSO: 4, UN: 8, CS: 4},
    2013: {MS: 10, RSO: 3, UN: 3, CS: 3},
    2014: {MS: 9, RSO: 6, UN: 7, CS: 6},
    2015: {MS: 14, RSO: 6, UN: 9, CS: 6},
    2016: {MS: 12, RSO: 6, UN: 8, CS: 5},
    2017: {MS: 13, RSO: 5, UN: 10, CS: 5},
    2018: {MS: 9, RSO: 5, UN: 8, CS: 2},
    2019: {MS: 9, RSO: 5, UN: 8, CS: 5},
    2020: {MS: 12, RSO: 6, UN: 7, CS: 7},
    2021: {MS: 10, RSO: 8, UN: 7, CS: 6},
    2022: {MS: 10, RSO: 3, UN: 5, CS: 2},
    2023: {MS: 12, RSO: 3, UN: 3, CS: 5, IDA: 9},
    2024: {MS: 6, RSO: 3, UN: 12, CS: 3},
}


def _seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(
            f"seed documents not found at {SEEDS}: the catalogue is checked against them"
        )
    return SEEDS


@cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_catalogue", GENERATOR)
    assert spec is not None, f"cannot load {GENERATOR}"
    loader = spec.loader
    assert loader is not None, f"cannot load {GENERATOR}"
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@cache
def _catalogue() -> dict[str, Any]:
    assert CATALOGUE.is_file(), f"{CATALOGUE} missing: run python tools/build_catalogue.py"
    data: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return data


def _report(year: int) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [r for r in _catalogue()["reports"] if r["year"] == year]
    assert len(matches) == 1, f"{year}: {len(matches)} reports"
    return matches[0]


def _texts(report: dict[str, Any], target: str | None = None) -> list[str]:
    return [
        rec["text"]
        for entry in report["targets"]
        if target is None or entry["target"] == target
        for rec in entry["recommendations"]
    ]


def _raw_counts_per_report() -> dict[int, int]:
    """Bullet starts in the raw mapping, per report section: a hyphen at a line start or after
    whitespace, followed by a space. Separator rows ("--\\t---") and split paragraph references
    ("51-" at a line end) do not match; en dashes are not hyphens."""
    text = (_seeds() / MAPPING).read_text(encoding="utf-8")
    heads = list(re.finditer(r"(?m)^\d+\. (\d{4}) Report", text))
    counts: dict[int, int] = {}
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        section = text[head.start() : end]
        counts[int(head.group(1))] = len(re.findall(r"(?m)(?:^|(?<=\s))- (?=\S)", section))
    return counts


def test_committed_catalogue_is_what_the_generator_builds() -> None:
    module = _generator()
    expected = json.dumps(module.build(_seeds()), ensure_ascii=False, indent=2) + "\n"
    actual = CATALOGUE.read_text(encoding="utf-8")
    assert actual == expected, "catalogue.json is stale: run python tools/build_catalogue.py"


def test_counts_per_report_match_raw_seed() -> None:
    raw = _raw_counts_per_report()
    assert sorted(raw) == list(range(2009, 2025))
    assert sum(raw.values()) == 432  # the seed README's figure
    for year, count in raw.items():
        assert len(_texts(_report(year))) == count, year
    early = [r for r in _catalogue()["reports"] if r["year"] <= 2024]
    assert sum(len(_texts(r)) for r in early) == 432


def test_parse_mapping_gives_432() -> None:
    text = (_seeds() / MAPPING).read_text(encoding="utf-8")
    reports = _generator().parse_mapping(text)
    assert [r["number"] for r in reports] == list(range(1, 17))
    assert sum(len(_texts(r)) for r in reports) == 432


@pytest.mark.parametrize("year", sorted(EXPECTED_PER_TARGET))
def test_counts_per_target(year: int) -> None:
    report = _report(year)
    got = {entry["target"]: len(entry["recommendations"]) for entry in report["targets"]}
    assert got == EXPECTED_PER_TARGET[year]
    # Each target once per report, in the order of the source table.
    assert [entry["target"] for entry in report["targets"]] == list(EXPECTED_PER_TARGET[year])


def test_report_sequence_and_metadata() -> None:
    reports = _catalogue()["reports"]
    assert [r["year"] for r in reports] == list(range(2009, 2027))
    assert [r["number"] for r in reports] == list(range(1, 19))
    for report in reports:
        assert report["title"]
        assert not report["title"].startswith(("“", '"'))
        if report["year"] <= 2024:
            assert "date" not in report
            assert report["symbol"].startswith("A/")
            assert "[" not in report["symbol"]
            assert report["focus"]
            assert report["source"] == MAPPING
    assert _report(2009)["symbol"] == "A/63/677"
    assert _report(2016)["symbol"] == "A/70/999-S/2016/620"
    assert _report(2009)["focus"] == (
        "The Three-pillar strategy for the implementation of the responsibility to protect."
    )
    assert _report(2021)["focus"].startswith("Details the efforts of the UN office")
    assert (
        _report(2013)["title"] == "Responsibility to protect: State responsibility and prevention"
    )
    assert _report(2018)["title"] == "Responsibility to protect: from early warning to early action"
    assert [t["code"] for t in _catalogue()["targets"]] == ["MS", "RSO", "UN", "GA", "CS", "IDA"]


def test_texts_are_clean() -> None:
    for report in _catalogue()["reports"]:
        for entry in report["targets"]:
            assert entry["target"] in TARGET_NAMES or (
                entry["target"] == "" and report["year"] >= 2025
            ), entry["target"]
            for rec in entry["recommendations"]:
                text = rec["text"]
                assert text, rec["id"]
                assert text == text.strip(), rec["id"]
                for bad in ("<", ">", "\t", "  "):
                    assert bad not in text, (rec["id"], bad)
                assert not text.startswith("-"), rec["id"]
                assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", text), rec["id"]


def test_ids_are_unique_and_sequential() -> None:
    codes = {t["name"]: t["code"] for t in _catalogue()["targets"]}
    seen: set[str] = set()
    for report in _catalogue()["reports"]:
        counters: dict[str, int] = {}
        for entry in report["targets"]:
            code = codes.get(entry["target"], "NS")
            for rec in entry["recommendations"]:
                counters[code] = counters.get(code, 0) + 1
                assert rec["id"] == f"{report['year']}-{code}-{counters[code]:02d}"
                assert rec["id"] not in seen
                seen.add(rec["id"])


def test_rejoined_rows_come_out_whole() -> None:
    assert (
        "Strengthen the rule of law, security sector, human rights bodies, and early warning "
        "capacities." in _texts(_report(2011), MS)
    )
    cs_2016 = _texts(_report(2016), CS)
    assert cs_2016[0] == (
        "Strengthen local early warning, prevention and protection efforts, including for the "
        "victims."
    )
    assert _texts(_report(2019), RSO)[0] == (
        "Strengthen legal and institutional frameworks to operationalize the responsibility to "
        "protect (e.g., AU, EU initiatives)."
    )
    assert (
        "Address and counter hate speech and incitement based on international human rights law."
        in _texts(_report(2021), MS)
    )
    assert len(_texts(_report(2017), RSO)) == 5
    assert len(_texts(_report(2009), RSO)) == 4
    # Run-in bullets without a final period are split.
    assert "Promote restraint in veto use in atrocity crime situations" in _texts(_report(2016), UN)
    assert "Sign, ratify and implement relevant international legal instruments" in _texts(
        _report(2013), MS
    )
    # An en dash inside a bullet is not a bullet marker.
    assert _texts(_report(2022), CS)[0].startswith("Engage as critical partners – especially")


def test_split_paragraph_references_are_joined() -> None:
    def paragraphs(year: int, target: str) -> str:
        (entry,) = [e for e in _report(year)["targets"] if e["target"] == target]
        value: str = entry["paragraphs"]
        return value

    assert paragraphs(2016, CS) == "36, 42, 44, 51-52, 54, 56"
    assert paragraphs(2019, RSO) == "5, 10-12, 19, 23, 33"
    assert paragraphs(2009, MS) == "13–27 46–47"
    assert paragraphs(2009, RSO) == "37–38, 65, Annex 1–2"


def test_international_development_actors_note() -> None:
    (entry,) = [e for e in _report(2023)["targets"] if e["target"] == IDA]
    assert entry["target_note"] == "including bilateral donors, multilateral banks, private sector"
    others = [e for r in _catalogue()["reports"] for e in r["targets"] if e is not entry]
    assert all("target_note" not in e for e in others)


def test_later_reports() -> None:
    r2025, r2026 = _report(2025), _report(2026)
    assert len(_texts(r2025)) == 3
    assert len(_texts(r2026)) == 5
    assert r2025["symbol"] == ""
    assert r2026["symbol"] == ""
    assert r2025["focus"] == ""
    assert r2026["focus"] == ""
    assert r2025["date"] == "2025-04-22"
    assert r2026["date"] == "2026-04-23"
    assert r2025["title"] == (
        "Responsibility to protect: 20 years of commitment to principled and collective action"
    )
    assert r2026["title"] == (
        "Sustained implementation of the responsibility to protect at the national, regional "
        "and multilateral levels"
    )
    assert [(e["paragraphs"], e["target"]) for e in r2025["targets"]] == [
        ("76", ""),
        ("77", MS),
        ("78", MS),
    ]
    assert [(e["paragraphs"], e["target"]) for e in r2026["targets"]] == [
        ("46", ""),
        ("47", MS),
        ("48", RSO),
        ("49", MS),
        ("50", MS),
    ]
    assert _texts(r2025)[0].startswith("Today, three main areas for possible action emerge.")
    assert "reports on the responsibility to protect and to continue" in _texts(r2025)[2]
    para47 = _texts(r2026)[1]
    assert para47 == (
        "At the national level, Member States are encouraged, consistent with their "
        "constitutional and legal frameworks, to designate or establish a domestic focal point "
        "and associated institutional arrangements to support risk assessment and early warning "
        "and to inform the development of sustained prevention and protection policies."
    )
    assert [r["id"] for e in r2026["targets"] for r in e["recommendations"]] == [
        "2026-NS-01",
        "2026-MS-01",
        "2026-RSO-01",
        "2026-MS-02",
        "2026-MS-03",
    ]


def test_later_paragraphs_are_taken_from_the_seed_text() -> None:
    reports = _generator().parse_later_reports(_seeds())
    for report in reports:
        seed = (_seeds() / report["source"]).read_text(encoding="utf-8")
        flat = re.sub(r"\s+", " ", re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", seed))
        for entry in report["targets"]:
            number = entry["paragraphs"]
            text = entry["recommendations"][0]["text"]
            # Every sentence-sized piece of the paragraph is in the seed (page break aside).
            first_words = " ".join(text.split()[:8])
            assert f"{number}. {first_words}" in flat, (report["year"], number)
            assert text.endswith("."), (report["year"], number)


def test_sources_listed() -> None:
    sources = _catalogue()["sources"]
    assert [s["file"] for s in sources] == [
        MAPPING,
        "000_8f11b0d71167cef9.txt",
        "003_5b2e965885db0188.txt",
    ]
    assert sources[0]["describes"].startswith("Mapping Recommendations of Annual Reports")
    assert sources[1]["describes"] == "2025 report, paras. 76-78"
    assert sources[2]["describes"] == "2026 report, paras. 46-50"
    for source in sources:
        assert (_seeds() / source["file"]).is_file()
