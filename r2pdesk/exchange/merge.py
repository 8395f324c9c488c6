"""The three-way merge of one record, field by field, as pure functions.

Each field is compared in three versions: the base (as exported), ours (the database now) and
theirs (the workbook):

- changed only in the workbook (ours is still the base): theirs is applied;
- changed only in the database (theirs is still the base): ours is kept;
- changed on both sides to the same value: nothing to do;
- changed on both sides to different values: a conflict, with both values kept for a person.

A field the base does not hold (a hidden sheet from an older export, say) counts as changed on
both sides, so it is never overwritten silently. Merging the same workbook twice, or two
workbooks in either order, leaves the same fields applied and the same conflicts (as pairs of
values) to resolve; tests/unit/test_merge.py checks it with Hypothesis.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from r2pdesk.exchange.values import Plain


class Outcome(enum.StrEnum):
    """What the merge does with one field."""

    SAME = "same"  # nobody changed it, or both made the same change
    KEEP = "keep"  # only the database changed it
    APPLY = "apply"  # only the workbook changed it
    CONFLICT = "conflict"  # both changed it, differently


class _Missing:
    """The base of a field the hidden sheet does not hold."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def merge_field(base: Plain | _Missing, ours: Plain, theirs: Plain) -> Outcome:
    """The outcome for one field (values already normalised, see `exchange.plan`)."""
    if theirs == ours:
        return Outcome.SAME
    if theirs == base:
        return Outcome.KEEP
    if ours == base:
        return Outcome.APPLY
    return Outcome.CONFLICT


@dataclass(frozen=True)
class FieldConflict:
    """A field changed on both sides to different values."""

    base: Plain | None
    ours: Plain
    theirs: Plain


@dataclass(frozen=True)
class RecordMerge:
    """The merge of one record: the fields to write, those the database keeps, the conflicts."""

    changes: dict[str, Plain]
    kept: tuple[str, ...]
    conflicts: dict[str, FieldConflict]

    @property
    def nothing(self) -> bool:
        """Whether the workbook brings nothing new for this record."""
        return not self.changes and not self.conflicts


def merge_record(
    base: Mapping[str, Plain], ours: Mapping[str, Plain], theirs: Mapping[str, Plain]
) -> RecordMerge:
    """Merge the fields the workbook gives (`theirs`) into the database's (`ours`)."""
    changes: dict[str, Plain] = {}
    kept: list[str] = []
    conflicts: dict[str, FieldConflict] = {}
    for key, value in theirs.items():
        old = base.get(key, MISSING)
        outcome = merge_field(old, ours[key], value)
        if outcome is Outcome.APPLY:
            changes[key] = value
        elif outcome is Outcome.KEEP:
            kept.append(key)
        elif outcome is Outcome.CONFLICT:
            conflicts[key] = FieldConflict(
                None if isinstance(old, _Missing) else old, ours[key], value
            )
    return RecordMerge(changes, tuple(kept), conflicts)
