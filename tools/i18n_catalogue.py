"""Keep the translation catalogues (resources/i18n/<code>.json) in step with the code.

    python -m tools.i18n_catalogue check          # what is untranslated, stale or malformed
    python -m tools.i18n_catalogue update         # add new strings (empty), drop stale ones
    python -m tools.i18n_catalogue pending fr     # the English strings French still lacks, as JSON

The strings are found by reading the code: every `tr("...")` and `N_("...")` whose text is written
out in the call. A `tr` over an f-string is an error, since no catalogue can hold it.
"""

from __future__ import annotations

import ast
import json
import re
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from r2pdesk.i18n import LANGUAGES, SOURCE_LANGUAGE, key

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("r2pdesk", "ui")
CATALOGUES = ROOT / "resources" / "i18n"
MARKERS = {"tr", "N_"}


@dataclass
class Found:
    """Every catalogue key used in the code, where; and the calls no catalogue can hold."""

    keys: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _marker(call: ast.Call) -> str | None:
    func = call.func
    name = None
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute):
        name = func.attr
    return name if name in MARKERS else None


def _context(call: ast.Call) -> str | bool | None:
    """The literal context of a call, None without one, False when it is not a literal."""
    for keyword in call.keywords:
        if keyword.arg == "context":
            value = keyword.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
            return False
    if len(call.args) > 1:
        value = call.args[1]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
        return False
    return None


def _calls(path: Path) -> Iterator[tuple[ast.Call, str]]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            marker = _marker(node)
            if marker:
                yield node, marker


def extract(root: Path = ROOT) -> Found:
    """Read every source file for the strings it shows."""
    found = Found()
    for package in SOURCES:
        for path in sorted((root / package).rglob("*.py")):
            where_file = path.relative_to(root).as_posix()
            for call, marker in _calls(path):
                where = f"{where_file}:{call.lineno}"
                if not call.args:
                    continue
                text = call.args[0]
                context = _context(call)
                if isinstance(text, ast.JoinedStr):
                    found.errors.append(f"{where}: {marker}() over an f-string; use .format()")
                    continue
                if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                    if marker == "N_":
                        found.errors.append(f"{where}: N_() needs the text written out")
                    continue  # tr(variable): the variable's texts are marked where written
                if not (context is None or isinstance(context, str)):
                    found.errors.append(f"{where}: the context must be written out")
                    continue
                found.keys.setdefault(key(text.value, context or None), []).append(where)
    return found


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed>"}


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Report:
    """What is wrong with one language's catalogue."""

    code: str
    missing: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.untranslated or self.stale or self.mismatched)

    def lines(self) -> list[str]:
        out = []
        for label, items in (
            ("not in the catalogue", self.missing),
            ("untranslated", self.untranslated),
            ("stale (no longer in the code)", self.stale),
            ("placeholders or markup differ from the English", self.mismatched),
        ):
            out += [f"{self.code}: {label}: {item!r}" for item in items]
        return out


def load(code: str) -> dict[str, str]:
    """One catalogue as stored."""
    path = CATALOGUES / f"{code}.json"
    data: dict[str, str] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return data


def _english(catalogue_key: str) -> str:
    return catalogue_key.split("|", 1)[1] if "|" in catalogue_key else catalogue_key


def check(code: str, keys: set[str]) -> Report:
    """Compare one catalogue with the strings of the code."""
    catalogue = load(code)
    report = Report(code)
    for item in sorted(keys):
        if item not in catalogue:
            report.missing.append(item)
        elif not catalogue[item].strip():
            report.untranslated.append(item)
        else:
            english, translated = _english(item), catalogue[item]
            same_tags = sorted(_TAG.findall(english)) == sorted(_TAG.findall(translated))
            if _fields(english) != _fields(translated) or not same_tags:
                report.mismatched.append(item)
    report.stale = sorted(set(catalogue) - keys)
    return report


def update(code: str, keys: set[str]) -> None:
    """Add the code's new strings (untranslated) and drop the ones it no longer has."""
    catalogue = load(code)
    merged = {item: catalogue.get(item, "") for item in sorted(keys)}
    text = json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (CATALOGUES / f"{code}.json").write_text(text, "utf-8")


def translated_languages() -> list[str]:
    """Every language with a catalogue."""
    return [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    found = extract()
    keys = set(found.keys)
    if command == "update":
        for code in translated_languages():
            update(code, keys)
        print(f"{len(keys)} strings; catalogues updated")
        return 0
    if command == "pending":
        catalogue = load(argv[1])
        pending = {item: "" for item in sorted(keys) if not catalogue.get(item, "").strip()}
        print(json.dumps(pending, ensure_ascii=False, indent=1))
        return 0
    problems = list(found.errors)
    for code in translated_languages():
        problems += check(code, keys).lines()
    print("\n".join(problems) if problems else f"{len(keys)} strings, every language complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
