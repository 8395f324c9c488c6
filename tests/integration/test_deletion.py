"""Deleting a confidential item leaves no readable copy in the database's files (a canary test)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from r2pdesk.audit import REDACTED, AuditEntry, verify_chain
from r2pdesk.earlywarning.models import EarlyWarning, ResponseKind, WarningResponse
from r2pdesk.sources.models import Confidentiality, Source, SourceKind
from r2pdesk.store import Store
from tests.helpers.databases import output_dir

CANARY = "CANARY-d41e-Informant-Halvard-Mesk"


def found(path: Path) -> int:
    """How many times the canary is in the database, its WAL and its shared memory, as bytes."""
    needle = CANARY.encode()
    return sum(
        p.read_bytes().count(needle)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if p.exists()
    )


def test_deleted_confidential_items_leave_no_copy(store: Store) -> None:
    with store.session() as session:
        source = Source(title=f"Source {CANARY}", kind=SourceKind.CONFIDENTIAL_INFORMANT,
                        identity=f"{CANARY}, phone +000 555 0101",
                        confidentiality=Confidentiality.CONFIDENTIAL)
        warning = EarlyWarning(reference="EW-2026-901", title=f"Threats against {CANARY}",
                               description=f"Reported by {CANARY}", confidential=True)
        warning.responses.append(WarningResponse(on=date(2026, 11, 2),
                                                 kind=ResponseKind.ACKNOWLEDGEMENT,
                                                 action_taken=f"Called {CANARY}"))
        session.add_all([source, warning])
    with store.session() as session:
        session.get(Source, source.id).notes = f"Met {CANARY} again"  # type: ignore[union-attr]
    assert found(store.path) > 0  # the check sees the canary while it is there
    with store.session() as session:
        session.delete(session.get(Source, source.id))
        session.delete(session.get(EarlyWarning, warning.id))
    canaries = found(store.path)
    (output_dir() / "deletion-canary.json").write_text(json.dumps({"canaries_found": canaries}))
    assert canaries == 0
    with store.reader() as session:
        assert verify_chain(session) is None
        entries = session.execute(select(AuditEntry.action, AuditEntry.changes)).all()
    assert {action for action, _ in entries} == {"create", "update", "delete"}
    for _, changes in entries:  # what changed is recorded, not the confidential values
        assert json.loads(changes)
        assert REDACTED in changes


def test_identity_of_an_open_source_is_kept_out_of_the_trail(store: Store) -> None:
    with store.session() as session:
        session.add(Source(title="Public report", identity=CANARY,
                           confidentiality=Confidentiality.PUBLIC))
    with store.reader() as session:
        changes = json.loads(session.scalars(select(AuditEntry.changes)).one())
    assert changes["identity"] == REDACTED
    assert changes["title"] == "Public report"  # the rest of a public record is kept
