"""The risk scale and its derivation rule: never below the highest input, monotonic, order-free."""

from __future__ import annotations

import random
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from r2pdesk.assessments.models import Level
from r2pdesk.assessments.scale import (
    LEVELS,
    Cell,
    Trend,
    check_override,
    derive_factor,
    derive_overall,
    effective,
    factor_states,
    highest,
    rank,
    trend,
)
from r2pdesk.errors import InputError

NA = Level.NOT_ASSESSED
any_level = st.sampled_from(list(Level))
real_level = st.sampled_from(LEVELS)
level_lists = st.lists(any_level, max_size=20)


def test_the_scale_is_ordered_and_not_assessed_is_not_on_it() -> None:
    assert [level.value for level in LEVELS] == [
        "not_present", "low", "moderate", "high", "severe"
    ]
    assert NA not in LEVELS
    assert rank(NA) < rank(Level.NOT_PRESENT) < rank(Level.SEVERE)


@given(level_lists)
def test_never_below_the_highest_rated_input(levels: list[Level]) -> None:
    result = derive_factor(levels)
    for level in levels:
        if level is not NA:
            assert rank(result) >= rank(level)
    assert result in levels or result is NA


@given(st.lists(real_level, min_size=1, max_size=20), st.data())
def test_one_severe_indicator_is_never_averaged_away(
    levels: list[Level], data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(levels)))
    assert derive_factor([*levels[:position], Level.SEVERE, *levels[position:]]) is Level.SEVERE


@given(st.lists(any_level, min_size=1, max_size=20), st.data())
def test_raising_any_input_never_lowers_the_result(
    levels: list[Level], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(levels) - 1))
    raised = data.draw(real_level.filter(lambda level: rank(level) >= rank(levels[index])))
    higher = [*levels[:index], raised, *levels[index + 1:]]
    for derive in (derive_factor, derive_overall):
        assert rank(derive(higher)) >= rank(derive(levels))


@given(level_lists, st.lists(st.just(NA), max_size=5), st.randoms())
def test_not_assessed_is_ignored_and_order_does_not_matter(
    levels: list[Level], blanks: list[Level], rng: random.Random
) -> None:
    shuffled = [*levels, *blanks]
    rng.shuffle(shuffled)
    rated = [level for level in levels if level is not NA]
    assert derive_factor(shuffled) is derive_factor(levels) is derive_factor(rated)
    assert derive_overall(shuffled) is derive_overall(rated)


@given(st.lists(st.just(NA), max_size=10))
def test_nothing_rated_gives_not_assessed(levels: list[Level]) -> None:
    assert derive_factor(levels) is NA
    assert derive_overall(levels) is NA
    assert highest(levels) is NA


@given(st.lists(st.just(NA), max_size=5), any_level)
def test_with_no_rated_indicator_the_direct_rating_counts(
    blanks: list[Level], direct: Level
) -> None:
    assert derive_factor(blanks, direct) is direct


@given(st.lists(real_level, min_size=1, max_size=10), any_level)
def test_rated_indicators_take_over_from_the_direct_rating(
    levels: list[Level], direct: Level
) -> None:
    assert derive_factor(levels, direct) is highest(levels)


@given(any_level, st.one_of(st.none(), real_level))
def test_the_override_is_the_effective_level(level: Level, override: Level | None) -> None:
    assert effective(level, override) is (level if override is None else override)


def test_an_override_needs_a_justification_and_a_level() -> None:
    assert check_override("override", None, "  ") == ""
    assert check_override("override", Level.LOW, " Verified in the field. ") == (
        "Verified in the field."
    )
    with pytest.raises(InputError, match=r"override of 7\.1: an override to low needs a written"):
        check_override("override of 7.1", Level.LOW, "   ")
    with pytest.raises(InputError, match="not assessed is not one"):
        check_override("override", NA, "because")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (Level.LOW, Level.HIGH, Trend.WORSE),
        (Level.HIGH, Level.HIGH, Trend.SAME),
        (Level.SEVERE, Level.NOT_PRESENT, Trend.BETTER),
        (NA, Level.LOW, Trend.NEW),
        (Level.LOW, NA, None),
        (NA, NA, None),
    ],
)
def test_trend(before: Level, after: Level, expected: Trend | None) -> None:
    assert trend(before, after) is expected


def test_factor_states_derive_from_indicators_and_keep_the_override_apart() -> None:
    rf7, rf8, rf9 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    states = factor_states([
        Cell(rf7, uuid.uuid4(), Level.LOW, None),
        Cell(rf7, uuid.uuid4(), Level.MODERATE, Level.SEVERE),  # an overridden indicator
        Cell(rf7, None, NA, Level.HIGH),  # the factor's own row, overridden
        Cell(rf8, None, Level.MODERATE, None),  # rated directly
        Cell(rf9, uuid.uuid4(), NA, None),
    ])
    assert states[rf7].derived is Level.SEVERE
    assert states[rf7].from_indicators
    assert states[rf7].override is Level.HIGH
    assert states[rf7].effective is Level.HIGH
    assert states[rf8].derived is states[rf8].effective is Level.MODERATE
    assert not states[rf8].from_indicators
    assert states[rf9].effective is NA
