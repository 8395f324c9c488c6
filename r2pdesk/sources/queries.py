"""Reading the committee's sources; who a confidential source is only for those who may see it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import name_key
from r2pdesk.sources.labels import source_kind_label
from r2pdesk.sources.models import Confidentiality, Source, SourceKind


@dataclass(frozen=True)
class SourceRow:
    """One source as a list shows it; `identity` is empty unless it was asked for."""

    id: uuid.UUID
    name: str
    kind: SourceKind
    reliability: str
    credibility: int
    confidentiality: Confidentiality
    has_identity: bool
    identity: str
    reference: str
    obtained_on: date | None
    notes: str
    retired: bool

    @property
    def kind_label(self) -> str:
        return source_kind_label(self.kind)

    @property
    def grade(self) -> str:
        """The usual two-character grade: reliability and credibility, e.g. "B2"."""
        return f"{self.reliability}{self.credibility}"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id), "name": self.name, "kind": self.kind.value,
            "reliability": self.reliability, "credibility": self.credibility,
            "confidentiality": self.confidentiality.value, "has_identity": self.has_identity,
            "reference": self.reference,
            "obtained_on": self.obtained_on.isoformat() if self.obtained_on else None,
            "notes": self.notes, "retired": self.retired,
        }
        if self.identity:
            data["identity"] = self.identity
        return data


def list_sources(session: Session, *, search: str = "", include_retired: bool = False,
                 reveal: bool = False) -> list[SourceRow]:
    """The sources by name. Who a source is comes only with `reveal` (for those who may see it)
    and is never searched."""
    query = select(Source).order_by(Source.title)
    if not include_retired:
        query = query.where(Source.retired.is_(False))
    words = name_key(search).split()
    return [SourceRow(s.id, s.title, s.kind, s.reliability, s.credibility, s.confidentiality,
                      bool(s.identity), s.identity if reveal else "", s.reference, s.obtained_on,
                      s.notes, s.retired)
            for s in session.scalars(query)
            if all(w in name_key(f"{s.title} {s.reference}") for w in words)]


def find_source(session: Session, text: str) -> SourceRow:
    """The source in use with this name; refused when there is none."""
    key = name_key(text)
    for row in list_sources(session):
        if key and name_key(row.name) == key:
            return row
    raise InputError(tr("source: no source in use is named {name}").format(name=repr(text)),
                     field="source")
