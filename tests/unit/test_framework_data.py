"""The committed framework reference data matches its verified sources and its generator."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO / "resources" / "sources"
REFERENCE = SEEDS_DIR / "foa-2014.md"
DATA = REPO / "resources" / "data"
SCRIPT = REPO / "tools" / "build_frameworks.py"

APPLIES_TO = {
    **dict.fromkeys(range(1, 9), "common"),
    9: "genocide",
    10: "genocide",
    11: "crimes_against_humanity",
    12: "crimes_against_humanity",
    13: "war_crimes",
    14: "war_crimes",
}
INDICATOR_COUNTS = {**dict.fromkeys(range(1, 15), 0), 7: 10, 8: 12, 9: 6, 13: 9}
NO_DEFINITION = {3, 6, 10, 11}
CITE = re.compile(
    r'(?P<report>\d{4} report) \((?P<file>[0-9a-f_]+\.txt)\), (?P<where>[^:"]+): "(?P<quote>[^"]+)"'
)


def _flat(text: str) -> str:
    """Collapse runs of whitespace, so a text wrapped over several md lines still matches."""
    return " ".join(text.split())


def _read(path: Path) -> str:
    if not path.is_file():
        pytest.fail(f"verified source missing: {path} (the reference data cannot be checked)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_frameworks", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def md_text() -> str:
    return _read(REFERENCE)


@pytest.fixture(scope="module")
def framework() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read(DATA / "foa-2014.json"))
    return data


@pytest.fixture(scope="module")
def taxonomy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read(DATA / "taxonomy.json"))
    return data


def test_fourteen_risk_factors_with_their_crime_groups(framework: dict[str, Any]) -> None:
    risk_factors = framework["risk_factors"]
    assert [rf["number"] for rf in risk_factors] == list(range(1, 15))
    assert [rf["code"] for rf in risk_factors] == [f"RF{n}" for n in range(1, 15)]
    assert {rf["number"]: rf["applies_to"] for rf in risk_factors} == APPLIES_TO
    assert Counter(rf["applies_to"] for rf in risk_factors) == {
        "common": 8,
        "genocide": 2,
        "crimes_against_humanity": 2,
        "war_crimes": 2,
    }
    assert {rf["nature"] for rf in risk_factors} == {"structural", "dynamic"}
    assert framework["nature_note"]
    assert framework["partial"] is True


def test_indicator_counts_and_status(framework: dict[str, Any]) -> None:
    risk_factors = framework["risk_factors"]
    assert {rf["number"]: len(rf["indicators"]) for rf in risk_factors} == INDICATOR_COUNTS
    status = {rf["number"]: rf["indicators_status"] for rf in risk_factors}
    assert {n for n, s in status.items() if s == "partial"} == {7, 13}
    assert {n for n, s in status.items() if s == "complete"} == {8, 9}
    for rf in risk_factors:
        number = rf["number"]
        codes = [i["code"] for i in rf["indicators"]]
        assert codes == [f"{number}.{k}" for k in range(1, len(codes) + 1)]
        assert ("indicators_source" in rf) == bool(codes)


def test_texts_are_verbatim_from_the_reference(framework: dict[str, Any], md_text: str) -> None:
    flat_md = _flat(md_text)
    for rf in framework["risk_factors"]:
        assert f"| {rf['number']} | {rf['title']} |" in md_text, rf["code"]
        if rf["number"] in NO_DEFINITION:
            assert rf["definition"] == "", rf["code"]
        else:
            assert rf["definition"], rf["code"]
            assert f":** {rf['definition']}" in flat_md, rf["code"]
        for indicator in rf["indicators"]:
            assert f"- {indicator['code']} {indicator['text']}" in flat_md, indicator["code"]
        if "indicators_source" in rf:
            assert f"Source: {rf['indicators_source']} " in md_text, rf["code"]
    for word in ("[which]", "[taken]", "[that]", "segregation[ist]"):
        assert word in json.dumps(framework, ensure_ascii=False)


def test_seven_inhibitors(framework: dict[str, Any], md_text: str) -> None:
    inhibitors = framework["inhibitors"]
    assert [i["number"] for i in inhibitors] == list(range(1, 8))
    assert [i["code"] for i in inhibitors] == [f"INH{n}" for n in range(1, 8)]
    for inhibitor in inhibitors:
        assert f"\n{inhibitor['number']}. {inhibitor['title']}\n" in md_text
    assert "footnote 20" in framework["inhibitors_source"]


def test_four_continuum_phases(taxonomy: dict[str, Any]) -> None:
    assert [p["code"] for p in taxonomy["continuum_phases"]] == [
        "stability",
        "emerging_risk",
        "active_crisis",
        "post_conflict_recovery",
    ]


def test_taxonomy_lists(taxonomy: dict[str, Any]) -> None:
    assert len(taxonomy["pillars"]) == 3
    assert [c["code"] for c in taxonomy["crimes"]] == [
        "genocide",
        "war_crimes",
        "ethnic_cleansing",
        "crimes_against_humanity",
    ]
    protected = [g["code"] for g in taxonomy["group_kinds"] if g["protected"]]
    assert protected == ["national", "ethnical", "racial", "religious"]


@pytest.mark.parametrize("name", ["continuum_phases", "pillars", "crimes", "group_kinds"])
def test_taxonomy_codes_unique(taxonomy: dict[str, Any], name: str) -> None:
    entries = taxonomy[name]
    assert entries
    codes = [entry["code"] for entry in entries]
    assert len(codes) == len(set(codes)), name
    for entry in entries:
        assert set(entry) >= {"code", "label", "source"}, entry


def _paragraph(seed_text: str, number: int) -> str:
    """Text of numbered paragraph ``number``: from its line to the next numbered paragraph."""
    lines = seed_text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"\d+\. ", line)]
    for position, start in enumerate(starts):
        if lines[start].startswith(f"{number}. "):
            end = starts[position + 1] if position + 1 < len(starts) else len(lines)
            return _flat("\n".join(lines[start:end]))
    pytest.fail(f"paragraph {number} not found")


def test_taxonomy_sources_are_found_in_the_seeds(taxonomy: dict[str, Any]) -> None:
    files = {name: seed["file"] for name, seed in taxonomy["sources"].items()}
    for name, seed in taxonomy["sources"].items():
        text = _flat(_read(SEEDS_DIR / seed["file"]))
        assert seed["date"] in text, name
        assert seed["title"] in text, name
    for list_name in ("continuum_phases", "pillars", "crimes", "group_kinds"):
        for entry in taxonomy[list_name]:
            cites = list(CITE.finditer(entry["source"]))
            assert cites, f"{list_name}/{entry['code']}: no seed reference"
            for cite in cites:
                assert files[cite["report"]] == cite["file"], entry["code"]
                seed_text = _read(SEEDS_DIR / cite["file"])
                para = re.fullmatch(r"para\. (\d+)", cite["where"])
                scope = _paragraph(seed_text, int(para[1])) if para else _flat(seed_text)
                assert cite["quote"] in scope, f"{entry['code']}: {cite['quote']!r}"


def test_committed_files_equal_generated_output(builder: ModuleType, md_text: str) -> None:
    expected = {
        "foa-2014.json": builder.render(builder.build_framework(md_text)),
        "taxonomy.json": builder.render(builder.build_taxonomy()),
    }
    for name, text in expected.items():
        assert _read(DATA / name) == text, f"{name} is stale: run python tools/build_frameworks.py"


def test_generators_read_their_sources_from_the_repository(builder: ModuleType) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_catalogue", REPO / "tools" / "build_catalogue.py"
    )
    assert spec is not None
    assert spec.loader is not None
    catalogue_builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue_builder)
    assert builder.DEFAULT_REFERENCE == REFERENCE
    assert catalogue_builder.DEFAULT_SEEDS == SEEDS_DIR
    assert SEEDS_DIR.resolve().is_relative_to(REPO)


def test_source_folder_holds_the_cited_texts_each_described(taxonomy: dict[str, Any]) -> None:
    catalogue = json.loads(_read(DATA / "catalogue.json"))
    cited = {seed["file"] for seed in taxonomy["sources"].values()}
    cited |= {source["file"] for source in catalogue["sources"]}
    cited.add(REFERENCE.name)
    kept = {path.name for path in SEEDS_DIR.iterdir()}
    assert kept == cited | {"README.md"}
    readme = _read(SEEDS_DIR / "README.md")
    for name in cited:
        assert f"| `{name}` |" in readme, name
    for report in taxonomy["sources"].values():
        if report["symbol"]:
            assert report["symbol"] in readme, report["file"]
