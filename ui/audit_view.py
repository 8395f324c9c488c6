"""The audit trail in words ("Amina K. recorded progress on recommendation 2015-MS-03: In
progress"), newest first, filtered by record and by member, kept live: it reads again whenever a
write is announced, and says whether the hash chain holds ("Verify now")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
    ChainCheck,
    check_chain,
    count_entries,
    entry_actors,
    entry_page,
    entry_position,
    entry_tables,
)
from r2pdesk.audit_words import describe_all, find_records, kind_label, table_label
from r2pdesk.i18n import N_, SOURCE_LANGUAGE, format_datetime, format_number, language, tr
from r2pdesk.paging import Sort
from r2pdesk.store import Store
from ui.changes import AUDIT, Changed, on_change
from ui.tables import DISPLAY, TOOLTIP, WindowedModel, WindowedTable, in_own_direction

WHEN_COLUMN, WHAT_COLUMN = 1, 3
BROKEN = QColor("#b00020")


@dataclass(frozen=True)
class AuditLine:
    """An entry with its sentence, as a row of the view."""

    row: AuditRow
    text: str


def _when(row: AuditRow) -> str:
    """The moment of an entry, in local time, to the second."""
    return _moment(row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC))


def _moment(at: datetime) -> str:
    if language() == SOURCE_LANGUAGE:
        return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return format_datetime(at)  # the language's medium form, seconds included


def action_label(action: str) -> str:
    """What an entry did, in words (the stored word when it is none of these)."""
    return {
        "create": tr("create", context="audit action"),
        "update": tr("update", context="audit action"),
        "delete": tr("delete", context="audit action"),
        "link": tr("link", context="audit action"),
        "unlink": tr("unlink", context="audit action"),
    }.get(action, action)


def details(row: AuditRow) -> str:
    """An entry as stored, for the tooltip: what was done to which record, and the fields."""
    head = tr("Entry {seq}: {action} of {kind} {record} from device {device}").format(
        seq=row.seq, action=action_label(row.action), kind=kind_label(row.table),
        record=row.record_id, device=row.device or "-")
    return head + "\n" + json.dumps(row.changes, ensure_ascii=False, indent=1)[:4000]


class AuditModel(WindowedModel[AuditLine]):
    """The entries of the trail as sentences, newest first, a window at a time."""

    headers = (N_("Seq"), N_("When"), N_("Who"), N_("What happened"))
    sort_keys = (AuditOrder.SEQ, AuditOrder.AT, AuditOrder.ACTOR, AuditOrder.TABLE)

    def row_id(self, row: AuditLine) -> object:
        return row.row.seq

    def widest(self, column: int) -> Sequence[str]:
        if column == WHEN_COLUMN:
            return [_moment(datetime(2026, month, 28, 23, 59, 59, tzinfo=UTC))
                    for month in range(1, 13)]
        return ()

    def cell(self, row: AuditLine, column: int, role: int) -> object:
        if role == DISPLAY:
            entry = row.row
            return (str(entry.seq), _when(entry),
                    in_own_direction(entry.actor) if entry.actor else tr("(nobody named)"),
                    row.text)[column]
        if role == TOOLTIP and column == WHAT_COLUMN:
            return details(row.row)
        return None


def chain_text(check: ChainCheck) -> tuple[str, bool]:
    """What a chain check says, and whether the trail holds."""
    if check.broken is None:
        return tr("Audit trail intact: {count} entries").format(
            count=format_number(check.entries)), True
    return tr("Audit trail BROKEN at entry {seq}: its content or its link to the entry "
              "before no longer matches its hash (an entry was edited or deleted)").format(
                  seq=check.broken), False


def chain_status(store: Store) -> tuple[str, bool]:
    """What a check of the whole chain says, and whether the trail holds."""
    with store.reader() as session:
        return chain_text(check_chain(session))


def _narrow_combo() -> QComboBox:
    """A combo as wide as about 16 characters, whatever its longest item (the popup is wider)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    combo.view().setMinimumWidth(280)
    return combo


