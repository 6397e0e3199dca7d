"""Non-modal notices: files that were not added (and why), and desktop notifications."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .labels import error_text

log = logging.getLogger(__name__)

DUPLICATE = "duplicate"
"""Pseudo error code of a file already processed with the same options."""


class NoticePanelWidget(QFrame):
    """Lists files that were not added, each with its reason, until dismissed.

    Never modal: work goes on while it is shown, and nothing is dropped silently.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.close_button = QToolButton(self)
        self.close_button.clicked.connect(self.dismiss)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        self._entries: list[tuple[Path, str | None, str]] = []
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """Apply the current language (reasons given by error code are re-translated)."""
        for row, (path, code, message) in enumerate(self._entries):
            item = self.list.item(row)
            if item is not None:
                item.setText(f"{path.name} — {self._reason(code, message)}")
        count = self.list.count()
        self.title.setText(self.tr("%n file(s) not added", "", count))
        self.close_button.setText(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss the list of files not added"))
        self.list.setAccessibleName(self.tr("Files not added, with the reason"))

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _reason(self, code: str | None, message: str) -> str:
        if code == DUPLICATE:
            return self.tr("already processed; the existing job is selected")
        return error_text(code, message)

    def add(self, entries: list[tuple[Path, str | None, str]]) -> None:
        """Show ``(path, error code, message)`` entries (after those already listed)."""
        if not entries:
            return
        for path, code, message in entries:
            self._entries.append((path, code, message))
            item = QListWidgetItem(f"{path.name} — {self._reason(code, message)}")
            item.setToolTip(str(path))
            self.list.addItem(item)
        # As tall as its rows, up to four; then it scrolls.
        rows = min(self.list.count(), 4)
        height = self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 2
        self.list.setFixedHeight(height)
        self.list.scrollToBottom()
        self.retranslate()
        self.show()

    def entries(self) -> list[str]:
        """The lines listed (for tests and accessibility)."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def dismiss(self) -> None:
        """Clear and hide the panel."""
        self.list.clear()
        self._entries.clear()
        self.hide()


class Notifier(QObject):
    """Desktop notifications through the system tray, when there is one.

    Signals:
        fallback_used(str): no tray is available; show this text elsewhere (status bar).
    """

    fallback_used = Signal(str)

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("DataFlow Desktop")
            self.tray.show()

    def notify(self, title: str, message: str) -> None:
        """Show a notification (tray balloon, else the fallback signal)."""
        log.info("%s: %s", title, message)
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        else:
            self.fallback_used.emit(f"{title} — {message}")

    def close(self) -> None:
        """Remove the tray icon."""
        if self.tray is not None:
            self.tray.hide()


__all__ = ["NoticePanelWidget", "Notifier"]
