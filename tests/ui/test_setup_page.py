"""The Setup page, from an empty database, through its forms only: the committee, members,
areas (country > region > district), population groups and sources; merge, retire, undo; a
refused save that keeps the form open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from shiboken6 import isValid
from sqlalchemy import func, select

from r2pdesk import crypto
from r2pdesk.audit import AuditEntry
from r2pdesk.context.queries import list_areas, list_groups
from r2pdesk.members.models import Constituency, Role
from r2pdesk.members.queries import list_members
from r2pdesk.members.service import MemberSpec, act_as, add_member, committee
from r2pdesk.sources.models import SourceKind
from r2pdesk.sources.queries import list_sources
from r2pdesk.startup import open_store
from r2pdesk.store import Store
from tests.helpers.qt import shown
from ui.mainwindow import MainWindow
from ui.member_signin import start
from ui.operations import writes_pending
from ui.setup_dialogs import (
    AreaDialog,
    EntryDialog,
    GroupDialog,
    MemberDialog,
    MergeDialog,
    SourceDialog,
)
from ui.setup_page import Section, SetupPage
from ui.tables import ItemRole


@pytest.fixture
def page(qtbot: QtBot, store: Store) -> Iterator[SetupPage]:
    with store.session() as session:
        add_member(session, MemberSpec("Amina K.", role=Role.SECRETARIAT))
    act_as(store, "Amina K.")
    yield shown(qtbot, SetupPage(store), 1024, 700)
    qtbot.waitUntil(lambda: writes_pending() == 0)


def settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: writes_pending() == 0)
    qtbot.wait(20)  # the announcement's refresh runs on the next turn


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def form(qtbot: QtBot, page: SetupPage, kind: type[EntryDialog]) -> EntryDialog:
    qtbot.waitUntil(lambda: isinstance(page.dialog, kind) and page.dialog.isVisible())
    dialog = page.dialog
    assert isinstance(dialog, kind)
    return dialog


def save(qtbot: QtBot, dialog: EntryDialog, *, closes: bool = True) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    settle(qtbot)
    if closes:
        qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())


def choose(section: Section, name: str) -> None:
    """Click the row of an entry in a section's list."""
    view = section.view
    for index in section._indexes():
        if index.data(ItemRole).name == name:
            view.scrollTo(index)
            rect = view.visualRect(index)
            QtBot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"{name} is not shown")


def add_member_by_form(qtbot: QtBot, page: SetupPage, name: str,
                       constituency: Constituency) -> None:
    qtbot.mouseClick(page.members.add_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, MemberDialog)
    assert isinstance(dialog, MemberDialog)
    assert dialog.focusWidget() is dialog.name  # typing starts in the first field
    qtbot.keyClicks(dialog.name, name)
    dialog.constituency.set_value(constituency)
    type_into(qtbot, dialog.email, f"{name.split(maxsplit=1)[0].lower()}@example.org")
    save(qtbot, dialog)


def add_area_by_form(qtbot: QtBot, page: SetupPage, name: str, code: str,
                     within: str | None) -> None:
    if within is not None:
        choose(page.areas, within)
    else:
        page.areas.view.clearSelection()
    qtbot.mouseClick(page.areas.add_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, AreaDialog)
    assert isinstance(dialog, AreaDialog)
    qtbot.keyClicks(dialog.name, name)
    type_into(qtbot, dialog.code, code)
    save(qtbot, dialog)


