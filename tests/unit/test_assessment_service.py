"""Risk assessments without Qt: create, rate (autosave), derive, override, review, copy forward,
trends, heat map, and framework versions that old assessments keep."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
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
    rating_source,
)
from r2pdesk.assessments.queries import (
    AssessmentRow,
    assessment_grid,
    heat_map,
    list_assessments,
    previous_assessment,
    trends,
)
from r2pdesk.assessments.scale import Trend
from r2pdesk.assessments.service import (
    AssessmentInput,
    RatingInput,
    copy_forward,
    create_assessment,
    return_to_draft,
    save_rating,
    save_resilience,
    set_overall_override,
    submit_for_review,
    supersede,
    unrated_factors,
    update_assessment,
    validate_assessment,
)
from r2pdesk.context.models import Area
from r2pdesk.errors import InputError
from r2pdesk.reference.frameworks import (
    AddIndicator,
    EditIndicator,
    SetIndicatorsStatus,
    new_version,
    version_content,
)
from r2pdesk.reference.models import (
    FrameworkVersion,
    Indicator,
    IndicatorsStatus,
    Nature,
    RiskFactor,
)
from r2pdesk.reference.service import default_framework_version
from r2pdesk.sources.models import Source
from r2pdesk.store import Store

H1 = AssessmentInput(
    title="National risk assessment, first half of 2026",
    period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), phase=Phase.EMERGING_RISK,
    authors="Chair; Analyst", summary="Risk is rising in the north.",
)
H2 = AssessmentInput(
    title="National risk assessment, second half of 2026",
    period_start=date(2026, 7, 1), period_end=date(2026, 12, 31),
)
L, M, H, S = Level.LOW, Level.MODERATE, Level.HIGH, Level.SEVERE


def _version(session: Session) -> FrameworkVersion:
    version = default_framework_version(session)
    assert version is not None
    return version


def _factor(session: Session, number: int, version: FrameworkVersion | None = None) -> RiskFactor:
    version = version or _version(session)
    return next(f for f in version.risk_factors if f.number == number)


def _indicator(session: Session, code: str, version: FrameworkVersion | None = None) -> Indicator:
    number = int(code.split(".", 1)[0])
    return next(i for i in _factor(session, number, version).indicators if i.code == code)


def _rate(session: Session, aid: uuid.UUID, code: str, level: Level, **extra: object) -> uuid.UUID:
    """Rate an indicator ("7.1") or a risk factor directly ("RF3")."""
    if code.startswith("RF"):
        factor, indicator_id = _factor(session, int(code[2:])), None
    else:
        indicator = _indicator(session, code)
        factor, indicator_id = indicator.risk_factor, indicator.id
    cell = RatingInput(risk_factor_id=factor.id, indicator_id=indicator_id, level=level)
    return save_rating(session, aid, replace(cell, **extra))


def _factor_level(session: Session, aid: uuid.UUID, number: int) -> Level:
    grid = assessment_grid(session, aid)
    return next(f for f in grid.factors if f.number == number).effective_level


def _overall(session: Session, aid: uuid.UUID) -> Level:
    return session.get_one(Assessment, aid).overall_level


def _rate_all(session: Session, aid: uuid.UUID, level: Level = L) -> None:
    for number in range(1, 15):
        _rate(session, aid, f"RF{number}", level)


def _demo(rows: list[AssessmentRow], status: AssessmentStatus, scope: str = "national") -> (
    AssessmentRow
):
    return next(r for r in rows if r.status is status and r.scope == scope)


# --- creating and editing -------------------------------------------------------------------


def test_a_new_assessment_is_a_national_draft_on_the_latest_framework(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        assessment = session.get_one(Assessment, aid)
        assert assessment.status is AssessmentStatus.DRAFT
        assert assessment.area_id is None
        assert assessment.framework_version_id == _version(session).id
        assert assessment.overall_level is Level.NOT_ASSESSED
        assert assessment.authors == "Chair; Analyst"


def test_a_period_that_ends_before_it_starts_is_refused(store: Store) -> None:
    bad = AssessmentInput("Q1", period_start=date(2026, 3, 1), period_end=date(2026, 1, 1))
    with store.session() as session:
        with pytest.raises(InputError) as caught:
            create_assessment(session, bad)
        assert str(caught.value) == "period: ends 2026-01-01, before it starts 2026-03-01"
        with pytest.raises(InputError, match="title: an assessment needs a title"):
            create_assessment(session, AssessmentInput(" ", H1.period_start, H1.period_end))
        with pytest.raises(InputError, match="area: not in the database"):
            create_assessment(session, AssessmentInput("R", H1.period_start, H1.period_end,
                                                       area_id=uuid.uuid4()))
        assert session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_editing_an_assessment_keeps_its_framework_version(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "RF1", M)
        v2 = new_version(session, _version(session).framework_id,
                         [AddIndicator(7, "7.N1", "Registration of village patrols.")])
        update_assessment(session, aid, AssessmentInput(
            "Renamed", H1.period_start, date(2026, 7, 31), phase=Phase.ACTIVE_CRISIS))
        assessment = session.get_one(Assessment, aid)
        assert (assessment.title, assessment.period_end) == ("Renamed", date(2026, 7, 31))
        assert assessment.framework_version_id != v2
        with pytest.raises(InputError, match="keeps its framework version; copy it forward"):
            update_assessment(session, aid, AssessmentInput(
                "Renamed", H1.period_start, H1.period_end, framework_version_id=v2))


# --- rating and deriving --------------------------------------------------------------------


def test_rating_indicators_derives_the_factor_and_overall_levels(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        first = _rate(session, aid, "7.1", L, evidence="Emergency decree in two districts.")
        assert _factor_level(session, aid, 7) is L
        assert _overall(session, aid) is L
        _rate(session, aid, "7.5", S)
        assert _factor_level(session, aid, 7) is S  # one severe indicator is never averaged away
        assert _overall(session, aid) is S
        _rate(session, aid, "7.5", M)
        _rate(session, aid, "RF1", H)
        assert _factor_level(session, aid, 7) is M
        assert _overall(session, aid) is H
        factor_row = session.scalars(select(Rating).where(
            Rating.assessment_id == aid, Rating.risk_factor_id == _factor(session, 7).id,
            Rating.indicator_id.is_(None))).one()
        assert factor_row.level is M  # the derived level is stored in the factor's own row
        assert factor_row.override_level is None
        # each cell is saved on its own: saving one again updates it and loses no other
        assert _rate(session, aid, "7.1", H) == first
        ratings = session.scalars(select(Rating).where(Rating.assessment_id == aid)).all()
        assert len(ratings) == 4  # 7.1, 7.5, RF7 (derived), RF1
        assert next(r for r in ratings if r.id == first).evidence == ""
        assert _factor_level(session, aid, 7) is H


def test_clearing_the_last_rated_indicator_leaves_the_factor_unrated(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "RF7", H)
        _rate(session, aid, "7.2", L)
        assert _factor_level(session, aid, 7) is L
        _rate(session, aid, "7.2", Level.NOT_ASSESSED)
        assert _factor_level(session, aid, 7) is Level.NOT_ASSESSED
        assert _overall(session, aid) is Level.NOT_ASSESSED


def test_a_factor_with_rated_indicators_is_not_rated_directly(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "7.3", M)
        with pytest.raises(InputError, match=r"risk factor 7 takes its level from its rated "
                                             r"indicators \(moderate\); to rate it otherwise"):
            _rate(session, aid, "RF7", H)
        # the factor's own cell still takes its evidence and confidence, keeping the derived level
        _rate(session, aid, "RF7", Level.NOT_ASSESSED, evidence="Checkpoints everywhere.",
              confidence=Confidence.HIGH)
        grid = assessment_grid(session, aid)
        rf7 = next(f for f in grid.factors if f.number == 7)
        assert rf7.derived_level is M
        assert rf7.from_indicators
        assert rf7.rating is not None
        assert rf7.rating.evidence == "Checkpoints everywhere."


def test_an_override_needs_a_justification_and_counts_over_the_derived_level(
    store: Store,
) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "7.5", S)
        with pytest.raises(InputError, match="override of risk factor 7: an override to low "
                                             "needs a written justification"):
            _rate(session, aid, "RF7", Level.NOT_ASSESSED, override_level=L)
        with pytest.raises(InputError,
                           match=r"override of indicator 7\.5: an override to high needs"):
            _rate(session, aid, "7.5", S, override_level=H, override_justification=" ")
        _rate(session, aid, "RF7", Level.NOT_ASSESSED, override_level=H,
              override_justification="The armed groups are confined to one district.")
        rf7 = next(f for f in assessment_grid(session, aid).factors if f.number == 7)
        assert (rf7.derived_level, rf7.override_level, rf7.effective_level) == (S, H, H)
        assert _overall(session, aid) is H


def test_the_overall_override_needs_its_own_justification(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "RF1", S)
        with pytest.raises(InputError, match="overall override: an override to high needs"):
            set_overall_override(session, aid, H, "")
        set_overall_override(session, aid, H, "Clashes confined to two districts.")
        row = list_assessments(session)[0]
        assert (row.overall_level, row.overall_override, row.effective_level) == (S, H, H)
        set_overall_override(session, aid, None, "")
        assessment = session.get_one(Assessment, aid)
        assert assessment.overall_override is None
        assert assessment.override_justification == ""


def test_ratings_are_refused_outside_the_assessments_framework(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        with pytest.raises(InputError,
                           match=r"indicator: 8\.1 is not an indicator of risk factor 7"):
            save_rating(session, aid, RatingInput(
                _factor(session, 7).id, _indicator(session, "8.1").id, L))
        with pytest.raises(InputError, match="sources: 1 not in the database"):
            _rate(session, aid, "RF1", L, source_ids=(uuid.uuid4(),))
        v2 = session.get_one(FrameworkVersion, new_version(
            session, _version(session).framework_id, [AddIndicator(7, "7.N1", "Patrols.")]))
        with pytest.raises(InputError, match="risk factor: not a risk factor of this assessment"):
            save_rating(session, aid, RatingInput(_factor(session, 7, v2).id, level=L))
        assert session.scalar(select(func.count()).select_from(Rating)) == 0


def test_a_rating_keeps_its_links_to_sources(store: Store) -> None:
    with store.session() as session:
        source = Source(title="Field mission report")
        session.add(source)
        session.flush()
        aid = create_assessment(session, H1)
        rid = _rate(session, aid, "RF1", H, source_ids=(source.id, source.id), confidential=True)
        assert session.scalars(select(rating_source.c.source_id).where(
            rating_source.c.rating_id == rid)).all() == [source.id]
        view = assessment_grid(session, aid).factors[0].rating
        assert view is not None
        assert view.source_ids == (source.id,)
        assert view.confidential
        _rate(session, aid, "RF1", H)  # saved again without the source: the link goes
        assert session.scalar(select(func.count()).select_from(rating_source)) == 0


def test_resilience_is_saved_once_per_inhibitor(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        inhibitor = _version(session).resilience_factors[0]
        first = save_resilience(session, aid, inhibitor.id, Strength.WEAK, " Vetting stalled. ")
        again = save_resilience(session, aid, inhibitor.id, Strength.MODERATE, "Vetting resumed.")
        assert first == again
        cell = assessment_grid(session, aid).resilience[0]
        assert (cell.strength, cell.notes) == (Strength.MODERATE, "Vetting resumed.")
        with pytest.raises(InputError, match="inhibitor: not an inhibitor"):
            save_resilience(session, aid, uuid.uuid4(), Strength.WEAK, "")


def test_the_grid_holds_every_risk_factor_with_its_indicators(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        _rate(session, aid, "8.7", H)
        grid = assessment_grid(session, aid)
        assert [f.number for f in grid.factors] == list(range(1, 15))
        counts = {f.number: len(f.indicators) for f in grid.factors if f.indicators}
        assert counts == {7: 10, 8: 12, 9: 6, 13: 9}
        rf8 = grid.factors[7]
        assert rf8.effective_level is H
        assert [i.level for i in rf8.indicators if i.rating] == [H]
        assert rf8.trend is None  # no previous assessment
        assert grid.editable
        assert grid.previous is None
        assert len(grid.resilience) == 7
        assert grid.framework == "Framework of Analysis for Atrocity Crimes, version 1"


# --- review ---------------------------------------------------------------------------------


def test_validation_is_refused_while_a_risk_factor_is_unrated(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        for number in range(1, 15):
            if number not in (3, 9):
                _rate(session, aid, f"RF{number}", L)
        with pytest.raises(InputError, match="only an assessment under review is validated"):
            validate_assessment(session, aid)
        submit_for_review(session, aid)
        with pytest.raises(InputError) as caught:
            validate_assessment(session, aid)
        assert str(caught.value) == (
            "not rated yet: 3. Weakness of State structures, 9. Intergroup tensions or patterns "
            "of discrimination against protected groups"
        )
        assert [f.number for f in unrated_factors(session, aid)] == [3, 9]
        _rate(session, aid, "RF3", Level.NOT_PRESENT)  # not present is a rating
        _rate(session, aid, "9.2", M)  # a rated indicator rates its factor
        validate_assessment(session, aid)
        assert session.get_one(Assessment, aid).status is AssessmentStatus.VALIDATED
        with pytest.raises(InputError, match="a validated assessment is kept as it is"):
            _rate(session, aid, "RF1", H)
        supersede(session, aid)
        assert session.get_one(Assessment, aid).status is AssessmentStatus.SUPERSEDED


def test_review_moves_one_step_at_a_time(store: Store) -> None:
    with store.session() as session:
        aid = create_assessment(session, H1)
        with pytest.raises(InputError, match=r"only a validated assessment is superseded "
                                             r"\(this one is draft\)"):
            supersede(session, aid)
        submit_for_review(session, aid)
        _rate(session, aid, "RF1", M)  # reviewers may still amend
        return_to_draft(session, aid)
        assert session.get_one(Assessment, aid).status is AssessmentStatus.DRAFT


# --- the demo: previous, trends, copy forward, heat map, list -------------------------------


def test_trends_of_the_demos_national_assessments(demo_store: Store) -> None:
    with demo_store.session() as session:
        rows = list_assessments(session)
        latest = _demo(rows, AssessmentStatus.UNDER_REVIEW)
        earlier = _demo(rows, AssessmentStatus.VALIDATED)
        previous = previous_assessment(session, latest.id)
        assert previous is not None
        assert previous.id == earlier.id
        assert previous_assessment(session, earlier.id) is None
        assert trends(session, earlier.id) == []
        moved = {(t.risk_factor_number, t.indicator_code): t.trend
                 for t in trends(session, latest.id)}
        assert moved[(1, None)] is Trend.WORSE
        assert moved[(2, None)] is Trend.SAME
        assert moved[(12, None)] is Trend.BETTER
        assert moved[(7, "7.6")] is Trend.WORSE
        assert moved[(13, "13.8")] is Trend.BETTER
        assert (7, "7.2") not in moved  # rated in neither
        rf1 = assessment_grid(session, latest.id).factors[0]
        assert (rf1.effective_level, rf1.trend) == (H, Trend.WORSE)


def test_the_regional_draft_has_no_previous_assessment(demo_store: Store) -> None:
    with demo_store.session() as session:
        regional = _demo(list_assessments(session), AssessmentStatus.DRAFT, "Velmora")
        assert previous_assessment(session, regional.id) is None
        assert regional.overall_override is H


def test_copying_forward_carries_every_rating_and_inhibitor(demo_store: Store) -> None:
    with demo_store.session() as session:
        rows = list_assessments(session)
        latest = _demo(rows, AssessmentStatus.UNDER_REVIEW)
        regional = _demo(rows, AssessmentStatus.DRAFT, "Velmora")
        new = copy_forward(session, latest.id, AssessmentInput(
            "National risk assessment, next period", date(2026, 11, 1), date(2027, 4, 30)))
        before = session.get_one(Assessment, latest.id)
        after = session.get_one(Assessment, new)
        assert after.status is AssessmentStatus.DRAFT
        assert len(after.ratings) == len(before.ratings) == 26
        assert len(after.resilience) == 7
        assert after.overall_level is before.overall_level
        assert {(r.risk_factor_id, r.indicator_id, r.level, r.evidence) for r in after.ratings} == {
            (r.risk_factor_id, r.indicator_id, r.level, r.evidence) for r in before.ratings}
        links = session.scalar(select(func.count()).select_from(rating_source).where(
            rating_source.c.rating_id.in_([r.id for r in after.ratings])))
        assert links == session.scalar(select(func.count()).select_from(rating_source).where(
            rating_source.c.rating_id.in_([r.id for r in before.ratings])))
        assert links
        previous = previous_assessment(session, new)
        assert previous is not None
        assert previous.id == latest.id
        assert {t.trend for t in trends(session, new)} == {Trend.SAME}
        # only what changed needs updating
        _rate(session, new, "7.6", S)
        assert _factor_level(session, new, 7) is S
        assert _overall(session, new) is S
        assert _factor_level(session, latest.id, 7) is H
        # the overall judgement is made afresh: the override is not carried
        copied = copy_forward(session, regional.id, AssessmentInput(
            "Velmora, next period", date(2026, 11, 1), date(2027, 4, 30),
            area_id=regional.area_id))
        assert session.get_one(Assessment, copied).overall_override is None


def test_the_heat_map_shows_a_scopes_assessments_oldest_first(demo_store: Store) -> None:
    with demo_store.session() as session:
        national = heat_map(session, None)
        assert national.scope == "national"
        assert [c.status for c in national.columns] == [
            AssessmentStatus.VALIDATED, AssessmentStatus.UNDER_REVIEW]
        assert [r.number for r in national.rows] == list(range(1, 15))
        assert all(len(r.levels) == 2 for r in national.rows)
        assert national.rows[0].levels == (M, H)
        assert national.rows[11].levels == (L, Level.NOT_PRESENT)
        natures = {r.number: r.nature for r in national.rows}
        assert natures[3] is Nature.STRUCTURAL
        assert natures[8] is Nature.DYNAMIC
        velmora = session.scalars(select(Area).where(Area.name == "Velmora")).one()
        regional = heat_map(session, velmora.id)
        assert regional.scope == "Velmora"
        assert len(regional.columns) == 1
        assert regional.rows[0].levels == (S,)
        with pytest.raises(InputError, match="area: not in the database"):
            heat_map(session, uuid.uuid4())


def test_an_empty_heat_map_still_lists_the_risk_factors(store: Store) -> None:
    with store.session() as session:
        empty = heat_map(session, None)
        assert empty.columns == ()
        assert len(empty.rows) == 14
        assert all(r.levels == () for r in empty.rows)


def test_the_list_as_json(demo_store: Store) -> None:
    with demo_store.session() as session:
        rows = [json.loads(json.dumps(r.as_json())) for r in list_assessments(session)]
    assert [(r["scope"], r["status"]) for r in rows] == [
        ("national", "under_review"), ("Velmora", "draft"), ("national", "validated")]
    first = rows[0]
    assert {"id", "title", "scope", "period_start", "period_end", "phase", "status",
            "overall_level", "ratings"} <= first.keys()
    assert first["overall_level"] == "high"
    assert first["ratings"] == 26
    assert first["period_end"] == "2026-10-31"
    assert rows[1]["overall_override"] == "high"


# --- framework versions ---------------------------------------------------------------------


def test_a_new_framework_version_is_a_full_copy_with_the_changes(store: Store) -> None:
    with store.session() as session:
        v1 = _version(session)
        old = create_assessment(session, H1)
        _rate(session, old, "7.1", H)
        v2_id = new_version(session, v1.framework_id, [
            AddIndicator(7, "7.N1", "Registration of village patrols with the police."),
            EditIndicator(8, "8.3", "Measures by the international community."),
            SetIndicatorsStatus(7, IndicatorsStatus.COMPLETE),
        ], note="Adopted by the committee on 2026-06-30.")
        v2 = session.get_one(FrameworkVersion, v2_id)
        assert v2.version == 2
        assert v2.partial  # other lists are still incomplete
        assert "7.N1 added; 8.3 edited" in v2.note
        before, after = version_content(session, v1.id), version_content(session, v2_id)
        rf7 = after.factors[6]
        assert rf7.indicators_status is IndicatorsStatus.COMPLETE
        assert rf7.indicators[-1].code == "7.N1"
        assert rf7.indicators[-1].national
        assert rf7.indicators[-1].ordinal == 11
        assert after.factors[7].indicators[2].text == "Measures by the international community."
        assert before.factors[7].indicators[2].text.startswith("Measures [taken] by")
        assert after.inhibitors == before.inhibitors
        assert len(after.factors) == 14
        # old assessments keep their version; new ones take the latest
        assert session.get_one(Assessment, old).framework_version_id == v1.id
        new = create_assessment(session, H2)
        assert session.get_one(Assessment, new).framework_version_id == v2_id
        grid = assessment_grid(session, old)
        assert len(grid.factors[6].indicators) == 10


def test_changes_to_a_framework_are_checked_before_anything_is_written(store: Store) -> None:
    with store.session() as session:
        framework_id = _version(session).framework_id
        with pytest.raises(InputError, match=r"risk factor 7 already has 7\.1"):
            new_version(session, framework_id, [AddIndicator(7, "7.1", "Again.")])
        with pytest.raises(InputError, match=r"risk factor 8 has no indicator 8\.99"):
            new_version(session, framework_id, [EditIndicator(8, "8.99", "Text.")])
        with pytest.raises(InputError, match="no risk factor 15"):
            new_version(session, framework_id, [AddIndicator(15, "15.1", "Text.")])
        with pytest.raises(InputError, match=r"indicator 7\.N1, text: empty"):
            new_version(session, framework_id, [AddIndicator(7, "7.N1", "  ")])
        assert session.scalar(select(func.count()).select_from(FrameworkVersion)) == 1


def test_copying_forward_onto_a_new_version_matches_indicators_by_code(store: Store) -> None:
    with store.session() as session:
        v1 = _version(session)
        old = create_assessment(session, H1)
        _rate(session, old, "7.5", S)
        _rate(session, old, "RF1", M)
        save_resilience(session, old, v1.resilience_factors[2].id, Strength.STRONG, "")
        v2_id = new_version(session, v1.framework_id, [AddIndicator(7, "7.N1", "Patrols.")])
        new = copy_forward(session, old, H2)
        assessment = session.get_one(Assessment, new)
        assert assessment.framework_version_id == v2_id
        v2 = session.get_one(FrameworkVersion, v2_id)
        assert {r.risk_factor_id for r in assessment.ratings} <= {f.id for f in v2.risk_factors}
        assert _factor_level(session, new, 7) is S
        assert _overall(session, new) is S
        assert session.scalar(select(ResilienceRating.strength).where(
            ResilienceRating.assessment_id == new)) is Strength.STRONG
        moved = {(t.risk_factor_number, t.indicator_code): t.trend for t in trends(session, new)}
        assert moved == {}  # the previous one is a draft: nothing to compare with
