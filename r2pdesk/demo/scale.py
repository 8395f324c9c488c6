"""A large fictional database, ten years of a committee's work, to measure r2pdesk at scale:
`r2pdesk-cli init --demo --scale N`.

`populate_scale` adds to the small demo (it needs it: areas, groups, sources and members come
from there, indicator codes and risk factors from the Framework of Analysis in the reference
data) N early warnings with their addressees, responses, status events and links, N/5
recommendations with N progress updates in all, N/200 risk assessments with their ratings and
N/50 institutions with focal points. Everything is fictional and set in the demo country,
Lorvania. The proportions follow the small demo: per warning about two addressees, one or two
responses, two or three status events, two indicators and risk factors, one or two areas, groups
and sources.

The app's rules hold: a recommendation's status is its latest update's; a risk factor's level is
derived from its rated indicators and the overall level from the risk factors
(`r2pdesk.assessments.scale`); a warning's response is due by its severity; the references
EW-<year>-NNN follow the dates and continue the demo's numbering.

Rows are written with Core bulk inserts (executemany), in chunks, in the caller's transaction;
the search indexes follow through their triggers. The same N and `today` give the same database
(a seeded generator).

The audit trail gets one entry for the whole generation, saying what was generated and how much,
chained like any other. The generated records have no entry each: they are fictional, written by
one command, and a million entries would double the file and the time for no one's benefit.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    Assessment,
    AssessmentStatus,
    Confidence,
    Level,
    Phase,
    Rating,
    ResilienceRating,
    Strength,
    assessment_warning,
)
from r2pdesk.assessments.scale import LEVELS, Cell, derive_factor, derive_overall, factor_states
from r2pdesk.audit import Actor, AuditEntry, entry_digest
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.demo.data import _GROUPS, _SOURCES, ANALYST, CHAIR, EXPERT, FRAMEWORK_CODE, SECRETARY
from r2pdesk.demo.scale_data import (
    _CODAS,
    _CONTEXT,
    _DISTRICTS,
    _DOMAIN,
    _FAMILY,
    _GIVEN,
    _GROUP_LABELS,
    _INSTITUTIONS,
    _NARRATIVES,
    _NEXT_STATUS,
    _ONSETS,
    _OUTCOMES,
    _REASONS,
    _REC_TEXTS,
    _RESOLUTIONS,
    _THEMES,
    _TITLES,
)
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
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
from r2pdesk.earlywarning.service import RESPONSE_DAYS
from r2pdesk.errors import KnownError
from r2pdesk.i18n import tr
from r2pdesk.institutions.models import FocalPoint, Institution
from r2pdesk.members.models import Setting
from r2pdesk.orm import Base, utcnow
from r2pdesk.recommendations.models import (
    Priority,
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
    ResilienceFactor,
    RiskFactor,
)
from r2pdesk.sources.models import Source
from r2pdesk.store import device_id

Progress = Callable[[int, int], None]
CHUNK = 2000  # records of one kind per executemany
YEARS = 10
W, P = WarningStatus, RecStatus
AUTHORS = (SECRETARY, ANALYST, EXPERT, CHAIR)

# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSummary:
    """How many records of each kind the generation wrote."""

    institutions: int
    focal_points: int
    warnings: int
    warning_responses: int
    warning_events: int
    warning_links: int
    recommendations: int
    progress_updates: int
    recommendation_links: int
    assessments: int
    ratings: int
    resilience_ratings: int
    assessment_links: int

    def as_dict(self) -> dict[str, int]:
        """The counts by kind."""
        return dict(asdict(self))


# --- writing ----------------------------------------------------------------------------------


@dataclass
class _Writer:
    """The session, the generator, what the records link to, and the counts so far."""

    session: Session
    rng: random.Random
    today: date
    device: str
    progress: Progress | None
    total: int
    done: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    statements: dict[tuple[str, tuple[str, ...]], tuple[str, list[tuple[str, Any]]]] = field(
        default_factory=dict)

    def stamp(self, day: date, revision: int = 1) -> dict[str, Any]:
        """The bookkeeping of a new record written on `day`."""
        at = datetime.combine(day, time(9), tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(540))
        # Ids from the seeded generator too, so that the same N and day give the same database.
        return {"id": uuid.UUID(int=self.rng.getrandbits(128), version=4),
                "created_at": at, "updated_at": at,
                "author": self.rng.choice(AUTHORS), "origin_device": self.device,
                "revision": revision}

    def write(self, kind: str, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """One executemany of a Core insert; `kind` counts the rows in the summary.

        The insert is compiled once per table and each value converted by its column's own bind
        processor: SQLAlchemy's bookkeeping per row would otherwise cost as much as SQLite's work.
        Every row gives every column.
        """
        if not rows:
            return
        connection = self.session.connection()
        keys = tuple(rows[0])
        statement = self.statements.get((table.name, keys))
        if statement is None:
            compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(keys))
            statement = self.statements[table.name, keys] = (compiled.string, [
                (key, table.c[key].type.dialect_impl(connection.dialect).bind_processor(
                    connection.dialect))
                for key in compiled.positiontup or ()
            ])
        sql, processors = statement
        if all(column.primary_key for column in table.c):  # a link table: its key is its index
            rows = sorted(rows, key=lambda row: tuple(row[c.name] for c in table.c))
        connection.exec_driver_sql(sql, [
            tuple(row[key] if process is None else process(row[key]) for key, process in processors)
            for row in rows
        ])
        self.counts[kind] += len(rows)

    def advance(self, records: int) -> None:
        """Tell the caller how far the generation is."""
        self.done += records
        if self.progress is not None:
            self.progress(self.done, self.total)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


@dataclass(frozen=True)
class _World:
    """What the demo and the reference data give the generated records to link to."""

    districts: tuple[tuple[uuid.UUID, str, uuid.UUID | None], ...]  # id, name, region id
    places: tuple[tuple[str, int], ...]  # name, index of its district
    groups: dict[str, uuid.UUID]
    sources: tuple[tuple[uuid.UUID, bool], ...]  # id, whether confidential
    factors: dict[int, uuid.UUID]
    indicators: dict[str, tuple[uuid.UUID, int]]  # code -> id, risk factor number
    by_factor: dict[int, tuple[str, ...]]  # risk factor number -> its indicator codes
    resilience: tuple[uuid.UUID, ...]
    version: uuid.UUID
    scopes: tuple[tuple[uuid.UUID | None, str], ...]  # national, regions, districts


def _places(rng: random.Random) -> tuple[tuple[str, int], ...]:
    names = [onset + coda for onset in _ONSETS for coda in _CODAS]
    rng.shuffle(names)
    weights = [weight for _, weight in _DISTRICTS]
    return tuple((name, rng.choices(range(len(_DISTRICTS)), weights)[0]) for name in names)


def _world(session: Session, rng: random.Random) -> _World:
    version = session.scalars(
        select(FrameworkVersion).join(Framework, FrameworkVersion.framework_id == Framework.id)
        .where(Framework.code == FRAMEWORK_CODE).order_by(FrameworkVersion.version.desc())
    ).first()
    if version is None or session.get(Setting, "demo") is None:
        raise KnownError(tr("the scale data builds on the demo country: run `init --demo` "
                            "with `--scale` on a new, empty database"))
    areas = {area.code: area for area in session.scalars(select(Area))}
    districts = tuple((areas[code].id, areas[code].name, areas[code].parent_id)
                      for code, _ in _DISTRICTS)
    group_ids = {g.name: g.id for g in session.scalars(select(PopulationGroup))}
    source_ids = {s.title: s for s in session.scalars(select(Source))}
    factors = {f.number: f.id for f in session.scalars(
        select(RiskFactor).where(RiskFactor.version_id == version.id))}
    numbers = {factor_id: number for number, factor_id in factors.items()}
    indicators = {i.code: (i.id, numbers[i.risk_factor_id]) for i in session.scalars(
        select(Indicator).where(Indicator.risk_factor_id.in_(factors.values())))}
    by_factor: dict[int, tuple[str, ...]] = {}
    for code, (_, number) in sorted(indicators.items()):
        by_factor[number] = (*by_factor.get(number, ()), code)
    regions = sorted((a for a in areas.values() if a.level == "region"), key=lambda a: a.code)
    return _World(
        districts=districts, places=_places(rng),
        groups={key: group_ids[name] for key, name, *_ in _GROUPS},
        sources=tuple((source_ids[title].id, source_ids[title].confidentiality == "confidential")
                      for _, title, *_ in _SOURCES),
        factors=factors, indicators=indicators, by_factor=by_factor,
        resilience=tuple(session.scalars(select(ResilienceFactor.id).where(
            ResilienceFactor.version_id == version.id).order_by(ResilienceFactor.code))),
        version=version.id,
        scopes=((None, "National"), *((r.id, r.name) for r in regions),
                *((d_id, name) for d_id, name, _ in districts)),
    )


def _table(model: type[Base]) -> Table:
    return cast("Table", model.__table__)


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK):
        yield range(start, min(start + CHUNK, count))


# --- institutions -----------------------------------------------------------------------------


def _acronym(name: str) -> str:
    return "".join(word[0] for word in name.replace(",", "").split() if word[0].isupper())[:8]


def _add_institutions(w: _Writer, world: _World, count: int) -> list[tuple[uuid.UUID, str]]:
    """The demo's institutions and `count` more, each with the name of one of its focal points
    (who reports on the recommendations it leads)."""
    existing = w.session.execute(select(Institution.id, Institution.name)).all()
    contacts = dict(w.session.execute(select(FocalPoint.institution_id, FocalPoint.name)).all())
    made: list[tuple[uuid.UUID, str]] = [(i, contacts.get(i, name)) for i, name in existing]
    names = [(template, kind, place, district)
             for place, district in world.places for template, kind in _INSTITUTIONS]
    w.rng.shuffle(names)
    for chunk in _chunks(count):
        institutions: list[dict[str, Any]] = []
        points: list[dict[str, Any]] = []
        for index in chunk:
            template, kind, place, district = names[index % len(names)]
            name = template.format(place=place, district=world.districts[district][1])
            if index >= len(names):
                name = f"{name} ({index // len(names) + 1})"
            row = {**w.stamp(w.day(-w.rng.randrange(YEARS * 365))), "name": name,
                   "acronym": _acronym(name), "kind": kind, "parent_id": None,
                   "email": f"office{index}@{_DOMAIN}",
                   "phone": f"+000 {21 + district} 555 {index % 10000:04d}", "notes": ""}
            institutions.append(row)
            first = len(points)
            for number in range(w.rng.choice((1, 1, 2, 2, 3))):
                given, family = w.rng.choice(_GIVEN), w.rng.choice(_FAMILY)
                points.append({
                    **w.stamp(row["created_at"].date()), "institution_id": row["id"],
                    "name": f"{given} {family}", "title": w.rng.choice(_TITLES),
                    "email": f"{given[0].lower()}.{family.lower()}{index}@{_DOMAIN}",
                    "phone": f"+000 {21 + district} 556 {index % 10000:04d}{number}", "notes": "",
                })
            made.append((row["id"], points[first]["name"]))
        w.write("institutions", _table(Institution), institutions)
        w.write("focal_points", _table(FocalPoint), points)
        w.advance(len(chunk))
    return made


# --- early warnings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Life:
    """When a warning was seen, issued, first acknowledged, first acted on and closed."""

    observed: date
    issued: date | None = None
    acknowledged: date | None = None
    acted: date | None = None
    closed: date | None = None
    resolution: Resolution | None = None

    @property
    def status(self) -> WarningStatus:
        steps = ((self.closed, W.CLOSED), (self.acted, W.RESPONSE_UNDER_WAY),
                 (self.acknowledged, W.ACKNOWLEDGED), (self.issued, W.ISSUED))
        return next((status for day, status in steps if day is not None), W.DRAFT)

    @property
    def key(self) -> date:
        return self.issued or self.observed


def _life(rng: random.Random, observed: date, today: date) -> _Life:
    """A warning's life up to today: older warnings have gone further."""
    age = (today - observed).days
    if age < 45 and rng.random() < 0.25:
        return _Life(observed)
    issued = min(observed + timedelta(rng.randrange(8)), today)
    acknowledged = acted = closed = None
    if rng.random() < (0.9 if age > 365 else 0.7):
        acknowledged = issued + timedelta(rng.randint(1, 21))
        if rng.random() < 0.8:
            acted = acknowledged + timedelta(rng.randint(1, 45))
    if rng.random() < (0.93 if age > 365 else 0.5 if age > 90 else 0.1):
        closed = (acted or acknowledged or issued) + timedelta(rng.randint(5, 180))
    # Each step comes after the one before it, so a step that has not happened yet (after
    # today) takes every later one with it.
    acknowledged, acted, closed = (day if day is not None and day <= today else None
                                   for day in (acknowledged, acted, closed))
    resolution = None
    if closed is not None:
        resolution = Resolution.RESOLVED if acted else rng.choice(
            (Resolution.NO_ACTION_TAKEN, Resolution.OVERTAKEN_BY_EVENTS, Resolution.ESCALATED))
    return _Life(observed, issued, acknowledged, acted, closed, resolution)


