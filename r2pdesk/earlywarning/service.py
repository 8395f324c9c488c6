"""Use cases of the early-warning register: deadlines, references, drafts and the life cycle.

Response deadlines. An issued warning asks its addressees to act within a number of days set by
its severity; `RESPONSE_DAYS` holds the defaults:

    critical   7 days
    high      14 days
    moderate  30 days
    low       60 days

The committee may change them (settings `response_days.<severity>`, 1 to 365 days). A warning's
response is due on its day of issue plus those days. An escalation brings the due day forward to
the escalation day plus the new severity's days when that is earlier, never later.

References. A warning is numbered `EW-<year>-NNN` when created, in the year of its creation, after
the highest number that year has ever had: both the references in the register and the setting
`warning_counter.<year>` are consulted, and the counter only grows, so the number of a deleted
warning is never given again.

Every use case checks its input before it writes: an InputError leaves the database as it was.
When a response is overdue is told in `r2pdesk.earlywarning.timing`; the register is read through
`r2pdesk.earlywarning.queries`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

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
    severity_label,
    warning_addressee,
    warning_area,
    warning_group,
    warning_indicator,
    warning_risk_factor,
    warning_source,
)
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_date, tr
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.orm import Base, utcnow
from r2pdesk.recommendations.models import Recommendation, RecommendationId, recommendation_warning
from r2pdesk.reference.models import Indicator, IndicatorId, RiskFactor, RiskFactorId
from r2pdesk.sources.models import Source, SourceId
from r2pdesk.store import read_setting, write_setting

RESPONSE_DAYS: Mapping[Severity, int] = MappingProxyType(
    {Severity.CRITICAL: 7, Severity.HIGH: 14, Severity.MODERATE: 30, Severity.LOW: 60}
)
MAX_RESPONSE_DAYS = 365
TITLE_LENGTH = 300
_LEVELS = tuple(Severity)  # lowest first


# --- settings and references ------------------------------------------------------------------


def _days_key(severity: Severity) -> str:
    return f"response_days.{severity.value}"


def response_days(session: Session) -> dict[Severity, int]:
    """Days allowed for a response by severity: the committee's settings over the defaults.

    A stored value that is not a whole number from 1 to 365 is ignored and the default holds.
    """
    days = {}
    for severity, default in RESPONSE_DAYS.items():
        text = read_setting(session, _days_key(severity)).strip()
        value = int(text) if text.isdigit() else 0
        days[severity] = value if 1 <= value <= MAX_RESPONSE_DAYS else default
    return days


def set_response_days(session: Session, severity: Severity, days: int) -> dict[Severity, int]:
    """Change the days allowed for a response to warnings of one severity; returns all of them.

    Warnings already issued keep their due day.
    """
    if isinstance(days, bool) or not 1 <= days <= MAX_RESPONSE_DAYS:
        raise InputError(
            tr("response days ({severity}): a whole number of days from 1 to {most}, not {days}")
            .format(severity=severity_label(severity).lower(), most=MAX_RESPONSE_DAYS, days=days)
        )
    write_setting(session, _days_key(severity), str(days))
    return response_days(session)


def _counter_key(year: int) -> str:
    return f"warning_counter.{year}"


def _next_number(session: Session, year: int) -> int:
    prefix = f"EW-{year}-"
    used = session.scalars(
        select(EarlyWarning.reference).where(EarlyWarning.reference.startswith(prefix))
    )
    numbers = [int(n) for ref in used if (n := ref.removeprefix(prefix)).isdigit()]
    counter = read_setting(session, _counter_key(year)).strip()
    numbers.append(int(counter) if counter.isdigit() else 0)
    return max(numbers) + 1


def next_reference(session: Session, year: int) -> str:
    """The reference the next warning created in `year` will get; reserves nothing."""
    return f"EW-{year}-{_next_number(session, year):03d}"


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningDraft:
    """What a person writes of a warning; the life cycle fields are set by the use cases."""

    title: str
    observed_on: date | None = None
    description: str = ""
    severity: Severity | None = None
    likelihood: Likelihood | None = None
    horizon: Horizon | None = None
    recommended_actions: str = ""
    confidential: bool = False
    area_ids: tuple[AreaId, ...] = ()
    group_ids: tuple[GroupId, ...] = ()
    indicator_ids: tuple[IndicatorId, ...] = ()
    risk_factor_ids: tuple[RiskFactorId, ...] = ()
    addressee_ids: tuple[InstitutionId, ...] = ()
    source_ids: tuple[SourceId, ...] = ()
    recommendation_ids: tuple[RecommendationId, ...] = ()


@dataclass(frozen=True)
class WarningState:
    """A warning's place in its life cycle, as a use case left it."""

    id: WarningId
    reference: str
    status: WarningStatus
    severity: Severity | None
    issued_on: date | None
    response_due: date | None
    closed_on: date | None


