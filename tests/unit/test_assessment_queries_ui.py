"""Queries the Risk assessments page needs beyond the core's own: what a rating can cite."""

from __future__ import annotations

from r2pdesk.assessments.queries import rating_choices
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.sources.models import Source, SourceKind
from r2pdesk.store import Store


def test_rating_choices_name_areas_groups_and_sources_by_label(store: Store) -> None:
    with store.session() as session:
        session.add_all([
            Area(name="Velmora", level="province"),
            Area(name="Arden", level=""),
            PopulationGroup(name="Pastoralists", kind="livelihood"),
            PopulationGroup(name="Displaced people", kind="displaced"),
            Source(title="Radio Dawn", kind=SourceKind.OPEN_MEDIA, reliability="B",
                   credibility=2),
            Source(title="A local contact", kind=SourceKind.CONFIDENTIAL_INFORMANT,
                   reliability="C", credibility=3, identity="Jane Doe, Velmora market"),
        ])
    with store.reader() as session:
        choices = rating_choices(session)
    assert [c.label for c in choices.areas] == ["Arden", "Velmora (province)"]
    assert [c.label for c in choices.groups] == ["Displaced people", "Pastoralists"]
    assert [c.label for c in choices.sources] == [
        "A local contact (confidential informant, C3)", "Radio Dawn (open media, B2)"]
    assert not any("Jane Doe" in c.label for c in choices.sources)


def test_rating_choices_on_an_empty_database_are_empty(store: Store) -> None:
    with store.reader() as session:
        choices = rating_choices(session)
    assert choices.areas == choices.groups == choices.sources == ()
