"""Use cases over the committee's sources: graded, classified, retired rather than deleted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import clean_name, get_entry, merge, name_taken, restore, retire
from r2pdesk.sources.labels import CREDIBILITY_LABELS, RELIABILITY_LABELS
from r2pdesk.sources.models import Confidentiality, Source, SourceId, SourceKind

MAX_TEXT = 20_000


@dataclass(frozen=True)
class SourceSpec:
    """What a source's form holds. `identity` (who an informant is) is kept and never listed."""

    name: str
    kind: SourceKind = SourceKind.OPEN_MEDIA
    reliability: str = "F"
    credibility: int = 6
    confidentiality: Confidentiality = Confidentiality.RESTRICTED
    identity: str = ""
    reference: str = ""
    obtained_on: date | None = None
    notes: str = ""


def _check(session: Session, spec: SourceSpec, own: uuid.UUID | None) -> str:
    name = clean_name(spec.name)
    if spec.reliability not in RELIABILITY_LABELS:
        raise InputError(tr("reliability: {value} is not a grade from A to F").format(
            value=repr(spec.reliability)), field="reliability")
    if spec.credibility not in CREDIBILITY_LABELS:
        raise InputError(tr("credibility: {value} is not a grade from 1 to 6").format(
            value=spec.credibility), field="credibility")
    for field, value in (("identity", spec.identity), ("reference", spec.reference),
                         ("notes", spec.notes)):
        if len(value) > MAX_TEXT:
            raise InputError(tr("{field}: at most {count} characters").format(
                field=field, count=MAX_TEXT), field=field)
    other = name_taken(session, select(Source).where(Source.retired.is_(False)), name, own,
                       attribute="title")
    if other is not None:
        raise InputError(tr("name: there is already a source named {name}").format(
            name=other.title), field="name")
    return name


def _apply(source: Source, spec: SourceSpec, name: str) -> None:
    source.title = name
    source.kind = spec.kind
    source.reliability = spec.reliability
    source.credibility = spec.credibility
    # An informant's identity is confidential whatever the form says.
    source.confidentiality = (Confidentiality.CONFIDENTIAL
                              if spec.kind is SourceKind.CONFIDENTIAL_INFORMANT or spec.identity
                              else spec.confidentiality)
    source.identity = spec.identity.strip()
    source.reference = spec.reference.strip()
    source.obtained_on = spec.obtained_on
    source.notes = spec.notes.strip()


def add_source(session: Session, spec: SourceSpec) -> SourceId:
    """Add a source; refused (nothing changed) when its name is taken or a grade is wrong."""
    name = _check(session, spec, None)
    source = Source(id=uuid.uuid4(), title=name)
    _apply(source, spec, name)
    session.add(source)
    session.flush()
    return SourceId(source.id)


def edit_source(session: Session, source_id: SourceId, spec: SourceSpec) -> None:
    """Change a source. An empty `identity` keeps the one recorded (it is never shown to be
    edited by those who may not see it); `clear_identity` removes it."""
    source = get_entry(session, Source, source_id, tr("source"))
    kept = spec if spec.identity else SourceSpec(**{**spec.__dict__, "identity": source.identity})
    _apply(source, kept, _check(session, kept, source.id))


def clear_identity(session: Session, source_id: SourceId) -> None:
    """Forget who a source is."""
    get_entry(session, Source, source_id, tr("source")).identity = ""


def retire_source(session: Session, source_id: SourceId) -> None:
    """Take a source out of the lists; the ratings and warnings that cite it keep it."""
    retire(get_entry(session, Source, source_id, tr("source")))


def restore_source(session: Session, source_id: SourceId) -> None:
    """Bring a retired source back."""
    restore(get_entry(session, Source, source_id, tr("source")))


def merge_sources(session: Session, keep: SourceId, drop: SourceId) -> int:
    """Merge a duplicate source into the one kept."""
    return merge(session, Source, get_entry(session, Source, keep, tr("source")),
                 get_entry(session, Source, drop, tr("source")))
