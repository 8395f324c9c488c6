"""Full-text search (migration 0004, `r2pdesk.search`): safe queries, indexes kept in step by the
triggers, accents folded, confidential text kept out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from r2pdesk import migrate
from r2pdesk.earlywarning.models import EarlyWarning
from r2pdesk.institutions.models import Institution
from r2pdesk.models import Base
from r2pdesk.recommendations.models import Recommendation
from r2pdesk.search import (
    INDEXES,
    INSTITUTIONS,
    RECOMMENDATIONS,
    WARNINGS,
    SearchIndex,
    fts_query,
    include_name,
    is_search_table,
    matches,
    matching_rowids,
    rebuild,
)
from r2pdesk.store import Store, make_engine

HOSTILE = ['"', '""', "*", "-", "+", "^", "(", ")", ":", "OR", "AND", "NOT", "NEAR(", "NEAR",
           "title:", "{reference title}:", "'", "\\", "\x00", "\ud800", "é", "ß", "İ", "漢字", "🙂",
           "a*b", '"open', "x-", "--", "EW-2026-01", "'; DROP TABLE early_warning; --"]


def found(session: Session, index: SearchIndex, words: str) -> set[str]:
    """What a search finds, by the field a person reads: a warning's reference, a
    recommendation's text, an institution's name."""
    condition = matches(index, words)
    assert condition is not None, words
    model, label = {
        "warning_fts": (EarlyWarning, EarlyWarning.reference),
        "recommendation_fts": (Recommendation, Recommendation.text),
        "institution_fts": (Institution, Institution.name),
    }[index.name]
    return set(session.scalars(select(label).select_from(model).where(condition)))


def check_index(session: Session, index: SearchIndex) -> None:
    """FTS5's own check of the index against the rows it indexes; raises when they differ."""
    session.execute(text(
        "INSERT INTO " + index.name + " (" + index.name + ", rank) VALUES ('integrity-check', 1)"
    ))


def warning(reference: str, title: str, **fields: object) -> EarlyWarning:
    return EarlyWarning(reference=reference, title=title, observed_on=date(2026, 11, 2), **fields)


# --- the query --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expression"),
    [
        ("minis just", '"minis"* "just"*'),
        ('say "stop"', '"say"* """stop"""*'),
        ("EW-2026-01", '"EW-2026-01"*'),
        ("  Ministère\tde ", '"Ministère"* "de"*'),
        ("OR NOT", '"OR"* "NOT"*'),
        ("title:armed", '"title:armed"*'),
        ("- * \" ( ) ^", None),
        ("", None),
        ("a\x00b\ud800c", '"a"* "b"* "c"*'),
    ],
)
def test_words_become_quoted_prefixes(words: str, expression: str | None) -> None:
    assert fts_query(words) == expression


def test_nothing_to_search_means_no_condition() -> None:
    for index in INDEXES:
        assert matching_rowids(index, " - * ") is None
        assert matches(index, "") is None


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), max_size=6).map(" ".join))
def test_no_input_is_an_fts_syntax_error(store: Store, words: str) -> None:
    with store.reader() as session:
        for index in INDEXES:
            rowids = matching_rowids(index, words)
            if rowids is not None:
                session.execute(rowids).all()  # raises on an FTS5 syntax error


# --- the indexes follow the tables ------------------------------------------------------------


def test_triggers_keep_the_warning_index_in_step(store: Store) -> None:
    with store.session() as session:
        session.add(warning("EW-2026-901", "Armed clashes near Korvan",
                            description="Houses burnt in the upper valley."))
    with store.reader() as session:
        assert found(session, WARNINGS, "korv clash") == {"EW-2026-901"}
        assert found(session, WARNINGS, "upper valley") == {"EW-2026-901"}
        assert found(session, WARNINGS, "EW-2026-90") == {"EW-2026-901"}
        assert found(session, WARNINGS, "korvan mining") == set()
    with store.session() as session:
        row = session.scalars(select(EarlyWarning)).one()
        row.title = "Eviction notices in Mirel"
    with store.reader() as session:
        assert found(session, WARNINGS, "korvan") == set()
        assert found(session, WARNINGS, "evict mirel") == {"EW-2026-901"}
        check_index(session, WARNINGS)
    with store.session() as session:
        session.delete(session.scalars(select(EarlyWarning)).one())
    with store.reader() as session:
        assert found(session, WARNINGS, "evict") == set()
        check_index(session, WARNINGS)


