"""Setting a committee up from an empty database: its name, members, areas, groups and sources;
edits, refusals that change nothing, retiring instead of deleting, and merging duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.context.queries import find_area, find_group, list_areas, list_groups
from r2pdesk.context.service import (
    AreaSpec,
    GroupSpec,
    add_area,
    add_group,
    edit_area,
    merge_areas,
    merge_groups,
    restore_area,
    retire_area,
)
from r2pdesk.earlywarning.models import warning_area
from r2pdesk.errors import InputError
from r2pdesk.lists import follow
from r2pdesk.members.models import Constituency, Member, Role
from r2pdesk.members.queries import list_members
from r2pdesk.members.service import (
    MemberSpec,
    act_as,
    add_member,
    committee,
    edit_member,
    merge_members,
    retire_member,
    set_committee,
)
from r2pdesk.sources.models import Confidentiality, SourceKind
from r2pdesk.sources.queries import find_source, list_sources
from r2pdesk.sources.service import SourceSpec, add_source, edit_source, merge_sources
from r2pdesk.store import Store


def _audit_count(store: Store) -> int:
    with store.reader() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_committee_sets_itself_up_from_empty(store: Store) -> None:
    with store.session() as session:
        assert committee(session).name == ""
        set_committee(session, "  National  Committee ", "Republic of Example")
        add_member(session, MemberSpec("Amina K.", Constituency.INDEPENDENT_EXPERT, Role.CHAIR,
                                       term_start=date(2026, 1, 1), term_end=date(2028, 12, 31)))
        add_member(session, MemberSpec("Jean M.", Constituency.GOVERNMENT))
        add_member(session, MemberSpec("Sara L.", Constituency.CIVIL_SOCIETY))
        country = add_area(session, AreaSpec("Example", level="country"))
        north = add_area(session, AreaSpec("North", level="region", parent_id=country))
        add_area(session, AreaSpec("Hill District", level="district", code="N-01", parent_id=north))
        add_area(session, AreaSpec("South", level="region", parent_id=country))
        add_group(session, GroupSpec("Hill people", kind="ethnical"))
        add_group(session, GroupSpec("Displaced families", kind="displaced_persons"))
        add_group(session, GroupSpec("Journalists"))
        add_source(session, SourceSpec("Daily Example", SourceKind.OPEN_MEDIA, "B", 2))
        add_source(session, SourceSpec("Informant 7", SourceKind.CONFIDENTIAL_INFORMANT, "C", 3,
                                       identity="the real name"))
    act_as(store, "amina k.")
    with store.session() as session:
        add_group(session, GroupSpec("Teachers"))
    with store.reader() as session:
        assert committee(session).name == "National Committee"
        assert [m.name for m in list_members(session)] == ["Amina K.", "Jean M.", "Sara L."]
        assert [a.path for a in list_areas(session)] == [
            "Example", "Example > North", "Example > North > Hill District", "Example > South"]
        assert find_area(session, "N-01").name == "Hill District"
        assert find_area(session, "North > Hill District").name == "Hill District"
        assert find_group(session, "hill PEOPLE").kind == "ethnical"
        assert len(list_groups(session)) == 4
        informant = find_source(session, "Informant 7")
        assert informant.confidentiality is Confidentiality.CONFIDENTIAL
        assert informant.has_identity
        assert informant.identity == ""
        assert "the real name" not in str(informant.as_json())
        revealed = [s for s in list_sources(session, reveal=True) if s.name == "Informant 7"]
        assert revealed[0].identity == "the real name"
        signed = session.scalars(select(AuditEntry.actor).where(
            AuditEntry.table_name == "population_group").order_by(AuditEntry.seq)).all()
        assert signed[-1] == "Amina K."
        assert verify_chain(session) is None


@pytest.mark.parametrize(("call", "field"), [
    (lambda s: add_member(s, MemberSpec("   ")), "name"),
    (lambda s: add_member(s, MemberSpec("A", term_start=date(2026, 2, 1),
                                        term_end=date(2026, 1, 1))), "term_end"),
    (lambda s: add_member(s, MemberSpec("A", email="not an address")), "email"),
    (lambda s: add_area(s, AreaSpec("x" * 301)), "name"),
    (lambda s: add_group(s, GroupSpec("G", kind="martians")), "kind"),
    (lambda s: add_source(s, SourceSpec("S", reliability="Z")), "reliability"),
    (lambda s: add_source(s, SourceSpec("S", credibility=9)), "credibility"),
])
def test_bad_input_names_its_field_and_changes_nothing(store: Store, call, field: str) -> None:  # type: ignore[no-untyped-def]
    before = _audit_count(store)
    with pytest.raises(InputError) as raised, store.session() as session:
        call(session)
    assert raised.value.field == field
    assert _audit_count(store) == before


def test_names_are_unique_where_people_would_confuse_them(store: Store) -> None:
    with store.session() as session:
        add_member(session, MemberSpec("Amina K."))
        north = add_area(session, AreaSpec("North"))
        add_area(session, AreaSpec("Centre", parent_id=north))
        south = add_area(session, AreaSpec("South"))
        add_area(session, AreaSpec("Centre", parent_id=south))  # the same name elsewhere is fine
    for call in (lambda s: add_member(s, MemberSpec(" amina  k. ")),
                 lambda s: add_area(s, AreaSpec("CENTRE", parent_id=north))):
        with pytest.raises(InputError, match="already"), store.session() as session:
            call(session)
    with store.reader() as session:
        with pytest.raises(InputError, match="several areas"):
            find_area(session, "Centre")
        assert find_area(session, "south > centre").path == "South > Centre"


def test_an_area_cannot_lie_within_itself(store: Store) -> None:
    with store.session() as session:
        top = add_area(session, AreaSpec("Top"))
        low = add_area(session, AreaSpec("Low", parent_id=top))
    with pytest.raises(InputError, match="within itself"), store.session() as session:
        edit_area(session, top, AreaSpec("Top", parent_id=low))


def test_retired_entries_leave_the_lists_but_stay_named(store: Store) -> None:
    with store.session() as session:
        top = add_area(session, AreaSpec("Top"))
        low = add_area(session, AreaSpec("Low", parent_id=top))
        member = add_member(session, MemberSpec("Old member"))
    with pytest.raises(InputError, match="still has areas"), store.session() as session:
        retire_area(session, top)
    with store.session() as session:
        retire_area(session, low)
        retire_member(session, member)
    with store.reader() as session:
        assert [a.name for a in list_areas(session)] == ["Top"]
        assert session.get(Area, low) is not None
        assert [m.name for m in list_members(session)] == []
        assert [m.name for m in list_members(session, include_retired=True)] == ["Old member"]
    with pytest.raises(InputError, match="no member"):
        act_as(store, "Old member")
    with store.session() as session:
        restore_area(session, low)
    with store.reader() as session:
        assert len(list_areas(session)) == 2


def test_merging_duplicates_moves_every_reference(demo_store: Store) -> None:
    with demo_store.session() as session:
        areas = session.scalars(select(Area).order_by(Area.name)).all()
        linked = session.execute(select(warning_area.c.area_id)).scalars().all()
        keep = next(a for a in areas if a.id in linked)
        dup = add_area(session, AreaSpec(keep.name + " (copy)", parent_id=keep.parent_id))
        # A warning that names both keeps one link; one that names the copy only moves to it.
        warnings = session.execute(select(warning_area.c.warning_id).where(
            warning_area.c.area_id == keep.id)).scalars().all()
        session.execute(warning_area.insert().values(warning_id=warnings[0], area_id=dup))
        keep_id = keep.id
    with demo_store.session() as session:
        moved = merge_areas(session, keep_id, dup)  # type: ignore[arg-type]
        assert moved == 0  # the only link of the copy repeated one the kept area has
        assert follow(session, Area, dup) == keep_id
    with demo_store.reader() as session:
        assert session.scalar(select(func.count()).select_from(warning_area).where(
            warning_area.c.area_id == dup)) == 0
        assert dup not in {a.id for a in list_areas(session)}


def test_merging_groups_sources_and_members(store: Store) -> None:
    with store.session() as session:
        g1 = add_group(session, GroupSpec("Herders"))
        g2 = add_group(session, GroupSpec("Herders (north)"))
        s1 = add_source(session, SourceSpec("Radio A"))
        s2 = add_source(session, SourceSpec("Radio A FM"))
        m1 = add_member(session, MemberSpec("Amina K."))
        m2 = add_member(session, MemberSpec("Amina Kone"))
    with store.session() as session:
        merge_groups(session, g1, g2)
        merge_sources(session, s1, s2)
        merge_members(session, m1, m2)
        with pytest.raises(InputError):
            merge_groups(session, g1, g1)
    with store.reader() as session:
        assert session.get(PopulationGroup, g2).merged_into == g1  # type: ignore[union-attr]
        assert [s.name for s in list_sources(session)] == ["Radio A"]
        assert session.get(Member, m2).retired  # type: ignore[union-attr]


def test_editing_keeps_an_identity_not_shown(store: Store) -> None:
    with store.session() as session:
        source = add_source(session, SourceSpec("Informant", SourceKind.CONFIDENTIAL_INFORMANT,
                                                identity="who"))
    with store.session() as session:
        edit_source(session, source, SourceSpec("Informant 1", SourceKind.CONFIDENTIAL_INFORMANT))
    with store.reader() as session:
        row = list_sources(session, reveal=True)[0]
        assert (row.name, row.identity) == ("Informant 1", "who")


def test_member_edit(store: Store) -> None:
    with store.session() as session:
        member = add_member(session, MemberSpec("A"))
    with store.session() as session:
        edit_member(session, member, MemberSpec("A B", Constituency.NHRI, Role.SECRETARIAT,
                                                active=False))
    with store.reader() as session:
        row = list_members(session)[0]
        assert (row.name, row.constituency, row.role, row.active) == (
            "A B", Constituency.NHRI, Role.SECRETARIAT, False)
        assert row.as_json()["constituency"] == "nhri"
