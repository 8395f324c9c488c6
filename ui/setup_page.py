"""The Setup page: the committee's name and country, and its own lists (members, areas,
population groups, sources), each to search, add to, edit, merge and retire from."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.context.queries import AreaRow, GroupRow, group_kinds, list_areas, list_groups
from r2pdesk.context.service import AreaSpec, GroupSpec
from r2pdesk.errors import InputError
from r2pdesk.i18n import N_, format_number, tr
from r2pdesk.institutions.service import institution_choices
from r2pdesk.members.queries import MemberRow, list_members
from r2pdesk.members.service import (
    Committee,
    MemberSpec,
    act_as,
    committee,
    find_member,
    may_see_identities,
)
from r2pdesk.sources.queries import SourceRow, list_sources
from r2pdesk.sources.service import SourceSpec
from r2pdesk.store import Store
from ui import changes as kinds
from ui import setup_commands as commands
from ui.changes import Changed, on_change
from ui.guarded import REFUSAL_STYLE, GuardedDialog
from ui.operations import Refusal, run_write, show_refusal
from ui.pages import page_action
from ui.setup_commands import AREAS, GROUPS, MEMBERS, SOURCES, Entries
from ui.setup_dialogs import AreaDialog, GroupDialog, MemberDialog, MergeDialog, SourceDialog
from ui.setup_models import AreasModel, GroupsModel, ListModel, MembersModel, SourcesModel
from ui.tables import ItemRole, SortProxy


def may_see(store: Store) -> bool:
    """Whether the member who signs may see who a confidential source is."""
    with store.reader() as session:
        member = find_member(session, store.actor.name)
        return may_see_identities(None if member is None or member.retired else member.role)


class Section(QWidget):
    """One list of the Setup page: search, show retired, add, edit, merge, retire, restore."""

    entries: Entries
    listens: frozenset[str] = frozenset()
    # Marked with N_, shown with tr.
    what = N_("entries")
    empty = N_("None yet: add the first with Add…")
    search_hint = N_("Search (Ctrl+F)")

    def __init__(self, page: SetupPage) -> None:
        super().__init__()
        self.page = page
        self.store = page.store
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr(self.search_hint))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search"))
        self.show_retired = QCheckBox(tr("Show re&tired"))
        self.add_button = QPushButton(tr("&Add…"))
        self.edit_button = QPushButton(tr("&Edit…"))
        self.merge_button = QPushButton(tr("&Merge…"))
        self.retire_button = QPushButton(tr("Reti&re"))
        self.restore_button = QPushButton(tr("Re&store"))
        self.count = QLabel()
        self.view = self.make_view()
        self.view.setAccessibleName(tr(self.what))
        self.view.doubleClicked.connect(lambda _index: self.edit())
        self.view.selectionModel().selectionChanged.connect(self._enable)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_retired)
        actions = QHBoxLayout()  # below the list: the search keeps its width in any language
        actions.addWidget(self.count, 1)
        for button in (self.add_button, self.edit_button, self.merge_button,
                       self.retire_button, self.restore_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.search.textChanged.connect(self.reload)
        self.show_retired.toggled.connect(self.reload)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.merge_button.clicked.connect(self.merge)
        self.retire_button.clicked.connect(self.retire)
        self.restore_button.clicked.connect(self.restore)
        page_action(self, tr("Add"), QKeySequence.StandardKey.New, self.add)
        page_action(self, tr("Find"), QKeySequence.StandardKey.Find, self.search.setFocus)
        self.reload()
        self.refresher = on_change(self, {self.entries.kind, *self.listens},
                                   lambda _changed: self.reload())

    # --- what a kind of list says -------------------------------------------------------------

    def make_view(self) -> QAbstractItemView:
        raise NotImplementedError

    def read(self, session: Session, search: str, retired: bool) -> Sequence[Any]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Any]) -> None:
        raise NotImplementedError

    def all_rows(self) -> list[Any]:
        raise NotImplementedError

    def form(self, row: Any | None) -> GuardedDialog:
        """The form of a new entry (None) or of this one."""
        raise NotImplementedError

    def spec(self, row: Any) -> object:
        """What the form of an entry holds, as it is now (for undoing an edit)."""
        raise NotImplementedError

    # --- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again; the entries chosen stay chosen."""
        kept = [row.id for row in self.selected()]
        with self.store.reader() as session:
            rows = self.read(session, self.search.text(), self.show_retired.isChecked())
        self.set_rows(rows)
        self.select(kept)
        if isinstance(self.view, QTableView):  # each column as wide as its widest cell
            self.view.resizeColumnsToContents()
        if rows:
            self.count.setText(tr("{count} shown").format(count=format_number(len(rows))))
        elif self.search.text().strip():
            self.count.setText(tr("Nothing matches the search."))
        else:
            self.count.setText(tr(self.empty))
        self._enable()

    def selected(self) -> list[Any]:
        """The entries chosen."""
        found = []
        for index in self.view.selectionModel().selectedRows():
            row = index.data(ItemRole)
            if row is not None:
                found.append(row)
        return found

    def select(self, ids: Sequence[uuid.UUID]) -> None:
        """Choose these entries where shown."""
        chooser = self.view.selectionModel()
        chooser.clearSelection()
        flags = chooser.SelectionFlag.Select | chooser.SelectionFlag.Rows
        for index in self._indexes():
            row = index.data(ItemRole)
            if row is not None and row.id in ids:
                chooser.select(index, flags)
                chooser.setCurrentIndex(index, chooser.SelectionFlag.NoUpdate)
                self.view.scrollTo(index)

    def _indexes(self) -> list[QModelIndex]:
        model = self.view.model()
        found: list[QModelIndex] = []

        def walk(parent: QModelIndex) -> None:
            for number in range(model.rowCount(parent)):
                index = model.index(number, 0, parent)
                found.append(index)
                walk(index)

        walk(QModelIndex())
        return found

    def _enable(self) -> None:
        chosen = self.selected()
        in_use = [row for row in chosen if not row.retired]
        self.edit_button.setEnabled(len(chosen) == 1)
        self.retire_button.setEnabled(bool(in_use))
        self.restore_button.setEnabled(any(row.retired for row in chosen))
        self.restore_button.setVisible(self.show_retired.isChecked())
        self.merge_button.setEnabled(sum(not row.retired for row in self.all_rows()) > 1)

    # --- acting -------------------------------------------------------------------------------

    def _saved(self, dialog: GuardedDialog, then: Callable[[], None] | None = None
               ) -> Callable[[Any], None]:
        def saved(result: object) -> None:
            dialog.saved()
            if then is not None:
                then()
            self.refresher.flush()
            if isinstance(result, uuid.UUID):
                self.select([result])

        return saved

    @staticmethod
    def _refused(dialog: GuardedDialog) -> Callable[[Refusal], None]:
        return lambda refusal: dialog.refuse(refusal.message, refusal.field)

    def add(self) -> None:
        """A new entry, through its form."""
        dialog = self.form(None)

        def save() -> None:
            spec = dialog.value()  # type: ignore[attr-defined]
            command, first = commands.add(self.page, self.store, self.entries, spec, spec.name)
            commands.execute(self.page.undo_stack, command, first,
                             on_success=self._saved(dialog), on_failure=self._refused(dialog))

        self.page.open_form(dialog, save)

    def edit(self) -> None:
        """The chosen entry's form."""
        chosen = self.selected()
        if len(chosen) != 1:
            return
        row = chosen[0]
        dialog = self.form(row)
        before = self.spec(row)

        def save() -> None:
            after = dialog.value()  # type: ignore[attr-defined]
            command, first = commands.edit(self.page, self.store, self.entries, row.id,
                                           before=before, after=after, name=row.name)
            commands.execute(self.page.undo_stack, command, first,
                             on_success=self._saved(dialog, lambda: self.edited(row)),
                             on_failure=self._refused(dialog))

        self.page.open_form(dialog, save)

    def edited(self, row: Any) -> None:
        """After an entry was edited (members: the one who signs may have been renamed)."""

    def _step(self, make: Callable[..., tuple[commands.SetupCommand, commands.Step]],
              rows: Sequence[Any]) -> None:
        for row in rows:
            command, first = make(self.page, self.store, self.entries, row.id, row.name)
            commands.execute(self.page.undo_stack, command, first,
                             on_failure=self.page.tell)

    def retire(self) -> None:
        """Take the chosen entries out of the lists (undo brings them back)."""
        self._step(commands.retire, [row for row in self.selected() if not row.retired])

    def restore(self) -> None:
        """Bring the chosen retired entries back."""
        self._step(commands.restore, [row for row in self.selected() if row.retired])

    def merge(self) -> None:
        """Merge two duplicates, the person choosing the one kept."""
        in_use = [row for row in self.all_rows() if not row.retired]
        chosen = [row.id for row in self.selected() if not row.retired]
        dialog = MergeDialog(
            tr("Merge two duplicates"), [(row.id, self.label(row)) for row in in_use],
            chosen[0] if chosen else None, chosen[1] if len(chosen) > 1 else None, self.page)

        def save() -> None:
            keep, drop = dialog.value()
            run_write(self.page, self.store, tr("Merging…"),
                      lambda s: self.entries.merge(s, keep, drop),
                      changed=Changed.of(self.entries.kind, ids=[keep, drop]),
                      on_success=lambda _moved: self._merged(dialog, keep),
                      on_failure=self._refused(dialog))

        self.page.open_form(dialog, save)

    def _merged(self, dialog: GuardedDialog, keep: uuid.UUID) -> None:
        dialog.saved()
        self.refresher.flush()
        self.select([keep])

    def label(self, row: Any) -> str:
        """An entry as a choice shows it."""
        return str(row.name)


