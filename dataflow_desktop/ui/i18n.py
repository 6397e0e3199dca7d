"""Interface language: picked from the settings or the system locale, switchable live.

Installing a translator makes Qt send ``QEvent.LanguageChange`` to every widget; each
widget re-applies its strings in ``changeEvent`` (``retranslate()``), so switching the
language needs no restart. Qt's own strings (standard buttons, context menus) come
from the ``qtbase_<lang>.qm`` shipped with Qt.
"""

from __future__ import annotations

import logging
from typing import ClassVar, Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ._resources import translation_file

log = logging.getLogger(__name__)

SUPPORTED: Final = ("en", "fr")
DEFAULT_LANGUAGE: Final = "en"


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The language to use for the ``language`` setting (``system``, ``en``, ``fr``)."""
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code in SUPPORTED:
            return code
    return DEFAULT_LANGUAGE


class Translations:
    """Owns the installed translators of the application.

    Attributes:
        language: the language currently installed (``en`` or ``fr``).
    """

    _instances: ClassVar[dict[int, Translations]] = {}

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = DEFAULT_LANGUAGE

    @classmethod
    def of(cls, app: QCoreApplication) -> Translations:
        """The application's one instance: translators are global to the application."""
        key = id(app)
        if key not in cls._instances:
            cls._instances[key] = cls(app)
        return cls._instances[key]

    def apply(self, setting: str) -> str:
        """Install the translators for ``setting``; returns the language installed."""
        language = resolve_language(setting)
        # removeTranslator and installTranslator each send LanguageChange to the
        # application, which forwards it to every window.
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        QLocale.setDefault(QLocale(language))
        ours = QTranslator(self._app)
        path = translation_file(language)
        if path is not None and ours.load(str(path)):
            self._installed.append(ours)
        else:
            log.warning("No translation file for %r; showing source strings", language)
        qt = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # English needs no qtbase file (the source strings are English).
        if language != "en" and qt.load(QLocale(language), "qtbase", "_", qt_dir):
            self._installed.append(qt)
        for translator in self._installed:
            self._app.installTranslator(translator)
        self.language = language
        log.info("Interface language: %s", language)
        return language


__all__ = ["DEFAULT_LANGUAGE", "SUPPORTED", "Translations", "resolve_language"]
