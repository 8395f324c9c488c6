"""The early-warning register as a list: a window of it at a time, filtered and sorted in SQL,
counted, a warning's place in it, and the timelines its response times are measured on.

No result reads `Source.identity`, and the search never looks into a confidential warning's own
texts (the search index holds only its reference and title).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    SQLColumnExpression,
    Table,
    UnaryExpression,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from r2pdesk.context.models import Area
from r2pdesk.earlywarning.models import (
    EarlyWarning,
    Horizon,
    Likelihood,
    ResponseKind,
    Severity,
    WarningId,
    WarningResponse,
    WarningStatus,
    warning_addressee,
    warning_area,
    warning_indicator,
    warning_risk_factor,
)
from r2pdesk.earlywarning.timing import Reply, Timeline, TimingSummary, timing
from r2pdesk.institutions.models import Institution
from r2pdesk.paging import Arm, Listing, Sort, ordered
from r2pdesk.reference.models import Indicator, RiskFactor
from r2pdesk.search import WARNINGS, matches


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class WarningRow:
    """One line of the register, with its links by name and its response times."""

    id: WarningId
    reference: str
    title: str
    severity: Severity | None
    likelihood: Likelihood | None
    horizon: Horizon | None
    status: WarningStatus
    observed: date | None
    issued: date | None
    response_due: date | None
    overdue: bool
    indicators: tuple[str, ...]  # codes, in numeric order
    risk_factors: tuple[int, ...]  # numbers
    addressees: tuple[str, ...]  # institution names
    areas: tuple[str, ...]  # area names
    days_to_ack: int | None
    days_to_action: int | None
    confidential: bool

    def as_json(self) -> dict[str, object]:
        """Every field as plain JSON: enums by value, dates ISO, missing values null."""
        return {name: _plain(value) for name, value in asdict(self).items()}


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Indicator codes in numeric order, 7.2 before 7.10; parts that are not numbers after."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


class WarningOrder(enum.StrEnum):
    """What the register can be sorted by (`Sort()` alone: newest entered first)."""

    REFERENCE = "reference"  # by year, then number: EW-2026-1000 after EW-2026-999
    TITLE = "title"
    SEVERITY = "severity"  # not set, then low to critical
    STATUS = "status"  # in the order of the life cycle
    ISSUED = "issued"
    DUE = "due"
    ADDRESSEES = "addressees"  # by the first addressee's name
    DAYS_TO_ACTION = "days_to_action"


@dataclass(frozen=True)
class WarningFilter:
    """What to show of the register; empty fields do not filter."""

    status: WarningStatus | None = None
    severity: Severity | None = None
    overdue: bool = False
    text: str = ""  # every word, as a prefix: see `_text_condition`


WarningSort = Sort[WarningOrder]
ROWID: ColumnElement[int] = literal_column("early_warning.rowid")
NOT_CLOSED = tuple(s for s in WarningStatus if s is not WarningStatus.CLOSED)


def _rank(column: SQLColumnExpression[Any], values: Iterable[object]) -> ColumnElement[int]:
    """A column's values by their place in `values`; NULL (not set) before them all."""
    return case({value: n for n, value in enumerate(values)}, value=column, else_=-1)


def _first_action() -> ScalarSelect[Any]:
    return (
        select(func.min(WarningResponse.on))
        .where(WarningResponse.warning_id == EarlyWarning.id,
               WarningResponse.kind == ResponseKind.ACTION)
        .scalar_subquery()
    )