def _table(model: Any) -> QTableView:
    proxy = SortProxy()
    proxy.setSourceModel(model)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    proxy.setParent(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(60)
    return view


class _TableSection(Section):
    """A list shown as a table (members, groups, sources): its rows live in its model."""

    model: ListModel

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)

    def all_rows(self) -> list[Any]:
        return [self.model.row_at(i) for i in range(self.model.rowCount())]


class MembersSection(_TableSection):
    """The committee's members."""

    entries = MEMBERS
    listens = frozenset({kinds.INSTITUTION})
    what = N_("Members")
    empty = N_("No members yet: add them with Add…")
    search_hint = N_("Name, institution or affiliation (Ctrl+F)")

    def make_view(self) -> QAbstractItemView:
        self.model = MembersModel(parent=self)
        return _table(self.model)

    def read(self, session: Session, search: str, retired: bool) -> Sequence[MemberRow]:
        return list_members(session, search=search, include_retired=retired)

    def form(self, row: Any | None) -> GuardedDialog:
        with self.store.reader() as session:
            institutions = institution_choices(session)
        title = tr("Edit a member") if row else tr("Add a member")
        return MemberDialog(title, row, institutions, self.page.today(), self.page)

    def spec(self, row: Any) -> object:
        return MemberSpec(row.name, row.constituency, row.role, row.institution_id,
                          row.term_start, row.term_end, row.active, row.email, row.affiliation)

    def edited(self, row: Any) -> None:
        if row.name == self.store.actor.name:  # the one who signs: signs with the new name
            try:
                act_as(self.store, str(row.id))
            except InputError:
                return