def test_a_committee_is_set_up_from_empty_through_the_forms(
    qtbot: QtBot, page: SetupPage, store: Store
) -> None:
    with store.reader() as session:
        before = session.scalar(select(func.max(AuditEntry.seq)))
    page.show_section("committee")
    type_into(qtbot, page.committee.name, "National Committee for the Prevention of Genocide")
    type_into(qtbot, page.committee.country, "Lorvania")
    qtbot.mouseClick(page.committee.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)

    page.show_section("members")
    add_member_by_form(qtbot, page, "Jonas Weber", Constituency.INDEPENDENT_EXPERT)
    add_member_by_form(qtbot, page, "Sara Mendez", Constituency.CIVIL_SOCIETY)

    page.show_section("areas")
    add_area_by_form(qtbot, page, "Lorvania", "LV", None)
    add_area_by_form(qtbot, page, "Northern Region", "LV-N", "Lorvania")
    add_area_by_form(qtbot, page, "Velmora", "LV-N-1", "Northern Region")
    add_area_by_form(qtbot, page, "Dask", "LV-N-2", "Northern Region")

    page.show_section("groups")
    for name, kind in (("Harani", "ethnical"), ("Displaced families of the north",
                                                "displaced_persons"), ("Journalists", "")):
        qtbot.mouseClick(page.groups.add_button, Qt.MouseButton.LeftButton)
        dialog = form(qtbot, page, GroupDialog)
        assert isinstance(dialog, GroupDialog)
        qtbot.keyClicks(dialog.name, name)
        dialog.kind.set_value(kind)
        save(qtbot, dialog)

    page.show_section("sources")
    for name, kind, reliability in (("Velmora community monitors", SourceKind.FIELD_MISSION, "B"),
                                    ("Informant V-7", SourceKind.CONFIDENTIAL_INFORMANT, "C")):
        qtbot.mouseClick(page.sources.add_button, Qt.MouseButton.LeftButton)
        dialog = form(qtbot, page, SourceDialog)
        assert isinstance(dialog, SourceDialog)
        qtbot.keyClicks(dialog.name, name)
        dialog.kind.set_value(kind)
        dialog.reliability.set_value(reliability)
        dialog.credibility.set_value(2)
        if kind is SourceKind.CONFIDENTIAL_INFORMANT:
            qtbot.keyClicks(dialog.identity, "A teacher in Velmora")
        save(qtbot, dialog)

    with store.reader() as session:
        assert committee(session).name == "National Committee for the Prevention of Genocide"
        assert committee(session).country == "Lorvania"
        members = {m.name: m for m in list_members(session)}
        areas = {a.name: a for a in list_areas(session)}
        groups = [g.name for g in list_groups(session)]
        sources = {s.name: s for s in list_sources(session, reveal=True)}
        signers = set(session.scalars(select(AuditEntry.actor).where(
            AuditEntry.seq > before)))
    assert set(members) == {"Amina K.", "Jonas Weber", "Sara Mendez"}
    assert members["Sara Mendez"].constituency is Constituency.CIVIL_SOCIETY
    assert members["Jonas Weber"].email == "jonas@example.org"
    assert areas["Dask"].path == "Lorvania > Northern Region > Dask"
    assert areas["Velmora"].code == "LV-N-1"
    assert (areas["Lorvania"].level, areas["Northern Region"].level, areas["Dask"].level) == (
        "country", "region", "district")  # the level offered for each place in the tree
    assert sorted(groups) == ["Displaced families of the north", "Harani", "Journalists"]
    assert sources["Informant V-7"].grade == "C2"
    assert sources["Informant V-7"].identity == "A teacher in Velmora"
    assert signers == {"Amina K."}  # everything set up is signed by the member, not a login
    # The tree shows the country, its region and the region's two districts.
    model = page.areas.model
    country = model.index(0, 0)
    region = model.index(0, 0, country)
    assert model.rowCount(country) == 1
    assert model.rowCount(region) == 2


def test_a_refused_save_keeps_the_form_open_with_what_was_typed(
    qtbot: QtBot, page: SetupPage
) -> None:
    page.show_section("members")
    qtbot.mouseClick(page.members.add_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, MemberDialog)
    assert isinstance(dialog, MemberDialog)
    qtbot.keyClicks(dialog.name, "amina k.")  # already a member, case aside
    qtbot.keyClicks(dialog.affiliation, "Ministry of Justice")
    save(qtbot, dialog, closes=False)
    assert dialog.isVisible()
    assert dialog.name.text() == "amina k."
    assert dialog.affiliation.text() == "Ministry of Justice"
    assert dialog.refusal is not None
    assert "already a member named Amina K." in (
        dialog.refusal.text())
    assert dialog.focusWidget() is dialog.name  # the field the refusal concerns
    # Escape now asks before the typing is lost.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.question is not None
    dialog.question.reject()  # "keep editing"
    type_into(qtbot, dialog.name, "Amina Kader")
    save(qtbot, dialog)
    assert [r.name for r in page.members.all_rows()] == ["Amina K.", "Amina Kader"]


def test_a_term_that_ends_before_it_starts_is_refused_beside_its_field(
    qtbot: QtBot, page: SetupPage
) -> None:
    page.show_section("members")
    qtbot.mouseClick(page.members.add_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, MemberDialog)
    assert isinstance(dialog, MemberDialog)
    qtbot.keyClicks(dialog.name, "Jonas Weber")
    dialog.term_start.enabled.setChecked(True)
    dialog.term_end.enabled.setChecked(True)
    dialog.term_end.edit.setDate(dialog.term_start.edit.date().addDays(-1))
    save(qtbot, dialog, closes=False)
    assert dialog.isVisible()
    assert dialog.refusal is not None
    assert dialog.field_of(dialog.refusal.text(), "term_end") is dialog.term_end


