"""Writing recommendations: write one, adopt from the catalogue, edit, record progress.

Every use case checks its whole input before it writes anything, and raises `InputError` naming
the field and why. Creating use cases accept the id to use, so that an undone creation redone
later is the same record again (the commands of the app's undo stack rely on it).

The current status of a recommendation is its latest progress update's (by date, then by the
order they were recorded); the history itself is never rewritten, only added to.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_date, format_number, tr
from r2pdesk.institutions.models import Institution
from r2pdesk.orm import utcnow
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
from r2pdesk.reference.models import CatalogueRecommendation
from r2pdesk.sources.attachments import EvidenceFile, delete_attachments, save_attachment

# Statuses that end the follow-up: a recommendation in one of them is never overdue.
CLOSED_STATUSES = frozenset({RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE})

# How people read the values (English, marked for the catalogue): `tr` them where shown, or use
# the functions below.
STATUS_LABELS = {
    RecStatus.NOT_STARTED: N_("Not started"),
    RecStatus.IN_PROGRESS: N_("In progress"),
    RecStatus.PARTIALLY_IMPLEMENTED: N_("Partially implemented"),
    RecStatus.IMPLEMENTED: N_("Implemented"),
    RecStatus.NOT_IMPLEMENTED: N_("Not implemented"),
    RecStatus.NOT_APPLICABLE: N_("Not applicable"),
}
SOURCE_LABELS = {
    RecSource.CATALOGUE: N_("SG catalogue"),
    RecSource.COMMITTEE: N_("Committee"),
    RecSource.UPR: N_("UPR"),
    RecSource.TREATY_BODY: N_("Treaty body"),
    RecSource.OTHER: N_("Other"),
}
PRIORITY_LABELS = {
    Priority.HIGH: N_("High"), Priority.MEDIUM: N_("Medium"), Priority.LOW: N_("Low"),
}
MAX_TEXT = 20_000


def status_label(status: RecStatus) -> str:
    """A recommendation's status as people read it, in the language in use."""
    return tr(STATUS_LABELS[status])


def source_label(source: RecSource) -> str:
    """Where a recommendation comes from, as people read it, in the language in use."""
    return tr(SOURCE_LABELS[source])


def priority_label(priority: Priority) -> str:
    """A priority as people read it, in the language in use (agreeing with "priority")."""
    return {
        Priority.HIGH: tr("High", context="priority"),
        Priority.MEDIUM: tr("Medium", context="priority"),
        Priority.LOW: tr("Low", context="priority"),
    }[priority]


def is_overdue(due_on: date | None, status: RecStatus, today: date) -> bool:
    """Overdue: the due date has passed and the follow-up has not ended (see CLOSED_STATUSES)."""
    return due_on is not None and due_on < today and status not in CLOSED_STATUSES


@dataclass(frozen=True)
class RecommendationInput:
    """Everything a person edits of a recommendation (the status comes from progress updates)."""

    text: str
    made_on: date
    source: RecSource = RecSource.COMMITTEE
    source_reference: str = ""
    lead_institution_id: uuid.UUID | None = None
    supporter_ids: tuple[uuid.UUID, ...] = ()
    priority: Priority = Priority.MEDIUM
    due_on: date | None = None
    risk_factor_ids: tuple[uuid.UUID, ...] = ()
    warning_ids: tuple[uuid.UUID, ...] = ()
    assessment_ids: tuple[uuid.UUID, ...] = ()
    confidential: bool = False
    catalogue_id: str | None = None


@dataclass(frozen=True)
class ProgressInput:
    """A dated progress update, with the evidence files already read and checked."""

    on: date
    status: RecStatus
    narrative: str = ""
    reported_by: str = ""
    evidence: tuple[EvidenceFile, ...] = field(default=())


_LINKS: tuple[tuple[Table, str, str], ...] = (
    (recommendation_supporter, "institution_id", "supporter_ids"),
    (recommendation_risk_factor, "risk_factor_id", "risk_factor_ids"),
    (recommendation_warning, "warning_id", "warning_ids"),
    (recommendation_assessment, "assessment_id", "assessment_ids"),
)


def _check(session: Session, data: RecommendationInput) -> RecommendationInput:
    text = data.text.strip()
    if not text:
        raise InputError(tr("text: a recommendation needs its text"))
    if len(text) > MAX_TEXT:
        raise InputError(tr("{field}: longer than {most} characters").format(
            field=tr("text"), most=format_number(MAX_TEXT)))
    if data.due_on is not None and data.due_on < data.made_on:
        raise InputError(
            tr("due date: {due} is before the recommendation was made ({made})").format(
                due=format_date(data.due_on), made=format_date(data.made_on))
        )
    if data.source is RecSource.CATALOGUE and not data.catalogue_id:
        raise InputError(tr("source: a catalogue recommendation is adopted from the catalogue"))
    if data.lead_institution_id is not None and session.get(
        Institution, data.lead_institution_id
    ) is None:
        raise InputError(tr("lead institution: not in the database"))
    if data.lead_institution_id in data.supporter_ids:
        raise InputError(
            tr("supporting institutions: the lead institution is already leading it"))
    return replace(data, text=text, source_reference=data.source_reference.strip())