class AreasSection(Section):
    """The areas, country > region > district."""

    entries = AREAS
    what = N_("Areas")
    empty = N_("No areas yet: add the country with Add…, then its regions and districts.")
    search_hint = N_("Name, path or code (Ctrl+F)")

    def make_view(self) -> QAbstractItemView:
        self.model = AreasModel(self)
        view = QTreeView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.header().resizeSection(0, 320)
        self.model.modelReset.connect(view.expandAll)
        return view

    def read(self, session: Session, search: str, retired: bool) -> Sequence[AreaRow]:
        return list_areas(session, search=search, include_retired=retired)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)

    def all_rows(self) -> list[Any]:
        return self.model.rows()

    def form(self, row: Any | None) -> GuardedDialog:
        with self.store.reader() as session:
            areas = list_areas(session)
        if row is not None:  # not within itself, nor within its own parts
            inside = {row.id}
            for area in areas:
                if area.parent_id in inside:
                    inside.add(area.id)
            within = [area for area in areas if area.id not in inside]
            return AreaDialog(tr("Edit an area"), row, within, parent=self.page)
        chosen = [area for area in self.selected() if not area.retired]
        parent = chosen[0] if len(chosen) == 1 else None
        level = _next_level(parent, areas)
        return AreaDialog(tr("Add an area"), None, areas,
                          parent_id=parent.id if parent else None, level=level, parent=self.page)

    def spec(self, row: Any) -> object:
        return AreaSpec(row.name, row.level, row.code, row.parent_id, row.notes)

    def label(self, row: Any) -> str:
        return str(row.path)


