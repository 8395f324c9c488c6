"""The data of the ministry brief and of the regional-body brief."""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import AssessmentStatus, Level, Phase
from r2pdesk.assessments.queries import NATIONAL, list_assessments
from r2pdesk.context.models import Area
from r2pdesk.dashboard import OPEN_STATUSES, latest_assessment
from r2pdesk.earlywarning.models import ResponseKind, Severity
from r2pdesk.earlywarning.queries import WarningDetail, list_warnings, warning_detail
from r2pdesk.errors import InputError
from r2pdesk.i18n import SOURCE_LANGUAGE, language, tr
from r2pdesk.institutions.assigned import assigned_to
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.queries import RecFilter, list_recommendations
from r2pdesk.recommendations.summary import implementation_summary
from r2pdesk.reports.base import Marking, ReportMeta
from r2pdesk.reports.data.common import (
    RecItem,
    RiskSummary,
    StatusCount,
    WarningItem,
    by_source,
    rec_items,
    report_meta,
    risk_summary,
    status_count,
    visible,
    warning_item,
)
from r2pdesk.reports.text import short_date

# --- ministry brief -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MinistryBrief:
    """One institution's brief: what it has to do and what it is asked to answer, with what is
    assigned to it and not listed counted (so the brief says why a focal point's workbook, which
    holds what it leads open or closed, counts otherwise)."""

    meta: ReportMeta
    institution: str
    acronym: str
    recommendations: tuple[RecItem, ...]  # open ones it leads or supports, overdue first
    warnings: tuple[WarningItem, ...]  # open warnings addressed to it with no action reported
    risk: RiskSummary | None
    leads: int = 0  # of the recommendations listed, those it leads; the others it supports
    closed: int = 0  # recommendations it leads or supports, implemented or not applicable
    acted: int = 0  # open warnings addressed to it on which it reported an action

    @property
    def supports(self) -> int:
        """Of the recommendations listed, those it only supports."""
        return len(self.recommendations) - self.leads


def _reply(detail: WarningDetail, institution: str) -> str:
    """Where an institution's reply to a warning stands, when it reported no action."""
    acks = [r.on for r in detail.responses
            if r.institution == institution and r.kind is ResponseKind.ACKNOWLEDGEMENT]
    if acks:
        return tr("Receipt acknowledged on {date}; no action reported yet.").format(
            date=short_date(min(acks)))
    return tr("No reply yet.")


def _the(name: str) -> str:
    """An institution's name after "for" in an English title ("for the Ministry ..."); other
    languages word the title around the name as it stands."""
    if language() != SOURCE_LANGUAGE:
        return name
    return name if name.casefold().startswith("the ") else f"the {name}"


def ministry_brief_data(
    session: Session, institution_id: uuid.UUID, today: date, include_confidential: bool = False,
    *, marking: Marking | None = None,
) -> MinistryBrief:
    """The brief for one institution: of what is assigned to it (`assigned_to`), the open
    recommendations it leads or supports and the open warnings on which it reported no
    action."""
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise InputError(tr("institution: not in the database"))
    assigned = assigned_to(session, institution_id, include_confidential=include_confidential)
    listed = {r.id for r in assigned.open}
    rows = [row for row in list_recommendations(
        session, RecFilter(institution_id=institution_id), today=today) if row.id in listed]
    awaiting = {w.id for w in assigned.awaiting}
    warnings = []
    for row in list_warnings(session, today=today):
        if row.id in awaiting:
            detail = warning_detail(session, row.id)
            warnings.append(warning_item(row, detail.recommended_actions,
                                         _reply(detail, institution.name)))
    latest = latest_assessment(session)
    return MinistryBrief(
        meta=report_meta(session, tr("Ministry brief"),
                         tr("Brief for {institution}").format(institution=_the(institution.name)),
                         tr("Recommendations to implement and early warnings to answer"),
                         today=today, marking=marking, include_confidential=include_confidential),
        institution=institution.name, acronym=institution.acronym,
        recommendations=rec_items(session, rows, today, institution_id=institution_id,
                                  progress=True),
        warnings=tuple(sorted(warnings, key=lambda w: (not w.overdue, w.response_due or date.max))),
        risk=risk_summary(session, latest.id, include_confidential) if latest else None,
        leads=assigned.led_open, closed=assigned.closed,
        acted=len(assigned.warnings) - len(assigned.awaiting),
    )


# --- regional-body brief ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeLevel:
    """The latest assessment of one scope (national, or an area) that is not a draft."""

    scope: str
    title: str
    period_start: date
    period_end: date
    status: AssessmentStatus
    phase: Phase
    overall: Level


