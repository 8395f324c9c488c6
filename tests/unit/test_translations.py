"""Each language's catalogue holds exactly the code's strings, translated, placeholders kept."""

from __future__ import annotations

import json

import pytest

from tools import i18n_catalogue
from tools.i18n_catalogue import CATALOGUES, check, extract, translated_languages

FOUND = extract()


def test_every_shown_string_can_be_catalogued() -> None:
    assert FOUND.errors == []
    assert len(FOUND.keys) > 500  # the app, the CLI and the reports speak through the catalogue


@pytest.mark.parametrize("code", translated_languages())
def test_catalogue_is_complete_and_current(code: str) -> None:
    report = check(code, set(FOUND.keys))
    assert report.ok, "\n".join(report.lines()[:40]) + "\n(python -m tools.i18n_catalogue check)"


@pytest.mark.parametrize("code", translated_languages())
def test_catalogue_file_is_sorted_json_as_update_writes_it(code: str) -> None:
    text = (CATALOGUES / f"{code}.json").read_text("utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data)


def test_checker_names_untranslated_stale_and_broken_placeholders(tmp_path, monkeypatch) -> None:
    (tmp_path / "fr.json").write_text(json.dumps({
        "Open warnings": "",
        "{count} overdue": "{nombre} en retard",
        "<b>Due:</b>": "Échéance :",
        "Gone from the code": "Disparu",
    }), "utf-8")
    monkeypatch.setattr(i18n_catalogue, "CATALOGUES", tmp_path)
    keys = {"Open warnings", "{count} overdue", "<b>Due:</b>", "New string"}
    report = check("fr", keys)
    assert report.missing == ["New string"]
    assert report.untranslated == ["Open warnings"]
    assert report.stale == ["Gone from the code"]
    assert sorted(report.mismatched) == ["<b>Due:</b>", "{count} overdue"]


def test_extractor_refuses_f_strings(tmp_path, monkeypatch) -> None:
    package = tmp_path / "r2pdesk"
    package.mkdir()
    (tmp_path / "ui").mkdir()
    (package / "m.py").write_text(
        'from r2pdesk.i18n import N_, tr\n'
        'A = N_("Marked")\n'
        'def f(n):\n'
        '    return tr(f"{n} rows"), tr("Open", context="verb"), tr(A)\n', "utf-8")
    found = extract(tmp_path)
    assert set(found.keys) == {"Marked", "verb|Open"}
    assert found.errors == ["r2pdesk/m.py:4: tr() over an f-string; use .format()"]