def _next_level(parent: AreaRow | None, areas: Sequence[AreaRow]) -> str:
    """The level a new area under `parent` likely has: that of its siblings, else the next of
    country > region > district."""
    for area in areas:
        if area.parent_id == (parent.id if parent else None) and area.level:
            return area.level
    order = [tr(word) for word in ("country", "region", "district")]
    if parent is None:
        return order[0]
    depth = min(parent.depth + 1, len(order) - 1)
    return order[depth]


class GroupsSection(_TableSection):
    """The population groups at risk."""

    entries = GROUPS
    what = N_("Population groups")
    empty = N_("No population groups yet: add them with Add…")
    search_hint = N_("Name or kind (Ctrl+F)")

    def make_view(self) -> QAbstractItemView:
        self.model = GroupsModel(parent=self)
        return _table(self.model)

    def read(self, session: Session, search: str, retired: bool) -> Sequence[GroupRow]:
        return list_groups(session, search=search, include_retired=retired)

    def form(self, row: Any | None) -> GuardedDialog:
        with self.store.reader() as session:
            found = group_kinds(session)
        title = tr("Edit a population group") if row else tr("Add a population group")
        return GroupDialog(title, row, found, self.page)

    def spec(self, row: Any) -> object:
        return GroupSpec(row.name, row.kind, row.notes)


def identity_note(encrypted: bool) -> str:
    """Where an informant's identity is kept, said under the sources."""
    if encrypted:
        return tr("Who an informant is, is kept in this database file, which is encrypted: "
                  "without its passphrase no copy of it can be read.")
    return tr("Who an informant is, is kept in this database file in the clear: encrypt the "
              "database (Settings > General > Encryption at rest) to protect it.")


class SourcesSection(_TableSection):
    """The committee's sources, graded."""

    entries = SOURCES
    listens = frozenset({kinds.MEMBER})  # another member signs: who may see identities
    what = N_("Sources")
    empty = N_("No sources yet: add them with Add…")
    search_hint = N_("Name or reference (Ctrl+F)")

    def __init__(self, page: SetupPage) -> None:
        super().__init__(page)
        self.identity_note = QLabel(identity_note(self.store.encrypted))
        self.identity_note.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.view) + 1, self.identity_note)

    def make_view(self) -> QAbstractItemView:
        self.model = SourcesModel(parent=self)
        return _table(self.model)

    def read(self, session: Session, search: str, retired: bool) -> Sequence[SourceRow]:
        member = find_member(session, self.store.actor.name)
        reveal = may_see_identities(None if member is None or member.retired else member.role)
        return list_sources(session, search=search, include_retired=retired, reveal=reveal)

    def form(self, row: Any | None) -> GuardedDialog:
        title = tr("Edit a source") if row else tr("Add a source")
        return SourceDialog(title, row, may_see(self.store), self.page.today(), self.page)

    def spec(self, row: Any) -> object:
        # An identity not read back (not shown) is kept by the core when the spec leaves it out.
        return SourceSpec(row.name, row.kind, row.reliability, row.credibility,
                          row.confidentiality, row.identity, row.reference, row.obtained_on,
                          row.notes)