def _refill(combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
    """Show these items (label, value) instead, the choice kept quietly when it is still there;
    otherwise the first item is chosen, and said."""
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        for label, value in items:
            combo.addItem(label, value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
    finally:
        combo.blockSignals(False)
    if found < 0:
        combo.currentIndexChanged.emit(0)


class AuditView(QWidget):
    """The trail with its status, its filters and a table; live."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.checked: ChainCheck | None = None
        self.status = QLabel()
        self.status.setAccessibleName(tr("Audit trail status"))
        self.status.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(tr("Entries shown"))
        self.verify_button = QPushButton(tr("&Verify now"))
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.verify_button)

        self._build_filters()
        self.model = AuditModel(self)
        self.table = WindowedTable(self.model, tr("Audit entries"),
                                   widths=[(0, 50), (1, 150), (2, 130)])
        self.table.stretch(WHAT_COLUMN, 300)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)

        self.load_choices()
        self.verify()
        self.refresh()
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.actor_filter.currentIndexChanged.connect(self.refresh)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.since_check.toggled.connect(self.refresh)
        self.since_edit.dateChanged.connect(self.refresh)
        self.text_filter.textChanged.connect(self.refresh)
        self.refresher = on_change(self, [AUDIT], self.written)

    def _build_filters(self) -> None:
        self.kind_filter = _narrow_combo()
        self.kind_filter.setAccessibleName(tr("Record kind"))
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(tr("Search a record by its name or reference…"))
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setAccessibleName(tr("Search the trail"))
        self.actor_filter = _narrow_combo()
        self.actor_filter.setAccessibleName(tr("Who"))
        self.since_check = QCheckBox(tr("Since"))
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.since_edit.setAccessibleName(tr("Since date"))
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Record:")))
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(QLabel(tr("Who:")))
        filters.addWidget(self.actor_filter)
        filters.addWidget(self.since_check)
        filters.addWidget(self.since_edit)
        self.filters = filters

    def load_choices(self) -> None:
        """Read the record kinds and the members the trail names (again, keeping the choice)."""
        with self.store.reader() as session:
            tables, actors = entry_tables(session), entry_actors(session)
        kinds = sorted(((table_label(table), table) for table in tables),
                       key=lambda item: item[0].casefold())
        _refill(self.kind_filter, [(tr("All records"), None), *kinds])
        _refill(self.actor_filter, [(tr("Every member"), None),
                                    *((actor or tr("(nobody named)"), actor) for actor in actors)])

    def since(self) -> date | None:
        """The day the trail is shown from, when that filter is on."""
        if not self.since_check.isChecked():
            return None
        day = self.since_edit.date()
        return date(day.year(), day.month(), day.day())

    def current_filter(self) -> AuditFilter:
        """The filter the controls describe (the records named by the search not looked up)."""
        day = self.since()
        since = (datetime.combine(day, time.min).astimezone(UTC) if day is not None
                 else None)
        return AuditFilter(table=self.kind_filter.currentData(),
                           actor=self.actor_filter.currentData(),
                           since=since, text=self.text_filter.text())

    def refresh(self, *, keep_window: bool = False) -> None:
        """Read the trail again under the filters, newest first: the first window of it (or as
        many rows as were loaded, after a write)."""
        spec, store = self.current_filter(), self.store
        if spec.text.strip():
            with store.reader() as session:
                spec = replace(spec, records=find_records(session, spec.text))

        def fetch(order: Sort[AuditOrder], offset: int, limit: int) -> list[AuditLine]:
            with store.reader() as session:
                rows = entry_page(session, spec, order, offset=offset, limit=limit)
                return [AuditLine(row, text)
                        for row, text in zip(rows, describe_all(session, rows), strict=True)]

        def count() -> int:
            with store.reader() as session:
                return count_entries(session, spec)

        def locate(order: Sort[AuditOrder], seq: int) -> int | None:
            with store.reader() as session:
                return entry_position(session, spec, order, seq)

        self.model.set_source(fetch, count, locate, keep_window=keep_window)
        with store.reader() as session:
            total = count_entries(session)
        self.count_label.setText(tr("{total} entries ({shown} shown)").format(
            total=format_number(total), shown=format_number(self.model.total())))

    def written(self, _change: Changed) -> None:
        """Something was written: check the entries it added, read the trail again."""
        with self.store.reader() as session:
            self._show_check(check_chain(session, self.checked))
        self.load_choices()
        self.refresh(keep_window=True)

    def verify(self) -> bool:
        """Check the whole hash chain now and show what it says; True when it holds."""
        with self.store.reader() as session:
            check = check_chain(session)
        self._show_check(check)
        return check.broken is None

    def _show_check(self, check: ChainCheck) -> None:
        self.checked = check
        text, intact = chain_text(check)
        self.status.setText(text)
        color = "#1b5e20" if intact else BROKEN.name()
        self.status.setStyleSheet(f"color: {color}; font-weight: bold;")

    def set_store(self, store: Store) -> None:
        """Show another store's trail (after a restore)."""
        self.store = store
        self.load_choices()
        self.verify()
        self.refresh()
