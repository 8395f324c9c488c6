"""Reading recommendations: the filtered list, one recommendation's detail and history, the
per-institution view and the implementation summary."""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    ScalarSelect,
    SQLColumnExpression,
    Table,
    UnaryExpression,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.institutions.models import Institution
from r2pdesk.paging import Arm, Listing, Sort, ordered
from r2pdesk.recommendations.models import (
    Priority,
    ProgressUpdate,
    Recommendation,
    RecommendationId,
    RecSource,
    RecStatus,
    progress_attachment,
    recommendation_assessment,
    recommendation_risk_factor,
    recommendation_supporter,
    recommendation_warning,
)
from r2pdesk.recommendations.service import CLOSED_STATUSES, SOURCE_LABELS, is_overdue
from r2pdesk.reference.models import CatalogueRecommendation, RiskFactor, SgReport
from r2pdesk.reference.service import default_framework_version, list_targets
from r2pdesk.search import INSTITUTIONS, RECOMMENDATIONS, matches
from r2pdesk.sources.attachments import AttachmentInfo
from r2pdesk.sources.models import Attachment, AttachmentId


@dataclass(frozen=True)
class RecFilter:
    """What to show of the recommendations; empty fields do not filter."""

    status: RecStatus | None = None
    institution_id: uuid.UUID | None = None  # leading or supporting
    source: RecSource | None = None
    report_year: int | None = None
    target: str | None = None
    priority: Priority | None = None
    overdue: bool = False
    text: str = ""
    # Still open and due between today and this day (the dashboard's "due soon").
    due_by: date | None = None


@dataclass(frozen=True)
class RecRow:
    """A recommendation as a list shows it."""

    id: RecommendationId
    text: str
    status: RecStatus
    source: RecSource
    source_reference: str
    catalogue_id: str | None
    report_year: int | None
    target: str | None
    priority: Priority
    made_on: date
    due_on: date | None
    overdue: bool
    lead_institution: str
    lead_institution_id: uuid.UUID | None
    last_update: date | None
    confidential: bool

    def as_json(self) -> dict[str, object]:
        """The object `recs --json` prints."""
        return {
            "id": str(self.id),
            "text": self.text,
            "status": self.status.value,
            "due": self.due_on.isoformat() if self.due_on else None,
            "overdue": self.overdue,
            "lead_institution": self.lead_institution or None,
            "source": self.source.value,
            "source_reference": self.source_reference,
            "catalogue_id": self.catalogue_id,
            "report_year": self.report_year,
            "target": self.target,
            "priority": self.priority.value,
            "made": self.made_on.isoformat(),
            "last_update": self.last_update.isoformat() if self.last_update else None,
        }


def _link_any(table: Table, column: str, value: uuid.UUID) -> ColumnElement[bool]:
    return Recommendation.id.in_(select(table.c.recommendation_id).where(table.c[column] == value))


class RecOrder(enum.StrEnum):
    """What the list can be sorted by (`Sort()` alone: overdue first, then by due date)."""

    REFERENCE = "reference"  # the catalogue id, or the source and its reference
    TEXT = "text"
    LEAD = "lead"  # the lead institution's name, recommendations without one first
    STATUS = "status"  # in the order of RecStatus
    PRIORITY = "priority"  # high first
    DUE = "due"  # undated first, as the index serves it


RecSort = Sort[RecOrder]
ROWID: ColumnElement[int] = literal_column("recommendation.rowid")
OPEN_STATUSES = tuple(s for s in RecStatus if s not in CLOSED_STATUSES)
_STATUS_UNINDEXED: ColumnElement[str] = literal_column("+recommendation.status")


def overdue_condition(today: date) -> ColumnElement[bool]:
    """`service.is_overdue` in SQL."""
    return and_(Recommendation.due_on < today, Recommendation.status.in_(OPEN_STATUSES))


def _rank(column: SQLColumnExpression[Any], values: Iterable[object]) -> ColumnElement[int]:
    return case({value: n for n, value in enumerate(values)}, value=column, else_=-1)


def _sort_keys(key: RecOrder) -> list[SQLColumnExpression[Any]]:
    """The ORDER BY of each key, before the rowid that breaks ties."""
    label = case({s.value: text for s, text in SOURCE_LABELS.items()},
                 value=Recommendation.source, else_="")
    cited = func.coalesce(Recommendation.catalogue_id, case(
        (Recommendation.source_reference == "", label),
        else_=label + ": " + Recommendation.source_reference))
    keys: dict[RecOrder, list[SQLColumnExpression[Any]]] = {
        RecOrder.REFERENCE: [func.lower(cited)],
        RecOrder.TEXT: [func.lower(Recommendation.text)],
        RecOrder.LEAD: [func.lower(Institution.name)],
        RecOrder.STATUS: [_rank(Recommendation.status, RecStatus)],
        RecOrder.PRIORITY: [_rank(Recommendation.priority,
                                  (Priority.HIGH, Priority.MEDIUM, Priority.LOW))],
        RecOrder.DUE: [Recommendation.due_on],
    }
    return keys[key]


