"""Use cases over institutions and their focal points: list, search, edit, delete, look up."""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NewType

from sqlalchemy import (
    ColumnElement,
    FromClause,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from r2pdesk.earlywarning.models import WarningResponse, warning_addressee
from r2pdesk.errors import InputError, KnownError
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.models import FocalPoint, Institution, InstitutionId, InstitutionKind
from r2pdesk.orm import Base
from r2pdesk.paging import Arm, Listing, Sort, ordered
from r2pdesk.recommendations.models import Recommendation, recommendation_supporter
from r2pdesk.recommendations.service import CLOSED_STATUSES
from r2pdesk.search import INSTITUTIONS, matches

FocalPointId = NewType("FocalPointId", uuid.UUID)

# The kinds in English, as exchange files and imports write them (marked for the catalogue:
# `kind_label` gives them in the language in use).
KIND_LABELS: dict[InstitutionKind, str] = {
    InstitutionKind.MINISTRY: N_("Ministry"),
    InstitutionKind.AGENCY: N_("Agency"),
    InstitutionKind.PARLIAMENT: N_("Parliament"),
    InstitutionKind.JUDICIARY: N_("Judiciary"),
    InstitutionKind.NHRI: N_("National human rights institution"),
    InstitutionKind.REGIONAL_BODY: N_("Regional body"),
    InstitutionKind.SUBREGIONAL_BODY: N_("Subregional body"),
    InstitutionKind.UN_ENTITY: N_("UN entity"),
    InstitutionKind.CIVIL_SOCIETY: N_("Civil-society organization"),
    InstitutionKind.OTHER: N_("Other"),
}

MAX_LENGTH = 300  # the columns are String(300)

# The fields, as `FieldError.field` names them (in English; `field_label` translates them).
NAME, ACRONYM, KIND, PARENT, EMAIL, PHONE, TITLE, NOTES = (
    "Name", "Acronym", "Kind", "Parent", "E-mail", "Phone", "Title", "Notes"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def field_label(field: str) -> str:
    """A field's name as people read it, in the language in use."""
    return {
        NAME: tr("Name"),
        ACRONYM: tr("Acronym"),
        KIND: tr("Kind"),
        PARENT: tr("Parent", context="institution"),
        EMAIL: tr("E-mail"),
        PHONE: tr("Phone"),
        TITLE: tr("Title", context="job"),
        NOTES: tr("Notes"),
    }.get(field, field)


class FieldError(InputError):
    """Input refused for one field: the message starts with the field's name (`field` keeps it
    in English, `reason` is the rest of the message, translated)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(tr("{field}: {reason}").format(field=field_label(field), reason=reason))
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class InstitutionInput:
    """What a person gives for an institution; `save_institution` checks it."""

    name: str
    acronym: str = ""
    kind: InstitutionKind | str = InstitutionKind.OTHER
    parent_id: InstitutionId | None = None
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FocalPointInput:
    """What a person gives for a focal point; `save_focal_point` checks it."""

    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class InstitutionRow:
    """An institution as lists show it, with its focal points and recommendations counted."""

    id: InstitutionId
    name: str
    acronym: str
    kind: InstitutionKind
    parent: str
    email: str
    phone: str
    focal_points: int
    recommendations: int
    open_recommendations: int

    @property
    def kind_label(self) -> str:
        """The kind as people read it, in the language in use."""
        return tr(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class FocalPointRow:
    """A focal point of an institution."""

    id: FocalPointId
    institution_id: InstitutionId
    name: str
    title: str
    email: str
    phone: str
    notes: str


@dataclass(frozen=True)
class InstitutionDetail:
    """Everything the edit form shows of one institution."""

    row: InstitutionRow
    parent_id: InstitutionId | None
    notes: str
    focal_points: tuple[FocalPointRow, ...]

    def as_input(self) -> InstitutionInput:
        """The record as input to `save_institution`, to change a field or two."""
        row = self.row
        return InstitutionInput(
            row.name, row.acronym, row.kind, self.parent_id, row.email, row.phone, self.notes
        )


# --- checking input -----------------------------------------------------------------------------


def name_key(text: str) -> str:
    """What two names must share to be the same name: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def kind_label(kind: InstitutionKind) -> str:
    """A kind as people read it, in the language in use."""
    return tr(KIND_LABELS[kind])


def _kind_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


_KINDS_BY_KEY = {
    **{_kind_key(label): kind for kind, label in KIND_LABELS.items()},
    **{_kind_key(kind.value): kind for kind in InstitutionKind},
}


def parse_kind(value: InstitutionKind | str) -> InstitutionKind:
    """A kind from its value or its label, in any case."""
    if isinstance(value, InstitutionKind):
        return value
    kind = _KINDS_BY_KEY.get(_kind_key(value))
    if kind is None:
        choices = ", ".join(KIND_LABELS.values())  # as an import reads them: in English
        raise FieldError(
            KIND, tr("'{value}' is not a kind of institution (one of: {choices}).").format(
                value=value.strip(), choices=choices)
        )
    return kind


def clean_text(value: str, field: str) -> str:
    """A one-line field: trimmed, runs of spaces made one, at most MAX_LENGTH characters."""
    text = " ".join(value.split())
    if len(text) > MAX_LENGTH:
        raise FieldError(field, tr("at most {most} characters, not {count}.").format(
            most=format_number(MAX_LENGTH), count=format_number(len(text))))
    return text


_NEEDS_A_NAME = {
    "an institution": N_("an institution needs a name."),
    "a focal point": N_("a focal point needs a name."),
}


def clean_name(value: str, what: str = "an institution") -> str:
    """A name that is given (`what`: "an institution" or "a focal point")."""
    text = clean_text(value, NAME)
    if not text:
        sentence = _NEEDS_A_NAME.get(what)
        raise FieldError(NAME, tr(sentence) if sentence else f"{what} needs a name.")
    return text


def clean_email(value: str, field: str = EMAIL) -> str:
    """An e-mail address, or nothing."""
    text = clean_text(value, field)
    if text and not _EMAIL.fullmatch(text):
        raise FieldError(field, tr("'{text}' is not an e-mail address (like name@example.org).")
                         .format(text=text))
    return text


def validate_institution(data: InstitutionInput) -> InstitutionInput:
    """The input trimmed and checked on its own (the database is checked on saving)."""
    return replace(
        data,
        name=clean_name(data.name),
        acronym=clean_text(data.acronym, ACRONYM),
        kind=parse_kind(data.kind),
        email=clean_email(data.email),
        phone=clean_text(data.phone, PHONE),
        notes=data.notes.strip(),
    )


def validate_focal_point(data: FocalPointInput) -> FocalPointInput:
    """The input trimmed and checked."""
    return FocalPointInput(
        name=clean_name(data.name, "a focal point"),
        title=clean_text(data.title, TITLE),
        email=clean_email(data.email),
        phone=clean_text(data.phone, PHONE),
        notes=data.notes.strip(),
    )


def set_fields(record: object, values: Mapping[str, object]) -> bool:
    """Give a record these values, touching only those that differ; whether any did."""
    changed = False
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed = True
    return changed


# --- reading ------------------------------------------------------------------------------------


class InstitutionOrder(enum.StrEnum):
    """What the list can be sorted by (`Sort()` alone: by name)."""

    NAME = "name"  # case aside (ASCII), then as written
    ACRONYM = "acronym"
    KIND = "kind"  # by the kind's label
    FOCAL_POINTS = "focal_points"
    LEADS = "leads"
    OPEN = "open"


@dataclass(frozen=True)
class InstitutionFilter:
    """What to show of the institutions; empty fields do not filter."""

    text: str = ""  # every word, in the name, the acronym or a focal point's name
    kind: InstitutionKind | str | None = None


InstitutionSort = Sort[InstitutionOrder]
ROWID: ColumnElement[int] = literal_column("institution.rowid")
_PARENT = aliased(Institution)


def _counts() -> tuple[ScalarSelect[int], ScalarSelect[int], ScalarSelect[int]]:
    points = (
        select(func.count(FocalPoint.id))
        .where(FocalPoint.institution_id == Institution.id)
        .scalar_subquery()
    )
    leads = select(func.count(Recommendation.id)).where(
        Recommendation.lead_institution_id == Institution.id
    )
    open_leads = leads.where(Recommendation.status.not_in(CLOSED_STATUSES))
    return points, leads.scalar_subquery(), open_leads.scalar_subquery()


def _source() -> FromClause:
    return Institution.__table__.outerjoin(_PARENT, Institution.parent_id == _PARENT.id)


def _word_condition(word: str) -> ColumnElement[bool] | None:
    """One searched word: a prefix in the name or acronym (the search index, accents aside), or
    anywhere in a focal point's name."""
    found = matches(INSTITUTIONS, word)
    if found is None:
        return None
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    people = select(FocalPoint.institution_id).where(FocalPoint.name.ilike(pattern, escape="\\"))
    return or_(found, Institution.id.in_(people))


def _listing(spec: InstitutionFilter | None) -> Listing:
    spec = spec or InstitutionFilter()
    where: list[ColumnElement[bool]] = []
    if spec.kind is not None:
        where.append(Institution.kind == parse_kind(spec.kind))
    for word in spec.text.split():
        condition = _word_condition(word)
        if condition is not None:
            where.append(condition)
    i = Institution
    rows = select(i.id, i.name, i.acronym, i.kind, _PARENT.name, i.email, i.phone,
                  *_counts()).select_from(_source())
    # Windows are chosen from the institutions alone: no order or filter reads the parent.
    return Listing(rows=rows, source=Institution.__table__, rowid=ROWID, where=where)


def _arms(sort: InstitutionSort | None) -> list[Arm]:
    key = InstitutionOrder.NAME if sort is None or sort.key is None else sort.key
    points, leads, open_leads = _counts()
    kinds = sorted(InstitutionKind, key=lambda k: KIND_LABELS[k].casefold())
    keys: dict[InstitutionOrder, list[SQLColumnExpression[Any]]] = {
        InstitutionOrder.NAME: [Institution.name.collate("NOCASE"), Institution.name],
        InstitutionOrder.ACRONYM: [func.lower(Institution.acronym)],
        InstitutionOrder.KIND: [case({k.value: n for n, k in enumerate(kinds)},
                                     value=Institution.kind, else_=-1)],
        InstitutionOrder.FOCAL_POINTS: [points],
        InstitutionOrder.LEADS: [leads],
        InstitutionOrder.OPEN: [open_leads],
    }
    return [Arm(ordered(keys[key], ROWID, sort is not None and sort.descending))]


def _row(found: tuple[Any, ...]) -> InstitutionRow:
    id_, name, acronym, kind, parent, email, phone, points, leads, open_leads = found
    return InstitutionRow(
        id=InstitutionId(id_), name=name, acronym=acronym, kind=kind, parent=parent or "",
        email=email, phone=phone, focal_points=points, recommendations=leads,
        open_recommendations=open_leads,
    )


def institution_page(
    session: Session, spec: InstitutionFilter | None = None,
    sort: InstitutionSort | None = None, *, offset: int = 0, limit: int | None = None,
) -> list[InstitutionRow]:
    """One window of the institutions under a filter and an order (all of them without
    `limit`): its rowids, then its rows with their counts (two queries)."""
    return [_row(row) for row in _listing(spec).read(session, _arms(sort), offset, limit)]


def count_institutions(session: Session, spec: InstitutionFilter | None = None) -> int:
    """How many institutions a filter shows."""
    return _listing(spec).count(session)


def institution_position(
    session: Session, spec: InstitutionFilter | None, sort: InstitutionSort | None,
    institution_id: uuid.UUID,
) -> int | None:
    """Where an institution stands in the filtered, sorted list (0 first), or None."""
    rowid = session.scalar(select(ROWID).where(Institution.id == institution_id))
    if rowid is None:
        return None
    return _listing(spec).position(session, _arms(sort), rowid)


def institution_choices(session: Session) -> list[tuple[InstitutionId, str]]:
    """Every institution's id and name, by name: for a choice of parent."""
    rows = session.execute(select(Institution.id, Institution.name))
    return sorted(((InstitutionId(id_), name) for id_, name in rows),
                  key=lambda pair: (pair[1].casefold(), pair[1]))


def list_institutions(
    session: Session, text: str = "", kind: InstitutionKind | str | None = None
) -> list[InstitutionRow]:
    """Institutions by name; every word of `text` must appear (case and accents aside) in the
    name or the acronym, as the start of a word, or anywhere in a focal point's name."""
    rows = institution_page(session, InstitutionFilter(text, kind))
    return sorted(rows, key=lambda row: (row.name.casefold(), row.name))


def _get(session: Session, institution_id: uuid.UUID) -> Institution:
    record = session.get(Institution, institution_id)
    if record is None:
        raise KnownError(tr("This institution no longer exists (it was deleted)."))
    return record


def institution_detail(session: Session, institution_id: InstitutionId) -> InstitutionDetail:
    """One institution with its focal points, for the edit form."""
    record = _get(session, institution_id)
    found = session.execute(_listing(None).rows.where(Institution.id == institution_id)).one()
    row = _row(tuple(found))
    points = sorted(record.focal_points, key=lambda p: (p.name.casefold(), p.name))
    return InstitutionDetail(
        row=row,
        parent_id=None if record.parent_id is None else InstitutionId(record.parent_id),
        notes=record.notes,
        focal_points=tuple(_focal_point_row(point) for point in points),
    )


def _focal_point_row(point: FocalPoint) -> FocalPointRow:
    return FocalPointRow(
        id=FocalPointId(point.id),
        institution_id=InstitutionId(point.institution_id),
        name=point.name,
        title=point.title,
        email=point.email,
        phone=point.phone,
        notes=point.notes,
    )


def institution_names(session: Session) -> list[str]:
    """Every institution's name, in alphabetical order."""
    names = session.scalars(select(Institution.name)).all()
    return sorted(names, key=lambda name: (name.casefold(), name))


def find_institution(session: Session, name_or_acronym: str) -> InstitutionRow | None:
    """The institution with this name, else with this acronym (case and spacing aside).

    An acronym that several institutions share is refused: the full name is needed then.
    """
    key = name_key(name_or_acronym)
    if not key:
        return None
    rows = list_institutions(session)
    for row in rows:
        if name_key(row.name) == key:
            return row
    matches = [row for row in rows if row.acronym and name_key(row.acronym) == key]
    if len(matches) > 1:
        names = "; ".join(row.name for row in matches)
        raise InputError(
            tr("'{acronym}' is the acronym of several institutions ({names}): "
               "give the full name.").format(acronym=name_or_acronym.strip(), names=names)
        )
    return matches[0] if matches else None


# --- writing ------------------------------------------------------------------------------------


def _check_unique_name(session: Session, name: str, own_id: uuid.UUID | None) -> None:
    key = name_key(name)
    for other_id, other in session.execute(select(Institution.id, Institution.name)):
        if other_id != own_id and name_key(other) == key:
            raise FieldError(
                NAME, tr("there is already an institution named '{name}'.").format(name=other))


def _check_parent(session: Session, parent_id: uuid.UUID, own_id: uuid.UUID | None) -> None:
    if parent_id == own_id:
        raise FieldError(PARENT, tr("an institution cannot be part of itself."))
    parent = session.get(Institution, parent_id)
    if parent is None:
        raise FieldError(PARENT, tr("the chosen institution no longer exists."))
    seen: set[uuid.UUID] = set()
    above: Institution | None = parent
    while above is not None and above.id not in seen:
        if above.id == own_id:
            raise FieldError(PARENT, tr("'{name}' is itself part of this institution.").format(
                name=parent.name))
        seen.add(above.id)
        above = None if above.parent_id is None else session.get(Institution, above.parent_id)


def save_institution(
    session: Session, data: InstitutionInput, institution_id: InstitutionId | None = None
) -> InstitutionId:
    """Add an institution (no id) or change one; its id."""
    clean = validate_institution(data)
    _check_unique_name(session, clean.name, institution_id)
    if clean.parent_id is not None:
        _check_parent(session, clean.parent_id, institution_id)
    values = {
        "name": clean.name,
        "acronym": clean.acronym,
        "kind": parse_kind(clean.kind),
        "parent_id": clean.parent_id,
        "email": clean.email,
        "phone": clean.phone,
        "notes": clean.notes,
    }
    if institution_id is None:
        record = Institution(**values)
        session.add(record)
    else:
        record = _get(session, institution_id)
        set_fields(record, values)
    session.flush()
    return InstitutionId(record.id)


def save_focal_point(
    session: Session,
    institution_id: InstitutionId,
    data: FocalPointInput,
    focal_point_id: FocalPointId | None = None,
) -> FocalPointId:
    """Add a focal point to an institution (no id) or change one; its id."""
    clean = validate_focal_point(data)
    _get(session, institution_id)
    values = {
        "institution_id": institution_id,
        "name": clean.name,
        "title": clean.title,
        "email": clean.email,
        "phone": clean.phone,
        "notes": clean.notes,
    }
    if focal_point_id is None:
        point = FocalPoint(**values)
        session.add(point)
    else:
        found = session.get(FocalPoint, focal_point_id)
        if found is None:
            raise KnownError(tr("This focal point no longer exists (it was deleted)."))
        point = found
        set_fields(point, values)
    session.flush()
    return FocalPointId(point.id)


def delete_focal_point(session: Session, focal_point_id: FocalPointId) -> None:
    """Remove a focal point (gone already is fine)."""
    point = session.get(FocalPoint, focal_point_id)
    if point is not None:
        session.delete(point)
        session.flush()


def _counted(count: int, one: str, many: str) -> str:
    return tr(one if count == 1 else many).format(count=format_number(count))


def _references(session: Session, institution_id: uuid.UUID) -> list[str]:
    def count(query: Select[int]) -> int:
        return int(session.scalar(query) or 0)

    counts = (
        (
            count(select(func.count()).where(Recommendation.lead_institution_id == institution_id)),
            N_("it leads {count} recommendation"), N_("it leads {count} recommendations"),
        ),
        (
            count(select(func.count()).where(
                recommendation_supporter.c.institution_id == institution_id
            )),
            N_("it supports {count} recommendation"), N_("it supports {count} recommendations"),
        ),
        (
            count(select(func.count()).where(warning_addressee.c.institution_id == institution_id)),
            N_("{count} early warning is addressed to it"),
            N_("{count} early warnings are addressed to it"),
        ),
        (
            count(select(func.count()).where(WarningResponse.institution_id == institution_id)),
            N_("{count} response to an early warning names it"),
            N_("{count} responses to early warnings name it"),
        ),
        (
            count(select(func.count()).where(Institution.parent_id == institution_id)),
            N_("{count} institution is part of it"), N_("{count} institutions are part of it"),
        ),
        (
            # The member table by name: the members feature builds on institutions, not back.
            count(select(func.count()).where(
                Base.metadata.tables["member"].c.institution_id == institution_id)),
            N_("{count} committee member comes from it"),
            N_("{count} committee members come from it"),
        ),
    )
    return [_counted(n, one, many) for n, one, many in counts if n]


def delete_institution(session: Session, institution_id: InstitutionId) -> None:
    """Remove an institution and its focal points; refused while anything refers to it."""
    record = _get(session, institution_id)
    references = _references(session, institution_id)
    if references:
        raise InputError(
            tr("'{name}' cannot be deleted: {references}. "
               "Give those to another institution, or remove them, first.").format(
                   name=record.name, references="; ".join(references))
        )
    session.delete(record)
    session.flush()

