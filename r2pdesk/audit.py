"""The audit trail: every create, update and delete of a user record, hash-chained.

A session listener stamps each tracked record (author, device, revision, updated time) and writes
one audit row per change in the same transaction, so a change and its audit row commit together.

The trail says which fields of a confidential record changed but not their values (they would
outlive the record's deletion there): the values of a record marked confidential, of the records
hanging from one, and an informant's identity are written as `REDACTED`.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    Insert,
    Integer,
    SQLColumnExpression,
    String,
    Table,
    Text,
    Update,
    event,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import MANYTOONE, Mapped, ORMExecuteState, Session, mapped_column

from r2pdesk.orm import TRACKING_COLUMNS, Base, Tracked, utcnow
from r2pdesk.paging import Arm, Listing, Sort, ordered

GENESIS = "0" * 64
LINK, UNLINK = "link", "unlink"  # actions on the links between two records
# A session flag for writes that are no member's doing and are not audited: generated test data.
# (The shipped reference data sets "reference_load".)
UNAUDITED = "unaudited"
LINKED_SEARCH = 20  # records found by name whose links a search looks for too
REDACTED = "[confidential]"
# Columns whose values never enter the trail, whatever the record's marking.
ALWAYS_REDACTED = frozenset({("source", "identity")})
# Markings that are not secrets themselves, so the trail shows them.
MARKINGS = frozenset({"confidential", "confidentiality"})
# Relationships to a parent whose marking covers the record too.
PARENTS = ("warning", "recommendation", "assessment")
# The settings a member changes about the committee (rows of the `setting` table, not tracked
# records): each change is audited as an update of the one record of kind "committee", under
# the field named here.
COMMITTEE = "committee"
COMMITTEE_SETTINGS = {"committee_name": "name", "committee_country": "country"}


class AuditEntry(Base):
    """One change to one record, chained to the entry before it by its hash."""

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200), default="")
    device: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(8))  # create, update, delete
    table_name: Mapped[str] = mapped_column(String(64), index=True)
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    changes: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class Actor:
    """Who is writing, from which device: carried in `Session.info["actor"]`."""

    name: str
    device: str


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def entry_digest(entry: AuditEntry) -> str:
    """The hash of an entry over its content and the previous entry's hash."""
    payload = json.dumps(
        [
            entry.at.isoformat(),
            entry.actor,
            entry.device,
            entry.action,
            entry.table_name,
            entry.record_id,
            entry.changes,
            entry.prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _marked(obj: object) -> bool:
    """Whether a record is confidential now or was before this change."""
    state = inspect(obj)
    for key in MARKINGS & set(state.attrs.keys()):
        history = state.attrs[key].history
        values = [getattr(obj, key), *history.deleted]
        if any(value is True or str(value) == "confidential" for value in values):
            return True
    return False


def is_confidential(obj: object) -> bool:
    """Whether a record, or the record it belongs (or belonged, until this change) to, is marked
    confidential."""
    if _marked(obj):
        return True
    state = inspect(obj)
    for name in PARENTS:
        if name in state.mapper.relationships:
            parents = [getattr(obj, name), *state.attrs[name].history.deleted]
            if any(parent is not None and _marked(parent) for parent in parents):
                return True
    return False


def _hidden(obj: object) -> frozenset[str]:
    """The columns of a record whose values stay out of the trail."""
    state = inspect(obj)
    table = state.mapper.local_table.name
    hide_all = is_confidential(obj)
    return frozenset(
        attr.key for attr in state.mapper.column_attrs
        if (table, attr.key) in ALWAYS_REDACTED or (hide_all and attr.key not in MARKINGS)
    )


def _values(obj: object) -> dict[str, Any]:
    """A record's own columns as plain values (the bookkeeping left out)."""
    state = inspect(obj)
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in state.mapper.column_attrs
            if attr.key not in TRACKING_COLUMNS}


def _parent_keys(obj: object) -> dict[str, Any]:
    """The foreign keys a record's parents give it, read from its relationships: a record added
    to its parent's list (`warning.events.append(...)`) has its key copied in by the flush
    only, after the trail has read the record's columns."""
    state = inspect(obj)
    keys: dict[str, Any] = {}
    for rel in state.mapper.relationships:
        parent = getattr(obj, rel.key) if rel.direction is MANYTOONE else None
        if parent is None:
            continue
        parent_mapper = inspect(parent).mapper
        for local, remote in rel.local_remote_pairs:
            key = state.mapper.get_property_by_column(local).key
            if getattr(obj, key) is None:
                parent_key = parent_mapper.get_property_by_column(remote).key
                keys[key] = _plain(getattr(parent, parent_key))
    return keys


def _column_changes(obj: Tracked, action: str) -> dict[str, Any]:
    state = inspect(obj)
    hidden = _hidden(obj)
    if action != "update":
        values = {**_values(obj), **_parent_keys(obj)}
        return {key: REDACTED if key in hidden else value for key, value in values.items()}
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if attr.key in TRACKING_COLUMNS or not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        changes[attr.key] = (
            [REDACTED, REDACTED] if attr.key in hidden else [_plain(old), _plain(new)])
    return changes


def _is_orphan(obj: object) -> bool:
    """Whether this change took a record away from the parent that owns it (delete-orphan), so
    that the flush deletes it although nobody called `Session.delete` on it."""
    state = inspect(obj)
    for rel in state.mapper.relationships:
        back = rel.back_populates
        if rel.direction is not MANYTOONE or not back or back not in rel.mapper.relationships:
            continue
        if (rel.mapper.relationships[back].cascade.delete_orphan
                and state.attrs[rel.key].history.deleted and getattr(obj, rel.key) is None):
            return True
    return False


Pending = list[tuple[str, Tracked, dict[str, Any]]]


def _stamp(session: Session, actor: Actor) -> Pending:
    now = utcnow()
    pending: Pending = []
    for obj in session.new:  # ids first, so that a new record names its new parent
        if isinstance(obj, Tracked) and obj.id is None:
            obj.id = uuid.uuid4()
    for obj in session.new:
        if isinstance(obj, Tracked):
            obj.author = obj.author or actor.name
            obj.origin_device = obj.origin_device or actor.device
            obj.created_at = obj.created_at or now
            obj.updated_at = obj.created_at
            pending.append(("create", obj, _column_changes(obj, "create")))
    orphans = []
    for obj in session.dirty:
        if not isinstance(obj, Tracked) or obj in session.deleted:
            continue
        if _is_orphan(obj):
            orphans.append(obj)
        elif session.is_modified(obj, include_collections=False):
            changes = _column_changes(obj, "update")
            if changes:
                obj.revision = (obj.revision or 0) + 1
                obj.updated_at = now
                pending.append(("update", obj, changes))
    deleted = [obj for obj in session.deleted if isinstance(obj, Tracked)] + orphans
    _note_cascaded_unlinks(session, deleted)
    pending.extend(("delete", obj, _column_changes(obj, "delete")) for obj in deleted)
    return pending


def _actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else Actor(name="", device="")


def _append(session: Session, entries: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Chain entries (action, table, record id, changes) after the last one, in this order."""
    if not entries:
        return
    actor = _actor(session)
    prev = session.info.get("audit_tip")
    if prev is None:
        with session.no_autoflush:
            prev = session.scalar(
                select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
            ) or GENESIS
    at = utcnow()
    for action, table, record_id, changes in entries:
        entry = AuditEntry(
            at=at, actor=actor.name, device=actor.device, action=action, table_name=table,
            record_id=record_id,
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
            prev_hash=prev,
        )
        entry.hash = entry_digest(entry)
        prev = entry.hash
        session.add(entry)
    session.info["audit_tip"] = prev


def _record_entries(session: Session, pending: Pending) -> None:
    for _action, obj, _changes in pending:
        if obj.id is None:
            obj.id = uuid.uuid4()
    _append(session, [(action, inspect(obj).mapper.local_table.name, str(obj.id), changes)
                      for action, obj, changes in pending])


def _unaudited(session: Session) -> bool:
    return bool(session.info.get("reference_load") or session.info.get(UNAUDITED))


def _committee_changes(session: Session) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The committee's settings this flush writes, as updates of the committee: one entry per
    setting, its old and new value ("" for a setting not kept before)."""
    entries = []
    for obj in [*session.new, *session.dirty]:
        state = inspect(obj)
        if state.mapper.local_table.name != "setting":
            continue
        field = COMMITTEE_SETTINGS.get(getattr(obj, "key", ""))
        history = state.attrs["value"].history
        if field is None or (obj in session.dirty and not history.has_changes()):
            continue
        old = history.deleted[0] if history.deleted else ""
        new = getattr(obj, "value", "") or ""
        if old != new:
            entries.append(("update", COMMITTEE, COMMITTEE, {field: [old, new]}))
    return entries


def _record_changes(session: Session, _context: object, _instances: object) -> None:
    if _unaudited(session):
        return
    _record_entries(session, _stamp(session, _actor(session)))
    _append(session, _committee_changes(session))
    _record_links(session)


# --- links, and statements that bypass the flush ----------------------------------------------


def link_tables() -> dict[str, Table]:
    """The many-to-many tables (two records' ids making the key, no class of their own)."""
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    return {
        table.name: table for table in Base.metadata.tables.values()
        if table not in mapped and len(table.columns) == 2
        and len(table.primary_key.columns) == 2
        and all(column.foreign_keys for column in table.columns)
    }


def _tracked_model(name: str) -> type[Tracked] | None:
    for mapper in Base.registry.mappers:
        if mapper.persist_selectable is Base.metadata.tables.get(name) and issubclass(
                mapper.class_, Tracked):
            return mapper.class_
    return None


def _note_link(session: Session, table: Table, row: Mapping[str, Any], action: str) -> None:
    """Keep a link made or undone until the next flush or the commit; undoing what was just done
    (a list of links written again whole) leaves nothing to say."""
    values = {column.name: str(_plain(row.get(column.name))) for column in table.columns}
    key = (table.name, tuple(values.values()))
    pending: dict[tuple[str, tuple[str, ...]], tuple[str, dict[str, str]]] = (
        session.info.setdefault("audit_links", {}))
    earlier = pending.pop(key, None)
    if earlier is None:
        pending[key] = (action, values)
    elif earlier[0] == action:
        pending[key] = earlier


def _note_cascaded_unlinks(session: Session, records: Sequence[object]) -> None:
    """The links the database deletes with these records (ON DELETE CASCADE)."""
    ids: dict[str, list[Any]] = {}
    for obj in records:
        ids.setdefault(inspect(obj).mapper.local_table.name, []).append(getattr(obj, "id", None))
    if not ids:
        return
    for table in link_tables().values():
        for column in table.columns:
            for key in column.foreign_keys:
                gone = ids.get(key.column.table.name)
                if gone:
                    query = select(*table.c).where(column.in_(gone))
                    for row in session.execute(query).mappings():
                        _note_link(session, table, dict(row), UNLINK)


def _record_links(session: Session) -> None:
    pending = session.info.pop("audit_links", None)
    if not pending:
        return
    tables = link_tables()
    _append(session, [
        (action, name, values[tables[name].columns[0].name] if name in tables
         else next(iter(values.values())), values)
        for (name, _key), (action, values) in pending.items()
    ])


def _set_values(statement: Any) -> dict[str, Any]:
    """The values an INSERT or UPDATE statement sets itself (`.values(...)`), by column name."""
    values = getattr(statement, "_values", None) or {}
    return {str(getattr(key, "key", key)): getattr(value, "value", value)
            for key, value in values.items()}


def _insert_rows(state: ORMExecuteState) -> list[dict[str, Any]]:
    base = _set_values(state.statement)
    many = getattr(state.statement, "_multi_values", None) or ()
    rows = [{str(getattr(k, "key", k)): v for k, v in row.items()}
            for group in many for row in group]
    params = state.parameters
    if state.is_executemany:
        many_rows: Sequence[Mapping[str, Any]] = params or ()  # type: ignore[assignment]
        rows.extend({**base, **row} for row in many_rows)
    elif isinstance(params, Mapping):
        rows.append({**base, **params})
    elif not rows:
        rows.append(base)
    return rows


def _matching(session: Session, table: Any, statement: Any) -> list[dict[str, Any]]:
    query = select(*table.c)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return [dict(row) for row in session.execute(query).mappings()]


def _link_statement(state: ORMExecuteState, table: Table) -> Any:
    session, statement = state.session, state.statement
    if state.is_insert:
        rows = _insert_rows(state)
        result = state.invoke_statement()
        for row in rows:
            _note_link(session, table, row, LINK)
        return result
    old = _matching(session, table, statement)
    result = state.invoke_statement()
    for row in old:
        _note_link(session, table, row, UNLINK)
    if state.is_update:
        new = _set_values(statement)
        for row in old:
            _note_link(session, table, {**row, **new}, LINK)
    return result


def _bulk_insert(state: ORMExecuteState, model: type[Tracked]) -> Any:
    session, actor, statement = state.session, _actor(state.session), state.statement
    assert isinstance(statement, Insert)
    rows = _insert_rows(state)
    fills = [{"id": row.get("id") or uuid.uuid4(), "author": row.get("author") or actor.name,
              "origin_device": row.get("origin_device") or actor.device} for row in rows]
    if state.is_executemany:
        result = state.invoke_statement(params=fills)
    else:
        result = state.invoke_statement(statement=statement.values(fills[0]))
    made = session.scalars(select(model).where(model.id.in_([f["id"] for f in fills])))
    _record_entries(session, [("create", obj, _column_changes(obj, "create")) for obj in made])
    return result


def _bulk_change(state: ORMExecuteState, model: type[Tracked]) -> Any:
    """An UPDATE or DELETE statement on tracked records: the records it reaches are read before
    (and, for an update, after) it runs, and an entry is written for each."""
    session, statement = state.session, state.statement
    assert isinstance(statement, Update | Delete)
    query = select(model)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    elif state.is_executemany:  # an ORM bulk update by primary key
        rows: Sequence[Mapping[str, Any]] = state.parameters or ()  # type: ignore[assignment]
        query = query.where(model.id.in_([row["id"] for row in rows]))
    found = list(session.scalars(query))
    if state.is_delete:
        _note_cascaded_unlinks(session, found)
        pending: Pending = [("delete", obj, _column_changes(obj, "delete")) for obj in found]
        result = state.invoke_statement()
        _record_entries(session, pending)
        return result
    before = {obj.id: (_values(obj), _hidden(obj)) for obj in found}
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(statement, Update)
    if not state.is_executemany:  # (by primary key, the SET clause comes from the rows alone)
        statement = statement.values(
            {table.c.revision: table.c.revision + 1, table.c.updated_at: utcnow()})
    result = state.invoke_statement(statement=statement)
    fresh = session.scalars(select(model).where(model.id.in_(list(before)))
                            .execution_options(populate_existing=True))
    for obj in fresh:
        old, hidden = before[obj.id]
        hidden |= _hidden(obj)
        changes = {key: [REDACTED, REDACTED] if key in hidden else [old.get(key), value]
                   for key, value in _values(obj).items() if old.get(key) != value}
        if changes:
            _record_entries(session, [("update", obj, changes)])
    return result


def _record_statement(state: ORMExecuteState) -> Any:
    """Audit what a statement run through the session writes without the flush: links made or
    undone with INSERT and DELETE, bulk inserts, updates and deletes of tracked records."""
    session = state.session
    if _unaudited(session) or not (state.is_insert or state.is_update or state.is_delete):
        return None
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if not isinstance(name, str):
        return None
    links = link_tables()
    if name in links:
        return _link_statement(state, links[name])
    model = _tracked_model(name)
    if model is None:
        return None
    return _bulk_insert(state, model) if state.is_insert else _bulk_change(state, model)


def _before_commit(session: Session) -> None:
    if not _unaudited(session):
        _record_links(session)


def _forget_tip(session: Session, *_args: object) -> None:
    session.info.pop("audit_tip", None)
    session.info.pop("audit_links", None)


def install(session_factory: Any) -> None:
    """Attach the audit listeners to a sessionmaker."""
    event.listen(session_factory, "before_flush", _record_changes)
    event.listen(session_factory, "do_orm_execute", _record_statement)
    event.listen(session_factory, "before_commit", _before_commit)
    event.listen(session_factory, "after_rollback", _forget_tip)
    event.listen(session_factory, "after_commit", _forget_tip)


def verify_chain(session: Session) -> int | None:
    """The sequence number of the first entry whose hash does not hold, or None when all do."""
    return check_chain(session).broken


@dataclass(frozen=True)
class ChainCheck:
    """What a check of the hash chain found: where it breaks (None: nowhere), how many entries
    it checked, and the last one, to carry on from."""

    broken: int | None
    entries: int
    last_seq: int = 0
    last_hash: str = GENESIS


def check_chain(session: Session, since: ChainCheck | None = None) -> ChainCheck:
    """Check the chain from its start, or only the entries written after an intact check
    (`since`: a live view checks what each write added; its full check starts again)."""
    if since is not None and since.broken is not None:
        return since
    start = since or ChainCheck(None, 0)
    prev, last_seq, count = start.last_hash, start.last_seq, start.entries
    query = select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq)
    for entry in session.scalars(query):
        if entry.prev_hash != prev or entry.hash != entry_digest(entry):
            return ChainCheck(entry.seq, count + 1, last_seq, prev)
        prev, last_seq, count = entry.hash, entry.seq, count + 1
    return ChainCheck(None, count, last_seq, prev)


@dataclass(frozen=True)
class AuditRow:
    """One entry of the trail, as listed."""

    seq: int
    at: datetime
    actor: str
    device: str
    action: str
    table: str
    record_id: str
    changes: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The entry for `--json` output."""
        return {
            "seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
            "device": self.device, "action": self.action, "table": self.table,
            "record_id": self.record_id, "changes": self.changes,
        }


class AuditOrder(enum.StrEnum):
    """What the trail can be sorted by (`Sort()` alone: newest entry first)."""

    SEQ = "seq"
    AT = "at"
    ACTOR = "actor"
    DEVICE = "device"
    ACTION = "action"
    TABLE = "table"
    RECORD = "record"
    CHANGES = "changes"  # as stored (JSON, keys in order)


@dataclass(frozen=True)
class AuditFilter:
    """What to show of the trail; empty fields do not filter."""

    table: str | None = None
    actor: str | None = None
    since: datetime | None = None
    text: str = ""  # anywhere in the action, table, record, device, actor or changes
    # The records whose name holds `text` (see `audit_words.find_records`): their entries match
    # too, and the links that name them.
    records: tuple[str, ...] = ()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(spec: AuditFilter) -> list[ColumnElement[bool]]:
    e = AuditEntry
    where: list[ColumnElement[bool]] = []
    if spec.table is not None:
        where.append(e.table_name == spec.table)
    if spec.actor is not None:
        where.append(e.actor == spec.actor)
    if spec.since is not None:
        where.append(e.at >= spec.since)
    needle = spec.text.strip()
    if needle:
        haystack = (e.action + " " + e.table_name + " " + e.record_id + " " + e.device + " "
                    + e.actor + " " + e.changes)
        found: ColumnElement[bool] = haystack.ilike(_like(needle), escape="\\")
        if spec.records:
            named = [e.changes.contains(record) for record in spec.records[:LINKED_SEARCH]]
            found = or_(found, e.record_id.in_(spec.records), *named)
        where.append(found)
    return where


def _listing(spec: AuditFilter | None) -> Listing:
    e = AuditEntry
    rows = select(e.seq, e.at, e.actor, e.device, e.action, e.table_name, e.record_id, e.changes)
    return Listing(rows=rows, source=AuditEntry.__table__, rowid=AuditEntry.seq,
                   where=_conditions(spec or AuditFilter()))


def _arms(sort: Sort[AuditOrder] | None) -> list[Arm]:
    if sort is None or sort.key is None:
        return [Arm([AuditEntry.seq.desc()])]  # the primary key serves it
    e = AuditEntry
    keys: dict[AuditOrder, list[SQLColumnExpression[Any]]] = {
        AuditOrder.SEQ: [], AuditOrder.AT: [e.at], AuditOrder.ACTOR: [func.lower(e.actor)],
        AuditOrder.DEVICE: [e.device], AuditOrder.ACTION: [e.action],
        AuditOrder.TABLE: [e.table_name], AuditOrder.RECORD: [e.record_id],
        AuditOrder.CHANGES: [e.changes],
    }
    return [Arm(ordered(keys[sort.key], e.seq, sort.descending))]


def _audit_row(found: tuple[Any, ...]) -> AuditRow:
    seq, at, actor, device, action, table, record_id, changes = found
    return AuditRow(seq, at, actor, device, action, table, record_id, json.loads(changes or "{}"))


def entry_page(
    session: Session, spec: AuditFilter | None = None, sort: Sort[AuditOrder] | None = None, *,
    offset: int = 0, limit: int | None = None,
) -> list[AuditRow]:
    """One window of the trail under a filter and an order, newest first unless asked (all of
    it without `limit`): its sequence numbers, then its entries (two queries)."""
    return [_audit_row(row) for row in _listing(spec).read(session, _arms(sort), offset, limit)]


def entry_position(
    session: Session, spec: AuditFilter | None, sort: Sort[AuditOrder] | None, seq: int
) -> int | None:
    """Where an entry stands in the filtered, sorted trail (0 first), or None."""
    return _listing(spec).position(session, _arms(sort), seq)


def entry_tables(session: Session) -> list[str]:
    """The tables the trail names, in alphabetical order (their index serves it)."""
    query = select(AuditEntry.table_name).distinct().order_by(AuditEntry.table_name)
    return list(session.scalars(query))


def entry_actors(session: Session) -> list[str]:
    """The people the trail names, in alphabetical order."""
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def list_entries(
    session: Session, *, table: str | None = None, since: datetime | None = None
) -> list[AuditRow]:
    """The trail in order, optionally for one table and from a moment on."""
    return entry_page(session, AuditFilter(table=table, since=since),
                      Sort(AuditOrder.SEQ))


def count_entries(session: Session, spec: AuditFilter | None = None) -> int:
    """How many entries the trail holds (under a filter)."""
    return _listing(spec).count(session)
