"""Reading risk assessments: the list, one assessment's grid, trends against the previous one,
and the heat map of a scope's successive assessments.

The previous assessment of an assessment is the latest one of the same scope (the same area, or
both national) whose period ends earlier, drafts left out: a draft is work in progress, not a
position of the committee to compare with. Superseded assessments count, since they were the
committee's position for their period. Items are matched across framework versions by risk factor
number and indicator code.

The heat map shows every assessment of a scope, drafts included (each column says its status),
oldest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    Assessment,
    AssessmentId,
    AssessmentStatus,
    Confidence,
    Level,
    Phase,
    Rating,
    ResilienceRating,
    Strength,
)
from r2pdesk.assessments.scale import (
    FactorState,
    Trend,
    effective,
    factor_states,
    trend,
)
from r2pdesk.assessments.service import EDITABLE, cells, links_of
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.lists import retired_name
from r2pdesk.reference.models import (
    AppliesTo,
    FrameworkVersion,
    IndicatorsStatus,
    Nature,
    RiskFactor,
)
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.labels import SOURCE_KIND_LABELS
from r2pdesk.sources.models import Source

NATIONAL = "national"
# An item of a framework, matched across versions: (risk factor number, indicator code or None).
Key = tuple[int, str | None]


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment as the list shows it."""

    id: AssessmentId
    title: str
    area_id: uuid.UUID | None
    scope: str  # the area's name, or "national"
    period_start: date
    period_end: date
    phase: Phase
    status: AssessmentStatus
    overall_level: Level  # derived from the risk factors
    overall_override: Level | None
    effective_level: Level
    ratings: int  # rating rows that carry a level or an override
    framework_version_id: uuid.UUID

    def as_json(self) -> dict[str, object]:
        """The object `assessments --json` prints."""
        return {
            "id": str(self.id),
            "title": self.title,
            "scope": self.scope,
            "area_id": None if self.area_id is None else str(self.area_id),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "phase": self.phase.value,
            "status": self.status.value,
            "overall_level": self.overall_level.value,
            "overall_override": None if self.overall_override is None
            else self.overall_override.value,
            "effective_level": self.effective_level.value,
            "ratings": self.ratings,
            "framework_version_id": str(self.framework_version_id),
        }


def _rows_query() -> Select[Assessment, str | None, int]:
    count = (
        select(func.count(Rating.id))
        .where(
            Rating.assessment_id == Assessment.id,
            (Rating.level != Level.NOT_ASSESSED) | Rating.override_level.is_not(None),
        )
        .scalar_subquery()
    )
    return select(Assessment, Area.name, count).outerjoin(Area, Area.id == Assessment.area_id)


def _row(assessment: Assessment, area: str | None, count: int) -> AssessmentRow:
    return AssessmentRow(
        id=AssessmentId(assessment.id),
        title=assessment.title,
        area_id=assessment.area_id,
        scope=area or NATIONAL,
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        phase=assessment.phase,
        status=assessment.status,
        overall_level=assessment.overall_level,
        overall_override=assessment.overall_override,
        effective_level=effective(assessment.overall_level, assessment.overall_override),
        ratings=count,
        framework_version_id=assessment.framework_version_id,
    )


def list_assessments(session: Session) -> list[AssessmentRow]:
    """Every assessment: the latest period first, national before regional, then by title."""
    rows = session.execute(
        _rows_query().order_by(
            Assessment.period_end.desc(), Assessment.area_id.is_not(None), Area.name,
            Assessment.title,
        )
    )
    return [_row(assessment, area, count) for assessment, area, count in rows]


def assessment_row(session: Session, assessment_id: uuid.UUID) -> AssessmentRow:
    """One assessment as the list shows it."""
    found = session.execute(_rows_query().where(Assessment.id == assessment_id)).one_or_none()
    if found is None:
        raise InputError(tr("that assessment is no longer in the database"))
    return _row(*found)


def _get(session: Session, assessment_id: uuid.UUID) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise InputError(tr("that assessment is no longer in the database"))
    return assessment