def _write_links(session: Session, rec_id: uuid.UUID, data: RecommendationInput) -> None:
    for table, column, attribute in _LINKS:
        session.execute(delete(table).where(table.c.recommendation_id == rec_id))
        ids = dict.fromkeys(getattr(data, attribute))  # unique, in the order given
        if ids:
            session.execute(
                insert(table), [{"recommendation_id": rec_id, column: i} for i in ids]
            )


def create_recommendation(
    session: Session, data: RecommendationInput, rec_id: uuid.UUID | None = None
) -> RecommendationId:
    """Write a new recommendation (the committee's own, or from the UPR, a treaty body ...)."""
    data = _check(session, data)
    if data.catalogue_id is not None:
        _refuse_adopted(session, [data.catalogue_id])
    rec = Recommendation(
        id=rec_id or uuid.uuid4(),
        text=data.text,
        source=data.source,
        source_reference=data.source_reference,
        catalogue_id=data.catalogue_id,
        lead_institution_id=data.lead_institution_id,
        priority=data.priority,
        made_on=data.made_on,
        due_on=data.due_on,
        status=RecStatus.NOT_STARTED,
        confidential=data.confidential,
    )
    session.add(rec)
    session.flush()
    _write_links(session, rec.id, data)
    return RecommendationId(rec.id)


def _refuse_adopted(session: Session, catalogue_ids: Sequence[str]) -> None:
    taken = session.execute(
        select(Recommendation.catalogue_id, Recommendation.made_on).where(
            Recommendation.catalogue_id.in_(catalogue_ids)
        )
    ).all()
    if taken:
        which = ", ".join(
            tr("{id} (adopted on {made})").format(id=cid, made=format_date(made))
            for cid, made in sorted(taken, key=str)
        )
        raise InputError(
            tr("already adopted (a catalogue recommendation is followed once): {which}").format(
                which=which))


@dataclass(frozen=True)
class Adoption:
    """How catalogue recommendations are taken up: who leads, by when, how urgent."""

    made_on: date
    lead_institution_id: uuid.UUID | None = None
    supporter_ids: tuple[uuid.UUID, ...] = ()
    priority: Priority = Priority.MEDIUM
    due_on: date | None = None


def adopt(
    session: Session,
    catalogue_ids: Sequence[str],
    adoption: Adoption,
    rec_ids: Sequence[uuid.UUID] | None = None,
) -> list[RecommendationId]:
    """Adopt catalogue recommendations as the committee's, keeping the link to report, target and
    paragraphs; all or none (one already adopted refuses the lot, saying which)."""
    if not catalogue_ids:
        raise InputError(tr("adopt: choose at least one catalogue recommendation"))
    if len(set(catalogue_ids)) != len(catalogue_ids):
        raise InputError(tr("adopt: the same catalogue recommendation is chosen twice"))
    items = {
        item.id: item
        for item in session.scalars(
            select(CatalogueRecommendation).where(CatalogueRecommendation.id.in_(catalogue_ids))
        )
    }
    missing = [cid for cid in catalogue_ids if cid not in items]
    if missing:
        raise InputError(
            tr("adopt: not in the catalogue: {ids}").format(ids=", ".join(missing)))
    _refuse_adopted(session, catalogue_ids)
    ids = list(rec_ids) if rec_ids is not None else [uuid.uuid4() for _ in catalogue_ids]
    return [
        create_recommendation(
            session,
            RecommendationInput(
                text=items[cid].text,
                made_on=adoption.made_on,
                source=RecSource.CATALOGUE,
                source_reference=_catalogue_reference(items[cid]),
                lead_institution_id=adoption.lead_institution_id,
                supporter_ids=adoption.supporter_ids,
                priority=adoption.priority,
                due_on=adoption.due_on,
                catalogue_id=cid,
            ),
            rec_id,
        )
        for cid, rec_id in zip(catalogue_ids, ids, strict=True)
    ]


def _catalogue_reference(item: CatalogueRecommendation) -> str:
    paragraphs = f", paras. {item.paragraphs}" if item.paragraphs else ""
    return f"SG report {item.report_year}{paragraphs}"


def _get(session: Session, rec_id: uuid.UUID) -> Recommendation:
    rec = session.get(Recommendation, rec_id)
    if rec is None:
        raise InputError(tr("that recommendation is no longer in the database"))
    return rec


