"""Writing the demo country into a database: records first, then the links between them."""


from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    Assessment,
    AssessmentStatus,
    Confidence,
    Level,
    Phase,
    Rating,
    ResilienceRating,
    assessment_warning,
    rating_area,
    rating_group,
    rating_source,
)
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.demo.data import (
    _AREAS,
    _ASSESSMENT_WARNINGS,
    _CATALOGUE_RECS,
    _ESCALATIONS,
    _GROUPS,
    _INSTITUTIONS,
    _MEMBERS,
    _OWN_RECS,
    _RATING_LINKS,
    _RATINGS,
    _REGIONAL,
    _REGIONAL_DEFAULT,
    _RESILIENCE,
    _RESPONSES,
    _SOURCES,
    _WARNINGS,
    ANALYST,
    CHAIR,
    COMMITTEE_NAME,
    DEMO_NOTICE,
    EXPERT,
    FRAMEWORK_CODE,
    LEVEL_ORDER,
    RESPONSE_DAYS,
    SECRETARY,
    R,
    W,
    _Rec,
    _Warning,
)
from r2pdesk.demo.evidence import attach_evidence
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    WarningEvent,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_area,
    warning_group,
    warning_indicator,
    warning_risk_factor,
    warning_source,
)
from r2pdesk.errors import KnownError
from r2pdesk.institutions.models import FocalPoint, Institution
from r2pdesk.members.models import Member, Setting
from r2pdesk.recommendations.models import (
    ProgressUpdate,
    Recommendation,
    RecSource,
    RecStatus,
    recommendation_assessment,
    recommendation_risk_factor,
    recommendation_supporter,
    recommendation_warning,
)
from r2pdesk.reference.models import (
    CatalogueRecommendation,
    Framework,
    FrameworkVersion,
    Indicator,
    RiskFactor,
)
from r2pdesk.sources.models import Source
from r2pdesk.store import write_setting

# --- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind the demo wrote."""

    areas: int
    groups: int
    institutions: int
    focal_points: int
    members: int
    sources: int
    assessments: int
    ratings: int
    resilience_ratings: int
    warnings: int
    warning_responses: int
    warning_events: int
    recommendations: int
    progress_updates: int
    evidence_files: int


    def as_dict(self) -> dict[str, int]:
        """The counts by kind."""
        return dict(asdict(self))


_SUMMARY_FIELDS = tuple(DemoSummary.__dataclass_fields__)


