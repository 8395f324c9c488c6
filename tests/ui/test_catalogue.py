"""The catalogue browser through its Qt models, driven as a person would with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from r2pdesk.reference.service import search_catalogue
from r2pdesk.store import Store
from ui.catalogue_models import CatalogueFilterProxy, CatalogueModel, ReportsModel
from ui.catalogue_page import CataloguePage, detail_html
from ui.tables import ItemRole


def test_models_pass_the_model_tester(
    qtbot: QtBot, store: Store, qtmodeltester: ModelTester
) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    qtmodeltester.check(page.reports)
    qtmodeltester.check(page.recommendations)
    qtmodeltester.check(page.proxy)
    page.proxy.set_filter(2015, "Member States", "national")
    qtmodeltester.check(page.proxy)


def test_empty_models_pass_the_model_tester(qapp: object, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(ReportsModel())
    model = CatalogueModel()
    proxy = CatalogueFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_page_shows_every_recommendation(qtbot: QtBot, store: Store) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    assert page.reports.rowCount() == 18
    assert page.recommendations.rowCount() == 440
    assert page.proxy.rowCount() == 440
    assert page.count_label.text() == "440 of 440"
    first = page.proxy.index(0, 2).data()
    assert first == "Accept and act in accordance with the responsibility to protect (Pillar One)."


def test_filters_by_year_target_and_words(qtbot: QtBot, store: Store) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    page.select_year(2009)
    assert page.proxy.rowCount() == 35
    page.target_box.setCurrentIndex(page.target_box.findData("Member States"))
    assert page.proxy.rowCount() == 12
    qtbot.keyClicks(page.search, "risk assessments")
    assert page.proxy.rowCount() == 1
    item = page.proxy.index(0, 0).data(ItemRole)
    assert item.id == "2009-MS-08"
    assert "Conduct periodic risk assessments." in page.detail.toPlainText()
    page.search.clear()
    page.select_year(None)
    page.target_box.setCurrentIndex(0)
    assert page.proxy.rowCount() == 440


def test_nothing_found_says_so(qtbot: QtBot, store: Store) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    qtbot.keyClicks(page.search, "zzzz-no-such-word")
    assert page.proxy.rowCount() == 0
    assert page.count_label.text() == "0 of 440"
    assert "No recommendation matches" in page.detail.toPlainText()


def test_choosing_a_report_filters_to_it(qtbot: QtBot, store: Store) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    page.report_view.setFocus()
    page.report_view.selectRow(17)  # 2026
    assert page.year_box.currentData() == 2026
    assert page.proxy.rowCount() == 5


def test_keyboard_moves_through_recommendations(qtbot: QtBot, store: Store) -> None:
    page = CataloguePage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.rec_view.setFocus()
    page.rec_view.selectRow(0)
    qtbot.keyClick(page.rec_view, Qt.Key.Key_Down)
    assert page.rec_view.currentIndex().row() == 1
    assert "2009-MS-02" in page.detail.toPlainText()


def test_later_reports_say_what_the_sources_lack(store: Store) -> None:
    with store.reader() as session:
        items = [i for i in search_catalogue(session) if i.year == 2025]
    text = detail_html(items[0])
    assert "symbol not given in the sources" in text
    assert "not specified in the source" in text


def test_detail_escapes_text(store: Store) -> None:
    with store.reader() as session:
        item = search_catalogue(session)[0]
    hostile = item.__class__(**{**item.__dict__, "text": "<b>bold</b> & <img src=x>"})
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in detail_html(hostile)
