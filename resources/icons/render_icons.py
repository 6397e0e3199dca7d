"""Render ``dataflow.svg`` into the PNG sizes shipped as package data.

Run after editing the SVG::

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/render_icons.py

PNGs are shipped (not only the SVG) because the window icon on Windows and some Linux
desktops is taken from raster sizes, and a frozen bundle may lack the SVG image plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "dataflow_desktop" / "resources" / "icons"


def main() -> int:
    """Write ``dataflow-<size>.png`` for every size, and a copy of the SVG."""
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "dataflow.svg"))
    if not renderer.isValid():
        raise SystemExit("dataflow.svg is not a valid SVG")
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(OUT / f"dataflow-{size}.png"))
    (OUT / "dataflow.svg").write_bytes((HERE / "dataflow.svg").read_bytes())
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
