"""The About dialog: version, what the app does, licence, versions of its engines."""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import __version__
from ._resources import app_icon


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


class AboutDialog(QDialog):
    """Shows the version of DataFlow Desktop and of the libraries it runs on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.icon = QLabel(self)
        self.icon.setPixmap(app_icon().pixmap(96, 96))
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.setWindowTitle(self.tr("About DataFlow Desktop"))
        engines = self.tr("PyMuPDF {pymupdf}, Qt {qt} (PySide6 {pyside}), Python {python} on {os}")
        self.text.setText(
            "<h2>DataFlow Desktop</h2>"
            + "<p>" + self.tr("Version {version}").format(version=__version__) + "</p>"
            + "<p>" + self.tr("Turns PDF documents into structured data — text, tables, "
                              "images and reports — on your own computer.") + "</p>"
            + "<p>" + self.tr("Licence: GNU AGPL 3.0 or later.") + "</p>"
            + "<p><small>" + engines.format(
                pymupdf=_package_version("pymupdf"), qt=qVersion(), pyside=pyside_version,
                python=".".join(map(str, sys.version_info[:3])), os=platform.system(),
            ) + "</small></p>"
        )  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


__all__ = ["AboutDialog"]
