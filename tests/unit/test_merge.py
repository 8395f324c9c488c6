"""The three-way merge of the Excel exchange: each rule, and with Hypothesis, that two workbooks
merged in either order leave the same result once their conflicts are resolved, losing no edit."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from r2pdesk.exchange.merge import Outcome, merge_field, merge_record
from r2pdesk.exchange.values import Plain


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "outcome"),
    [
        ("a", "a", "a", Outcome.SAME),
        ("a", "a", "b", Outcome.APPLY),
        ("a", "b", "a", Outcome.KEEP),
        ("a", "b", "b", Outcome.SAME),
        ("a", "b", "c", Outcome.CONFLICT),
        (None, None, "x", Outcome.APPLY),
        ("x", "x", None, Outcome.APPLY),
        (True, False, True, Outcome.KEEP),
    ],
)
def test_each_rule(base: Plain, ours: Plain, theirs: Plain, outcome: Outcome) -> None:
    assert merge_field(base, ours, theirs) is outcome


def test_a_field_missing_from_the_base_is_never_overwritten_silently() -> None:
    merged = merge_record({}, {"name": "db"}, {"name": "workbook"})
    assert merged.changes == {}
    assert merged.conflicts["name"].base is None
    assert merged.conflicts["name"].ours == "db"
    assert merged.conflicts["name"].theirs == "workbook"
    assert merge_record({}, {"name": "same"}, {"name": "same"}).nothing


def test_a_record_merge_sorts_its_fields() -> None:
    base = {"a": "1", "b": "1", "c": "1", "d": "1"}
    ours = {"a": "1", "b": "2", "c": "2", "d": "2"}
    theirs = {"a": "3", "b": "1", "c": "2", "d": "4"}
    merged = merge_record(base, ours, theirs)
    assert merged.changes == {"a": "3"}
    assert merged.kept == ("b",)
    assert set(merged.conflicts) == {"d"}
    assert not merged.nothing


FIELDS = ("name", "email", "phone", "notes")
VALUES = st.sampled_from(["", "x", "y", "z", None])
Record = dict[str, Plain]


def edits() -> st.SearchStrategy[dict[str, Plain]]:
    """What one party changes: some of the fields, to some values."""
    return st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS))


def _run(base: Record, database: Record, workbooks: list[Record]) -> tuple[
    Record, dict[str, set[Plain]]
]:
    """Merge workbooks one after another into the database; the conflicts' values by field."""
    state = dict(database)
    conflicts: dict[str, set[Plain]] = {}
    for theirs in workbooks:
        merged = merge_record(base, state, theirs)
        state |= merged.changes
        for key, conflict in merged.conflicts.items():
            conflicts.setdefault(key, set()).update({conflict.ours, conflict.theirs})
    return state, conflicts


def _resolve(state: Record, conflicts: Mapping[str, set[Plain]]) -> Record:
    """A person resolving each conflict: one choice among the values it kept, whatever the
    order they arrived in."""
    return state | {key: max(values, key=repr) for key, values in conflicts.items()}


@given(
    base=st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUES)),
    local=edits(),
    first=edits(),
    second=edits(),
)
def test_merge_orders_give_the_same_result_and_lose_no_edit(
    base: Record, local: Record, first: Record, second: Record
) -> None:
    database = base | local  # edited in the database since the export
    a, b = base | first, base | second  # two focal points' workbooks of the same export
    state_ab, conflicts_ab = _run(base, database, [a, b])
    state_ba, conflicts_ba = _run(base, database, [b, a])
    assert conflicts_ab == conflicts_ba
    resolved = _resolve(state_ab, conflicts_ab)
    assert resolved == _resolve(state_ba, conflicts_ba)
    for key in FIELDS:
        proposed = {
            edit[key] for edit in (local, first, second)
            if key in edit and edit[key] != base[key]
        }
        if not proposed:
            assert resolved[key] == base[key]
            assert key not in conflicts_ab
        elif len(proposed) == 1:
            assert resolved[key] == proposed.pop()  # a lone edit always wins
            assert key not in conflicts_ab
        else:
            assert proposed <= conflicts_ab[key]  # every competing edit is kept for review


@given(
    base=st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUES)),
    local=edits(),
    edit=edits(),
)
def test_merging_the_same_workbook_again_applies_nothing(
    base: Record, local: Record, edit: Record
) -> None:
    state, _ = _run(base, base | local, [base | edit])
    again = merge_record(base, state, base | edit)
    assert again.changes == {}


@given(base=st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUES)), local=edits())
def test_an_untouched_workbook_changes_nothing(base: Record, local: Record) -> None:
    merged = merge_record(base, base | local, base)
    assert merged.nothing
    assert set(merged.kept) == {k for k in local if local[k] != base[k]}
