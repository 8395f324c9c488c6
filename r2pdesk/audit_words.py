"""The audit trail in words: "Amina K. recorded progress on recommendation 2015-MS-03: In
progress", in the language in use.

An entry names its record by table and id; `Names` finds what people call those records (a
warning's reference, a recommendation's catalogue id or first words, an institution's name),
one query per table for a whole page of entries. A record deleted since is named from what its
entry stored. Values the trail redacted stay redacted: a confidential record is named by its
reference or its kind alone, never by its text.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Level, Strength, strength_label
from r2pdesk.assessments.scale import level_label
from r2pdesk.audit import COMMITTEE, LINK, REDACTED, UNLINK, AuditRow, link_tables
from r2pdesk.earlywarning.models import (
    Severity,
    WarningStatus,
    severity_label,
    warning_status_label,
)
from r2pdesk.i18n import N_, is_right_to_left, tr
from r2pdesk.orm import Base
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.recommendations.service import status_label

# The column that names a record of each table.
NAMED_BY = {
    "early_warning": "reference", "institution": "name", "focal_point": "name",
    "member": "name", "area": "name", "population_group": "name", "source": "title",
    "attachment": "original_name", "assessment": "title", "framework": "name",
    "indicator": "code", "risk_factor": "code", "resilience_factor": "code",
}
# Records named after the record they belong to: (the column holding it, its table).
OWNED_BY = {
    "progress_update": ("recommendation_id", "recommendation"),
    "warning_response": ("warning_id", "early_warning"),
    "warning_event": ("warning_id", "early_warning"),
    "rating": ("assessment_id", "assessment"),
    "resilience_rating": ("assessment_id", "assessment"),
}
# What a record of an owned table is about, by the first of these columns that holds an id:
# the indicator or risk factor a rating rates, the institution that responded.
SUBJECT = {
    "rating": (("indicator_id", "indicator"), ("risk_factor_id", "risk_factor")),
    "resilience_rating": (("resilience_factor_id", "resilience_factor"),),
    "warning_response": (("institution_id", "institution"),),
}
FIRST_WORDS = 6
# How the sentences name a changed field; a field not listed is named by its column.
FIELDS = {
    "name": N_("name"), "title": N_("title"), "description": N_("description"),
    "text": N_("text"), "status": N_("status"), "severity": N_("severity"),
    "likelihood": N_("likelihood"), "horizon": N_("horizon"), "notes": N_("notes"),
    "email": N_("email"), "phone": N_("phone"), "acronym": N_("acronym"), "kind": N_("kind"),
    "level": N_("level"), "due_on": N_("due date"), "made_on": N_("date made"),
    "priority": N_("priority"), "confidential": N_("confidential"),
    "lead_institution_id": N_("lead institution"), "parent_id": N_("parent"),
    "retired": N_("retired"), "merged_into": N_("merged into"), "narrative": N_("narrative"),
    "evidence": N_("evidence"), "code": N_("code"), "role": N_("role"), "active": N_("active"),
    "summary": N_("summary"), "recommended_actions": N_("recommended actions"),
    "response_due": N_("response due"), "issued_on": N_("issued on"),
    "observed_on": N_("observed on"), "closed_on": N_("closed on"),
    "overall_level": N_("overall level"), "overall_override": N_("overall override"),
    "override_level": N_("override level"), "override_justification": N_("override justification"),
    "confidence": N_("confidence"), "strength": N_("strength"), "institution_id": N_("institution"),
}
# Values shown in words: the column's enumeration and its label function.
VALUES: dict[str, tuple[type[Any], Callable[[Any], str]]] = {
    "progress_update.status": (RecStatus, status_label),
    "recommendation.status": (RecStatus, status_label),
    "early_warning.status": (WarningStatus, warning_status_label),
    "early_warning.severity": (Severity, severity_label),
    "rating.level": (Level, level_label),
    "rating.override_level": (Level, level_label),
    "resilience_rating.strength": (Strength, strength_label),
    "warning_event.to_value": (WarningStatus, warning_status_label),
}


def kind_label(table: str) -> str:
    """What a table's records are, as the sentences name them ("warning")."""
    kinds = {
        "early_warning": tr("warning", context="audit record"),
        "recommendation": tr("recommendation", context="audit record"),
        "progress_update": tr("progress update", context="audit record"),
        "institution": tr("institution", context="audit record"),
        "focal_point": tr("focal point", context="audit record"),
        "member": tr("member", context="audit record"),
        "area": tr("area", context="audit record"),
        "population_group": tr("population group", context="audit record"),
        "source": tr("source", context="audit record"),
        "attachment": tr("evidence file", context="audit record"),
        "assessment": tr("assessment", context="audit record"),
        "rating": tr("rating", context="audit record"),
        "resilience_rating": tr("resilience rating", context="audit record"),
        "warning_response": tr("response", context="audit record"),
        "warning_event": tr("warning event", context="audit record"),
        "framework": tr("framework", context="audit record"),
        "framework_version": tr("framework version", context="audit record"),
        "risk_factor": tr("risk factor", context="audit record"),
        "indicator": tr("indicator", context="audit record"),
        "resilience_factor": tr("resilience factor", context="audit record"),
        COMMITTEE: tr("committee", context="audit record"),
    }
    return kinds.get(table, table.replace("_", " "))


