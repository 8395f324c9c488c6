"""The large fictional database (`init --demo --scale N`): counts, proportions, the app's rules,
the audit chain and the search, on a small N."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from r2pdesk.assessments.models import Assessment, Level, Rating
from r2pdesk.assessments.scale import derive_factor, derive_overall, effective, factor_states
from r2pdesk.assessments.service import cells
from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.demo import populate_demo
from r2pdesk.demo.scale import ScaleSummary, planned, populate_scale
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    ResponseKind,
    WarningEvent,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_indicator,
    warning_risk_factor,
)
from r2pdesk.earlywarning.service import RESPONSE_DAYS
from r2pdesk.errors import KnownError
from r2pdesk.institutions.models import FocalPoint, Institution
from r2pdesk.orm import Base
from r2pdesk.recommendations.models import ProgressUpdate, Recommendation, RecStatus
from r2pdesk.reference.models import Indicator, RiskFactor
from r2pdesk.search import WARNINGS, matches
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, copy_database

N = 500
DEMO = {"warnings": 11, "recommendations": 25, "progress_updates": 37, "assessments": 3,
        "institutions": 13}
REFERENCE = re.compile(r"EW-(\d{4})-(\d{3,})")


@dataclass(frozen=True)
class Generated:
    """What the generation reported: its summary and every progress call."""

    summary: ScaleSummary
    progress: list[tuple[int, int]]


Scale = tuple[Store, Generated]


@pytest.fixture(scope="module")
def scale_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generated]:
    """A demo database with the scale data for N, and what the generation reported."""
    path = tmp_path_factory.mktemp("scale") / "scale.db"
    store = open_store(path, member="tester")
    calls: list[tuple[int, int]] = []
    try:
        with store.session() as session:
            populate_demo(session, today=DEMO_TODAY)
            summary = populate_scale(session, N, today=DEMO_TODAY,
                                     progress=lambda done, total: calls.append((done, total)))
    finally:
        store.close()
    return path, Generated(summary, calls)


@pytest.fixture
def scale(scale_template: tuple[Path, Generated], tmp_path: Path) -> Iterator[Scale]:
    path, report = scale_template
    store = open_store(copy_database(path, tmp_path / "scale.db"), member="tester")
    yield store, report
    store.close()


def count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_counts_are_the_demo_and_the_scale(scale: Scale) -> None:
    store, report = scale
    summary = report.summary
    expected = planned(N)
    assert expected == {"warnings": 500, "recommendations": 100, "progress_updates": 500,
                        "assessments": 2, "institutions": 10}
    with store.reader() as session:
        for kind, model in (("warnings", EarlyWarning), ("recommendations", Recommendation),
                            ("progress_updates", ProgressUpdate), ("assessments", Assessment),
                            ("institutions", Institution)):
            assert getattr(summary, kind) == expected[kind]
            assert count(session, model) == DEMO[kind] + expected[kind]
        assert count(session, FocalPoint) == 16 + summary.focal_points
        assert summary.institutions <= summary.focal_points <= 3 * summary.institutions
        assert count(session, WarningResponse) == 13 + summary.warning_responses
        assert count(session, WarningEvent) == 27 + summary.warning_events
        assert count(session, Rating) == 78 + summary.ratings


def test_proportions_follow_the_small_demo(scale: Scale) -> None:
    summary = scale[1].summary
    per_warning = {kind: getattr(summary, kind) / N
                   for kind in ("warning_responses", "warning_events", "warning_links")}
    assert 0.8 <= per_warning["warning_responses"] <= 2.5  # the demo: 1.2
    assert 1.5 <= per_warning["warning_events"] <= 4.0  # the demo: 2.5
    assert 7 <= per_warning["warning_links"] <= 14  # the demo: 10.4
    assert 10 <= summary.ratings / summary.assessments <= 60  # every risk factor, some indicators
    assert summary.resilience_ratings == 7 * summary.assessments
    with store_reader(scale) as session:
        addressees = Counter(session.scalars(select(warning_addressee.c.warning_id)))
        indicators = Counter(session.scalars(select(warning_indicator.c.warning_id)))
        statuses = Counter(session.scalars(select(EarlyWarning.status)))
        recs = Counter(session.scalars(select(Recommendation.status)))
    assert len(addressees) == count_warnings(scale)
    assert min(addressees.values()) >= 1
    assert 1.5 <= sum(addressees.values()) / len(addressees) <= 3
    assert len(indicators) >= N  # every generated warning cites an indicator
    assert set(statuses) == set(WarningStatus)
    assert statuses[WarningStatus.CLOSED] > (N + 11) / 2  # ten years: most are closed
    assert len(recs) >= 5


def store_reader(scale: Scale) -> AbstractContextManager[Session]:
    return scale[0].reader()


def count_warnings(scale: Scale) -> int:
    with store_reader(scale) as session:
        return count(session, EarlyWarning)


def test_a_recommendations_status_is_its_latest_updates(scale: Scale) -> None:
    with store_reader(scale) as session:
        history: dict[object, list[tuple[date, object, RecStatus]]] = defaultdict(list)
        for rec_id, on, created, status in session.execute(select(
                ProgressUpdate.recommendation_id, ProgressUpdate.on, ProgressUpdate.created_at,
                ProgressUpdate.status)):
            history[rec_id].append((on, created, status))
        recs = session.execute(select(Recommendation.id, Recommendation.status,
                                      Recommendation.made_on)).all()
    assert sum(len(updates) for updates in history.values()) == N + 37
    for rec_id, status, made in recs:
        updates = sorted(history.get(rec_id, []), key=lambda u: (u[0], u[1]))
        assert status == (updates[-1][2] if updates else RecStatus.NOT_STARTED)
        assert all(made < on <= DEMO_TODAY for on, _, _ in updates) or not updates


def test_warnings_live_by_the_registers_rules(scale: Scale) -> None:
    with store_reader(scale) as session:
        warnings = session.scalars(select(EarlyWarning)).all()
        replies: dict[object, list[WarningResponse]] = defaultdict(list)
        for reply in session.scalars(select(WarningResponse)):
            replies[reply.warning_id].append(reply)
        addressed = defaultdict(set)
        for warning_id, institution_id in session.execute(select(warning_addressee)):
            addressed[warning_id].add(institution_id)
        numbers = check_warnings(warnings, replies, addressed)
    for year, used in numbers.items():  # numbered 1, 2, 3 ... within each year, none skipped
        assert used == set(range(1, max(used) + 1)), year


def check_warnings(warnings: Sequence[EarlyWarning], replies: dict[object, list[WarningResponse]],
                   addressed: dict[object, set[object]]) -> dict[int, set[int]]:
    """Check each warning against the register's rules; the numbers used in each year."""
    numbers: dict[int, set[int]] = defaultdict(set)
    for w in warnings:
        year, number = map(int, REFERENCE.fullmatch(w.reference).groups())  # type: ignore[union-attr]
        numbers[year].add(number)
        assert year == (w.issued_on or w.observed_on).year  # type: ignore[union-attr]
        assert (w.status is WarningStatus.DRAFT) == (w.issued_on is None)
        if w.issued_on is not None:
            assert w.severity is not None
            assert w.response_due == w.issued_on + timedelta(RESPONSE_DAYS[w.severity])
        assert (w.status is WarningStatus.CLOSED) == (w.closed_on is not None)
        assert (w.closed_on is None) == (w.resolution is None)
        kinds = {r.kind for r in replies[w.id]}
        if w.status in (WarningStatus.ACKNOWLEDGED, WarningStatus.RESPONSE_UNDER_WAY):
            assert ResponseKind.ACKNOWLEDGEMENT in kinds
        if w.status is WarningStatus.RESPONSE_UNDER_WAY:
            assert ResponseKind.ACTION in kinds
        for reply in replies[w.id]:
            assert w.issued_on is not None
            assert w.issued_on < reply.on <= DEMO_TODAY
            assert reply.institution_id in addressed[w.id]
    return numbers