def _references(w: _Writer, lives: list[_Life]) -> list[str]:
    """EW-<year>-NNN in date order, after the numbers the register already holds."""
    numbers: Counter[int] = Counter()
    for (reference,) in w.session.execute(select(EarlyWarning.reference)):
        _, year, number = [*reference.split("-", 2), "", ""][:3]
        if year.isdigit() and number.isdigit():
            numbers[int(year)] = max(numbers[int(year)], int(number))
    references = []
    for life in lives:
        numbers[life.key.year] += 1
        references.append(f"EW-{life.key.year}-{numbers[life.key.year]:03d}")
    return references


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


@dataclass
class _WarningRows:
    """The rows of one chunk of warnings, by table."""

    warnings: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, tuple[Table, list[dict[str, Any]]]] = field(default_factory=dict)

    def link(self, table: Table, warning_id: uuid.UUID, others: set[uuid.UUID]) -> None:
        column = next(c.name for c in table.c if c.name != "warning_id")
        self.links.setdefault(table.name, (table, []))[1].extend(
            {"warning_id": warning_id, column: other} for other in others)


def _severity(rng: random.Random) -> Severity:
    severity: Severity = _weighted(rng, ((Severity.LOW, 2), (Severity.MODERATE, 4),
                                         (Severity.HIGH, 3), (Severity.CRITICAL, 1)))
    return severity


