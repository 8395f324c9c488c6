"""Full-text search over early warnings, recommendations and institutions (SQLite FTS5).

Migration 0004 creates one FTS5 index per searchable table, kept in step by triggers on every
insert, update and delete, so that no code has to remember it:

=====================  ==================  ===========================================
index                  over                columns
=====================  ==================  ===========================================
``warning_fts``        ``early_warning``   reference, title, description, recommended_actions
``recommendation_fts`` ``recommendation``  text, source_reference
``institution_fts``    ``institution``     name, acronym
=====================  ==================  ===========================================

The indexes keep no copy of the text (external content): an index row's rowid is the rowid of
its record (the tables' ids are UUIDs, their implicit rowids are the join key). Case and accents
are folded (``unicode61 remove_diacritics 2``): "ministere" finds "Ministère". One- and
two-letter prefixes are indexed apart, so that the first letters typed are cheap to search.

A confidential warning is found by its reference and title only, as the register's search finds
it; its description and recommended actions are never indexed. The recommendation index covers
every recommendation, confidential or not, as the list's search does (text, source reference).

How a list searches (the API for the list models)::

    from r2pdesk.search import WARNINGS, matches

    query = select(EarlyWarning).order_by(EarlyWarning.issued_on.desc()).limit(200)
    condition = matches(WARNINGS, user_text)  # None: nothing to search for, list everything
    if condition is not None:
        query = query.where(condition)

- `fts_query(words)`: the user's words as a safe MATCH expression, every word a prefix
  ("minis just" finds "Ministry of Justice"), all words required; None when no word holds a
  letter or digit. Nothing a user types (quotes, ``*``, ``-``, ``OR``, ``NEAR(``, ``col:``)
  can make it an FTS syntax error: every word is a quoted string.
- `matching_rowids(index, words)`: ``SELECT rowid FROM <fts> WHERE <fts> MATCH :q``, or None.
- `matches(index, words)`: ``<table>.rowid IN (matching_rowids)``, for a WHERE clause on the
  un-aliased table (the ORM model's own table), or None.
- ``index.table``: the FTS table as a Core ``Table`` (columns ``rowid``, ``rank`` and the
  indexed ones) for a relevance order: ``select(t.c.rowid).where(...).order_by(t.c.rank)``.
- `rebuild(session)`: index every row again, e.g. after a copy that renumbered rowids.

The indexed lists (these three tables) do not hold every field the old searches looked at: the
recommendations' search also matched the lead institution's name and acronym and the catalogue
id (combine ``matches(INSTITUTIONS, ...)`` on the lead, or keep ``LIKE`` for ids), and the
institutions' search the focal points' names.

The index tables are not in the ORM's metadata: `include_name` keeps them (and their shadow
tables) out of Alembic's autogenerate and ``alembic check``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

# Not the ORM's metadata: these tables are made by migration 0004, never by `create_all`.
_METADATA = MetaData()
# Characters that make a word worth searching for (what `unicode61` treats as part of a token).
_TOKEN_CATEGORIES = ("L", "N")


@dataclass(frozen=True)
class SearchIndex:
    """One FTS5 index: its table, the table it indexes and the columns it holds."""

    name: str
    content: str
    columns: tuple[str, ...]
    table: Table

    def rowid(self) -> ColumnElement[int]:
        """The rowid of the indexed table, for a WHERE clause on that (un-aliased) table."""
        return literal_column(f"{self.content}.rowid", Integer)


def _index(name: str, content: str, *columns: str) -> SearchIndex:
    table = Table(
        name,
        _METADATA,
        Column("rowid", Integer, primary_key=True),
        Column("rank", Float),  # FTS5's relevance (bm25): lower is better
        *(Column(column, Text) for column in columns),
    )
    return SearchIndex(name, content, columns, table)


WARNINGS = _index(
    "warning_fts", "early_warning", "reference", "title", "description", "recommended_actions"
)
RECOMMENDATIONS = _index("recommendation_fts", "recommendation", "text", "source_reference")
INSTITUTIONS = _index("institution_fts", "institution", "name", "acronym")
INDEXES = (WARNINGS, RECOMMENDATIONS, INSTITUTIONS)
# FTS5 keeps each index in shadow tables named after it: <name>_data, _idx, _docsize, _config.
_SHADOWS = ("data", "idx", "docsize", "config", "content")


def _searchable(word: str) -> bool:
    return any(unicodedata.category(char)[0] in _TOKEN_CATEGORIES for char in word)


def _clean(words: str) -> str:
    # Lone surrogates cannot be encoded for SQLite; NUL and other controls only separate words.
    return "".join(
        " " if unicodedata.category(char) in ("Cs", "Cc") else char for char in words
    )


def fts_query(words: str) -> str | None:
    """The user's words as an FTS5 MATCH expression: every word required, each a prefix.

    Every word becomes a quoted string (its quotes doubled) followed by ``*``, so that nothing
    typed is read as FTS5 syntax; a word such as "EW-2026-01" is a phrase of its parts, the last
    one a prefix. Words with no letter or digit are left out; None when none is left.
    """
    terms = ['"' + word.replace('"', '""') + '"*' for word in _clean(words).split()
             if _searchable(word)]
    return " ".join(terms) if terms else None


def matching_rowids(index: SearchIndex, words: str) -> Select[tuple[int]] | None:
    """The rowids of the records whose indexed text holds every word (as a prefix); None when
    the words hold nothing to search for."""
    expression = fts_query(words)
    if expression is None:
        return None
    match = literal_column(index.name).op("MATCH")(expression)
    return select(index.table.c.rowid).where(match)


def matches(index: SearchIndex, words: str) -> ColumnElement[bool] | None:
    """A condition on the indexed table: its rowid is among the matches; None when the words
    hold nothing to search for (the list is then not filtered by text)."""
    rowids = matching_rowids(index, words)
    return None if rowids is None else index.rowid().in_(rowids)


def rebuild(session: Session) -> None:
    """Index every row of the three tables again (FTS5 ``rebuild``), in the session's
    transaction: after anything that may have renumbered the tables' rowids."""
    for statement in (
        "INSERT INTO warning_fts (warning_fts) VALUES ('rebuild')",
        "INSERT INTO recommendation_fts (recommendation_fts) VALUES ('rebuild')",
        "INSERT INTO institution_fts (institution_fts) VALUES ('rebuild')",
    ):
        session.execute(text(statement))


# Indexes made by migrations by hand (SQLAlchemy's models cannot say COLLATE NOCASE in an index).
HAND_MADE_INDEXES = frozenset({"ix_institution_name_nocase"})


def is_search_table(name: str) -> bool:
    """Whether a table is one of the FTS5 indexes or one of their shadow tables."""
    return any(
        name == index.name or name in {f"{index.name}_{shadow}" for shadow in _SHADOWS}
        for index in INDEXES
    )


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name` hook: leave the search tables out of autogenerate and checks."""
    if name is None:
        return True
    if type_ == "index":
        return name not in HAND_MADE_INDEXES
    return not (type_ == "table" and is_search_table(name))
