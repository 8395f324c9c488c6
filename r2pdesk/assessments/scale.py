"""The risk scale of r2pdesk's assessments and how levels derive from one another.

The Framework of Analysis has no official scoring scale; this one is r2pdesk's own design.

The scale, lowest first: not present < low < moderate < high < severe. "Not assessed" is not a
level: it says that nobody has rated the item yet, and every derivation leaves it out.
Confidence (low, medium, high) says how sure the analyst is; it is kept apart from the level
and never changes it.

A risk factor's level. When any of its indicators is rated, the risk factor's level is the
highest level among its rated indicators. Nothing is averaged: one severe indicator makes the
risk factor severe, whatever the others say. The rule never gives less than the highest
indicator, raising any indicator never lowers it, and the order of the indicators does not
matter. (A rule that raises the level "when half the indicators are high" was set aside: rating
one more indicator "not present" would lower that share, and with it the risk factor.)
With no rated indicator the analyst rates the risk factor directly.

Overrides. The analyst may set a risk factor (or an indicator) to another level, higher or
lower, with a written justification; no override without one. The level that counts, the
effective level, is the override when there is one, else the derived (or direct) level.

The overall level of an assessment is derived from its risk factors the same way: the highest
effective level among them, never below the highest risk factor. The committee may override it
too, at any level, with its own written justification.

Trends compare an item's effective level with the previous assessment's: worse, same, better,
or new when the item was not rated before.
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from r2pdesk.assessments.models import Level
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, tr

# The levels of the scale, lowest first (not_assessed is not one of them).
LEVELS = (Level.NOT_PRESENT, Level.LOW, Level.MODERATE, Level.HIGH, Level.SEVERE)

# How people read the levels (English, marked for the catalogue): `tr` them where shown, or use
# `level_label`.
LEVEL_LABELS = {
    Level.NOT_ASSESSED: N_("Not assessed"),
    Level.NOT_PRESENT: N_("Not present"),
    Level.LOW: N_("Low"),
    Level.MODERATE: N_("Moderate"),
    Level.HIGH: N_("High"),
    Level.SEVERE: N_("Severe"),
}


def level_label(level: Level) -> str:
    """A level as people read it, in the language in use ("Not present")."""
    return tr(LEVEL_LABELS[level])


class Trend(enum.StrEnum):
    """How an item's effective level moved since the previous assessment."""

    WORSE = "worse"
    SAME = "same"
    BETTER = "better"
    NEW = "new"  # not rated in the previous assessment


def rank(level: Level) -> int:
    """A level's place on the scale from 0 (not present); -1 for not assessed."""
    return -1 if level is Level.NOT_ASSESSED else LEVELS.index(level)


def is_rated(level: Level) -> bool:
    """Whether a level says something (anything but not assessed)."""
    return level is not Level.NOT_ASSESSED


def highest(levels: Iterable[Level]) -> Level:
    """The highest level given, ignoring not assessed; not assessed when none is rated."""
    return max(levels, key=rank, default=Level.NOT_ASSESSED)


def derive_factor(indicator_levels: Iterable[Level], direct: Level = Level.NOT_ASSESSED) -> Level:
    """A risk factor's level: the highest of its rated indicators, else the analyst's direct
    rating of the risk factor."""
    derived = highest(indicator_levels)
    return derived if is_rated(derived) else direct


def derive_overall(factor_levels: Iterable[Level]) -> Level:
    """An assessment's overall level: the highest effective level of its risk factors."""
    return highest(factor_levels)


def effective(level: Level, override: Level | None) -> Level:
    """The level that counts: the override when there is one."""
    return level if override is None else override


def check_override(field: str, override: Level | None, justification: str) -> str:
    """The justification, cleaned; refuses an override that is not a level or is unexplained.

    `field` names the override in the language in use (it starts the message).
    """
    text = justification.strip()
    if override is None:
        return text
    if override is Level.NOT_ASSESSED:
        raise InputError(
            tr("{field}: an override is a level; not assessed is not one").format(field=field))
    if not text:
        raise InputError(
            tr("{field}: an override to {level} needs a written justification").format(
                field=field, level=level_label(override).lower())
        )
    return text


def trend(before: Level, after: Level) -> Trend | None:
    """How an item moved between two assessments; None when it is not rated now."""
    if not is_rated(after):
        return None
    if not is_rated(before):
        return Trend.NEW
    if rank(after) > rank(before):
        return Trend.WORSE
    if rank(after) < rank(before):
        return Trend.BETTER
    return Trend.SAME


class Cell(NamedTuple):
    """One rating as plain values: a risk factor's own (no indicator) or an indicator's."""

    risk_factor_id: uuid.UUID
    indicator_id: uuid.UUID | None
    level: Level
    override: Level | None


@dataclass(frozen=True)
class FactorState:
    """Where a risk factor stands in an assessment."""

    derived: Level  # from its rated indicators, else the direct rating
    from_indicators: bool
    override: Level | None
    effective: Level


def factor_states(ratings: Iterable[Cell]) -> dict[uuid.UUID, FactorState]:
    """Each risk factor's derived, overridden and effective level, by risk factor id, for the
    risk factors that have any rating row.

    The derived level is the one stored in the risk factor's own row, which the assessment
    service keeps equal to the level derived from the rated indicators (or the direct rating);
    it is derived here only when that row holds none.
    """
    direct: dict[uuid.UUID, Cell] = {}
    indicators: defaultdict[uuid.UUID, list[Level]] = defaultdict(list)
    for cell in ratings:
        if cell.indicator_id is None:
            direct[cell.risk_factor_id] = cell
        else:
            indicators[cell.risk_factor_id].append(effective(cell.level, cell.override))
    states = {}
    for factor_id in direct.keys() | indicators.keys():
        row = direct.get(factor_id)
        stored = row.level if row else Level.NOT_ASSESSED
        derived = stored if is_rated(stored) else derive_factor(indicators[factor_id])
        override = row.override if row else None
        states[factor_id] = FactorState(
            derived=derived,
            from_indicators=any(is_rated(level) for level in indicators[factor_id]),
            override=override,
            effective=effective(derived, override),
        )
    return states
