"""Reading the early-warning register: the list of warnings, their timelines, one in full, and
what a warning can link to.

None of them reads `Source.identity`: who a confidential informant is stays out of every result.
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    Table,
    UnaryExpression,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
)
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
from r2pdesk.earlywarning.service import WarningDraft, load_warning
from r2pdesk.earlywarning.timing import Reply, Timeline, timing
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.paging import Arm, Listing, Sort, ordered
from r2pdesk.recommendations.models import Recommendation, RecommendationId, recommendation_warning
from r2pdesk.reference.models import Indicator, IndicatorId, RiskFactor, RiskFactorId
from r2pdesk.reference.service import default_framework_version
from r2pdesk.search import WARNINGS, matches
from r2pdesk.sources.models import Confidentiality, Source, SourceId, SourceKind


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class WarningRow:
    """One line of the register, with its links by name and its response times."""

    id: WarningId
    reference: str
    title: str
    severity: Severity | None
    likelihood: Likelihood | None
    horizon: Horizon | None
    status: WarningStatus
    observed: date | None
    issued: date | None
    response_due: date | None
    overdue: bool
    indicators: tuple[str, ...]  # codes, in numeric order
    risk_factors: tuple[int, ...]  # numbers
    addressees: tuple[str, ...]  # institution names
    areas: tuple[str, ...]  # area names
    days_to_ack: int | None
    days_to_action: int | None
    confidential: bool

    def as_json(self) -> dict[str, object]:
        """Every field as plain JSON: enums by value, dates ISO, missing values null."""
        return {name: _plain(value) for name, value in asdict(self).items()}


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Indicator codes in numeric order, 7.2 before 7.10; parts that are not numbers after."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


class WarningOrder(enum.StrEnum):
    """What the register can be sorted by (`Sort()` alone: newest entered first)."""

    REFERENCE = "reference"  # by year, then number: EW-2026-1000 after EW-2026-999
    TITLE = "title"
    SEVERITY = "severity"  # not set, then low to critical
    STATUS = "status"  # in the order of the life cycle
    ISSUED = "issued"
    DUE = "due"
    ADDRESSEES = "addressees"  # by the first addressee's name
    DAYS_TO_ACTION = "days_to_action"


@dataclass(frozen=True)
class WarningFilter:
    """What to show of the register; empty fields do not filter."""

    status: WarningStatus | None = None
    severity: Severity | None = None
    overdue: bool = False
    text: str = ""  # every word, as a prefix: see `_text_condition`


WarningSort = Sort[WarningOrder]
ROWID: ColumnElement[int] = literal_column("early_warning.rowid")
NOT_CLOSED = tuple(s for s in WarningStatus if s is not WarningStatus.CLOSED)


def _reference_key(reference: str) -> tuple[int, int, str]:
    _, year, number = [*reference.split("-", 2), "", ""][:3]
    if year.isdigit() and number.isdigit():
        return int(year), int(number), reference
    return 0, 0, reference


def _rank(column: SQLColumnExpression[Any], values: Iterable[object]) -> ColumnElement[int]:
    """A column's values by their place in `values`; NULL (not set) before them all."""
    return case({value: n for n, value in enumerate(values)}, value=column, else_=-1)


def _first_action() -> ScalarSelect[Any]:
    return (
        select(func.min(WarningResponse.on))
        .where(WarningResponse.warning_id == EarlyWarning.id,
               WarningResponse.kind == ResponseKind.ACTION)
        .scalar_subquery()
    )


