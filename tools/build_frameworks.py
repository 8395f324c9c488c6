"""Build r2pdesk's framework reference data from verified sources.

Writes two committed, diffable JSON files:

* ``resources/data/foa-2014.json``: the UN Framework of Analysis for Atrocity Crimes (2014) and
  the seven inhibitors, parsed from the verified reference ``resources/sources/foa-2014.md``.
  Every title, definition and indicator text comes from that file; nothing is typed in here.
* ``resources/data/taxonomy.json``: the continuum phases, the three pillars, the four atrocity
  crimes and the group kinds, each with the seed report and paragraph where its wording was found.

Usage: ``python tools/build_frameworks.py [--reference FILE] [--out-dir DIR]`` (stdlib only).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "resources" / "sources"
DEFAULT_REFERENCE = SOURCES / "foa-2014.md"
DEFAULT_OUT_DIR = REPO / "resources" / "data"

FRAMEWORK_FILE = "foa-2014.json"
TAXONOMY_FILE = "taxonomy.json"

# Bibliographic fields. Each is checked against the reference text before it is written.
FRAMEWORK_CODE = "foa-2014"
FRAMEWORK_NAME = "Framework of Analysis for Atrocity Crimes"
FRAMEWORK_PUBLISHER = (
    "United Nations Office on Genocide Prevention and the Responsibility to Protect"
)
FRAMEWORK_YEAR = 2014
FRAMEWORK_ALSO_CIRCULATED_AS = "A/70/741-S/2016/71"
FRAMEWORK_VERSION = 1

# Symbol of the 2015 report that lists the inhibitors (resources/sources/README.md; 2025 report,
# footnote 133).
REPORT_2015_SYMBOL = "A/69/981-S/2015/500"

#: The reference asks to tag each risk factor as structural or dynamic but does not give the tags;
#: this is r2pdesk's own classification. It follows the reference's examples (weakness of State
#: structures is structural, triggering factors are dynamic): standing conditions are structural,
#: processes, events and signs of an attack under way are dynamic.
NATURE: dict[int, str] = {
    1: "structural",
    2: "structural",
    3: "structural",
    4: "structural",
    5: "structural",
    6: "structural",
    7: "dynamic",
    8: "dynamic",
    9: "structural",
    10: "dynamic",
    11: "dynamic",
    12: "dynamic",
    13: "dynamic",
    14: "dynamic",
}

NATURE_NOTE = (
    "The structural/dynamic tag is r2pdesk's classification, made because the reference asks for "
    "each risk factor to be tagged (weakness of State structures structural, triggering factors "
    "dynamic); it is not a field of the framework text."
)

# The table's "applies to" column, mapped to codes.
APPLIES_TO: dict[str, str] = {
    "common": "common",
    "genocide": "genocide",
    "crimes against humanity": "crimes_against_humanity",
    "war crimes": "war_crimes",
}

RISK_FACTOR_COUNT = 14
INHIBITOR_COUNT = 7

_TABLE_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$")
_VERIFIED = re.compile(r"^(\d+)\.1-(\d+)\.(\d+) \((list continues|complete)\)$")
_STATUS = {"list continues": "partial", "complete": "complete"}
_NONE_SEEN = re.compile(r"Definitions seen in public copies \(([^)]*): none seen\):")
_DEFINITION = re.compile(r"^- \*\*RF(\d+) ([^*]+?):\*\* (.+)$")
_INDICATOR_HEADING = re.compile(r"^### RF(\d+) (.+)$")
_INDICATOR = re.compile(r"^- (\d+)\.(\d+) (.+)$")
_SOURCE = re.compile(r"^Source: (\S+)")
_INHIBITOR_HEADING = re.compile(r"^## Resilience: the seven inhibitors \((.+)\)$")
_INHIBITOR = re.compile(r"^(\d+)\. (.+)$")


class ReferenceFormatError(ValueError):
    """The reference markdown does not have the shape this script reads."""


# --------------------------------------------------------------------------------------------
# Framework of Analysis (from the markdown)
# --------------------------------------------------------------------------------------------


def _section(md_text: str, heading: str) -> list[str]:
    """Return the lines of the ``## `` section whose heading starts with ``heading``."""
    lines = md_text.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("## " + heading):
            end = start + 1
            while end < len(lines) and not lines[end].startswith("## "):
                end += 1
            return lines[start:end]
    raise ReferenceFormatError(f"section '## {heading}' not found")


