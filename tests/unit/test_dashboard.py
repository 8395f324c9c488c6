"""The opening page's figures, checked against plain SQL on the demo country and on an empty
database."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import AssessmentStatus, Level
from r2pdesk.dashboard import Attention, attention, short_title
from r2pdesk.earlywarning.models import Severity, WarningStatus
from r2pdesk.reference.models import Nature
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY

OPEN = ("issued", "acknowledged", "response_under_way")


def _sql(session: Session, sql: str, **params: object) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(text(sql), params)]


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@pytest.fixture
def demo(demo_store: Store) -> tuple[Attention, Store]:
    with demo_store.reader() as session:
        return attention(session, today=DEMO_TODAY), demo_store


def test_open_warnings_are_counted_by_severity_and_status(demo: tuple[Attention, Store]) -> None:
    found, store = demo
    with store.reader() as session:
        rows = _sql(session, "SELECT status, severity FROM early_warning "
                             "WHERE status IN ('issued', 'acknowledged', 'response_under_way')")
    assert found.open_warnings.total == len(rows) == 6
    assert [s for s, _ in found.open_warnings.by_severity] == list(Severity)
    for severity, n in found.open_warnings.by_severity:
        assert n == sum(1 for _, s in rows if s == severity.value)
    assert found.open_warnings.count(Severity.LOW) == 0  # named, though none is open
    assert found.open_warnings.unrated == sum(1 for _, s in rows if s is None)
    assert [s for s, _ in found.open_warnings.by_status] == [WarningStatus(s) for s in OPEN]
    for status, n in found.open_warnings.by_status:
        assert n == sum(1 for s, _ in rows if s == status.value)


def test_late_responses_are_past_due_unclosed_and_never_acted_upon(
    demo: tuple[Attention, Store]
) -> None:
    found, store = demo
    with store.reader() as session:
        rows = _sql(
            session,
            "SELECT id, reference, title, severity, response_due FROM early_warning w "
            "WHERE response_due < :today AND status != 'closed' AND NOT EXISTS "
            "(SELECT 1 FROM warning_response r WHERE r.warning_id = w.id AND r.kind = 'action')",
            today=DEMO_TODAY.isoformat(),
        )
    expected = sorted(
        ((_uuid(id_), ref, title, Severity(sev), _day(due), (DEMO_TODAY - _day(due)).days)
         for id_, ref, title, sev, due in rows),
        key=lambda r: (-r[5], r[1]),
    )
    assert len(expected) == 3
    assert [(r.id, r.reference, r.title, r.severity, r.response_due, r.days_late)
            for r in found.late_responses] == expected
    assert all(r.days_late > 0 for r in found.late_responses)


def test_recommendation_deadlines(demo: tuple[Attention, Store]) -> None:
    found, store = demo
    horizon = DEMO_TODAY + timedelta(30)
    with store.reader() as session:
        rows = _sql(session,
                    "SELECT r.id, r.due_on, coalesce(i.name, '') FROM recommendation r "
                    "LEFT JOIN institution i ON i.id = r.lead_institution_id "
                    "WHERE r.due_on IS NOT NULL "
                    "AND r.status NOT IN ('implemented', 'not_applicable')")
    overdue = {(_uuid(i), _day(d), lead) for i, d, lead in rows if _day(d) < DEMO_TODAY}
    soon = {(_uuid(i), _day(d), lead) for i, d, lead in rows
            if DEMO_TODAY <= _day(d) <= horizon}
    assert (len(overdue), len(soon)) == (10, 4)
    assert {(r.id, r.due, r.lead) for r in found.overdue_recommendations} == overdue
    assert {(r.id, r.due, r.lead) for r in found.due_soon} == soon
    assert [r.days_late for r in found.overdue_recommendations] == sorted(
        ((DEMO_TODAY - d).days for _, d, _ in overdue), reverse=True)
    assert [r.days_left for r in found.due_soon] == sorted(
        (d - DEMO_TODAY).days for _, d, _ in soon)
    assert all(r.ref and r.text for r in found.overdue_recommendations)
    assert all(r.ref and r.text for r in found.due_soon)
    assert found.due_soon_days == 30


def test_the_heat_strip_shows_the_latest_validated_assessment(
    demo: tuple[Attention, Store]
) -> None:
    found, store = demo
    strip = found.heat_strip
    assert strip is not None
    with store.reader() as session:
        [(id_, title, overall, version)] = _sql(
            session,
            "SELECT id, title, coalesce(overall_override, overall_level), framework_version_id "
            "FROM assessment WHERE status = 'validated' ORDER BY period_end DESC LIMIT 1")
        factors = _sql(session, "SELECT id, number, title, nature FROM risk_factor "
                                "WHERE version_id = :v ORDER BY number", v=version)
        ratings = dict(_sql(session, "SELECT risk_factor_id, coalesce(override_level, level) "
                                     "FROM rating WHERE assessment_id = :a "
                                     "AND indicator_id IS NULL", a=id_))
        later = _sql(session, "SELECT status FROM assessment WHERE period_end > "
                              "(SELECT period_end FROM assessment WHERE id = :a)", a=id_)
    assert later  # a newer one exists, under review or a draft: the validated one wins
    assert (strip.id, strip.title, strip.status) == (_uuid(id_), title, AssessmentStatus.VALIDATED)
    assert strip.overall == Level(overall)
    assert len(strip.cells) == len(factors) == 14
    for cell, (factor_id, number, full_title, nature) in zip(strip.cells, factors, strict=True):
        assert (cell.number, cell.title, cell.nature) == (number, full_title, Nature(nature))
        assert cell.level == Level(ratings.get(factor_id, "not_assessed"))
        assert len(cell.short_title) <= 40
    assert {c.nature for c in strip.cells} == set(Nature)


def test_an_unrated_risk_factor_is_not_assessed(demo_store: Store) -> None:
    with demo_store.session() as session:
        [(assessment,)] = _sql(session, "SELECT id FROM assessment WHERE status = 'validated'")
        session.execute(text("DELETE FROM rating WHERE assessment_id = :a AND risk_factor_id = "
                             "(SELECT id FROM risk_factor WHERE number = 3)"), {"a": assessment})
    with demo_store.reader() as session:
        strip = attention(session, today=DEMO_TODAY).heat_strip
    assert strip is not None
    assert strip.cells[2].number == 3
    assert strip.cells[2].level is Level.NOT_ASSESSED


def test_without_a_validated_assessment_the_latest_reviewed_one_shows(demo_store: Store) -> None:
    with demo_store.session() as session:
        session.execute(text("UPDATE assessment SET status = 'superseded' "
                             "WHERE status = 'validated'"))
    with demo_store.reader() as session:
        strip = attention(session, today=DEMO_TODAY).heat_strip
        [(latest,)] = _sql(session, "SELECT id FROM assessment WHERE status = 'under_review'")
    assert strip is not None
    assert strip.id == _uuid(latest)
    assert strip.status is AssessmentStatus.UNDER_REVIEW


def test_drafts_alone_show_no_heat_strip(demo_store: Store) -> None:
    with demo_store.session() as session:
        session.execute(text("UPDATE assessment SET status = 'draft'"))
    with demo_store.reader() as session:
        assert attention(session, today=DEMO_TODAY).heat_strip is None


def test_the_warning_to_action_summary(demo: tuple[Attention, Store]) -> None:
    found, _ = demo
    assert found.timing.issued == 9
    assert found.timing.median_days_to_ack is not None
    assert found.timing.median_days_to_action is not None
    assert found.timing.never_acted == 4
    assert found.timing.overdue == len(found.late_responses)


def test_an_empty_database_needs_no_attention(store: Store) -> None:
    with store.reader() as session:
        found = attention(session, today=DEMO_TODAY)
    assert found.open_warnings.total == 0
    assert found.open_warnings.by_severity == tuple((s, 0) for s in Severity)
    assert all(n == 0 for _, n in found.open_warnings.by_status)
    assert found.late_responses == ()
    assert found.overdue_recommendations == ()
    assert found.due_soon == ()
    assert found.heat_strip is None
    assert (found.timing.issued, found.timing.never_acted, found.timing.overdue) == (0, 0, 0)
    assert found.timing.median_days_to_ack is None


@pytest.mark.parametrize(("title", "short"), [
    ("Weakness of State structures", "Weakness of State structures"),
    ("Situations of armed conflict or other forms of instability",
     "Situations of armed conflict or other…"),
    ("Serious threats to humanitarian or peacekeeping operations",
     "Serious threats to humanitarian…"),  # never ends on "or"
    ("Supercalifragilisticexpialidocious-and-then-some-more",
     "Supercalifragilisticexpialidocious-and-…"),
])
def test_short_titles(title: str, short: str) -> None:
    assert short_title(title) == short
    assert len(short_title(title)) <= 40
