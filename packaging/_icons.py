"""Make every icon file the three systems need from the one source, ``dataflow.svg``.

* Linux: hicolor PNGs (16-512 px) and the SVG itself (``scalable``).
* Windows: a multi-size ``.ico`` (16-256 px, each size rendered, not scaled down).
* macOS: an ``.icns`` (16-1024 px) written by Pillow, so no ``iconutil`` is needed.

PNGs are rendered from the SVG with Qt's ``QSvgRenderer`` (QtSvg is part of
PySide6-Essentials) in a child process with the offscreen platform, so the build
script itself never creates a Qt application. Without QtSvg the largest shipped PNG
(``dataflow_desktop/resources/icons/dataflow-512.png``) is scaled with Pillow instead.

Run alone: ``python packaging/_icons.py OUT_DIR`` (prints what it wrote).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE_SVG = ROOT / "resources" / "icons" / "dataflow.svg"
PACKAGED_ICONS = ROOT / "dataflow_desktop" / "resources" / "icons"
ALL_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


@dataclass(frozen=True)
class IconSet:
    """The generated icon files.

    Attributes:
        pngs: one PNG per size in :data:`ALL_SIZES`.
        svg: the source SVG (copied, for the hicolor ``scalable`` folder).
        ico: the Windows icon.
        icns: the macOS icon.
        method: ``qt-svg`` or ``pillow-resize`` (how the PNGs were made).
    """

    pngs: dict[int, Path]
    svg: Path | None
    ico: Path
    icns: Path
    method: str


def source_svg() -> Path | None:
    """The SVG the icons come from (top-level ``resources/``, else the package's copy)."""
    for candidate in (SOURCE_SVG, PACKAGED_ICONS / "dataflow.svg"):
        if candidate.is_file():
            return candidate
    return None


def _render_with_qt(svg: Path, out_dir: Path, sizes: tuple[int, ...]) -> dict[int, Path]:
    """Render ``svg`` at each size (runs inside the child process)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    written: dict[int, Path] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"dataflow-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        written[size] = path
    del app
    return written


def _render_with_pillow(out_dir: Path, sizes: tuple[int, ...]) -> dict[int, Path]:
    """Scale the largest shipped PNG to every size (fallback without QtSvg)."""
    shipped = sorted(
        PACKAGED_ICONS.glob("dataflow-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
    if not shipped:
        raise SystemExit(f"no SVG renderer and no PNG in {PACKAGED_ICONS}")
    with Image.open(shipped[-1]) as big:
        base = big.convert("RGBA")
    written: dict[int, Path] = {}
    for size in sizes:
        path = out_dir / f"dataflow-{size}.png"
        base.resize((size, size), Image.Resampling.LANCZOS).save(path)
        written[size] = path
    return written


def render_pngs(out_dir: Path, sizes: tuple[int, ...] = ALL_SIZES) -> tuple[dict[int, Path], str]:
    """Render the PNGs in a child process (Qt offscreen), or with Pillow as a fallback.

    Returns:
        ``({size: path}, method)``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = source_svg()
    if svg is not None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        done = subprocess.run(
            [sys.executable, str(Path(__file__)), "--render", str(svg), str(out_dir)]
            + [str(s) for s in sizes],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return {int(k): Path(v) for k, v in json.loads(done.stdout).items()}, "qt-svg"
        sys.stderr.write(f"note: Qt SVG rendering failed, scaling PNGs instead:\n{done.stderr}")
    return _render_with_pillow(out_dir, sizes), "pillow-resize"


def _open_rgba(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def make_ico(pngs: dict[int, Path], path: Path) -> Path:
    """A Windows ``.ico`` holding each of :data:`ICO_SIZES` rendered at its own size."""
    frames = [_open_rgba(pngs[size]) for size in ICO_SIZES]
    largest = frames[-1]
    largest.save(path, format="ICO", sizes=[f.size for f in frames], append_images=frames[:-1])
    return path


def make_icns(pngs: dict[int, Path], path: Path) -> Path:
    """A macOS ``.icns`` (Pillow writes it on any system; sizes up to 1024 px for Retina)."""
    frames = [_open_rgba(pngs[size]) for size in ICNS_SIZES]
    frames[-1].save(path, format="ICNS", append_images=frames[:-1])
    return path


def build_icons(out_dir: Path) -> IconSet:
    """Write every icon format into ``out_dir``."""
    pngs, method = render_pngs(out_dir / "png")
    svg = source_svg()
    svg_copy = None
    if svg is not None:
        svg_copy = out_dir / "dataflow.svg"
        svg_copy.write_bytes(svg.read_bytes())
    ico = make_ico(pngs, out_dir / "dataflow.ico")
    icns = make_icns(pngs, out_dir / "dataflow.icns")
    return IconSet(pngs=pngs, svg=svg_copy, ico=ico, icns=icns, method=method)


def main(argv: list[str]) -> int:
    """``--render SVG OUT SIZE...`` (child process) or ``OUT`` (make everything)."""
    if argv[:1] == ["--render"]:
        svg, out = Path(argv[1]), Path(argv[2])
        written = _render_with_qt(svg, out, tuple(int(s) for s in argv[3:]))
        sys.stdout.write(json.dumps({str(k): str(v) for k, v in written.items()}))
        return 0
    if len(argv) != 1:
        sys.stderr.write("usage: python packaging/_icons.py OUT_DIR\n")
        return 2
    icons = build_icons(Path(argv[0]))
    sys.stdout.write(
        f"{icons.method}: {len(icons.pngs)} PNGs, {icons.ico.name}, {icons.icns.name}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
