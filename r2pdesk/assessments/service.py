"""Writing risk assessments: create, edit, rate (autosave), override, copy forward, review.

Every use case checks its whole input before it writes anything, and raises `InputError` naming
the field and why. Creating use cases accept the id to use, so that an undone creation redone
later is the same record again.

One rating per (assessment, risk factor, indicator): saving again updates it, so each cell of
the grid is saved on its own without touching the others. After every save the risk factor's
level and the assessment's overall level are derived again as `r2pdesk.assessments.scale` says.
The risk factor's own rating row (indicator empty) holds the level derived from its rated
indicators, or the analyst's direct rating when none is rated; the analyst's override stays
apart in `override_level`. Once an indicator is rated the direct rating gives way to the derived
level; when the last rated indicator is cleared the risk factor is not assessed again until the
analyst rates it.

Drafts and assessments under review can be edited; a validated or superseded one is kept as it
was and is carried on by copying it forward.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import (
    Assessment,
    AssessmentId,
    AssessmentStatus,
    Confidence,
    Level,
    Phase,
    Rating,
    ResilienceRating,
    Strength,
    rating_area,
    rating_group,
    rating_source,
)
from r2pdesk.assessments.scale import (
    Cell,
    check_override,
    derive_factor,
    derive_overall,
    effective,
    factor_states,
    is_rated,
    level_label,
)
from r2pdesk.context.models import Area, PopulationGroup
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_date, format_number, tr
from r2pdesk.orm import utcnow
from r2pdesk.reference.frameworks import latest_version
from r2pdesk.reference.models import (
    FrameworkVersion,
    Indicator,
    ResilienceFactor,
    RiskFactor,
)
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.models import Source

EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVIEW})
MAX_TEXT = 20_000
MAX_NAME = 300

# How people read the statuses, within a sentence (English, marked for the catalogue): `tr` them
# where shown, or use `status_label`.
STATUS_LABELS = {
    AssessmentStatus.DRAFT: N_("draft"),
    AssessmentStatus.UNDER_REVIEW: N_("under review"),
    AssessmentStatus.VALIDATED: N_("validated"),
    AssessmentStatus.SUPERSEDED: N_("superseded"),
}


def status_label(status: AssessmentStatus) -> str:
    """An assessment's status as people read it within a sentence, in the language in use."""
    return tr(STATUS_LABELS[status])


def _too_long(field: str, most: int) -> InputError:
    """The error of a text over its limit; `field` is marked with N_."""
    return InputError(tr("{field}: longer than {most} characters").format(
        field=tr(field), most=format_number(most)))


@dataclass(frozen=True)
class AssessmentInput:
    """What a person edits of an assessment; no area means a national assessment.

    No framework version means the latest version of the Framework of Analysis when creating,
    the version already used when editing, and the latest version of the previous assessment's
    framework when copying forward.
    """

    title: str
    period_start: date
    period_end: date
    area_id: uuid.UUID | None = None
    phase: Phase = Phase.STABILITY
    authors: str = ""
    summary: str = ""
    framework_version_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RatingInput:
    """One cell of the grid: a risk factor (no indicator) or one of its indicators."""

    risk_factor_id: uuid.UUID
    indicator_id: uuid.UUID | None = None
    level: Level = Level.NOT_ASSESSED
    confidence: Confidence | None = None
    evidence: str = ""
    source_ids: tuple[uuid.UUID, ...] = ()
    group_ids: tuple[uuid.UUID, ...] = ()
    area_ids: tuple[uuid.UUID, ...] = ()
    override_level: Level | None = None
    override_justification: str = ""
    confidential: bool = False


# (table, its column for the linked record, RatingInput attribute, model that must hold the id)
_LINKS: tuple[tuple[Table, str, str, type[Source | PopulationGroup | Area]], ...] = (
    (rating_source, "source_id", "source_ids", Source),
    (rating_group, "group_id", "group_ids", PopulationGroup),
    (rating_area, "area_id", "area_ids", Area),
)
_LINK_FIELDS = {"source_ids": N_("sources"), "group_ids": N_("groups"), "area_ids": N_("areas")}


# --- levels ---------------------------------------------------------------------------------


def cells(ratings: Iterable[Rating]) -> list[Cell]:
    """Ratings as the plain values the scale derives levels from."""
    return [Cell(r.risk_factor_id, r.indicator_id, r.level, r.override_level) for r in ratings]