class CommitteeSection(QWidget):
    """The committee's name and country."""

    def __init__(self, page: SetupPage) -> None:
        super().__init__()
        self.page = page
        self.store = page.store
        self.name = QLineEdit()
        self.name.setAccessibleName(tr("Committee name"))
        self.country = QLineEdit()
        self.country.setAccessibleName(tr("Country"))
        self.save_button = QPushButton(tr("Sa&ve"))
        self.refusal = QLabel()
        self.refusal.setStyleSheet(REFUSAL_STYLE)
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        intro = QLabel(tr("The committee's name and country appear on reports and briefs. Its "
                          "members, areas, population groups and sources are set up on the "
                          "other tabs of this page."))
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, edit in ((tr("Committee &name:"), self.name), (tr("&Country:"), self.country)):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
            edit.returnPressed.connect(self.save)  # (no argument)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.reload()
        self.refresher = on_change(self, {kinds.COMMITTEE}, lambda _changed: self.reload())

    def reload(self) -> None:
        """Read the name and country again."""
        with self.store.reader() as session:
            self.saved = committee(session)
        self.name.setText(self.saved.name)
        self.country.setText(self.saved.country)

    def is_edited(self) -> bool:
        """Whether the form differs from what is saved."""
        return (self.name.text(), self.country.text()) != (self.saved.name, self.saved.country)

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the name and country (undoable), then `then()`; a refusal is said beside its
        field and `then` is not called."""
        self.refusal.hide()
        command, first = commands.rename_committee(
            self.page, self.store, self.saved, (self.name.text(), self.country.text()))

        def saved(result: object) -> None:
            if isinstance(result, Committee):  # what is kept now, even while hidden
                self.saved = result
                self.name.setText(result.name)
                self.country.setText(result.country)
            if then is not None:
                then()

        def refused(refusal: Refusal) -> None:
            self.refusal.setText(refusal.message)
            self.refusal.show()
            (self.country if refusal.field == "country" else self.name).setFocus()

        commands.execute(self.page.undo_stack, command, first, on_success=saved,
                         on_failure=refused)


class SetupPage(QWidget):
    """The committee and its lists, one tab each."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.undo_stack = QUndoStack(self)
        self.dialog: GuardedDialog | None = None
        self.message: QMessageBox | None = None
        self.tabs = QTabWidget()
        self.committee = CommitteeSection(self)
        self.members = MembersSection(self)
        self.areas = AreasSection(self)
        self.groups = GroupsSection(self)
        self.sources = SourcesSection(self)
        for widget, text in ((self.committee, tr("Committee")), (self.members, tr("Members")),
                             (self.areas, tr("Areas")),
                             (self.groups, tr("Population groups")),
                             (self.sources, tr("Sources"))):
            self.tabs.addTab(widget, text)
        self.undo_action = self.undo_stack.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("<b>Set-up: the committee and its lists</b>")))
        top.addStretch(1)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def sections(self) -> list[Section]:
        """The four lists."""
        return [self.members, self.areas, self.groups, self.sources]

    def show_section(self, name: str) -> None:
        """Bring forward a tab: "committee", "members", "areas", "groups" or "sources"."""
        self.tabs.setCurrentWidget(getattr(self, name))

    def open_form(self, dialog: GuardedDialog, save: Callable[[], None]) -> None:
        """Open a form window-modal without blocking; its OK starts `save`, which ends with
        `dialog.saved()` or `dialog.refuse(...)`."""
        dialog.save = save
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def tell(self, refusal: Refusal) -> None:
        """A refusal of a step not made through a form (retire, restore)."""
        self.message = show_refusal(self, refusal)

    def has_unsaved_changes(self) -> bool:
        """Whether the committee's form holds an edit not saved."""
        return self.committee.is_edited()

    def save_changes(self, then: Callable[[], None] | None = None) -> None:
        """Save the committee's form, then `then()` (not called when refused)."""
        self.show_section("committee")
        self.committee.save(then)

    def discard_changes(self) -> None:
        """Show the committee's kept name and country again."""
        self.committee.refusal.hide()
        self.committee.reload()
