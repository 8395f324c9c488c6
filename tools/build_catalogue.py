"""Build ``resources/data/catalogue.json`` from the seed documents.

The catalogue lists the recommendations of the Secretary-General's reports on the
responsibility to protect:

* 2009-2024 from the "Mapping Recommendations of Annual Reports of the Secretary-General
  on the Responsibility to Protect 2009-2024" (a TAB-separated table per report, whose rows
  were split by page breaks and must be rejoined);
* 2025 and 2026 from the reports' own concluding paragraphs.

Run::

    python tools/build_catalogue.py [--seeds DIR] [--out FILE]

``DIR`` defaults to ``resources/sources/``, where the seed documents are kept (see its README).

Standard library only. The output is deterministic: rerunning it on the same seeds gives the
same bytes, so the committed JSON can be compared with a fresh build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO_ROOT / "resources" / "sources"
DEFAULT_OUT = REPO_ROOT / "resources" / "data" / "catalogue.json"

MAPPING_FILE = "004_e9b96148bbcb9e2c.txt"

CATALOGUE_TITLE = "Secretary-General recommendations on the responsibility to protect, 2009-2026"

# (code, canonical name), in the order the mapping uses them.
TARGETS: tuple[tuple[str, str], ...] = (
    ("MS", "Member States"),
    ("RSO", "Regional and Subregional Organizations"),
    ("UN", "United Nations"),
    ("GA", "General Assembly"),
    ("CS", "Civil Society"),
    ("IDA", "International Development Actors"),
)
TARGET_CODES: dict[str, str] = {name: code for code, name in TARGETS}
NOT_SPECIFIED_CODE = "NS"

# Later reports: which paragraphs to take and whom each one addresses ("" = no addressee named).
# The addressee is checked against the paragraph's own text by ``_check_addressee``.
LATER_REPORTS: tuple[dict[str, Any], ...] = (
    {
        "year": 2025,
        "number": 17,
        "file": "000_8f11b0d71167cef9.txt",
        "section": "V. Conclusions and next steps",
        "paragraphs": {76: "", 77: "Member States", 78: "Member States"},
    },
    {
        "year": 2026,
        "number": 18,
        "file": "003_5b2e965885db0188.txt",
        "section": "VIII. Conclusions and recommendations",
        "paragraphs": {
            46: "",
            47: "Member States",
            48: "Regional and Subregional Organizations",
            49: "Member States",
            50: "Member States",
        },
    },
)
# The words in a paragraph that name its addressee, per target.
ADDRESSEE_WORDS: dict[str, str] = {
    "Member States": "Member States",
    "Regional and Subregional Organizations": "relevant organizations and entities",
}

MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

_REPORT_HEADER = re.compile(
    r"^(?P<number>\d+)\.\s+(?P<year>\d{4})\s+Report\s+"
    r"\((?:\[(?P<linked>[^\]]+)\]\(#\)|(?P<bare>[^()]+))\)\s*(?P<rest>.*)$"
)
_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")
# A bullet starts at a hyphen that stands alone: at the start or after whitespace, then space.
_BULLET = re.compile(r"(?:^|\s)-\s+")
_DASH_ROW = re.compile(r"^[\s\-]*$")
_SUPERSCRIPTS = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_QUOTES = '“”"'


class SourceError(ValueError):
    """The seed text does not have the shape this generator expects."""


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _clean_cell(cell: str) -> str:
    """Strip HTML tags and collapse whitespace."""
    return _collapse(_TAG.sub(" ", cell))


def _normalise_target(raw: str) -> tuple[str, str] | None:
    """Return (canonical name, note) for a full target name, or None if it is not one."""
    text = _collapse(raw)
    note = ""
    match = re.fullmatch(r"(?P<base>.*?)\s*\((?P<note>[^()]*)\)", text)
    if match:
        text, note = match.group("base"), match.group("note").strip()
    if text in TARGET_CODES:
        return text, note
    return None


def _is_partial_target(raw: str) -> bool:
    text = _collapse(raw)
    return _normalise_target(text) is None and any(
        name.startswith(text + " ") for name in TARGET_CODES
    )


def _join_paragraphs(before: str, after: str) -> str:
    before, after = _collapse(before), _collapse(after)
    if not before:
        return after
    if not after:
        return before
    if before[-1] in "-–":
        return before + after
    return f"{before} {after}"


def _split_recommendations(cell: str) -> tuple[str, list[str]]:
    """Split a cleaned recommendation cell into (leading continuation text, new bullets)."""
    parts = _BULLET.split(cell)
    lead = parts[0].strip()
    bullets = [part.strip() for part in parts[1:]]
    if any(not bullet for bullet in bullets):
        raise SourceError(f"empty bullet in cell: {cell!r}")
    return lead, bullets


def _title_text(raw: str) -> str:
    text = _collapse(raw)
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        return text[1:-1].strip()
    # Unquoted title (2013): the line ends as a sentence; the period is not part of the title.
    return text.rstrip(".").strip()


class _Table:
    """Rejoins the rows of one report's table, split by page breaks, into whole targets."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.targets: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.partial_name = ""  # set while a target name split over two rows is incomplete

    def error(self, message: str) -> SourceError:
        return SourceError(f"{self.year}: {message}")

    def add_row(self, line: str) -> None:
        cells = line.split("\t")
        if not 2 <= len(cells) <= 3:
            raise self.error(f"row with {len(cells)} cells: {line!r}")
        target_cell = _collapse(cells[0])
        para_cell = cells[2] if len(cells) == 3 else ""
        lead, bullets = _split_recommendations(_clean_cell(cells[1]))

        if target_cell and self.partial_name:
            # Second half of a split name ("Regional and Subregional" + "Organizations"):
            # the row continues the same target.
            self._complete_name(target_cell)
        elif target_cell:
            self._start_target(target_cell)
            if lead:
                raise self.error(f"{target_cell!r} starts with text that is no bullet: {lead!r}")
        entry = self.current
        if entry is None:
            raise self.error(f"continuation row before any target: {line!r}")
        if lead:
            self._continue_last_bullet(entry, lead)
        entry["recommendations"].extend(bullets)
        entry["paragraphs"] = _join_paragraphs(entry["paragraphs"], para_cell)

    def _start_target(self, raw: str) -> None:
        normalised = _normalise_target(raw)
        if normalised is None:
            if not _is_partial_target(raw):
                raise self.error(f"unknown target {raw!r}")
            self.partial_name = raw
            normalised = (raw, "")
        name, note = normalised
        if any(entry["target"] == name for entry in self.targets):
            raise self.error(f"target {name!r} appears twice")
        entry: dict[str, Any] = {"target": name}
        if note:
            entry["target_note"] = note
        entry["paragraphs"] = ""
        entry["recommendations"] = []
        self.targets.append(entry)
        self.current = entry

    def _complete_name(self, rest: str) -> None:
        joined = f"{self.partial_name} {rest}"
        assert self.current is not None
        normalised = _normalise_target(joined)
        if normalised is None:
            if not _is_partial_target(joined):
                raise self.error(f"cannot complete target name {joined!r}")
            self.partial_name = joined
            self.current["target"] = joined
            return
        name, note = normalised
        self.current["target"] = name
        if note:
            self.current["target_note"] = note
        self.partial_name = ""

    def _continue_last_bullet(self, entry: dict[str, Any], text: str) -> None:
        bullets: list[str] = entry["recommendations"]
        if not bullets:
            raise self.error(f"continuation text with no bullet to continue: {text!r}")
        bullets[-1] = f"{bullets[-1]} {text}"

    def finish(self) -> list[dict[str, Any]]:
        """The targets, with recommendation ids numbered per target in source order."""
        if self.partial_name:
            raise self.error(f"target name left incomplete: {self.partial_name!r}")
        counters: dict[str, int] = {}
        for entry in self.targets:
            code = TARGET_CODES[entry["target"]]
            numbered = []
            for text in entry["recommendations"]:
                counters[code] = counters.get(code, 0) + 1
                numbered.append({"id": f"{self.year}-{code}-{counters[code]:02d}", "text": text})
            entry["recommendations"] = numbered
        return self.targets


