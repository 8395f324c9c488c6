"""The early-warning register's use cases: life cycle, refusals, references, deadlines, lists."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from r2pdesk.audit import AuditEntry
from r2pdesk.context.models import Area, AreaId, GroupId, PopulationGroup
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningEvent,
    WarningId,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_area,
)
from r2pdesk.earlywarning.queries import (
    SourceRef,
    list_warnings,
    warning_detail,
    warning_timelines,
)
from r2pdesk.earlywarning.service import (
    RESPONSE_DAYS,
    WarningDraft,
    close_warning,
    create_warning,
    escalate,
    issue_warning,
    next_reference,
    record_response,
    response_days,
    set_response_days,
    update_warning,
)
from r2pdesk.earlywarning.timing import TimingSummary, summarize
from r2pdesk.errors import InputError
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.members.models import Setting
from r2pdesk.recommendations.models import Recommendation, RecommendationId
from r2pdesk.reference.models import Indicator, IndicatorId, RiskFactor, RiskFactorId
from r2pdesk.sources.models import Confidentiality, Source, SourceId, SourceKind
from r2pdesk.store import Store, write_setting
from tests.helpers.databases import DEMO_TODAY

TODAY = date(2026, 5, 4)
ACK, ACTION = ResponseKind.ACKNOWLEDGEMENT, ResponseKind.ACTION
SECRET = "The baker on Mill Street, second floor (test)"


@dataclass(frozen=True)
class World:
    """Records a warning can link to, written into the empty store."""

    ministry: InstitutionId
    police: InstitutionId
    area: AreaId
    group: GroupId
    informant: SourceId
    recommendation: RecommendationId
    indicators: tuple[IndicatorId, IndicatorId]
    risk_factor: RiskFactorId


@pytest.fixture
def world(store: Store) -> World:
    with store.session() as session:
        ministry = Institution(name="Ministry of the Interior")
        police = Institution(name="National Police")
        area = Area(name="Northern district")
        group = PopulationGroup(name="Herders", kind="ethnical")
        informant = Source(title="Village informant", kind=SourceKind.CONFIDENTIAL_INFORMANT,
                           confidentiality=Confidentiality.CONFIDENTIAL, identity=SECRET)
        recommendation = Recommendation(text="Protect the markets.", made_on=TODAY)
        session.add_all([ministry, police, area, group, informant, recommendation])
        session.flush()
        indicators = {i.code: i.id for i in session.scalars(
            select(Indicator).where(Indicator.code.in_(["7.10", "7.2"]))
        )}
        factor = session.scalar(select(RiskFactor.id).where(RiskFactor.number == 7))
        assert factor is not None
        return World(
            InstitutionId(ministry.id), InstitutionId(police.id), AreaId(area.id),
            GroupId(group.id), SourceId(informant.id), RecommendationId(recommendation.id),
            (IndicatorId(indicators["7.10"]), IndicatorId(indicators["7.2"])),
            RiskFactorId(factor),
        )


def _draft(world: World, **changes: Any) -> WarningDraft:
    draft = WarningDraft(
        title="  Armed patrols at the markets  ", observed_on=TODAY - timedelta(days=2),
        description="Men with rifles check papers.", severity=Severity.HIGH,
        likelihood=Likelihood.LIKELY, horizon=Horizon.WEEKS,
        recommended_actions="Disarm the patrols.", confidential=True,
        area_ids=(world.area,), group_ids=(world.group,), indicator_ids=world.indicators,
        risk_factor_ids=(world.risk_factor,), addressee_ids=(world.ministry, world.police),
        source_ids=(world.informant,), recommendation_ids=(world.recommendation,),
    )
    return dataclasses.replace(draft, **changes)


def _create(store: Store, draft: WarningDraft, today: date = TODAY) -> WarningId:
    with store.session() as session:
        return create_warning(session, draft, today).id


def _issued(store: Store, world: World, **changes: Any) -> WarningId:
    warning_id = _create(store, _draft(world, **changes))
    with store.session() as session:
        issue_warning(session, warning_id, TODAY)
    return warning_id


# --- the life cycle ---------------------------------------------------------------------------


def test_a_warning_goes_from_draft_to_closed(store: Store, world: World) -> None:
    with store.session() as session:
        created = create_warning(session, _draft(world), TODAY)
    assert (created.reference, created.status, created.issued_on) == (
        "EW-2026-001", WarningStatus.DRAFT, None)

    with store.session() as session:
        issued = issue_warning(session, created.id, TODAY)
    assert issued.status is WarningStatus.ISSUED
    assert issued.issued_on == TODAY
    assert issued.response_due == TODAY + timedelta(days=14)  # high

    day = TODAY + timedelta(days=2)
    with store.session() as session:
        acked = record_response(session, created.id, world.ministry, day, ACK,
                                action_taken="Receipt acknowledged.", today=day)
    assert acked.status is WarningStatus.ACKNOWLEDGED

    day = TODAY + timedelta(days=5)
    with store.session() as session:
        acting = record_response(session, created.id, world.police, day, ACTION,
                                 action_taken="Patrols disarmed.", outcome="Markets open.",
                                 today=day)
    assert acting.status is WarningStatus.RESPONSE_UNDER_WAY

    day = TODAY + timedelta(days=30)
    with store.session() as session:
        closed = close_warning(session, created.id, Resolution.RESOLVED,
                               "The patrols stopped.", day, today=day)
    assert (closed.status, closed.closed_on) == (WarningStatus.CLOSED, day)

    with store.reader() as session:
        detail = warning_detail(session, created.id)
    assert detail.title == "Armed patrols at the markets"
    assert (detail.resolution, detail.resolution_note) == (Resolution.RESOLVED,
                                                           "The patrols stopped.")
    assert [(r.institution, r.on, r.kind, r.action_taken, r.outcome) for r in detail.responses] == [
        ("Ministry of the Interior", TODAY + timedelta(2), ACK, "Receipt acknowledged.", ""),
        ("National Police", TODAY + timedelta(5), ACTION, "Patrols disarmed.", "Markets open."),
    ]
    assert [(e.kind, e.from_value, e.to_value, e.at.date()) for e in detail.events] == [
        ("status", "draft", "issued", TODAY),
        ("status", "issued", "acknowledged", TODAY + timedelta(2)),
        ("status", "acknowledged", "response_under_way", TODAY + timedelta(5)),
        ("status", "response_under_way", "closed", TODAY + timedelta(30)),
    ]
    assert all(e.at.tzinfo is UTC for e in detail.events)
    assert detail.events[1].reason == "Ministry of the Interior acknowledged receipt."
    assert detail.events[-1].reason == "The patrols stopped."
    assert {e.author for e in detail.events} == {"tester"}


def test_links_are_written_and_read_back(store: Store, world: World) -> None:
    warning_id = _create(store, _draft(world))
    with store.reader() as session:
        detail = warning_detail(session, warning_id)
        [row] = list_warnings(session, today=TODAY)
    assert [x.label for x in detail.areas] == ["Northern district"]
    assert [x.label for x in detail.groups] == ["Herders"]
    assert [x.label for x in detail.indicators] == ["7.2", "7.10"]
    assert [x.label for x in detail.risk_factors] == ["RF7"]
    assert [x.label for x in detail.addressees] == ["Ministry of the Interior", "National Police"]
    assert [x.label for x in detail.recommendations] == ["Protect the markets."]
    assert [(s.title, s.kind) for s in detail.sources] == [
        ("Village informant", SourceKind.CONFIDENTIAL_INFORMANT)]
    assert row.indicators == ("7.2", "7.10")
    assert row.risk_factors == (7,)
    assert row.addressees == ("Ministry of the Interior", "National Police")
    assert row.areas == ("Northern district",)
    assert row.confidential


def test_an_update_replaces_fields_and_links(store: Store, world: World) -> None:
    warning_id = _create(store, _draft(world))
    with store.session() as session:
        update_warning(session, warning_id, _draft(
            world, title="Patrols at two markets", severity=None, area_ids=(),
            addressee_ids=(world.police, world.police), indicator_ids=(world.indicators[1],),
        ))
    with store.reader() as session:
        detail = warning_detail(session, warning_id)
    assert (detail.title, detail.severity, detail.areas) == ("Patrols at two markets", None, ())
    assert [x.label for x in detail.addressees] == ["National Police"]
    assert [x.label for x in detail.indicators] == ["7.2"]
    assert detail.draft() == _draft(
        world, title="Patrols at two markets", severity=None, area_ids=(),
        addressee_ids=(world.police,), indicator_ids=(world.indicators[1],),
    )


def test_an_issued_warning_is_edited_from_its_own_draft(store: Store, world: World) -> None:
    warning_id = _issued(store, world)
    with store.reader() as session:
        before = warning_detail(session, warning_id)
    with store.session() as session:
        update_warning(session, warning_id, dataclasses.replace(before.draft(),
                                                                description="Now at night."))
    with store.reader() as session:
        after = warning_detail(session, warning_id)
    assert after == dataclasses.replace(before, description="Now at night.")


def test_an_action_without_acknowledgement_goes_straight_to_response_under_way(
    store: Store, world: World,
) -> None:
    warning_id = _issued(store, world)
    with store.session() as session:
        state = record_response(session, warning_id, world.police, TODAY, ACTION,
                                action_taken="Patrols disarmed.", today=TODAY)
        late_ack = record_response(session, warning_id, world.ministry, TODAY, ACK, today=TODAY)
    assert state.status is late_ack.status is WarningStatus.RESPONSE_UNDER_WAY
    with store.reader() as session:
        detail = warning_detail(session, warning_id)
    assert [e.to_value for e in detail.events] == ["issued", "response_under_way"]
    assert len(detail.responses) == 2


def test_a_closed_warning_takes_late_news_without_changing(store: Store, world: World) -> None:
    warning_id = _issued(store, world)
    with store.session() as session:
        close_warning(session, warning_id, Resolution.NO_ACTION_TAKEN, "", TODAY, today=TODAY)
        state = record_response(session, warning_id, world.police, TODAY, ACTION,
                                action_taken="Late patrols.", today=TODAY)
    assert state.status is WarningStatus.CLOSED
    with store.reader() as session:
        detail = warning_detail(session, warning_id)
    assert detail.events[-1].reason == "Closed: no_action_taken."


def test_an_escalation_brings_the_due_day_forward_only(store: Store, world: World) -> None:
    moderate = _issued(store, world, severity=Severity.MODERATE)  # due in 30 days
    high = _issued(store, world, severity=Severity.HIGH)  # due in 14 days
    day = TODAY + timedelta(days=10)
    with store.session() as session:
        earlier = escalate(session, moderate, Severity.CRITICAL, " Weapons arrived. ", day)
        later = escalate(session, high, Severity.CRITICAL, "Weapons arrived.", day)
    assert (earlier.severity, earlier.response_due) == (Severity.CRITICAL, day + timedelta(7))
    assert (later.severity, later.response_due) == (Severity.CRITICAL, TODAY + timedelta(14))
    with store.reader() as session:
        events = warning_detail(session, moderate).events
    assert [(e.kind, e.from_value, e.to_value, e.reason, e.at.date()) for e in events[1:]] == [
        ("escalation", "moderate", "critical", "Weapons arrived.", day)]


# --- refusals ---------------------------------------------------------------------------------


def _snapshot(store: Store) -> tuple[object, ...]:
    with store.reader() as session:
        def count(what: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(what)) or 0)

        return (
            count(AuditEntry), count(WarningResponse), count(WarningEvent),
            count(warning_area), count(warning_addressee),
            [tuple(r) for r in session.execute(
                select(Setting.key, Setting.value).order_by(Setting.key))],
            [tuple(r) for r in session.execute(select(
                EarlyWarning.reference, EarlyWarning.title, EarlyWarning.status,
                EarlyWarning.severity, EarlyWarning.response_due, EarlyWarning.revision,
            ).order_by(EarlyWarning.reference))],
        )


def _refuses(store: Store, action: Callable[[Session], object], message: str) -> None:
    """The action raises InputError with `message`, and writes nothing even when committed."""
    before = _snapshot(store)
    with store.session() as session, pytest.raises(InputError) as raised:
        action(session)
    assert str(raised.value) == message
    assert _snapshot(store) == before


def test_drafts_are_refused_when_wrong(store: Store, world: World) -> None:
    nowhere = AreaId(uuid.uuid4())
    cases = [
        (_draft(world, title="   "), "title: a warning needs a title"),
        (_draft(world, title="x" * 301), "title: at most 300 characters, this one has 301"),
        (_draft(world, observed_on=TODAY + timedelta(1)),
         "observed on: 2026-05-05 is in the future"),
        (_draft(world, area_ids=(world.area, nowhere)),
         "areas: 1 of those chosen is no longer in the database; choose again"),
    ]
    for draft, message in cases:
        _refuses(store, partial(create_warning, draft=draft, today=TODAY), message)


def test_an_issued_warning_is_not_edited_into_inconsistency(store: Store, world: World) -> None:
    warning_id = _issued(store, world)
    cases = [
        (_draft(world, severity=Severity.CRITICAL),
         "severity: an issued warning changes severity only by escalation"),
        (_draft(world, addressee_ids=()),
         "addressees: an issued warning keeps at least one addressee"),
        (_draft(world, observed_on=TODAY + timedelta(1)),
         "observed on: 2026-05-05 is after the day of issue, 2026-05-04"),
    ]
    for draft, message in cases:
        _refuses(store, partial(update_warning, warning_id=warning_id, draft=draft), message)


def test_issue_is_refused_when_incomplete(store: Store, world: World) -> None:
    no_addressee = _create(store, _draft(world, addressee_ids=()))
    no_severity = _create(store, _draft(world, severity=None))
    issued = _issued(store, world)
    _refuses(store, lambda s: issue_warning(s, no_addressee, TODAY),
             "addressees: name at least one institution to address the warning to")
    _refuses(store, lambda s: issue_warning(s, no_severity, TODAY),
             "severity: choose a severity before issuing the warning")
    _refuses(store, lambda s: issue_warning(s, issued, TODAY),
             "status: EW-2026-003 was already issued on 2026-05-04")
    observed_later = _create(store, _draft(world))  # observed two days before TODAY
    _refuses(store, lambda s: issue_warning(s, observed_later, TODAY - timedelta(3)),
             "issued on: 2026-05-01 is before the situation was observed, 2026-05-02")
    _refuses(store, lambda s: issue_warning(s, WarningId(uuid.uuid4()), TODAY),
             "warning: not in the register; it may have been deleted")


def test_responses_are_refused_when_wrong(store: Store, world: World) -> None:
    draft = _create(store, _draft(world))
    issued = _issued(store, world)
    nobody = InstitutionId(uuid.uuid4())
    cases: list[tuple[Callable[[Session], object], str]] = [
        (lambda s: record_response(s, draft, world.police, TODAY, ACK, today=TODAY),
         "status: responses are recorded once the warning is issued"),
        (lambda s: record_response(s, issued, world.police, TODAY - timedelta(1), ACK,
                                   today=TODAY),
         "date: 2026-05-03 is before the warning was issued, 2026-05-04"),
        (lambda s: record_response(s, issued, world.police, TODAY + timedelta(1), ACK,
                                   today=TODAY),
         "date: 2026-05-05 is in the future"),
        (lambda s: record_response(s, issued, nobody, TODAY, ACK, today=TODAY),
         "institution: choose the institution that responded"),
        (lambda s: record_response(s, issued, world.police, TODAY, ACTION, action_taken=" ",
                                   today=TODAY),
         "action taken: say what was done"),
    ]
    for action, message in cases:
        _refuses(store, action, message)


def test_escalations_are_refused_when_wrong(store: Store, world: World) -> None:
    draft = _create(store, _draft(world))
    issued = _issued(store, world)  # high
    closed = _issued(store, world)
    with store.session() as session:
        close_warning(session, closed, Resolution.RESOLVED, "", TODAY, today=TODAY)
    cases: list[tuple[Callable[[Session], object], str]] = [
        (lambda s: escalate(s, draft, Severity.CRITICAL, "Worse.", TODAY),
         "status: a draft is not escalated; change its severity before issue"),
        (lambda s: escalate(s, closed, Severity.CRITICAL, "Worse.", TODAY),
         "status: EW-2026-003 is closed and cannot be escalated"),
        (lambda s: escalate(s, issued, Severity.HIGH, "Worse.", TODAY),
         "severity: an escalation must raise the severity above high"),
        (lambda s: escalate(s, issued, Severity.LOW, "Better.", TODAY),
         "severity: an escalation must raise the severity above high"),
        (lambda s: escalate(s, issued, Severity.CRITICAL, "  ", TODAY),
         "reason: say why the warning is escalated"),
        (lambda s: escalate(s, issued, Severity.CRITICAL, "Worse.", TODAY - timedelta(1)),
         "escalated on: 2026-05-03 is before the warning was issued, 2026-05-04"),
    ]
    for action, message in cases:
        _refuses(store, action, message)


def test_closing_is_refused_when_wrong(store: Store, world: World) -> None:
    draft = _create(store, _draft(world))
    issued = _issued(store, world)
    closed = _issued(store, world)
    with store.session() as session:
        close_warning(session, closed, Resolution.RESOLVED, "", TODAY, today=TODAY)
    cases: list[tuple[Callable[[Session], object], str]] = [
        (lambda s: close_warning(s, issued, None, "Done.", TODAY, today=TODAY),
         ("resolution: choose how the warning ended (resolved, escalated, no action taken or "
          "overtaken by events) before closing it")),
        (lambda s: close_warning(s, draft, Resolution.RESOLVED, "", TODAY, today=TODAY),
         "status: a draft was never issued, so it cannot be closed"),
        (lambda s: close_warning(s, closed, Resolution.RESOLVED, "", TODAY, today=TODAY),
         "status: EW-2026-003 was already closed on 2026-05-04"),
        (lambda s: close_warning(s, issued, Resolution.RESOLVED, "", TODAY - timedelta(1),
                                 today=TODAY),
         "closed on: 2026-05-03 is before the warning was issued, 2026-05-04"),
        (lambda s: close_warning(s, issued, Resolution.RESOLVED, "", TODAY + timedelta(1),
                                 today=TODAY),
         "closed on: 2026-05-05 is in the future"),
    ]
    for action, message in cases:
        _refuses(store, action, message)


@pytest.mark.parametrize("days", [0, -3, 366])
def test_response_days_out_of_range_are_refused(store: Store, days: int) -> None:
    _refuses(store, lambda s: set_response_days(s, Severity.HIGH, days),
             f"response days (high): a whole number of days from 1 to 365, not {days}")


# --- references and deadlines -----------------------------------------------------------------


def test_references_are_never_reused_after_a_delete(store: Store, world: World) -> None:
    ids = [_create(store, _draft(world)) for _ in range(3)]
    with store.session() as session:
        assert next_reference(session, 2026) == next_reference(session, 2026) == "EW-2026-004"
        session.delete(session.get(EarlyWarning, ids[2]))
    with store.session() as session:
        assert next_reference(session, 2026) == "EW-2026-004"
        for warning_id in ids[:2]:
            session.delete(session.get(EarlyWarning, warning_id))
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
        assert create_warning(session, _draft(world), TODAY).reference == "EW-2026-004"
        assert next_reference(session, 2027) == "EW-2027-001"
        assert create_warning(session, _draft(world), date(2027, 1, 2)).reference == (
            "EW-2027-001")


def test_references_follow_the_highest_in_the_register(store: Store, world: World) -> None:
    # A warning numbered elsewhere (a merged file) counts even though the counter never saw it.
    with store.session() as session:
        session.add(EarlyWarning(reference="EW-2026-041", title="Merged from another laptop"))
        session.add(EarlyWarning(reference="EW-2026-draft", title="Oddly numbered"))
        write_setting(session, "warning_counter.2026", "7")
    with store.session() as session:
        assert create_warning(session, _draft(world), TODAY).reference == "EW-2026-042"


def test_response_days_follow_the_settings(store: Store, world: World) -> None:
    with store.session() as session:
        assert response_days(session) == dict(RESPONSE_DAYS)
        assert set_response_days(session, Severity.HIGH, 3)[Severity.HIGH] == 3
        write_setting(session, "response_days.low", "many")  # not a number: the default holds
    with store.reader() as session:
        assert response_days(session) == {
            Severity.CRITICAL: 7, Severity.HIGH: 3, Severity.MODERATE: 30, Severity.LOW: 60}
    warning_id = _issued(store, world)  # high
    with store.reader() as session:
        assert warning_detail(session, warning_id).response_due == TODAY + timedelta(3)


def test_the_defaults_are_documented() -> None:
    from r2pdesk.earlywarning import service

    assert service.__doc__ is not None
    for severity, days in RESPONSE_DAYS.items():
        assert f"{severity.value}" in service.__doc__
        assert f"{days} days" in service.__doc__
    assert dict(RESPONSE_DAYS) == {Severity.CRITICAL: 7, Severity.HIGH: 14,
                                   Severity.MODERATE: 30, Severity.LOW: 60}


# --- the demo register ------------------------------------------------------------------------

RALLIES = "Calls to violence against Dravi herders at election rallies"
OVERDUE = {
    RALLIES,
    "Threats against journalists covering the northern clashes",
    "Protests against the Kesh Valley mining concession",
}


@pytest.fixture
def statements(demo_store: Store) -> Iterator[list[str]]:
    """The SQL statements run while the test body runs."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(demo_store.engine, "before_cursor_execute", note)
    yield seen
    event.remove(demo_store.engine, "before_cursor_execute", note)


