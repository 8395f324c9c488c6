"""No lost work: a form starts in its first field and asks before dropping what was typed; a
draft warning is deleted after a question and comes back with Ctrl+Z. Screenshots of the forms
at 1024x700 in English, French and Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from r2pdesk.earlywarning.models import EarlyWarning, WarningStatus
from r2pdesk.i18n import SOURCE_LANGUAGE
from r2pdesk.recommendations.models import RecStatus
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import opened, shown
from ui import language as ui_language
from ui.guarded import GuardedDialog
from ui.recommendation_dialogs import ProgressDialog
from ui.warning_dialogs import CloseDialog, WarningDialog
from ui.warnings_page import WarningsPage

CTRL = Qt.KeyboardModifier.ControlModifier


def _page(qtbot: QtBot, store: Store) -> WarningsPage:
    return shown(qtbot, WarningsPage(store, today=lambda: DEMO_TODAY))


def _answer(dialog: GuardedDialog, role: QMessageBox.ButtonRole) -> None:
    question = dialog.question
    assert question is not None
    assert question.text() == "Discard the changes you typed?"
    button = next(b for b in question.buttons() if question.buttonRole(b) == role)
    button.click()


def test_new_warning_starts_in_its_title_and_asks_before_dropping_it(
    qtbot: QtBot, store: Store
) -> None:
    page = _page(qtbot, store)
    qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
    form = opened(qtbot, page, WarningDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.title)
    qtbot.keyClicks(QApplication.focusWidget(), "Armed men at the market")  # typed, not lost
    assert form.title.text() == "Armed men at the market"

    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible()  # asked, not closed
    _answer(form, QMessageBox.ButtonRole.RejectRole)  # Keep editing
    assert form.isVisible()
    assert form.title.text() == "Armed men at the market"

    form.reject()  # Cancel
    _answer(form, QMessageBox.ButtonRole.DestructiveRole)  # Discard
    qtbot.waitUntil(lambda: not form.isVisible())
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0


def test_an_untouched_form_closes_without_a_question(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    page.new_warning()
    form = opened(qtbot, page, WarningDialog)
    form.indicator_search.setText("7.1")  # a search is not work to keep
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.question is None
    qtbot.waitUntil(lambda: not form.isVisible())


def test_record_progress_asks_before_dropping_the_narrative(qtbot: QtBot) -> None:
    dialog = shown(qtbot, ProgressDialog(RecStatus.IN_PROGRESS, DEMO_TODAY), 620, 480)
    assert dialog.focusWidget() is dialog.on  # the first field
    dialog.narrative.setPlainText("Two prosecutors trained")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.question is not None
    _answer(dialog, QMessageBox.ButtonRole.DestructiveRole)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_draft_is_deleted_after_a_question_and_comes_back_with_undo(
    qtbot: QtBot, demo_store: Store
) -> None:
    page = _page(qtbot, demo_store)
    with demo_store.reader() as session:
        draft = session.execute(select(EarlyWarning.id, EarlyWarning.reference).where(
            EarlyWarning.status == WarningStatus.DRAFT)).first()
        issued = session.scalar(select(EarlyWarning.id).where(
            EarlyWarning.status == WarningStatus.ISSUED))
        total = session.scalar(select(func.count()).select_from(EarlyWarning)) or 0
    assert draft is not None
    assert issued is not None
    page.show_warning(issued)
    assert not page.delete_action.isEnabled()  # an issued warning is kept
    page.show_warning(draft.id)
    assert page.delete_action.isEnabled()
    page.delete_action.trigger()
    assert page.message is not None
    assert draft.reference in page.message.text()
    page.message.button(QMessageBox.StandardButton.Cancel).click()
    with demo_store.reader() as session:
        assert session.get(EarlyWarning, draft.id) is not None
    page.delete_action.trigger()
    assert page.message is not None
    page.message.button(QMessageBox.StandardButton.Yes).click()
    with demo_store.reader() as session:
        assert session.get(EarlyWarning, draft.id) is None
    qtbot.waitUntil(lambda: page.model.total() == total - 1)
    assert page.undo_action.text().startswith("&Undo Delete draft")
    page.undo_action.trigger()
    with demo_store.reader() as session:
        assert session.get(EarlyWarning, draft.id) is not None
    qtbot.waitUntil(lambda: page.model.total() == total)


@pytest.fixture(params=["en", "fr", "ar"])
def speaking(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app in one language for a test; English again afterwards."""
    code: str = request.param
    ui_language.apply(qapp, code)
    try:
        yield code
    finally:
        ui_language.apply(qapp, SOURCE_LANGUAGE)


def test_forms_at_1024x700(qtbot: QtBot, demo_store: Store, speaking: str) -> None:
    code = speaking
    page = _page(qtbot, demo_store)
    shots = output_dir("no-lost-work")
    page.new_warning()
    form = opened(qtbot, page, WarningDialog)
    form.resize(1024, 700)
    form.accept()  # no title: refused under the title
    assert form.refusal is not None
    QApplication.processEvents()
    assert form.grab().save(str(shots / f"new-warning-refused-{code}.png"))
    form.discard()
    with demo_store.reader() as session:
        issued = session.scalar(select(EarlyWarning.id).where(
            EarlyWarning.status == WarningStatus.ISSUED))
    assert issued is not None
    page.show_warning(issued)
    page.close_warning()
    closing = opened(qtbot, page, CloseDialog)
    closing.note.setPlainText("A note that must not be lost")
    closing.accept()
    assert closing.refusal is not None
    QApplication.processEvents()
    assert closing.grab().save(str(shots / f"close-refused-{code}.png"))
    closing.reject()
    assert closing.question is not None
    QApplication.processEvents()
    assert closing.grab().save(str(shots / f"close-asks-{code}.png"))
    closing.discard()