def test_merging_two_duplicate_groups_keeps_the_one_chosen(
    qtbot: QtBot, page: SetupPage, store: Store
) -> None:
    page.show_section("groups")
    for name in ("Internally displaced persons", "IDPs"):
        qtbot.mouseClick(page.groups.add_button, Qt.MouseButton.LeftButton)
        dialog = form(qtbot, page, GroupDialog)
        qtbot.keyClicks(dialog.name, name)  # type: ignore[attr-defined]
        save(qtbot, dialog)
    choose(page.groups, "IDPs")
    qtbot.mouseClick(page.groups.merge_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, MergeDialog)
    assert isinstance(dialog, MergeDialog)
    rows = {r.name: r.id for r in page.groups.all_rows()}
    dialog.keep.set_value(rows["Internally displaced persons"])
    dialog.drop.set_value(rows["IDPs"])
    save(qtbot, dialog)
    assert [r.name for r in page.groups.all_rows()] == ["Internally displaced persons"]
    page.groups.show_retired.setChecked(True)
    shown_rows = {r.name: r.retired for r in page.groups.all_rows()}
    assert shown_rows == {"Internally displaced persons": False, "IDPs": True}
    with store.reader() as session:
        from r2pdesk.context.models import PopulationGroup

        dropped = session.get(PopulationGroup, rows["IDPs"])
        assert dropped is not None
        assert dropped.merged_into == rows["Internally displaced persons"]