def test_assessment_levels_follow_the_derivation_rule(scale: Scale) -> None:
    with store_reader(scale) as session:
        assessments = session.scalars(select(Assessment)).all()
        framework = set(session.scalars(select(Indicator.id)))
        factors = set(session.scalars(select(RiskFactor.id)))
        by_hand = set(session.scalars(  # the small demo's, audited one by one
            select(AuditEntry.record_id).where(AuditEntry.table_name == "assessment")))
        checked = 0
        for assessment in assessments:
            ratings = assessment.ratings
            assert {r.risk_factor_id for r in ratings} <= factors
            assert {r.indicator_id for r in ratings if r.indicator_id} <= framework
            states = factor_states(cells(ratings))
            for factor_id, state in states.items():
                rated = [effective(r.level, r.override_level) for r in ratings
                         if r.risk_factor_id == factor_id and r.indicator_id is not None]
                if any(level is not Level.NOT_ASSESSED for level in rated):
                    assert state.derived == derive_factor(rated)
            overall = derive_overall(s.effective for s in states.values())
            if str(assessment.id) in by_hand:
                continue
            assert assessment.overall_level == overall
            assert len(states) == 14
            for rating in ratings:
                assert (rating.override_level is None) == (rating.override_justification == "")
            checked += 1
    assert checked == 2


