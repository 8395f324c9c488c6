"""The first-run dialog: where to keep the database, and whether to add the fictional demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from r2pdesk.i18n import tr


class FirstRunDialog(QDialog):
    """Asks where the database lives and offers the demo country."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome to r2pdesk"))
        intro = QLabel(tr(
            "r2pdesk keeps everything in one database file on this computer. Choose where to "
            "keep it; an existing r2pdesk database can be chosen too."
        ))
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(str(default_path))
        self.path_edit.setAccessibleName(tr("Database file"))
        browse = QPushButton(tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        label = QLabel(tr("&Database file:"))
        label.setBuddy(self.path_edit)
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.demo_box = QCheckBox(tr(
            "Add the &demo: a fictional country with institutions, assessments, warnings and "
            "recommendations, to try every screen (only into a new, empty database)"
        ))
        self.demo_box.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.demo_box)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("Database file"),
            self.path_edit.text(),
            tr("r2pdesk database (*.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.path_edit.setText(chosen)

    def chosen_path(self) -> Path:
        """The database file the user chose."""
        return Path(self.path_edit.text().strip()).expanduser()

    def wants_demo(self) -> bool:
        """Whether to add the demo country."""
        return self.demo_box.isChecked()
