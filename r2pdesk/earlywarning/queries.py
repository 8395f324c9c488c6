"""Reading the early-warning register: one warning in full and what a warning can link to; the
list itself (windows, filters, orders, counts, timelines) is `register`, whose names are
re-exported here.

None of them reads `Source.identity`: who a confidential informant is stays out of every result.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from r2pdesk.context.models import Area, AreaId, GroupId, PopulationGroup
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningEvent,
    WarningId,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_area,
    warning_group,
    warning_indicator,
    warning_risk_factor,
    warning_source,
)
from r2pdesk.earlywarning.register import (
    WarningFilter,
    WarningOrder,
    WarningRow,
    WarningSort,
    _code_key,
    count_warnings,
    list_warnings,
    overdue_condition,
    timing_summary,
    warning_page,
    warning_position,
    warning_timelines,
)
from r2pdesk.earlywarning.service import WarningDraft, load_warning
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.lists import retired_name
from r2pdesk.recommendations.models import Recommendation, RecommendationId, recommendation_warning
from r2pdesk.reference.models import Indicator, IndicatorId, RiskFactor, RiskFactorId
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.models import Confidentiality, Source, SourceId, SourceKind

__all__ = [
    "WarningFilter", "WarningOrder", "WarningRow", "WarningSort", "count_warnings",
    "list_warnings", "overdue_condition", "timing_summary", "warning_page", "warning_position",
    "warning_timelines",
]


# --- one warning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Linked:
    """A record a warning links to: its id and how it is shown (a name, a code or a text)."""

    id: uuid.UUID
    label: str


@dataclass(frozen=True)
class SourceRef:
    """A source as a warning cites it; there is no field for an informant's identity."""

    id: SourceId
    title: str
    kind: SourceKind
    reliability: str
    credibility: int
    confidentiality: Confidentiality


@dataclass(frozen=True)
class ResponseEntry:
    """A response as read back, the institution by name ("" once it was deleted)."""

    institution: str
    on: date
    kind: ResponseKind
    action_taken: str
    outcome: str


@dataclass(frozen=True)
class EventEntry:
    """A step in a warning's life: a change of status or an escalation, with its reason."""

    at: datetime
    kind: str
    from_value: str
    to_value: str
    reason: str
    author: str


@dataclass(frozen=True)
class WarningDetail:
    """Everything about one warning, for its page and its report."""

    id: WarningId
    reference: str
    title: str
    description: str
    severity: Severity | None
    likelihood: Likelihood | None
    horizon: Horizon | None
    status: WarningStatus
    observed: date | None
    issued: date | None
    response_due: date | None
    closed_on: date | None
    resolution: Resolution | None
    resolution_note: str
    recommended_actions: str
    confidential: bool
    areas: tuple[Linked, ...]
    groups: tuple[Linked, ...]
    indicators: tuple[Linked, ...]  # label: the code
    risk_factors: tuple[Linked, ...]  # label: the code, RF7
    addressees: tuple[Linked, ...]
    sources: tuple[SourceRef, ...]
    recommendations: tuple[Linked, ...]  # label: the text
    responses: tuple[ResponseEntry, ...]
    events: tuple[EventEntry, ...]

    def draft(self) -> WarningDraft:
        """The draft that would write this warning as it is: where an edit starts."""
        return WarningDraft(
            title=self.title, observed_on=self.observed, description=self.description,
            severity=self.severity, likelihood=self.likelihood, horizon=self.horizon,
            recommended_actions=self.recommended_actions, confidential=self.confidential,
            area_ids=tuple(AreaId(x.id) for x in self.areas),
            group_ids=tuple(GroupId(x.id) for x in self.groups),
            indicator_ids=tuple(IndicatorId(x.id) for x in self.indicators),
            risk_factor_ids=tuple(RiskFactorId(x.id) for x in self.risk_factors),
            addressee_ids=tuple(InstitutionId(x.id) for x in self.addressees),
            source_ids=tuple(s.id for s in self.sources),
            recommendation_ids=tuple(RecommendationId(x.id) for x in self.recommendations),
        )


def _linked(
    session: Session, table: Table, label: InstrumentedAttribute[Any], warning_id: uuid.UUID
) -> tuple[Linked, ...]:
    model: Any = label.class_
    other = next(c for c in table.c if c.name != "warning_id")
    rows = session.execute(
        select(model.id, label)
        .join_from(table, model, model.id == other)
        .where(table.c.warning_id == warning_id)
    )
    return tuple(Linked(record_id, str(text)) for record_id, text in rows)


