"""Words shown in the lists and forms: the kinds of group from the taxonomy in every language,
one word for a kind in the form and in the list, a source's kind and confidentiality with a
capital as a cell of their own, and duration suffixes keeping their space."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from r2pdesk.assessments import queries as assessment_queries
from r2pdesk.context.models import PopulationGroup
from r2pdesk.context.queries import group_kinds, list_groups
from r2pdesk.context.service import GROUP_KIND_LABELS
from r2pdesk.i18n import LANGUAGES, SOURCE_LANGUAGE, catalogue, speaking
from r2pdesk.sources import labels
from r2pdesk.sources.models import Confidentiality, SourceKind
from r2pdesk.store import Store
from ui import warning_models

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def test_the_taxonomys_kinds_of_group_are_all_marked_for_the_catalogues() -> None:
    taxonomy = json.loads((ROOT / "resources" / "data" / "taxonomy.json").read_text("utf-8"))
    assert [term["label"] for term in taxonomy["group_kinds"]] == list(GROUP_KIND_LABELS)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_kinds_of_group_are_translated_and_one_word_in_form_and_list(
    store: Store, code: str
) -> None:
    with store.session() as session:
        session.add(PopulationGroup(name="Kalo people", kind="ethnical"))
    with speaking(code), store.reader() as session:
        kinds = dict(group_kinds(session))
        (row,) = list_groups(session)
    assert kinds["ethnical"] == catalogue(code)["Ethnical"]
    assert kinds["displaced_persons"] == catalogue(code)["Displaced persons"]
    assert row.kind_label == kinds["ethnical"]  # the list says what the form offered


def test_ethnical_is_the_one_english_word() -> None:
    assert "Ethnical" in GROUP_KIND_LABELS
    assert "Ethnic" not in GROUP_KIND_LABELS


@pytest.mark.parametrize("code", TRANSLATED)
def test_duration_suffixes_keep_their_space(code: str) -> None:
    suffixes = {k: v for k, v in catalogue(code).items() if k.startswith("suffix|")}
    assert suffixes
    for key, value in suffixes.items():
        assert value.startswith(" "), key  # " jours": "60 jours", not "60jours"
        assert not value.startswith("  "), key


def test_a_sources_kind_and_confidentiality_start_with_a_capital_on_their_own() -> None:
    assert labels.source_kind_label(SourceKind.OPEN_MEDIA) == "Open media"
    assert labels.confidentiality_label(Confidentiality.RESTRICTED) == "Restricted"
    with speaking("fr"):
        kind = labels.source_kind_label(SourceKind.CONFIDENTIAL_INFORMANT)
        word = catalogue("fr")["confidential informant"]
    assert kind == word[:1].upper() + word[1:]
    with speaking("ar"):  # no capitals: the word as it is
        assert labels.source_kind_label(SourceKind.OFFICIAL) == catalogue("ar")["official"]


def test_the_words_of_a_sources_kind_are_kept_in_one_place() -> None:
    assert warning_models.SOURCE_KIND_LABELS is labels.SOURCE_KIND_LABELS
    assert warning_models.CONFIDENTIALITY_LABELS is labels.CONFIDENTIALITY_LABELS
    assert assessment_queries.SOURCE_KINDS is labels.SOURCE_KIND_LABELS
