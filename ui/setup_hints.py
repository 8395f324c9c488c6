"""Where an empty choice list says that its entries are added on the Setup page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from r2pdesk.i18n import N_, tr

NO_AREAS = N_("No areas yet: add them on the Setup page.")
NO_GROUPS = N_("No population groups yet: add them on the Setup page.")
NO_SOURCES = N_("No sources yet: add them on the Setup page.")


def hint_if_empty(choices: QListWidget, hint: str) -> None:
    """A list with nothing to tick says where its entries come from (`hint`, marked with N_);
    the line is not an entry: it cannot be ticked or chosen."""
    if choices.count():
        return
    item = QListWidgetItem(tr(hint))
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    item.setToolTip(tr(hint))
    choices.addItem(item)