def previous_assessment(session: Session, assessment_id: uuid.UUID) -> AssessmentRow | None:
    """The latest earlier assessment of the same scope that is not a draft (see above)."""
    assessment = _get(session, assessment_id)
    found = session.execute(
        _rows_query()
        .where(
            Assessment.area_id.is_(None) if assessment.area_id is None
            else Assessment.area_id == assessment.area_id,
            Assessment.period_end < assessment.period_end,
            Assessment.status != AssessmentStatus.DRAFT,
        )
        .order_by(Assessment.period_end.desc(), Assessment.created_at.desc())
        .limit(1)
    ).one_or_none()
    return None if found is None else _row(*found)


# --- levels by framework item ---------------------------------------------------------------


def _levels(session: Session, assessment: Assessment) -> dict[Key, Level]:
    """The effective level of every item rated in an assessment, by (number, code)."""
    version = session.get_one(FrameworkVersion, assessment.framework_version_id)
    numbers = {f.id: f.number for f in version.risk_factors}
    codes = {i.id: i.code for f in version.risk_factors for i in f.indicators}
    levels: dict[Key, Level] = {}
    for rating in assessment.ratings:
        if rating.indicator_id is not None and rating.risk_factor_id in numbers:
            key = (numbers[rating.risk_factor_id], codes[rating.indicator_id])
            levels[key] = effective(rating.level, rating.override_level)
    for factor_id, state in factor_states(cells(assessment.ratings)).items():
        if factor_id in numbers:
            levels[(numbers[factor_id], None)] = state.effective
    return levels


@dataclass(frozen=True)
class TrendRow:
    """How one rated item moved since the previous assessment."""

    risk_factor_number: int
    indicator_code: str | None  # None: the risk factor itself
    title: str  # the risk factor's title or the indicator's text
    before: Level
    after: Level
    trend: Trend


def trends(session: Session, assessment_id: uuid.UUID) -> list[TrendRow]:
    """Every item rated in an assessment against the previous assessment, in framework order;
    empty when there is no previous assessment to compare with."""
    assessment = _get(session, assessment_id)
    previous = previous_assessment(session, assessment_id)
    if previous is None:
        return []
    before = _levels(session, _get(session, previous.id))
    now = _levels(session, assessment)
    version = session.get_one(FrameworkVersion, assessment.framework_version_id)
    rows = []
    for factor in version.risk_factors:
        items: list[tuple[str | None, str]] = [(None, factor.title)]
        items += [(i.code, i.text) for i in factor.indicators]
        for code, title in items:
            after = now.get((factor.number, code), Level.NOT_ASSESSED)
            was = before.get((factor.number, code), Level.NOT_ASSESSED)
            moved = trend(was, after)
            if moved is not None:
                rows.append(TrendRow(factor.number, code, title, was, after, moved))
    return rows


# --- the grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingView:
    """A saved rating as the grid shows and edits it."""

    id: uuid.UUID
    level: Level
    confidence: Confidence | None
    evidence: str
    source_ids: tuple[uuid.UUID, ...]
    group_ids: tuple[uuid.UUID, ...]
    area_ids: tuple[uuid.UUID, ...]
    override_level: Level | None
    override_justification: str
    confidential: bool
    author: str
    updated_at: datetime


@dataclass(frozen=True)
class IndicatorCell:
    """An indicator of a risk factor with its rating in the assessment, if any."""

    indicator_id: uuid.UUID
    code: str
    ordinal: int
    text: str
    national: bool
    rating: RatingView | None
    level: Level  # effective: the override, else the rated level
    trend: Trend | None  # None: not rated now, or no previous assessment


@dataclass(frozen=True)
class FactorCell:
    """A risk factor of the grid: its own rating, its derived and effective levels, indicators."""

    risk_factor_id: uuid.UUID
    number: int
    code: str
    title: str
    applies_to: AppliesTo
    nature: Nature
    indicators_status: IndicatorsStatus
    rating: RatingView | None  # the risk factor's own row
    derived_level: Level
    from_indicators: bool  # derived from rated indicators rather than rated directly
    override_level: Level | None
    effective_level: Level
    trend: Trend | None
    indicators: tuple[IndicatorCell, ...]


