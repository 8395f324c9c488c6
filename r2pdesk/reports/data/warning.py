"""The data of an early-warning note: one warning, as issued to its addressees."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from r2pdesk.assessments.queries import SOURCE_KINDS
from r2pdesk.earlywarning.models import (
    ResponseKind,
    Severity,
    WarningId,
    WarningStatus,
    horizon_label,
    likelihood_label,
    resolution_label,
)
from r2pdesk.earlywarning.queries import (
    framework_texts,
    warning_detail,
)
from r2pdesk.earlywarning.timing import Reply, Timeline, is_overdue
from r2pdesk.errors import InputError
from r2pdesk.i18n import tr
from r2pdesk.reports.base import Marking, ReportMeta
from r2pdesk.reports.data.common import (
    report_meta,
)
from r2pdesk.reports.text import lower_first, short_date
from r2pdesk.sources.models import Confidentiality

# --- early-warning note -------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    """A source as a note cites it: title, kind and grading; never who the informant is."""

    title: str
    kind: str
    grading: str  # reliability letter and credibility digit, "B2"


@dataclass(frozen=True)
class Addressee:
    """An institution a warning is addressed to, and how it answered."""

    name: str
    reply: str


@dataclass(frozen=True)
class WarningNote:
    """One early warning, as issued to its addressees."""

    meta: ReportMeta
    reference: str
    title: str
    severity: Severity | None
    likelihood: str
    horizon: str
    status: WarningStatus
    observed: date | None
    issued: date | None
    response_due: date | None
    overdue: bool
    description: str
    actions: str
    areas: tuple[str, ...]
    groups: tuple[str, ...]
    indicators: tuple[tuple[str, str], ...]  # (code, text)
    risk_factors: tuple[tuple[str, str], ...]  # (code, title)
    addressees: tuple[Addressee, ...]
    sources: tuple[SourceLine, ...]
    withheld_sources: int
    closed_on: date | None
    resolution: str
    resolution_note: str


def _answers(detail_responses: Sequence[tuple[str, date, ResponseKind]], name: str) -> str:
    mine = [(on, kind) for who, on, kind in detail_responses if who == name]
    actions = [on for on, kind in mine if kind is ResponseKind.ACTION]
    if actions:
        return tr("Action reported on {date}").format(date=short_date(min(actions)))
    if mine:
        return tr("Receipt acknowledged on {date}").format(
            date=short_date(min(on for on, _ in mine)))
    return tr("No reply yet")


def warning_note_data(
    session: Session, warning_id: uuid.UUID, today: date, include_confidential: bool = False,
    *, marking: Marking | None = None,
) -> WarningNote:
    """One warning's note; a confidential warning only with `include_confidential`."""
    detail = warning_detail(session, WarningId(warning_id))
    if detail.confidential and not include_confidential:
        raise InputError(tr(
            "warning {reference} is confidential: include confidential records to print it (the "
            "marking becomes CONFIDENTIAL)").format(reference=detail.reference))
    texts = framework_texts(session, detail)
    replies = tuple(Reply(r.on, r.kind) for r in detail.responses)
    shown = [s for s in detail.sources
             if include_confidential or s.confidentiality is not Confidentiality.CONFIDENTIAL]
    responses = [(r.institution, r.on, r.kind) for r in detail.responses]
    return WarningNote(
        meta=report_meta(session, tr("Early-warning note"), f"{detail.reference}: {detail.title}",
                         "", today=today, marking=marking,
                         include_confidential=include_confidential),
        reference=detail.reference, title=detail.title, severity=detail.severity,
        likelihood=lower_first(likelihood_label(detail.likelihood)) if detail.likelihood else "",
        horizon=lower_first(horizon_label(detail.horizon)) if detail.horizon else "",
        status=detail.status,
        observed=detail.observed, issued=detail.issued, response_due=detail.response_due,
        overdue=is_overdue(Timeline(detail.status, detail.issued, detail.response_due, replies),
                           today),
        description=detail.description, actions=detail.recommended_actions,
        areas=tuple(a.label for a in detail.areas), groups=tuple(g.label for g in detail.groups),
        indicators=tuple((i.label, texts.get(i.id, "")) for i in detail.indicators),
        risk_factors=tuple((f.label, texts.get(f.id, "")) for f in detail.risk_factors),
        addressees=tuple(Addressee(a.label, _answers(responses, a.label))
                         for a in detail.addressees),
        sources=tuple(SourceLine(s.title, tr(SOURCE_KINDS[s.kind]),
                                 f"{s.reliability}{s.credibility}")
                      for s in shown),
        withheld_sources=len(detail.sources) - len(shown),
        closed_on=detail.closed_on,
        resolution=lower_first(resolution_label(detail.resolution)) if detail.resolution else "",
        resolution_note=detail.resolution_note,
    )
