"""Package data of the window (icons, translations) through ``importlib.resources``.

``importlib.resources`` works the same from a source checkout, an installed wheel and a
PyInstaller bundle (qutebrowser ``utils/resources.py``); no path is built from
``__file__``.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

log = logging.getLogger(__name__)

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# as_file() may extract to a temp file (zip imports); keep those alive for the app's life.
_KEEP = ExitStack()


def resource(*parts: str) -> Traversable:
    """The package resource ``dataflow_desktop/resources/<parts>``."""
    node = files("dataflow_desktop").joinpath("resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_path(*parts: str) -> Path | None:
    """A filesystem path to a resource (extracted if needed), or ``None`` if absent."""
    node = resource(*parts)
    if not node.is_file():
        return None
    return _KEEP.enter_context(as_file(node))


def app_icon() -> QIcon:
    """The application icon, with every shipped raster size."""
    icon = QIcon()
    for size in ICON_SIZES:
        node = resource("icons", f"dataflow-{size}.png")
        if node.is_file():
            pixmap = QPixmap()
            pixmap.loadFromData(node.read_bytes(), "PNG")
            icon.addPixmap(pixmap)
    if icon.isNull():
        log.warning("Application icon not found in package data")
    return icon


def translation_file(language: str) -> Path | None:
    """The compiled ``dataflow_<language>.qm``, or ``None`` if not shipped."""
    return resource_path("translations", f"dataflow_{language}.qm")


__all__ = ["app_icon", "resource", "resource_path", "translation_file"]