def _isolated(text: object) -> str:
    """A name or a value inside a sentence: in a right-to-left language, isolated in its own
    direction (first strong isolate), so that "2015-MS-03" or "Amina K." keep their order."""
    return f"\u2068{text}\u2069" if is_right_to_left() else str(text)


def _uuid(text: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _stored(changes: Mapping[str, Any], column: str) -> Any:
    """A column's value as an entry stored it (the new one of an update), None if redacted."""
    value = changes.get(column)
    if isinstance(value, list) and len(value) == 2:
        value = value[1]
    return None if value == REDACTED else value


def _recommendation_name(catalogue_id: object, text: object, confidential: object) -> str:
    if catalogue_id:
        return str(catalogue_id)
    if confidential is True or not isinstance(text, str) or not text.strip():
        return ""
    words = text.split()
    return " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")


def _stored_name(table: str, changes: Mapping[str, Any]) -> str:
    if table == "recommendation":
        return _recommendation_name(_stored(changes, "catalogue_id"), _stored(changes, "text"),
                                    changes.get("confidential"))
    column = NAMED_BY.get(table)
    value = _stored(changes, column) if column else None
    return str(value) if value not in (None, "") else ""


class Names:
    """What people call the records of a page of entries, read in one query per table."""

    def __init__(self, session: Session, rows: Sequence[AuditRow]) -> None:
        self.links = link_tables()
        self.owner: dict[str, str] = {}  # record id -> the id of the record it belongs to
        self.subject: dict[str, tuple[str, str]] = {}  # record id -> (table, id) it is about
        wanted: dict[str, set[str]] = {}
        unknown_owner: dict[str, set[str]] = {}
        for row in rows:
            for table, record_id in self._named_in(row):
                wanted.setdefault(table, set()).add(record_id)
                if table in OWNED_BY and table != row.table:  # a link's side that is owned
                    unknown_owner.setdefault(table, set()).add(record_id)
            if row.table in OWNED_BY:
                owner = _stored(row.changes, OWNED_BY[row.table][0])
                subject = self._stored_subject(row.table, row.changes)
                if owner and (subject or row.table not in SUBJECT):
                    self.owner[row.record_id] = str(owner)
                    if subject:
                        self.subject[row.record_id] = subject
                else:
                    unknown_owner.setdefault(row.table, set()).add(row.record_id)
        self._read_owners(session, unknown_owner)
        for table, ids in list(wanted.items()):
            if table in OWNED_BY:
                owners = wanted.setdefault(OWNED_BY[table][1], set())
                owners.update(self.owner[i] for i in ids if i in self.owner)
        for subject_table, subject_id in self.subject.values():
            wanted.setdefault(subject_table, set()).add(subject_id)
        self.names: dict[tuple[str, str], str] = {}
        # What the entries themselves stored: the name of a record deleted since.
        self.stored = {(row.table, row.record_id): _stored_name(row.table, row.changes)
                       for row in rows if row.action in {"create", "delete"}}
        for table, ids in wanted.items():
            self._read_names(session, table, ids)

    def _named_in(self, row: AuditRow) -> Iterable[tuple[str, str]]:
        if row.table in self.links:
            for column in self.links[row.table].columns:
                for key in column.foreign_keys:
                    yield key.column.table.name, str(row.changes.get(column.name))
        else:
            yield row.table, row.record_id

    @staticmethod
    def _stored_subject(table: str, changes: Mapping[str, Any]) -> tuple[str, str] | None:
        for column, target in SUBJECT.get(table, ()):
            value = _stored(changes, column)
            if value:
                return target, str(value)
        return None

    def _read_owners(self, session: Session, ids_by_table: dict[str, set[str]]) -> None:
        for table_name, ids in ids_by_table.items():
            table = Base.metadata.tables[table_name]
            subjects = SUBJECT.get(table_name, ())
            columns = [table.c[OWNED_BY[table_name][0]],
                       *(table.c[column] for column, _target in subjects)]
            keys = [k for k in map(_uuid, ids) if k is not None]
            for record_id, owner, *about in session.execute(
                    select(table.c.id, *columns).where(table.c.id.in_(keys))):
                self.owner[str(record_id)] = str(owner)
                found = next(((target, str(value)) for (_c, target), value
                              in zip(subjects, about, strict=True) if value is not None), None)
                if found is not None:
                    self.subject[str(record_id)] = found

    def _read_names(self, session: Session, table_name: str, ids: set[str]) -> None:
        table = Base.metadata.tables.get(table_name)
        keys = [k for k in map(_uuid, ids) if k is not None]
        if table is None or not keys:
            return
        if table_name == "recommendation":
            query = select(table.c.id, table.c.catalogue_id, table.c.text, table.c.confidential)
            for record_id, catalogue_id, text, confidential in session.execute(
                    query.where(table.c.id.in_(keys))):
                self.names[table_name, str(record_id)] = _recommendation_name(
                    catalogue_id, text, bool(confidential))
        elif table_name in NAMED_BY:
            column = table.c[NAMED_BY[table_name]]
            for record_id, name in session.execute(
                    select(table.c.id, column).where(table.c.id.in_(keys))):
                self.names[table_name, str(record_id)] = str(name)

    def name(self, table: str, record_id: str, changes: Mapping[str, Any] | None = None) -> str:
        """A record's name as its entry stored it, or as it is now, or as another entry of the
        page stored it; "" when none tells."""
        own = _stored_name(table, changes) if changes is not None else ""
        return (own or self.names.get((table, record_id))
                or self.stored.get((table, record_id)) or "")

    def about(self, record_id: str) -> str:
        """What a rating or a response is about, as a sentence names it ("indicator 7.4",
        "institution Ministry of Justice"); "" when the trail does not tell."""
        found = self.subject.get(record_id)
        return self.record(*found) if found is not None else ""

    def owner_of(self, table: str, record_id: str) -> str:
        """The record a rating, an event or a response belongs to, as a sentence names it."""
        if record_id in self.owner:
            return self.record(OWNED_BY[table][1], self.owner[record_id])
        return kind_label(OWNED_BY[table][1])

    def record(self, table: str, record_id: str, changes: Mapping[str, Any] | None = None, *,
               itself: bool = False) -> str:
        """A record as a sentence names it: "warning EW-2026-003"; for a record that belongs to
        another, its owner ("recommendation 2015-MS-03" for a progress update) or, with
        `itself`, both ("progress update on recommendation 2015-MS-03")."""
        if table in OWNED_BY and record_id in self.owner:
            owner = self.record(OWNED_BY[table][1], self.owner[record_id])
            if itself:
                return tr("{kind} on {record}").format(kind=kind_label(table), record=owner)
            return owner
        if table in OWNED_BY and not itself:  # its owner is redacted and gone: name its kind
            return kind_label(OWNED_BY[table][1])
        name = self.name(table, record_id, changes)
        kind = kind_label(table)
        return tr("{kind} {name}").format(kind=kind, name=_isolated(name)) if name else kind


