"""Qt models over the committee's own lists: members, areas (a tree), population groups and
sources. Retired entries (shown on request) are greyed and say so."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from r2pdesk.context.queries import AreaRow, GroupRow
from r2pdesk.i18n import N_, format_date, tr
from r2pdesk.members.queries import MemberRow
from r2pdesk.sources.labels import confidentiality_label
from r2pdesk.sources.queries import SourceRow
from ui.tables import DISPLAY, TOOLTIP, ItemRole, RowsModel, SortRole, in_own_direction

AnyIndex = QModelIndex | QPersistentModelIndex
RETIRED_COLOUR = QColor("#808080")
RETIRED = N_("(retired)")


def _retired_roles(retired: bool, column: int, role: int) -> object:
    """What a retired entry's cells say beyond their text: grey, and why."""
    if not retired:
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        return RETIRED_COLOUR
    if role == TOOLTIP and column == 0:
        return tr("Retired: no longer offered in the lists; what named it keeps it.")
    return None


def _named(name: str, retired: bool) -> str:
    return f"{name} {tr(RETIRED)}" if retired else name


class ListModel(RowsModel[Any]):
    """A list of one kind of entry; `values` says what each column shows."""

    def values(self, row: object) -> tuple[str, ...]:
        raise NotImplementedError

    def cell(self, row: object, column: int, role: int) -> object:
        retired = bool(getattr(row, "retired", False))
        if role == DISPLAY:
            text = self.values(row)[column]
            return _named(text, retired) if column == 0 else text
        if role == SortRole:
            return self.values(row)[column].casefold()
        return _retired_roles(retired, column, role)

    def row_ids(self) -> list[uuid.UUID]:
        """The ids of the entries shown, in order."""
        return [row.id for row in self._rows]


class MembersModel(ListModel):
    """The committee's members."""

    headers = (N_("Name"), N_("Constituency"), N_("Role"), N_("Institution"), N_("Term"),
               N_("Serving"), N_("E-mail"))

    def values(self, row: object) -> tuple[str, ...]:
        assert isinstance(row, MemberRow)
        return (row.name, row.constituency_label, row.role_label,
                row.institution or row.affiliation, _term(row), tr("yes") if row.active
                else tr("no"), row.email)


def _term(row: MemberRow) -> str:
    if row.term_start is None and row.term_end is None:
        return ""
    start = format_date(row.term_start) if row.term_start else "…"
    end = format_date(row.term_end) if row.term_end else "…"
    return f"{start} – {end}"


class GroupsModel(ListModel):
    """The population groups at risk."""

    headers = (N_("Name"), N_("Kind"), N_("Notes"))

    def values(self, row: object) -> tuple[str, ...]:
        assert isinstance(row, GroupRow)
        return (row.name, row.kind_label, " ".join(row.notes.split()))


class SourcesModel(ListModel):
    """The committee's sources; who a source is only for those who may see it."""

    headers = (N_("Name"), N_("Kind"), N_("Grade"), N_("Confidentiality"), N_("Identity"))

    def values(self, row: object) -> tuple[str, ...]:
        assert isinstance(row, SourceRow)
        if row.identity:
            identity = row.identity
        elif row.has_identity:
            identity = tr("recorded, not shown")
        else:
            identity = ""
        return (row.name, row.kind_label, row.grade, confidentiality_label(row.confidentiality),
                identity)


# --- areas: a tree ------------------------------------------------------------------------------

AREA_HEADERS = (N_("Name"), N_("Level"), N_("Code"))


@dataclass
class _Node:
    """An area in the tree with the areas within it."""

    row: AreaRow | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def place(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


class AreasModel(QAbstractItemModel):
    """The areas as a tree: country > region > district ... An area whose parent is not shown
    (a search found it alone) stands at the top, its path in its tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None)
        self._nodes: dict[uuid.UUID, _Node] = {}

    def set_rows(self, rows: Sequence[AreaRow]) -> None:
        """Replace the areas (in the order of the hierarchy, each after its parent)."""
        self.beginResetModel()
        self._root = _Node(None)
        self._nodes = {}
        for row in rows:
            parent = self._nodes.get(row.parent_id) if row.parent_id else None
            node = _Node(row, parent or self._root)
            node.parent.children.append(node)  # type: ignore[union-attr]
            self._nodes[row.id] = node
        self.endResetModel()

    def rows(self) -> list[AreaRow]:
        """Every area shown, parents before their parts."""
        return [node.row for node in self._nodes.values() if node.row is not None]

    def _node(self, index: AnyIndex) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, _Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < len(AREA_HEADERS)):
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.place(), 0, node)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(AREA_HEADERS)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        row = self._node(index).row if index.isValid() else None
        if row is None or role == ItemRole:
            return row
        column = index.column()
        values = (row.name, row.level, row.code)
        if role == DISPLAY:
            text = _named(values[column], row.retired) if column == 0 else values[column]
            return in_own_direction(text)
        if role == SortRole:
            return values[column].casefold()
        if role == TOOLTIP and column == 0 and not row.retired:
            return row.path
        return _retired_roles(row.retired, column, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return tr(AREA_HEADERS[section]) if 0 <= section < len(AREA_HEADERS) else None
        return None

    def index_of(self, area_id: uuid.UUID) -> QModelIndex:
        """The index (first column) of an area, invalid when it is not shown."""
        node = self._nodes.get(area_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.place(), 0, node)
