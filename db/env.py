"""Alembic environment: runs every migration of one upgrade in a single transaction.

The app passes an open connection in `config.attributes["connection"]` (see r2pdesk/migrate.py);
developers may run `alembic -c db/alembic.ini -x db=PATH ...` instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import r2pdesk.models
from r2pdesk.search import include_name
from r2pdesk.store import make_engine

target_metadata = r2pdesk.models.Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transaction_per_migration=False,
        compare_type=True,
        include_name=include_name,  # the search indexes are made by hand, not from the models
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    path = context.get_x_argument(as_dictionary=True).get("db")
    if not path:
        raise SystemExit("give the database with -x db=PATH")
    engine = make_engine(path, foreign_keys=False)
    with engine.connect() as conn:
        _configure_and_run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("r2pdesk migrations run online only")
run()