def _value(table: str, column: str, value: Any) -> str:
    known = VALUES.get(f"{table}.{column}")
    if known is not None:
        enum_cls, label = known
        try:
            return label(enum_cls(value))
        except ValueError:
            pass
    return str(value)


def _fields(table: str, changes: Mapping[str, Any]) -> str:
    """The fields an update changed; those shown in words with their old and new value."""
    shown = []
    for key in sorted(changes):
        field = tr(FIELDS[key]) if key in FIELDS else key.replace("_", " ")
        change = changes[key]
        if (f"{table}.{key}" in VALUES and isinstance(change, list) and len(change) == 2
                and REDACTED not in change and None not in change):
            field = tr("{field} ({old} → {new})").format(
                field=field, old=_value(table, key, change[0]), new=_value(table, key, change[1]))
        shown.append(field)
    return ", ".join(shown)


def _link_sentence(row: AuditRow, who: str, names: Names) -> str:
    sides = []
    for column in names.links[row.table].columns:
        target = next(iter(column.foreign_keys)).column.table.name
        sides.append(names.record(target, str(row.changes.get(column.name)), itself=True))
    if row.action == LINK:
        return tr("{who} linked {record} to {other}").format(
            who=who, record=sides[0], other=sides[1])
    return tr("{who} unlinked {record} from {other}").format(
        who=who, record=sides[0], other=sides[1])