def test_the_demo_register_in_few_queries(demo_store: Store, statements: list[str]) -> None:
    with demo_store.reader() as session:
        statements.clear()
        rows = list_warnings(session, today=DEMO_TODAY)
        # One query: the links and responses are read beside each warning.
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert len(rows) == 11
    references = [row.reference for row in rows]
    assert len(set(references)) == 11
    assert references == sorted(references, reverse=True)
    assert {row.title for row in rows if row.overdue} == OVERDUE

    [rallies] = [row for row in rows if row.title == RALLIES]
    assert (rallies.severity, rallies.status) == (Severity.CRITICAL, WarningStatus.ISSUED)
    assert rallies.issued == DEMO_TODAY - timedelta(25)
    assert rallies.response_due == DEMO_TODAY - timedelta(18)
    assert rallies.indicators == ("8.7", "8.8", "13.5")
    assert rallies.risk_factors == (8, 9, 10)
    assert rallies.addressees == (
        "Lorvanian National Police", "Ministry of Justice", "Ministry of the Interior")
    assert rallies.areas == ("Kesh Valley",)
    assert (rallies.days_to_ack, rallies.days_to_action) == (None, None)

    [schools] = [row for row in rows if row.title.startswith("Armed personnel occupying")]
    assert (schools.days_to_ack, schools.days_to_action, schools.overdue) == (3, 20, False)


