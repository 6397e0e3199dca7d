"""Small pieces shared by the settings pages: a status label and combo helpers."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

# (light theme, dark theme): readable on the window colour of each.
_COLOURS = {"ok": ("#1e7b34", "#6fcf7f"), "error": ("#b3261e", "#ff8a80")}


class StatusLabel(QLabel):
    """A word-wrapped, selectable message; hidden until something is shown.

    Attributes:
        state: ``""`` (nothing shown), ``info``, ``ok`` or ``error`` (for tests and
            accessibility tools, also set as the ``state`` property).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = ""
        self.hide()

    def show_state(self, state: str, text: str) -> None:
        """Show ``text`` as ``info``, ``ok`` or ``error``."""
        self.state = state
        self.setProperty("state", state)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colour = _COLOURS.get(state)
        self.setStyleSheet(f"color: {colour[dark]};" if colour else "")
        self.setText(text)
        self.show()
        # After the layout has taken the new text in (next event-loop turn).
        QTimer.singleShot(0, self, self._fit_window)  # dropped if self is deleted

    def _fit_window(self) -> None:
        """Grow the window to fit the message; never shrink what the user sized.

        A window's minimum size ignores height-for-width: word-wrapped labels count as
        ~80 characters wide, so without this a long message squeezes its neighbours.
        """
        window = self.window()
        layout = window.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)

    def clear_state(self) -> None:
        """Hide the message."""
        self.state = ""
        self.setProperty("state", "")
        self.clear()
        self.hide()


def fill_combo(combo: QComboBox, values: tuple[str, ...], labels: list[str]) -> None:
    """(Re)fill ``combo`` keeping the selected value (labels change with the language)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for value, label in zip(values, labels, strict=True):
        combo.addItem(label, value)
    combo.blockSignals(False)
    if current is not None:
        select_data(combo, str(current))


def select_data(combo: QComboBox, value: str) -> None:
    """Select the item whose data is ``value`` (the first item if none is)."""
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


__all__ = ["StatusLabel", "fill_combo", "select_data"]