def _committee_sentence(row: AuditRow, who: str) -> str:
    """A change of the committee's name or country (one per entry)."""
    field, (old, new) = next(iter(row.changes.items()))
    if field == "country":
        said = (tr("{who} set the committee's country to {country}") if new
                else tr("{who} cleared the committee's country"))
        return said.format(who=who, country=_isolated(new))
    if not new:
        return tr("{who} cleared the committee's name").format(who=who)
    said = (tr("{who} renamed the committee to {name}") if old
            else tr("{who} named the committee {name}"))
    return said.format(who=who, name=_isolated(new))


def _rating_sentence(row: AuditRow, who: str, names: Names) -> str:
    """A rating of an indicator or a risk factor, or an inhibitor's strength: "Amina K. rated
    indicator 7.4 of assessment North region: High"."""
    column = "level" if row.table == "rating" else "strength"
    what = names.about(row.record_id) or kind_label(row.table)
    where = names.owner_of(row.table, row.record_id)
    value = _stored(row.changes, column)
    if row.action == "delete":
        return tr("{who} removed the rating of {what} of {assessment}").format(
            who=who, what=what, assessment=where)
    if row.action == "create" or column in row.changes:
        if value is None:  # redacted
            return tr("{who} rated {what} of {assessment}").format(
                who=who, what=what, assessment=where)
        return tr("{who} rated {what} of {assessment}: {level}").format(
            who=who, what=what, assessment=where, level=_value(row.table, column, value))
    return tr("{who} changed the rating of {what} of {assessment}: {fields}").format(
        who=who, what=what, assessment=where, fields=_fields(row.table, row.changes))


def _event_sentence(row: AuditRow, who: str, names: Names) -> str | None:
    """A step in a warning's life, said by what it did: issued, acknowledged, closed..."""
    if row.action != "create":
        return None
    warning = names.owner_of(row.table, row.record_id)
    kind, to_value = _stored(row.changes, "kind"), _stored(row.changes, "to_value")
    if kind == "escalation" and to_value is not None:
        return tr("{who} escalated {warning} to {severity}").format(
            who=who, warning=warning, severity=_value("early_warning", "severity", to_value))
    said = {
        WarningStatus.ISSUED: tr("{who} issued {warning}"),
        WarningStatus.ACKNOWLEDGED: tr("{who} recorded that {warning} was acknowledged"),
        WarningStatus.CLOSED: tr("{who} closed {warning}"),
    }
    if to_value in said:
        return said[WarningStatus(to_value)].format(who=who, warning=warning)
    if to_value is not None:
        return tr("{who} moved {warning} to {status}").format(
            who=who, warning=warning, status=_value(row.table, "to_value", to_value))
    return tr("{who} recorded a step in the life of {warning}").format(who=who, warning=warning)


def _response_sentence(row: AuditRow, who: str, names: Names) -> str | None:
    warning = names.owner_of(row.table, row.record_id)
    institution = names.about(row.record_id)
    if row.action == "create":
        said = (tr("{who} recorded a response of {institution} to {warning}") if institution
                else tr("{who} recorded a response to {warning}"))
    elif row.action == "delete":
        said = (tr("{who} removed the response of {institution} to {warning}") if institution
                else tr("{who} removed a response to {warning}"))
    else:
        return None
    return said.format(who=who, institution=institution, warning=warning)


