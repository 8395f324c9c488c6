"""Use cases over the committee's areas (country > region > district ...) and population groups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.context.models import Area, AreaId, GroupId, PopulationGroup
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, tr
from r2pdesk.lists import (
    MAX_NAME,
    clean_name,
    get_entry,
    merge,
    name_taken,
    restore,
    retire,
)
from r2pdesk.reference.models import TaxonomyTerm

GROUP_KINDS = "group_kinds"  # the taxonomy the kinds of group come from
# Their labels in resources/data/taxonomy.json, marked for the catalogues (`group_kinds` shows
# them through tr); "Ethnical" is the Genocide Convention's word, used alike everywhere.
GROUP_KIND_LABELS = (
    N_("National"), N_("Ethnical"), N_("Racial"), N_("Religious"), N_("Political"),
    N_("Gender"), N_("Sexual orientation and gender identity"), N_("Indigenous Peoples"),
    N_("Minorities"), N_("Displaced persons"), N_("Children and youth"),
    N_("Persons with disabilities"), N_("Human rights defenders"), N_("Journalists"),
)


@dataclass(frozen=True)
class AreaSpec:
    """What an area's form holds. `level` is the country's own word (region, district ...)."""

    name: str
    level: str = ""
    code: str = ""
    parent_id: uuid.UUID | None = None
    notes: str = ""


@dataclass(frozen=True)
class GroupSpec:
    """What a population group's form holds; `kind` is a code of the taxonomy's kinds of group."""

    name: str
    kind: str = ""
    notes: str = ""


def _short(value: str, field: str) -> str:
    value = " ".join(value.split())
    if len(value) > MAX_NAME:
        raise InputError(tr("{field}: at most {count} characters").format(
            field=field, count=MAX_NAME), field=field)
    return value


def _check_area(session: Session, spec: AreaSpec, own: uuid.UUID | None) -> str:
    name = clean_name(spec.name)
    if spec.parent_id is not None:
        parent = session.get(Area, spec.parent_id)
        if parent is None or parent.retired:
            raise InputError(tr("within: there is no such area in use"), field="parent")
        ancestor: Area | None = parent
        while ancestor is not None:  # an area cannot lie within itself
            if ancestor.id == own:
                raise InputError(tr("within: an area cannot lie within itself or its own parts"),
                                 field="parent")
            ancestor = ancestor.parent
    siblings = select(Area).where(Area.retired.is_(False))
    siblings = siblings.where(Area.parent_id.is_(None) if spec.parent_id is None
                              else Area.parent_id == spec.parent_id)
    other = name_taken(session, siblings, name, own)
    if other is not None:
        raise InputError(tr("name: there is already an area named {name} there").format(
            name=other.name), field="name")
    code = _short(spec.code, "code")
    if code:
        coded = name_taken(session, select(Area).where(Area.retired.is_(False)), code, own,
                           attribute="code")
        if coded is not None:
            raise InputError(tr("code: {code} is already the code of {name}").format(
                code=code, name=coded.name), field="code")
    return name


def _apply_area(area: Area, spec: AreaSpec, name: str) -> None:
    area.name = name
    area.level = _short(spec.level, "level")
    area.code = _short(spec.code, "code")
    area.parent_id = spec.parent_id
    area.notes = spec.notes.strip()


def add_area(session: Session, spec: AreaSpec) -> AreaId:
    """Add an area; refused (nothing changed) when its name repeats one beside it."""
    name = _check_area(session, spec, None)
    area = Area(id=uuid.uuid4(), name=name)
    _apply_area(area, spec, name)
    session.add(area)
    session.flush()
    return AreaId(area.id)


def edit_area(session: Session, area_id: AreaId, spec: AreaSpec) -> None:
    """Change an area's name, level, code, parent or notes."""
    area = get_entry(session, Area, area_id, tr("area"))
    _apply_area(area, spec, _check_area(session, spec, area.id))


def retire_area(session: Session, area_id: AreaId) -> None:
    """Take an area out of the lists, with the parts within it still in use refused."""
    area = get_entry(session, Area, area_id, tr("area"))
    if any(not child.retired for child in area.children):
        raise InputError(tr("{name} still has areas within it: retire or move those first").format(
            name=area.name))
    retire(area)


def restore_area(session: Session, area_id: AreaId) -> None:
    """Bring a retired area back."""
    restore(get_entry(session, Area, area_id, tr("area")))


def merge_areas(session: Session, keep: AreaId, drop: AreaId) -> int:
    """Merge a duplicate area into the one kept (its parts move under the one kept)."""
    kept = get_entry(session, Area, keep, tr("area"))
    dropped = get_entry(session, Area, drop, tr("area"))
    ancestor: Area | None = kept
    while ancestor is not None:
        if ancestor.id == dropped.id:
            raise InputError(tr("an area cannot be merged into one of its own parts"))
        ancestor = ancestor.parent
    return merge(session, Area, kept, dropped)


def _check_group(session: Session, spec: GroupSpec, own: uuid.UUID | None) -> str:
    name = clean_name(spec.name)
    if spec.kind:
        kinds = set(session.scalars(select(TaxonomyTerm.code).where(
            TaxonomyTerm.kind == GROUP_KINDS)))
        if spec.kind not in kinds:
            raise InputError(tr("kind: {kind} is not a kind of group (one of: {kinds})").format(
                kind=spec.kind, kinds=", ".join(sorted(kinds))), field="kind")
    other = name_taken(session, select(PopulationGroup).where(
        PopulationGroup.retired.is_(False)), name, own)
    if other is not None:
        raise InputError(tr("name: there is already a group named {name}").format(
            name=other.name), field="name")
    return name


def add_group(session: Session, spec: GroupSpec) -> GroupId:
    """Add a population group; refused when its name is taken or its kind unknown."""
    name = _check_group(session, spec, None)
    group = PopulationGroup(id=uuid.uuid4(), name=name, kind=spec.kind,
                            description=spec.notes.strip())
    session.add(group)
    session.flush()
    return GroupId(group.id)


def edit_group(session: Session, group_id: GroupId, spec: GroupSpec) -> None:
    """Change a group's name, kind or notes."""
    group = get_entry(session, PopulationGroup, group_id, tr("group"))
    group.name = _check_group(session, spec, group.id)
    group.kind = spec.kind
    group.description = spec.notes.strip()


def retire_group(session: Session, group_id: GroupId) -> None:
    """Take a group out of the lists."""
    retire(get_entry(session, PopulationGroup, group_id, tr("group")))


def restore_group(session: Session, group_id: GroupId) -> None:
    """Bring a retired group back."""
    restore(get_entry(session, PopulationGroup, group_id, tr("group")))


def merge_groups(session: Session, keep: GroupId, drop: GroupId) -> int:
    """Merge a duplicate group into the one kept."""
    return merge(session, PopulationGroup,
                 get_entry(session, PopulationGroup, keep, tr("group")),
                 get_entry(session, PopulationGroup, drop, tr("group")))
