"""The audit trail: every create, update and delete, newest first, with filters, and whether the
hash chain holds ("Verify now")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.audit import (
    AuditFilter,
    AuditOrder,
    AuditRow,
    count_entries,
    entry_actors,
    entry_page,
    entry_position,
    entry_tables,
    verify_chain,
)
from r2pdesk.i18n import N_, SOURCE_LANGUAGE, format_datetime, format_number, language, tr
from r2pdesk.paging import Sort
from r2pdesk.store import Store
from ui.combos import ValueCombo
from ui.tables import DISPLAY, TOOLTIP, WindowedModel, WindowedTable

SUMMARY_CHARS = 160
WHEN_COLUMN, ACTION_COLUMN = 1, 4
BROKEN = QColor("#b00020")


def summarize(row: AuditRow) -> str:
    """The changes of an entry in one line: the fields changed, old → new for an update."""
    if row.action == "update":
        parts = []
        for key, value in sorted(row.changes.items()):
            if isinstance(value, list) and len(value) == 2:
                parts.append(f"{key}: {value[0]} → {value[1]}")
            else:
                parts.append(f"{key}: {value}")
        text = "; ".join(parts)
    else:
        text = tr("{count} fields: {names}").format(
            count=format_number(len(row.changes)), names=", ".join(sorted(row.changes)))
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def _when(row: AuditRow) -> str:
    """The moment of an entry, in local time, to the second."""
    return _moment(row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC))


def _moment(at: datetime) -> str:
    if language() == SOURCE_LANGUAGE:
        return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return format_datetime(at)  # the language's medium form, seconds included


def action_label(action: str) -> str:
    """What an entry did, in words (the stored word when it is none of the three)."""
    return {
        "create": tr("create", context="audit action"),
        "update": tr("update", context="audit action"),
        "delete": tr("delete", context="audit action"),
    }.get(action, action)


class AuditModel(WindowedModel[AuditRow]):
    """The entries of the trail, newest first, a window at a time, sorted in SQL."""

    headers = (N_("Seq"), N_("When"), N_("Who"), N_("Device"), N_("Action"), N_("Table"),
               N_("Record"), N_("Changes"))
    sort_keys = (AuditOrder.SEQ, AuditOrder.AT, AuditOrder.ACTOR, AuditOrder.DEVICE,
                 AuditOrder.ACTION, AuditOrder.TABLE, AuditOrder.RECORD, AuditOrder.CHANGES)

    def row_id(self, row: AuditRow) -> object:
        return row.seq

    def widest(self, column: int) -> Sequence[str]:
        if column == WHEN_COLUMN:
            return [_moment(datetime(2026, month, 28, 23, 59, 59, tzinfo=UTC))
                    for month in range(1, 13)]
        if column == ACTION_COLUMN:
            return [action_label(action) for action in ("create", "update", "delete")]
        return ()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if (role == DISPLAY and orientation == Qt.Orientation.Horizontal
                and section == ACTION_COLUMN):
            return tr("Action", context="audit")  # what was done to a record, not a response
        return super().headerData(section, orientation, role)

    def cell(self, row: AuditRow, column: int, role: int) -> object:
        if role == DISPLAY:
            return (str(row.seq), _when(row), row.actor, row.device, action_label(row.action),
                    row.table, row.record_id, summarize(row))[column]
        if role == TOOLTIP and column == len(self.headers) - 1:
            return json.dumps(row.changes, ensure_ascii=False, indent=1)[:4000]
        return None


def chain_status(store: Store) -> tuple[str, bool]:
    """What the chain check says, and whether the trail holds."""
    with store.reader() as session:
        broken = verify_chain(session)
        entries = count_entries(session)
    if broken is None:
        return tr("Audit trail intact: {count} entries").format(
            count=format_number(entries)), True
    text = tr("Audit trail BROKEN at entry {seq}: its content or its link to the entry "
              "before no longer matches its hash (an entry was edited or deleted)").format(
                  seq=broken)
    return text, False


class AuditView(QWidget):
    """The trail with its status, its filters and a table."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.status = QLabel()
        self.status.setAccessibleName(tr("Audit trail status"))
        self.status.setWordWrap(True)
        self.verify_button = QPushButton(tr("&Verify now"))
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.verify_button)

        self._build_filters()
        self.model = AuditModel(self)
        self.table = WindowedTable(self.model, tr("Audit entries"),
                                   widths=[(0, 60), (1, 150), (2, 120), (3, 110), (4, 60),
                                           (5, 140), (6, 250)])
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)

        self._load_choices()
        self.verify()
        self.refresh()
        self.table_filter.currentIndexChanged.connect(self.refresh)
        self.actor_filter.currentIndexChanged.connect(self.refresh)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.since_check.toggled.connect(self.refresh)
        self.since_edit.dateChanged.connect(self.refresh)
        self.text_filter.textChanged.connect(self.refresh)

    def _build_filters(self) -> None:
        self.table_filter: ValueCombo[str | None] = ValueCombo([(tr("All tables"), None)])
        self.table_filter.setAccessibleName(tr("Table"))
        self.actor_filter: ValueCombo[str | None] = ValueCombo([(tr("Everyone"), None)])
        self.actor_filter.setAccessibleName(tr("Who"))
        self.since_check = QCheckBox(tr("Since"))
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.since_edit.setAccessibleName(tr("Since date"))
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(tr("Search record, action, changes…"))
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setAccessibleName(tr("Search the trail"))
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Table:")))
        filters.addWidget(self.table_filter)
        filters.addWidget(QLabel(tr("Who:")))
        filters.addWidget(self.actor_filter)
        filters.addWidget(self.since_check)
        filters.addWidget(self.since_edit)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.count_label)
        self.filters = filters

    def _load_choices(self) -> None:
        with self.store.reader() as session:
            tables, actors = entry_tables(session), entry_actors(session)
        for table in tables:
            self.table_filter.add(table, table)
        for actor in actors:
            self.actor_filter.add(actor or tr("(nobody named)"), actor)

    def since(self) -> date | None:
        """The day the trail is shown from, when that filter is on."""
        if not self.since_check.isChecked():
            return None
        day = self.since_edit.date()
        return date(day.year(), day.month(), day.day())

    def current_filter(self) -> AuditFilter:
        """The filter the controls describe."""
        day = self.since()
        since = (datetime.combine(day, time.min).astimezone(UTC) if day is not None
                 else None)
        return AuditFilter(table=self.table_filter.value(), actor=self.actor_filter.value(),
                           since=since, text=self.text_filter.text())

    def refresh(self) -> None:
        """Read the trail again under the filters, newest first: the first window of it."""
        spec, store = self.current_filter(), self.store

        def fetch(order: Sort[AuditOrder], offset: int, limit: int) -> list[AuditRow]:
            with store.reader() as session:
                return entry_page(session, spec, order, offset=offset, limit=limit)

        def count() -> int:
            with store.reader() as session:
                return count_entries(session, spec)

        def locate(order: Sort[AuditOrder], seq: int) -> int | None:
            with store.reader() as session:
                return entry_position(session, spec, order, seq)

        self.model.set_source(fetch, count, locate)
        self.count_label.setText(
            tr("{count} shown").format(count=format_number(self.model.total())))

    def verify(self) -> bool:
        """Check the hash chain now and show what it says; True when it holds."""
        text, intact = chain_status(self.store)
        self.status.setText(text)
        color = "#1b5e20" if intact else BROKEN.name()
        self.status.setStyleSheet(f"color: {color}; font-weight: bold;")
        return intact

    def set_store(self, store: Store) -> None:
        """Show another store's trail (after a restore)."""
        self.store = store
        self.verify()
        self.refresh()

