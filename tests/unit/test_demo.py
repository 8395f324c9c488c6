"""The fictional demo country: complete, consistent, dated around `today`, and never mixed in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment, AssessmentStatus, Rating, assessment_warning
from r2pdesk.assessments.scale import derive_factor, derive_overall, effective
from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.demo import DEMO_NOTICE, DemoSummary, populate_demo
from r2pdesk.earlywarning.models import EarlyWarning, Severity, WarningStatus
from r2pdesk.errors import KnownError
from r2pdesk.institutions.models import Institution
from r2pdesk.models import (
    Area,
    Attachment,
    FocalPoint,
    Member,
    PopulationGroup,
    ProgressUpdate,
    ResilienceRating,
    Source,
    WarningEvent,
    WarningResponse,
)
from r2pdesk.recommendations.models import Recommendation, RecSource, RecStatus
from r2pdesk.reference.models import CatalogueRecommendation, TaxonomyTerm
from r2pdesk.sources.attachments import load_attachment
from r2pdesk.startup import open_store
from r2pdesk.store import Store, read_setting

TODAY = date(2026, 11, 21)
DONE = {RecStatus.IMPLEMENTED, RecStatus.NOT_APPLICABLE}
COUNTED = {
    "areas": Area,
    "groups": PopulationGroup,
    "institutions": Institution,
    "focal_points": FocalPoint,
    "members": Member,
    "sources": Source,
    "assessments": Assessment,
    "ratings": Rating,
    "resilience_ratings": ResilienceRating,
    "warnings": EarlyWarning,
    "warning_responses": WarningResponse,
    "warning_events": WarningEvent,
    "recommendations": Recommendation,
    "progress_updates": ProgressUpdate,
    "evidence_files": Attachment,
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "demo.db", member="tester")
    yield opened
    opened.close()


def _load(store: Store, today: date = TODAY) -> DemoSummary:
    with store.session() as session:
        return populate_demo(session, today=today)


def _count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _national(session: Session) -> list[Assessment]:
    return list(session.scalars(
        select(Assessment).where(Assessment.area_id.is_(None)).order_by(Assessment.period_end)
    ))


def test_summary_counts_what_was_written(store: Store) -> None:
    summary = _load(store)
    with store.reader() as session:
        for name, model in COUNTED.items():
            assert getattr(summary, name) == _count(session, model), name
    assert summary.institutions >= 12
    assert summary.members == 4
    assert summary.warnings >= 10
    assert summary.recommendations >= 25


def test_two_national_assessments_show_a_trend(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        national = _national(session)
        assert len(national) >= 2
        previous, latest = national[-2:]
        assert previous.period_end < latest.period_start
        assert previous.status is AssessmentStatus.VALIDATED
        assert latest.status in {AssessmentStatus.DRAFT, AssessmentStatus.UNDER_REVIEW}
        before = {r.risk_factor_id: r.level for r in previous.ratings if r.indicator_id is None}
        after = {r.risk_factor_id: r.level for r in latest.ratings if r.indicator_id is None}
        assert before.keys() == after.keys()
        changed = {key for key in before if before[key] != after[key]}
        assert changed
        assert changed != set(before)  # some stay the same
        assert previous.overall_level != latest.overall_level


def test_every_assessment_rates_all_fourteen_risk_factors(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        assessments = list(session.scalars(select(Assessment)))
        assert len(assessments) >= 3
        assert any(a.area_id is not None for a in assessments)
        for assessment in assessments:
            factors = [r.risk_factor_id for r in assessment.ratings if r.indicator_id is None]
            assert len(factors) == len(set(factors)) == 14, assessment.title
            assert any(r.indicator_id is not None for r in assessment.ratings)
            assert len(assessment.resilience) == 7
            assert all(r.evidence for r in assessment.ratings)


def test_every_status_is_present(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        warning_statuses = set(session.scalars(select(EarlyWarning.status)))
        severities = set(session.scalars(select(EarlyWarning.severity)))
        rec_statuses = set(session.scalars(select(Recommendation.status)))
        sources = set(session.scalars(select(Recommendation.source)))
    assert warning_statuses == set(WarningStatus)
    assert severities == set(Severity)
    assert rec_statuses == set(RecStatus)
    assert {RecSource.CATALOGUE, RecSource.COMMITTEE, RecSource.UPR, RecSource.TREATY_BODY} <= (
        sources
    )


def test_some_deadlines_are_overdue_and_some_are_near(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        recommendations = session.execute(
            select(Recommendation.due_on, Recommendation.status)
        ).all()
        warnings = session.execute(
            select(EarlyWarning.response_due, EarlyWarning.status)
        ).all()
    overdue = [r for r in recommendations if r.due_on and r.due_on < TODAY and r.status not in DONE]
    soon = [r for r in recommendations if r.due_on and TODAY <= r.due_on <= TODAY + timedelta(30)]
    later = [r for r in recommendations if r.due_on and r.due_on > TODAY + timedelta(30)]
    assert overdue
    assert soon
    assert later
    late = [status for due, status in warnings if due and due < TODAY]
    assert WarningStatus.ISSUED in late  # still open, and past its response deadline


def test_recommendations_are_consistent_with_their_history(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        recommendations = list(session.scalars(select(Recommendation)))
        adopted = [r for r in recommendations if r.source is RecSource.CATALOGUE]
        assert len(adopted) >= 15
        for rec in adopted:
            item = session.get(CatalogueRecommendation, rec.catalogue_id)
            assert item is not None
            assert item.target == "Member States"
            assert rec.text == item.text
        for rec in recommendations:
            days = [update.on for update in rec.updates]
            assert days == sorted(days)
            assert all(rec.made_on <= day <= TODAY for day in days)
            expected = rec.updates[-1].status if rec.updates else RecStatus.NOT_STARTED
            assert rec.status is expected
            assert rec.lead_institution_id is not None


def test_warnings_follow_their_life_cycle(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        warnings = list(session.scalars(select(EarlyWarning)))
        cited = session.execute(
            select(Assessment.period_end, EarlyWarning.issued_on)
            .join(assessment_warning, assessment_warning.c.assessment_id == Assessment.id)
            .join(EarlyWarning, assessment_warning.c.warning_id == EarlyWarning.id)
        ).all()
        assert len({w.reference for w in warnings}) == len(warnings)
        for warning in warnings:
            assert re.fullmatch(r"EW-\d{4}-\d{3}", warning.reference)
            assert warning.severity is not None
            assert warning.likelihood is not None
            assert warning.horizon is not None
            _check_stage(warning)
        assert any(e.kind == "escalation" and e.reason for w in warnings for e in w.events)
        assert cited
        assert all(issued is not None and issued <= end for end, issued in cited)


def _check_stage(warning: EarlyWarning) -> None:
    if warning.status is WarningStatus.DRAFT:
        assert warning.issued_on is None
        assert not warning.responses
        return
    assert warning.issued_on is not None
    assert warning.response_due is not None
    assert warning.response_due > warning.issued_on
    closed = warning.status is WarningStatus.CLOSED
    assert (warning.resolution is not None) is closed
    assert (warning.closed_on is not None) is closed
    if warning.status is not WarningStatus.ISSUED:
        assert warning.responses
    statuses = [e.to_value for e in warning.events if e.kind == "status"]
    assert statuses[-1] == warning.status.value


def test_group_kinds_are_taxonomy_codes(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        kinds = set(session.scalars(select(PopulationGroup.kind)))
        codes = set(session.scalars(
            select(TaxonomyTerm.code).where(TaxonomyTerm.kind == "group_kinds")
        ))
    assert kinds <= codes
    assert {"religious", "ethnical", "displaced_persons", "journalists"} <= kinds


def test_changes_are_audited(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        assert _count(session, AuditEntry) > 0
        assert verify_chain(session) is None


def test_notice_and_committee_name_are_stored(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        notice = read_setting(session, "demo")
        assert notice == DEMO_NOTICE
        assert "fictional" in notice
        assert read_setting(session, "committee_name")


def test_a_second_load_is_refused_and_changes_nothing(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        before = {model: _count(session, model) for model in (*COUNTED.values(), AuditEntry)}
    with pytest.raises(KnownError, match="demo"):
        _load(store)
    with store.reader() as session:
        assert {model: _count(session, model) for model in before} == before


def test_a_database_with_real_records_is_refused(store: Store) -> None:
    with store.session() as session:
        session.add(Institution(name="Ministry of Justice"))
    with pytest.raises(KnownError, match="records"):
        _load(store)
    with store.reader() as session:
        assert read_setting(session, "demo") == ""
        assert _count(session, Institution) == 1


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2027, 6, 30), date(2028, 12, 31)])
def test_the_demo_stays_current(store: Store, today: date) -> None:
    summary = _load(store, today)
    with store.reader() as session:
        latest = _national(session)[-1]
        assert today - timedelta(days=40) <= latest.period_end < today
        warnings = list(session.scalars(select(EarlyWarning)))
        assert all(w.issued_on is None or w.issued_on <= today for w in warnings)
        assert any(
            w.response_due and w.response_due < today and w.status is not WarningStatus.CLOSED
            for w in warnings
        )
    assert summary.warnings >= 10


def test_the_demo_is_deterministic(tmp_path: Path) -> None:
    contents = []
    for name in ("one.db", "two.db"):
        store = open_store(tmp_path / name, member="tester")
        try:
            summary = _load(store)
            with store.reader() as session:
                contents.append((summary, _fingerprint(session)))
        finally:
            store.close()
    assert contents[0] == contents[1]


def _fingerprint(session: Session) -> list[tuple[object, ...]]:
    warnings = session.execute(select(
        EarlyWarning.reference, EarlyWarning.title, EarlyWarning.status, EarlyWarning.issued_on,
        EarlyWarning.response_due,
    ).order_by(EarlyWarning.reference)).all()
    recommendations = session.execute(select(
        Recommendation.text, Recommendation.status, Recommendation.due_on,
    ).order_by(Recommendation.text)).all()
    return [tuple(row) for row in (*warnings, *recommendations)]


def test_implemented_recommendations_carry_a_fictional_pdf(store: Store) -> None:
    summary = _load(store)
    with store.reader() as session:
        implemented = session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.status == RecStatus.IMPLEMENTED)
        ).all()
        assert summary.evidence_files == len(implemented) > 0
        for info in session.scalars(select(Attachment)):
            _, data = load_attachment(session, info.id)
            assert data.startswith(b"%PDF-")
            assert b"FICTIONAL DEMO DOCUMENT" in data
            assert info.original_name.endswith(".pdf")


def test_stored_levels_follow_the_derivation_rule(store: Store) -> None:
    _load(store)
    with store.reader() as session:
        for assessment in session.scalars(select(Assessment)):
            factors = [r for r in assessment.ratings if r.indicator_id is None]
            for factor in factors:
                indicators = [r.level for r in assessment.ratings
                              if r.indicator_id is not None
                              and r.risk_factor_id == factor.risk_factor_id]
                if indicators:
                    assert factor.level is derive_factor(indicators), factor.evidence
                if factor.override_level is not None:
                    assert factor.override_justification
            levels = [effective(f.level, f.override_level) for f in factors]
            assert assessment.overall_level is derive_overall(levels)