@dataclass(frozen=True)
class ResilienceCell:
    """An inhibitor with its strength in the assessment."""

    resilience_factor_id: uuid.UUID
    number: int
    code: str
    title: str
    rating_id: uuid.UUID | None
    strength: Strength
    notes: str


@dataclass(frozen=True)
class Grid:
    """One assessment in full: every risk factor of its framework version with its indicators,
    and the inhibitors."""

    assessment: AssessmentRow
    authors: str
    summary: str
    override_justification: str
    framework: str  # "Framework of Analysis for Atrocity Crimes, version 1"
    editable: bool
    previous: AssessmentRow | None
    factors: tuple[FactorCell, ...]
    resilience: tuple[ResilienceCell, ...]


def _views(session: Session, assessment: Assessment) -> dict[tuple[uuid.UUID, uuid.UUID | None],
                                                             RatingView]:
    links = links_of(session, [r.id for r in assessment.ratings])
    return {
        (r.risk_factor_id, r.indicator_id): RatingView(
            id=r.id, level=r.level, confidence=r.confidence, evidence=r.evidence,
            source_ids=links.get(r.id, {}).get("source_ids", ()),
            group_ids=links.get(r.id, {}).get("group_ids", ()),
            area_ids=links.get(r.id, {}).get("area_ids", ()),
            override_level=r.override_level, override_justification=r.override_justification,
            confidential=r.confidential, author=r.author, updated_at=r.updated_at,
        )
        for r in assessment.ratings
    }


def _factor_cell(
    factor: RiskFactor, views: dict[tuple[uuid.UUID, uuid.UUID | None], RatingView],
    state: FactorState | None, moved: dict[Key, Trend],
) -> FactorCell:
    indicators = []
    for ind in factor.indicators:
        view = views.get((factor.id, ind.id))
        level = effective(view.level, view.override_level) if view else Level.NOT_ASSESSED
        indicators.append(IndicatorCell(
            ind.id, ind.code, ind.ordinal, ind.text, ind.national, view, level,
            moved.get((factor.number, ind.code)),
        ))
    return FactorCell(
        risk_factor_id=factor.id, number=factor.number, code=factor.code, title=factor.title,
        applies_to=factor.applies_to, nature=factor.nature,
        indicators_status=factor.indicators_status, rating=views.get((factor.id, None)),
        derived_level=state.derived if state else Level.NOT_ASSESSED,
        from_indicators=state.from_indicators if state else False,
        override_level=state.override if state else None,
        effective_level=state.effective if state else Level.NOT_ASSESSED,
        trend=moved.get((factor.number, None)), indicators=tuple(indicators),
    )


def assessment_grid(session: Session, assessment_id: uuid.UUID) -> Grid:
    """Every risk factor of the assessment's framework version, each with its indicators, their
    ratings (or none), the derived and effective levels, the override and the trend."""
    assessment = _get(session, assessment_id)
    version = session.get_one(FrameworkVersion, assessment.framework_version_id)
    views = _views(session, assessment)
    states = factor_states(cells(assessment.ratings))
    moves = {(t.risk_factor_number, t.indicator_code): t.trend
             for t in trends(session, assessment_id)}
    strengths = {r.resilience_factor_id: r for r in assessment.resilience}
    resilience = []
    for inhibitor in version.resilience_factors:
        rated: ResilienceRating | None = strengths.get(inhibitor.id)
        resilience.append(ResilienceCell(
            inhibitor.id, inhibitor.number, inhibitor.code, inhibitor.title,
            rated.id if rated else None, rated.strength if rated else Strength.NOT_ASSESSED,
            rated.notes if rated else "",
        ))
    return Grid(
        assessment=assessment_row(session, assessment_id),
        authors=assessment.authors,
        summary=assessment.summary,
        override_justification=assessment.override_justification,
        framework=tr("{framework}, version {version}").format(
            framework=version.framework.name, version=version.version),
        editable=assessment.status in EDITABLE,
        previous=previous_assessment(session, assessment_id),
        factors=tuple(
            _factor_cell(f, views, states.get(f.id), moves) for f in version.risk_factors
        ),
        resilience=tuple(resilience),
    )


