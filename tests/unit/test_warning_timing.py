"""Response times of warnings, on timelines built by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from r2pdesk.earlywarning.models import ResponseKind, WarningStatus
from r2pdesk.earlywarning.timing import (
    Reply,
    Timeline,
    Timing,
    TimingSummary,
    days_to_ack,
    days_to_action,
    is_overdue,
    summarize,
    timing,
)

TODAY = date(2026, 3, 31)
ACK, ACTION = ResponseKind.ACKNOWLEDGEMENT, ResponseKind.ACTION
S = WarningStatus


def _day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def _timeline(
    status: WarningStatus, issued: int | None, due_after: int | None,
    *replies: tuple[int, ResponseKind],
) -> Timeline:
    """A warning issued `issued` days from TODAY, due `due_after` days after its issue."""
    issued_on = None if issued is None else _day(issued)
    due = None if issued_on is None or due_after is None else issued_on + timedelta(due_after)
    return Timeline(status, issued_on, due, tuple(Reply(_day(d), kind) for d, kind in replies))


NEVER_ANSWERED = _timeline(S.ISSUED, -40, 14)
ACK_ONLY = _timeline(S.ACKNOWLEDGED, -30, 14, (-27, ACK))
SAME_DAY_ACTION = _timeline(S.RESPONSE_UNDER_WAY, -20, 7, (-20, ACTION))
UNORDERED = _timeline(S.RESPONSE_UNDER_WAY, -60, 30, (-41, ACTION), (-50, ACK), (-55, ACK),
                      (-45, ACTION))
CLOSED_UNANSWERED = _timeline(S.CLOSED, -90, 30)
DRAFT = _timeline(S.DRAFT, None, None)
IN_TIME = _timeline(S.ISSUED, -3, 30)


def test_a_warning_never_answered() -> None:
    assert timing(NEVER_ANSWERED, TODAY) == Timing(None, None, overdue=True)


def test_an_acknowledgement_alone_does_not_stop_the_clock() -> None:
    assert timing(ACK_ONLY, TODAY) == Timing(3, None, overdue=True)


def test_an_action_on_the_day_of_issue_counts_zero_days_and_acknowledges() -> None:
    assert timing(SAME_DAY_ACTION, TODAY) == Timing(0, 0, overdue=False)


def test_the_first_reply_counts_whatever_the_order_given() -> None:
    assert days_to_ack(UNORDERED) == 5  # issued -60, first acknowledgement -55
    assert days_to_action(UNORDERED) == 15  # first action -45, not the -41 listed first
    assert not is_overdue(UNORDERED, TODAY)


def test_an_action_before_any_acknowledgement_is_the_acknowledgement() -> None:
    timeline = _timeline(S.RESPONSE_UNDER_WAY, -10, 14, (-2, ACK), (-6, ACTION))
    assert (days_to_ack(timeline), days_to_action(timeline)) == (4, 4)


def test_a_draft_has_no_times_and_is_never_overdue() -> None:
    assert timing(DRAFT, TODAY) == Timing(None, None, overdue=False)


def test_a_closed_warning_is_not_overdue_even_unanswered() -> None:
    assert timing(CLOSED_UNANSWERED, TODAY) == Timing(None, None, overdue=False)


@pytest.mark.parametrize(("due", "overdue"), [(-1, True), (0, False), (1, False)])
def test_the_due_day_itself_is_still_in_time(due: int, overdue: bool) -> None:
    timeline = Timeline(S.ISSUED, _day(-30), _day(due))
    assert is_overdue(timeline, TODAY) is overdue


def test_summary_over_constructed_timelines() -> None:
    timelines = [NEVER_ANSWERED, ACK_ONLY, SAME_DAY_ACTION, UNORDERED, CLOSED_UNANSWERED, DRAFT,
                 IN_TIME]
    assert summarize(timelines, TODAY) == TimingSummary(
        issued=6,  # the draft is left out
        median_days_to_ack=3.0,  # of 3, 0 and 5
        median_days_to_action=7.5,  # of 0 and 15
        never_acted=4,  # never answered, acknowledged only, closed unanswered, in time
        overdue=2,  # never answered, acknowledged only
    )


def test_summary_of_nothing() -> None:
    assert summarize([DRAFT], TODAY) == TimingSummary(0, None, None, 0, 0)