def _refresh_overall(assessment: Assessment) -> None:
    states = factor_states(cells(assessment.ratings))
    level = derive_overall(s.effective for s in states.values())
    if assessment.overall_level is not level:
        assessment.overall_level = level


def _factor_row(assessment: Assessment, factor_id: uuid.UUID) -> Rating | None:
    return next(
        (r for r in assessment.ratings
         if r.risk_factor_id == factor_id and r.indicator_id is None),
        None,
    )


def _indicator_levels(assessment: Assessment, factor_id: uuid.UUID) -> list[Level]:
    return [
        effective(r.level, r.override_level)
        for r in assessment.ratings
        if r.risk_factor_id == factor_id and r.indicator_id is not None
    ]


def _refresh_factor(assessment: Assessment, factor_id: uuid.UUID, derived_before: Level) -> None:
    """Store the level derived from the indicators in the risk factor's own row."""
    derived = derive_factor(_indicator_levels(assessment, factor_id))
    row = _factor_row(assessment, factor_id)
    if not is_rated(derived):
        if row is not None and is_rated(derived_before):
            row.level = Level.NOT_ASSESSED  # the direct rating had given way; none is left
        return
    if row is None:
        row = Rating(id=uuid.uuid4(), risk_factor_id=factor_id, indicator_id=None)
        assessment.ratings.append(row)
    if row.level is not derived:
        row.level = derived


# --- assessments ----------------------------------------------------------------------------


def _get(session: Session, assessment_id: uuid.UUID) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise InputError(tr("that assessment is no longer in the database"))
    return assessment


def _editable(session: Session, assessment_id: uuid.UUID) -> Assessment:
    assessment = _get(session, assessment_id)
    if assessment.status not in EDITABLE:
        raise InputError(tr(
            "status: a {status} assessment is kept as it is; copy it forward to carry it on"
        ).format(status=status_label(assessment.status)))
    return assessment


def _version(session: Session, version_id: uuid.UUID | None) -> FrameworkVersion:
    if version_id is None:
        version = default_framework_version(session)
        if version is None:
            raise InputError(tr(
                "framework: the Framework of Analysis is not in this database; reload the "
                "reference data"
            ))
        return version
    version = session.get(FrameworkVersion, version_id)
    if version is None:
        raise InputError(tr("framework: that framework version is not in the database"))
    return version


def _check(session: Session, data: AssessmentInput) -> AssessmentInput:
    title = " ".join(data.title.split())
    if not title:
        raise InputError(tr("title: an assessment needs a title"))
    if len(title) > MAX_NAME:
        raise _too_long(N_("title"), MAX_NAME)
    if data.period_end < data.period_start:
        raise InputError(tr("period: ends {end}, before it starts {start}").format(
            end=format_date(data.period_end), start=format_date(data.period_start)))
    authors = " ".join(data.authors.split())
    if len(authors) > MAX_NAME:
        raise _too_long(N_("authors"), MAX_NAME)
    summary = data.summary.strip()
    if len(summary) > MAX_TEXT:
        raise _too_long(N_("summary"), MAX_TEXT)
    if data.area_id is not None and session.get(Area, data.area_id) is None:
        raise InputError(tr("area: not in the database"))
    return replace(data, title=title, authors=authors, summary=summary)


def _new(data: AssessmentInput, version_id: uuid.UUID, assessment_id: uuid.UUID | None) -> (
    Assessment
):
    return Assessment(
        id=assessment_id or uuid.uuid4(),
        title=data.title,
        area_id=data.area_id,
        period_start=data.period_start,
        period_end=data.period_end,
        phase=data.phase,
        status=AssessmentStatus.DRAFT,
        authors=data.authors,
        summary=data.summary,
        framework_version_id=version_id,
        overall_level=Level.NOT_ASSESSED,
        overall_override=None,
        override_justification="",
    )


def create_assessment(
    session: Session, data: AssessmentInput, assessment_id: uuid.UUID | None = None
) -> AssessmentId:
    """Write a new draft assessment, nothing rated yet."""
    data = _check(session, data)
    version = _version(session, data.framework_version_id)
    assessment = _new(data, version.id, assessment_id)
    session.add(assessment)
    session.flush()
    return AssessmentId(assessment.id)