def _warning(w: _Writer, world: _World, rows: _WarningRows, life: _Life, *, reference: str,
             addressees: Sequence[tuple[uuid.UUID, str]]) -> uuid.UUID:
    rng = w.rng
    theme = rng.choice(_THEMES)
    place, district = rng.choice(world.places)
    district_id, district_name, region_id = world.districts[district]
    group = rng.choice(theme.groups)
    words = {"place": place, "district": district_name, "group": _GROUP_LABELS[group],
             "k": rng.randint(2, 9)}
    sources = set(rng.sample(world.sources, rng.choice((1, 1, 2, 2, 3))))
    severity = _severity(rng)
    issued = life.issued
    row = {
        **w.stamp(life.observed, revision=1 + (life.status is not W.DRAFT)),
        "reference": reference, "title": theme.title.format(**words),
        "observed_on": life.observed, "issued_on": issued,
        "description": " ".join((theme.detail.format(**words),
                                 rng.choice(_CONTEXT).format(**words))),
        "severity": severity,
        "likelihood": rng.choice(tuple(Likelihood)), "horizon": rng.choice(tuple(Horizon)),
        "status": life.status,
        "response_due": issued + timedelta(RESPONSE_DAYS[severity]) if issued else None,
        "closed_on": life.closed, "resolution": life.resolution,
        "resolution_note": _RESOLUTIONS[life.resolution] if life.resolution else "",
        "recommended_actions": theme.action.format(**words),
        "confidential": any(secret for _, secret in sources) or rng.random() < 0.05,
    }
    rows.warnings.append(row)
    wid: uuid.UUID = row["id"]
    codes = set(theme.codes)
    if rng.random() < 0.3:
        codes.add(rng.choice(world.by_factor[world.indicators[theme.codes[0]][1]]))
    rows.link(warning_indicator, wid, {world.indicators[c][0] for c in codes})
    rows.link(warning_risk_factor, wid, {world.factors[n] for n in theme.factors}
              | {world.factors[world.indicators[c][1]] for c in codes})
    rows.link(warning_area, wid, {district_id} | ({region_id} if region_id and rng.random() < 0.2
                                                  else set()))
    rows.link(warning_group, wid, {world.groups[group]}
              | ({world.groups[rng.choice(theme.groups)]} if rng.random() < 0.3 else set()))
    rows.link(warning_source, wid, {source for source, _ in sources})
    chosen = rng.sample(addressees, rng.choice((1, 2, 2, 2, 3, 4)))
    rows.link(warning_addressee, wid, {institution for institution, _ in chosen})
    _answers(w, rows, row, life, addressees=chosen, words=words)
    return wid