def _bullets(lines: list[str], pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """Match bullets; an indented line continues the bullet above it (joined with one space)."""
    items: list[str] = []
    in_bullet = False
    for line in lines:
        if pattern.match(line):
            items.append(line.rstrip())
            in_bullet = True
        elif in_bullet and line[:1].isspace() and line.strip():
            items[-1] += " " + line.strip()
        else:
            in_bullet = False
    return [m for m in map(pattern.match, items) if m]


def _parse_table(md_text: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for line in _section(md_text, "The 14 risk factors"):
        match = _TABLE_ROW.match(line)
        if not match:
            continue
        number, title, applies, verified = match.groups()
        if applies not in APPLIES_TO:
            raise ReferenceFormatError(f"RF{number}: unknown 'applies to' value {applies!r}")
        if verified == "none":
            status, expected = "none", 0
        else:
            found = _VERIFIED.match(verified)
            if not found or found.group(1) != number or found.group(2) != number:
                raise ReferenceFormatError(f"RF{number}: cannot read {verified!r}")
            status, expected = _STATUS[found.group(4)], int(found.group(3))
        rows.append(
            {
                "number": int(number),
                "title": title,
                "applies_to": APPLIES_TO[applies],
                "status": status,
                "expected": expected,
            }
        )
    if [row["number"] for row in rows] != list(range(1, RISK_FACTOR_COUNT + 1)):
        raise ReferenceFormatError("the risk factor table is not numbered 1-14")
    return rows


def _parse_definitions(md_text: str) -> dict[int, str]:
    lines = _section(md_text, "The 14 risk factors")
    joined = " ".join(line.strip() for line in lines)
    none_seen = _NONE_SEEN.search(joined)
    if not none_seen:
        raise ReferenceFormatError("the 'Definitions seen in public copies' line is missing")
    missing = {int(n) for n in re.findall(r"RF(\d+)", none_seen.group(1))}
    definitions = {int(m.group(1)): m.group(3).strip() for m in _bullets(lines, _DEFINITION)}
    for number in range(1, RISK_FACTOR_COUNT + 1):
        if number in missing and number in definitions:
            raise ReferenceFormatError(f"RF{number} is listed as 'none seen' but has a definition")
        if number not in missing and number not in definitions:
            raise ReferenceFormatError(f"RF{number} has no definition and is not listed as none")
        definitions.setdefault(number, "")
    return definitions


def _parse_indicators(md_text: str) -> dict[int, tuple[str, str, list[dict[str, str]]]]:
    """Return {risk factor: (section title, source URL, indicators)}."""
    blocks: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    current: int | None = None
    for line in _section(md_text, "Indicators"):
        heading = _INDICATOR_HEADING.match(line)
        if heading:
            current = int(heading.group(1))
            titles[current] = heading.group(2).strip()
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    result: dict[int, tuple[str, str, list[dict[str, str]]]] = {}
    for number, lines in blocks.items():
        sources = [m.group(1) for m in map(_SOURCE.match, lines) if m]
        if len(sources) != 1:
            raise ReferenceFormatError(f"RF{number}: expected one 'Source:' line")
        indicators: list[dict[str, str]] = []
        for position, match in enumerate(_bullets(lines, _INDICATOR), start=1):
            if (int(match.group(1)), int(match.group(2))) != (number, position):
                raise ReferenceFormatError(
                    f"RF{number}: indicator {match.group(0)[:20]!r} out of order"
                )
            indicators.append({"code": f"{number}.{position}", "text": match.group(3).strip()})
        result[number] = (titles[number], sources[0], indicators)
    return result


def _parse_inhibitors(md_text: str) -> tuple[str, list[dict[str, Any]]]:
    lines = _section(md_text, "Resilience: the seven inhibitors")
    heading = _INHIBITOR_HEADING.match(lines[0])
    if not heading:
        raise ReferenceFormatError("cannot read the source of the inhibitors")
    cited = heading.group(1)
    if not cited.startswith("2015 report, "):
        raise ReferenceFormatError("the inhibitors are expected to be cited from the 2015 report")
    source = cited.replace("2015 report", f"2015 report ({REPORT_2015_SYMBOL})", 1)
    inhibitors = [
        {"number": int(m.group(1)), "code": f"INH{m.group(1)}", "title": m.group(2).strip()}
        for m in map(_INHIBITOR.match, lines[1:])
        if m
    ]
    if [i["number"] for i in inhibitors] != list(range(1, INHIBITOR_COUNT + 1)):
        raise ReferenceFormatError("the inhibitors are not numbered 1-7")
    return source, inhibitors


def _ranges(numbers: list[int]) -> str:
    """Format [1, 2, 3, 5] as '1-3 and 5'."""
    spans: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], -1]:
        if number != previous + 1:
            spans.append(str(start) if start == previous else f"{start}-{previous}")
            start = number
        previous = number
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def _note(risk_factors: list[dict[str, Any]]) -> str:
    partial = [rf["number"] for rf in risk_factors if rf["indicators_status"] == "partial"]
    missing = [rf["number"] for rf in risk_factors if rf["indicators_status"] == "none"]
    return (
        "The shipped indicator lists are only those verified against public copies of the "
        f"framework: the lists of risk factors {_ranges(partial)} continue beyond what was "
        f"verified and the indicators of risk factors {_ranges(missing)} were not available, "
        "so the committee can complete the framework in the framework editor or by import."
    )