def current_input(session: Session, rec_id: uuid.UUID) -> RecommendationInput:
    """A recommendation as it stands, in the shape `update_recommendation` takes."""
    rec = _get(session, rec_id)
    links = {
        attribute: tuple(
            session.scalars(select(table.c[column]).where(table.c.recommendation_id == rec_id))
        )
        for table, column, attribute in _LINKS
    }
    return RecommendationInput(
        text=rec.text,
        made_on=rec.made_on,
        source=rec.source,
        source_reference=rec.source_reference,
        lead_institution_id=rec.lead_institution_id,
        priority=rec.priority,
        due_on=rec.due_on,
        confidential=rec.confidential,
        catalogue_id=rec.catalogue_id,
        **links,
    )


def update_recommendation(session: Session, rec_id: uuid.UUID, data: RecommendationInput) -> None:
    """Save a person's edits; an adopted recommendation keeps its catalogue link and text."""
    rec = _get(session, rec_id)
    if rec.catalogue_id is not None:
        data = replace(data, catalogue_id=rec.catalogue_id, source=RecSource.CATALOGUE)
    elif data.catalogue_id is not None:
        raise InputError(
            tr("source: an existing recommendation cannot be turned into an adoption"))
    data = _check(session, data)
    rec.text = data.text
    rec.source = data.source
    rec.source_reference = data.source_reference
    rec.lead_institution_id = data.lead_institution_id
    rec.priority = data.priority
    rec.made_on = data.made_on
    rec.due_on = data.due_on
    rec.confidential = data.confidential
    rec.updated_at = utcnow()  # links changed alone still count as a revision
    _write_links(session, rec.id, data)
    _refuse_history_before(rec)


def _refuse_history_before(rec: Recommendation) -> None:
    first = min((u.on for u in rec.updates), default=None)
    if first is not None and first < rec.made_on:
        raise InputError(tr("date made: progress was recorded on {first}, before {made}").format(
            first=format_date(first), made=format_date(rec.made_on)))


def assign_lead(session: Session, rec_ids: Iterable[uuid.UUID], lead: uuid.UUID | None) -> None:
    """Give several recommendations the same lead institution."""
    for rec_id in rec_ids:
        data = current_input(session, rec_id)
        supporters = tuple(s for s in data.supporter_ids if s != lead)
        update_recommendation(
            session, rec_id, replace(data, lead_institution_id=lead, supporter_ids=supporters)
        )


def delete_recommendation(session: Session, rec_id: uuid.UUID) -> None:
    """Remove a recommendation with its history and evidence (used to undo its creation)."""
    rec = _get(session, rec_id)
    attachment_ids = [a for u in rec.updates for a in _attachment_ids(session, u.id)]
    session.delete(rec)
    session.flush()
    delete_attachments(session, attachment_ids)


def _attachment_ids(session: Session, update_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.scalars(
            select(progress_attachment.c.attachment_id).where(
                progress_attachment.c.update_id == update_id
            )
        )
    )


def _refresh_status(rec: Recommendation) -> None:
    # Sorted by date; updates of the same day keep the order they were recorded in.
    latest = sorted(rec.updates, key=lambda u: (u.on, u.created_at))
    status = latest[-1].status if latest else RecStatus.NOT_STARTED
    if rec.status is not status:
        rec.status = status


def add_progress(
    session: Session,
    rec_id: uuid.UUID,
    progress: ProgressInput,
    *,
    today: date,
    update_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record a dated progress update with its evidence; the status becomes the latest update's."""
    rec = _get(session, rec_id)
    if progress.on < rec.made_on:
        raise InputError(
            tr("date: {day} is before the recommendation was made ({made})").format(
                day=format_date(progress.on), made=format_date(rec.made_on))
        )
    if progress.on > today:
        raise InputError(
            tr("date: {day} is in the future").format(day=format_date(progress.on)))
    update = ProgressUpdate(
        id=update_id or uuid.uuid4(),
        on=progress.on,
        status=progress.status,
        narrative=progress.narrative.strip(),
        reported_by=progress.reported_by.strip(),
        created_at=utcnow(),
    )
    rec.updates.append(update)
    session.flush()
    for evidence in progress.evidence:
        attachment = save_attachment(session, evidence)
        session.flush()
        session.execute(
            insert(progress_attachment).values(update_id=update.id, attachment_id=attachment.id)
        )
    _refresh_status(rec)
    return update.id


def remove_progress(session: Session, update_id: uuid.UUID) -> None:
    """Take back a progress update just recorded (undo); the status follows the history again."""
    update = session.get(ProgressUpdate, update_id)
    if update is None:
        raise InputError(tr("that progress update is no longer in the database"))
    rec = update.recommendation
    attachment_ids = _attachment_ids(session, update_id)
    rec.updates.remove(update)
    session.flush()
    delete_attachments(session, attachment_ids)
    _refresh_status(rec)
