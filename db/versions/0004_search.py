"""Full-text search: FTS5 indexes over early warnings (reference, title, description, recommended
actions), recommendations (text, source reference) and institutions (name, acronym), kept in step
with their tables by triggers, and filled from the rows already there.

The indexes hold no text of their own (external content, keyed by each table's implicit rowid),
fold case and accents (`unicode61 remove_diacritics 2`), keep the first one and two letters of
every word apart (`prefix='1 2'`: a search typed letter by letter starts with the costliest
prefixes, which these make a single lookup) and are read through `r2pdesk.search`.

A confidential warning is indexed by its reference and title only, as the register's search
finds it: its description and recommended actions are read through the view `warning_search`,
which blanks them, so that a rebuild indexes exactly what the triggers do. When words of a
confidential record leave the index (the record deleted, its indexed text edited, a warning
marked confidential), the index is merged (`optimize`) so that they do not linger in old pages
(`secure_delete` zeroes those); with 100,000 warnings that takes about half a second.

The lists' filters and sorts are served by the indexes of 0001 (early_warning: status, severity,
issued_on, response_due; recommendation: status, due_on, lead_institution_id; progress_update:
recommendation_id; institution: kind), plus one made here on institution names, case folded
(`ix_institution_name_nocase`; made by hand like the search tables, so autogenerate leaves it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 14:31:07.402518
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = (
    # --- early warnings -----------------------------------------------------------------------
    """
    CREATE VIEW warning_search AS
    SELECT rowid AS rowid, reference, title,
           CASE WHEN confidential THEN '' ELSE description END AS description,
           CASE WHEN confidential THEN '' ELSE recommended_actions END AS recommended_actions
    FROM early_warning
    """,
    """
    CREATE VIRTUAL TABLE warning_fts USING fts5(
        reference, title, description, recommended_actions,
        content='warning_search', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2'
    )
    """,
    """
    CREATE TRIGGER early_warning_fts_insert AFTER INSERT ON early_warning BEGIN
        INSERT INTO warning_fts (rowid, reference, title, description, recommended_actions)
        VALUES (new.rowid, new.reference, new.title,
                CASE WHEN new.confidential THEN '' ELSE new.description END,
                CASE WHEN new.confidential THEN '' ELSE new.recommended_actions END);
    END
    """,
    """
    CREATE TRIGGER early_warning_fts_delete AFTER DELETE ON early_warning BEGIN
        INSERT INTO warning_fts (warning_fts, rowid, reference, title, description,
                                 recommended_actions)
        VALUES ('delete', old.rowid, old.reference, old.title,
                CASE WHEN old.confidential THEN '' ELSE old.description END,
                CASE WHEN old.confidential THEN '' ELSE old.recommended_actions END);
        INSERT INTO warning_fts (warning_fts) SELECT 'optimize' WHERE old.confidential;
    END
    """,
    """
    CREATE TRIGGER early_warning_fts_update
    AFTER UPDATE OF reference, title, description, recommended_actions, confidential
    ON early_warning BEGIN
        INSERT INTO warning_fts (warning_fts, rowid, reference, title, description,
                                 recommended_actions)
        VALUES ('delete', old.rowid, old.reference, old.title,
                CASE WHEN old.confidential THEN '' ELSE old.description END,
                CASE WHEN old.confidential THEN '' ELSE old.recommended_actions END);
        INSERT INTO warning_fts (rowid, reference, title, description, recommended_actions)
        VALUES (new.rowid, new.reference, new.title,
                CASE WHEN new.confidential THEN '' ELSE new.description END,
                CASE WHEN new.confidential THEN '' ELSE new.recommended_actions END);
        INSERT INTO warning_fts (warning_fts) SELECT 'optimize'
        WHERE (old.confidential AND (old.reference IS NOT new.reference
                                     OR old.title IS NOT new.title))
           OR (new.confidential AND NOT old.confidential);
    END
    """,
    "INSERT INTO warning_fts (warning_fts) VALUES ('rebuild')",
    # --- recommendations ----------------------------------------------------------------------
    """
    CREATE VIRTUAL TABLE recommendation_fts USING fts5(
        text, source_reference,
        content='recommendation', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2'
    )
    """,
    """
    CREATE TRIGGER recommendation_fts_insert AFTER INSERT ON recommendation BEGIN
        INSERT INTO recommendation_fts (rowid, text, source_reference)
        VALUES (new.rowid, new.text, new.source_reference);
    END
    """,
    """
    CREATE TRIGGER recommendation_fts_delete AFTER DELETE ON recommendation BEGIN
        INSERT INTO recommendation_fts (recommendation_fts, rowid, text, source_reference)
        VALUES ('delete', old.rowid, old.text, old.source_reference);
        INSERT INTO recommendation_fts (recommendation_fts) SELECT 'optimize'
        WHERE old.confidential;
    END
    """,
    """
    CREATE TRIGGER recommendation_fts_update AFTER UPDATE OF text, source_reference
    ON recommendation BEGIN
        INSERT INTO recommendation_fts (recommendation_fts, rowid, text, source_reference)
        VALUES ('delete', old.rowid, old.text, old.source_reference);
        INSERT INTO recommendation_fts (rowid, text, source_reference)
        VALUES (new.rowid, new.text, new.source_reference);
        INSERT INTO recommendation_fts (recommendation_fts) SELECT 'optimize'
        WHERE old.confidential;
    END
    """,
    "INSERT INTO recommendation_fts (recommendation_fts) VALUES ('rebuild')",
    # --- institutions -------------------------------------------------------------------------
    """
    CREATE VIRTUAL TABLE institution_fts USING fts5(
        name, acronym,
        content='institution', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2'
    )
    """,
    """
    CREATE TRIGGER institution_fts_insert AFTER INSERT ON institution BEGIN
        INSERT INTO institution_fts (rowid, name, acronym)
        VALUES (new.rowid, new.name, new.acronym);
    END
    """,
    """
    CREATE TRIGGER institution_fts_delete AFTER DELETE ON institution BEGIN
        INSERT INTO institution_fts (institution_fts, rowid, name, acronym)
        VALUES ('delete', old.rowid, old.name, old.acronym);
    END
    """,
    """
    CREATE TRIGGER institution_fts_update AFTER UPDATE OF name, acronym ON institution BEGIN
        INSERT INTO institution_fts (institution_fts, rowid, name, acronym)
        VALUES ('delete', old.rowid, old.name, old.acronym);
        INSERT INTO institution_fts (rowid, name, acronym)
        VALUES (new.rowid, new.name, new.acronym);
    END
    """,
    "INSERT INTO institution_fts (institution_fts) VALUES ('rebuild')",
    # The institutions list reads in name order, case folded: an index serves its first rows.
    "CREATE INDEX ix_institution_name_nocase ON institution (name COLLATE NOCASE)",
)

DOWNGRADE = (
    "DROP INDEX ix_institution_name_nocase",
    "DROP TRIGGER institution_fts_update",
    "DROP TRIGGER institution_fts_delete",
    "DROP TRIGGER institution_fts_insert",
    "DROP TABLE institution_fts",
    "DROP TRIGGER recommendation_fts_update",
    "DROP TRIGGER recommendation_fts_delete",
    "DROP TRIGGER recommendation_fts_insert",
    "DROP TABLE recommendation_fts",
    "DROP TRIGGER early_warning_fts_update",
    "DROP TRIGGER early_warning_fts_delete",
    "DROP TRIGGER early_warning_fts_insert",
    "DROP TABLE warning_fts",
    "DROP VIEW warning_search",
)


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
