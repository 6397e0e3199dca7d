"""Light, dark or system colours, applied live.

``QStyleHints.setColorScheme`` (Qt ≥ 6.8) asks the platform theme for the scheme; where
the platform cannot (X11 without a desktop theme, ``offscreen``, older Windows styles)
the request has no effect, so we fall back to an explicit Fusion palette.
"""

from __future__ import annotations

import logging
from typing import ClassVar, Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

log = logging.getLogger(__name__)

THEMES: Final = ("system", "light", "dark")
_SCHEMES: Final = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}


def dark_palette() -> QPalette:
    """A Fusion-friendly dark palette with readable disabled text and links."""
    role = QPalette.ColorRole
    palette = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#dfe1e5")
    for r, color in (
        (role.Window, window), (role.WindowText, text), (role.Base, base),
        (role.AlternateBase, QColor("#26282b")), (role.ToolTipBase, QColor("#3c3f41")),
        (role.ToolTipText, text), (role.PlaceholderText, QColor("#8c8f94")),
        (role.Text, text), (role.Button, QColor("#3c3f41")), (role.ButtonText, text),
        (role.BrightText, QColor("#ff6b68")), (role.Link, QColor("#6ea8fe")),
        (role.Highlight, QColor("#2f65ca")), (role.HighlightedText, QColor("#ffffff")),
        (role.Light, QColor("#4a4d50")), (role.Midlight, QColor("#3f4245")),
        (role.Mid, QColor("#33363a")), (role.Dark, QColor("#191a1c")),
        (role.Shadow, QColor("#0d0d0e")),
    ):  # fmt: skip
        palette.setColor(r, color)
    disabled = QColor("#6f737a")
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return palette


class FusionStyle(QProxyStyle):
    """Fusion, with the labels of unselected tabs not shifted down.

    Fusion moves them 2 px lower but clips them to the unshifted text box, which cuts
    the accent off capitals: the French "Équipe" tab read "Equipe".
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("fusion"))

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        """Fusion's metrics, except no vertical shift for tab labels."""
        if metric == QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)


class ThemeManager:
    """Applies a theme to the application and remembers the platform's own look."""

    _instances: ClassVar[dict[int, ThemeManager]] = {}

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._system_style = app.style().name()
        self._system_palette = QPalette(app.palette())
        self.theme = "system"

    @classmethod
    def of(cls, app: QApplication) -> ThemeManager:
        """The application's one instance, made before any theme is applied, so it
        remembers the platform's own style and palette."""
        key = id(app)
        if key not in cls._instances:
            cls._instances[key] = cls(app)
        return cls._instances[key]

    def apply(self, theme: str) -> None:
        """Switch to ``theme`` (``system``, ``light`` or ``dark``); unknown names mean system."""
        theme = theme if theme in THEMES else "system"
        hints = self._app.styleHints()
        wanted = _SCHEMES[theme]
        hints.setColorScheme(wanted)
        self.theme = theme
        if theme == "system" or hints.colorScheme() == wanted:
            # The platform honoured the request (or we follow it): its own palette.
            self._set_style(self._system_style)
            self._app.setPalette(self._system_palette)
            return
        log.debug("Platform ignored colour scheme %s; using an explicit palette", theme)
        # Native styles (windowsvista, macOS) ignore custom palettes; Fusion honours them.
        self._set_style("fusion")
        palette = dark_palette() if theme == "dark" else self._app.style().standardPalette()
        self._app.setPalette(palette)

    def _set_style(self, name: str) -> None:
        if name.lower() == "fusion":
            if not isinstance(self._app.style(), FusionStyle):
                self._app.setStyle(FusionStyle())
        elif self._app.style().name().lower() != name.lower():
            style = QStyleFactory.create(name)
            if style is not None:
                self._app.setStyle(style)

    @property
    def is_dark(self) -> bool:
        """Whether the current window colour is dark (for overlay colours)."""
        return self._app.palette().color(QPalette.ColorRole.Window).lightness() < 128


__all__ = ["THEMES", "ThemeManager", "dark_palette"]
