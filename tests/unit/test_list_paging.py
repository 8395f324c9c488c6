"""The long lists read a window at a time: windows tile the whole list in every order, each order
is the one its key says, filters match, and a window costs the same few queries wherever it is."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from r2pdesk.audit import (
    AuditFilter,
    AuditOrder,
    count_entries,
    entry_actors,
    entry_page,
    entry_position,
    entry_tables,
    list_entries,
)
from r2pdesk.earlywarning.models import EarlyWarning, Severity, WarningStatus
from r2pdesk.earlywarning.queries import (
    WarningFilter,
    WarningOrder,
    WarningRow,
    count_warnings,
    list_warnings,
    timing_summary,
    warning_page,
    warning_position,
    warning_timelines,
)
from r2pdesk.earlywarning.timing import summarize
from r2pdesk.institutions.service import (
    InstitutionFilter,
    InstitutionOrder,
    InstitutionRow,
    count_institutions,
    institution_page,
    institution_position,
    list_institutions,
)
from r2pdesk.paging import Sort
from r2pdesk.recommendations.models import Priority, RecStatus
from r2pdesk.recommendations.queries import (
    RecFilter,
    RecOrder,
    RecRow,
    count_recommendations,
    list_recommendations,
    recommendation_page,
    recommendation_position,
)
from r2pdesk.store import Store
from tests.helpers.bulk import Bulk, bulk_store

TODAY = date(2026, 11, 21)
WARNINGS, RECOMMENDATIONS, INSTITUTIONS, ENTRIES = 3000, 1500, 450, 3000
WINDOW = 200


@pytest.fixture(scope="module")
def big(empty_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[Store, Bulk]]:
    """A database of 3000 warnings, 1500 recommendations, 450 institutions, 3000 audit entries."""
    store, made = bulk_store(empty_template, tmp_path_factory.mktemp("big") / "big.db",
                             warnings=WARNINGS, recommendations=RECOMMENDATIONS,
                             institutions=INSTITUTIONS, audit=ENTRIES)
    yield store, made
    store.close()


@pytest.fixture
def store(big: tuple[Store, Bulk]) -> Store:
    return big[0]


def _tiles(read: Callable[[int, int], Sequence[Any]], whole: Sequence[Any], key: str) -> None:
    """Windows of WINDOW rows, one after the other, give the whole list in its order."""
    pieces: list[Any] = []
    for offset in range(0, len(whole) + WINDOW, WINDOW):
        pieces.extend(read(offset, WINDOW))
    assert [getattr(r, key) for r in pieces] == [getattr(r, key) for r in whole]


def _in_order(keys: list[Any], descending: bool) -> bool:
    return keys == sorted(keys, reverse=descending)


class _Nulls:
    """None before every value, as SQLite sorts NULL."""

    @staticmethod
    def key(value: Any) -> tuple[bool, Any]:
        return (value is not None, value if value is not None else 0)


def _reference(row: WarningRow) -> tuple[int, int, str]:
    _, year, number = row.reference.split("-")
    return int(year), int(number), row.reference


WARNING_KEYS: dict[WarningOrder, Callable[[WarningRow], Any]] = {
    WarningOrder.REFERENCE: _reference,
    WarningOrder.TITLE: lambda r: (r.title.lower(), r.title),
    WarningOrder.SEVERITY: lambda r: -1 if r.severity is None else list(Severity).index(r.severity),
    WarningOrder.STATUS: lambda r: list(WarningStatus).index(r.status),
    WarningOrder.ISSUED: lambda r: _Nulls.key(r.issued),
    WarningOrder.DUE: lambda r: _Nulls.key(r.response_due),
    WarningOrder.ADDRESSEES: lambda r: _Nulls.key(
        min((name.lower() for name in r.addressees), default=None)),
    WarningOrder.DAYS_TO_ACTION: lambda r: _Nulls.key(r.days_to_action),
}


# --- warnings -----------------------------------------------------------------------------------


def test_the_register_is_newest_entered_first_and_its_windows_tile_it(
    big: tuple[Store, Bulk],
) -> None:
    store, made = big
    with store.reader() as session:
        whole = warning_page(session, today=TODAY)
        assert [r.id for r in whole] == made.warnings[::-1]
        assert count_warnings(session, today=TODAY) == WARNINGS
        _tiles(lambda o, n: warning_page(session, today=TODAY, offset=o, limit=n), whole, "id")
        assert warning_page(session, today=TODAY, offset=WARNINGS, limit=WINDOW) == []


@pytest.mark.parametrize("key", list(WarningOrder))
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_of_the_register_sorts_in_sql(
    store: Store, key: WarningOrder, descending: bool
) -> None:
    sort = Sort(key, descending)
    with store.reader() as session:
        whole = warning_page(session, None, sort, today=TODAY)
        assert len(whole) == WARNINGS
        assert _in_order([WARNING_KEYS[key](r) for r in whole], descending)
        _tiles(lambda o, n: warning_page(session, None, sort, today=TODAY, offset=o, limit=n),
               whole, "id")
        for place in (0, 199, 200, 2345, WARNINGS - 1):
            assert warning_position(session, None, sort, whole[place].id, today=TODAY) == place


def test_register_filters_in_sql_match_the_rows(store: Store) -> None:
    with store.reader() as session:
        everything = warning_page(session, today=TODAY)
        specs: list[tuple[WarningFilter, Callable[[WarningRow], bool]]] = [
            (WarningFilter(status=WarningStatus.ISSUED),
             lambda r: r.status is WarningStatus.ISSUED),
            (WarningFilter(severity=Severity.HIGH), lambda r: r.severity is Severity.HIGH),
            (WarningFilter(overdue=True), lambda r: r.overdue),
            (WarningFilter(status=WarningStatus.ACKNOWLEDGED, overdue=True),
             lambda r: r.overdue and r.status is WarningStatus.ACKNOWLEDGED),
        ]
        for spec, keep in specs:
            expected = [r.id for r in everything if keep(r)]
            assert expected, spec
            assert [r.id for r in warning_page(session, spec, today=TODAY)] == expected
            assert count_warnings(session, spec, today=TODAY) == len(expected)
            first = warning_page(session, spec, today=TODAY, limit=WINDOW)
            assert [r.id for r in first] == expected[:WINDOW]
            assert warning_position(session, spec, None, expected[-1], today=TODAY) == (
                len(expected) - 1)
        left_out = next(r for r in everything if r.severity is not Severity.HIGH)
        assert warning_position(session, WarningFilter(severity=Severity.HIGH), None,
                                left_out.id, today=TODAY) is None


def test_register_search_finds_words_by_their_start_and_keeps_confidential_text_out(
    store: Store,
) -> None:
    with store.session() as session:
        secret = session.scalars(select(EarlyWarning).where(EarlyWarning.confidential)).first()
        public = session.scalars(select(EarlyWarning).where(~EarlyWarning.confidential)).first()
        assert secret is not None
        assert public is not None
        secret.description = public.description = "Zanzibarite convoy sighted"
        ids, title = (secret.id, public.id), secret.title
    with store.reader() as session:
        found = warning_page(session, WarningFilter(text="zanzib CONVOY"), today=TODAY)
        assert [r.id for r in found] == [ids[1]]  # the confidential one's text is not searched
        by_title = warning_page(session, WarningFilter(text=title), today=TODAY)
        assert ids[0] in {r.id for r in by_title}  # its title is
        # What a person types is never FTS syntax: no error, only words looked for.
        assert warning_page(session, WarningFilter(text='"* OR NEAR( ^'), today=TODAY) == []


def test_references_past_999_sort_by_their_number(store: Store) -> None:
    rows = [{"id": uuid.uuid4(), "reference": ref, "title": "Order check", "description": "",
             "status": WarningStatus.DRAFT, "resolution_note": "", "recommended_actions": "",
             "confidential": False}
            for ref in ("EW-2031-1000", "EW-2031-999", "EW-2031-10000", "EW-2032-001")]
    with store.session() as session:
        session.execute(insert(EarlyWarning), rows)
    try:
        with store.reader() as session:
            newest = warning_page(session, None, Sort(WarningOrder.REFERENCE, descending=True),
                                  today=TODAY, limit=4)
            listed = list_warnings(session, today=TODAY)[:4]
        expected = ["EW-2032-001", "EW-2031-10000", "EW-2031-1000", "EW-2031-999"]
        assert [r.reference for r in newest] == expected
        assert [r.reference for r in listed] == expected  # the full list keeps its order
    finally:
        with store.session() as session:
            for row in rows:
                session.delete(session.get_one(EarlyWarning, row["id"]))


# --- recommendations ----------------------------------------------------------------------------

REC_KEYS: dict[RecOrder, Callable[[RecRow], Any]] = {
    RecOrder.TEXT: lambda r: r.text.lower(),
    RecOrder.LEAD: lambda r: _Nulls.key(r.lead_institution.lower() or None),
    RecOrder.STATUS: lambda r: list(RecStatus).index(r.status),
    RecOrder.PRIORITY: lambda r: [Priority.HIGH, Priority.MEDIUM, Priority.LOW].index(r.priority),
    RecOrder.DUE: lambda r: _Nulls.key(r.due_on),
    RecOrder.REFERENCE: lambda r: (r.catalogue_id or f"committee: {r.source_reference}").lower(),
}


def test_recommendations_overdue_first_then_by_due_date_in_windows(store: Store) -> None:
    with store.reader() as session:
        whole = recommendation_page(session, today=TODAY)
        assert len(whole) == RECOMMENDATIONS == count_recommendations(session, today=TODAY)
        expected = sorted(whole, key=lambda r: (not r.overdue, r.due_on or date.max, r.text))
        assert [r.id for r in whole] == [r.id for r in expected]
        assert whole == list_recommendations(session, today=TODAY)
        assert any(r.overdue for r in whole)
        assert any(r.due_on is None for r in whole)
        _tiles(lambda o, n: recommendation_page(session, today=TODAY, offset=o, limit=n),
               whole, "id")
        for place in (0, 250, 1000, RECOMMENDATIONS - 1):  # across the three parts of the order
            assert recommendation_position(session, None, None, whole[place].id,
                                           today=TODAY) == place


@pytest.mark.parametrize("key", list(RecOrder))
def test_every_column_of_the_recommendations_sorts_in_sql(store: Store, key: RecOrder) -> None:
    for descending in (False, True):
        sort = Sort(key, descending)
        with store.reader() as session:
            whole = recommendation_page(session, None, sort, today=TODAY)
            assert _in_order([REC_KEYS[key](r) for r in whole], descending)
            _tiles(lambda o, n, s=sort: recommendation_page(session, None, s, today=TODAY,
                                                            offset=o, limit=n), whole, "id")


def test_recommendation_filters_and_search(store: Store) -> None:
    with store.reader() as session:
        everything = recommendation_page(session, today=TODAY)
        lead = next(r.lead_institution_id for r in everything if r.lead_institution_id)
        for spec, keep in (
            (RecFilter(status=RecStatus.IN_PROGRESS), lambda r: r.status is RecStatus.IN_PROGRESS),
            (RecFilter(overdue=True), lambda r: r.overdue),
            (RecFilter(priority=Priority.HIGH, overdue=True),
             lambda r: r.overdue and r.priority is Priority.HIGH),
            (RecFilter(text="C-12"), lambda r: r.source_reference.startswith("C-12")),
            (RecFilter(text="(1499)"), lambda r: r.text.endswith("(1499)")),
        ):
            expected = [r.id for r in everything if keep(r)]
            assert expected, spec
            assert [r.id for r in recommendation_page(session, spec, today=TODAY)] == expected
            assert count_recommendations(session, spec, today=TODAY) == len(expected)
        led = recommendation_page(session, RecFilter(institution_id=lead), today=TODAY)
        assert lead in {r.lead_institution_id for r in led}
        name = next(r.lead_institution for r in everything if r.lead_institution_id == lead)
        by_lead = recommendation_page(session, RecFilter(text=name.split()[-1]), today=TODAY)
        assert {r.id for r in led if r.lead_institution_id == lead} <= {r.id for r in by_lead}


# --- institutions -------------------------------------------------------------------------------

INSTITUTION_KEYS: dict[InstitutionOrder, Callable[[InstitutionRow], Any]] = {
    InstitutionOrder.NAME: lambda r: (r.name.lower(), r.name),
    InstitutionOrder.ACRONYM: lambda r: r.acronym.lower(),
    InstitutionOrder.KIND: lambda r: r.kind_label.casefold(),
    InstitutionOrder.FOCAL_POINTS: lambda r: r.focal_points,
    InstitutionOrder.LEADS: lambda r: r.recommendations,
    InstitutionOrder.OPEN: lambda r: r.open_recommendations,
}


@pytest.mark.parametrize("key", list(InstitutionOrder))
def test_every_column_of_the_institutions_sorts_in_sql(
    store: Store, key: InstitutionOrder
) -> None:
    for descending in (False, True):
        sort = Sort(key, descending)
        with store.reader() as session:
            whole = institution_page(session, None, sort)
            assert len(whole) == INSTITUTIONS == count_institutions(session)
            assert _in_order([INSTITUTION_KEYS[key](r) for r in whole], descending)
            _tiles(lambda o, n, s=sort: institution_page(session, None, s, offset=o, limit=n),
                   whole, "id")
            assert institution_position(session, None, sort, whole[321].id) == 321


def test_institution_counts_and_search_in_sql(store: Store) -> None:
    with store.reader() as session:
        rows = list_institutions(session)
        assert sum(r.recommendations for r in rows) == sum(
            1 for r in recommendation_page(session, today=TODAY) if r.lead_institution_id)
        assert {r.focal_points for r in rows} == {2}
        # "O123" as a prefix of acronyms, "123-0" inside a focal point's name: one institution.
        one = next(r for r in rows if r.acronym == "O123")
        spec = InstitutionFilter(text="o123 123-0")
        assert [r.id for r in institution_page(session, spec)] == [one.id]
        assert count_institutions(session, spec) == 1


# --- the audit trail ----------------------------------------------------------------------------


def test_audit_trail_newest_first_in_windows_and_filtered(store: Store) -> None:
    with store.reader() as session:
        whole = entry_page(session)
        total = count_entries(session)
        assert len(whole) == total >= ENTRIES
        assert [r.seq for r in whole] == sorted((r.seq for r in whole), reverse=True)
        assert [r.seq for r in list_entries(session)] == [r.seq for r in reversed(whole)]
        _tiles(lambda o, n: entry_page(session, offset=o, limit=n), whole, "seq")
        assert entry_tables(session) == sorted({r.table for r in whole})
        assert entry_actors(session) == sorted({r.actor for r in whole})
        since = whole[100].at
        for spec, keep in (
            (AuditFilter(table="institution"), lambda r: r.table == "institution"),
            (AuditFilter(actor="Bo", table="early_warning"),
             lambda r: r.actor == "Bo" and r.table == "early_warning"),
            (AuditFilter(since=since), lambda r: r.at >= since),
            # a record's id: its entries, and the links naming it
            (AuditFilter(text=whole[7].record_id.upper()),
             lambda r: whole[7].record_id in r.record_id + json.dumps(r.changes)),
        ):
            expected = [r.seq for r in whole if keep(r)]
            assert expected, spec
            assert [r.seq for r in entry_page(session, spec)] == expected
            assert count_entries(session, spec) == len(expected)
        by_actor = entry_page(session, None, Sort(AuditOrder.ACTOR))
        assert _in_order([r.actor.lower() for r in by_actor], descending=False)
        assert entry_position(session, None, None, whole[1234].seq) == 1234


def test_audit_filter_since_is_a_moment(store: Store) -> None:
    moment = datetime(2016, 1, 2, tzinfo=UTC)
    with store.reader() as session:
        found = entry_page(session, AuditFilter(since=moment), limit=5)
    assert all(r.at >= moment for r in found)
    assert all(r.at - moment < timedelta(days=10_000) for r in found)


# --- the cost of a window -----------------------------------------------------------------------


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """The SELECT statements run while the test body runs."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):
            seen.append(args[2])

    event.listen(store.engine, "before_cursor_execute", note)
    yield seen
    event.remove(store.engine, "before_cursor_execute", note)