def _answers(w: _Writer, rows: _WarningRows, warning: dict[str, Any], life: _Life, *,
             addressees: Sequence[tuple[uuid.UUID, str]], words: dict[str, Any]) -> None:
    """The responses logged against a warning and the events of its life."""
    # The first addressee acknowledges and acts; another one sometimes acknowledges too.
    replies = [(life.acknowledged, ResponseKind.ACKNOWLEDGEMENT, 0),
               (life.acted, ResponseKind.ACTION, 0)]
    if life.acknowledged and len(addressees) > 1 and w.rng.random() < 0.3:
        second = life.acknowledged + timedelta(w.rng.randint(1, 10))
        if second <= w.today:
            replies.append((second, ResponseKind.ACKNOWLEDGEMENT, 1))
    for day, kind, who in replies:
        if day is None:
            continue
        action, outcome = _OUTCOMES[kind]
        rows.responses.append({
            **w.stamp(day), "warning_id": warning["id"], "institution_id": addressees[who][0],
            "on": day, "kind": kind, "action_taken": action.format(**words), "outcome": outcome,
        })
    steps = [(life.observed, W.DRAFT), (life.issued, W.ISSUED), (life.acknowledged, W.ACKNOWLEDGED),
             (life.acted, W.RESPONSE_UNDER_WAY), (life.closed, W.CLOSED)]
    reached = [(day, status) for day, status in steps if day is not None]
    for (_, before), (day, after) in itertools.pairwise(reached):
        reason = warning["resolution_note"] if after is W.CLOSED else _REASONS[after]
        rows.events.append({**w.stamp(day), "warning_id": warning["id"], "at": _at(w, day),
                            "kind": "status", "from_value": before.value,
                            "to_value": after.value, "reason": reason})
    severity = warning["severity"]
    if life.issued and severity is not Severity.LOW and w.rng.random() < 0.05:
        lower = tuple(Severity)[tuple(Severity).index(severity) - 1]
        rows.events.append({**w.stamp(life.issued), "warning_id": warning["id"],
                            "at": _at(w, life.issued), "kind": "escalation",
                            "from_value": lower.value, "to_value": severity.value,
                            "reason": "New incidents reported after the warning was drafted."})


