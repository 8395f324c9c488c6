"""Checking the records an import would write, before it writes any: the same rules as the use
cases that write them, so that a preview rejects a row rather than the import failing later.

Records that the same import creates count as present: an institution new in the workbook may
lead a recommendation new in it too.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry
from r2pdesk.earlywarning.models import EarlyWarning, ResponseKind, WarningResponse
from r2pdesk.exchange.values import Plain
from r2pdesk.i18n import format_date, format_number, tr
from r2pdesk.institutions.models import Institution
from r2pdesk.institutions.service import FieldError, clean_email, clean_name, name_key
from r2pdesk.recommendations.models import (
    ProgressUpdate,
    Recommendation,
    RecSource,
    recommendation_supporter,
)
from r2pdesk.recommendations.service import MAX_TEXT
from r2pdesk.reference.models import CatalogueRecommendation

MODELS: dict[str, Any] = {
    "institution": Institution,
    "recommendation": Recommendation,
    "progress_update": ProgressUpdate,
    "early_warning": EarlyWarning,
    "warning_response": WarningResponse,
}
Problems = list[tuple[str, str]]  # (column key, message)


def label_of(table: str, values: dict[str, Plain]) -> str:
    """How people know a record, from its plain values."""
    def text(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    if table == "recommendation":
        found = text("ref") or text("catalogue_id") or text("source_reference") or text("text")
    elif table == "early_warning":
        found = text("reference") or text("title")
    elif table == "institution":
        found = text("name")
    elif table == "progress_update":
        found = tr("progress of {date}").format(date=_shown_day(text("on")))
    else:
        found = tr("response of {date}").format(date=_shown_day(text("on")))
    return found if len(found) <= 80 else found[:79] + "…"


def _shown_day(text: str) -> str:
    """An ISO day as people read it in the language in use; other text as it is."""
    try:
        return format_date(date.fromisoformat(text))
    except ValueError:
        return text


def _required(values: dict[str, Plain], keys: tuple[str, ...]) -> Problems:
    return [(key, tr("empty; this column needs a value.")) for key in keys
            if values.get(key) in (None, "")]


def _day(value: Plain) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _id(value: Plain) -> uuid.UUID | None:
    return uuid.UUID(value) if isinstance(value, str) and value else None


class Checker:
    """Checks records against the database and the records this import creates."""

    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today
        self.planned: dict[tuple[str, uuid.UUID], dict[str, Plain]] = {}

    def plan_creation(self, table: str, record_id: uuid.UUID, values: dict[str, Plain]) -> None:
        """Count a record as present from now on."""
        self.planned[table, record_id] = values

    def exists(self, table: str, record_id: uuid.UUID | None) -> bool:
        """Whether a record is in the database or created by this import."""
        return record_id is not None and (
            (table, record_id) in self.planned
            or self.session.get(MODELS[table], record_id) is not None
        )

    def deleted_on(self, table: str, record_id: uuid.UUID) -> str | None:
        """The day a record was deleted here, from the audit trail; None if it never was."""
        at = self.session.scalar(
            select(func.min(AuditEntry.at)).where(
                AuditEntry.table_name == table, AuditEntry.record_id == str(record_id),
                AuditEntry.action == "delete",
            )
        )
        return None if at is None else at.date().isoformat()

    def record(
        self, table: str, record_id: uuid.UUID, values: dict[str, Plain], *,
        creating: bool = False,
    ) -> Problems:
        """What is wrong with a record's values as they would be written."""
        check = getattr(self, f"_{table}")
        problems: Problems = check(record_id, values, creating)
        return problems

    # --- one method per table ---------------------------------------------------------------

    def _institution(self, record_id: uuid.UUID, values: dict[str, Plain], _new: bool) -> Problems:
        problems = _required(values, ("name", "kind"))
        name = values.get("name")
        try:
            if isinstance(name, str) and name:
                clean_name(name)
            email = values.get("email")
            if isinstance(email, str):
                clean_email(email)
        except FieldError as exc:
            problems.append(("name" if exc.field == "Name" else "email", exc.reason))
        if isinstance(name, str) and name:
            key = name_key(name)
            taken = [n for i, n in self.session.execute(select(Institution.id, Institution.name))
                     if i != record_id and name_key(n) == key]
            taken += [str(v.get("name")) for (t, i), v in self.planned.items()
                      if t == "institution" and i != record_id
                      and name_key(str(v.get("name"))) == key]
            if taken:
                problems.append(("name", tr("there is already an institution named '{name}' "
                                            "here, under another id.").format(name=taken[0])))
        parent = _id(values.get("parent_id"))
        if parent is not None and (parent == record_id or not self.exists("institution", parent)):
            problems.append(("parent_id", tr("this institution is not in the database.")))
        return problems

    def _recommendation(self, record_id: uuid.UUID, values: dict[str, Plain],
                        creating: bool) -> Problems:
        problems = _required(values, ("text", "source", "priority", "made_on"))
        text = values.get("text")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            problems.append(("text", tr("longer than {limit} characters.").format(
                limit=format_number(MAX_TEXT))))
        made, due = _day(values.get("made_on")), _day(values.get("due_on"))
        if made is not None and due is not None and due < made:
            problems.append(("due_on", tr("{day} is before the recommendation was made "
                                          "({made}).").format(day=format_date(due),
                                                              made=format_date(made))))
        lead = _id(values.get("lead_institution_id"))
        if lead is not None and not self.exists("institution", lead):
            problems.append(("lead_institution_id",
                             tr("this institution is not in the database.")))
        elif lead is not None and not creating and self.session.scalar(
            select(recommendation_supporter.c.institution_id).where(
                recommendation_supporter.c.recommendation_id == record_id,
                recommendation_supporter.c.institution_id == lead,
            )
        ) is not None:
            problems.append(("lead_institution_id", tr(
                "this institution supports the recommendation already; change that in r2pdesk "
                "first.")))
        if made is not None and not creating:
            first = self.session.scalar(select(func.min(ProgressUpdate.on)).where(
                ProgressUpdate.recommendation_id == record_id))
            if first is not None and first < made:
                problems.append(("made_on", tr("progress was recorded on {first}, before "
                                               "{made}.").format(first=format_date(first),
                                                                 made=format_date(made))))
        if creating:
            problems += self._catalogue(record_id, values)
        return problems

    def _catalogue(self, record_id: uuid.UUID, values: dict[str, Plain]) -> Problems:
        catalogue = values.get("catalogue_id")
        if values.get("source") == RecSource.CATALOGUE.value and not catalogue:
            return [("catalogue_id",
                     tr("a recommendation of the catalogue needs its catalogue id."))]
        if not isinstance(catalogue, str) or not catalogue:
            return []
        if self.session.get(CatalogueRecommendation, catalogue) is None:
            return [("catalogue_id", tr("{id} is not in the catalogue.").format(id=catalogue))]
        other = self.session.scalar(select(Recommendation.id).where(
            Recommendation.catalogue_id == catalogue, Recommendation.id != record_id))
        if other is not None or any(
            t == "recommendation" and i != record_id and v.get("catalogue_id") == catalogue
            for (t, i), v in self.planned.items()
        ):
            return [("catalogue_id", tr("{id} is already adopted here as another "
                                        "recommendation; a catalogue recommendation is followed "
                                        "once.").format(id=catalogue))]
        return []

    def _progress_update(self, _id_: uuid.UUID, values: dict[str, Plain], _new: bool) -> Problems:
        problems = _required(values, ("recommendation_id", "on", "status"))
        rec_id = _id(values.get("recommendation_id"))
        on = _day(values.get("on"))
        if rec_id is not None and not self.exists("recommendation", rec_id):
            problems.append(("recommendation_id",
                             tr("this recommendation is not in the database.")))
        elif rec_id is not None and on is not None:
            problems += self.progress_day(rec_id, on, "on")
        return problems

    def progress_day(self, rec_id: uuid.UUID, on: date, key: str) -> Problems:
        """The rules of `add_progress` for the day of a progress update."""
        if on > self.today:
            return [(key, tr("{day} is in the future.").format(day=format_date(on)))]
        planned = self.planned.get(("recommendation", rec_id))
        rec = self.session.get(Recommendation, rec_id)
        made = rec.made_on if rec is not None else _day((planned or {}).get("made_on"))
        if made is not None and on < made:
            return [(key, tr("{day} is before the recommendation was made ({made}).").format(
                day=format_date(on), made=format_date(made)))]
        return []

    def _early_warning(self, record_id: uuid.UUID, values: dict[str, Plain],
                       _new: bool) -> Problems:
        problems = _required(values, ("reference", "title", "status"))
        reference = values.get("reference")
        other = self.session.scalar(select(EarlyWarning.id).where(
            EarlyWarning.reference == reference, EarlyWarning.id != record_id))
        if other is not None or any(
            t == "early_warning" and i != record_id and v.get("reference") == reference
            for (t, i), v in self.planned.items()
        ):
            problems.append(("reference", tr("{reference} is already the reference of another "
                                             "warning here; renumber one of them in "
                                             "r2pdesk.").format(reference=reference)))
        observed, issued = _day(values.get("observed_on")), _day(values.get("issued_on"))
        if observed is not None and issued is not None and observed > issued:
            problems.append(("observed_on", tr("{observed} is after the day of issue, "
                                               "{issued}.").format(
                observed=format_date(observed), issued=format_date(issued))))
        return problems

    def _warning_response(self, _id_: uuid.UUID, values: dict[str, Plain],
                          _new: bool) -> Problems:
        problems = _required(values, ("warning_id", "on", "kind"))
        warning = _id(values.get("warning_id"))
        if warning is not None and not self.exists("early_warning", warning):
            problems.append(("warning_id", tr("this warning is not in the database.")))
        institution = _id(values.get("institution_id"))
        if institution is not None and not self.exists("institution", institution):
            problems.append(("institution_id", tr("this institution is not in the database.")))
        action = values.get("action_taken")
        if values.get("kind") == ResponseKind.ACTION.value and not (
            isinstance(action, str) and action.strip()
        ):
            problems.append(("action_taken", tr("say what was done.")))
        return problems
