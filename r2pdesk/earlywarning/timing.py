"""How fast warnings are answered: pure functions over plain timelines, no database.

The rules:

- Days to acknowledgement count from the day of issue to the first response of either kind, since
  an institution that reports an action has plainly received the warning. Days to action count
  to the first response of kind `action`. Both are None while there is no such response, and for
  a warning never issued.
- A warning's response is overdue when its `response_due` day has passed (`response_due < today`,
  so the due day itself is still in time), no action has been recorded yet, and the warning is not
  closed. An acknowledgement alone does not stop the clock; a draft is never overdue.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from r2pdesk.earlywarning.models import ResponseKind, WarningStatus


@dataclass(frozen=True)
class Reply:
    """One response to a warning: its date and kind."""

    on: date
    kind: ResponseKind


@dataclass(frozen=True)
class Timeline:
    """What timing needs of one warning, in any order of its replies."""

    status: WarningStatus
    issued_on: date | None
    response_due: date | None
    replies: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class Timing:
    """How one warning was answered."""

    days_to_ack: int | None
    days_to_action: int | None
    overdue: bool


@dataclass(frozen=True)
class TimingSummary:
    """How a set of warnings was answered; medians only over the warnings that had a reply."""

    issued: int
    median_days_to_ack: float | None
    median_days_to_action: float | None
    never_acted: int
    overdue: int


def _days_to_first(timeline: Timeline, kinds: frozenset[ResponseKind]) -> int | None:
    if timeline.issued_on is None:
        return None
    first = min((r.on for r in timeline.replies if r.kind in kinds), default=None)
    return None if first is None else (first - timeline.issued_on).days


_ANY = frozenset(ResponseKind)
_ACTION = frozenset({ResponseKind.ACTION})


def days_to_ack(timeline: Timeline) -> int | None:
    """Days from issue to the first response of either kind."""
    return _days_to_first(timeline, _ANY)


def days_to_action(timeline: Timeline) -> int | None:
    """Days from issue to the first action."""
    return _days_to_first(timeline, _ACTION)


def is_overdue(timeline: Timeline, today: date) -> bool:
    """Past its response deadline with no action yet, and not closed (see the module rules)."""
    return (
        timeline.response_due is not None
        and timeline.response_due < today
        and timeline.status is not WarningStatus.CLOSED
        and not any(r.kind is ResponseKind.ACTION for r in timeline.replies)
    )


def timing(timeline: Timeline, today: date) -> Timing:
    """The days to acknowledgement and to action of one warning, and whether it is overdue."""
    return Timing(days_to_ack(timeline), days_to_action(timeline), is_overdue(timeline, today))


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def summarize(timelines: Iterable[Timeline], today: date) -> TimingSummary:
    """Counts and medians over the issued warnings among `timelines`; drafts are left out."""
    issued = [timing(t, today) for t in timelines if t.issued_on is not None]
    acks = [t.days_to_ack for t in issued if t.days_to_ack is not None]
    actions = [t.days_to_action for t in issued if t.days_to_action is not None]
    return TimingSummary(
        issued=len(issued),
        median_days_to_ack=_median(acks),
        median_days_to_action=_median(actions),
        never_acted=len(issued) - len(actions),
        overdue=sum(t.overdue for t in issued),
    )