def _at(w: _Writer, day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC) + timedelta(minutes=w.rng.randrange(540))


def _add_warnings(w: _Writer, world: _World, count: int,
                  addressees: Sequence[tuple[uuid.UUID, str]]) -> list[tuple[date, uuid.UUID]]:
    """`count` warnings over ten years, more of them lately; (observed, id) in date order."""
    lives = sorted(
        (_life(w.rng, w.day(-int(YEARS * 365 * w.rng.random() ** 1.3)), w.today)
         for _ in range(count)),
        key=lambda life: life.key,
    )
    references = _references(w, lives)
    written: list[tuple[date, uuid.UUID]] = []
    for chunk in _chunks(count):
        rows = _WarningRows()
        for index in chunk:
            wid = _warning(w, world, rows, lives[index], reference=references[index],
                           addressees=addressees)
            written.append((lives[index].observed, wid))
        w.write("warnings", _table(EarlyWarning), rows.warnings)
        w.write("warning_responses", _table(WarningResponse), rows.responses)
        w.write("warning_events", _table(WarningEvent), rows.events)
        for table, links in rows.links.values():
            w.write("warning_links", table, links)
        w.advance(len(chunk))
    written.sort(key=lambda pair: pair[0])
    return written


# --- risk assessments -------------------------------------------------------------------------