def _check_bibliography(md_text: str) -> None:
    flat = " ".join(md_text.split())
    for value in (
        FRAMEWORK_NAME,
        FRAMEWORK_PUBLISHER,
        f"{FRAMEWORK_PUBLISHER}, {FRAMEWORK_YEAR}",
        FRAMEWORK_ALSO_CIRCULATED_AS,
    ):
        if value not in flat:
            raise ReferenceFormatError(f"{value!r} does not appear in the reference")


def build_framework(md_text: str) -> dict[str, Any]:
    """Parse the verified reference markdown into the FoA 2014 framework record."""
    _check_bibliography(md_text)
    definitions = _parse_definitions(md_text)
    indicator_blocks = _parse_indicators(md_text)
    risk_factors: list[dict[str, Any]] = []
    for row in _parse_table(md_text):
        number = row["number"]
        title, source, indicators = indicator_blocks.get(number, (row["title"], "", []))
        if title != row["title"]:
            raise ReferenceFormatError(f"RF{number}: indicator heading differs from the table")
        if len(indicators) != row["expected"]:
            raise ReferenceFormatError(
                f"RF{number}: the table announces {row['expected']} indicators, "
                f"{len(indicators)} are listed"
            )
        entry: dict[str, Any] = {
            "number": number,
            "code": f"RF{number}",
            "title": row["title"],
            "applies_to": row["applies_to"],
            "nature": NATURE[number],
            "definition": definitions[number],
            "indicators_status": row["status"],
            "indicators": indicators,
        }
        if indicators:
            entry["indicators_source"] = source
        risk_factors.append(entry)
    unknown = set(indicator_blocks) - {rf["number"] for rf in risk_factors}
    if unknown:
        raise ReferenceFormatError(f"indicators for unknown risk factors: {sorted(unknown)}")
    inhibitors_source, inhibitors = _parse_inhibitors(md_text)
    return {
        "code": FRAMEWORK_CODE,
        "name": FRAMEWORK_NAME,
        "publisher": FRAMEWORK_PUBLISHER,
        "year": FRAMEWORK_YEAR,
        "also_circulated_as": FRAMEWORK_ALSO_CIRCULATED_AS,
        "version": FRAMEWORK_VERSION,
        "partial": any(rf["indicators_status"] != "complete" for rf in risk_factors),
        "note": _note(risk_factors),
        "nature_note": NATURE_NOTE,
        "risk_factors": risk_factors,
        "inhibitors": inhibitors,
        "inhibitors_source": inhibitors_source,
    }


# --------------------------------------------------------------------------------------------
# Taxonomy (from the seed reports)
# --------------------------------------------------------------------------------------------


class Seed(NamedTuple):
    """One seed report in resources/sources/."""

    file: str
    symbol: str  # empty where the seeds do not give it
    date: str
    title: str


