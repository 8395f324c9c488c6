"""Reading recommendations: the filtered list, one recommendation's detail and history, the
per-institution view and the implementation summary."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, SQLColumnExpression, Table, func, or_, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.errors import InputError
from r2pdesk.institutions.models import Institution
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
from r2pdesk.recommendations.service import CLOSED_STATUSES, is_overdue
from r2pdesk.reference.models import CatalogueRecommendation, RiskFactor, SgReport
from r2pdesk.reference.service import default_framework_version, list_targets
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


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _link_any(table: Table, column: str, value: uuid.UUID) -> ColumnElement[bool]:
    return Recommendation.id.in_(select(table.c.recommendation_id).where(table.c[column] == value))


RowQuery = Select[Recommendation, str, CatalogueRecommendation, date]


def _filtered(spec: RecFilter, today: date) -> RowQuery:
    last = (
        select(func.max(ProgressUpdate.on))
        .where(ProgressUpdate.recommendation_id == Recommendation.id)
        .scalar_subquery()
    )
    query = (
        select(Recommendation, Institution.name, CatalogueRecommendation, last)
        .outerjoin(Institution, Institution.id == Recommendation.lead_institution_id)
        .outerjoin(CatalogueRecommendation)
    )
    if spec.status is not None:
        query = query.where(Recommendation.status == spec.status)
    if spec.institution_id is not None:
        query = query.where(
            or_(
                Recommendation.lead_institution_id == spec.institution_id,
                _link_any(recommendation_supporter, "institution_id", spec.institution_id),
            )
        )
    if spec.source is not None:
        query = query.where(Recommendation.source == spec.source)
    if spec.report_year is not None:
        query = query.where(CatalogueRecommendation.report_year == spec.report_year)
    if spec.target is not None:
        query = query.where(func.lower(CatalogueRecommendation.target) == spec.target.lower())
    if spec.priority is not None:
        query = query.where(Recommendation.priority == spec.priority)
    if spec.overdue:
        query = query.where(
            Recommendation.due_on < today, Recommendation.status.not_in(CLOSED_STATUSES)
        )
    for word in spec.text.split():
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(
                Recommendation.text.ilike(pattern, escape="\\"),
                Recommendation.source_reference.ilike(pattern, escape="\\"),
                Recommendation.catalogue_id.ilike(pattern, escape="\\"),
                Institution.name.ilike(pattern, escape="\\"),
                Institution.acronym.ilike(pattern, escape="\\"),
            )
        )
    return query


def _to_row(
    rec: Recommendation, lead: str | None, item: CatalogueRecommendation | None,
    last: date | None, today: date,
) -> RecRow:
    return RecRow(
        id=RecommendationId(rec.id),
        text=rec.text,
        status=rec.status,
        source=rec.source,
        source_reference=rec.source_reference,
        catalogue_id=rec.catalogue_id,
        report_year=item.report_year if item else None,
        target=item.target if item else None,
        priority=rec.priority,
        made_on=rec.made_on,
        due_on=rec.due_on,
        overdue=is_overdue(rec.due_on, rec.status, today),
        lead_institution=lead or "",
        lead_institution_id=rec.lead_institution_id,
        last_update=last,
        confidential=rec.confidential,
    )


def list_recommendations(
    session: Session, spec: RecFilter | None = None, *, today: date
) -> list[RecRow]:
    """The recommendations matching a filter: overdue first, then by due date, then by text."""
    rows = [
        _to_row(rec, lead, item, last, today)
        for rec, lead, item, last in session.execute(_filtered(spec or RecFilter(), today))
    ]
    rows.sort(key=lambda r: (not r.overdue, r.due_on or date.max, r.text))
    return rows


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
        _filtered(RecFilter(), today).where(Recommendation.id == rec_id)
    ).one_or_none()
    if found is None:
        raise InputError("that recommendation is no longer in the database")
    rec, lead, item, last = found
    report = session.get(SgReport, item.report_year) if item else None
    factor_label = func.printf("%d. %s", RiskFactor.number, RiskFactor.title)
    warning_label = EarlyWarning.reference + " " + EarlyWarning.title
    return RecDetail(
        row=_to_row(rec, lead, item, last, today),
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


def link_choices(session: Session) -> LinkChoices:
    """Institutions, the risk factors of the framework in use, warnings and assessments."""
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
            .order_by(EarlyWarning.reference.desc()))),
        assessments=_pairs(session.execute(
            select(Assessment.id, Assessment.title).order_by(Assessment.period_end.desc()))),
        report_years=tuple(session.scalars(select(SgReport.year).order_by(SgReport.year))),
        targets=tuple(list_targets(session)),
    )


def _pairs(rows: Iterable[Row[uuid.UUID, str]]) -> tuple[Linked, ...]:
    return tuple(Linked(row_id, label) for row_id, label in rows)