def _arms(sort: RecSort | None, today: date) -> list[Arm]:
    """The order as arms an index serves: the overdue by due date, the others with a date by due
    date (the due-date index, the text sorted only within a day), then the undated by text."""
    if sort is not None and sort.key is not None:
        return [Arm(ordered(_sort_keys(sort.key), ROWID, sort.descending))]
    by_day: list[UnaryExpression[Any]] = [
        Recommendation.due_on.asc(), Recommendation.text.asc(), ROWID.asc()]
    overdue = overdue_condition(today)
    # The overdue read along the due-date index from the oldest day, the status checked on each
    # row ("+" keeps SQLite from the status index, which would sort every open one first).
    open_now = _STATUS_UNINDEXED.in_([status.value for status in OPEN_STATUSES])
    return [
        Arm(by_day, [Recommendation.due_on < today, open_now]),
        Arm(by_day, [Recommendation.due_on.is_not(None), ~overdue]),
        Arm([Recommendation.text.asc(), ROWID.asc()], [Recommendation.due_on.is_(None)]),
    ]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _word_condition(word: str) -> ColumnElement[bool] | None:
    """One searched word, as a prefix in the text or source reference, in the lead
    institution's name or acronym (the search index), or anywhere in the catalogue id."""
    in_text = matches(RECOMMENDATIONS, word)
    if in_text is None:
        return None
    lead = matches(INSTITUTIONS, word)
    # The catalogue is a few hundred items: looked through whole, then the index finds the ids.
    cited = select(CatalogueRecommendation.id).where(
        CatalogueRecommendation.id.ilike(_like(word), escape="\\"))
    return or_(
        in_text,
        Recommendation.lead_institution_id.in_(select(Institution.id).where(
            lead if lead is not None else false())),
        Recommendation.catalogue_id.in_(cited),
    )