SEEDS: dict[str, Seed] = {
    "2015 report": Seed(
        "002_0eb5d118a9da24f5.txt",
        REPORT_2015_SYMBOL,
        "13 July 2015",
        "A vital and enduring commitment: implementing the responsibility to protect",
    ),
    "2024 report": Seed(
        "001_96441cfd3a5ae774.txt",
        "A/78/901-S/2024/434",
        "3 June 2024",
        "Responsibility to protect: the commitment to prevent and protect populations from "
        "atrocity crimes",
    ),
    "2025 report": Seed(
        "000_8f11b0d71167cef9.txt",
        "",
        "22 April 2025",
        "Responsibility to protect: 20 years of commitment to principled and collective action",
    ),
    "2026 report": Seed(
        "003_5b2e965885db0188.txt",
        "",
        "23 April 2026",
        "Sustained implementation of the responsibility to protect at the national, regional and "
        "multilateral levels",
    ),
}


class Cite(NamedTuple):
    """Where a term was found: report, place in it, and the exact seed words found there."""

    report: str
    where: str
    quote: str


def _source(*cites: Cite) -> str:
    """Format cites as '2026 report (003_....txt), para. 46: "..."', joined by '; '."""
    return "; ".join(f'{c.report} ({SEEDS[c.report].file}), {c.where}: "{c.quote}"' for c in cites)


_CONTINUUM = Cite(
    "2026 report",
    "para. 46",
    "through periods of political stability and periods of emerging risk, active crisis and "
    "post-conflict recovery",
)
_CRIMES = (
    Cite(
        "2025 report",
        "para. 1",
        "protect their populations from genocide, war crimes, ethnic cleansing and crimes against "
        "humanity",
    ),
    Cite(
        "2026 report",
        "para. 1",
        "protect their populations from genocide, war crimes, ethnic cleansing and crimes against "
        "humanity",
    ),
)
_IDENTITY_2025 = Cite(
    "2025 report",
    "para. 13",
    "the targeting of groups on the grounds of national, ethnic, racial and religious identity, "
    "or on the basis of political identity",
)
_DEFENDERS_2026 = Cite(
    "2026 report",
    "para. 10",
    "human rights defenders, environmental activists, journalists and trade unionists",
)
_VULNERABLE_2024 = Cite(
    "2024 report",
    "para. 54",
    "ethnic and religious minorities, women, persons of diverse sexual orientation and gender "
    "identity, children, persons with disabilities and others",
)

CONTINUUM_PHASES: list[tuple[str, str, tuple[Cite, ...]]] = [
    ("stability", "Stability", (_CONTINUUM,)),
    ("emerging_risk", "Emerging risk", (_CONTINUUM,)),
    ("active_crisis", "Active crisis", (_CONTINUUM,)),
    ("post_conflict_recovery", "Post-conflict recovery", (_CONTINUUM,)),
]

# Labels are the 2015 report's section headings, word for word.
PILLARS: list[tuple[str, str, tuple[Cite, ...]]] = [
    (
        "pillar_1",
        "Pillar I: the protection responsibilities of the State",
        (
            Cite(
                "2015 report",
                "section heading before para. 18",
                "Pillar I: the protection responsibilities of the State",
            ),
            Cite(
                "2025 report",
                "para. 3",
                "pillar one was the protection responsibilities of the State",
            ),
            Cite(
                "2024 report",
                "footnote 39",
                "the protection responsibilities of the State (pillar one)",
            ),
        ),
    ),
    (
        "pillar_2",
        "Pillar II: international assistance and capacity-building",
        (
            Cite(
                "2015 report",
                "section heading before para. 26",
                "Pillar II: international assistance and capacity-building",
            ),
            Cite(
                "2025 report",
                "para. 3",
                "pillar two was international assistance and capacity-building",
            ),
            Cite(
                "2024 report",
                "footnote 39",
                "international assistance and capacity-building (pillar two)",
            ),
        ),
    ),
    (
        "pillar_3",
        "Pillar III: timely and decisive response",
        (
            Cite(
                "2015 report",
                "section heading before para. 36",
                "Pillar III: timely and decisive response",
            ),
            Cite("2025 report", "para. 3", "pillar three was timely and decisive response"),
            Cite("2024 report", "footnote 39", "timely and decisive response (pillar three)"),
        ),
    ),
]

