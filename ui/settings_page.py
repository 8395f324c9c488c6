"""The Settings page: the committee's settings (kept in the database), this laptop's (backups,
idle lock), the database's encryption, and the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from r2pdesk.earlywarning.models import Severity
from r2pdesk.earlywarning.service import response_days, set_response_days
from r2pdesk.i18n import LANGUAGES, report_language, tr
from r2pdesk.store import Store
from ui import changes as kinds
from ui import settings as options
from ui.audit_view import AuditView
from ui.changes import Changed
from ui.combos import ValueCombo
from ui.dashboard_charts import label
from ui.language import system_language
from ui.operations import Refusal, run_write
from ui.pages import open_dialog, show_message


class PassphraseDialog(QDialog):
    """Asks for a new passphrase twice (and, to change one, the current one)."""

    def __init__(self, title: str, *, ask_current: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.ask_current = ask_current
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.confirm = QLineEdit()
        for field, name in ((self.current, tr("Current passphrase")),
                            (self.new, tr("New passphrase")),
                            (self.confirm, tr("New passphrase again"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        note = QLabel(tr("r2pdesk closes the database, does the work and opens it again. Keep "
                         "the passphrase safe: without it nobody, not even you, can read the "
                         "data."))
        note.setWordWrap(True)
        form = QFormLayout()
        if ask_current:
            form.addRow(tr("&Current passphrase:"), self.current)
        else:
            self.current.hide()
        form.addRow(tr("&New passphrase:"), self.new)
        form.addRow(tr("&Again:"), self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def problem(self) -> str | None:
        """Why the answer cannot be taken, or None."""
        if self.ask_current and not self.current.text():
            return tr("Give the current passphrase.")
        if not self.new.text():
            return tr("The new passphrase is empty.")
        if self.new.text() != self.confirm.text():
            return tr("The two new passphrases differ.")
        return None

    def check_and_accept(self) -> None:
        """Accept only a passphrase given twice the same."""
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            return
        self.accept()


class SettingsPage(QWidget):
    """Settings, in two tabs: General and Audit trail."""

    encrypt_requested = Signal(str)  # the new passphrase
    rekey_requested = Signal(str, str)  # the current and the new passphrase
    laptop_saved = Signal(int)  # the idle lock minutes
    setup_requested = Signal()  # the committee's name and lists are on the Setup page

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        self.settings = options.open_settings()
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addWidget(self._committee_box())
        general_layout.addWidget(self._laptop_box())
        general_layout.addWidget(self._language_box())
        general_layout.addWidget(self._encryption_box())
        general_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(general)

        self.audit = AuditView(store)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, tr("&General"))
        audit_scroll = QScrollArea()  # its filters scroll rather than widen the window
        audit_scroll.setWidgetResizable(True)
        audit_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        audit_scroll.setWidget(self.audit)
        self.tabs.addTab(audit_scroll, tr("&Audit trail"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('Settings')}</h2>"))
        layout.addWidget(self.tabs, 1)
        self.load()

    def _committee_box(self) -> QGroupBox:
        """The committee's settings kept here: the days a response is due. Its name, members
        and lists are edited in one place, the Setup page, which this box opens."""
        setup_note = QLabel(tr("The committee's name, members and lists are on the Setup page."))
        setup_note.setWordWrap(True)
        self.open_setup_button = QPushButton(tr("&Open the Setup page"))
        self.open_setup_button.clicked.connect(lambda _checked=False: self.setup_requested.emit())
        setup_row = QHBoxLayout()
        setup_row.addWidget(setup_note, 1)
        setup_row.addWidget(self.open_setup_button)
        committee_box = QGroupBox(tr("The committee (kept in the database)"))
        committee_form = QFormLayout(committee_box)
        committee_form.addRow(setup_row)
        self.days: dict[Severity, QSpinBox] = {}
        for severity in Severity:
            spin = QSpinBox()
            spin.setRange(0, 9999)  # the core says which values it takes
            spin.setSuffix(tr(" days", context="suffix"))
            severity_name = label(severity).lower()
            spin.setAccessibleName(
                tr("Response days, {severity}").format(severity=severity_name))
            self.days[severity] = spin
            committee_form.addRow(
                tr("Response due, {severity} warning:").format(severity=severity_name), spin)
        self.save_committee_button = QPushButton(tr("&Save committee settings"))
        self.save_committee_button.clicked.connect(self.save_committee)
        committee_form.addRow(self.save_committee_button)
        return committee_box

    def _laptop_box(self) -> QGroupBox:

        self.backup_keep = QSpinBox()
        self.backup_keep.setRange(1, 365)
        self.backup_keep.setAccessibleName(tr("Backups to keep"))
        self.backup_every = QSpinBox()
        self.backup_every.setRange(1, 24 * 30)
        self.backup_every.setSuffix(tr(" hours", context="suffix"))
        self.backup_every.setAccessibleName(tr("Backup every"))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, 24 * 60)
        self.idle_minutes.setSuffix(tr(" minutes", context="suffix"))
        self.idle_minutes.setSpecialValueText(tr("never", context="lock"))
        self.idle_minutes.setAccessibleName(tr("Lock after idle minutes"))
        laptop_box = QGroupBox(tr("This laptop"))
        laptop_form = QFormLayout(laptop_box)
        laptop_form.addRow(tr("Rotating backups to &keep:"), self.backup_keep)
        laptop_form.addRow(tr("A backup at most &every:"), self.backup_every)
        laptop_form.addRow(tr("&Lock the window after:"), self.idle_minutes)
        self.save_laptop_button = QPushButton(tr("Save &laptop settings"))
        self.save_laptop_button.clicked.connect(self.save_laptop)
        laptop_form.addRow(self.save_laptop_button)
        return laptop_box

    def _language_box(self) -> QGroupBox:
        """The language of the app on this laptop: kept at once, used from the next start."""
        self.language = ValueCombo[str]([(tr("The system's language"), "")])
        for code, name in LANGUAGES.items():
            self.language.add(name, code)  # each language in its own name
        self.language.setAccessibleName(tr("Language"))
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        language_box = QGroupBox(tr("Language"))
        language_form = QFormLayout(language_box)
        language_form.addRow(tr("Lan&guage:"), self.language)
        language_form.addRow(self.language_note)
        self.language.currentIndexChanged.connect(lambda _index: self.save_language())
        return language_box

    def _encryption_box(self) -> QGroupBox:

        self.encryption_label = QLabel()
        self.encryption_label.setWordWrap(True)
        self.encrypt_button = QPushButton(tr("&Encrypt this database…"))
        self.encrypt_button.clicked.connect(self.ask_encrypt)
        self.rekey_button = QPushButton(tr("C&hange passphrase…"))
        self.rekey_button.clicked.connect(self.ask_rekey)
        encryption_box = QGroupBox(tr("Encryption at rest"))
        encryption_layout = QVBoxLayout(encryption_box)
        encryption_layout.addWidget(self.encryption_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.encrypt_button)
        buttons.addWidget(self.rekey_button)
        buttons.addStretch(1)
        encryption_layout.addLayout(buttons)
        return encryption_box

    def load(self) -> None:
        """Show the stored values."""
        with self.store.reader() as session:
            days = response_days(session)
        for severity, spin in self.days.items():
            spin.setValue(days[severity])
        self.backup_keep.setValue(options.BACKUP_KEEP.read(self.settings))
        self.backup_every.setValue(options.BACKUP_EVERY_HOURS.read(self.settings))
        self.idle_minutes.setValue(options.IDLE_LOCK_MINUTES.read(self.settings))
        self.language.blockSignals(True)
        if not self.language.set_value(options.LANGUAGE.read(self.settings)):
            self.language.set_value("")
        self.language.blockSignals(False)
        self._show_language_note()
        encrypted = self.store.encrypted
        if encrypted:
            self.encryption_label.setText(tr(
                "{name} is encrypted (SQLCipher, AES-256): without its passphrase the file and "
                "its backups cannot be read.").format(name=self.store.path.name))
        else:
            self.encryption_label.setText(tr(
                "{name} is NOT encrypted: anyone with the laptop can read it. Encrypting it "
                "closes the database, encrypts it in place and opens it again; from then on "
                "r2pdesk asks for the passphrase when it starts. Backups made before stay "
                "unencrypted: delete them once an encrypted one exists.").format(
                    name=self.store.path.name))
        self.encrypt_button.setEnabled(not encrypted)
        self.rekey_button.setEnabled(encrypted)
        self.saved_committee = self._committee_values()
        self.saved_laptop = self._laptop_values()

    def _committee_values(self) -> tuple[int, ...]:
        return tuple(spin.value() for spin in self.days.values())

    def _laptop_values(self) -> tuple[int, ...]:
        return (self.backup_keep.value(), self.backup_every.value(), self.idle_minutes.value())

    def has_unsaved_changes(self) -> bool:
        """Whether a value on the General tab differs from the one kept."""
        return (self._committee_values() != self.saved_committee
                or self._laptop_values() != self.saved_laptop)

    def save_changes(self, then: Callable[[], None] | None = None) -> None:
        """Keep whatever was changed, saying nothing when it worked, then `then()`; a refusal
        is said and `then` is not called (the edit stays on the page)."""
        def laptop_then() -> None:
            if self._laptop_values() != self.saved_laptop:
                self.save_laptop(quiet=True)
            if then is not None:
                then()

        if self._committee_values() != self.saved_committee:
            self.save_committee(quiet=True, then=laptop_then)
        else:
            laptop_then()

    def discard_changes(self) -> None:
        """Show the kept values again, dropping the edits."""
        self.load()

    def _tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        self.message = show_message(self, tr("Settings"), text, icon)

    def save_committee(self, *, quiet: bool = False,
                       then: Callable[[], None] | None = None) -> None:
        """Keep the response days, through the single writer; a value the core refuses is
        said and nothing is kept. `then()` runs once they are saved."""
        values = self._committee_values()
        days = {severity: spin.value() for severity, spin in self.days.items()}

        def work(session: Session) -> None:
            for severity, count in days.items():
                set_response_days(session, severity, count)

        def saved(_result: None) -> None:
            self.saved_committee = values
            if not quiet:
                self._tell(tr("The committee settings were saved. Warnings already issued "
                              "keep their due day."))
            if then is not None:
                then()

        def refused(refusal: Refusal) -> None:
            self._tell(tr("Nothing was saved: {error}.").format(error=refusal.message),
                       QMessageBox.Icon.Warning)

        run_write(self, self.store, tr("Saving…"), work, changed=Changed.of(kinds.SETTING),
                  on_success=saved, on_failure=refused)

    def save_laptop(self, *, quiet: bool = False) -> None:
        """Keep this laptop's settings (backups apply from the next start)."""
        options.BACKUP_KEEP.write(self.settings, self.backup_keep.value())
        options.BACKUP_EVERY_HOURS.write(self.settings, self.backup_every.value())
        options.IDLE_LOCK_MINUTES.write(self.settings, self.idle_minutes.value())
        self.settings.sync()
        self.saved_laptop = self._laptop_values()
        self.laptop_saved.emit(self.idle_minutes.value())
        if not quiet:
            self._tell(tr("This laptop's settings were saved."))

    def save_language(self) -> None:
        """Keep the language chosen ("" for the system's); it is used from the next start."""
        options.LANGUAGE.write(self.settings, self.language.value())
        self.settings.sync()
        self._show_language_note()

    def _show_language_note(self) -> None:
        chosen = self.language.value() or system_language()
        lines = [tr("The language changes when r2pdesk next starts.")]
        if report_language(chosen) != chosen:
            lines.append(tr("PDF reports are printed in English: the PDF engine cannot yet "
                            "shape Arabic script."))
        self.language_note.setText("\n".join(lines))

    def ask_encrypt(self) -> None:
        """Ask for a passphrase, then ask the window to encrypt the database."""
        dialog = PassphraseDialog(tr("Encrypt this database"), ask_current=False, parent=self)
        self.dialog = open_dialog(
            dialog, lambda: self.encrypt_requested.emit(dialog.new.text()))

    def ask_rekey(self) -> None:
        """Ask for the current and a new passphrase, then ask the window to re-key."""
        dialog = PassphraseDialog(tr("Change the passphrase"), ask_current=True, parent=self)
        self.dialog = open_dialog(
            dialog, lambda: self.rekey_requested.emit(dialog.current.text(), dialog.new.text()))