def _first_addressee() -> ScalarSelect[Any]:
    return (
        select(func.min(func.lower(Institution.name)))
        .join(warning_addressee, warning_addressee.c.institution_id == Institution.id)
        .where(warning_addressee.c.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )


def _sort_keys(key: WarningOrder) -> list[SQLColumnExpression[Any]]:
    """The ORDER BY of each key, before the rowid that breaks ties."""
    year = cast(func.substr(EarlyWarning.reference, 4, 4), Integer)
    number = cast(func.substr(EarlyWarning.reference, 9), Integer)
    keys: dict[WarningOrder, Callable[[], list[SQLColumnExpression[Any]]]] = {
        WarningOrder.REFERENCE: lambda: [year, number, EarlyWarning.reference],
        WarningOrder.TITLE: lambda: [func.lower(EarlyWarning.title), EarlyWarning.title],
        WarningOrder.SEVERITY: lambda: [_rank(EarlyWarning.severity, Severity)],
        WarningOrder.STATUS: lambda: [_rank(EarlyWarning.status, WarningStatus)],
        # Dates as their indexes serve them: the undated first.
        WarningOrder.ISSUED: lambda: [EarlyWarning.issued_on],
        WarningOrder.DUE: lambda: [EarlyWarning.response_due],
        WarningOrder.ADDRESSEES: lambda: [_first_addressee()],
        WarningOrder.DAYS_TO_ACTION: lambda: [
            func.julianday(_first_action()) - func.julianday(EarlyWarning.issued_on)],
    }
    return keys[key]()


def _order(sort: WarningSort) -> list[UnaryExpression[Any]]:
    if sort.key is None:
        return [ROWID.desc()]  # the register as entered, newest first: its rowid index serves it
    return ordered(_sort_keys(sort.key), ROWID, sort.descending)


def overdue_condition(today: date) -> ColumnElement[bool]:
    """`timing.is_overdue` in SQL: due before today, not closed, no action recorded."""
    action = exists().where(WarningResponse.warning_id == EarlyWarning.id,
                            WarningResponse.kind == ResponseKind.ACTION)
    return and_(EarlyWarning.response_due < today, EarlyWarning.status.in_(NOT_CLOSED), ~action)


def _text_condition(text: str) -> ColumnElement[bool] | None:
    """Every word (as a prefix) in the reference, title, description or recommended actions,
    through the search index; a confidential warning's own texts are not in it, only its
    reference and title."""
    return matches(WARNINGS, text)


def _conditions(spec: WarningFilter, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if spec.status is not None:
        conditions.append(EarlyWarning.status == spec.status)
    if spec.severity is not None:
        conditions.append(EarlyWarning.severity == spec.severity)
    if spec.overdue:
        conditions.append(overdue_condition(today))
    text = _text_condition(spec.text)
    if text is not None:
        conditions.append(text)
    return conditions


SEPARATOR = "\x1f"  # between the names group_concat joins: names may hold commas


def _joined(table: Table, label: SQLColumnExpression[Any], target: Any) -> ScalarSelect[Any]:
    """The labels of the records a warning links to, joined into one text (NULL for none)."""
    other = next(c for c in table.c if c.name != "warning_id")
    return (
        select(func.group_concat(label, SEPARATOR))
        .join_from(table, target, target.id == other)
        .where(table.c.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )


def _row_columns() -> tuple[Any, ...]:
    replies = (
        select(func.group_concat(func.printf("%s:%s", WarningResponse.on, WarningResponse.kind),
                                 SEPARATOR))
        .where(WarningResponse.warning_id == EarlyWarning.id)
        .scalar_subquery()
    )
    w = EarlyWarning
    return (
        w.id, w.reference, w.title, w.severity, w.likelihood, w.horizon, w.status,
        w.observed_on, w.issued_on, w.response_due, w.confidential,
        _joined(warning_indicator, Indicator.code, Indicator),
        _joined(warning_risk_factor, RiskFactor.number, RiskFactor),
        _joined(warning_addressee, Institution.name, Institution),
        _joined(warning_area, Area.name, Area),
        replies,
    )


def _split(text: str | None) -> list[str]:
    return text.split(SEPARATOR) if text else []


def _parse_replies(text: str | None) -> tuple[Reply, ...]:
    replies = []
    for item in _split(text):
        day, kind = item.split(":", 1)
        replies.append(Reply(date.fromisoformat(day), ResponseKind(kind)))
    return tuple(replies)


def _to_row(found: Any, today: date) -> WarningRow:
    (id_, reference, title, severity, likelihood, horizon, status, observed, issued, due,
     confidential, indicators, factors, addressees, areas, replies) = found
    times = timing(Timeline(status, issued, due, _parse_replies(replies)), today)
    return WarningRow(
        id=WarningId(id_), reference=reference, title=title, severity=severity,
        likelihood=likelihood, horizon=horizon, status=status, observed=observed, issued=issued,
        response_due=due, overdue=times.overdue,
        indicators=tuple(sorted(_split(indicators), key=_code_key)),
        risk_factors=tuple(sorted(int(n) for n in _split(factors))),
        addressees=_by_name(_split(addressees)), areas=_by_name(_split(areas)),
        days_to_ack=times.days_to_ack, days_to_action=times.days_to_action,
        confidential=confidential,
    )


def _listing(spec: WarningFilter | None, today: date) -> Listing:
    return Listing(rows=select(*_row_columns()), source=EarlyWarning.__table__, rowid=ROWID,
                   where=_conditions(spec or WarningFilter(), today))


def warning_page(
    session: Session, spec: WarningFilter | None = None, sort: WarningSort | None = None, *,
    today: date, offset: int = 0, limit: int | None = None,
) -> list[WarningRow]:
    """One window of the register under a filter and an order (all of it without `limit`).

    Two queries for a window however long the register is (its rowids, then its rows with
    their links and responses), one for the whole register.
    """
    arms = [Arm(_order(sort or Sort()))]
    found = _listing(spec, today).read(session, arms, offset, limit)
    return [_to_row(row, today) for row in found]


def count_warnings(session: Session, spec: WarningFilter | None = None, *, today: date) -> int:
    """How many warnings a filter shows."""
    return _listing(spec, today).count(session)


def warning_position(
    session: Session, spec: WarningFilter | None, sort: WarningSort | None,
    warning_id: uuid.UUID, *, today: date,
) -> int | None:
    """Where a warning stands in the filtered, sorted register (0 first), None when not in it."""
    rowid = session.scalar(select(ROWID).where(EarlyWarning.id == warning_id))
    if rowid is None:
        return None
    return _listing(spec, today).position(session, [Arm(_order(sort or Sort()))], rowid)


def _by_name(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=str.casefold))


def list_warnings(
    session: Session, *, today: date, status: WarningStatus | None = None, overdue: bool = False
) -> list[WarningRow]:
    """The register, newest reference first: all of it, one status, or only the overdue ones.

    Six queries however many warnings there are: the warnings, their responses, and one for each
    kind of link shown.
    """
    return warning_page(session, WarningFilter(status=status, overdue=overdue),
                        Sort(WarningOrder.REFERENCE, descending=True), today=today)


def warning_timelines(session: Session) -> list[Timeline]:
    """What `timing.summarize` needs of every warning, in one query: its status and dates, and of
    its responses only the first one and the first action (the rules look at no other)."""
    first = (
        select(WarningResponse.warning_id.label("warning_id"),
               func.min(WarningResponse.on).label("any"),
               func.min(case((WarningResponse.kind == ResponseKind.ACTION, WarningResponse.on)))
               .label("action"))
        .group_by(WarningResponse.warning_id)
        .subquery()
    )
    rows = session.execute(
        select(EarlyWarning.status, EarlyWarning.issued_on, EarlyWarning.response_due,
               first.c.any, first.c.action)
        .outerjoin(first, first.c.warning_id == EarlyWarning.id)
    )
    timelines = []
    for status, issued, due, first_any, first_action in rows:
        replies: tuple[Reply, ...] = (
            () if first_any is None else (Reply(_day(first_any), ResponseKind.ACKNOWLEDGEMENT),))
        if first_action is not None:
            replies += (Reply(_day(first_action), ResponseKind.ACTION),)
        timelines.append(Timeline(status, issued, due, replies))
    return timelines


def _day(value: date | str) -> date:
    # An aggregate may lose the column's type: SQLite then hands the stored ISO text back.
    return value if isinstance(value, date) else date.fromisoformat(value)


# The response times of the whole register in one statement: the first response and the first
# action of each warning (one pass over the responses), then the counts and the two medians.
_SUMMARY = text("""
WITH first AS MATERIALIZED (
    SELECT warning_id, min("on") AS any_on,
           min(CASE WHEN kind = :action THEN "on" END) AS action_on
    FROM warning_response GROUP BY warning_id
), issued AS MATERIALIZED (
    SELECT CAST(julianday(first.any_on) - julianday(w.issued_on) AS INTEGER) AS ack,
           CAST(julianday(first.action_on) - julianday(w.issued_on) AS INTEGER) AS act,
           (w.response_due < :today AND w.status != :closed AND first.action_on IS NULL)
               AS late
    FROM early_warning AS w LEFT JOIN first ON first.warning_id = w.id
    WHERE w.issued_on IS NOT NULL
)
SELECT count(*), count(act), coalesce(sum(late), 0),
    (SELECT avg(ack) FROM (SELECT ack FROM issued WHERE ack IS NOT NULL ORDER BY ack
     LIMIT 2 - (SELECT count(ack) FROM issued) % 2
     OFFSET ((SELECT count(ack) FROM issued) - 1) / 2)),
    (SELECT avg(act) FROM (SELECT act FROM issued WHERE act IS NOT NULL ORDER BY act
     LIMIT 2 - (SELECT count(act) FROM issued) % 2
     OFFSET ((SELECT count(act) FROM issued) - 1) / 2))
FROM issued
""")


def timing_summary(session: Session, today: date) -> TimingSummary:
    """`timing.summarize(warning_timelines(session), today)`, computed in SQL: one statement,
    the rows never leave SQLite."""
    found = session.execute(_SUMMARY, {
        "action": ResponseKind.ACTION.value, "closed": WarningStatus.CLOSED.value,
        "today": today.isoformat(),
    }).one()
    issued, acted, late, median_ack, median_action = found
    return TimingSummary(
        issued=int(issued),
        median_days_to_ack=None if median_ack is None else float(median_ack),
        median_days_to_action=None if median_action is None else float(median_action),
        never_acted=int(issued) - int(acted),
        overdue=int(late),
    )