def update_assessment(session: Session, assessment_id: uuid.UUID, data: AssessmentInput) -> None:
    """Save a person's edits of an assessment's title, scope, period, phase, authors, summary.

    An assessment keeps the framework version it was rated with; to move to another version,
    copy it forward.
    """
    assessment = _editable(session, assessment_id)
    data = _check(session, data)
    version_id = data.framework_version_id or assessment.framework_version_id
    if version_id != assessment.framework_version_id:
        _version(session, version_id)
        if assessment.ratings or assessment.resilience:
            raise InputError(tr(
                "framework: a rated assessment keeps its framework version; copy it forward to "
                "use another"
            ))
    assessment.title = data.title
    assessment.area_id = data.area_id
    assessment.period_start = data.period_start
    assessment.period_end = data.period_end
    assessment.phase = data.phase
    assessment.authors = data.authors
    assessment.summary = data.summary
    assessment.framework_version_id = version_id


# --- ratings --------------------------------------------------------------------------------


def _check_target(
    session: Session, assessment: Assessment, data: RatingInput
) -> tuple[RiskFactor, Indicator | None]:
    factor = session.get(RiskFactor, data.risk_factor_id)
    if factor is None or factor.version_id != assessment.framework_version_id:
        raise InputError(
            tr("risk factor: not a risk factor of this assessment's framework version"))
    if data.indicator_id is None:
        return factor, None
    indicator = session.get(Indicator, data.indicator_id)
    if indicator is None:
        raise InputError(tr("indicator: not in the database"))
    if indicator.risk_factor_id != factor.id:
        raise InputError(
            tr("indicator: {code} is not an indicator of risk factor {number}").format(
                code=indicator.code, number=factor.number)
        )
    return factor, indicator


def _check_links(session: Session, data: RatingInput) -> None:
    for _table, _column, attribute, model in _LINKS:
        ids = set(getattr(data, attribute))
        if not ids:
            continue
        found = set(session.scalars(select(model.id).where(model.id.in_(ids))))
        if found != ids:
            raise InputError(tr("{field}: {count} not in the database").format(
                field=tr(_LINK_FIELDS[attribute]), count=len(ids - found)))


def _check_rating(session: Session, assessment: Assessment, data: RatingInput) -> RatingInput:
    factor, indicator = _check_target(session, assessment, data)
    where = (
        tr("override of indicator {code}").format(code=indicator.code) if indicator
        else tr("override of risk factor {number}").format(number=factor.number)
    )
    justification = check_override(where, data.override_level, data.override_justification)
    evidence = data.evidence.strip()
    for field, text in ((N_("evidence"), evidence),
                        (N_("override justification"), justification)):
        if len(text) > MAX_TEXT:
            raise _too_long(field, MAX_TEXT)
    _check_links(session, data)
    if indicator is None and is_rated(data.level):
        derived = derive_factor(_indicator_levels(assessment, factor.id))
        if is_rated(derived) and data.level is not derived:
            raise InputError(tr(
                "level: risk factor {number} takes its level from its rated indicators "
                "({level}); to rate it otherwise, set an override with a justification"
            ).format(number=factor.number, level=level_label(derived).lower()))
    return replace(data, evidence=evidence, override_justification=justification)


def _existing(assessment: Assessment, data: RatingInput) -> Rating | None:
    return next(
        (r for r in assessment.ratings
         if r.risk_factor_id == data.risk_factor_id and r.indicator_id == data.indicator_id),
        None,
    )


Linked = dict[str, tuple[uuid.UUID, ...]]  # RatingInput link attribute -> ids


def _linked(data: RatingInput) -> Linked:
    return {attribute: getattr(data, attribute) for _t, _c, attribute, _m in _LINKS}


def _write_links(session: Session, rating_id: uuid.UUID, linked: Linked) -> None:
    for table, column, attribute, _model in _LINKS:
        session.execute(delete(table).where(table.c.rating_id == rating_id))
        ids = dict.fromkeys(linked.get(attribute, ()))  # unique, in the order given
        if ids:
            session.execute(insert(table), [{"rating_id": rating_id, column: i} for i in ids])


