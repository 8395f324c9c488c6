"""What the long lists share: an order asked for by key, and reading a list a window at a time.

Every list reads one window of rows (`offset`, `limit`) sorted and filtered in SQL, and counts its
rows apart, so that the cost of showing the first rows does not grow with the list:

- A window is chosen by rowid alone first (the filter, the order, OFFSET and LIMIT), then its
  rows are read in full by rowid: what is shown beside a record (its links, its last update) is
  read for the rows of the window only, never for every row an order has to look at.
- An order is one or more *arms*, read one after the other: each a condition and an ORDER BY
  that an index can serve (overdue first by due date, then the rest by due date, then the
  undated), so that the first window needs no sort of the whole table.
- Each order ends with the table's rowid, unique, so that windows never overlap or skip a row.
  The list's own order (`Sort()`, no key) is one its indexes serve.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    SQLColumnExpression,
    UnaryExpression,
    func,
    select,
)
from sqlalchemy.orm import Session

K = TypeVar("K")
T = TypeVar("T")
# How many rowids go into one `IN (...)` list: well under SQLite's limit on bound variables.
ID_CHUNK = 500


@dataclass(frozen=True)
class Sort(Generic[K]):
    """An order of a list: one of its keys, or the list's own order (`key` None)."""

    key: K | None = None
    descending: bool = False


@dataclass(frozen=True)
class Arm:
    """A part of an order: the rows meeting `where`, in the order `order_by`."""

    order_by: Sequence[UnaryExpression[Any]]
    where: Sequence[ColumnElement[bool]] = field(default_factory=tuple)


def ordered(
    keys: Sequence[SQLColumnExpression[Any]], tiebreak: SQLColumnExpression[Any],
    descending: bool,
) -> list[UnaryExpression[Any]]:
    """ORDER BY terms: the keys then the unique tiebreak, all one way."""
    terms = [*keys, tiebreak]
    return [term.desc() if descending else term.asc() for term in terms]


def window_rowids(
    session: Session, chosen: Select[Any], arms: Sequence[Arm], offset: int, limit: int | None
) -> list[int]:
    """The rowids of one window: `chosen` (SELECT rowid ... WHERE the filter) through the arms.

    One query per arm the window reaches, and one more to count an arm it skips whole.
    """
    found: list[int] = []
    for arm in arms:
        wanted = None if limit is None else limit - len(found)
        if wanted is not None and wanted <= 0:
            break
        query = chosen.where(*arm.where).order_by(*arm.order_by)
        rows = list(session.scalars(query.offset(offset).limit(-1 if wanted is None else wanted)))
        found.extend(rows)
        if rows or not offset:
            offset = 0
            continue
        skipped = query.order_by(None).subquery()
        offset -= int(session.scalar(select(func.count()).select_from(skipped)) or 0)
    return found


@dataclass(frozen=True)
class Listing:
    """How to read one list under a filter.

    `rows` selects what a row shows, from the listed table (joined as it needs); `source` is the
    listed table with the joins its filter and orders need, `rowid` that table's rowid, `where`
    the filter.
    """

    rows: Select[*tuple[Any, ...]]
    source: FromClause
    rowid: SQLColumnExpression[int]
    where: Sequence[ColumnElement[bool]]

    def _chosen(self) -> Select[Any]:
        return select(self.rowid.label("k")).select_from(self.source).where(*self.where)

    def read(self, session: Session, arms: Sequence[Arm], offset: int = 0,
             limit: int | None = None) -> list[tuple[Any, ...]]:
        """All the rows (`limit` None, no offset), one query per arm; or one window:
        `window_rowids`, then one query for the window's rows."""
        if limit is None and not offset:
            result: list[tuple[Any, ...]] = []
            for arm in arms:
                query = self.rows.where(*self.where, *arm.where).order_by(*arm.order_by)
                result.extend(tuple(row) for row in session.execute(query))
            return result
        ids = window_rowids(session, self._chosen(), arms, offset, limit)
        if not ids:
            return []
        place = {rowid: n for n, rowid in enumerate(ids)}
        found: list[tuple[Any, ...]] = []
        for part in chunks(ids):
            query = self.rows.add_columns(self.rowid).where(self.rowid.in_(part))
            found.extend(tuple(row) for row in session.execute(query))
        found.sort(key=lambda row: place[row[-1]])
        return [row[:-1] for row in found]

    def count(self, session: Session) -> int:
        """How many records the filter keeps."""
        query = select(func.count()).select_from(self._chosen().subquery())
        return int(session.scalar(query) or 0)

    def position(self, session: Session, arms: Sequence[Arm], rowid: int) -> int | None:
        """Where a record stands in the list (0 first); None when the filter leaves it out.

        A query or two per arm: the arm's records are numbered in order, in SQL.
        """
        offset = 0
        for arm in arms:
            query = self._chosen().where(*arm.where)
            place = func.row_number().over(order_by=list(arm.order_by)) - 1
            ranked = query.add_columns(place.label("place")).subquery()
            found = session.scalar(select(ranked.c.place).where(ranked.c.k == rowid))
            if found is not None:
                return offset + int(found)
            offset += int(session.scalar(select(func.count()).select_from(
                query.subquery())) or 0)
        return None


def chunks(items: Sequence[T], size: int = ID_CHUNK) -> Iterator[Sequence[T]]:
    """The items in slices of at most `size` (one IN list each)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
