"""Deleting a draft warning: only a draft, with its links, audited; its number is not reused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from r2pdesk.audit import AuditEntry, verify_chain
from r2pdesk.context.models import Area, AreaId
from r2pdesk.earlywarning.models import EarlyWarning, Severity, warning_addressee, warning_area
from r2pdesk.earlywarning.service import (
    WarningDraft,
    create_warning,
    delete_draft,
    issue_warning,
    next_reference,
)
from r2pdesk.errors import InputError, KnownError
from r2pdesk.institutions.models import Institution, InstitutionId
from r2pdesk.store import Store

TODAY = date(2026, 11, 21)


def _draft(store: Store) -> tuple[EarlyWarning, InstitutionId]:
    with store.session() as session:
        justice = Institution(name="Ministry of Justice")
        area = Area(name="Ostrel", level="district")
        session.add_all([justice, area])
        session.flush()
        state = create_warning(session, WarningDraft(
            title="Armed men at the market", severity=Severity.HIGH, area_ids=(AreaId(area.id),),
            addressee_ids=(InstitutionId(justice.id),)), TODAY)
        warning = session.get_one(EarlyWarning, state.id)
        session.expunge(warning)
        return warning, InstitutionId(justice.id)


def _rows(store: Store, table: object) -> int:
    with store.reader() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_a_draft_is_deleted_with_its_links_and_the_trail_says_so(store: Store) -> None:
    warning, _justice = _draft(store)
    with store.session() as session:
        delete_draft(session, warning.id)
    assert _rows(store, EarlyWarning) == 0
    assert _rows(store, warning_area) == 0
    assert _rows(store, warning_addressee) == 0
    with store.reader() as session:
        deleted = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "delete", AuditEntry.table_name == "early_warning")).all()
        assert [e.record_id for e in deleted] == [str(warning.id)]
        assert verify_chain(session) is None
        # The number of a deleted warning is never given again.
        assert next_reference(session, TODAY.year) == "EW-2026-002"


def test_an_issued_warning_is_kept_and_the_refusal_says_why(store: Store) -> None:
    warning, _justice = _draft(store)
    with store.session() as session:
        issue_warning(session, warning.id, TODAY)
    with store.session() as session, pytest.raises(InputError) as caught:
        delete_draft(session, warning.id)
    assert isinstance(caught.value, KnownError)
    assert str(caught.value) == (
        "status: EW-2026-001 was issued on 2026-11-21; only a draft can be deleted (close an "
        "issued warning instead)")
    assert caught.value.field == "status"
    assert _rows(store, EarlyWarning) == 1


def test_a_warning_already_gone_is_refused(store: Store) -> None:
    warning, _justice = _draft(store)
    with store.session() as session:
        delete_draft(session, warning.id)
    with store.session() as session, pytest.raises(InputError, match="not in the register"):
        delete_draft(session, warning.id)
