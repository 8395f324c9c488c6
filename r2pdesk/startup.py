"""Opening a database for work: upgrade it safely, load the reference data, know this device."""

from __future__ import annotations

import getpass
from pathlib import Path

from sqlalchemy import func, select

from r2pdesk import migrate
from r2pdesk.audit import Actor
from r2pdesk.errors import KnownError
from r2pdesk.reference.load import load_reference
from r2pdesk.store import Store, check_is_sqlite, device_id, make_engine, passphrase_for


def default_member() -> str:
    """This computer's login name, as the member writing when none is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name, e.g. in a container
        return ""


def open_store(
    path: Path,
    *,
    member: str | None = None,
    create: bool = True,
    passphrase: str | None = None,
    progress: migrate.Progress | None = None,
) -> Store:
    """Open (or create) the database at `path`, upgraded to the current schema.

    An encrypted file needs its `passphrase` (a wrong one is a `KnownError` and changes
    nothing); a new file is created encrypted when a passphrase is given; a plain file opens
    plain whatever the passphrase. Before an upgrade the file is copied aside; a failed upgrade
    leaves it as it was and raises `MigrationError` saying where the copy is. `progress` hears
    how the upgrade goes (see `migrate.upgrade`); what it raises stops it, the file as it was.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise KnownError(f"{path} is a folder, not a database file")
    if not path.exists() and not create:
        raise KnownError(f"there is no database at {path}")
    new = not path.exists() or path.stat().st_size == 0
    key = passphrase if new else passphrase_for(path, passphrase)
    if not new:
        check_is_sqlite(path, key)
    result = migrate.upgrade(path, key, progress=progress)
    engine = make_engine(path, key)
    store = Store(
        path=path,
        engine=engine,
        actor=Actor(name=member if member is not None else default_member(), device=""),
        schema_revision=result.to_revision,
        backup_path=result.backup,
        passphrase=key,
    )
    try:
        with store.session() as session:
            store.actor = Actor(name=store.actor.name, device=device_id(session))
            session.info["actor"] = store.actor
            load_reference(session)
    except Exception:
        store.close()
        raise
    return store


def count(store: Store, model: type[object]) -> int:
    """How many rows a table holds."""
    with store.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