CRIMES: list[tuple[str, str, tuple[Cite, ...]]] = [
    ("genocide", "Genocide", _CRIMES),
    ("war_crimes", "War crimes", _CRIMES),
    ("ethnic_cleansing", "Ethnic cleansing", _CRIMES),
    ("crimes_against_humanity", "Crimes against humanity", _CRIMES),
]

# The first four are the Genocide Convention's protected groups; "ethnical" is the Convention's
# word, the seeds say "ethnic". The others are identity groups the reports name.
GROUP_KINDS: list[tuple[str, str, bool, tuple[Cite, ...]]] = [
    ("national", "National", True, (_IDENTITY_2025,)),
    ("ethnical", "Ethnical", True, (_IDENTITY_2025,)),
    ("racial", "Racial", True, (_IDENTITY_2025,)),
    ("religious", "Religious", True, (_IDENTITY_2025,)),
    ("political", "Political", False, (_IDENTITY_2025,)),
    (
        "gender",
        "Gender",
        False,
        (
            Cite(
                "2024 report",
                "para. 11",
                "targeted on the basis of their religion, ethnicity, nationality, race, descent, "
                "gender or other identity factors",
            ),
        ),
    ),
    (
        "sogi",
        "Sexual orientation and gender identity",
        False,
        (
            Cite(
                "2025 report",
                "para. 31",
                "Discrimination and violence based on sexual orientation and gender identity",
            ),
            _VULNERABLE_2024,
        ),
    ),
    (
        "indigenous_peoples",
        "Indigenous Peoples",
        False,
        (Cite("2025 report", "para. 33", "Indigenous Peoples often face acute vulnerabilities"),),
    ),
    (
        "minorities",
        "Minorities",
        False,
        (
            Cite(
                "2026 report", "para. 12", "national, ethnic, religious and linguistic minorities"
            ),
            _VULNERABLE_2024,
        ),
    ),
    (
        "displaced_persons",
        "Displaced persons",
        False,
        (Cite("2025 report", "para. 21", "The global population of forcibly displaced persons"),),
    ),
    (
        "children_youth",
        "Children and youth",
        False,
        (
            Cite("2025 report", "para. 71", "children and young people"),
            Cite("2025 report", "para. 64", "youth and peace and security"),
        ),
    ),
    ("persons_with_disabilities", "Persons with disabilities", False, (_VULNERABLE_2024,)),
    ("human_rights_defenders", "Human rights defenders", False, (_DEFENDERS_2026,)),
    (
        "journalists",
        "Journalists",
        False,
        (_DEFENDERS_2026, Cite("2025 report", "para. 30", "Attacks on journalists and the media")),
    ),
]


def _entries(items: list[tuple[str, str, tuple[Cite, ...]]]) -> list[dict[str, Any]]:
    return [
        {"code": code, "label": label, "source": _source(*cites)} for code, label, cites in items
    ]


def build_taxonomy() -> dict[str, Any]:
    """Return the taxonomy record: phases, pillars, crimes, group kinds and the seeds cited."""
    return {
        "continuum_phases": _entries(CONTINUUM_PHASES),
        "pillars": _entries(PILLARS),
        "crimes": _entries(CRIMES),
        "group_kinds": [
            {"code": code, "label": label, "protected": protected, "source": _source(*cites)}
            for code, label, protected, cites in GROUP_KINDS
        ],
        "sources": {name: seed._asdict() for name, seed in SEEDS.items()},
    }


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def render(data: dict[str, Any]) -> str:
    """Serialise deterministically: UTF-8 text, two-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)
    reference: Path = args.reference
    out_dir: Path = args.out_dir
    try:
        md_text = reference.read_text(encoding="utf-8")
        framework = build_framework(md_text)
    except OSError as exc:
        print(f"build_frameworks: cannot read {reference}: {exc.strerror}", file=sys.stderr)
        return 1
    except ReferenceFormatError as exc:
        print(f"build_frameworks: {reference}: {exc}", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in ((FRAMEWORK_FILE, framework), (TAXONOMY_FILE, build_taxonomy())):
        path = out_dir / name
        path.write_text(render(data), encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
