"""Writing the changes of an import plan, each through the use case that owns the record where
there is one (so its rules and history hold), and directly only for plain copies of records made
on another laptop."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Enum, String, Uuid
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import ResponseKind, WarningId
from r2pdesk.earlywarning.queries import warning_detail
from r2pdesk.earlywarning.service import record_response, update_warning
from r2pdesk.errors import InputError
from r2pdesk.exchange.checks import MODELS
from r2pdesk.exchange.plan import Action, Change
from r2pdesk.exchange.values import Plain
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.institutions.service import InstitutionInput, save_institution
from r2pdesk.orm import UTCDateTime
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.service import (
    ProgressInput,
    RecommendationInput,
    add_progress,
    create_recommendation,
    current_input,
    update_recommendation,
)

PROVENANCE = ("created_at", "author", "origin_device")
_DRAFT_FIELDS = frozenset({"title", "observed_on", "description", "likelihood", "horizon",
                           "recommended_actions", "confidential"})


_CONVERT: tuple[tuple[type[Any], Callable[[Any, str], Any]], ...] = (
    (Enum, lambda kind, v: kind.enum_class(v) if kind.enum_class else v),
    (Date, lambda _, v: date.fromisoformat(v)),
    (Uuid, lambda _, v: uuid.UUID(v)),
    (UTCDateTime, lambda _, v: datetime.fromisoformat(v)),
)


def typed(model: Any, key: str, value: Plain) -> Any:
    """A plain value as the model's column holds it."""
    column = model.__table__.c[key]
    kind = column.type
    if value is None or value == "":
        # Empty text stays text in the NOT NULL text columns; everything else empty is NULL.
        plain_text = isinstance(kind, String) and not isinstance(kind, Enum)
        return "" if plain_text and not column.nullable else None
    if isinstance(kind, Boolean):
        return bool(value)
    for type_, convert in _CONVERT:
        if isinstance(kind, type_):
            return convert(kind, str(value))
    return value


def _typed_all(model: Any, values: dict[str, Plain]) -> dict[str, Any]:
    columns = model.__table__.c
    return {k: typed(model, k, v) for k, v in values.items() if k in columns and k != "id"}


def _provenance(record: Any, values: dict[str, Plain]) -> None:
    """Keep who wrote a copied record, where and when (an audit-free change: no revision)."""
    for key, value in _typed_all(type(record), {
        k: values[k] for k in PROVENANCE if values.get(k)
    }).items():
        setattr(record, key, value)


# --- new records ------------------------------------------------------------------------------


def _create(session: Session, change: Change, today: date) -> None:
    model, values = MODELS[change.table], change.fields
    if change.table == "recommendation":
        data = _typed_all(model, values)
        create_recommendation(session, RecommendationInput(
            text=data["text"], made_on=data["made_on"], source=data["source"],
            source_reference=data.get("source_reference", ""),
            lead_institution_id=data.get("lead_institution_id"), priority=data["priority"],
            due_on=data.get("due_on"), confidential=bool(data.get("confidential")),
            catalogue_id=data.get("catalogue_id") or None,
        ), change.record_id)
    elif change.table == "progress_update":
        data = _typed_all(model, values)
        add_progress(session, data["recommendation_id"], ProgressInput(
            on=data["on"], status=data["status"], narrative=data.get("narrative", ""),
            reported_by=data.get("reported_by", ""),
        ), today=today, update_id=change.record_id)
    else:
        session.add(model(id=change.record_id, **_typed_all(model, values)))
        session.flush()  # one by one: a record may refer to one created just before
        return
    record = session.get(model, change.record_id)
    _provenance(record, values)
    session.flush()


# --- changed fields ---------------------------------------------------------------------------


def update_fields(session: Session, table: str, record_id: uuid.UUID,
                  changes: dict[str, Plain]) -> None:
    """Write changed fields of a record, through its use case where there is one."""
    model = MODELS[table]
    record = session.get(model, record_id)
    if record is None:
        raise InputError("that record is no longer in the database")
    data = _typed_all(model, changes)
    if table == "institution":
        save_institution(session, replace(InstitutionInput(
            name=record.name, acronym=record.acronym, kind=record.kind,
            parent_id=record.parent_id, email=record.email, phone=record.phone,
            notes=record.notes,
        ), **{k: v for k, v in data.items() if k != "parent_id"}), InstitutionId(record_id))
    elif table == "recommendation":
        update_recommendation(session, record_id, replace(current_input(session, record_id),
                                                          **data))
    elif table == "early_warning":
        draft = {k: v for k, v in data.items() if k in _DRAFT_FIELDS}
        if draft:
            detail = warning_detail(session, WarningId(record_id))
            update_warning(session, WarningId(record_id), replace(detail.draft(), **draft))
        for key in data.keys() - _DRAFT_FIELDS:
            setattr(record, key, data[key])
    else:
        for key, value in data.items():
            setattr(record, key, value.strip() if isinstance(value, str) else value)
    session.flush()


def _update(session: Session, change: Change, _today: date) -> None:
    update_fields(session, change.table, change.record_id, change.fields)


def _progress(session: Session, change: Change, today: date) -> None:
    values = change.fields
    add_progress(session, change.record_id, ProgressInput(
        on=date.fromisoformat(str(values["on"])), status=RecStatus(str(values["status"])),
        narrative=str(values.get("narrative") or ""),
        reported_by=str(values.get("reported_by") or ""),
    ), today=today, update_id=uuid.UUID(str(values["id"])))


def _response(session: Session, change: Change, today: date) -> None:
    values = change.fields
    record_response(
        session, WarningId(change.record_id), InstitutionId(uuid.UUID(str(values[
            "institution_id"]))), date.fromisoformat(str(values["on"])),
        ResponseKind(str(values["kind"])), action_taken=str(values.get("action_taken") or ""),
        outcome=str(values.get("outcome") or ""), today=today,
    )


WRITERS: dict[Action, Callable[[Session, Change, date], None]] = {
    Action.CREATE: _create,
    Action.UPDATE: _update,
    Action.PROGRESS: _progress,
    Action.RESPONSE: _response,
}