def _sources(session: Session, warning_id: uuid.UUID) -> tuple[SourceRef, ...]:
    # The columns one by one, so that Source.identity is never even read.
    rows = session.execute(
        select(Source.id, Source.title, Source.kind, Source.reliability, Source.credibility,
               Source.confidentiality)
        .join(warning_source, warning_source.c.source_id == Source.id)
        .where(warning_source.c.warning_id == warning_id)
        .order_by(Source.title)
    )
    return tuple(
        SourceRef(SourceId(id_), title, kind, reliability, credibility, confidentiality)
        for id_, title, kind, reliability, credibility, confidentiality in rows
    )


def _responses(session: Session, warning_id: uuid.UUID) -> tuple[ResponseEntry, ...]:
    rows = session.execute(
        select(Institution.name, WarningResponse.on, WarningResponse.kind,
               WarningResponse.action_taken, WarningResponse.outcome)
        .outerjoin(Institution, Institution.id == WarningResponse.institution_id)
        .where(WarningResponse.warning_id == warning_id)
        .order_by(WarningResponse.on, WarningResponse.created_at)
    )
    return tuple(
        ResponseEntry(name or "", on, kind, action, outcome)
        for name, on, kind, action, outcome in rows
    )


def _events(session: Session, warning_id: uuid.UUID) -> tuple[EventEntry, ...]:
    events = session.scalars(
        select(WarningEvent).where(WarningEvent.warning_id == warning_id)
        .order_by(WarningEvent.at)
    )
    return tuple(
        EventEntry(e.at, e.kind, e.from_value, e.to_value, e.reason, e.author) for e in events
    )


def warning_detail(session: Session, warning_id: WarningId) -> WarningDetail:
    """One warning with its links, responses and events; InputError when it is gone."""
    w = load_warning(session, warning_id)

    def linked(table: Table, label: InstrumentedAttribute[Any]) -> tuple[Linked, ...]:
        return tuple(sorted(_linked(session, table, label, w.id), key=lambda x: x.label.casefold()))

    indicators = _linked(session, warning_indicator, Indicator.code, w.id)
    factors = _linked(session, warning_risk_factor, RiskFactor.code, w.id)
    return WarningDetail(
        id=WarningId(w.id), reference=w.reference, title=w.title, description=w.description,
        severity=w.severity, likelihood=w.likelihood, horizon=w.horizon, status=w.status,
        observed=w.observed_on, issued=w.issued_on, response_due=w.response_due,
        closed_on=w.closed_on, resolution=w.resolution, resolution_note=w.resolution_note,
        recommended_actions=w.recommended_actions, confidential=w.confidential,
        areas=linked(warning_area, Area.name),
        groups=linked(warning_group, PopulationGroup.name),
        indicators=tuple(sorted(indicators, key=lambda x: _code_key(x.label))),
        risk_factors=tuple(sorted(factors, key=lambda x: _code_key(x.label.removeprefix("RF")))),
        addressees=linked(warning_addressee, Institution.name),
        sources=_sources(session, w.id),
        recommendations=linked(recommendation_warning, Recommendation.text),
        responses=_responses(session, w.id),
        events=_events(session, w.id),
    )


# --- what a warning can link to -----------------------------------------------------------------

FIRST_FACTORS = (7, 8)  # enabling circumstances and triggers: what early warnings watch most


@dataclass(frozen=True)
class IndicatorChoice:
    """An indicator a warning can cite: its code and its text."""

    id: IndicatorId
    code: str
    text: str


@dataclass(frozen=True)
class FactorChoice:
    """A risk factor of the framework in use, with its indicators in code order."""

    id: RiskFactorId
    number: int
    code: str
    title: str
    indicators: tuple[IndicatorChoice, ...]


@dataclass(frozen=True)
class WarningChoices:
    """What a warning can link to, for the pickers of its form."""

    institutions: tuple[Linked, ...]
    areas: tuple[Linked, ...]  # label: the name, with its level
    groups: tuple[Linked, ...]
    factors: tuple[FactorChoice, ...]  # risk factors 7 and 8 first, then by number
    sources: tuple[SourceRef, ...]
    recommendations: tuple[Linked, ...]  # label: the catalogue id or source reference, the text


