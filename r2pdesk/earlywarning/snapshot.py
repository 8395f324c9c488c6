"""A warning as it stands, kept to put it back: how its edits and steps are undone and redone.

`take` records every field of a warning with its links, responses and events; `put_back` makes
the register hold that again (the same ids, so a redone step is the same record), or, given
None, removes the warning. Each change it makes is an ordinary create, update or delete of the
records concerned, so the audit trail has it like any other.

The bookkeeping columns (author, device, revision, times) are not put back: an undo is a new
change by whoever makes it. The creation time is, since it says when the record was first made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import (
    EarlyWarning,
    WarningEvent,
    WarningId,
    WarningResponse,
    warning_addressee,
    warning_area,
    warning_group,
    warning_indicator,
    warning_risk_factor,
    warning_source,
)
from r2pdesk.orm import TRACKING_COLUMNS, Base
from r2pdesk.recommendations.models import recommendation_warning

# (link table, its column for the linked record)
_LINKS: tuple[tuple[Table, str], ...] = (
    (warning_area, "area_id"), (warning_group, "group_id"),
    (warning_indicator, "indicator_id"), (warning_risk_factor, "risk_factor_id"),
    (warning_addressee, "institution_id"), (warning_source, "source_id"),
    (recommendation_warning, "recommendation_id"),
)

Values = tuple[tuple[str, Any], ...]


def _columns(model: type[Base]) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key not in TRACKING_COLUMNS]


def _values(record: Base, names: Iterable[str]) -> Values:
    return tuple((name, getattr(record, name)) for name in names)


@dataclass(frozen=True)
class Part:
    """A response or an event of a warning: its id, when it was made, its fields."""

    id: uuid.UUID
    created_at: datetime
    values: Values


@dataclass(frozen=True)
class WarningSnapshot:
    """Everything a member can change of one warning, as it was at one moment."""

    id: WarningId
    created_at: datetime
    values: Values
    links: tuple[tuple[str, tuple[uuid.UUID, ...]], ...]
    responses: tuple[Part, ...]
    events: tuple[Part, ...]


def _parts(records: Sequence[WarningResponse] | Sequence[WarningEvent],
           names: list[str]) -> tuple[Part, ...]:
    return tuple(Part(r.id, r.created_at, _values(r, names)) for r in records)


def take(session: Session, warning_id: WarningId) -> WarningSnapshot:
    """The warning as it is now (it must exist)."""
    warning = session.get_one(EarlyWarning, warning_id)
    session.flush()
    links = tuple(
        (table.name, tuple(session.scalars(
            select(table.c[column]).where(table.c.warning_id == warning_id)
            .order_by(table.c[column]))))
        for table, column in _LINKS
    )
    return WarningSnapshot(
        id=warning_id, created_at=warning.created_at,
        values=_values(warning, _columns(EarlyWarning)), links=links,
        responses=_parts(warning.responses, _columns(WarningResponse)),
        events=_parts(warning.events, _columns(WarningEvent)),
    )


def _assign(record: Base, values: Values) -> None:
    for name, value in values:
        if getattr(record, name) != value:
            setattr(record, name, value)


def _put_parts(session: Session, kept: list[Any], parts: tuple[Part, ...],
               model: type[WarningResponse] | type[WarningEvent]) -> None:
    """Make a warning's responses (or events) those of the snapshot, by id."""
    wanted = {part.id: part for part in parts}
    for record in list(kept):
        if record.id not in wanted:
            kept.remove(record)  # deleted as an orphan
    have = {record.id: record for record in kept}
    for part in parts:
        record = have.get(part.id)
        if record is None:
            record = model(id=part.id, created_at=part.created_at)
            kept.append(record)
        _assign(record, tuple((n, v) for n, v in part.values if n != "warning_id"))
    session.flush()


def put_back(session: Session, warning_id: WarningId, snapshot: WarningSnapshot | None) -> None:
    """Make the register hold the warning as the snapshot has it; None removes it."""
    warning = session.get(EarlyWarning, warning_id)
    if snapshot is None:
        if warning is not None:
            session.delete(warning)
            session.flush()
        return
    if warning is None:
        warning = EarlyWarning(id=snapshot.id, created_at=snapshot.created_at)
        session.add(warning)
    _assign(warning, snapshot.values)
    session.flush()
    linked = dict(snapshot.links)
    for table, column in _LINKS:
        session.execute(delete(table).where(table.c.warning_id == warning_id))
        ids = linked.get(table.name, ())
        if ids:
            session.execute(insert(table), [{"warning_id": warning_id, column: i} for i in ids])
    _put_parts(session, warning.responses, snapshot.responses, WarningResponse)
    _put_parts(session, warning.events, snapshot.events, WarningEvent)