@dataclass(frozen=True)
class SeverityCount:
    """Warnings of one severity: open now, and issued in the last year."""

    severity: Severity
    open: int
    issued: int


@dataclass(frozen=True)
class AreaCount:
    """Warnings issued in the last year about one region, by severity (lowest first)."""

    area: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """All severities together."""
        return sum(self.counts)


@dataclass(frozen=True)
class Responsiveness:
    """How fast the warnings of the last year were answered."""

    issued: int
    median_days_to_ack: float | None
    median_days_to_action: float | None
    never_acted: int
    overdue: int


@dataclass(frozen=True)
class RegionalBrief:
    """The national picture for a regional or subregional organization: figures, no detail."""

    meta: ReportMeta
    risk: RiskSummary | None
    scopes: tuple[ScopeLevel, ...]
    since: date
    severities: tuple[SeverityCount, ...]
    areas: tuple[AreaCount, ...]
    responsiveness: Responsiveness
    by_source: tuple[StatusCount, ...]
    overall: StatusCount
    catalogue_total: int
    overdue: int


def _regions(session: Session) -> dict[str, str]:
    """Each area's name with the name of the top-level area it lies in."""
    areas = {row.id: (row.name, row.parent_id)
             for row in session.execute(select(Area.id, Area.name, Area.parent_id))}
    found = {}
    for name, parent_id in areas.values():
        top, above, seen = name, parent_id, set()
        while above is not None and above in areas and above not in seen:
            seen.add(above)
            top, above = areas[above]
        found[name] = top
    return found


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _latest_by_scope(session: Session) -> tuple[ScopeLevel, ...]:
    """Each scope's assessment that counts, by the dashboard's rule: the latest validated one,
    else the latest that is not a draft."""
    rows = list_assessments(session)  # the latest period first, national first
    scopes: dict[str, ScopeLevel] = {}
    for counts in ({AssessmentStatus.VALIDATED}, set(AssessmentStatus) - {AssessmentStatus.DRAFT}):
        for row in rows:
            if row.status in counts and row.scope not in scopes:
                scopes[row.scope] = ScopeLevel(row.scope, row.title, row.period_start,
                                               row.period_end, row.status, row.phase,
                                               row.effective_level)
    return tuple(sorted(scopes.values(), key=lambda s: (s.scope != NATIONAL, s.scope.casefold())))


def regional_brief_data(
    session: Session, today: date, include_confidential: bool = False,
    *, marking: Marking | None = None,
) -> RegionalBrief:
    """The regional-body brief: levels, warning counts and implementation figures only."""
    since = today - timedelta(days=365)
    issued = [w for w in list_warnings(session, today=today)
              if w.issued is not None and (include_confidential or not w.confidential)]
    recent = [w for w in issued if w.issued is not None and w.issued >= since]
    regions = _regions(session)
    by_area: Counter[tuple[str, Severity | None]] = Counter()
    for w in recent:
        for region in {regions.get(a, a) for a in w.areas} or {tr("(no area given)")}:
            by_area[region, w.severity] += 1
    names = sorted({region for region, _ in by_area}, key=str.casefold)
    areas = sorted((AreaCount(n, tuple(by_area[n, s] for s in Severity)) for n in names),
                   key=lambda a: -a.total)
    acks = [w.days_to_ack for w in recent if w.days_to_ack is not None]
    actions = [w.days_to_action for w in recent if w.days_to_action is not None]
    items = rec_items(session, visible(list_recommendations(session, today=today),
                                       include_confidential), today)
    latest = latest_assessment(session)
    return RegionalBrief(
        meta=report_meta(session, tr("Regional-body brief"), tr("The national picture"),
                         tr("Risk, early warning and implementation, for regional and "
                            "subregional organizations"), today=today, marking=marking,
                         include_confidential=include_confidential),
        risk=risk_summary(session, latest.id, include_confidential) if latest else None,
        scopes=_latest_by_scope(session), since=since,
        severities=tuple(
            SeverityCount(s, sum(w.severity is s and w.status in OPEN_STATUSES for w in issued),
                          sum(w.severity is s for w in recent))
            for s in Severity
        ),
        areas=tuple(areas),
        responsiveness=Responsiveness(len(recent), _median(acks), _median(actions),
                                      len(recent) - len(actions),
                                      sum(w.overdue for w in recent)),
        by_source=by_source(items),
        overall=status_count(tr("All recommendations"), None, items),
        catalogue_total=implementation_summary(session, today=today).catalogue_total,
        overdue=sum(item.overdue for item in items),
    )