def test_the_demo_register_filters(demo_store: Store) -> None:
    with demo_store.reader() as session:
        drafts = list_warnings(session, today=DEMO_TODAY, status=WarningStatus.DRAFT)
        overdue = list_warnings(session, today=DEMO_TODAY, overdue=True)
        acknowledged_overdue = list_warnings(
            session, today=DEMO_TODAY, status=WarningStatus.ACKNOWLEDGED, overdue=True)
    assert {row.status for row in drafts} == {WarningStatus.DRAFT}
    assert len(drafts) == 2
    assert {row.title for row in overdue} == OVERDUE
    assert len(acknowledged_overdue) == 2


def test_the_demo_response_times(demo_store: Store) -> None:
    with demo_store.reader() as session:
        timelines = warning_timelines(session)
    assert len(timelines) == 11
    assert summarize(timelines, DEMO_TODAY) == TimingSummary(
        issued=9,
        median_days_to_ack=4.0,  # of 3, 4, 15, 4, 5, 5 and 4
        median_days_to_action=25.0,  # of 20, 20, 45, 30 and 25
        never_acted=4,  # mining, journalists, rallies, worship
        overdue=3,
    )


def test_the_demo_register_as_json(demo_store: Store) -> None:
    with demo_store.reader() as session:
        rows = {row.title: row.as_json() for row in list_warnings(session, today=DEMO_TODAY)}
    json.dumps(list(rows.values()))  # plain JSON all through
    rallies = rows[RALLIES]
    assert {"id", "reference", "title", "severity", "status", "issued", "response_due", "overdue",
            "indicators", "addressees"} <= rallies.keys()
    assert rallies["severity"] == "critical"
    assert rallies["status"] == "issued"
    assert rallies["issued"] == "2026-10-27"
    assert rallies["response_due"] == "2026-11-03"
    assert rallies["overdue"] is True
    assert rallies["indicators"] == ["8.7", "8.8", "13.5"]
    assert rallies["addressees"] == [
        "Lorvanian National Police", "Ministry of Justice", "Ministry of the Interior"]
    uuid.UUID(str(rallies["id"]))
    draft = rows["Textbook revision removing Dravi-language content"]
    assert (draft["issued"], draft["response_due"], draft["overdue"]) == (None, None, False)