@dataclass
class _Demo:
    """What has been written so far, by key, for the links between records."""

    session: Session
    today: date
    version: FrameworkVersion
    factors: dict[int, RiskFactor]
    indicators: dict[str, Indicator]
    areas: dict[str, Area] = field(default_factory=dict)
    groups: dict[str, PopulationGroup] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    contacts: dict[str, str] = field(default_factory=dict)  # institution key -> focal point
    sources: dict[str, Source] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    warnings: dict[str, EarlyWarning] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def tally(self, kind: str, number: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + number

    def add(self, kind: str, *records: object) -> None:
        self.session.add_all(records)
        self.tally(kind, len(records))


def _link(session: Session, table: Table, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Rows of an association table, in its column order, without duplicates."""
    left, right = (column.name for column in table.columns)
    rows = [{left: a, right: b} for a, b in dict.fromkeys(pairs)]
    if rows:
        session.execute(table.insert(), rows)


def should_offer_demo(session: Session) -> bool:
    """Whether the demo may be added: the database holds neither the demo nor real work."""
    try:
        _refuse_if_not_empty(session)
    except KnownError:
        return False
    return True


def _refuse_if_not_empty(session: Session) -> None:
    if session.get(Setting, "demo") is not None:
        raise KnownError("This database already holds the demo country; it is not loaded twice.")
    for model in (Institution, Recommendation, EarlyWarning, Assessment):
        if session.scalar(select(model.id).limit(1)) is not None:
            raise KnownError(
                "This database already holds the committee's own records; load the demo into a "
                "new, empty database so that it never mixes with real work."
            )


def _framework(session: Session) -> FrameworkVersion:
    version = session.scalars(
        select(FrameworkVersion)
        .join(Framework, FrameworkVersion.framework_id == Framework.id)
        .where(Framework.code == FRAMEWORK_CODE)
        .order_by(FrameworkVersion.version.desc())
    ).first()
    if version is None or len(version.risk_factors) != 14:
        raise KnownError("The Framework of Analysis is missing from this database; reload the "
                         "reference data before loading the demo.")
    return version


def _start(session: Session, today: date) -> _Demo:
    version = _framework(session)
    factors = {factor.number: factor for factor in version.risk_factors}
    indicators = {ind.code: ind for factor in version.risk_factors for ind in factor.indicators}
    return _Demo(session, today, version, factors, indicators)


def _add_people(demo: _Demo) -> None:
    demo.add("members", *(
        Member(name=name, role=role, affiliation=affiliation, email=email,
               constituency=constituency, author=SECRETARY)
        for name, role, affiliation, email, constituency in _MEMBERS
    ))
    for key, name, level, code, parent, notes in _AREAS:
        area = Area(name=name, level=level, code=code, notes=notes, author=SECRETARY,
                    parent=demo.areas[parent] if parent else None)
        demo.areas[key] = area
        demo.add("areas", area)
    for key, name, kind, description in _GROUPS:
        demo.groups[key] = PopulationGroup(name=name, kind=kind, description=description,
                                           author=ANALYST)
        demo.add("groups", demo.groups[key])


def _add_institutions(demo: _Demo) -> None:
    for number, (key, name, acronym, kind, email, notes, contacts) in enumerate(_INSTITUTIONS):
        institution = Institution(
            name=name, acronym=acronym, kind=kind, email=email, notes=notes,
            phone=f"+000 21 555 {number:02d}00", author=SECRETARY,
        )
        points = [
            FocalPoint(name=person, title=title, email=mail, author=SECRETARY,
                       phone=f"+000 21 555 {number:02d}{index:02d}")
            for index, (person, title, mail) in enumerate(contacts, start=1)
        ]
        institution.focal_points.extend(points)
        demo.institutions[key] = institution
        demo.contacts[key] = contacts[0][0]
        demo.add("institutions", institution)
        demo.tally("focal_points", len(points))


def _add_sources(demo: _Demo) -> None:
    for key, title, kind, rel, cred, conf, ago, identity, reference in _SOURCES:
        demo.sources[key] = Source(
            title=title, kind=kind, reliability=rel, credibility=cred, confidentiality=conf,
            identity=identity, reference=reference, obtained_on=demo.day(-ago), author=ANALYST,
        )
        demo.add("sources", demo.sources[key])


def _months_before(first: date, months: int) -> date:
    """The first day of the month `months` before the month starting on `first`."""
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _half_years(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The committee's two last six-month periods, ending with the last complete month."""
    current = today.replace(day=1)
    latest = _months_before(current, 6)
    previous = _months_before(latest, 6)
    one = timedelta(days=1)
    return (previous, latest - one), (latest, current - one)


def _label(period: tuple[date, date]) -> str:
    start, end = period
    return f"{start:%B %Y} to {end:%B %Y}"


def _rating_rows(which: str) -> list[tuple[str, Level, Confidence, str]]:
    """(code, level, confidence, evidence) of every rating of one of the three assessments."""
    rows = []
    for code, before, after, confidence, old, new in _RATINGS:
        if which == "previous":
            rows.append((code, before, confidence, old))
        elif which == "latest":
            rows.append((code, after, confidence, new))
        else:
            level, text = _REGIONAL.get(code, (after, f"{_REGIONAL_DEFAULT} {new}"))
            rows.append((code, level, confidence, text))
    return rows


def _highest(levels: Iterable[Level]) -> Level:
    return max(levels, key=LEVEL_ORDER.index, default=Level.NOT_ASSESSED)


def _rate(demo: _Demo, assessment: Assessment, which: str) -> list[tuple[str, Rating]]:
    rated = []
    for code, level, confidence, evidence in _rating_rows(which):
        indicator = None if code.startswith("RF") else demo.indicators[code]
        number = int(code.removeprefix("RF").split(".")[0])
        sources = _RATING_LINKS.get(code, ((), (), ()))[2]
        rating = Rating(
            risk_factor_id=demo.factors[number].id,
            indicator_id=indicator.id if indicator else None,
            level=level, confidence=confidence, evidence=evidence,
            confidential="informant" in sources, author=assessment.author,
        )
        assessment.ratings.append(rating)
        rated.append((code, rating))
    _explain_factors_above_indicators(rated)
    demo.tally("ratings", len(rated))
    return rated


def _explain_factors_above_indicators(rated: list[tuple[str, Rating]]) -> None:
    """A factor rated above its highest indicator keeps that level as a justified override."""
    for code, rating in rated:
        if not code.startswith("RF"):
            continue
        prefix = f"{code.removeprefix('RF')}."
        derived = _highest(r.level for c, r in rated if c.startswith(prefix))
        if LEVEL_ORDER.index(derived) < LEVEL_ORDER.index(rating.level) and derived is not (
            Level.NOT_ASSESSED
        ):
            rating.override_level = rating.level
            rating.override_justification = (
                "The indicators rated so far do not cover all of this risk factor (the "
                f"Framework's list is partial): {rating.evidence}"
            )
            rating.level = derived


def _resilience(demo: _Demo, assessment: Assessment, which: str) -> None:
    codes = {factor.code: factor for factor in demo.version.resilience_factors}
    for code, before, after, old, new in _RESILIENCE:
        previous = which == "previous"
        assessment.resilience.append(ResilienceRating(
            resilience_factor_id=codes[code].id, strength=before if previous else after,
            notes=old if previous else new, author=assessment.author,
        ))
    demo.tally("resilience_ratings", len(_RESILIENCE))


def _link_ratings(demo: _Demo, rated: list[tuple[str, Rating]]) -> None:
    groups, areas, sources = [], [], []
    for code, rating in rated:
        group_keys, area_keys, source_keys = _RATING_LINKS.get(code, ((), (), ()))
        groups += [(rating.id, demo.groups[key].id) for key in group_keys]
        areas += [(rating.id, demo.areas[key].id) for key in area_keys]
        sources += [(rating.id, demo.sources[key].id) for key in source_keys]
    _link(demo.session, rating_group, groups)
    _link(demo.session, rating_area, areas)
    _link(demo.session, rating_source, sources)


_SUMMARIES = {
    "previous": (
        "Risk remains moderate overall. Armed clashes are confined to Dravik district, but the "
        "state of emergency, disputes over land and the contested census questions call for "
        "close monitoring of Velmora region."
    ),
    "latest": (
        "Risk has risen to high. Clashes spread to Ostrel, armed self-defence groups have "
        "formed, and calls to violence against Dravi herders accompany the local election "
        "campaign. Humanitarian access improved under the new arrangement."
    ),
    "regional": (
        "Velmora is in active crisis: near-daily clashes in two districts and armed self-defence "
        "groups. Signs specific to atrocity crimes remain low but are rising in Kesh Valley."
    ),
}
_OVERRIDE = (
    "The severe rating of risk factor 1 reflects armed clashes confined to two districts; signs "
    "specific to atrocity crimes (risk factors 10 to 12) remain low, so the committee rates the "
    "overall risk high rather than severe."
)


def _add_assessment(demo: _Demo, which: str, period: tuple[date, date]) -> None:
    regional = which == "regional"
    title = f"{'Velmora regional' if regional else 'National'} risk assessment, {_label(period)}"
    assessment = Assessment(
        title=title, area_id=demo.areas["velmora"].id if regional else None,
        period_start=period[0], period_end=period[1], framework_version_id=demo.version.id,
        phase=Phase.ACTIVE_CRISIS if regional else Phase.EMERGING_RISK,
        status={"previous": AssessmentStatus.VALIDATED, "latest": AssessmentStatus.UNDER_REVIEW}
        .get(which, AssessmentStatus.DRAFT),
        authors=f"{CHAIR}; {ANALYST}; {EXPERT}", summary=_SUMMARIES[which],
        author=EXPERT if regional else ANALYST,
        overall_override=Level.HIGH if regional else None,
        override_justification=_OVERRIDE if regional else "",
    )
    rated = _rate(demo, assessment, which)
    assessment.overall_level = _highest(r.level for _, r in rated if r.indicator_id is None)
    _resilience(demo, assessment, which)
    demo.assessments[which] = assessment
    demo.add("assessments", assessment)
    demo.session.flush()
    _link_ratings(demo, rated)


def _add_assessments(demo: _Demo) -> None:
    previous, latest = _half_years(demo.today)
    _add_assessment(demo, "previous", previous)
    _add_assessment(demo, "latest", latest)
    _add_assessment(demo, "regional", latest)


def _references(today: date) -> dict[str, str]:
    """EW-<year>-NNN, numbered within each year in the order the warnings were raised."""
    numbers: dict[int, int] = {}
    references = {}
    for spec in sorted(_WARNINGS, key=lambda w: w.observed if w.issued is None else w.issued):
        year = (today + timedelta(days=spec.observed if spec.issued is None else spec.issued)).year
        numbers[year] = numbers.get(year, 0) + 1
        references[spec.key] = f"EW-{year}-{numbers[year]:03d}"
    return references


_PATH = (W.DRAFT, W.ISSUED, W.ACKNOWLEDGED, W.RESPONSE_UNDER_WAY, W.CLOSED)
_STATUS_REASONS = {
    W.ISSUED: "Issued to the addressees.",
    W.ACKNOWLEDGED: "An addressee acknowledged receipt.",
    W.RESPONSE_UNDER_WAY: "An addressee reported a first action.",
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _status_days(spec: _Warning) -> dict[WarningStatus, int | None]:
    responses = [(day, kind) for key, _, day, kind, _, _ in _RESPONSES if key == spec.key]
    return {
        W.ISSUED: spec.issued,
        W.ACKNOWLEDGED: min((d for d, k in responses if k is R.ACKNOWLEDGEMENT), default=None),
        W.RESPONSE_UNDER_WAY: min((d for d, k in responses if k is R.ACTION), default=None),
        W.CLOSED: spec.closed,
    }


def _events(demo: _Demo, spec: _Warning) -> list[WarningEvent]:
    days = _status_days(spec)
    reached = _PATH[: _PATH.index(spec.status) + 1]
    events = [
        WarningEvent(
            at=_at(demo.day(day)), kind="status", from_value=before.value, to_value=after.value,
            reason=spec.resolution_note if after is W.CLOSED else _STATUS_REASONS[after],
            author=spec.author,
        )
        for before, after in itertools.pairwise(reached)
        if (day := days[after]) is not None
    ]
    events += [
        WarningEvent(at=_at(demo.day(day)), kind="escalation", from_value=old.value,
                     to_value=new.value, reason=reason, author=spec.author)
        for key, day, old, new, reason in _ESCALATIONS
        if key == spec.key
    ]
    return events


def _responses(demo: _Demo, spec: _Warning) -> list[WarningResponse]:
    return [
        WarningResponse(institution_id=demo.institutions[who].id, on=demo.day(day), kind=kind,
                        action_taken=action, outcome=outcome, author=SECRETARY)
        for key, who, day, kind, action, outcome in _RESPONSES
        if key == spec.key
    ]


def _add_warning(demo: _Demo, spec: _Warning, reference: str) -> EarlyWarning:
    issued = None if spec.issued is None else demo.day(spec.issued)
    warning = EarlyWarning(
        reference=reference, title=spec.title, observed_on=demo.day(spec.observed),
        issued_on=issued, description=spec.description, severity=spec.severity,
        likelihood=spec.likelihood, horizon=spec.horizon, status=spec.status,
        response_due=None if issued is None else issued + timedelta(RESPONSE_DAYS[spec.severity]),
        closed_on=None if spec.closed is None else demo.day(spec.closed),
        resolution=spec.resolution, resolution_note=spec.resolution_note,
        recommended_actions=spec.actions, confidential=spec.confidential, author=spec.author,
    )
    warning.responses.extend(_responses(demo, spec))
    warning.events.extend(_events(demo, spec))
    demo.tally("warning_responses", len(warning.responses))
    demo.tally("warning_events", len(warning.events))
    demo.add("warnings", warning)
    return warning


def _link_warning(demo: _Demo, spec: _Warning) -> None:
    session, wid = demo.session, demo.warnings[spec.key].id
    _link(session, warning_addressee, ((wid, demo.institutions[k].id) for k in spec.addressees))
    _link(session, warning_area, ((wid, demo.areas[k].id) for k in spec.areas))
    _link(session, warning_group, ((wid, demo.groups[k].id) for k in spec.groups))
    _link(session, warning_indicator, ((wid, demo.indicators[c].id) for c in spec.indicators))
    _link(session, warning_risk_factor, ((wid, demo.factors[n].id) for n in spec.factors))
    _link(session, warning_source, ((wid, demo.sources[k].id) for k in spec.sources))


def _add_warnings(demo: _Demo) -> None:
    references = _references(demo.today)
    for spec in _WARNINGS:
        demo.warnings[spec.key] = _add_warning(demo, spec, references[spec.key])
    demo.session.flush()
    for spec in _WARNINGS:
        _link_warning(demo, spec)
    _link(demo.session, assessment_warning, (
        (demo.assessments[which].id, demo.warnings[key].id)
        for which, keys in _ASSESSMENT_WARNINGS.items()
        for key in keys
    ))


def _add_recommendation(demo: _Demo, spec: _Rec, text: str) -> Recommendation:
    catalogue = spec.source is RecSource.CATALOGUE
    recommendation = Recommendation(
        text=text, source=spec.source, source_reference=spec.reference,
        catalogue_id=spec.key if catalogue else None,
        lead_institution_id=demo.institutions[spec.lead].id, priority=spec.priority,
        made_on=demo.day(spec.made), due_on=None if spec.due is None else demo.day(spec.due),
        status=spec.updates[-1][1] if spec.updates else RecStatus.NOT_STARTED,
        author=SECRETARY,
    )
    recommendation.updates.extend(
        ProgressUpdate(on=demo.day(day), status=status, narrative=narrative,
                       reported_by=demo.contacts[spec.lead], author=SECRETARY)
        for day, status, narrative in spec.updates
    )
    demo.tally("progress_updates", len(spec.updates))
    demo.add("recommendations", recommendation)
    return recommendation


def _link_recommendation(demo: _Demo, rec: Recommendation, spec: _Rec) -> None:
    session, rid = demo.session, rec.id
    _link(session, recommendation_supporter,
          ((rid, demo.institutions[k].id) for k in spec.supporters))
    _link(session, recommendation_risk_factor, ((rid, demo.factors[n].id) for n in spec.factors))
    _link(session, recommendation_warning, ((rid, demo.warnings[k].id) for k in spec.warnings))
    _link(session, recommendation_assessment,
          ((rid, demo.assessments[k].id) for k in spec.assessments))


def _add_recommendations(demo: _Demo) -> None:
    """The adopted SG recommendations found in the catalogue, then the committee's own."""
    found = demo.session.scalars(select(CatalogueRecommendation).where(
        CatalogueRecommendation.id.in_([spec.key for spec in _CATALOGUE_RECS]),
        CatalogueRecommendation.target == "Member States",
    ))
    texts = {row.id: row.text for row in found}
    written = [
        (_add_recommendation(demo, spec, texts[spec.key]), spec)
        for spec in _CATALOGUE_RECS
        if spec.key in texts
    ]
    written += [(_add_recommendation(demo, spec, spec.text), spec) for spec in _OWN_RECS]
    demo.session.flush()
    for recommendation, spec in written:
        _link_recommendation(demo, recommendation, spec)
    demo.tally("evidence_files", attach_evidence(demo.session, [rec for rec, _ in written]))


def populate_demo(session: Session, *, today: date) -> DemoSummary:
    """Fill an empty database with the fictional Republic of Lorvania, dated around `today`.

    Refuses (KnownError) a database that already holds the demo or any of the committee's own
    records, before writing anything.
    """
    _refuse_if_not_empty(session)
    demo = _start(session, today)
    write_setting(session, "committee_name", COMMITTEE_NAME)
    _add_people(demo)
    _add_institutions(demo)
    _add_sources(demo)
    session.flush()
    _add_assessments(demo)
    _add_warnings(demo)
    _add_recommendations(demo)
    write_setting(session, "demo", DEMO_NOTICE)
    session.flush()
    return DemoSummary(**{name: demo.counts.get(name, 0) for name in _SUMMARY_FIELDS})