def test_triggers_keep_the_recommendation_and_institution_indexes_in_step(store: Store) -> None:
    with store.session() as session:
        ministry = Institution(name="Ministry of the Interior", acronym="MOI")
        session.add(ministry)
        session.flush()
        session.add(Recommendation(text="Publish the legal basis of any internet shutdown.",
                                   source_reference="UPR cycle 3 (demo)", made_on=date(2026, 1, 5),
                                   lead_institution_id=ministry.id))
    with store.reader() as session:
        assert found(session, INSTITUTIONS, "moi") == {"Ministry of the Interior"}
        assert found(session, INSTITUTIONS, "inter minis") == {"Ministry of the Interior"}
        assert len(found(session, RECOMMENDATIONS, "shutdown cycle")) == 1
    with store.session() as session:
        session.scalars(select(Institution)).one().name = "Ministry of Home Affairs"
        session.scalars(select(Recommendation)).one().text = "Restore mobile internet."
    with store.reader() as session:
        assert found(session, INSTITUTIONS, "interior") == set()
        assert found(session, INSTITUTIONS, "home affairs") == {"Ministry of Home Affairs"}
        assert found(session, RECOMMENDATIONS, "shutdown") == set()
        assert found(session, RECOMMENDATIONS, "restore") == {"Restore mobile internet."}
    with store.session() as session:
        session.delete(session.scalars(select(Recommendation)).one())
        session.delete(session.scalars(select(Institution)).one())
    with store.reader() as session:
        assert found(session, INSTITUTIONS, "home") == set()
        assert found(session, RECOMMENDATIONS, "restore") == set()
        for index in INDEXES:
            check_index(session, index)


def test_case_and_accents_are_folded(store: Store) -> None:
    with store.session() as session:
        session.add_all([Institution(name="Ministère de l'Intérieur", acronym="MININT"),
                         Institution(name="Société Civile Ñandú", acronym="")])
    with store.reader() as session:
        assert found(session, INSTITUTIONS, "ministere interieur") == {"Ministère de l'Intérieur"}
        assert found(session, INSTITUTIONS, "MINISTÈRE l'INTÉ") == {"Ministère de l'Intérieur"}
        assert found(session, INSTITUTIONS, "societe nandu") == {"Société Civile Ñandú"}


def test_search_is_a_condition_lists_combine_with_their_own(demo_store: Store) -> None:
    with demo_store.reader() as session:
        condition = matches(WARNINGS, "dravi")
        assert condition is not None
        every = set(session.scalars(select(EarlyWarning.reference).where(condition)))
        issued = set(session.scalars(select(EarlyWarning.reference).where(
            condition, EarlyWarning.status == "issued")))
        assert issued
        assert issued < every
        table = WARNINGS.table
        best = session.scalars(select(table.c.rowid).where(
            text("warning_fts MATCH :q").bindparams(q=fts_query("dravi"))).order_by(table.c.rank))
        assert len(best.all()) == len(every)


# --- confidential warnings --------------------------------------------------------------------


