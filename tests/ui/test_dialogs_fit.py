"""Every dialog of the app fits a 1024x700 screen in English, French and Arabic: it opens no
larger than the screen's free area, can be made smaller still, and its buttons are in view
(what is above them scrolls). The tallest forms are saved as screenshots for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from r2pdesk.assessments.models import Assessment
from r2pdesk.earlywarning.models import EarlyWarning, WarningStatus
from r2pdesk.i18n import SOURCE_LANGUAGE
from r2pdesk.institutions.models import Institution
from r2pdesk.recommendations.models import Recommendation
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from tests.helpers.qt import shown
from ui import language as ui_language
from ui.assessment_dialogs import IndicatorDialog
from ui.assessments_page import AssessmentsPage
from ui.firstrun import CommitteeStartDialog, FirstRunDialog
from ui.guarded import GuardedDialog
from ui.institutions_page import InstitutionsPage
from ui.member_signin import SignerLabel, ask
from ui.recommendations_page import RecommendationsPage
from ui.setup_page import SetupPage
from ui.warnings_page import WarningsPage

W = TypeVar("W", bound=QWidget)
SCREEN = QRect(0, 0, 1024, 700)
FITS = (1000, 640)  # the screen less a window frame and title bar

Opener = Callable[[QtBot, Store], QDialog]
KEPT: list[QWidget] = []  # pages and dialogs, alive until the next test (qtbot closes them)


def _page(qtbot: QtBot, page: W) -> W:
    KEPT.append(page)
    return shown(qtbot, page, 1024, 700)


@pytest.fixture(params=["en", "fr", "ar"])
def speaking(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app in one language for a test; English again afterwards."""
    code: str = request.param
    ui_language.apply(qapp, code)
    try:
        yield code
    finally:
        ui_language.apply(qapp, SOURCE_LANGUAGE)


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every screen is 1024x700, all of it free (no panel), as on a small laptop."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(SCREEN))


def _one(store: Store, query: Any) -> Any:
    with store.reader() as session:
        found = session.scalars(query).first()
    assert found is not None
    return found


def _warnings(qtbot: QtBot, store: Store, action: str, status: WarningStatus) -> QDialog:
    page = _page(qtbot, WarningsPage(store, today=lambda: DEMO_TODAY))
    page.show_warning(_one(store, select(EarlyWarning.id).where(EarlyWarning.status == status)))
    getattr(page, action)()
    assert page.dialog is not None
    return page.dialog


def _recommendations(qtbot: QtBot, store: Store, action: str) -> QDialog:
    page = _page(qtbot, RecommendationsPage(store, today=lambda: DEMO_TODAY))
    page.select([_one(store, select(Recommendation.id))])
    getattr(page, action)()
    assert page.dialog is not None
    return page.dialog


def _assessments(qtbot: QtBot, store: Store, action: str) -> QDialog:
    page = _page(qtbot, AssessmentsPage(store, today=lambda: DEMO_TODAY))
    page.show_assessment(_one(store, select(Assessment.id).order_by(Assessment.period_end.desc())))
    if action == "open_evidence":
        row = next(r for r in range(page.grid_model.rowCount())
                   if page.grid_model.row_at(r).factor is not None)
        page.open_evidence(row)
    else:
        getattr(page, action)()
    assert page.dialog is not None
    return page.dialog


def _focal_point(qtbot: QtBot, store: Store) -> QDialog:
    page = _page(qtbot, InstitutionsPage(store))
    page.open_institution(_one(store, select(Institution.id)))
    page.add_focal_point()
    assert page.focal_dialog is not None
    return page.focal_dialog


def _setup_form(qtbot: QtBot, store: Store, section: str) -> QDialog:
    page = _page(qtbot, SetupPage(store))
    page.show_section(section)
    getattr(page, section).add_button.click()
    assert page.dialog is not None
    return page.dialog


