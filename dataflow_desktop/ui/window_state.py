"""Window geometry, dock and splitter positions and column widths, kept in window.ini.

``QSettings`` in INI format beside config.json (``DATAFLOW_CONFIG_DIR`` moves both), so
tests and portable installs never write to the platform's registry or plist.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from .app import window_settings

DEFAULT_SIZE = (1280, 800)


def restore_state(
    window: QMainWindow, splitters: dict[str, QSplitter], headers: dict[str, QHeaderView]
) -> bool:
    """Restore what :func:`save_state` saved; returns whether a geometry was found."""
    state = window_settings()
    geometry = state.value("geometry")
    found = isinstance(geometry, QByteArray) and not geometry.isEmpty()
    if found:
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    restorers: dict[str, Callable[[QByteArray], object]] = {"windowState": window.restoreState}
    restorers.update({k: s.restoreState for k, s in splitters.items()})
    restorers.update({k: h.restoreState for k, h in headers.items()})
    for key, restore in restorers.items():
        value = state.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            restore(value)
    return found


def save_state(
    window: QMainWindow, splitters: dict[str, QSplitter], headers: dict[str, QHeaderView]
) -> None:
    """Remember the window's geometry, docks, splitters and header sections."""
    state = window_settings()
    state.setValue("geometry", window.saveGeometry())
    state.setValue("windowState", window.saveState())
    for key, splitter in splitters.items():
        state.setValue(key, splitter.saveState())
    for key, header in headers.items():
        state.setValue(key, header.saveState())
    state.sync()


__all__ = ["restore_state", "save_state"]
