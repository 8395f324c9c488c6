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
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    String,
    Text,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from r2pdesk.orm import TRACKING_COLUMNS, Base, Tracked, utcnow
from r2pdesk.paging import Arm, Listing, Sort, ordered

GENESIS = "0" * 64
REDACTED = "[confidential]"
# Columns whose values never enter the trail, whatever the record's marking.
ALWAYS_REDACTED = frozenset({("source", "identity")})
# Markings that are not secrets themselves, so the trail shows them.
MARKINGS = frozenset({"confidential", "confidentiality"})
# Relationships to a parent whose marking covers the record too.
PARENTS = ("warning", "recommendation", "assessment")


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
    """Whether a record, or the record it belongs to, is marked confidential."""
    if _marked(obj):
        return True
    state = inspect(obj)
    for name in PARENTS:
        if name in state.mapper.relationships:
            parent = getattr(obj, name)
            if parent is not None and _marked(parent):
                return True
    return False


def _column_changes(obj: Tracked, action: str) -> dict[str, Any]:
    state = inspect(obj)
    table = obj.__tablename__  # type: ignore[attr-defined]
    hide_all = is_confidential(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in TRACKING_COLUMNS:
            continue
        hide = (table, attr.key) in ALWAYS_REDACTED or (hide_all and attr.key not in MARKINGS)
        history = state.attrs[attr.key].history
        if action == "update":
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                changes[attr.key] = (
                    [REDACTED, REDACTED] if hide else [_plain(old), _plain(new)]
                )
        else:
            changes[attr.key] = REDACTED if hide else _plain(getattr(obj, attr.key))
    return changes


def _stamp(session: Session, actor: Actor) -> list[tuple[str, Tracked, dict[str, Any]]]:
    now = utcnow()
    pending: list[tuple[str, Tracked, dict[str, Any]]] = []
    for obj in session.new:
        if isinstance(obj, Tracked):
            obj.author = obj.author or actor.name
            obj.origin_device = obj.origin_device or actor.device
            obj.created_at = obj.created_at or now
            obj.updated_at = obj.created_at
            pending.append(("create", obj, _column_changes(obj, "create")))
    for obj in session.dirty:
        if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=False):
            changes = _column_changes(obj, "update")
            if changes:
                obj.revision = (obj.revision or 0) + 1
                obj.updated_at = now
                pending.append(("update", obj, changes))
    for obj in session.deleted:
        if isinstance(obj, Tracked):
            pending.append(("delete", obj, _column_changes(obj, "delete")))
    return pending


def _record_changes(session: Session, _context: object, _instances: object) -> None:
    if session.info.get("reference_load"):
        return
    actor = session.info.get("actor") or Actor(name="", device="")
    pending = _stamp(session, actor)
    if not pending:
        return
    prev = session.info.get("audit_tip")
    if prev is None:
        prev = session.scalar(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ) or GENESIS
    at = utcnow()
    for action, obj, changes in pending:
        if obj.id is None:
            obj.id = uuid.uuid4()
        entry = AuditEntry(
            at=at,
            actor=actor.name,
            device=actor.device,
            action=action,
            table_name=obj.__tablename__,  # type: ignore[attr-defined]
            record_id=str(obj.id),
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
            prev_hash=prev,
        )
        entry.hash = entry_digest(entry)
        prev = entry.hash
        session.add(entry)
    session.info["audit_tip"] = prev


def _forget_tip(session: Session, *_args: object) -> None:
    session.info.pop("audit_tip", None)


def install(session_factory: Any) -> None:
    """Attach the audit listeners to a sessionmaker."""
    event.listen(session_factory, "before_flush", _record_changes)
    event.listen(session_factory, "after_rollback", _forget_tip)
    event.listen(session_factory, "after_commit", _forget_tip)


def verify_chain(session: Session) -> int | None:
    """The sequence number of the first entry whose hash does not hold, or None when all do."""
    prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        if entry.prev_hash != prev or entry.hash != entry_digest(entry):
            return entry.seq
        prev = entry.hash
    return None


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
        where.append(haystack.ilike(_like(needle), escape="\\"))
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