def _quarters(today: date) -> Iterator[tuple[date, date]]:
    """The committee's quarters, the last complete one first, going back."""
    index = today.year * 4 + (today.month - 1) // 3
    while True:
        index -= 1
        start = date(index // 4, index % 4 * 3 + 1, 1)
        after = index + 1
        yield start, date(after // 4, after % 4 * 3 + 1, 1) - timedelta(days=1)


_FACTOR_OFFSETS = {6: -0.5, 10: -1.5, 11: -1.5, 12: -1.5}
_PHASES = {Level.SEVERE: Phase.ACTIVE_CRISIS, Level.HIGH: Phase.EMERGING_RISK,
           Level.MODERATE: Phase.EMERGING_RISK}
_STRENGTHS = ((Strength.ABSENT, 1), (Strength.WEAK, 3), (Strength.MODERATE, 4),
              (Strength.STRONG, 2))


def _level(rng: random.Random, around: float) -> Level:
    return LEVELS[max(0, min(len(LEVELS) - 1, round(around + rng.gauss(0, 0.7))))]


def _ratings(w: _Writer, world: _World, assessment: dict[str, Any], baseline: float,
             rows: list[dict[str, Any]]) -> list[Cell]:
    """Every risk factor rated, the indicators of those that have some; a risk factor's own
    row holds the level derived from its rated indicators, as the assessment service keeps it."""
    cells = []
    day = assessment["created_at"].date()
    for number, factor_id in sorted(world.factors.items()):
        around = baseline + _FACTOR_OFFSETS.get(number, 0.0)
        codes = world.by_factor.get(number, ())
        chosen = w.rng.sample(codes, min(len(codes), w.rng.randint(2, 5)))
        levels = []
        for code in chosen:
            level = _level(w.rng, around)
            levels.append(level)
            rows.append(_rating(w, day, assessment["id"], factor_id=factor_id,
                                indicator_id=world.indicators[code][0], level=level))
            cells.append(Cell(factor_id, world.indicators[code][0], level, None))
        factor = _rating(w, day, assessment["id"], factor_id=factor_id, indicator_id=None,
                         level=derive_factor(levels, _level(w.rng, around)))
        if factor["level"] is not LEVELS[0] and w.rng.random() < 0.03:
            factor["override_level"] = LEVELS[LEVELS.index(factor["level"]) - 1]
            factor["override_justification"] = (
                "The incidents behind the indicators rated concern a few localities only; the "
                "committee rates the risk factor one level lower.")
        rows.append(factor)
        cells.append(Cell(factor_id, None, factor["level"], factor["override_level"]))
    return cells


def _rating(w: _Writer, day: date, assessment_id: uuid.UUID, *, factor_id: uuid.UUID,
            indicator_id: uuid.UUID | None, level: Level) -> dict[str, Any]:
    return {**w.stamp(day), "assessment_id": assessment_id, "risk_factor_id": factor_id,
            "indicator_id": indicator_id, "level": level,
            "confidence": w.rng.choice(tuple(Confidence)),
            "evidence": w.rng.choice((
                "Rated from the warnings and monitoring reports of the period.",
                "Consistent with the field mission's interviews.",
                "Based on incident logs of the community monitors.",
                "Official figures confirm the trend reported by civil society.")),
            "override_level": None, "override_justification": "", "confidential": False}


def _assessment(w: _Writer, world: _World, scope: tuple[uuid.UUID | None, str],
                period: tuple[date, date], latest: bool) -> dict[str, Any]:
    area_id, name = scope
    kind = "" if area_id is None else " regional" if name in {
        n for a, n in world.scopes[1:4]} else " district"
    start, end = period
    return {
        **w.stamp(min(end + timedelta(days=w.rng.randint(5, 30)), w.today), revision=2),
        "title": f"{name}{kind} risk assessment, {start:%B %Y} to {end:%B %Y}",
        "area_id": area_id, "period_start": start, "period_end": end,
        "status": (AssessmentStatus.UNDER_REVIEW if area_id is None else AssessmentStatus.DRAFT)
        if latest else AssessmentStatus.VALIDATED,
        "authors": f"{CHAIR}; {ANALYST}", "framework_version_id": world.version,
        "overall_override": None, "override_justification": "",
    }


def _add_assessments(w: _Writer, world: _World, count: int,
                     warnings: list[tuple[date, uuid.UUID]]) -> list[tuple[date, uuid.UUID]]:
    """`count` assessments, quarter by quarter back from the last one, every scope each quarter;
    (period end, id) in date order."""
    plan: list[tuple[tuple[uuid.UUID | None, str], tuple[date, date], bool]] = []
    for number, period in enumerate(_quarters(w.today)):
        for scope in world.scopes:
            if len(plan) == count:
                break
            plan.append((scope, period, number == 0))
        if len(plan) == count:
            break
    plan.reverse()  # oldest first, so that each scope's level drifts forward in time
    baselines = {scope: w.rng.uniform(0.5, 2.0) for scope in world.scopes}
    dates = [day for day, _ in warnings]
    written = []
    for chunk in _chunks(count):
        assessments: list[dict[str, Any]] = []
        ratings: list[dict[str, Any]] = []
        resilience, links = [], []
        for index in chunk:
            scope, period, latest = plan[index]
            baselines[scope] = max(0.0, min(3.5, baselines[scope] + w.rng.uniform(-0.4, 0.45)))
            row = _assessment(w, world, scope, period, latest)
            cells = _ratings(w, world, row, baselines[scope], ratings)
            overall = derive_overall(s.effective for s in factor_states(cells).values())
            row["overall_level"] = overall
            row["phase"] = _PHASES.get(overall, Phase.STABILITY)
            if overall in (Level.HIGH, Level.SEVERE) and w.rng.random() < 0.05:
                row["overall_override"] = LEVELS[LEVELS.index(overall) - 1]
                row["override_justification"] = (
                    "The highest-rated risk factor reflects incidents in a few localities; the "
                    "committee rates the overall risk one level lower.")
            row["summary"] = (f"Overall risk {overall.value.replace('_', ' ')} in "
                              f"{scope[1]} for the quarter.")
            assessments.append(row)
            resilience += [{**w.stamp(row["created_at"].date()), "assessment_id": row["id"],
                            "resilience_factor_id": factor, "notes": "",
                            "strength": _weighted(w.rng, _STRENGTHS)}
                           for factor in world.resilience]
            first, last = (bisect.bisect_left(dates, day) for day in period)
            if last > first:
                links += [{"assessment_id": row["id"], "warning_id": warnings[i][1]}
                          for i in {w.rng.randrange(first, last) for _ in range(3)}]
            written.append((period[1], row["id"]))
        w.write("assessments", _table(Assessment), assessments)
        w.write("ratings", _table(Rating), ratings)
        w.write("resilience_ratings", _table(ResilienceRating), resilience)
        w.write("assessment_links", assessment_warning, links)
        w.advance(len(chunk))
    written.sort(key=lambda pair: pair[0])
    return written


# --- recommendations --------------------------------------------------------------------------


def _update_counts(rng: random.Random, spans: list[int], total: int) -> list[int]:
    """How many updates each recommendation has: `total` in all, more for the older ones, never
    more than the days since it was made (one update a day at most)."""
    drawn = Counter(rng.choices(range(len(spans)), spans, k=total)) if spans else Counter()
    counts = [min(drawn[i], span) for i, span in enumerate(spans)]
    missing = total - sum(counts)
    for index in sorted(range(len(spans)), key=spans.__getitem__, reverse=True):
        if missing <= 0:
            break
        extra = min(missing, spans[index] - counts[index])
        counts[index] += extra
        missing -= extra
    return counts


def _statuses(rng: random.Random, count: int) -> list[RecStatus]:
    """The statuses of `count` successive updates: follow-up rarely goes backwards."""
    if not count:
        return []
    status = P.IN_PROGRESS if rng.random() < 0.8 else P.NOT_IMPLEMENTED
    statuses = [status]
    for _ in range(count - 1):
        status = _weighted(rng, _NEXT_STATUS[status])
        statuses.append(status)
    return statuses


@dataclass
class _RecPlan:
    """What the recommendations need from the rest: catalogue items, institutions, warnings and
    assessments to link to, with their dates."""

    catalogue: list[tuple[str, str]]  # id, text
    institutions: list[tuple[uuid.UUID, str]]
    warnings: list[tuple[date, uuid.UUID]]
    assessments: list[tuple[date, uuid.UUID]]
    numbers: Counter[tuple[RecSource, int]] = field(default_factory=Counter)


def _reference(plan: _RecPlan, source: RecSource, made: date, today: date) -> str:
    plan.numbers[source, made.year] += 1
    number = plan.numbers[source, made.year]
    return {
        RecSource.COMMITTEE: f"Committee decision {made.year}/{number:03d} (demo)",
        RecSource.UPR: f"UPR cycle {1 + (made.year - today.year + YEARS) // 5} (demo), "
                       f"rec. {number}",
        RecSource.TREATY_BODY: f"Treaty body concluding observations {made.year} (demo), "
                               f"para. {number}",
        RecSource.OTHER: f"Meridian Union Commission (demo), communiqué {made.year}/{number}",
    }.get(source, "")


def _recommendation(w: _Writer, world: _World, plan: _RecPlan, span: int) -> dict[str, Any]:
    rng = w.rng
    made = w.day(-span)
    source = RecSource.CATALOGUE if plan.catalogue and rng.random() < 0.05 else _weighted(
        rng, ((RecSource.COMMITTEE, 13), (RecSource.UPR, 3), (RecSource.TREATY_BODY, 2),
              (RecSource.OTHER, 1)))
    catalogue_id, text = plan.catalogue.pop() if source is RecSource.CATALOGUE else (None, "")
    if catalogue_id is None:
        place, district = rng.choice(world.places)
        text = rng.choice(_REC_TEXTS).format(
            place=place, district=world.districts[district][1],
            group=_GROUP_LABELS[rng.choice(tuple(_GROUP_LABELS))])
    return {
        **w.stamp(made), "text": text, "source": source,
        "source_reference": _reference(plan, source, made, w.today), "catalogue_id": catalogue_id,
        "lead_institution_id": rng.choice(plan.institutions)[0],
        "priority": _weighted(rng, ((Priority.LOW, 1), (Priority.MEDIUM, 3), (Priority.HIGH, 2))),
        "made_on": made,
        "due_on": made + timedelta(rng.randint(90, 720)) if rng.random() < 0.9 else None,
        "status": P.NOT_STARTED, "confidential": rng.random() < 0.04,
    }


def _rec_links(w: _Writer, world: _World, plan: _RecPlan, rec: dict[str, Any],
               links: dict[str, tuple[Table, list[dict[str, Any]]]]) -> None:
    rng, rid = w.rng, rec["id"]

    def add(table: Table, others: set[uuid.UUID]) -> None:
        column = next(c.name for c in table.c if c.name != "recommendation_id")
        links.setdefault(table.name, (table, []))[1].extend(
            {"recommendation_id": rid, column: other} for other in others)

    supporters = {i for i, _ in rng.sample(plan.institutions, rng.choice((0, 0, 1, 1, 1, 2, 2, 3)))}
    add(recommendation_supporter, supporters - {rec["lead_institution_id"]})
    add(recommendation_risk_factor,
        {world.factors[n] for n in rng.sample(sorted(world.factors), rng.choice((0, 1, 1, 1, 2)))})
    for kind, (table, dated) in {"w": (recommendation_warning, plan.warnings),
                                 "a": (recommendation_assessment, plan.assessments)}.items():
        before = bisect.bisect_right(dated, rec["made_on"], key=lambda pair: pair[0])
        if before and rng.random() < (0.5 if kind == "w" else 0.4):
            add(table, {dated[rng.randrange(max(0, before - 500), before)][1]})


def _add_recommendations(w: _Writer, world: _World, count: int, updates: int,
                         plan: _RecPlan) -> None:
    """`count` recommendations made over ten years with `updates` progress updates in all; each
    one's status is its latest update's (not started without one)."""
    spans = [w.rng.randint(60, YEARS * 365) for _ in range(count)]
    counts = _update_counts(w.rng, spans, updates)
    contacts = dict(plan.institutions)
    for chunk in _chunks(count):
        recs, history = [], []
        links: dict[str, tuple[Table, list[dict[str, Any]]]] = {}
        for index in chunk:
            rec = _recommendation(w, world, plan, spans[index])
            days = sorted(w.rng.sample(range(1, spans[index] + 1), counts[index]))
            district = world.districts[w.rng.choice(world.places)[1]][1]
            for day, status in zip(days, _statuses(w.rng, len(days)), strict=True):
                on = rec["made_on"] + timedelta(days=day)
                history.append({
                    **w.stamp(on), "recommendation_id": rec["id"], "on": on, "status": status,
                    "narrative": w.rng.choice(_NARRATIVES[status]).format(district=district),
                    "reported_by": contacts[rec["lead_institution_id"]],
                })
                rec["status"], rec["updated_at"] = status, history[-1]["created_at"]
            rec["revision"] = 1 + len(days)
            recs.append(rec)
            _rec_links(w, world, plan, rec, links)
        w.write("recommendations", _table(Recommendation), recs)
        w.write("progress_updates", _table(ProgressUpdate), history)
        for table, rows in links.values():
            w.write("recommendation_links", table, rows)
        w.advance(len(chunk) + len(history))


# --- the whole ------------------------------------------------------------------------------


def _catalogue(session: Session) -> list[tuple[str, str]]:
    """The SG recommendations to Member States not adopted yet, to adopt some more."""
    adopted = select(Recommendation.catalogue_id).where(Recommendation.catalogue_id.is_not(None))
    rows = session.execute(
        select(CatalogueRecommendation.id, CatalogueRecommendation.text)
        .where(CatalogueRecommendation.target == "Member States",
               CatalogueRecommendation.id.not_in(adopted))
        .order_by(CatalogueRecommendation.id.desc())
    )
    return [(item_id, text) for item_id, text in rows]


def _audit(session: Session, n: int, today: date, summary: ScaleSummary) -> None:
    """One entry in the audit trail for the whole generation, chained after the last one."""
    session.flush()
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    actor = session.info.get("actor") or Actor(name="", device="")
    entry = AuditEntry(
        at=utcnow(), actor=actor.name, device=actor.device or device_id(session),
        action="create", table_name="demo_scale", record_id=str(uuid.uuid4()),
        changes=json.dumps({"generated": "fictional scale data (init --demo --scale)",
                            "scale": n, "today": today.isoformat(), **summary.as_dict()},
                           sort_keys=True),
        prev_hash=prev or "0" * 64,
    )
    entry.hash = entry_digest(entry)
    session.add(entry)
    session.flush()
    # The audit listener remembers the last hash it wrote; this entry comes after it.
    session.info.pop("audit_tip", None)


def planned(n: int) -> dict[str, int]:
    """How many records of the main kinds `populate_scale(n)` writes."""
    return {"warnings": n, "recommendations": n // 5, "progress_updates": n,
            "assessments": n // 200, "institutions": n // 50}


def populate_scale(
    session: Session, n: int, *, today: date, progress: Progress | None = None
) -> ScaleSummary:
    """Add the scale data for `n` to a database holding the demo country (see the module).

    `progress(done, total)` hears how far it is, in records of the main kinds; what it raises
    stops the generation, and the caller's rollback leaves the database as it was.
    """
    if n < 1:
        raise KnownError(tr("the scale is a number of early warnings, 1 or more"))
    counts = planned(n)
    rng = random.Random(f"lorvania-{n}-{today.isoformat()}")  # noqa: S311 - fictional data
    world = _world(session, rng)
    session.flush()
    w = _Writer(session, rng, today, device_id(session), progress, total=sum(counts.values()))
    institutions = _add_institutions(w, world, counts["institutions"])
    warnings = _add_warnings(w, world, n, institutions)
    assessments = _add_assessments(w, world, counts["assessments"], warnings)
    plan = _RecPlan(_catalogue(session), institutions, warnings, assessments)
    _add_recommendations(w, world, counts["recommendations"], counts["progress_updates"], plan)
    summary = ScaleSummary(**{name: w.counts[name] for name in ScaleSummary.__dataclass_fields__})
    _audit(session, n, today, summary)
    return summary
