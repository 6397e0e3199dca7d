"""The window's one boundary handler: known errors get a plain dialog, bugs a crash dialog.

qutebrowser keeps ``KnownError`` (the environment's fault) apart from ``BugError``;
Anki shows ``Interrupted`` silently. Here: :class:`~dataflow_desktop.errors.Cancelled`
is logged only, a :class:`~dataflow_desktop.errors.DataflowError` shows its
``user_message``, anything else shows the traceback and where the log file is.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import Cancelled, DataflowError
from .labels import error_text

log = logging.getLogger(__name__)

_state: dict[str, Path | None] = {"log_file": None}


def set_log_file(path: Path | None) -> None:
    """Remember the log file shown in crash dialogs."""
    _state["log_file"] = path


class CrashDialog(QDialog):
    """Shows an unexpected error's traceback and the log file, with a copy button."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("CrashDialog", "Unexpected error"))
        self.setAccessibleName(QCoreApplication.translate("CrashDialog", "Unexpected error"))
        text = "".join(traceback.format_exception(exc))
        log_file = _state["log_file"]
        where = (
            str(log_file)
            if log_file
            else QCoreApplication.translate("CrashDialog", "(no log file)")
        )
        intro = QLabel(
            QCoreApplication.translate(
                "CrashDialog",
                "DataFlow Desktop hit an unexpected error. Your jobs are safe. "
                "Please report this problem with the details below.\n\nLog file: {}",
            ).format(where)
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QPlainTextEdit(text)
        details.setReadOnly(True)
        details.setAccessibleName(QCoreApplication.translate("CrashDialog", "Error details"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(
            QCoreApplication.translate("CrashDialog", "Copy details"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(details)
        layout.addWidget(buttons)
        self.resize(640, 420)


def report_exception(exc: BaseException, parent: QWidget | None = None) -> None:
    """Show ``exc`` the way its kind deserves (slot for every task failure)."""
    if isinstance(exc, Cancelled):
        log.info("Cancelled: %s", exc.user_message)
        return
    parent = parent or QApplication.activeWindow()
    if isinstance(exc, DataflowError):
        log.warning("%s: %s", type(exc).__name__, exc)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("CrashDialog", "DataFlow Desktop"),
            error_text(exc.code.value, exc.user_message),  # translated for known codes
        )
        box.setParent(parent, box.windowFlags())
        _show(box)
        return
    log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    _show(CrashDialog(exc, parent))


def _show(dialog: QDialog) -> None:
    # open(), not exec(): a nested event loop would let other slots re-enter, and a
    # window-modal sheet keeps the rest of the app (and tests) running.
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``: exceptions escaping Qt slots and virtual methods land here."""
    if issubclass(kind, KeyboardInterrupt):
        QCoreApplication.quit()
        return
    if QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    report_exception(exc.with_traceback(tb))


def install_excepthook() -> None:
    """Route uncaught exceptions (including those in slots) to :func:`report_exception`."""
    sys.excepthook = _excepthook


__all__ = ["CrashDialog", "install_excepthook", "report_exception", "set_log_file"]
