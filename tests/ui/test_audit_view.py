"""The audit view: sentences, live refresh, filters by record and member, counts that agree with
Verify; the undo of a progress update written to the trail; screenshots in three languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from r2pdesk.audit import Actor, count_entries, verify_chain
from r2pdesk.context.models import Area
from r2pdesk.i18n import SOURCE_LANGUAGE
from r2pdesk.recommendations.models import Recommendation, RecStatus
from r2pdesk.recommendations.service import Adoption, ProgressInput
from r2pdesk.sources.attachments import EvidenceFile
from r2pdesk.store import Store
from tests.helpers.qt import shown
from ui import language as ui_language
from ui.audit_view import AuditView
from ui.changes import PROGRESS, Changed, changes
from ui.recommendation_commands import AdoptCommand, ProgressCommand, execute

TODAY = date(2026, 11, 21)
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots" / "audit"


def _texts(view: AuditView) -> list[str]:
    return [view.model.row_at(r).text for r in range(view.model.rowCount())]


@pytest.fixture
def amina(store: Store) -> Store:
    store.actor = Actor(name="Amina K.", device=store.actor.device)
    return store


def test_an_undone_progress_update_shows_in_the_live_trail(qtbot: QtBot, amina: Store) -> None:
    view = shown(qtbot, AuditView(amina), 1024, 700)
    stack = QUndoStack()
    assert execute(stack, AdoptCommand(amina, ["2015-MS-03"], Adoption(made_on=TODAY))) is None
    rec_id = stack.command(0).rec_ids[0]  # type: ignore[attr-defined]
    evidence = EvidenceFile("letter.pdf", b"%PDF-1.4 a letter", "application/pdf")
    progress = ProgressInput(on=TODAY, status=RecStatus.IN_PROGRESS, evidence=(evidence,))
    assert execute(stack, ProgressCommand(amina, rec_id, progress, TODAY)) is None
    qtbot.waitUntil(lambda: "Amina K. recorded progress on recommendation 2015-MS-03: "
                    "In progress" in _texts(view))
    stack.undo()
    qtbot.waitUntil(lambda: _texts(view)[0].startswith(
        "Amina K. deleted evidence file letter.pdf"))
    assert ("Amina K. removed the progress recorded on recommendation 2015-MS-03: In progress"
            in _texts(view))
    with amina.reader() as session:
        total = count_entries(session)
        assert verify_chain(session) is None
    assert view.status.text() == f"Audit trail intact: {total} entries"
    assert view.count_label.text() == f"{total} entries ({total} shown)"
    assert view.verify()
    assert view.status.text() == f"Audit trail intact: {total} entries"


def test_filters_by_record_and_member_say_how_many_of_how_many(
    qtbot: QtBot, amina: Store,
) -> None:
    with amina.session() as session:
        session.add_all([Area(name="North Region"), Area(name="South Region")])
    amina.actor = Actor(name="Youssef B.", device=amina.actor.device)
    with amina.session() as session:
        session.add(Area(name="Coastal District"))
    view = shown(qtbot, AuditView(amina), 1024, 700)
    assert view.count_label.text() == "3 entries (3 shown)"
    view.text_filter.setText("north")
    assert _texts(view) == ["Amina K. added area North Region"]
    assert view.count_label.text() == "3 entries (1 shown)"
    view.text_filter.clear()
    view.actor_filter.setCurrentIndex(view.actor_filter.findData("Youssef B."))
    assert _texts(view) == ["Youssef B. added area Coastal District"]
    view.actor_filter.setCurrentIndex(0)
    assert view.kind_filter.findText("area") >= 0
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("area"))
    assert view.model.rowCount() == 3


def test_a_hidden_view_reads_again_when_it_shows(qtbot: QtBot, amina: Store) -> None:
    view = shown(qtbot, AuditView(amina), 1024, 700)
    view.hide()
    with amina.session() as session:
        session.add(Area(name="North Region"))
    changes.announce(Changed.of(PROGRESS))
    QApplication.processEvents()
    assert view.model.rowCount() == 0
    view.show()
    qtbot.waitUntil(lambda: _texts(view) == ["Amina K. added area North Region"])
    assert view.actor_filter.findText("Amina K.") >= 0  # new members reach the filter


@pytest.fixture
def in_language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    code: str = request.param
    ui_language.apply(qapp, code)
    try:
        yield code
    finally:
        ui_language.apply(qapp, SOURCE_LANGUAGE)


@pytest.mark.parametrize("in_language", ["en", "fr", "ar"], indirect=True)
def test_screenshot_at_1024_by_700(qtbot: QtBot, demo_store: Store, in_language: str) -> None:
    demo_store.actor = Actor(name="Amina K.", device=demo_store.actor.device)
    with demo_store.reader() as session:
        rec_id = session.scalar(select(Recommendation.id).where(
            Recommendation.catalogue_id == "2015-MS-03"))
    assert rec_id is not None
    view = shown(qtbot, AuditView(demo_store), 1024, 700)
    stack = QUndoStack()
    progress = ProgressInput(on=TODAY, status=RecStatus.PARTIALLY_IMPLEMENTED,
                             narrative="Two of three courses held.")
    assert execute(stack, ProgressCommand(demo_store, rec_id, progress, TODAY)) is None
    stack.undo()
    stack.redo()
    for _ in range(3):
        QApplication.processEvents()
    assert view.table.horizontalScrollBar().maximum() == 0  # nothing off to the side
    assert view.verify_button.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(SHOTS / f"audit-{in_language}.png"))
