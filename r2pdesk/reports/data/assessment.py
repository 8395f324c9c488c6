"""The data of a risk assessment report: levels, heat map against earlier assessments, evidence."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    AssessmentStatus,
    Confidence,
    Level,
    Phase,
    Rating,
    Strength,
    assessment_warning,
    confidence_label,
)
from r2pdesk.assessments.queries import (
    SOURCE_KINDS,
    AssessmentRow,
    RatingView,
    assessment_grid,
    heat_map,
)
from r2pdesk.assessments.scale import Trend
from r2pdesk.assessments.service import status_label
from r2pdesk.earlywarning.queries import list_warnings
from r2pdesk.i18n import format_number, tr
from r2pdesk.recommendations.models import recommendation_assessment
from r2pdesk.recommendations.queries import list_recommendations
from r2pdesk.reference.models import RiskFactor
from r2pdesk.reports.base import Marking, ReportMeta
from r2pdesk.reports.data.common import (
    RecItem,
    WarningItem,
    rec_items,
    report_meta,
    visible,
    warning_item,
)
from r2pdesk.reports.text import long_date, lower_first, month_year
from r2pdesk.sources.models import Confidentiality, Source

HEAT_COLUMNS = 4  # this assessment and up to three before it


@dataclass(frozen=True)
class IndicatorLine:
    """A rated indicator; level None where a confidential rating is withheld."""

    code: str
    text: str
    level: Level | None
    confidence: str
    evidence: str
    override: str  # the justification when the level was set over the rated one
    trend: Trend | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FactorDetail:
    """A risk factor with its own rating and its rated indicators."""

    number: int
    code: str
    title: str
    level: Level | None
    confidence: str
    evidence: str
    override: str
    trend: Trend | None
    sources: tuple[str, ...]
    indicators: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class HeatColumn:
    """An assessment as a column of the heat map."""

    period: str
    status: str


@dataclass(frozen=True)
class HeatLine:
    """A risk factor across the columns; None where a confidential rating is withheld."""

    number: int
    title: str
    levels: tuple[Level | None, ...]
    trend: Trend | None


@dataclass(frozen=True)
class ResilienceLine:
    """An inhibitor and its strength."""

    code: str
    title: str
    strength: Strength
    notes: str


@dataclass(frozen=True)
class AssessmentReport:
    """One risk assessment in full."""

    meta: ReportMeta
    title: str
    scope: str
    period_start: date
    period_end: date
    phase: Phase
    status: AssessmentStatus
    authors: str
    framework: str
    overall: Level
    derived_overall: Level
    override_note: str
    summary: str
    previous: str  # the previous assessment's title, "" when there is none
    columns: tuple[HeatColumn, ...]
    heat: tuple[HeatLine, ...]
    factors: tuple[FactorDetail, ...]
    resilience: tuple[ResilienceLine, ...]
    recommendations: tuple[RecItem, ...]
    warnings: tuple[WarningItem, ...]
    withheld: int  # confidential ratings left out


class _Sources:
    """Source labels by id, read column by column: title, kind, grading; never the identity."""

    def __init__(self, session: Session, include_confidential: bool) -> None:
        self.labels: dict[uuid.UUID, str] = {}
        self.hidden: set[uuid.UUID] = set()
        rows = session.execute(select(Source.id, Source.title, Source.kind, Source.reliability,
                                      Source.credibility, Source.confidentiality))
        for id_, title, kind, reliability, credibility, confidentiality in rows:
            if confidentiality is Confidentiality.CONFIDENTIAL and not include_confidential:
                self.hidden.add(id_)
            else:
                self.labels[id_] = f"{title} ({tr(SOURCE_KINDS[kind])}, {reliability}{credibility})"

    def cite(self, ids: Sequence[uuid.UUID]) -> tuple[str, ...]:
        shown = tuple(self.labels[i] for i in ids if i in self.labels)
        hidden = sum(i in self.hidden for i in ids)
        if not hidden:
            return shown
        withheld = (tr("{count} confidential source withheld") if hidden == 1
                    else tr("{count} confidential sources withheld"))
        return (*shown, withheld.format(count=format_number(hidden)))


def _confidence(confidence: Confidence | None) -> str:
    """A confidence within a sentence ("confidence high"); "" when none is given."""
    return "" if confidence is None else lower_first(confidence_label(confidence))


def _overridden(view: RatingView | None) -> str:
    return view.override_justification if view and view.override_level is not None else ""


def _columns(
    session: Session, row: AssessmentRow, include_confidential: bool
) -> tuple[tuple[HeatColumn, ...], tuple[HeatLine, ...]]:
    """This assessment and up to three earlier ones of its scope (drafts left out), oldest first."""
    found = heat_map(session, row.area_id)  # oldest first
    position = next(i for i, column in enumerate(found.columns) if column.id == row.id)
    chosen = [
        i for i, column in enumerate(found.columns[: position + 1])
        if i == position or column.status is not AssessmentStatus.DRAFT
    ][-HEAT_COLUMNS:]
    ids = [found.columns[i].id for i in chosen]
    withheld: set[tuple[uuid.UUID, int]] = set()
    if not include_confidential:
        withheld = {
            (assessment_id, number) for assessment_id, number in session.execute(
                select(Rating.assessment_id, RiskFactor.number).join(RiskFactor)
                .where(Rating.assessment_id.in_(ids), Rating.confidential,
                       Rating.indicator_id.is_(None)))
        }
    columns = tuple(
        HeatColumn(month_year(found.columns[i].period_end), status_label(found.columns[i].status))
        for i in chosen
    )
    lines = tuple(
        HeatLine(r.number, r.title, tuple(
            None if (found.columns[i].id, r.number) in withheld else r.levels[i] for i in chosen
        ), None)
        for r in found.rows
    )
    return columns, lines


def assessment_report_data(
    session: Session, assessment_id: uuid.UUID, today: date, include_confidential: bool = False,
    *, marking: Marking | None = None,
) -> AssessmentReport:
    """The report of one assessment; confidential ratings and sources withheld unless asked."""
    grid = assessment_grid(session, assessment_id)
    row = grid.assessment
    sources = _Sources(session, include_confidential)
    withheld = 0
    factors = []
    for f in grid.factors:
        hide = f.rating is not None and f.rating.confidential and not include_confidential
        withheld += hide
        indicators = []
        for i in f.indicators:
            if i.rating is None:
                continue
            off = i.rating.confidential and not include_confidential
            withheld += off
            indicators.append(IndicatorLine(
                i.code, i.text, None if off else i.level,
                "" if off else _confidence(i.rating.confidence), "" if off else i.rating.evidence,
                "" if off else _overridden(i.rating), None if off else i.trend,
                () if off else sources.cite(i.rating.source_ids),
            ))
        view = None if hide else f.rating
        factors.append(FactorDetail(
            f.number, f.code, f.title, None if hide else f.effective_level,
            _confidence(view.confidence) if view else "", view.evidence if view else "",
            _overridden(view), None if hide else f.trend,
            sources.cite(view.source_ids) if view else (), tuple(indicators),
        ))
    trends = {f.number: f.trend for f in factors}
    columns, heat = _columns(session, row, include_confidential)
    heat = tuple(HeatLine(h.number, h.title, h.levels, trends.get(h.number)) for h in heat)
    rec_ids = set(session.scalars(select(recommendation_assessment.c.recommendation_id)
                                  .where(recommendation_assessment.c.assessment_id == row.id)))
    recs = [r for r in list_recommendations(session, today=today) if r.id in rec_ids]
    warning_ids = set(session.scalars(select(assessment_warning.c.warning_id)
                                      .where(assessment_warning.c.assessment_id == row.id)))
    warnings = [w for w in list_warnings(session, today=today) if w.id in warning_ids
                and (include_confidential or not w.confidential)]
    period = tr("{start} to {end}").format(start=long_date(row.period_start),
                                           end=long_date(row.period_end))
    scope = tr("National") if row.area_id is None else row.scope
    return AssessmentReport(
        meta=report_meta(session, tr("Risk assessment report"), row.title,
                         f"{scope} · {period} · {status_label(row.status)}", today=today,
                         marking=marking, include_confidential=include_confidential),
        title=row.title, scope=scope, period_start=row.period_start,
        period_end=row.period_end, phase=row.phase, status=row.status, authors=grid.authors,
        framework=grid.framework, overall=row.effective_level, derived_overall=row.overall_level,
        override_note=grid.override_justification if row.overall_override else "",
        summary=grid.summary, previous=grid.previous.title if grid.previous else "",
        columns=columns, heat=heat, factors=tuple(factors),
        resilience=tuple(ResilienceLine(r.code, r.title, r.strength, r.notes)
                         for r in grid.resilience),
        recommendations=rec_items(session, visible(recs, include_confidential), today),
        warnings=tuple(warning_item(w) for w in warnings),
        withheld=withheld,
    )