def test_a_confidential_warning_is_found_by_reference_and_title_only(store: Store) -> None:
    with store.session() as session:
        session.add(warning("EW-2026-902", "Lists of residents in Ostrel", confidential=True,
                            description="Told by the schoolteacher of Brask.",
                            recommended_actions="Protect the informant in Brask."))
    with store.reader() as session:
        assert found(session, WARNINGS, "lists ostrel") == {"EW-2026-902"}
        assert found(session, WARNINGS, "EW-2026-902") == {"EW-2026-902"}
        assert found(session, WARNINGS, "schoolteacher") == set()
        assert found(session, WARNINGS, "brask") == set()
        check_index(session, WARNINGS)
    with store.session() as session:
        session.scalars(select(EarlyWarning)).one().confidential = False
    with store.reader() as session:
        assert found(session, WARNINGS, "schoolteacher") == {"EW-2026-902"}
    with store.session() as session:
        session.scalars(select(EarlyWarning)).one().confidential = True
    with store.session() as session:
        rebuild(session)  # a rebuild indexes what the triggers do, no more
    with store.reader() as session:
        assert found(session, WARNINGS, "schoolteacher") == set()
        assert found(session, WARNINGS, "ostrel") == {"EW-2026-902"}
        check_index(session, WARNINGS)


def files_hold(path: Path, needle: bytes) -> bool:
    return any(p.exists() and needle in p.read_bytes()
               for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")))


def test_a_deleted_confidential_warning_leaves_no_word_in_the_index(store: Store) -> None:
    with store.session() as session:
        session.add_all([
            warning("EW-2026-903", "Threats against Zyxcanaryvoldemar", confidential=True),
            *(warning(f"EW-2026-{n}", f"Warning number {n} about Ostrel") for n in range(910, 960)),
        ])
    needle = b"canaryvoldemar"  # FTS5 keeps terms lower case, their first letters shared
    assert files_hold(store.path, needle)  # the check sees the word while it is there
    with store.session() as session:
        session.delete(session.scalars(
            select(EarlyWarning).where(EarlyWarning.reference == "EW-2026-903")).one())
    assert not files_hold(store.path, needle)
    with store.reader() as session:
        assert found(session, WARNINGS, "ostrel") == {f"EW-2026-{n}" for n in range(910, 960)}
        check_index(session, WARNINGS)


def test_an_edited_confidential_title_leaves_no_old_word_in_the_index(store: Store) -> None:
    with store.session() as session:
        session.add_all([
            warning("EW-2026-904", "Threats against Zyxcanaryhalvorsen", confidential=True),
            *(warning(f"EW-2026-{n}", f"Warning number {n} about Mirel") for n in range(910, 960)),
        ])
    with store.session() as session:
        session.scalars(select(EarlyWarning).where(
            EarlyWarning.reference == "EW-2026-904")).one().title = "Threats in Ostrel"
    store.checkpoint()  # the old pages leave the WAL as they would at the next checkpoint
    assert not files_hold(store.path, b"canaryhalvorsen")
    with store.reader() as session:
        assert found(session, WARNINGS, "threats ostrel") == {"EW-2026-904"}
        check_index(session, WARNINGS)


# --- the schema -------------------------------------------------------------------------------


def test_search_tables_are_known_and_left_out_of_alembic_checks(db_path: Path) -> None:
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            names = set(conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    search = {name for name in names if is_search_table(name)}
    assert {index.name for index in INDEXES} <= search
    assert {"warning_fts_data", "institution_fts_idx", "recommendation_fts_config"} <= search
    assert not is_search_table("early_warning")
    assert not search & set(Base.metadata.tables)


def test_downgrade_removes_the_search_and_upgrade_fills_it_again(demo_db_path: Path) -> None:
    engine = make_engine(demo_db_path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
            left = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
            assert not {n for n in left if is_search_table(n) or "fts" in n}
            assert "warning_search" not in left
            command.upgrade(config, "0004")
        with Session(engine) as session:
            assert found(session, WARNINGS, "dravi")
            assert found(session, INSTITUTIONS, "justice") == {"Ministry of Justice"}
            assert found(session, RECOMMENDATIONS, "census")
            for index in INDEXES:
                check_index(session, index)
    finally:
        engine.dispose()
