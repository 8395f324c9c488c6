"""Pieces every report's data shares: the cover's facts, recommendation and warning items,
the risk summary of an assessment, counts by status."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import AssessmentStatus, Level, Phase
from r2pdesk.assessments.queries import assessment_grid, trends
from r2pdesk.assessments.scale import Trend
from r2pdesk.dashboard import recommendation_ref
from r2pdesk.earlywarning.models import Severity, WarningStatus
from r2pdesk.earlywarning.queries import (
    WarningRow,
)
from r2pdesk.i18n import N_, tr
from r2pdesk.recommendations.models import Priority, ProgressUpdate, RecStatus
from r2pdesk.recommendations.queries import RecRow
from r2pdesk.recommendations.service import SOURCE_LABELS, source_label
from r2pdesk.reports.base import Marking, ReportMeta, effective_marking
from r2pdesk.store import read_setting

DEFAULT_COMMITTEE = N_("National Committee for the Prevention of Atrocity Crimes")


def report_meta(
    session: Session, kind: str, title: str, subtitle: str, *, today: date,
    marking: Marking | None, include_confidential: bool,
) -> ReportMeta:
    """The cover and page furniture of a report: the committee's name from the settings."""
    return ReportMeta(
        committee=read_setting(session, "committee_name") or tr(DEFAULT_COMMITTEE),
        kind=kind, title=title, subtitle=subtitle, today=today,
        marking=effective_marking(marking, include_confidential=include_confidential),
        confidential_included=include_confidential,
    )


# --- shared pieces ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecItem:
    """A recommendation as the reports list it."""

    ref: str  # the catalogue id, or the source and its reference
    text: str
    source: str  # "SG catalogue", "Committee", "UPR" ...
    status: RecStatus
    lead: str
    role: str  # "Lead" or "Support" in a ministry brief, "" elsewhere
    priority: Priority
    due: date | None
    overdue: bool
    days_late: int
    report_year: int | None
    target: str | None
    latest_on: date | None = None
    latest_note: str = ""


@dataclass(frozen=True)
class WarningItem:
    """A warning as the reports list it."""

    reference: str
    title: str
    severity: Severity | None
    status: WarningStatus
    issued: date | None
    response_due: date | None
    overdue: bool
    areas: tuple[str, ...]
    asked: str = ""  # the recommended actions
    reply: str = ""  # where this institution's reply stands


@dataclass(frozen=True)
class FactorLevel:
    """A risk factor's level in an assessment; None where a confidential rating is withheld."""

    number: int
    title: str
    level: Level | None
    previous: Level | None
    trend: Trend | None


@dataclass(frozen=True)
class RiskSummary:
    """The short risk picture of one assessment."""

    title: str
    scope: str
    period_start: date
    period_end: date
    phase: Phase
    status: AssessmentStatus
    overall: Level
    previous_overall: Level | None
    summary: str
    factors: tuple[FactorLevel, ...]


@dataclass(frozen=True)
class StatusCount:
    """Recommendations of one group (a report, a target, a source) counted by status."""

    label: str
    in_catalogue: int | None
    counts: tuple[int, ...]  # one per RecStatus, in its order

    @property
    def total(self) -> int:
        """How many the committee follows."""
        return sum(self.counts)

    def count(self, status: RecStatus) -> int:
        """How many have this status."""
        return self.counts[list(RecStatus).index(status)]


def status_count(label: str, in_catalogue: int | None, rows: Iterable[RecItem]) -> StatusCount:
    """Count recommendations by status."""
    found = Counter(row.status for row in rows)
    return StatusCount(label, in_catalogue, tuple(found[s] for s in RecStatus))


def by_source(items: Sequence[RecItem]) -> tuple[StatusCount, ...]:
    return tuple(
        status_count(label, None, [i for i in items if i.source == label])
        for label in (source_label(source) for source in SOURCE_LABELS)
        if any(i.source == label for i in items)
    )


def visible(rows: Iterable[RecRow], include_confidential: bool) -> list[RecRow]:
    """The recommendations a report may print."""
    return [row for row in rows if include_confidential or not row.confidential]


def _latest_updates(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ProgressUpdate]:
    found: dict[uuid.UUID, ProgressUpdate] = {}
    updates = session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.recommendation_id.in_(ids))
        .order_by(ProgressUpdate.on, ProgressUpdate.created_at)
    )
    for update in updates:
        found[update.recommendation_id] = update  # the last one wins
    return found


def rec_items(
    session: Session, rows: Sequence[RecRow], today: date, *,
    institution_id: uuid.UUID | None = None, progress: bool = False,
) -> tuple[RecItem, ...]:
    """Recommendation rows as report items, with their latest progress when asked."""
    latest = _latest_updates(session, [row.id for row in rows]) if progress else {}
    items = []
    for row in rows:
        update = latest.get(row.id)
        role = ""
        if institution_id is not None:
            role = (tr("Lead", context="role") if row.lead_institution_id == institution_id
                    else tr("Support", context="role"))
        items.append(RecItem(
            ref=recommendation_ref(row), text=row.text, source=source_label(row.source),
            status=row.status,
            lead=row.lead_institution, role=role, priority=row.priority, due=row.due_on,
            overdue=row.overdue,
            days_late=(today - row.due_on).days if row.overdue and row.due_on else 0,
            report_year=row.report_year, target=row.target,
            latest_on=update.on if update else None,
            latest_note=update.narrative if update else "",
        ))
    return tuple(items)


def warning_item(row: WarningRow, asked: str = "", reply: str = "") -> WarningItem:
    """A register row as a report item."""
    return WarningItem(row.reference, row.title, row.severity, row.status, row.issued,
                       row.response_due, row.overdue, row.areas, asked, reply)


def risk_summary(
    session: Session, assessment_id: uuid.UUID, include_confidential: bool
) -> RiskSummary:
    """An assessment's overall level and its risk factors' levels against the previous one."""
    grid = assessment_grid(session, assessment_id)
    before = {t.risk_factor_number: t.before for t in trends(session, assessment_id)
              if t.indicator_code is None}
    factors = []
    for f in grid.factors:
        withheld = f.rating is not None and f.rating.confidential and not include_confidential
        factors.append(FactorLevel(
            f.number, f.title, None if withheld else f.effective_level,
            None if withheld or grid.previous is None else before.get(f.number, Level.NOT_ASSESSED),
            None if withheld else f.trend,
        ))
    row = grid.assessment
    return RiskSummary(
        title=row.title, scope=row.scope, period_start=row.period_start,
        period_end=row.period_end, phase=row.phase, status=row.status,
        overall=row.effective_level,
        previous_overall=grid.previous.effective_level if grid.previous else None,
        summary=grid.summary, factors=tuple(factors),
    )