def _state(warning: EarlyWarning) -> WarningState:
    return WarningState(
        WarningId(warning.id), warning.reference, warning.status, warning.severity,
        warning.issued_on, warning.response_due, warning.closed_on,
    )


# --- drafts -----------------------------------------------------------------------------------

# (draft field, link table, column of the linked record, its model, what the field is called)
_LINKS: tuple[tuple[str, Table, str, type[Base], str], ...] = (
    ("area_ids", warning_area, "area_id", Area, N_("areas")),
    ("group_ids", warning_group, "group_id", PopulationGroup, N_("groups")),
    ("indicator_ids", warning_indicator, "indicator_id", Indicator, N_("indicators")),
    ("risk_factor_ids", warning_risk_factor, "risk_factor_id", RiskFactor, N_("risk factors")),
    ("addressee_ids", warning_addressee, "institution_id", Institution, N_("addressees")),
    ("source_ids", warning_source, "source_id", Source, N_("sources")),
    ("recommendation_ids", recommendation_warning, "recommendation_id", Recommendation,
     N_("recommendations")),
)


def _check_draft(session: Session, draft: WarningDraft) -> None:
    title = draft.title.strip()
    if not title:
        raise InputError(tr("title: a warning needs a title"))
    if len(title) > TITLE_LENGTH:
        raise InputError(tr("title: at most {most} characters, this one has {count}").format(
            most=TITLE_LENGTH, count=len(title)))
    for name, _, _, model, label in _LINKS:
        wanted = set(getattr(draft, name))
        if wanted:
            column: Any = model.id  # type: ignore[attr-defined]
            missing = len(wanted - set(session.scalars(select(column).where(column.in_(wanted)))))
            if missing == 1:
                raise InputError(tr(
                    "{field}: 1 of those chosen is no longer in the database; choose again"
                ).format(field=tr(label)))
            if missing:
                raise InputError(tr(
                    "{field}: {count} of those chosen are no longer in the database; choose again"
                ).format(field=tr(label), count=missing))


def _write_fields(warning: EarlyWarning, draft: WarningDraft) -> None:
    warning.title = draft.title.strip()
    warning.observed_on = draft.observed_on
    warning.description = draft.description
    warning.severity = draft.severity
    warning.likelihood = draft.likelihood
    warning.horizon = draft.horizon
    warning.recommended_actions = draft.recommended_actions
    warning.confidential = draft.confidential


def _write_links(session: Session, warning_id: uuid.UUID, draft: WarningDraft) -> None:
    """Replace every link of a warning with those of the draft."""
    for name, table, column, _, _ in _LINKS:
        session.execute(delete(table).where(table.c.warning_id == warning_id))
        rows = [{"warning_id": warning_id, column: x} for x in dict.fromkeys(getattr(draft, name))]
        if rows:
            session.execute(insert(table), rows)


def create_warning(session: Session, draft: WarningDraft, today: date) -> WarningState:
    """A new draft warning with its links, numbered in this year."""
    _check_draft(session, draft)
    if draft.observed_on is not None and draft.observed_on > today:
        raise InputError(tr("observed on: {day} is in the future").format(
            day=format_date(draft.observed_on)))
    number = _next_number(session, today.year)
    warning = EarlyWarning(reference=f"EW-{today.year}-{number:03d}", status=WarningStatus.DRAFT)
    _write_fields(warning, draft)
    session.add(warning)
    write_setting(session, _counter_key(today.year), str(number))
    session.flush()
    _write_links(session, warning.id, draft)
    return _state(warning)