def _parse_table(year: int, rows: list[str]) -> list[dict[str, Any]]:
    """Rejoin the table rows of one report into targets with whole recommendations."""
    table = _Table(year)
    for line in rows:
        if line.strip() and not _DASH_ROW.match(line):
            table.add_row(line)
    return table.finish()


def parse_mapping(text: str) -> list[dict[str, Any]]:
    """Parse the 2009-2024 mapping into report records (targets and recommendations rejoined)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _REPORT_HEADER.match(line)]
    if not starts:
        raise SourceError("no report header found in the mapping")
    reports: list[dict[str, Any]] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        header = _REPORT_HEADER.match(lines[start])
        assert header is not None
        year = int(header.group("year"))
        symbol = _collapse(header.group("linked") or header.group("bare") or "")

        body = [(i, lines[i]) for i in range(start + 1, end)]
        nonblank = iter([(i, line) for i, line in body if line.strip()])
        title_raw = header.group("rest").strip()
        if not title_raw:
            title_raw = next(nonblank)[1]
        focus_line = next(nonblank)[1].strip()
        focus = (
            focus_line[len("Focus:") :].strip() if focus_line.startswith("Focus:") else focus_line
        )
        header_index, header_line = next(nonblank)
        if not (header_line.startswith("Target") and "Recommendations" in header_line):
            raise SourceError(f"{year}: expected the table header, found {header_line!r}")

        reports.append(
            {
                "year": year,
                "number": int(header.group("number")),
                "symbol": symbol,
                "title": _title_text(title_raw),
                "focus": _collapse(focus),
                "source": MAPPING_FILE,
                "targets": _parse_table(year, lines[header_index + 1 : end]),
            }
        )
    numbers = [report["number"] for report in reports]
    if numbers != list(range(1, len(reports) + 1)):
        raise SourceError(f"report numbers out of sequence: {numbers}")
    return reports


def _strip_superscripts(text: str) -> str:
    return _collapse(_SUPERSCRIPTS.sub("", text))


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each with its lines joined by a space."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _paragraph(blocks: list[str], number: int, section_start: int) -> str:
    """Text of numbered paragraph ``number``, rejoined across page breaks, without footnotes."""
    prefix = f"{number}. "
    found = [i for i in range(section_start, len(blocks)) if blocks[i].startswith(prefix)]
    if len(found) != 1:
        raise SourceError(f"paragraph {number}: found {len(found)} times")
    index = found[0]
    parts = [blocks[index][len(prefix) :]]
    for block in blocks[index + 1 :]:
        if block[0] in SUPERSCRIPT_DIGITS:  # a footnote carried over by the page break
            continue
        if block[0].islower():  # the paragraph goes on after the page break
            parts.append(block)
            continue
        break
    return _strip_superscripts(" ".join(parts))


def _report_title_and_date(blocks: list[str], file: str) -> tuple[str, str]:
    date = ""
    for block in blocks:
        match = re.fullmatch(r"Distr\.: General (\d{1,2}) (\w+) (\d{4})", block)
        if match:
            day, month, year = match.groups()
            date = f"{year}-{MONTHS[month]:02d}-{int(day):02d}"
            break
    reports = [
        i
        for i, block in enumerate(blocks)
        if block.rstrip("*") == "Report of the Secretary-General"
    ]
    if not date or not reports or reports[0] == 0:
        raise SourceError(f"{file}: title or date not found")
    title = blocks[reports[0] - 1].rstrip("*").strip()
    return title, date


def _check_addressee(year: int, number: int, target: str, text: str) -> None:
    if target and ADDRESSEE_WORDS[target] not in text:
        raise SourceError(f"{year} para. {number}: does not name {ADDRESSEE_WORDS[target]!r}")
    if not target and any(words in text for words in ADDRESSEE_WORDS.values()):
        raise SourceError(f"{year} para. {number}: names an addressee but has none in the table")


def parse_later_reports(seeds_dir: Path) -> list[dict[str, Any]]:
    """The 2025 and 2026 reports: one recommendation per concluding paragraph."""
    reports: list[dict[str, Any]] = []
    for spec in LATER_REPORTS:
        file: str = spec["file"]
        year: int = spec["year"]
        blocks = _blocks((seeds_dir / file).read_text(encoding="utf-8"))
        title, date = _report_title_and_date(blocks, file)
        sections = [i for i, block in enumerate(blocks) if block == spec["section"]]
        if len(sections) != 1:
            raise SourceError(f"{file}: section {spec['section']!r} found {len(sections)} times")

        targets: list[dict[str, Any]] = []
        counters: dict[str, int] = {}
        paragraphs: dict[int, str] = spec["paragraphs"]
        for number, target in paragraphs.items():
            text = _paragraph(blocks, number, sections[0])
            _check_addressee(year, number, target, text)
            code = TARGET_CODES[target] if target else NOT_SPECIFIED_CODE
            counters[code] = counters.get(code, 0) + 1
            targets.append(
                {
                    "target": target,
                    "paragraphs": str(number),
                    "recommendations": [
                        {"id": f"{year}-{code}-{counters[code]:02d}", "text": text}
                    ],
                }
            )
        reports.append(
            {
                "year": year,
                "number": spec["number"],
                "symbol": "",
                "date": date,
                "title": title,
                "focus": "",
                "source": file,
                "targets": targets,
            }
        )
    return reports


def _describe_range(numbers: list[int]) -> str:
    return f"paras. {min(numbers)}-{max(numbers)}"


def build(seeds_dir: Path) -> dict[str, Any]:
    """The whole catalogue, ready to be written as JSON."""
    mapping_text = (seeds_dir / MAPPING_FILE).read_text(encoding="utf-8")
    mapping_title = next(line.strip() for line in mapping_text.splitlines() if line.strip())
    early = parse_mapping(mapping_text)
    later = parse_later_reports(seeds_dir)
    sources = [{"file": MAPPING_FILE, "describes": mapping_title}]
    for spec in LATER_REPORTS:
        numbers = sorted(spec["paragraphs"])
        sources.append(
            {
                "file": spec["file"],
                "describes": f"{spec['year']} report, {_describe_range(numbers)}",
            }
        )
    return {
        "title": CATALOGUE_TITLE,
        "sources": sources,
        "targets": [{"code": code, "name": name} for code, name in TARGETS],
        "reports": early + later,
    }


def render(catalogue: dict[str, Any]) -> str:
    """The exact text written to the catalogue file."""
    return json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed documents folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    args = parser.parse_args(argv)
    seeds: Path = args.seeds
    out: Path = args.out
    if not seeds.is_dir():
        print(f"seeds folder not found: {seeds}", file=sys.stderr)
        return 2
    try:
        catalogue = build(seeds)
    except SourceError as error:
        print(f"cannot build the catalogue: {error}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(render(catalogue))
    total = sum(
        len(entry["recommendations"])
        for report in catalogue["reports"]
        for entry in report["targets"]
    )
    print(f"wrote {out} ({len(catalogue['reports'])} reports, {total} recommendations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
