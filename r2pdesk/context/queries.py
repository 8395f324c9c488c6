"""Reading areas (with their place in the hierarchy) and population groups."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.context.service import GROUP_KINDS
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import name_key
from r2pdesk.reference.models import TaxonomyTerm

PATH_SEPARATOR = " > "


@dataclass(frozen=True)
class AreaRow:
    """One area, with the names of the areas it lies within."""

    id: uuid.UUID
    name: str
    level: str
    code: str
    parent_id: uuid.UUID | None
    path: str  # "Country > Region > District"
    depth: int
    notes: str
    retired: bool

    def as_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "name": self.name, "level": self.level, "code": self.code,
                "parent": str(self.parent_id) if self.parent_id else None, "path": self.path,
                "notes": self.notes, "retired": self.retired}


@dataclass(frozen=True)
class GroupRow:
    """One population group."""

    id: uuid.UUID
    name: str
    kind: str
    kind_label: str
    notes: str
    retired: bool

    def as_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "name": self.name, "kind": self.kind or None,
                "notes": self.notes, "retired": self.retired}


def list_areas(session: Session, *, search: str = "",
               include_retired: bool = False) -> list[AreaRow]:
    """The areas in the order of the hierarchy (each after its parent), with their paths."""
    areas = {a.id: a for a in session.scalars(select(Area).order_by(Area.name))}
    children: dict[uuid.UUID | None, list[Area]] = {}
    for area in areas.values():
        parent = area.parent_id if area.parent_id in areas else None
        children.setdefault(parent, []).append(area)
    rows: list[AreaRow] = []
    words = name_key(search).split()

    def walk(parent: uuid.UUID | None, path: tuple[str, ...]) -> None:
        for area in children.get(parent, []):
            full = (*path, area.name)
            text = PATH_SEPARATOR.join(full)
            shown = include_retired or not area.retired
            if shown and all(w in name_key(f"{text} {area.code}") for w in words):
                rows.append(AreaRow(area.id, area.name, area.level, area.code, area.parent_id,
                                    text, len(path), area.notes, area.retired))
            walk(area.id, full)

    walk(None, ())
    return rows


def find_area(session: Session, text: str, *, retired: bool = False) -> AreaRow:
    """The area in use (or, with `retired`, a retired one) named by its id, code, path
    ("Region > District"), the end of its path or its name; refused when none or several match.

    Every command that names an area uses this, so all accept the same names."""
    key = name_key(text)
    tail = name_key(PATH_SEPARATOR + text)
    rows = [r for r in list_areas(session, include_retired=retired) if r.retired == retired]
    try:
        wanted: uuid.UUID | None = uuid.UUID(text.strip())
    except ValueError:
        wanted = None
    # The id, the code, the whole path, the end of a path, the name alone.
    tests: list[Callable[[AreaRow], bool]] = [
        lambda r: r.id == wanted,
        lambda r: name_key(r.code) == key, lambda r: name_key(r.path) == key,
        lambda r: name_key(r.path).endswith(tail), lambda r: name_key(r.name) == key]
    for test in tests:
        found = [r for r in rows if key and test(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InputError(tr("area: several areas are named {name} ({paths}); give the path "
                                "or the code").format(name=repr(text), paths="; ".join(
                                    r.path for r in found)), field="area")
    missing = (tr("area: no retired area is named {name}") if retired
               else tr("area: no area in use is named {name}"))
    raise InputError(missing.format(name=repr(text)), field="area")


def group_kinds(session: Session) -> list[tuple[str, str]]:
    """The kinds of group (code, label in the language in use), in the taxonomy's order."""
    return [(code, tr(label)) for code, label in session.execute(
        select(TaxonomyTerm.code, TaxonomyTerm.label)
        .where(TaxonomyTerm.kind == GROUP_KINDS).order_by(TaxonomyTerm.ordinal))]


def list_groups(session: Session, *, search: str = "",
                include_retired: bool = False) -> list[GroupRow]:
    """The population groups by name."""
    labels = dict(group_kinds(session))
    query = select(PopulationGroup).order_by(PopulationGroup.name)
    if not include_retired:
        query = query.where(PopulationGroup.retired.is_(False))
    words = name_key(search).split()
    return [GroupRow(g.id, g.name, g.kind, labels.get(g.kind, g.kind), g.description, g.retired)
            for g in session.scalars(query)
            if all(w in name_key(f"{g.name} {labels.get(g.kind, '')}") for w in words)]


def find_group(session: Session, text: str) -> GroupRow:
    """The group in use with this name; refused when there is none."""
    key = name_key(text)
    for row in list_groups(session):
        if key and name_key(row.name) == key:
            return row
    raise InputError(tr("group: no group in use is named {name}").format(name=repr(text)),
                     field="group")