def _factor_order(number: int) -> tuple[int, int]:
    first = FIRST_FACTORS.index(number) if number in FIRST_FACTORS else len(FIRST_FACTORS)
    return first, number


def _factors(session: Session) -> tuple[FactorChoice, ...]:
    version = default_framework_version(session)
    if version is None:
        return ()
    indicators: dict[uuid.UUID, list[IndicatorChoice]] = defaultdict(list)
    rows = session.execute(
        select(Indicator.risk_factor_id, Indicator.id, Indicator.code, Indicator.text)
        .join(RiskFactor).where(RiskFactor.version_id == version.id)
    )
    for factor_id, id_, code, text in rows:
        indicators[factor_id].append(IndicatorChoice(IndicatorId(id_), code, text))
    factors = session.execute(
        select(RiskFactor.id, RiskFactor.number, RiskFactor.code, RiskFactor.title)
        .where(RiskFactor.version_id == version.id)
    )
    return tuple(sorted(
        (FactorChoice(RiskFactorId(id_), number, code, title,
                      tuple(sorted(indicators[id_], key=lambda i: _code_key(i.code))))
         for id_, number, code, title in factors),
        key=lambda f: _factor_order(f.number),
    ))


def _recommendation_label(catalogue_id: str | None, reference: str, text: str) -> str:
    cited = catalogue_id or reference
    return f"{cited}: {text}" if cited else text


def warning_choices(session: Session) -> WarningChoices:
    """The institutions, areas, groups, framework, sources and recommendations to choose from.

    The sources are read column by column, like a warning's own: no informant's identity.
    """
    areas = session.execute(select(Area.id, retired_name(Area, Area.name), Area.level)
                            .where(Area.merged_into.is_(None)))
    groups = session.execute(select(PopulationGroup.id,
                                    retired_name(PopulationGroup, PopulationGroup.name))
                             .where(PopulationGroup.merged_into.is_(None)))
    institutions = session.execute(select(Institution.id, Institution.name))
    recommendations = session.execute(
        select(Recommendation.id, Recommendation.catalogue_id, Recommendation.source_reference,
               Recommendation.text).order_by(Recommendation.made_on.desc())
    )
    sources = session.execute(
        select(Source.id, retired_name(Source, Source.title), Source.kind, Source.reliability,
               Source.credibility, Source.confidentiality)
        .where(Source.merged_into.is_(None)).order_by(Source.title)
    )
    return WarningChoices(
        institutions=_by_label(Linked(id_, name) for id_, name in institutions),
        areas=_by_label(Linked(id_, f"{name} ({level})" if level else name)
                        for id_, name, level in areas),
        groups=_by_label(Linked(id_, name) for id_, name in groups),
        factors=_factors(session),
        sources=tuple(
            SourceRef(SourceId(id_), title, kind, reliability, credibility, confidentiality)
            for id_, title, kind, reliability, credibility, confidentiality in sources
        ),
        recommendations=tuple(Linked(id_, _recommendation_label(cat, ref, text))
                              for id_, cat, ref, text in recommendations),
    )


@dataclass(frozen=True)
class WarningReference:
    """A warning as a choice names it."""

    id: WarningId
    reference: str
    title: str
    confidential: bool


def warning_references(session: Session) -> list[WarningReference]:
    """Every warning's reference and title, newest reference first: what a choice of one warning
    offers, read in one light statement however long the register."""
    w = EarlyWarning
    query = select(w.id, w.reference, w.title, w.confidential).order_by(w.reference.desc())
    return [WarningReference(WarningId(row_id), reference, title, bool(confidential))
            for row_id, reference, title, confidential in session.execute(query)]


def _by_label(links: Iterable[Linked]) -> tuple[Linked, ...]:
    return tuple(sorted(links, key=lambda x: x.label.casefold()))


def framework_texts(session: Session, detail: WarningDetail) -> dict[uuid.UUID, str]:
    """The text of each indicator and the title of each risk factor a warning cites, by id."""
    indicator_ids = [x.id for x in detail.indicators]
    factor_ids = [x.id for x in detail.risk_factors]
    texts: dict[uuid.UUID, str] = {}
    for id_, text in session.execute(
        select(Indicator.id, Indicator.text).where(Indicator.id.in_(indicator_ids))
    ):
        texts[id_] = text
    for id_, title in session.execute(
        select(RiskFactor.id, RiskFactor.title).where(RiskFactor.id.in_(factor_ids))
    ):
        texts[id_] = title
    return texts
