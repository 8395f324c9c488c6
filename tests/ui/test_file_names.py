"""Files suggested under names a person recognises: a saved evidence file keeps its own name, a
ministry brief names its institution."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from r2pdesk.institutions.models import Institution
from r2pdesk.reports import Marking
from r2pdesk.sources.models import Attachment
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY
from tests.helpers.qt import shown
from ui.recommendation_detail import EVIDENCE_SCHEME
from ui.recommendations_page import RecommendationsPage
from ui.reports_page import ReportOptions, ReportsPage, file_slug


def test_a_saved_evidence_file_is_offered_under_its_own_name(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_store.reader() as session:
        attachment = session.scalars(select(Attachment)).first()
        assert attachment is not None
        attachment_id, name = attachment.id, attachment.original_name
    asked: list[Any] = []

    def save_file_name(*args: Any, **_kwargs: Any) -> tuple[str, str]:
        asked.append(args)
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    page = shown(qtbot, RecommendationsPage(demo_store, today=lambda: DEMO_TODAY))
    page._open_link(QUrl(f"{EVIDENCE_SCHEME}:{attachment_id}"))
    assert len(asked) == 1
    assert asked[0][2].endswith(name)
    assert name


def test_a_ministry_brief_is_named_after_its_institution(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        named = session.execute(select(Institution.name, Institution.acronym)
                                .where(Institution.acronym != "")).first()
        plain = session.scalar(select(Institution.name).where(Institution.acronym == ""))
    assert named is not None
    page = shown(qtbot, ReportsPage(demo_store, today=lambda: DEMO_TODAY))
    page.generated = ReportOptions("ministry-brief", named.name, None, Marking.RESTRICTED,
                                   include_confidential=False)
    assert page.suggested_name() == (
        f"ministry-brief-{file_slug(named.acronym)}-{DEMO_TODAY.isoformat()}.pdf")
    if plain is not None:
        page.generated = ReportOptions("ministry-brief", plain, None, Marking.RESTRICTED,
                                   include_confidential=False)
        assert file_slug(plain) in page.suggested_name()
    page.generated = ReportOptions("implementation", None, None, Marking.RESTRICTED,
                                   include_confidential=False)
    assert page.suggested_name() == f"implementation-{DEMO_TODAY.isoformat()}.pdf"


def test_file_slugs() -> None:
    assert file_slug("Ministry of Justice") == "ministry-of-justice"
    assert file_slug("MoJ") == "moj"
    assert file_slug("وزارة العدل") == "وزارة-العدل"
    assert file_slug("—") == "report"