def test_a_window_costs_the_same_queries_wherever_it_is(
    store: Store, statements: list[str]
) -> None:
    readers: dict[str, Callable[[Any, int], Sequence[Any]]] = {
        "warnings": lambda s, o: warning_page(s, today=TODAY, offset=o, limit=WINDOW),
        "by severity": lambda s, o: warning_page(
            s, None, Sort(WarningOrder.SEVERITY, descending=True), today=TODAY, offset=o,
            limit=WINDOW),
        "institutions": lambda s, o: institution_page(s, offset=o, limit=WINDOW),
        "audit": lambda s, o: entry_page(s, offset=o, limit=WINDOW),
        "recommendations by due": lambda s, o: recommendation_page(
            s, None, Sort(RecOrder.DUE), today=TODAY, offset=o, limit=WINDOW),
    }
    for name, read in readers.items():
        counts = []
        for offset in (0, 100, 2 * WINDOW - 150):
            with store.reader() as session:
                statements.clear()
                assert len(read(session, offset)) == WINDOW
                counts.append(len(statements))
        assert counts == [2, 2, 2], name  # the window's rowids, then its rows
    # The recommendations' own order reads its parts in turn: a few queries, never more.
    with store.reader() as session:
        counts = []
        for offset in range(0, RECOMMENDATIONS, WINDOW):
            statements.clear()
            recommendation_page(session, today=TODAY, offset=offset, limit=WINDOW)
            counts.append(len(statements))
    assert max(counts) <= 6
    assert counts[0] == 2


def test_the_first_window_reads_no_more_rows_than_it_shows(
    store: Store, statements: list[str]
) -> None:
    with store.reader() as session:
        statements.clear()
        warning_page(session, today=TODAY, limit=WINDOW)
    chosen, rows = statements
    assert "LIMIT" in chosen
    assert "ORDER BY early_warning.rowid DESC" in chosen
    assert "group_concat" in rows  # the links, for the window's rows only
    assert "IN (" in rows
    assert "group_concat" not in chosen
    with store.reader() as session:
        plan = [row[3] for row in session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + chosen.replace("?", "200", 1).replace("?", "0"))]
    assert not any("TEMP B-TREE" in step for step in plan)  # no sort of the whole register


def test_the_response_times_summary_in_sql_is_the_rules_summary(
    store: Store, demo_store: Store
) -> None:
    for each in (store, demo_store):
        with each.reader() as session:
            for day in (TODAY, TODAY - timedelta(days=400), TODAY + timedelta(days=30)):
                expected = summarize(warning_timelines(session), day)
                assert timing_summary(session, day) == expected
    with store.reader() as session:
        assert timing_summary(session, TODAY).overdue == count_warnings(
            session, WarningFilter(overdue=True), today=TODAY)
