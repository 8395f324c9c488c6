"""The reports r2pdesk prints, by kind, and the one function that makes any of them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment
from r2pdesk.dashboard import latest_assessment
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.errors import InputError
from r2pdesk.i18n import report_language, speaking, tr
from r2pdesk.institutions.service import find_institution
from r2pdesk.reports.assessment_report import AssessmentRenderer
from r2pdesk.reports.base import Marking, Renderer
from r2pdesk.reports.data import (
    assessment_report_data,
    implementation_data,
    ministry_brief_data,
    regional_brief_data,
    warning_note_data,
)
from r2pdesk.reports.implementation import ImplementationRenderer
from r2pdesk.reports.ministry_brief import MinistryBriefRenderer
from r2pdesk.reports.regional_brief import RegionalBriefRenderer
from r2pdesk.reports.warning_note import WarningNoteRenderer


@dataclass(frozen=True)
class ReportRequest:
    """What a person asked for: the day, the institution or record, the marking, redaction."""

    today: date
    institution: str | None = None  # a name or an acronym
    record_id: str | None = None  # a warning's id or reference, an assessment's id
    marking: Marking | None = None
    include_confidential: bool = False


Builder = Callable[[Session, ReportRequest], Any]


def _ministry(session: Session, request: ReportRequest) -> Any:
    if not request.institution or not request.institution.strip():
        raise InputError(tr("a ministry brief is for one institution: give its name or acronym"))
    found = find_institution(session, request.institution)
    if found is None:
        raise InputError(tr("no institution is named {name}").format(
            name=repr(request.institution.strip())))
    return ministry_brief_data(session, found.id, request.today, request.include_confidential,
                               marking=request.marking)


def _regional(session: Session, request: ReportRequest) -> Any:
    return regional_brief_data(session, request.today, request.include_confidential,
                               marking=request.marking)


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


def _warning(session: Session, request: ReportRequest) -> Any:
    if not request.record_id or not request.record_id.strip():
        raise InputError(tr("a warning note is for one warning: give its reference or id"))
    wanted = request.record_id.strip()
    found = _as_uuid(wanted)
    if found is None or session.get(EarlyWarning, found) is None:
        found = session.scalar(select(EarlyWarning.id).where(
            func.upper(EarlyWarning.reference) == wanted.upper()))
    if found is None:
        raise InputError(tr("no warning has the reference or id {wanted}").format(
            wanted=repr(wanted)))
    return warning_note_data(session, found, request.today, request.include_confidential,
                             marking=request.marking)


def _assessment(session: Session, request: ReportRequest) -> Any:
    if request.record_id is None:
        latest = latest_assessment(session)
        if latest is None:
            raise InputError(tr("there is no validated or submitted assessment: give an id"))
        chosen = latest.id
    else:
        wanted = request.record_id.strip()
        found = _as_uuid(wanted)
        if found is None or session.get(Assessment, found) is None:
            raise InputError(tr("no assessment has the id {wanted}").format(wanted=repr(wanted)))
        chosen = found
    return assessment_report_data(session, chosen, request.today, request.include_confidential,
                                  marking=request.marking)


def _implementation(session: Session, request: ReportRequest) -> Any:
    return implementation_data(session, request.today, request.include_confidential,
                               marking=request.marking)


# kind -> (builds the data from the database, lays it out)
REPORTS: dict[str, tuple[Builder, type[Renderer[Any]]]] = {
    "ministry-brief": (_ministry, MinistryBriefRenderer),
    "regional-brief": (_regional, RegionalBriefRenderer),
    "warning-note": (_warning, WarningNoteRenderer),
    "assessment": (_assessment, AssessmentRenderer),
    "implementation": (_implementation, ImplementationRenderer),
}


def generate(
    session: Session, kind: str, *, today: date, institution: str | None = None,
    record_id: str | uuid.UUID | None = None, marking: Marking | None = None,
    include_confidential: bool = False, progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One report as PDF bytes; InputError names what is missing or unknown.

    `progress(done, total)` hears how the layout goes (see `Renderer.render`); what it raises
    (a cancel) ends the work there."""
    if kind not in REPORTS:
        raise InputError(tr("no report is called {kind}: choose one of {kinds}").format(
            kind=repr(kind), kinds=", ".join(REPORTS)))
    build, renderer = REPORTS[kind]
    request = ReportRequest(today, institution, None if record_id is None else str(record_id),
                            marking, include_confidential)
    with speaking(report_language()):  # Arabic cannot be printed yet: such reports are English
        if progress is not None:
            progress(0, 1)  # reading the data is next: a cancel asked by now stops before it
        data = build(session, request)
        if progress is not None:
            progress(0, 1)
        return renderer(data).render(progress)