def _owned_sentence(row: AuditRow, who: str, names: Names) -> str | None:
    """The sentences of the records that belong to another: ratings, events, responses."""
    if row.table in {"rating", "resilience_rating"}:
        return _rating_sentence(row, who, names)
    if row.table == "warning_event":
        return _event_sentence(row, who, names)
    if row.table == "warning_response":
        return _response_sentence(row, who, names)
    return None


def _special(row: AuditRow, who: str, record: str) -> str | None:
    """The sentences of particular changes; None for the general ones."""
    changes, table = row.changes, row.table
    if table == COMMITTEE and row.action == "update" and len(changes) == 1:
        return _committee_sentence(row, who)
    status = _stored(changes, "status")
    if table == "progress_update" and row.action in {"create", "delete"}:
        if status is None:
            return (tr("{who} recorded progress on {record}") if row.action == "create"
                    else tr("{who} removed the progress recorded on {record}")).format(
                who=who, record=record)
        text = (tr("{who} recorded progress on {record}: {status}") if row.action == "create"
                else tr("{who} removed the progress recorded on {record}: {status}"))
        return text.format(who=who, record=record, status=_value(table, "status", status))
    if table == "demo_scale":
        return tr("{who} generated the demonstration data at scale").format(who=who)
    return None


def _renamed(row: AuditRow, who: str) -> str | None:
    column = NAMED_BY.get(row.table)
    change = row.changes.get(column) if column else None
    if not (isinstance(change, list) and len(change) == 2 and REDACTED not in change):
        return None
    text = tr("{who} renamed {kind} {old} to {new}").format(
        who=who, kind=kind_label(row.table), old=_isolated(change[0]),
        new=_isolated(change[1]))
    others = {key: value for key, value in row.changes.items() if key != column}
    if others:
        text = tr("{sentence}; also changed: {fields}").format(
            sentence=text, fields=_fields(row.table, others))
    return text


def describe(row: AuditRow, names: Names) -> str:
    """One entry as a sentence in the language in use."""
    who = _isolated(row.actor) if row.actor else tr("Someone")
    if row.action in {LINK, UNLINK} and row.table in names.links:
        return _link_sentence(row, who, names)
    record = names.record(row.table, row.record_id, row.changes)
    special = _owned_sentence(row, who, names) or _special(row, who, record)
    if special is not None:
        return special
    if row.action == "create":
        return tr("{who} added {record}").format(who=who, record=record)
    if row.action == "delete":
        return tr("{who} deleted {record}").format(who=who, record=record)
    if row.action == "update":
        return _renamed(row, who) or tr("{who} changed {record}: {fields}").format(
            who=who, record=record, fields=_fields(row.table, row.changes))
    return tr("{who}: {action} {record}").format(who=who, action=row.action, record=record)


def describe_all(session: Session, rows: Sequence[AuditRow]) -> list[str]:
    """A page of entries as sentences, their records' names read in one query per table."""
    names = Names(session, rows)
    return [describe(row, names) for row in rows]


def find_records(session: Session, text: str, *, limit: int = 200) -> tuple[str, ...]:
    """The ids of the records whose name holds `text` (case folded), for the trail's search."""
    needle = text.strip()
    if not needle:
        return ()
    found: list[str] = []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for table_name, column_name in NAMED_BY.items():
        table = Base.metadata.tables[table_name]
        query = select(table.c.id).where(table.c[column_name].ilike(pattern, escape="\\"))
        found.extend(str(record_id) for record_id in session.scalars(query.limit(limit)))
    recs = Base.metadata.tables["recommendation"]
    query = select(recs.c.id).where(or_(
        recs.c.catalogue_id.ilike(pattern, escape="\\"),
        and_(recs.c.confidential.is_(False), recs.c.text.ilike(pattern, escape="\\"))))
    found.extend(str(record_id) for record_id in session.scalars(query.limit(limit)))
    return tuple(found[:limit])


def table_label(table: str) -> str:
    """A table of the trail as the record filter names it: "warning", "warning ↔ area"."""
    links = link_tables()
    if table in links:
        kinds = [kind_label(next(iter(column.foreign_keys)).column.table.name)
                 for column in links[table].columns]
        return tr("{kind} ↔ {other}", context="audit link").format(kind=kinds[0], other=kinds[1])
    if table == "demo_scale":
        return tr("demonstration data", context="audit record")
    return kind_label(table)
