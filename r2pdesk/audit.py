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

from sqlalchemy import Integer, String, Text, event, func, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from r2pdesk.orm import TRACKING_COLUMNS, Base, Tracked, utcnow

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


def list_entries(
    session: Session, *, table: str | None = None, since: datetime | None = None
) -> list[AuditRow]:
    """The trail in order, optionally for one table and from a moment on."""
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if table is not None:
        query = query.where(AuditEntry.table_name == table)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return [
        AuditRow(e.seq, e.at, e.actor, e.device, e.action, e.table_name, e.record_id,
                 json.loads(e.changes or "{}"))
        for e in session.scalars(query)
    ]


def count_entries(session: Session) -> int:
    """How many entries the trail holds."""
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
