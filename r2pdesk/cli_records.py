"""The CLI's writes a secretariat scripts most, as actions of the listing commands:
`warnings add|issue|respond|escalate|close`, `recs add|progress`, `assessments new|rate`.

Without an action each command lists as before (`warnings --status issued`). Every action goes
through the core's use cases, which check everything before they write: a refusal is one line
naming the option, and the database is left as it was.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk import admin, cli_setup
from r2pdesk.assessments.models import Assessment, Confidence, Level, Phase
from r2pdesk.assessments.queries import assessment_row
from r2pdesk.assessments.scale import level_label
from r2pdesk.assessments.service import AssessmentInput, RatingInput, create_assessment, save_rating
from r2pdesk.cli_values import as_uuid, choice, codes, day, emit, ids_starting
from r2pdesk.context.models import AreaId, GroupId
from r2pdesk.context.queries import find_area, find_group
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningId,
    severity_label,
    warning_status_label,
)
from r2pdesk.earlywarning.queries import WarningDetail, warning_detail
from r2pdesk.earlywarning.service import (
    WarningDraft,
    close_warning,
    create_warning,
    escalate,
    issue_warning,
    record_response,
)
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_date, tr
from r2pdesk.institutions.models import InstitutionId
from r2pdesk.institutions.service import find_institution
from r2pdesk.lists import name_key
from r2pdesk.recommendations.models import Priority, Recommendation, RecSource, RecStatus
from r2pdesk.recommendations.queries import recommendation_detail
from r2pdesk.recommendations.service import (
    Adoption,
    ProgressInput,
    RecommendationInput,
    add_progress,
    adopt,
    create_recommendation,
    status_label,
)
from r2pdesk.reference.models import Indicator, IndicatorId, RiskFactor
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.models import SourceId
from r2pdesk.sources.queries import find_source
from r2pdesk.store import Store

AddCommon = Callable[..., None]
Command = Callable[[argparse.Namespace, Store], None]


# --- naming records on the command line ------------------------------------------------------


def _institution(session: Session, name: str, field: str) -> InstitutionId:
    found = find_institution(session, name)
    if found is None:
        raise InputError(tr("{field}: no institution is named {name}").format(
            field=field, name=repr(name)), field=field)
    return found.id


def _indicator(session: Session, code: str, version_id: uuid.UUID | None) -> Indicator:
    """The indicator with this code ("7.4") in a framework version (default: the Framework of
    Analysis in use)."""
    if version_id is None:
        version = default_framework_version(session)
        version_id = None if version is None else version.id
    found = session.scalar(select(Indicator).join(RiskFactor).where(
        RiskFactor.version_id == version_id, Indicator.code == code.strip()))
    if found is None:
        raise InputError(tr("indicator: no indicator has the code {code}").format(
            code=repr(code)), field="indicator")
    return found


# The kinds of record a refusal names, in the language in use.
KIND_WORDS = {"warning": N_("warning"), "recommendation": N_("recommendation"),
              "assessment": N_("assessment")}


def _by_prefix(session: Session, column: Any, text: str, field: str) -> uuid.UUID | None:
    """The one record whose id begins with `text` (8 hex digits or more), None when none does."""
    found = ids_starting(session.scalars(select(column)), text)
    if len(found) > 1:
        raise InputError(tr("{field}: several ids begin with {value}; give more of it").format(
            field=tr(KIND_WORDS[field]), value=repr(text)), field=field)
    return found[0] if found else None


def _warning(session: Session, text: str) -> WarningId:
    """A warning named by its reference (EW-2026-001), its id or the start of its id."""
    wanted = as_uuid(text)
    if wanted is None or session.get(EarlyWarning, wanted) is None:
        wanted = session.scalar(select(EarlyWarning.id).where(
            func.upper(EarlyWarning.reference) == text.strip().upper()))
    if wanted is None:
        wanted = _by_prefix(session, EarlyWarning.id, text, "warning")
    if wanted is None:
        raise InputError(tr("warning: no warning has the reference or id {value}").format(
            value=repr(text)), field="warning")
    return WarningId(wanted)


def _recommendation(session: Session, text: str) -> uuid.UUID:
    """A recommendation named by its id or the start of it, the catalogue id it was adopted
    from, or the first words of its text when only one begins with them."""
    wanted = as_uuid(text)
    if wanted is not None and session.get(Recommendation, wanted) is not None:
        return wanted
    wanted = _by_prefix(session, Recommendation.id, text, "recommendation") or session.scalar(
        select(Recommendation.id).where(
            func.upper(Recommendation.catalogue_id) == text.strip().upper()))
    if wanted is not None:
        return wanted
    key = name_key(text)
    begun = [rec_id for rec_id, words in session.execute(
        select(Recommendation.id, Recommendation.text)) if key and name_key(words).startswith(key)]
    if len(begun) > 1:
        raise InputError(tr("recommendation: several begin with {value}; give more words or the "
                            "id").format(value=repr(text)), field="recommendation")
    if not begun:
        raise InputError(tr("recommendation: none has the id, catalogue id or first words "
                            "{value}").format(value=repr(text)), field="recommendation")
    return begun[0]


def _assessment(session: Session, text: str) -> Assessment:
    """An assessment named by its id or the start of it, or by its title when only one has it."""
    wanted = as_uuid(text)
    found = None if wanted is None else session.get(Assessment, wanted)
    if found is None:
        prefix = _by_prefix(session, Assessment.id, text, "assessment")
        found = None if prefix is None else session.get(Assessment, prefix)
    if found is None:
        titled = [a for a in session.scalars(select(Assessment))
                  if name_key(a.title) == name_key(text)]
        if len(titled) > 1:
            raise InputError(tr("{field}: several are named {name}; give the id").format(
                field=tr(KIND_WORDS["assessment"]), name=repr(text)), field="assessment")
        found = titled[0] if titled else None
    if found is None:
        raise InputError(tr("assessment: none has the id or title {value}").format(
            value=repr(text)), field="assessment")
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _warning_json(detail: WarningDetail) -> dict[str, Any]:
    data: dict[str, Any] = _plain(dataclasses.asdict(detail))
    for links in ("areas", "groups", "indicators", "risk_factors", "addressees",
                  "recommendations"):
        data[links] = [x["label"] for x in data[links]]
    data["sources"] = [s["title"] for s in data["sources"]]
    return data


# --- warnings ---------------------------------------------------------------------------------


def _draft(session: Session, args: argparse.Namespace) -> WarningDraft:
    return WarningDraft(
        title=args.title or "",
        observed_on=day(args.observed, "observed on"),
        description=args.description,
        severity=choice(Severity, args.severity, "severity"),
        likelihood=choice(Likelihood, args.likelihood, "likelihood"),
        horizon=choice(Horizon, args.horizon, "horizon"),
        recommended_actions=args.actions,
        confidential=args.confidential,
        area_ids=tuple(AreaId(find_area(session, a).id) for a in args.area),
        group_ids=tuple(GroupId(find_group(session, g).id) for g in args.group),
        indicator_ids=tuple(IndicatorId(_indicator(session, c, None).id)
                            for c in args.indicator),
        addressee_ids=tuple(_institution(session, a, "addressee") for a in args.addressee),
        source_ids=tuple(SourceId(find_source(session, s).id) for s in args.source),
    )


def _warning_action(args: argparse.Namespace, session: Session, today: date) -> WarningId:
    if args.action == "add":
        return create_warning(session, _draft(session, args), today).id
    warning = _warning(session, args.warning)
    if args.action == "issue":
        return issue_warning(session, warning, today).id
    if args.action == "close":
        return close_warning(session, warning, choice(Resolution, args.resolution, "resolution"),
                             args.note, day(args.date, "date") or today, today=today).id
    if args.action == "escalate":
        severity = choice(Severity, args.severity, "severity")
        if severity is None:
            raise InputError(tr("severity: give the severity it rises to ({choices})").format(
                choices=codes(Severity)), field="severity")
        return escalate(session, warning, severity, args.reason, today).id
    kind = choice(ResponseKind, args.kind, "kind") or ResponseKind.ACKNOWLEDGEMENT
    return record_response(
        session, warning, _institution(session, args.institution or "", "institution"),
        day(args.date, "date") or today, kind, action_taken=args.text, outcome=args.outcome,
        today=today).id


def cmd_warning_action(args: argparse.Namespace, store: Store) -> None:
    """Add a draft warning, issue, escalate or close one, or record an institution's response
    to one."""
    today = date.today()
    with store.session() as session:
        found = warning_detail(session, _warning_action(args, session, today))
    done = {"add": tr("{reference}: draft added ({title})"),
            "issue": tr("{reference}: issued, response due {due} ({title})"),
            "respond": tr("{reference}: response recorded, now {status} ({title})"),
            "escalate": tr("{reference}: escalated to {severity}, response due {due} ({title})"),
            "close": tr("{reference}: closed ({title})")}[args.action]
    emit(args, _warning_json(found), lambda: done.format(
        reference=found.reference, title=found.title, due=format_date(found.response_due),
        status=warning_status_label(found.status),
        severity=severity_label(found.severity) if found.severity else "-"))


# --- recommendations --------------------------------------------------------------------------


def _add_recommendation(args: argparse.Namespace, session: Session, today: date) -> uuid.UUID:
    lead = None if args.lead is None else _institution(session, args.lead, "lead")
    made = day(args.made, "made on") or today
    due = day(args.due, "due")
    priority = choice(Priority, args.priority, "priority") or Priority.MEDIUM
    if args.adopt is not None:
        return adopt(session, [args.adopt.strip()], Adoption(
            made_on=made, lead_institution_id=lead, priority=priority, due_on=due))[0]
    return create_recommendation(session, RecommendationInput(
        text=args.text or "", made_on=made,
        source=choice(RecSource, args.source, "source") or RecSource.COMMITTEE,
        source_reference=args.reference, lead_institution_id=lead, priority=priority,
        due_on=due, confidential=args.confidential))


def cmd_rec_action(args: argparse.Namespace, store: Store) -> None:
    """Add a recommendation (or adopt one from the catalogue), or record progress on one."""
    today = date.today()
    with store.session() as session:
        if args.action == "add":
            rec_id = _add_recommendation(args, session, today)
        else:
            rec_id = _recommendation(session, args.recommendation)
            status = choice(RecStatus, args.status, "status")
            if status is None:
                raise InputError(tr("status: give the status reached ({choices})").format(
                    choices=codes(RecStatus)), field="status")
            add_progress(session, rec_id, ProgressInput(
                on=day(args.date, "date") or today, status=status, narrative=args.note,
                reported_by=args.reported_by), today=today)
        detail = recommendation_detail(session, rec_id, today=today)
    data = {**detail.row.as_json(), "progress": [
        {"on": u.on.isoformat(), "status": u.status.value, "note": u.narrative,
         "reported_by": u.reported_by, "author": u.author} for u in detail.timeline]}
    done = (tr("recommendation added: {text}") if args.action == "add"
            else tr("progress recorded, now {status}: {text}"))
    emit(args, data, lambda: done.format(status=status_label(detail.row.status),
                                         text=detail.row.text))


# --- assessments ------------------------------------------------------------------------------


def _new_assessment(args: argparse.Namespace, session: Session) -> uuid.UUID:
    start, end = day(args.start, "start"), day(args.end, "end")
    if start is None or end is None:
        raise InputError(tr("period: give --start and --end (YYYY-MM-DD)"), field="period")
    area = None if args.area is None else find_area(session, args.area).id
    return create_assessment(session, AssessmentInput(
        title=args.title or "", period_start=start, period_end=end, area_id=area,
        phase=choice(Phase, args.phase, "phase") or Phase.STABILITY, authors=args.authors,
        summary=args.summary))


@dataclasses.dataclass(frozen=True)
class _Rated:
    code: str
    level: Level


def _rate(args: argparse.Namespace, session: Session) -> tuple[uuid.UUID, _Rated]:
    assessment = _assessment(session, args.assessment)
    indicator = _indicator(session, args.indicator or "", assessment.framework_version_id)
    level = choice(Level, args.level, "level")
    if level is None:
        raise InputError(tr("level: give the level ({choices})").format(choices=codes(Level)),
                         field="level")
    save_rating(session, assessment.id, RatingInput(
        risk_factor_id=indicator.risk_factor_id, indicator_id=indicator.id, level=level,
        confidence=choice(Confidence, args.confidence, "confidence"), evidence=args.evidence,
        source_ids=tuple(find_source(session, s).id for s in args.source),
        confidential=args.confidential))
    return assessment.id, _Rated(indicator.code, level)


def cmd_assessment_action(args: argparse.Namespace, store: Store) -> None:
    """Create an assessment, or rate one of its indicators."""
    with store.session() as session:
        if args.action == "new":
            row = assessment_row(session, _new_assessment(args, session))
        else:
            assessment_id, rated = _rate(args, session)
            row = assessment_row(session, assessment_id)
    data: dict[str, object] = row.as_json()
    if args.action == "new":
        emit(args, data, lambda: tr("assessment created: {title}, {start} to {end}").format(
            title=row.title, start=format_date(row.period_start),
            end=format_date(row.period_end)))
        return
    data["rated"] = {"indicator": rated.code, "level": rated.level.value}
    emit(args, data, lambda: tr("rated {indicator}: {level}; overall {overall}").format(
        indicator=rated.code, level=level_label(rated.level),
        overall=level_label(row.effective_level)))


# --- parsers ----------------------------------------------------------------------------------


def _warning_parsers(actions: Any) -> list[argparse.ArgumentParser]:
    add = actions.add_parser("add", help="add a draft warning")
    add.add_argument("--title")
    add.add_argument("--description", default="")
    add.add_argument("--severity", metavar="CODE", help=codes(Severity))
    add.add_argument("--likelihood", metavar="CODE", help=codes(Likelihood))
    add.add_argument("--horizon", metavar="CODE", help=codes(Horizon))
    add.add_argument("--observed", metavar="YYYY-MM-DD", help="when the situation was observed")
    add.add_argument("--actions", default="", help="the actions recommended")
    for option, what in (("--area", "an area (name, code or path)"),
                         ("--group", "a population group"),
                         ("--indicator", "an indicator's code in the framework, e.g. 7.4"),
                         ("--source", "a source's name"),
                         ("--addressee", "an institution it is addressed to")):
        add.add_argument(option, action="append", default=[], help=what + "; repeatable")
    add.add_argument("--confidential", action="store_true")
    issue = actions.add_parser("issue", help="issue a draft to its addressees today")
    respond = actions.add_parser("respond", help="record an institution's response")
    escalated = actions.add_parser("escalate", help="raise an open warning's severity")
    closed = actions.add_parser("close", help="close an issued warning, saying how it ended")
    for sub in (issue, respond, escalated, closed):
        sub.add_argument("warning", metavar="REF", help="the warning's reference or id")
    escalated.add_argument("--severity", metavar="CODE", help=codes(Severity))
    escalated.add_argument("--reason", default="", help="why it is escalated")
    closed.add_argument("--resolution", metavar="CODE", help=codes(Resolution))
    closed.add_argument("--note", default="", help="how it ended, in words")
    closed.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    respond.add_argument("--institution", metavar="NAME")
    respond.add_argument("--kind", metavar="CODE", help=codes(ResponseKind))
    respond.add_argument("--text", default="", help="the action taken")
    respond.add_argument("--outcome", default="")
    respond.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    return [add, issue, respond, escalated, closed]


def _rec_parsers(actions: Any) -> list[argparse.ArgumentParser]:
    add = actions.add_parser("add", help="add a recommendation, or adopt one (--adopt)")
    add.add_argument("--text")
    add.add_argument("--source", metavar="CODE", help=codes(RecSource))
    add.add_argument("--reference", default="", help="where it was made: report, paragraph")
    add.add_argument("--adopt", metavar="CATALOGUE_ID", help="adopt this catalogue recommendation")
    add.add_argument("--lead", metavar="INSTITUTION")
    add.add_argument("--made", metavar="YYYY-MM-DD", help="default: today")
    add.add_argument("--due", metavar="YYYY-MM-DD")
    add.add_argument("--priority", metavar="CODE", help=codes(Priority))
    add.add_argument("--confidential", action="store_true")
    progress = actions.add_parser("progress", help="record progress on a recommendation")
    progress.add_argument("recommendation", metavar="REC",
                          help="its id (8 characters are enough), catalogue id or first words")
    progress.add_argument("--status", metavar="CODE", help=codes(RecStatus))
    progress.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    progress.add_argument("--note", default="")
    progress.add_argument("--reported-by", default="")
    return [add, progress]


def _assessment_parsers(actions: Any) -> list[argparse.ArgumentParser]:
    new = actions.add_parser("new", help="create a draft assessment")
    new.add_argument("--title")
    new.add_argument("--start", metavar="YYYY-MM-DD")
    new.add_argument("--end", metavar="YYYY-MM-DD")
    scope = new.add_mutually_exclusive_group()
    scope.add_argument("--area", help="the area assessed")
    scope.add_argument("--national", action="store_true", help="the whole country (the default)")
    new.add_argument("--phase", metavar="CODE", help=codes(Phase))
    new.add_argument("--authors", default="")
    new.add_argument("--summary", default="")
    rate = actions.add_parser("rate", help="rate one indicator of an assessment")
    rate.add_argument("assessment", metavar="ASSESSMENT",
                      help="its id (8 characters are enough) or its title")
    rate.add_argument("--indicator", metavar="CODE", help="e.g. 7.4")
    rate.add_argument("--level", metavar="CODE", help=codes(Level))
    rate.add_argument("--evidence", default="")
    rate.add_argument("--confidence", metavar="CODE", help=codes(Confidence))
    rate.add_argument("--source", action="append", default=[], help="a source's name; repeatable")
    rate.add_argument("--confidential", action="store_true")
    return [new, rate]


PARSERS = {"warnings": _warning_parsers, "recs": _rec_parsers,
           "assessments": _assessment_parsers}
ACTIONS: dict[str, Command] = {"warnings": cmd_warning_action, "recs": cmd_rec_action,
                               "assessments": cmd_assessment_action}


def add_actions(listings: dict[str, argparse.ArgumentParser], add_common: AddCommon) -> None:
    """Give the listing commands their writing actions (the listing stays the default)."""
    for name, listing in listings.items():
        actions = listing.add_subparsers(dest="action", parser_class=type(listing))
        for sub in PARSERS[name](actions):
            add_common(sub, top=False)


def writer_lock(args: argparse.Namespace, path: Path, member: str) -> AbstractContextManager[None]:
    """The database's lock for this command line: taken by the actions that write, not by the
    listings of the same commands (`warnings`, `members list` ...)."""
    if args.command in ACTIONS:
        writes = action_for(args) is not None
    elif args.command in cli_setup.COMMANDS:
        writes = cli_setup.writes(args)
    else:
        return admin.writer_lock(args, path, member)
    # The lock is decided by the command's name: one that lists is among those that only read.
    named = argparse.Namespace(command=f"{args.command}:write" if writes else "stats")
    return admin.writer_lock(named, path, member)


def action_for(args: argparse.Namespace) -> Command | None:
    """The writing action this command line asks for, or None for a listing."""
    if args.command in ACTIONS and getattr(args, "action", None):
        return ACTIONS[args.command]
    return None