def save_rating(
    session: Session, assessment_id: uuid.UUID, data: RatingInput,
    rating_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Save one rating (a new one, or the one already there for the same cell); then derive the
    risk factor's level and the overall level again. Returns the rating's id."""
    assessment = _editable(session, assessment_id)
    data = _check_rating(session, assessment, data)
    derived_before = derive_factor(_indicator_levels(assessment, data.risk_factor_id))
    rating = _existing(assessment, data)
    if rating is None:
        rating = Rating(
            id=rating_id or uuid.uuid4(), risk_factor_id=data.risk_factor_id,
            indicator_id=data.indicator_id,
        )
        assessment.ratings.append(rating)
    level = data.level
    if data.indicator_id is None and not is_rated(level):
        level = derived_before  # a factor row that only carries evidence keeps its derived level
    rating.level = level
    rating.confidence = data.confidence
    rating.evidence = data.evidence
    rating.override_level = data.override_level
    rating.override_justification = data.override_justification
    rating.confidential = data.confidential
    rating.updated_at = utcnow()  # links changed alone still count as a revision
    session.flush()
    _write_links(session, rating.id, _linked(data))
    if data.indicator_id is not None:
        _refresh_factor(assessment, data.risk_factor_id, derived_before)
    _refresh_overall(assessment)
    session.flush()
    return rating.id


def set_overall_override(
    session: Session, assessment_id: uuid.UUID, level: Level | None, justification: str
) -> None:
    """Set the committee's overall level over the derived one (None takes it away)."""
    assessment = _editable(session, assessment_id)
    text = check_override(tr("overall override"), level, justification)
    if len(text) > MAX_TEXT:
        raise _too_long(N_("overall override"), MAX_TEXT)
    assessment.overall_override = level
    assessment.override_justification = text if level is not None else ""


def save_resilience(
    session: Session, assessment_id: uuid.UUID, resilience_factor_id: uuid.UUID,
    strength: Strength, notes: str,
) -> uuid.UUID:
    """Save the strength of one inhibitor in an assessment (a new rating or the one there)."""
    assessment = _editable(session, assessment_id)
    factor = session.get(ResilienceFactor, resilience_factor_id)
    if factor is None or factor.version_id != assessment.framework_version_id:
        raise InputError(
            tr("inhibitor: not an inhibitor of this assessment's framework version"))
    text = notes.strip()
    if len(text) > MAX_TEXT:
        raise _too_long(N_("notes"), MAX_TEXT)
    rating = next(
        (r for r in assessment.resilience if r.resilience_factor_id == resilience_factor_id),
        None,
    )
    if rating is None:
        rating = ResilienceRating(id=uuid.uuid4(), resilience_factor_id=resilience_factor_id)
        assessment.resilience.append(rating)
    rating.strength = strength
    rating.notes = text
    session.flush()
    return rating.id


# --- copying forward ------------------------------------------------------------------------


def links_of(session: Session, rating_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Linked]:
    """The sources, groups and areas each rating is linked to, by RatingInput attribute."""
    found: defaultdict[uuid.UUID, Linked] = defaultdict(dict)
    for table, column, attribute, _model in _LINKS:
        rows = session.execute(
            select(table.c.rating_id, table.c[column]).where(table.c.rating_id.in_(rating_ids))
        )
        for rating_id, linked in rows:
            found[rating_id][attribute] = (*found[rating_id].get(attribute, ()), linked)
    return found


def _target_ids(
    session: Session, source: uuid.UUID, target: uuid.UUID
) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """Risk factors (by number), indicators (by code) and inhibitors (by number) of one version
    matched to another's."""
    old, new = session.get_one(FrameworkVersion, source), session.get_one(
        FrameworkVersion, target)
    new_factors = {f.number: f for f in new.risk_factors}
    factors, indicators = {}, {}
    for factor in old.risk_factors:
        match = new_factors.get(factor.number)
        if match is None:
            continue
        factors[factor.id] = match.id
        codes = {i.code: i.id for i in match.indicators}
        indicators.update(
            {i.id: codes[i.code] for i in factor.indicators if i.code in codes}
        )
    inhibitors = {f.number: f.id for f in new.resilience_factors}
    resilience = {
        f.id: inhibitors[f.number] for f in old.resilience_factors if f.number in inhibitors
    }
    return factors, indicators, resilience


def copy_forward(
    session: Session, previous_id: uuid.UUID, data: AssessmentInput,
    assessment_id: uuid.UUID | None = None,
) -> AssessmentId:
    """A new draft carrying every rating (with its evidence links) and inhibitor of a previous
    assessment, so that only what changed needs updating.

    Onto another framework version, risk factors and inhibitors are matched by number and
    indicators by code; what the new version lacks is left behind. The overall override is not
    carried: the committee judges each period's overall level afresh.
    """
    previous = _get(session, previous_id)
    data = _check(session, data)
    if data.framework_version_id is None:
        old = session.get_one(FrameworkVersion, previous.framework_version_id)
        version = latest_version(session, old.framework_id) or old
    else:
        version = _version(session, data.framework_version_id)
    factors, indicators, inhibitors = _target_ids(
        session, previous.framework_version_id, version.id)
    assessment = _new(data, version.id, assessment_id)
    links = links_of(session, [r.id for r in previous.ratings])
    copies: list[tuple[uuid.UUID, Linked]] = []
    for old_rating in previous.ratings:
        factor_id = factors.get(old_rating.risk_factor_id)
        indicator_id = (
            None if old_rating.indicator_id is None else indicators.get(old_rating.indicator_id)
        )
        if factor_id is None or (old_rating.indicator_id is not None and indicator_id is None):
            continue
        rating = Rating(
            id=uuid.uuid4(), risk_factor_id=factor_id, indicator_id=indicator_id,
            level=old_rating.level, confidence=old_rating.confidence,
            evidence=old_rating.evidence, override_level=old_rating.override_level,
            override_justification=old_rating.override_justification,
            confidential=old_rating.confidential,
        )
        assessment.ratings.append(rating)
        copies.append((rating.id, links.get(old_rating.id, {})))
    for old_resilience in previous.resilience:
        if old_resilience.resilience_factor_id in inhibitors:
            assessment.resilience.append(ResilienceRating(
                id=uuid.uuid4(),
                resilience_factor_id=inhibitors[old_resilience.resilience_factor_id],
                strength=old_resilience.strength, notes=old_resilience.notes,
            ))
    session.add(assessment)
    session.flush()
    for rating_id, linked in copies:
        _write_links(session, rating_id, linked)
    if version.id != previous.framework_version_id:  # indicators may have been left behind
        for factor_id in {r.risk_factor_id for r in assessment.ratings}:
            _refresh_factor(assessment, factor_id, Level.NOT_ASSESSED)
    _refresh_overall(assessment)
    session.flush()
    return AssessmentId(assessment.id)


# --- review ---------------------------------------------------------------------------------


def _move(assessment: Assessment, allowed: AssessmentStatus, to: AssessmentStatus,
          refusal: str) -> None:
    """Move an assessment from `allowed` to `to`; `refusal` (marked with N_) says why not."""
    if assessment.status is not allowed:
        raise InputError(tr(refusal).format(status=status_label(assessment.status)))
    assessment.status = to


def submit_for_review(session: Session, assessment_id: uuid.UUID) -> None:
    """A draft goes to the committee for review."""
    _move(_get(session, assessment_id), AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVIEW,
          N_("status: only a draft is submitted for review (this one is {status})"))


def return_to_draft(session: Session, assessment_id: uuid.UUID) -> None:
    """The reviewers send an assessment back to its authors."""
    _move(_get(session, assessment_id), AssessmentStatus.UNDER_REVIEW, AssessmentStatus.DRAFT,
          N_("status: only an assessment under review is returned to draft (this one is "
             "{status})"))


def unrated_factors(session: Session, assessment_id: uuid.UUID) -> list[RiskFactor]:
    """The risk factors of an assessment's framework version that have no level yet."""
    assessment = _get(session, assessment_id)
    states = factor_states(cells(assessment.ratings))
    version = session.get_one(FrameworkVersion, assessment.framework_version_id)
    return [
        factor for factor in version.risk_factors
        if factor.id not in states or not is_rated(states[factor.id].effective)
    ]


def validate_assessment(session: Session, assessment_id: uuid.UUID) -> None:
    """The committee adopts an assessment under review; every risk factor must be rated."""
    assessment = _get(session, assessment_id)
    if assessment.status is AssessmentStatus.UNDER_REVIEW:
        missing = unrated_factors(session, assessment_id)
        if missing:
            raise InputError(tr("not rated yet: {factors}").format(
                factors=", ".join(f"{f.number}. {f.title}" for f in missing)))
    _move(assessment, AssessmentStatus.UNDER_REVIEW, AssessmentStatus.VALIDATED,
          N_("status: only an assessment under review is validated (this one is {status})"))


def reopen_for_review(session: Session, assessment_id: uuid.UUID) -> None:
    """The committee takes a validation back: the assessment is under review again and can be
    edited. One superseded since stays as it is."""
    _move(_get(session, assessment_id), AssessmentStatus.VALIDATED, AssessmentStatus.UNDER_REVIEW,
          N_("status: only a validated assessment is reopened for review (this one is "
             "{status})"))


def supersede(session: Session, assessment_id: uuid.UUID) -> None:
    """A validated assessment is replaced by a later one and kept for the record."""
    _move(_get(session, assessment_id), AssessmentStatus.VALIDATED, AssessmentStatus.SUPERSEDED,
          N_("status: only a validated assessment is superseded (this one is {status})"))