# --- the heat map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatRow:
    """A risk factor across a scope's assessments."""

    number: int
    code: str
    title: str
    applies_to: AppliesTo
    nature: Nature
    levels: tuple[Level, ...]  # effective level, one per column


@dataclass(frozen=True)
class HeatMap:
    """A scope's successive assessments (columns, oldest first) by risk factor (rows)."""

    scope: str
    area_id: uuid.UUID | None
    columns: tuple[AssessmentRow, ...]
    rows: tuple[HeatRow, ...]


def heat_map(session: Session, area_id: uuid.UUID | None) -> HeatMap:
    """Every assessment of a scope (an area, or national for None), oldest first, against the
    risk factors of the latest one's framework version (the default framework when none)."""
    scope = NATIONAL
    if area_id is not None:
        area = session.get(Area, area_id)
        if area is None:
            raise InputError(tr("area: not in the database"))
        scope = area.name
    found = session.execute(
        _rows_query()
        .where(Assessment.area_id.is_(None) if area_id is None else Assessment.area_id == area_id)
        .order_by(Assessment.period_end, Assessment.created_at)
    ).all()
    columns = [_row(*row) for row in found]
    levels = [_levels(session, assessment) for assessment, _, _ in found]
    version = (
        session.get(FrameworkVersion, columns[-1].framework_version_id) if columns
        else default_framework_version(session)
    )
    factors = version.risk_factors if version else []
    rows = tuple(
        HeatRow(
            f.number, f.code, f.title, f.applies_to, f.nature,
            tuple(column.get((f.number, None), Level.NOT_ASSESSED) for column in levels),
        )
        for f in factors
    )
    return HeatMap(scope, area_id, tuple(columns), rows)


# --- what a rating can cite -----------------------------------------------------------------

# The kinds of source as a rating's choices name them (the words of `r2pdesk.sources.labels`).
SOURCE_KINDS = SOURCE_KIND_LABELS


@dataclass(frozen=True)
class Choice:
    """A record an assessment or a rating can name, as a line of text."""

    id: uuid.UUID
    label: str


@dataclass(frozen=True)
class RatingChoices:
    """The areas (a scope, or what a rating covers), groups and sources to choose from."""

    areas: tuple[Choice, ...]
    groups: tuple[Choice, ...]
    sources: tuple[Choice, ...]


def _by_label(choices: list[Choice]) -> tuple[Choice, ...]:
    return tuple(sorted(choices, key=lambda c: c.label.casefold()))


def rating_choices(session: Session) -> RatingChoices:
    """Areas with their level, population groups, and sources with their kind and grading,
    each by label; a source is read column by column, never with an informant's identity."""
    areas = session.execute(select(Area.id, retired_name(Area, Area.name), Area.level)
                            .where(Area.merged_into.is_(None)))
    groups = session.execute(select(PopulationGroup.id,
                                    retired_name(PopulationGroup, PopulationGroup.name))
                             .where(PopulationGroup.merged_into.is_(None)))
    sources = session.execute(
        select(Source.id, retired_name(Source, Source.title), Source.kind, Source.reliability,
               Source.credibility).where(Source.merged_into.is_(None))
    )
    return RatingChoices(
        areas=_by_label([Choice(i, f"{name} ({level})" if level else name)
                         for i, name, level in areas]),
        groups=_by_label([Choice(i, name) for i, name in groups]),
        sources=_by_label([
            Choice(i, tr("{title} ({kind}, {grading})").format(
                title=title, kind=tr(SOURCE_KINDS[kind]), grading=f"{reliability}{credibility}"))
            for i, title, kind, reliability, credibility in sources
        ]),
    )
