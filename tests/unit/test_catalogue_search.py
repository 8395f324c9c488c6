"""Catalogue search: the SQL filter of the core and the Qt proxy of the app agree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from r2pdesk.reference.service import CatalogueFilter, CatalogueItem, search_catalogue
from r2pdesk.startup import open_store
from r2pdesk.store import Store

YEARS = [None, 2009, 2015, 2023, 2025, 2026]
TARGETS = [None, "Member States", "United Nations", "Civil Society", ""]


@pytest.fixture(scope="module")
def catalogue_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp("search")) / "c.db", member="tester")
    yield store
    store.close()


def matches(item: CatalogueItem, spec: CatalogueFilter) -> bool:
    """The rule as the UI's proxy applies it (ui/catalogue_models.py)."""
    if spec.year is not None and item.year != spec.year:
        return False
    if spec.target is not None and item.target != spec.target:
        return False
    haystack = f"{item.text} {item.paragraphs} {item.symbol} {item.id}".casefold()
    return all(word in haystack for word in spec.text.casefold().split())


@pytest.fixture(scope="module")
def vocabulary(catalogue_store: Store) -> list[str]:
    with catalogue_store.reader() as session:
        words = {w for i in search_catalogue(session) for w in re.findall(r"[A-Za-z]{3,}", i.text)}
    return sorted(words)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_sql_search_equals_the_rule(
    catalogue_store: Store, vocabulary: list[str], data: st.DataObject
) -> None:
    words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=3))
    case = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    spec = CatalogueFilter(
        year=data.draw(st.sampled_from(YEARS)),
        target=data.draw(st.sampled_from(TARGETS)),
        text=" ".join(case(w) for w in words),
    )
    with catalogue_store.reader() as session:
        everything = search_catalogue(session)
        found = search_catalogue(session, spec)
    assert [i.id for i in found] == [i.id for i in everything if matches(i, spec)]


def test_like_wildcards_are_literal(catalogue_store: Store) -> None:
    with catalogue_store.reader() as session:
        assert search_catalogue(session, CatalogueFilter(text="%")) == []
        assert search_catalogue(session, CatalogueFilter(text="_")) == []