def update_warning(session: Session, warning_id: WarningId, draft: WarningDraft) -> WarningState:
    """Rewrite a warning and its links from a draft.

    Once issued, a warning keeps its severity (it changes only by escalation, which moves the due
    day) and at least one addressee, and cannot have been observed after its issue.
    """
    warning = load_warning(session, warning_id)
    _check_draft(session, draft)
    if warning.issued_on is not None:
        if draft.severity != warning.severity:
            raise InputError(
                tr("severity: an issued warning changes severity only by escalation"))
        if not draft.addressee_ids:
            raise InputError(tr("addressees: an issued warning keeps at least one addressee"))
        if draft.observed_on is not None and draft.observed_on > warning.issued_on:
            raise InputError(tr("observed on: {day} is after the day of issue, {issued}").format(
                day=format_date(draft.observed_on), issued=format_date(warning.issued_on)))
    _write_fields(warning, draft)
    _write_links(session, warning.id, draft)
    session.flush()
    return _state(warning)


def delete_draft(session: Session, warning_id: WarningId) -> None:
    """Delete a draft warning with its links; the audit trail keeps that it was deleted.

    Only a draft: an issued warning was sent to its addressees and stays in the register (it is
    closed instead). Its reference is not given again.
    """
    warning = load_warning(session, warning_id)
    if warning.status is not WarningStatus.DRAFT:
        raise InputError(tr(
            "status: {reference} was issued on {issued}; only a draft can be deleted (close an "
            "issued warning instead)").format(
                reference=warning.reference, issued=format_date(warning.issued_on)),
            field="status")
    session.delete(warning)
    session.flush()


# --- life cycle -------------------------------------------------------------------------------


def load_warning(session: Session, warning_id: WarningId) -> EarlyWarning:
    """The record of a warning, for the use cases of this package; InputError when it is gone."""
    warning = session.get(EarlyWarning, warning_id)
    if warning is None:
        raise InputError(tr("warning: not in the register; it may have been deleted"))
    return warning


def _at(day: date) -> datetime:
    """An event's time: the day it took effect, at the time of day it was recorded (UTC), so
    that the events of one day keep their order."""
    return datetime.combine(day, utcnow().time(), tzinfo=UTC)


def _move(warning: EarlyWarning, status: WarningStatus, day: date, reason: str) -> None:
    warning.events.append(WarningEvent(
        at=_at(day), kind="status", from_value=warning.status.value, to_value=status.value,
        reason=reason,
    ))
    warning.status = status


def _check_day(warning: EarlyWarning, day: date, today: date, field: str) -> None:
    """Refuse a day in the future or before the warning; `field` is marked with N_."""
    if day > today:
        raise InputError(tr("{field}: {day} is in the future").format(
            field=tr(field), day=format_date(day)))
    if warning.issued_on is not None and day < warning.issued_on:
        raise InputError(tr("{field}: {day} is before the warning was issued, {issued}").format(
            field=tr(field), day=format_date(day), issued=format_date(warning.issued_on)))
    if warning.observed_on is not None and day < warning.observed_on:
        raise InputError(
            tr("{field}: {day} is before the situation was observed, {observed}").format(
                field=tr(field), day=format_date(day), observed=format_date(warning.observed_on)))


def issue_warning(session: Session, warning_id: WarningId, today: date) -> WarningState:
    """Send a draft to its addressees today; its response falls due after the severity's days."""
    warning = load_warning(session, warning_id)
    if warning.status is not WarningStatus.DRAFT:
        raise InputError(tr("status: {reference} was already issued on {issued}").format(
            reference=warning.reference, issued=format_date(warning.issued_on)))
    if warning.severity is None:
        raise InputError(tr("severity: choose a severity before issuing the warning"))
    addressee = session.scalar(
        select(warning_addressee.c.institution_id)
        .where(warning_addressee.c.warning_id == warning.id).limit(1)
    )
    if addressee is None:
        raise InputError(
            tr("addressees: name at least one institution to address the warning to"))
    _check_day(warning, today, today, N_("issued on"))
    warning.issued_on = today
    warning.response_due = today + timedelta(days=response_days(session)[warning.severity])
    _move(warning, WarningStatus.ISSUED, today, "Issued to the addressees.")
    session.flush()
    return _state(warning)


