"""The implementation summary and the institutions' load, as the Recommendations page shows them."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from r2pdesk.recommendations.models import RecSource, RecStatus
from r2pdesk.recommendations.summary import (
    InstitutionLoad,
    by_institution,
    implementation_summary,
)
from r2pdesk.store import Store
from tests.helpers.databases import DEMO_TODAY, output_dir
from ui.implementation_view import (
    STATUS_ORDER,
    Column,
    ImplementationModel,
    ImplementationView,
)
from ui.institution_load_view import (
    SORT_ROLE,
    InstitutionLoadModel,
    InstitutionLoadView,
    LoadColumn,
)


def _implementation(qtbot: QtBot, store: Store) -> ImplementationView:
    view = ImplementationView(store, lambda: DEMO_TODAY)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.summary is not None)  # read off the UI thread
    return view


def _load(qtbot: QtBot, store: Store) -> InstitutionLoadView:
    view = InstitutionLoadView(store, lambda: DEMO_TODAY)
    qtbot.addWidget(view)
    return view


def _column(model: ImplementationModel | InstitutionLoadModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_models_pass_the_model_tester(
    qtbot: QtBot, demo_store: Store, qtmodeltester: ModelTester
) -> None:
    view = _implementation(qtbot, demo_store)
    for kind in ("report", "target", "source"):
        view.set_kind(kind)
        qtmodeltester.check(view.model)
    load = _load(qtbot, demo_store)
    qtmodeltester.check(load.model)
    qtmodeltester.check(load.proxy)


def test_empty_models_pass_the_model_tester(qapp: object, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(ImplementationModel())
    qtmodeltester.check(InstitutionLoadModel())


def test_headline_matches_the_summary(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        summary = implementation_summary(session, today=DEMO_TODAY)
    overall = summary.overall
    adopted = sum(line.adopted for line in summary.by_report)
    view = _implementation(qtbot, demo_store)
    partially = overall.statuses[RecStatus.PARTIALLY_IMPLEMENTED]
    assert view.headline.text() == (
        f"{overall.implemented} of {overall.adopted} followed recommendations implemented "
        f"({overall.implemented_percent:.1f} %) · {partially} partially · "
        f"{summary.overdue} overdue · {adopted} of {summary.catalogue_total} "
        "catalogue recommendations adopted"
    )
    assert summary.catalogue_total == 440
    assert overall.adopted > 0


def test_switching_groupings(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        summary = implementation_summary(session, today=DEMO_TODAY)
    view = _implementation(qtbot, demo_store)
    assert view.kind() == "report"
    assert view.model.rowCount() == len(summary.by_report) + 1
    assert view.model.index(0, Column.GROUP).data() == "2009 A/63/677"
    assert not view.table.isColumnHidden(Column.IN_CATALOGUE)

    view.grouping.setCurrentIndex(view.grouping.findData("target"))
    assert view.model.rowCount() == len(summary.by_target) + 1
    assert view.model.index(0, Column.GROUP).data() == "Member States"
    assert "(not specified in the source)" in _column(view.model, Column.GROUP)

    view.set_kind("source")
    assert view.model.rowCount() == len(summary.by_source) + 1
    assert _column(view.model, Column.GROUP)[:2] == ["SG catalogue", "Committee"]
    assert view.table.isColumnHidden(Column.IN_CATALOGUE)


def test_total_row_sums_the_groups(qtbot: QtBot, demo_store: Store) -> None:
    view = _implementation(qtbot, demo_store)
    for kind in ("report", "target", "source"):
        view.set_kind(kind)
        model = view.model
        last = model.rowCount() - 1
        assert model.index(last, Column.GROUP).data() == "Total"
        assert model.is_total(last)
        for column in range(Column.FOLLOWED, Column.IMPLEMENTED_PCT):
            values = [int(text) for text in _column(model, column)]
            assert values[-1] == sum(values[:-1]), (kind, column)
        assert model.index(last, Column.GROUP).data(Qt.ItemDataRole.FontRole).bold()
    view.set_kind("report")
    assert view.model.index(view.model.rowCount() - 1, Column.IN_CATALOGUE).data() == "440"
    view.set_kind("source")
    assert view.model.index(view.model.rowCount() - 1, Column.IN_CATALOGUE).data() == "—"


def test_percentages_and_the_bar_text(qtbot: QtBot, demo_store: Store) -> None:
    view = _implementation(qtbot, demo_store)
    model = view.model
    never_followed = _column(model, Column.FOLLOWED).index("0")
    assert model.index(never_followed, Column.IMPLEMENTED_PCT).data() == "—"
    assert model.index(never_followed, Column.CHART).data(Qt.ItemDataRole.ToolTipRole) == (
        "none followed"
    )
    year_2015 = next(r for r in range(model.rowCount()) if model.group_value(r) == 2015)
    assert model.index(year_2015, Column.IMPLEMENTED_PCT).data() == "50.0 %"
    assert model.index(year_2015, Column.UNDER_WAY_PCT).data() == "100.0 %"
    assert model.index(year_2015, Column.CHART).data(Qt.ItemDataRole.ToolTipRole) == (
        "1 implemented, 1 partially implemented"
    )
    alignment = model.index(year_2015, Column.IMPLEMENTED_PCT).data(
        Qt.ItemDataRole.TextAlignmentRole
    )
    assert alignment & Qt.AlignmentFlag.AlignRight
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(model.headers))]
    assert headers[Column.FOLLOWED + 1 : Column.IMPLEMENTED_PCT] == [
        "Implemented", "Partially\nimplemented", "In\nprogress", "Not\nstarted",
        "Not\nimplemented", "Not\napplicable",
    ]
    assert len(STATUS_ORDER) == len(RecStatus)


def test_empty_database_shows_no_shares(qtbot: QtBot, store: Store) -> None:
    view = _implementation(qtbot, store)
    assert view.headline.text().startswith("0 of 0 followed recommendations implemented (—)")
    assert view.headline.text().endswith("0 of 440 catalogue recommendations adopted")
    last = view.model.rowCount() - 1
    assert view.model.index(last, Column.UNDER_WAY_PCT).data() == "—"
    load = _load(qtbot, store)
    assert load.model.rowCount() == 0


def _press_enter_on(qtbot: QtBot, view: ImplementationView | InstitutionLoadView, row: int) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    view.table.selectRow(row)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)


def test_enter_on_a_group_asks_for_its_recommendations(qtbot: QtBot, demo_store: Store) -> None:
    view = _implementation(qtbot, demo_store)
    with qtbot.waitSignal(view.group_activated, timeout=1000) as blocker:
        _press_enter_on(qtbot, view, 6)
    assert blocker.args == ["report", 2015]

    view.set_kind("target")
    with qtbot.waitSignal(view.group_activated, timeout=1000) as blocker:
        _press_enter_on(qtbot, view, 0)
    assert blocker.args == ["target", "Member States"]

    view.set_kind("source")
    with qtbot.waitSignal(view.group_activated, timeout=1000) as blocker:
        _press_enter_on(qtbot, view, 1)
    assert blocker.args == ["source", RecSource.COMMITTEE]

    with qtbot.assertNotEmitted(view.group_activated):
        _press_enter_on(qtbot, view, view.model.rowCount() - 1)  # the total


def test_double_click_on_an_institution(qtbot: QtBot, demo_store: Store) -> None:
    view = _load(qtbot, demo_store)
    view.show()
    qtbot.waitExposed(view)
    first = view.institution_at(0)
    center = view.table.visualRect(view.proxy.index(0, 0)).center()
    viewport = view.table.viewport()
    with qtbot.waitSignal(view.institution_activated, timeout=1000) as blocker:
        # A real double-click starts with a press: the view activates the item pressed.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=center)
    assert blocker.args == [first.id]
    assert isinstance(first.id, uuid.UUID)
    with qtbot.waitSignal(view.institution_activated, timeout=1000) as blocker:
        _press_enter_on(qtbot, view, 2)
    assert blocker.args == [view.institution_at(2).id]


def test_institutions_most_overdue_first_with_a_sign(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.reader() as session:
        loads = by_institution(session, today=DEMO_TODAY)
    view = _load(qtbot, demo_store)
    shown = [view.institution_at(row) for row in range(view.proxy.rowCount())]
    assert shown == loads
    overdue = view.proxy.index(0, LoadColumn.OVERDUE)
    assert overdue.data() == f"⚠ {loads[0].overdue}"
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) is not None
    quiet = view.proxy.index(len(loads) - 1, LoadColumn.OVERDUE)
    assert quiet.data() == "0"
    assert quiet.data(Qt.ItemDataRole.BackgroundRole) is None


def test_institutions_sort_numerically(qtbot: QtBot, demo_store: Store) -> None:
    view = _load(qtbot, demo_store)
    extra = [
        InstitutionLoad(uuid.uuid4(), name, {RecStatus.IN_PROGRESS: n}, supports=n,
                        overdue=n, due_soon=0)
        for name, n in (("Ten", 10), ("Nine", 9), ("Two", 2))
    ]
    view.model.set_rows(extra)
    for column in (LoadColumn.LEADS, LoadColumn.OVERDUE, LoadColumn.SUPPORTS):
        view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        assert [view.institution_at(r).name for r in range(3)] == ["Two", "Nine", "Ten"]
        assert view.proxy.index(0, column).data(SORT_ROLE) == 2
    view.table.sortByColumn(LoadColumn.INSTITUTION, Qt.SortOrder.AscendingOrder)
    assert [view.institution_at(r).name for r in range(3)] == ["Nine", "Ten", "Two"]
    view.refresh()
    view.table.sortByColumn(LoadColumn.SUPPORTS, Qt.SortOrder.DescendingOrder)
    supports = [view.institution_at(r).supports for r in range(view.proxy.rowCount())]
    assert supports == sorted(supports, reverse=True)


def test_screenshots(qtbot: QtBot, demo_store: Store) -> None:
    folder = output_dir("screenshots")
    view = _implementation(qtbot, demo_store)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    assert view.grab().save(str(folder / "implementation-summary.png"))
    view.set_kind("target")
    assert view.grab().save(str(folder / "implementation-by-target.png"))
    load = _load(qtbot, demo_store)
    load.resize(1200, 700)
    load.show()
    qtbot.waitExposed(load)
    assert load.grab().save(str(folder / "institution-load.png"))