def _conditions(spec: RecFilter, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if spec.status is not None:
        conditions.append(Recommendation.status == spec.status)
    if spec.institution_id is not None:
        conditions.append(or_(
            Recommendation.lead_institution_id == spec.institution_id,
            _link_any(recommendation_supporter, "institution_id", spec.institution_id),
        ))
    if spec.source is not None:
        conditions.append(Recommendation.source == spec.source)
    if spec.report_year is not None:
        conditions.append(CatalogueRecommendation.report_year == spec.report_year)
    if spec.target is not None:
        conditions.append(func.lower(CatalogueRecommendation.target) == spec.target.lower())
    if spec.priority is not None:
        conditions.append(Recommendation.priority == spec.priority)
    if spec.overdue:
        conditions.append(overdue_condition(today))
    if spec.due_by is not None:
        conditions.append(and_(
            Recommendation.due_on >= today, Recommendation.due_on <= spec.due_by,
            Recommendation.status.not_in(CLOSED_STATUSES)))
    for word in spec.text.split():
        condition = _word_condition(word)
        if condition is not None:
            conditions.append(condition)
    return conditions


def _last_update() -> ScalarSelect[Any]:
    return (
        select(func.max(ProgressUpdate.on))
        .where(ProgressUpdate.recommendation_id == Recommendation.id)
        .scalar_subquery()
    )


def _source(*, lead: bool = True, catalogue: bool = True) -> FromClause:
    """The recommendations, with their lead institution and catalogue item when asked (a join
    costs a lookup per row: choosing a window joins only what its filter and order read)."""
    source: FromClause = Recommendation.__table__
    if lead:
        source = source.outerjoin(
            Institution.__table__, Institution.id == Recommendation.lead_institution_id)
    if catalogue:
        source = source.outerjoin(CatalogueRecommendation.__table__,
                                  CatalogueRecommendation.id == Recommendation.catalogue_id)
    return source


def _listing(spec: RecFilter | None, today: date, sort: RecSort | None = None) -> Listing:
    spec = spec or RecFilter()
    r = Recommendation
    rows = select(
        r.id, r.text, r.status, r.source, r.source_reference, r.catalogue_id,
        CatalogueRecommendation.report_year, CatalogueRecommendation.target, r.priority,
        r.made_on, r.due_on, Institution.name, r.lead_institution_id, _last_update(),
        r.confidential,
    ).select_from(_source())
    chosen = _source(lead=sort is not None and sort.key is RecOrder.LEAD,
                     catalogue=spec.report_year is not None or spec.target is not None)
    return Listing(rows=rows, source=chosen, rowid=ROWID, where=_conditions(spec, today))


def _row(found: tuple[Any, ...], today: date) -> RecRow:
    (id_, text, status, source, reference, catalogue_id, year, target, priority, made, due,
     lead, lead_id, last, confidential) = found
    return RecRow(
        id=RecommendationId(id_), text=text, status=status, source=source,
        source_reference=reference, catalogue_id=catalogue_id, report_year=year, target=target,
        priority=priority, made_on=made, due_on=due, overdue=is_overdue(due, status, today),
        lead_institution=lead or "", lead_institution_id=lead_id,
        last_update=None if last is None else _day(last), confidential=confidential,
    )


def _day(value: date | str) -> date:
    # An aggregate may lose the column's type: SQLite then hands the stored ISO text back.
    return value if isinstance(value, date) else date.fromisoformat(value)


def recommendation_page(
    session: Session, spec: RecFilter | None = None, sort: RecSort | None = None, *,
    today: date, offset: int = 0, limit: int | None = None,
) -> list[RecRow]:
    """One window of the list under a filter and an order (all of it without `limit`).

    A few queries for a window however long the list is: the rowids (one per part of the order
    it reaches), then its rows.
    """
    found = _listing(spec, today, sort).read(session, _arms(sort, today), offset, limit)
    return [_row(row, today) for row in found]


def count_recommendations(session: Session, spec: RecFilter | None = None, *,
                          today: date) -> int:
    """How many recommendations a filter shows."""
    return _listing(spec, today).count(session)


def recommendation_position(
    session: Session, spec: RecFilter | None, sort: RecSort | None, rec_id: uuid.UUID, *,
    today: date,
) -> int | None:
    """Where a recommendation stands in the filtered, sorted list (0 first), None when the
    filter leaves it out."""
    rowid = session.scalar(select(ROWID).where(Recommendation.id == rec_id))
    if rowid is None:
        return None
    return _listing(spec, today, sort).position(session, _arms(sort, today), rowid)


def list_recommendations(
    session: Session, spec: RecFilter | None = None, *, today: date
) -> list[RecRow]:
    """The recommendations matching a filter: overdue first, then by due date, then by text."""
    return recommendation_page(session, spec, today=today)


def count_overdue(session: Session, *, today: date) -> int:
    """How many recommendations are overdue today."""
    return int(
        session.scalar(
            select(func.count()).select_from(Recommendation).where(
                Recommendation.due_on < today, Recommendation.status.not_in(CLOSED_STATUSES)
            )
        )
        or 0
    )


def count_by_status(session: Session) -> dict[str, int]:
    """The number of recommendations in each status, every status named (for `stats`)."""
    found = {
        status: int(n)
        for status, n in session.execute(
            select(Recommendation.status, func.count()).group_by(Recommendation.status)
        )
    }
    return {status.value: found.get(status, 0) for status in RecStatus}


@dataclass(frozen=True)
class TimelineEntry:
    """One progress update in a recommendation's history."""

    id: uuid.UUID
    on: date
    status: RecStatus
    narrative: str
    reported_by: str
    author: str
    attachments: tuple[AttachmentInfo, ...]


@dataclass(frozen=True)
class Linked:
    """A record linked to a recommendation, as a line of text."""

    id: uuid.UUID
    label: str


@dataclass(frozen=True)
class RecDetail:
    """One recommendation with everything linked to it and its history, oldest first."""

    row: RecRow
    report_symbol: str
    report_title: str
    paragraphs: str
    supporters: tuple[Linked, ...]
    risk_factors: tuple[Linked, ...]
    warnings: tuple[Linked, ...]
    assessments: tuple[Linked, ...]
    timeline: tuple[TimelineEntry, ...]
    author: str


def _linked(
    session: Session,
    link: tuple[Table, str, uuid.UUID],
    id_column: SQLColumnExpression[uuid.UUID],
    label: SQLColumnExpression[str],
    order: SQLColumnExpression[Any],
) -> tuple[Linked, ...]:
    table, column, rec_id = link
    ids = select(table.c[column]).where(table.c.recommendation_id == rec_id)
    rows = session.execute(select(id_column, label).where(id_column.in_(ids)).order_by(order))
    return tuple(Linked(row_id, text) for row_id, text in rows)


def _timeline(session: Session, rec_id: uuid.UUID) -> tuple[TimelineEntry, ...]:
    updates = list(
        session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.recommendation_id == rec_id)
            .order_by(ProgressUpdate.on, ProgressUpdate.created_at)
        )
    )
    files: defaultdict[uuid.UUID, list[AttachmentInfo]] = defaultdict(list)
    rows = session.execute(
        select(progress_attachment.c.update_id, Attachment)
        .join(Attachment, Attachment.id == progress_attachment.c.attachment_id)
        .where(progress_attachment.c.update_id.in_([u.id for u in updates]))
        .order_by(Attachment.original_name)
    )
    for update_id, a in rows:
        files[update_id].append(
            AttachmentInfo(AttachmentId(a.id), a.original_name, a.size, a.sha256, a.media_type)
        )
    return tuple(
        TimelineEntry(u.id, u.on, u.status, u.narrative, u.reported_by, u.author,
                      tuple(files[u.id]))
        for u in updates
    )