def record_response(
    session: Session,
    warning_id: WarningId,
    institution_id: InstitutionId,
    on: date,
    kind: ResponseKind,
    *,
    action_taken: str = "",
    outcome: str = "",
    today: date,
) -> WarningState:
    """Log what an institution did about an issued warning.

    The first acknowledgement moves an issued warning to acknowledged; the first action moves an
    issued or acknowledged one to response under way. A closed warning takes late news without
    changing its status.
    """
    warning = load_warning(session, warning_id)
    if warning.status is WarningStatus.DRAFT:
        raise InputError(tr("status: responses are recorded once the warning is issued"))
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise InputError(tr("institution: choose the institution that responded"))
    _check_day(warning, on, today, N_("date"))
    if kind is ResponseKind.ACTION and not action_taken.strip():
        raise InputError(tr("action taken: say what was done"))
    warning.responses.append(WarningResponse(
        institution_id=institution.id, on=on, kind=kind, action_taken=action_taken.strip(),
        outcome=outcome.strip(),
    ))
    if kind is ResponseKind.ACKNOWLEDGEMENT and warning.status is WarningStatus.ISSUED:
        _move(warning, WarningStatus.ACKNOWLEDGED, on, f"{institution.name} acknowledged receipt.")
    elif kind is ResponseKind.ACTION and warning.status in _AWAITING_ACTION:
        _move(warning, WarningStatus.RESPONSE_UNDER_WAY, on,
              f"{institution.name} reported a first action.")
    session.flush()
    return _state(warning)


_AWAITING_ACTION = frozenset({WarningStatus.ISSUED, WarningStatus.ACKNOWLEDGED})


def escalate(
    session: Session, warning_id: WarningId, new_severity: Severity, reason: str, today: date
) -> WarningState:
    """Raise an open warning's severity, giving the reason; the due day may come forward."""
    warning = load_warning(session, warning_id)
    if warning.status is WarningStatus.DRAFT or warning.severity is None:
        raise InputError(
            tr("status: a draft is not escalated; change its severity before issue"))
    if warning.status is WarningStatus.CLOSED:
        raise InputError(tr("status: {reference} is closed and cannot be escalated").format(
            reference=warning.reference))
    if _LEVELS.index(new_severity) <= _LEVELS.index(warning.severity):
        raise InputError(
            tr("severity: an escalation must raise the severity above {severity}").format(
                severity=severity_label(warning.severity).lower())
        )
    if not reason.strip():
        raise InputError(tr("reason: say why the warning is escalated"))
    _check_day(warning, today, today, N_("escalated on"))
    warning.events.append(WarningEvent(
        at=_at(today), kind="escalation", from_value=warning.severity.value,
        to_value=new_severity.value, reason=reason.strip(),
    ))
    warning.severity = new_severity
    due = today + timedelta(days=response_days(session)[new_severity])
    if warning.response_due is None or due < warning.response_due:
        warning.response_due = due
    session.flush()
    return _state(warning)


def close_warning(
    session: Session,
    warning_id: WarningId,
    resolution: Resolution | None,
    note: str,
    on: date,
    *,
    today: date,
) -> WarningState:
    """Close an issued warning, saying how it ended."""
    warning = load_warning(session, warning_id)
    if resolution is None:
        raise InputError(tr(
            "resolution: choose how the warning ended (resolved, escalated, no action taken or "
            "overtaken by events) before closing it"
        ))
    if warning.status is WarningStatus.DRAFT:
        raise InputError(tr("status: a draft was never issued, so it cannot be closed"))
    if warning.status is WarningStatus.CLOSED:
        raise InputError(tr("status: {reference} was already closed on {closed}").format(
            reference=warning.reference, closed=format_date(warning.closed_on)))
    _check_day(warning, on, today, N_("closed on"))
    warning.closed_on = on
    warning.resolution = resolution
    warning.resolution_note = note.strip()
    _move(warning, WarningStatus.CLOSED, on, note.strip() or f"Closed: {resolution.value}.")
    session.flush()
    return _state(warning)