def test_generated_rows_are_stored_as_the_orm_stores_them(scale: Scale) -> None:
    """Bulk rows and the small demo's ORM rows: the same text for ids, timestamps, dates,
    enums and flags, so that SQL sorts and compares them alike."""
    sized = ("id", "created_at", "observed_on", "issued_on", "confidential")
    shapes = ", ".join([*(f"typeof({c}) || length({c})" for c in sized), "typeof(status)"])
    with store_reader(scale) as session:
        by_hand = set(session.scalars(
            select(AuditEntry.record_id).where(AuditEntry.table_name == "early_warning")))
        rows = session.execute(text(
            "SELECT id, " + shapes + " FROM early_warning WHERE issued_on IS NOT NULL")).all()
    orm = {tuple(row[1:]) for row in rows if _uuid(row[0]) in by_hand}
    bulk = {tuple(row[1:]) for row in rows if _uuid(row[0]) not in by_hand}
    assert len(orm) == 1
    assert bulk == orm


def _uuid(hex_id: str) -> str:
    return str(uuid.UUID(hex_id))


def test_links_point_at_reference_data(scale: Scale) -> None:
    with store_reader(scale) as session:
        cited = set(session.scalars(select(Indicator.code).join(
            warning_indicator, warning_indicator.c.indicator_id == Indicator.id)))
        numbers = set(session.scalars(select(RiskFactor.number).join(
            warning_risk_factor, warning_risk_factor.c.risk_factor_id == RiskFactor.id)))
    known = {code for rf in json.loads(
        (Path(__file__).parents[2] / "resources/data/foa-2014.json").read_text("utf-8"))
        ["risk_factors"] for code in (i["code"] for i in rf.get("indicators", []))}
    assert cited <= known
    assert len(cited) > 10
    assert numbers <= set(range(1, 15))


def test_the_audit_chain_holds_one_entry_for_the_generation(scale: Scale) -> None:
    store, report = scale
    with store.reader() as session:
        assert verify_chain(session) is None
        entries = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.table_name == "demo_scale")).all()
    assert len(entries) == 1
    changes = json.loads(entries[0])
    assert changes["scale"] == N
    assert changes["warnings"] == report.summary.warnings
    assert "fictional" in changes["generated"]
    with store.session() as session:  # what is written afterwards chains on
        session.add(Institution(name="Ministry of Finance"))
    with store.reader() as session:
        assert verify_chain(session) is None


def test_a_write_after_the_generation_in_the_same_session_chains_on(store: Store) -> None:
    with store.session() as session:
        populate_demo(session, today=DEMO_TODAY)
        populate_scale(session, 20, today=DEMO_TODAY)
        session.add(Institution(name="Ministry of Finance"))
    with store.reader() as session:
        assert verify_chain(session) is None
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None
        assert last.table_name == "institution"


def test_search_finds_generated_warnings(scale: Scale) -> None:
    with store_reader(scale) as session:
        title, reference = session.execute(
            select(EarlyWarning.title, EarlyWarning.reference)
            .where(EarlyWarning.confidential.is_(False)).order_by(EarlyWarning.reference.desc())
        ).first()  # type: ignore[misc]
        condition = matches(WARNINGS, title)
        assert condition is not None
        assert reference in set(session.scalars(select(EarlyWarning.reference).where(condition)))


def test_progress_is_reported_up_to_the_total(scale: Scale) -> None:
    calls = scale[1].progress
    total = sum(planned(N).values())
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_same_scale_and_day_give_the_same_data(store: Store, db_path: Path,
                                                   tmp_path: Path) -> None:
    other = open_store(copy_database(db_path, tmp_path / "other.db"), member="tester")
    try:
        rows, ids = [], []
        for each in (store, other):
            with each.session() as session:
                populate_demo(session, today=DEMO_TODAY)
                populate_scale(session, 40, today=DEMO_TODAY)
            with each.reader() as session:
                rows.append(session.execute(select(
                    EarlyWarning.reference, EarlyWarning.title, EarlyWarning.description,
                    EarlyWarning.status).order_by(EarlyWarning.reference)).all())
                ids.append(set(session.scalars(select(EarlyWarning.id))))
    finally:
        other.close()
    assert rows[0] == rows[1]
    assert len(ids[0] & ids[1]) == 40  # the generated ones; the small demo's are random


def test_the_scale_needs_the_demo_and_a_positive_number(store: Store) -> None:
    with pytest.raises(KnownError, match="demo"), store.session() as session:
        populate_scale(session, 10, today=DEMO_TODAY)
    with store.session() as session:
        populate_demo(session, today=DEMO_TODAY)
        session.flush()
        with pytest.raises(KnownError, match="1 or more"):
            populate_scale(session, 0, today=DEMO_TODAY)
        session.rollback()
    with store.reader() as session:  # both refused before anything was kept
        assert count(session, EarlyWarning) == 0


def populated(session: Session) -> Session:
    populate_demo(session, today=DEMO_TODAY)
    return session


def test_a_progress_callback_that_raises_stops_the_generation(store: Store) -> None:
    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), store.session() as session:
        populate_scale(populated(session), 50, today=DEMO_TODAY, progress=stop)
    with store.reader() as session:
        assert count(session, EarlyWarning) == 0
        assert verify_chain(session) is None