def test_retire_undo_redo_and_add_undone_by_retiring(
    qtbot: QtBot, page: SetupPage, store: Store
) -> None:
    page.show_section("areas")
    add_area_by_form(qtbot, page, "Lorvania", "LV", None)
    add_area_by_form(qtbot, page, "Dask", "", "Lorvania")
    choose(page.areas, "Dask")
    qtbot.mouseClick(page.areas.retire_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [a.name for a in page.areas.all_rows()] == ["Lorvania"]

    page.undo_action.trigger()  # the retirement undone: Dask is back
    settle(qtbot)
    assert [a.name for a in page.areas.all_rows()] == ["Lorvania", "Dask"]
    page.redo_action.trigger()
    settle(qtbot)
    assert [a.name for a in page.areas.all_rows()] == ["Lorvania"]
    page.undo_action.trigger()
    settle(qtbot)
    page.undo_action.trigger()  # the addition of Dask undone: retired, not deleted
    settle(qtbot)
    assert [a.name for a in page.areas.all_rows()] == ["Lorvania"]
    with store.reader() as session:
        assert [a.name for a in list_areas(session, include_retired=True)
                if a.retired] == ["Dask"]
    page.redo_action.trigger()  # the same area comes back
    settle(qtbot)
    assert [a.name for a in page.areas.all_rows()] == ["Lorvania", "Dask"]


def test_an_edit_is_undone_by_putting_the_old_details_back(
    qtbot: QtBot, page: SetupPage
) -> None:
    page.show_section("members")
    choose(page.members, "Amina K.")
    qtbot.mouseClick(page.members.edit_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, MemberDialog)
    assert isinstance(dialog, MemberDialog)
    type_into(qtbot, dialog.affiliation, "Office of the Ombudsperson")
    save(qtbot, dialog)
    assert page.members.all_rows()[0].affiliation == "Office of the Ombudsperson"
    page.undo_action.trigger()
    settle(qtbot)
    assert page.members.all_rows()[0].affiliation == ""


def test_an_identity_is_shown_only_to_those_who_may_see_it(
    qtbot: QtBot, page: SetupPage, store: Store
) -> None:
    page.show_section("sources")
    qtbot.mouseClick(page.sources.add_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, SourceDialog)
    assert isinstance(dialog, SourceDialog)
    qtbot.keyClicks(dialog.name, "Informant V-7")
    qtbot.keyClicks(dialog.identity, "A teacher in Velmora")
    save(qtbot, dialog)
    identity = page.sources.model.index(0, 4).data()
    assert identity == "A teacher in Velmora"
    with store.session() as session:
        add_member(session, MemberSpec("Jonas Weber", role=Role.MEMBER))
    act_as(store, "Jonas Weber")
    page.sources.reload()
    assert page.sources.model.index(0, 4).data() == "recorded, not shown"
    choose(page.sources, "Informant V-7")
    qtbot.mouseClick(page.sources.edit_button, Qt.MouseButton.LeftButton)
    dialog = form(qtbot, page, SourceDialog)
    assert isinstance(dialog, SourceDialog)
    assert not dialog.identity.isVisible()  # not shown, so not edited either
    qtbot.keyClicks(dialog.notes, "Met twice.")
    save(qtbot, dialog)
    with store.reader() as session:
        assert list_sources(session, reveal=True)[0].identity == "A teacher in Velmora"


def test_the_setup_page_is_in_the_window_with_its_own_shortcut(
    qtbot: QtBot, store: Store
) -> None:
    window = shown(qtbot, MainWindow(store), 1024, 700)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "setup"
    assert isinstance(window.pages["setup"], SetupPage)
    dialog = start(window, window)  # an empty database: the committee is asked first
    assert dialog is not None
    dialog.discard()


def test_models_pass_the_model_tester(
    qtbot: QtBot, page: SetupPage, store: Store, qtmodeltester: ModelTester
) -> None:
    from r2pdesk.context.service import AreaSpec, GroupSpec, add_area, add_group
    from r2pdesk.sources.service import SourceSpec, add_source

    with store.session() as session:
        country = add_area(session, AreaSpec("Lorvania", "country"))
        region = add_area(session, AreaSpec("North", "region", parent_id=country))
        add_area(session, AreaSpec("Dask", "district", parent_id=region))
        add_area(session, AreaSpec("Velmora", "district", parent_id=region))
        add_group(session, GroupSpec("Harani", "ethnical"))
        add_source(session, SourceSpec("Monitors"))
    for section in page.sections():
        section.show_retired.setChecked(True)
        section.reload()
    qtmodeltester.check(page.members.model)
    qtmodeltester.check(page.areas.model)
    qtmodeltester.check(page.groups.model)
    qtmodeltester.check(page.sources.model)
    assert page.areas.model.rowCount(QModelIndex()) == 1


def test_empty_choice_lists_of_a_warning_say_where_to_add_to_them(
    qtbot: QtBot, store: Store
) -> None:
    from r2pdesk.earlywarning import queries, service
    from ui.warning_dialogs import WarningDialog

    with store.reader() as session:
        choices = queries.warning_choices(session)
    dialog = WarningDialog(choices, service.WarningDraft(title=""), "New warning",
                           date(2026, 11, 21))
    qtbot.addWidget(dialog)
    assert dialog.areas.item(0).text() == "No areas yet: add them on the Setup page."
    assert dialog.sources.item(0).text() == "No sources yet: add them on the Setup page."
    assert not dialog.areas.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.areas.checked_ids() == ()


def test_every_setup_form_starts_in_its_name_field(qtbot: QtBot, page: SetupPage) -> None:
    page.show_section("areas")
    add_area_by_form(qtbot, page, "Lorvania", "LV", None)
    choose(page.areas, "Lorvania")  # "Within" is filled from it, above the name
    for name, section, kind in (("members", page.members, MemberDialog),
                                ("areas", page.areas, AreaDialog),
                                ("groups", page.groups, GroupDialog),
                                ("sources", page.sources, SourceDialog)):
        page.show_section(name)
        qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
        dialog = form(qtbot, page, kind)
        assert dialog.focusWidget() is dialog.fields["name"], name
        qtbot.keyClicks(dialog.focusWidget(), "North")  # typed straight away, not lost
        assert dialog.fields["name"].text() == "North"  # type: ignore[attr-defined]
        dialog.discard()
        qtbot.waitUntil(lambda d=dialog: not isValid(d) or not d.isVisible())


def test_the_sources_say_where_an_informants_identity_is_kept(
    qtbot: QtBot, page: SetupPage, store: Store
) -> None:
    page.show_section("sources")
    note = page.sources.identity_note
    assert note.isVisible()
    assert "in the clear" in note.text()
    assert "encrypt the database" in note.text()
    # under the list, above its buttons
    assert page.sources.view.geometry().bottom() < note.geometry().top()
    assert note.geometry().bottom() < page.sources.add_button.geometry().top()

    path = store.path
    store.close()
    crypto.encrypt_database(path, "a long passphrase")
    encrypted = open_store(path, passphrase="a long passphrase")
    try:
        act_as(encrypted, "Amina K.")
        again = shown(qtbot, SetupPage(encrypted), 1024, 700)
        again.show_section("sources")
        said = again.sources.identity_note.text()
        assert "is encrypted" in said
        assert "in the clear" not in said
    finally:
        qtbot.waitUntil(lambda: writes_pending() == 0)
        encrypted.close()
