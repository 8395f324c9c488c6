"""What needs attention today: the figures of the app's opening page, read in one go.

Every rule comes from the feature that owns it. A warning is open once issued and until closed;
its response is overdue as `r2pdesk.earlywarning.timing` says. A recommendation is overdue, or due
soon (within `DUE_SOON_DAYS`), as `r2pdesk.recommendations` says.

The heat strip shows the latest assessment that counts: the most recent by period end among the
validated ones, else among any that is not a draft; drafts are never shown. A level set by the
committee over the computed one (an override) is the level shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    Assessment,
    AssessmentId,
    AssessmentStatus,
    Level,
    Rating,
)
from r2pdesk.earlywarning.models import EarlyWarning, Severity, WarningId, WarningStatus
from r2pdesk.earlywarning.queries import list_warnings, timing_summary
from r2pdesk.earlywarning.timing import TimingSummary
from r2pdesk.recommendations.models import RecommendationId
from r2pdesk.recommendations.queries import RecFilter, RecRow, list_recommendations
from r2pdesk.recommendations.service import is_overdue, source_label
from r2pdesk.recommendations.summary import DUE_SOON_DAYS, is_due_soon
from r2pdesk.reference.models import Nature, RiskFactor

# Issued and not closed, in the order of a warning's life.
OPEN_STATUSES = (
    WarningStatus.ISSUED, WarningStatus.ACKNOWLEDGED, WarningStatus.RESPONSE_UNDER_WAY
)
SHORT_TITLE = 40  # characters, about three lines under a cell of the heat strip
_DANGLING = frozenset({"a", "an", "and", "in", "of", "or", "the", "to", "against", "under"})


@dataclass(frozen=True)
class OpenWarnings:
    """The open warnings counted by severity (all four, lowest first) and by open status."""

    total: int
    by_severity: tuple[tuple[Severity, int], ...]
    unrated: int  # open warnings with no severity set
    by_status: tuple[tuple[WarningStatus, int], ...]

    def count(self, severity: Severity) -> int:
        """How many open warnings have this severity."""
        return dict(self.by_severity)[severity]


@dataclass(frozen=True)
class LateResponse:
    """A warning whose response is overdue."""

    id: WarningId
    reference: str
    title: str
    severity: Severity | None
    response_due: date
    days_late: int


@dataclass(frozen=True)
class OverdueRecommendation:
    """A recommendation past its due date and still followed."""

    id: RecommendationId
    ref: str
    text: str
    lead: str  # "" when it has no lead institution
    due: date
    days_late: int


@dataclass(frozen=True)
class DueRecommendation:
    """A recommendation due within the next `DUE_SOON_DAYS` days."""

    id: RecommendationId
    ref: str
    text: str
    lead: str
    due: date
    days_left: int


@dataclass(frozen=True)
class HeatCell:
    """One risk factor of the latest assessment and the level it was given."""

    number: int
    short_title: str
    title: str
    nature: Nature
    level: Level  # not_assessed when the assessment does not rate it


@dataclass(frozen=True)
class HeatStrip:
    """The latest assessment that counts, one cell per risk factor of its framework version."""

    id: AssessmentId
    title: str
    status: AssessmentStatus
    period_start: date
    period_end: date
    overall: Level
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Attention:
    """Everything the opening page shows, as of one day."""

    today: date
    open_warnings: OpenWarnings
    late_responses: tuple[LateResponse, ...]  # the most days late first
    overdue_recommendations: tuple[OverdueRecommendation, ...]  # the most days late first
    due_soon: tuple[DueRecommendation, ...]  # the soonest first
    heat_strip: HeatStrip | None
    timing: TimingSummary
    due_soon_days: int = DUE_SOON_DAYS


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """A title cut on a word boundary to at most `limit` characters, with an ellipsis if cut."""
    words = " ".join(title.split()).split(" ")
    if len(" ".join(words)) <= limit:
        return " ".join(words)
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) + 1 > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].casefold() in _DANGLING:
        kept.pop()
    return (" ".join(kept) or title[: limit - 1]).rstrip(",;:") + "…"


def open_warnings(session: Session) -> OpenWarnings:
    """The issued warnings not closed yet, counted."""
    found: Counter[tuple[WarningStatus, Severity | None]] = Counter({
        (status, severity): int(n)
        for status, severity, n in session.execute(
            select(EarlyWarning.status, EarlyWarning.severity, func.count())
            .where(EarlyWarning.status.in_(OPEN_STATUSES))
            .group_by(EarlyWarning.status, EarlyWarning.severity)
        )
    })
    severities: Counter[Severity | None] = Counter()
    statuses: Counter[WarningStatus] = Counter()
    for (status, severity), n in found.items():
        severities[severity] += n
        statuses[status] += n
    return OpenWarnings(
        total=sum(found.values()),
        by_severity=tuple((s, severities[s]) for s in Severity),
        unrated=severities[None],
        by_status=tuple((s, statuses[s]) for s in OPEN_STATUSES),
    )


def late_responses(session: Session, *, today: date) -> tuple[LateResponse, ...]:
    """The warnings whose response is overdue (the register's rule), the most days late first."""
    rows = [
        LateResponse(row.id, row.reference, row.title, row.severity, row.response_due,
                     (today - row.response_due).days)
        for row in list_warnings(session, today=today, overdue=True)
        if row.response_due is not None
    ]
    return tuple(sorted(rows, key=lambda r: (-r.days_late, r.reference)))


def recommendation_ref(row: RecRow) -> str:
    """How a recommendation is cited in a list: its catalogue id, or its source (in the language
    in use) and reference."""
    if row.catalogue_id:
        return row.catalogue_id
    label = source_label(row.source)
    return f"{label}: {row.source_reference}" if row.source_reference else label


def recommendation_deadlines(
    session: Session, *, today: date, days: int = DUE_SOON_DAYS
) -> tuple[tuple[OverdueRecommendation, ...], tuple[DueRecommendation, ...]]:
    """The recommendations overdue (most days late first) and due within `days` (soonest first)."""
    horizon = today + timedelta(days)
    overdue: list[OverdueRecommendation] = []
    soon: list[DueRecommendation] = []
    # Only the rows concerned leave SQLite: the register may hold tens of thousands.
    for row in list_recommendations(session, RecFilter(overdue=True), today=today):
        if row.due_on is not None and is_overdue(row.due_on, row.status, today):
            overdue.append(OverdueRecommendation(
                row.id, recommendation_ref(row), " ".join(row.text.split()),
                row.lead_institution, row.due_on, (today - row.due_on).days))
    for row in list_recommendations(session, RecFilter(due_by=horizon), today=today):
        if row.due_on is not None and is_due_soon(row.due_on, row.status, today, horizon):
            soon.append(DueRecommendation(
                row.id, recommendation_ref(row), " ".join(row.text.split()),
                row.lead_institution, row.due_on, (row.due_on - today).days))
    overdue.sort(key=lambda r: (r.due, r.text))
    soon.sort(key=lambda r: (r.due, r.text))
    return tuple(overdue), tuple(soon)


def latest_assessment(session: Session) -> Assessment | None:
    """The validated assessment with the latest period end, else the latest one not a draft.

    Between assessments ending on the same day, a national one comes before a regional one.
    """
    for statuses in ((AssessmentStatus.VALIDATED,),
                     tuple(s for s in AssessmentStatus if s is not AssessmentStatus.DRAFT)):
        found = session.scalar(
            select(Assessment)
            .where(Assessment.status.in_(statuses))
            .order_by(Assessment.period_end.desc(), Assessment.area_id.is_not(None),
                      Assessment.created_at.desc())
            .limit(1)
        )
        if found is not None:
            return found
    return None


def heat_strip(session: Session) -> HeatStrip | None:
    """The latest assessment's level for each risk factor of its framework version."""
    assessment = latest_assessment(session)
    if assessment is None:
        return None
    levels = {
        factor_id: override or level
        for factor_id, level, override in session.execute(
            select(Rating.risk_factor_id, Rating.level, Rating.override_level)
            .where(Rating.assessment_id == assessment.id, Rating.indicator_id.is_(None))
        )
    }
    factors = session.scalars(
        select(RiskFactor).where(RiskFactor.version_id == assessment.framework_version_id)
        .order_by(RiskFactor.number)
    )
    cells = tuple(
        HeatCell(f.number, short_title(f.title), f.title, f.nature,
                 levels.get(f.id, Level.NOT_ASSESSED))
        for f in factors
    )
    return HeatStrip(
        id=AssessmentId(assessment.id), title=assessment.title, status=assessment.status,
        period_start=assessment.period_start, period_end=assessment.period_end,
        overall=assessment.overall_override or assessment.overall_level, cells=cells,
    )


def attention(session: Session, *, today: date) -> Attention:
    """What needs attention today: open and late warnings, recommendations due, the risk."""
    overdue, soon = recommendation_deadlines(session, today=today)
    return Attention(
        today=today,
        open_warnings=open_warnings(session),
        late_responses=late_responses(session, today=today),
        overdue_recommendations=overdue,
        due_soon=soon,
        heat_strip=heat_strip(session),
        timing=timing_summary(session, today),
    )