class Holder(QWidget):
    """Stands for the main window: what signing needs of it."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.member_dialog: GuardedDialog | None = None
        self.signer = SignerLabel(store, self)


def _sign_in(qtbot: QtBot, store: Store) -> QDialog:
    holder = _page(qtbot, Holder(store))
    return ask(holder, holder)


def _committee_start(qtbot: QtBot, store: Store) -> QDialog:
    dialog = CommitteeStartDialog(store, lambda _member: None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _first_run(qtbot: QtBot, _store: Store) -> QDialog:
    dialog = FirstRunDialog(Path("committee.db"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _indicator(qtbot: QtBot, _store: Store) -> QDialog:
    dialog = IndicatorDialog("Add a national indicator", "Risk factor 7: Capacity to commit "
                             "atrocity crimes", "7.N1", "", new=True)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


DIALOGS: dict[str, Opener] = {
    "new-warning": lambda q, s: _warnings(q, s, "new_warning", WarningStatus.DRAFT),
    "edit-warning": lambda q, s: _warnings(q, s, "edit", WarningStatus.DRAFT),
    "respond": lambda q, s: _warnings(q, s, "respond", WarningStatus.ISSUED),
    "escalate": lambda q, s: _warnings(q, s, "escalate", WarningStatus.ISSUED),
    "close-warning": lambda q, s: _warnings(q, s, "close_warning", WarningStatus.ISSUED),
    "new-recommendation": lambda q, s: _recommendations(q, s, "new_recommendation"),
    "edit-recommendation": lambda q, s: _recommendations(q, s, "edit"),
    "record-progress": lambda q, s: _recommendations(q, s, "record_progress"),
    "assign-lead": lambda q, s: _recommendations(q, s, "assign_lead"),
    "adopt": lambda q, s: _recommendations(q, s, "adopt"),
    "new-assessment": lambda q, s: _assessments(q, s, "new_assessment"),
    "edit-assessment": lambda q, s: _assessments(q, s, "edit_details"),
    "evidence-and-override": lambda q, s: _assessments(q, s, "open_evidence"),
    "national-indicator": _indicator,
    "focal-point": _focal_point,
    "member": lambda q, s: _setup_form(q, s, "members"),
    "area": lambda q, s: _setup_form(q, s, "areas"),
    "group": lambda q, s: _setup_form(q, s, "groups"),
    "source": lambda q, s: _setup_form(q, s, "sources"),
    "who-are-you": _sign_in,
    "committee-and-first-member": _committee_start,
    "first-run": _first_run,
}
SHOWN = ("new-warning", "new-recommendation", "evidence-and-override", "adopt")


def _inside(widget: QWidget, dialog: QDialog) -> bool:
    top_left = widget.mapTo(dialog, QPoint(0, 0))
    return dialog.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.usefixtures("small_screen")
def test_every_dialog_fits_a_small_screen(
    qtbot: QtBot, demo_store: Store, store: Store, speaking: str
) -> None:
    shots = Path(output_dir("screenshots", "dialogs-fit"))
    KEPT.clear()
    for name, open_ in DIALOGS.items():
        on = store if name == "committee-and-first-member" else demo_store
        dialog = open_(qtbot, on)
        KEPT.append(dialog)
        qtbot.waitUntil(dialog.isVisible)
        QApplication.processEvents()
        said = f"{speaking} {name}"
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert least.width() <= FITS[0], f"{said}: minimum width {least.width()}"
        assert least.height() <= FITS[1], f"{said}: minimum height {least.height()}"
        assert dialog.width() <= FITS[0], f"{said}: opened {dialog.width()} wide"
        assert dialog.height() <= FITS[1], f"{said}: opened {dialog.height()} high"
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None, said
        assert box.isVisible(), said
        assert _inside(box, dialog), f"{said}: the buttons are outside the dialog"
        if name in SHOWN:
            assert dialog.grab().save(str(shots / f"{speaking}-{name}.png"))
        dialog.hide()
