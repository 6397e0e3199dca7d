"""The ``QApplication``: names, icon, high-DPI policy, translations, theme and logging.

:func:`create_application` is safe to call when an application already exists (tests
create theirs through pytest-qt). :class:`UiContext` bundles what every window part
needs to apply settings live.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QSettings,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..config import Settings, config_dir
from ._compat import protect_none_refcount
from ._resources import app_icon
from .i18n import Translations
from .theme import ThemeManager

log = logging.getLogger(__name__)

APP_DISPLAY_NAME = "DataFlow Desktop"
LOG_FILE_NAME = "dataflow-desktop.log"
_HANDLER_NAME = "dataflow-desktop-file"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """Return the application, creating and configuring it on first call."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scale factors (125 %, 150 %) render crisply instead of rounding;
        # must be set before the application exists.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    QCoreApplication.setOrganizationName("DataFlow")
    QCoreApplication.setApplicationName("DataFlowDesktop")
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QGuiApplication.setDesktopFileName("dataflow-desktop")
    app.setWindowIcon(app_icon())
    protect_none_refcount()  # before the window makes its first thousands of calls
    return app


def window_settings() -> QSettings:
    """Window geometry and splitter state, in an INI file beside ``config.json``."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to a rotating file in ``log_dir`` (idempotent); returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def _qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # offscreen/xcb emit this for every tool window; it is noise, not a problem.
    if "propagateSizeHints" in message:
        return
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s (%s)", message, context.category)


def route_qt_messages() -> None:
    """Send Qt's own warnings to our log instead of stderr."""
    qInstallMessageHandler(_qt_message_handler)


@dataclass
class UiContext:
    """What the window needs to apply settings live.

    Attributes:
        settings: the current settings (replaced when the settings dialog is accepted).
        translations: the installed translators.
        theme: the colour scheme manager.
        log_file: the log file, or ``None`` when logging to a file is off.
    """

    settings: Settings
    translations: Translations
    theme: ThemeManager
    log_file: Path | None = None

    @classmethod
    def create(cls, app: QApplication, settings: Settings, log_file: Path | None) -> UiContext:
        """Apply ``settings``' language and theme to ``app`` and return the context."""
        translations = Translations.of(app)
        translations.apply(settings.language)
        theme = ThemeManager.of(app)
        theme.apply(settings.theme)
        return cls(settings=settings, translations=translations, theme=theme, log_file=log_file)


__all__ = [
    "APP_DISPLAY_NAME",
    "UiContext",
    "create_application",
    "route_qt_messages",
    "setup_logging",
    "window_settings",
]