def test_the_demo_detail_of_a_confidential_warning(demo_store: Store) -> None:
    with demo_store.reader() as session:
        warning_id = session.scalar(select(EarlyWarning.id).where(
            EarlyWarning.title.startswith("Armed self-defence groups")))
        assert warning_id is not None
        detail = warning_detail(session, WarningId(warning_id))
    assert detail.confidential
    assert [s.title for s in detail.sources] == [
        "Committee field mission to Velmora", "Community informant, Ostrel district"]
    assert [(r.institution, r.kind) for r in detail.responses] == [
        ("Ministry of the Interior", ACK), ("Lorvanian National Police", ACTION)]
    assert [(e.kind, e.to_value) for e in detail.events] == [
        ("status", "issued"), ("status", "acknowledged"), ("escalation", "high"),
        ("status", "response_under_way")]
    assert any(r.label.startswith("Disarm the village self-defence groups")
               for r in detail.recommendations)


def test_no_result_ever_shows_an_informants_identity(
    demo_store: Store, statements: list[str],
) -> None:
    with demo_store.reader() as session:
        identities = [i for i in session.scalars(select(Source.identity)) if i]
        assert identities  # the demo has an informant
        statements.clear()
        details = [warning_detail(session, WarningId(w)) for w in
                   session.scalars(select(EarlyWarning.id))]
        rows = list_warnings(session, today=DEMO_TODAY)
    shown = repr(details) + repr(rows) + json.dumps([row.as_json() for row in rows])
    assert not any(identity in shown for identity in identities)
    assert "identity" not in {f.name for f in dataclasses.fields(SourceRef)}
    assert not any("identity" in statement for statement in statements)


def test_the_new_informant_stays_hidden_too(store: Store, world: World) -> None:
    warning_id = _issued(store, world)
    with store.reader() as session:
        detail = warning_detail(session, warning_id)
        rows = list_warnings(session, today=TODAY)
    assert SECRET not in repr(detail) + repr(rows)
