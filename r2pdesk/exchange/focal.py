"""Planning the rows of a focal point's workbook: progress reports on the recommendations the
institution leads, and its responses to the warnings addressed to it (rules in `exchange.plan`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import EarlyWarning, ResponseKind, WarningResponse, WarningStatus
from r2pdesk.exchange.checks import label_of
from r2pdesk.exchange.merge import MISSING, Outcome, merge_field
from r2pdesk.exchange.plan import (
    Action,
    Change,
    PlannedConflict,
    Planner,
    RowPlan,
    progress_id,
)
from r2pdesk.exchange.reader import ParsedRow
from r2pdesk.exchange.values import Plain, normal_text
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation


def plan_focal_row(planner: Planner, row: ParsedRow) -> RowPlan:
    """What one row of a focal point's workbook brings."""
    plan = RowPlan()
    base = planner.base(row)
    if base is None:
        plan.issues.append(row.issue("id", "this record is not in the workbook's hidden sheet: "
                                           "rows cannot be copied in from elsewhere."))
        return plan
    record = planner.record(row.sheet.table, row.record_id)
    if record is None:
        plan.issues.append(row.issue("id", "this record is no longer in the database (it was "
                                           "deleted after the export)."))
        return plan
    planner.locked(row, base, plan)
    found = planner.book.meta.institution_id
    institution = None if found is None else planner.session.get(Institution, found)
    if institution is None:
        plan.issues.append(row.issue("", "the institution this workbook was made for is no "
                                         "longer in the database."))
        return plan
    focal = _FocalRow(planner, row, institution, plan)
    if isinstance(record, Recommendation):
        focal.report(record, base)
    elif isinstance(record, EarlyWarning):
        focal.response(record)
    return plan


def _status(base: dict[str, Plain], ours: Plain, theirs: Plain) -> Outcome:
    """The merge of the status; one left empty in the workbook changes nothing."""
    if theirs is None:
        return Outcome.SAME if ours == base.get("status") else Outcome.KEEP
    return merge_field(base.get("status", MISSING), ours, theirs)


class _FocalRow:
    """One row of a focal point's workbook, planned into `plan`."""

    def __init__(self, planner: Planner, row: ParsedRow, institution: Institution,
                 plan: RowPlan) -> None:
        self.planner, self.row, self.institution, self.plan = planner, row, institution, plan

    def text(self, key: str) -> str:
        value = self.row.values.get(key)
        return normal_text(value) if isinstance(value, str) else ""

    def day(self, key: str) -> date | None:
        value = self.row.values.get(key)
        return date.fromisoformat(value) if isinstance(value, str) else None

    def refuse(self, key: str, message: str) -> None:
        self.plan.issues.append(self.row.issue(key, message))

    def report(self, rec: Recommendation, base: dict[str, Plain]) -> None:
        """A progress report on a recommendation, when the row has one."""
        row, ours, theirs = self.row, rec.status.value, self.row.values.get("status")
        outcome = _status(base, ours, theirs)
        note, evidence = self.text("note"), self.text("evidence")
        if not note and not evidence and outcome not in (Outcome.APPLY, Outcome.CONFLICT):
            return
        on = self.day("progress_on")
        if on is None:
            self.refuse("progress_on", "give the date of this progress (the day it happened), "
                                       "e.g. 2026-11-21.")
            return
        for key, message in self.planner.check.progress_day(rec.id, on, "progress_on"):
            self.refuse(key, message)
        update_id = progress_id(self.planner.book.meta.export_id, rec.id, row.digest)
        session = self.planner.session
        if self.plan.issues or session.get(ProgressUpdate, update_id) is not None:
            return  # refused, or recorded by an earlier import of this very row
        changed = outcome in (Outcome.APPLY, Outcome.CONFLICT)
        fields: dict[str, Plain] = {
            "id": str(update_id), "on": on.isoformat(), "status": theirs if changed else ours,
            "narrative": "\n\n".join(filter(None, [note, evidence and f"Evidence: {evidence}"])),
            "reported_by": self.institution.name,
        }
        label = label_of("recommendation", {"ref": rec.catalogue_id or rec.source_reference,
                                            "text": rec.text})
        self.plan.changes.append(Change(row.sheet.title, row.number, "recommendation", rec.id,
                                        Action.PROGRESS, label, fields, {"status": ours}))
        latest = session.scalar(select(func.max(ProgressUpdate.on)).where(
            ProgressUpdate.recommendation_id == rec.id))
        masked = outcome is Outcome.APPLY and latest is not None and on < latest
        if outcome is Outcome.CONFLICT or masked:
            self.plan.conflicts.append(PlannedConflict(
                row.sheet.title, row.number, "recommendation", rec.id, label, "status",
                base.get("status"), ours, theirs,
                {"on": on.isoformat(), "progress_id": str(update_id)},
            ))

    def response(self, warning: EarlyWarning) -> None:
        """A response to a warning, when the row has one."""
        action, outcome = self.text("action_taken"), self.text("outcome")
        on, kind = self.day("response_on"), self.row.values.get("response_kind")
        if on is None and not kind and not action and not outcome:
            return
        if not isinstance(kind, str) or not kind:
            kind = (ResponseKind.ACTION if action else ResponseKind.ACKNOWLEDGEMENT).value
        if on is None:
            self.refuse("response_on", "give the date of the response, e.g. 2026-11-21.")
            return
        for message in _response_day(warning, on, self.planner.today):
            self.refuse("response_on", message)
        if kind == ResponseKind.ACTION.value and not action:
            self.refuse("action_taken", "say what was done.")
        if warning.status is WarningStatus.DRAFT:
            self.refuse("", "this warning has not been issued.")
        response = _Response(warning.id, self.institution.id, on, ResponseKind(kind), action,
                             outcome)
        if self.plan.issues or response.recorded(self.planner.session):
            return
        fields: dict[str, Plain] = {"institution_id": str(self.institution.id),
                                    "on": on.isoformat(), "kind": kind,
                                    "action_taken": action, "outcome": outcome}
        self.plan.changes.append(Change(self.row.sheet.title, self.row.number, "early_warning",
                                        warning.id, Action.RESPONSE, warning.reference, fields))


def _response_day(warning: EarlyWarning, on: date, today: date) -> list[str]:
    """The rules of `record_response` for the day of a response."""
    if on > today:
        return [f"{on} is in the future."]
    if warning.issued_on is not None and on < warning.issued_on:
        return [f"{on} is before the warning was issued, {warning.issued_on}."]
    if warning.observed_on is not None and on < warning.observed_on:
        return [f"{on} is before the situation was observed, {warning.observed_on}."]
    return []


@dataclass(frozen=True)
class _Response:
    """A response as a workbook row gives it."""

    warning_id: uuid.UUID
    institution_id: uuid.UUID
    on: date
    kind: ResponseKind
    action_taken: str
    outcome: str

    def recorded(self, session: Session) -> bool:
        """Whether the same response is already in the database."""
        return session.scalar(select(WarningResponse.id).where(
            WarningResponse.warning_id == self.warning_id,
            WarningResponse.institution_id == self.institution_id,
            WarningResponse.on == self.on,
            WarningResponse.kind == self.kind,
            WarningResponse.action_taken == self.action_taken,
            WarningResponse.outcome == self.outcome,
        ).limit(1)) is not None
