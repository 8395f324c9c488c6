"""The language of the app: r2pdesk's own catalogue, Qt's own strings, the layout direction.

Chosen by `--lang`, else in Settings, else the system's language when r2pdesk speaks it.
A change in Settings takes effect the next time the app starts.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from r2pdesk.i18n import LANGUAGES, SOURCE_LANGUAGE, is_right_to_left, set_language

# Qt's translators in use; kept alive here, since Qt does not own them.
_installed: list[QTranslator] = []


def system_language() -> str:
    """The system's language when r2pdesk speaks it, else English."""
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def choose(asked: str | None, stored: str) -> str:
    """The language asked on the command line, else the one in settings, else the system's."""
    for code in (asked, stored):
        if code and code in LANGUAGES:
            return code
    return system_language()


def qt_translator(code: str) -> QTranslator | None:
    """Qt's own strings (buttons, standard dialogs) in a language, from the catalogues Qt ships."""
    if code == SOURCE_LANGUAGE:
        return None
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return translator if translator.load(f"qtbase_{code}", folder) else None


def apply(app: QCoreApplication, code: str) -> None:
    """Speak `code` from now on: catalogue, Qt's strings, locale, and right to left for Arabic."""
    set_language(code)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    qt_strings = qt_translator(code)
    if qt_strings is not None:
        QCoreApplication.installTranslator(qt_strings)
        _installed.append(qt_strings)
    QLocale.setDefault(QLocale(code))
    rtl = is_right_to_left(code)
    direction = Qt.LayoutDirection
    if isinstance(app, QApplication):  # a core-only application has no layout
        app.setLayoutDirection(direction.RightToLeft if rtl else direction.LeftToRight)