def recommendation_detail(session: Session, rec_id: uuid.UUID, *, today: date) -> RecDetail:
    """One recommendation in full."""
    found = session.execute(
        _listing(None, today).rows.where(Recommendation.id == rec_id)
    ).one_or_none()
    if found is None:
        raise InputError(tr("that recommendation is no longer in the database"))
    row = _row(tuple(found), today)
    rec = session.get_one(Recommendation, rec_id)
    item = session.get(CatalogueRecommendation, rec.catalogue_id) if rec.catalogue_id else None
    report = session.get(SgReport, item.report_year) if item else None
    factor_label = func.printf("%d. %s", RiskFactor.number, RiskFactor.title)
    warning_label = EarlyWarning.reference + " " + EarlyWarning.title
    return RecDetail(
        row=row,
        report_symbol=report.symbol if report else "",
        report_title=report.title if report else "",
        paragraphs=item.paragraphs if item else "",
        supporters=_linked(session, (recommendation_supporter, "institution_id", rec.id),
                           Institution.id, Institution.name, Institution.name),
        risk_factors=_linked(session, (recommendation_risk_factor, "risk_factor_id", rec.id),
                             RiskFactor.id, factor_label, RiskFactor.number),
        warnings=_linked(session, (recommendation_warning, "warning_id", rec.id),
                         EarlyWarning.id, warning_label, EarlyWarning.reference),
        assessments=_linked(session, (recommendation_assessment, "assessment_id", rec.id),
                            Assessment.id, Assessment.title, Assessment.period_end),
        timeline=_timeline(session, rec.id),
        author=rec.author,
    )


@dataclass(frozen=True)
class LinkChoices:
    """What a recommendation can be linked to, as (id, label) pairs for pickers."""

    institutions: tuple[Linked, ...]
    risk_factors: tuple[Linked, ...]
    warnings: tuple[Linked, ...]
    assessments: tuple[Linked, ...]
    report_years: tuple[int, ...]
    targets: tuple[str, ...]


def link_choices(session: Session, *, with_warnings: bool = True) -> LinkChoices:
    """Institutions, the risk factors of the framework in use, warnings and assessments.

    The filters of a list need no warnings: `with_warnings=False` leaves them out, since a
    register of many years holds tens of thousands."""
    version = default_framework_version(session)
    factors = session.execute(
        select(RiskFactor.id, func.printf("%d. %s", RiskFactor.number, RiskFactor.title))
        .where(RiskFactor.version_id == (version.id if version else None))
        .order_by(RiskFactor.number)
    )
    return LinkChoices(
        institutions=_pairs(session.execute(
            select(Institution.id, Institution.name).order_by(func.lower(Institution.name)))),
        risk_factors=_pairs(factors),
        warnings=_pairs(session.execute(
            select(EarlyWarning.id, EarlyWarning.reference + " " + EarlyWarning.title)
            .order_by(EarlyWarning.reference.desc()))) if with_warnings else (),
        assessments=_pairs(session.execute(
            select(Assessment.id, Assessment.title).order_by(Assessment.period_end.desc()))),
        report_years=tuple(session.scalars(select(SgReport.year).order_by(SgReport.year))),
        targets=tuple(list_targets(session)),
    )


def _pairs(rows: Iterable[Row[uuid.UUID, str]]) -> tuple[Linked, ...]:
    return tuple(Linked(row_id, label) for row_id, label in rows)


def adopted_catalogue_ids(session: Session) -> set[str]:
    """The catalogue items adopted already (each can be adopted once)."""
    query = select(Recommendation.catalogue_id).where(Recommendation.catalogue_id.is_not(None))
    return {item for item in session.scalars(query) if item is not None}