def _first_addressee() -> ScalarSelect[Any]:
    return (
        select(func.min(func.lower(Institution.name)))
        .join(warning_addressee, warning_addressee.c.institution_id == Institution.id)
        .where(warning_addressee.c.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )


def _sort_keys(key: WarningOrder) -> list[SQLColumnExpression[Any]]:
    """The ORDER BY of each key, before the rowid that breaks ties."""
    year = cast(func.substr(EarlyWarning.reference, 4, 4), Integer)
    number = cast(func.substr(EarlyWarning.reference, 9), Integer)
    keys: dict[WarningOrder, Callable[[], list[SQLColumnExpression[Any]]]] = {
        WarningOrder.REFERENCE: lambda: [year, number, EarlyWarning.reference],
        WarningOrder.TITLE: lambda: [func.lower(EarlyWarning.title), EarlyWarning.title],
        WarningOrder.SEVERITY: lambda: [_rank(EarlyWarning.severity, Severity)],
        WarningOrder.STATUS: lambda: [_rank(EarlyWarning.status, WarningStatus)],
        # Dates as their indexes serve them: the undated first.
        WarningOrder.ISSUED: lambda: [EarlyWarning.issued_on],
        WarningOrder.DUE: lambda: [EarlyWarning.response_due],
        WarningOrder.ADDRESSEES: lambda: [_first_addressee()],
        WarningOrder.DAYS_TO_ACTION: lambda: [
            func.julianday(_first_action()) - func.julianday(EarlyWarning.issued_on)],
    }
    return keys[key]()


def _order(sort: WarningSort) -> list[UnaryExpression[Any]]:
    if sort.key is None:
        return [ROWID.desc()]  # the register as entered, newest first: its rowid index serves it
    return ordered(_sort_keys(sort.key), ROWID, sort.descending)


def overdue_condition(today: date) -> ColumnElement[bool]:
    """`timing.is_overdue` in SQL: due before today, not closed, no action recorded."""
    action = exists().where(WarningResponse.warning_id == EarlyWarning.id,
                            WarningResponse.kind == ResponseKind.ACTION)
    return and_(EarlyWarning.response_due < today, EarlyWarning.status.in_(NOT_CLOSED), ~action)


def _text_condition(text: str) -> ColumnElement[bool] | None:
    """Every word (as a prefix) in the reference, title, description or recommended actions,
    through the search index; a confidential warning's own texts are not in it, only its
    reference and title."""
    return matches(WARNINGS, text)


def _conditions(spec: WarningFilter, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if spec.status is not None:
        conditions.append(EarlyWarning.status == spec.status)
    if spec.severity is not None:
        conditions.append(EarlyWarning.severity == spec.severity)
    if spec.overdue:
        conditions.append(overdue_condition(today))
    text = _text_condition(spec.text)
    if text is not None:
        conditions.append(text)
    return conditions


SEPARATOR = "\x1f"  # between the names group_concat joins: names may hold commas


def _joined(table: Table, label: SQLColumnExpression[Any], target: Any) -> ScalarSelect[Any]:
    """The labels of the records a warning links to, joined into one text (NULL for none)."""
    other = next(c for c in table.c if c.name != "warning_id")
    return (
        select(func.group_concat(label, SEPARATOR))
        .join_from(table, target, target.id == other)
        .where(table.c.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )


def _row_columns() -> tuple[Any, ...]:
    replies = (
        select(func.group_concat(func.printf("%s:%s", WarningResponse.on, WarningResponse.kind),
                                 SEPARATOR))
        .where(WarningResponse.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )
    w = EarlyWarning
    return (
        w.id, w.reference, w.title, w.severity, w.likelihood, w.horizon, w.status,
        w.observed_on, w.issued_on, w.response_due, w.confidential,
        _joined(warning_indicator, Indicator.code, Indicator),
        _joined(warning_risk_factor, RiskFactor.number, RiskFactor),
        _joined(warning_addressee, Institution.name, Institution),
        _joined(warning_area, Area.name, Area),
        replies,
    )


def _split(text: str | None) -> list[str]:
    return text.split(SEPARATOR) if text else []


def _parse_replies(text: str | None) -> tuple[Reply, ...]:
    replies = []
    for item in _split(text):
        day, kind = item.split(":", 1)
        replies.append(Reply(date.fromisoformat(day), ResponseKind(kind)))
    return tuple(replies)


def _to_row(found: Any, today: date) -> WarningRow:
    (id_, reference, title, severity, likelihood, horizon, status, observed, issued, due,
     confidential, indicators, factors, addressees, areas, replies) = found
    times = timing(Timeline(status, issued, due, _parse_replies(replies)), today)
    return WarningRow(
        id=WarningId(id_), reference=reference, title=title, severity=severity,
        likelihood=likelihood, horizon=horizon, status=status, observed=observed, issued=issued,
        response_due=due, overdue=times.overdue,
        indicators=tuple(sorted(_split(indicators), key=_code_key)),
        risk_factors=tuple(sorted(int(n) for n in _split(factors))),
        addressees=_by_name(_split(addressees)), areas=_by_name(_split(areas)),
        days_to_ack=times.days_to_ack, days_to_action=times.days_to_action,
        confidential=confidential,
    )


def _listing(spec: WarningFilter | None, today: date) -> Listing:
    return Listing(rows=select(*_row_columns()), source=EarlyWarning.__table__, rowid=ROWID,
                   where=_conditions(spec or WarningFilter(), today))


def warning_page(
    session: Session, spec: WarningFilter | None = None, sort: WarningSort | None = None, *,
    today: date, offset: int = 0, limit: int | None = None,
) -> list[WarningRow]:
    """One window of the register under a filter and an order (all of it without `limit`).

    Two queries for a window however long the register is (its rowids, then its rows with
    their links and responses), one for the whole register.
    """
    arms = [Arm(_order(sort or Sort()))]
    found = _listing(spec, today).read(session, arms, offset, limit)
    return [_to_row(row, today) for row in found]


def count_warnings(session: Session, spec: WarningFilter | None = None, *, today: date) -> int:
    """How many warnings a filter shows."""
    return _listing(spec, today).count(session)


def warning_position(
    session: Session, spec: WarningFilter | None, sort: WarningSort | None,
    warning_id: uuid.UUID, *, today: date,
) -> int | None:
    """Where a warning stands in the filtered, sorted register (0 first), None when not in it."""
    rowid = session.scalar(select(ROWID).where(EarlyWarning.id == warning_id))
    if rowid is None:
        return None
    return _listing(spec, today).position(session, [Arm(_order(sort or Sort()))], rowid)


def _by_name(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=str.casefold))


def _replies(
    session: Session, chosen: Select[Any] | Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[Reply, ...]]:
    found: dict[uuid.UUID, list[Reply]] = defaultdict(list)
    rows = session.execute(
        select(WarningResponse.warning_id, WarningResponse.on, WarningResponse.kind)
        .where(WarningResponse.warning_id.in_(chosen))
    )
    for warning_id, on, kind in rows:
        found[warning_id].append(Reply(on, kind))
    return {key: tuple(replies) for key, replies in found.items()}


def list_warnings(
    session: Session, *, today: date, status: WarningStatus | None = None, overdue: bool = False
) -> list[WarningRow]:
    """The register, newest reference first: all of it, one status, or only the overdue ones.

    Six queries however many warnings there are: the warnings, their responses, and one for each
    kind of link shown.
    """
    return warning_page(session, WarningFilter(status=status, overdue=overdue),
                        Sort(WarningOrder.REFERENCE, descending=True), today=today)


def warning_timelines(session: Session) -> list[Timeline]:
    """What `timing.summarize` needs of every warning, in one query: its status and dates, and of
    its responses only the first one and the first action (the rules look at no other)."""
    first = (
        select(WarningResponse.warning_id.label("warning_id"),
               func.min(WarningResponse.on).label("any"),
               func.min(case((WarningResponse.kind == ResponseKind.ACTION, WarningResponse.on)))
               .label("action"))
        .group_by(WarningResponse.warning_id)
        .subquery()
    )
    rows = session.execute(
        select(EarlyWarning.status, EarlyWarning.issued_on, EarlyWarning.response_due,
               first.c.any, first.c.action)
        .outerjoin(first, first.c.warning_id == EarlyWarning.id)
    )
    timelines = []
    for status, issued, due, first_any, first_action in rows:
        replies: tuple[Reply, ...] = (
            () if first_any is None else (Reply(_day(first_any), ResponseKind.ACKNOWLEDGEMENT),))
        if first_action is not None:
            replies += (Reply(_day(first_action), ResponseKind.ACTION),)
        timelines.append(Timeline(status, issued, due, replies))
    return timelines


def _day(value: date | str) -> date:
    # An aggregate may lose the column's type: SQLite then hands the stored ISO text back.
    return value if isinstance(value, date) else date.fromisoformat(value)


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
    areas = session.execute(select(Area.id, Area.name, Area.level))
    groups = session.execute(select(PopulationGroup.id, PopulationGroup.name))
    institutions = session.execute(select(Institution.id, Institution.name))
    recommendations = session.execute(
        select(Recommendation.id, Recommendation.catalogue_id, Recommendation.source_reference,
               Recommendation.text).order_by(Recommendation.made_on.desc())
    )
    sources = session.execute(
        select(Source.id, Source.title, Source.kind, Source.reliability, Source.credibility,
               Source.confidentiality).order_by(Source.title)
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
