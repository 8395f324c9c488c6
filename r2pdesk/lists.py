"""What the committee's own lists (members, areas, population groups, sources) share: names
compared as people compare them, checks of a typed name, retiring instead of deleting, and merging
two duplicates so that every record that named either names the one kept."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Select, Table, and_, case, delete, exists, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.orm import Base, Retirable, Tracked

MAX_NAME = 300  # the name columns are String(300)

R = TypeVar("R", bound=Retirable)


def name_key(text: str) -> str:
    """What two names must share to be the same name: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def clean_name(text: str, *, field: str = "name") -> str:
    """A typed name with its spacing tidied; refused when empty or too long."""
    name = " ".join(text.split())
    if not name:
        raise InputError(tr("{field}: a name is needed").format(field=field), field=field)
    if len(name) > MAX_NAME:
        raise InputError(tr("{field}: at most {count} characters").format(
            field=field, count=MAX_NAME), field=field)
    return name


def name_taken(session: Session, entries: Select[R], name: str, own: uuid.UUID | None,
               attribute: str = "name") -> R | None:
    """Another of these entries whose name (or `attribute`) is `name` as people compare names."""
    key = name_key(name)
    for other in session.scalars(entries):
        if cast("Tracked", other).id != own and name_key(getattr(other, attribute)) == key:
            return other
    return None


def get_entry(session: Session, model: type[R], entry_id: uuid.UUID, what: str) -> R:
    """The entry with this id, or a refusal saying there is none."""
    found = session.get(model, entry_id)
    if found is None:
        raise InputError(tr("there is no {what} with the id {id}").format(what=what, id=entry_id))
    return found


def retire(entry: Retirable) -> None:
    """Take an entry out of the lists people choose from; the records that name it keep it."""
    entry.retired = True


def restore(entry: Retirable) -> None:
    """Bring a retired entry back into the lists (not one merged into another)."""
    if entry.merged_into is not None:
        raise InputError(tr("this entry was merged into another; it cannot come back by itself"))
    entry.retired = False


def _references(table: Table) -> list[tuple[Table, str]]:
    """Every (table, column) whose foreign key points at `table`'s id."""
    found = []
    for other in Base.metadata.tables.values():
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                found.append((other, fk.parent.name))
    return found


def merge(session: Session, model: type[R], keep: R, drop: R) -> int:
    """Make every record that names `drop` name `keep`, then retire `drop` as merged into `keep`.

    Link tables (a warning's areas, a rating's sources ...) keep one row where a record named
    both. Returns how many references moved. The retired duplicate stays, so that a file from
    another laptop that still names it finds where it went.
    """
    keep_id, drop_id = cast("Tracked", keep).id, cast("Tracked", drop).id
    if keep is drop or keep.merged_into is not None or keep.retired:
        raise InputError(tr("choose two different entries, the one kept still in use"))
    table = model.__table__  # type: ignore[attr-defined]
    moved = 0
    for other, column in _references(table):
        col = other.c[column]
        keys = [c for c in other.primary_key.columns if c.name != column]
        if other.primary_key.columns.contains_column(col) and keys:
            # A link table: drop the rows that would repeat a link the kept entry already has.
            twin = other.alias()
            already = exists().where(
                twin.c[column] == keep_id,
                and_(*(twin.c[k.name] == other.c[k.name] for k in keys)),
            )
            session.execute(delete(other).where(col == drop_id, already))
        result = session.execute(update(other).where(col == drop_id).values({column: keep_id}))
        moved += int(getattr(result, "rowcount", 0) or 0)
    drop.retired = True
    drop.merged_into = keep_id
    return moved


def retired_name(model: type[Any], name: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """An entry's name for a choice list: a retired one (still named by older records, so still
    shown where it is chosen) says so."""
    return case((model.retired.is_(True), name + " (" + tr("retired") + ")"), else_=name)


def follow(session: Session, model: type[Any], entry_id: uuid.UUID) -> uuid.UUID:
    """The id an entry now goes by: itself, or the one it was merged into (and so on)."""
    seen = {entry_id}
    current = entry_id
    while True:
        target = session.scalar(select(model.merged_into).where(model.id == current))
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target
