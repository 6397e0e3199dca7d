"""Page rasterisation: ``pages/0001.png`` at the job's dpi and ``thumbs/0001.png``.

Encoding dominates raster time (80-92 %, RECIPES.md §10), so images are encoded by
Pillow rather than MuPDF: ``compress_level=1`` is several times faster than
MuPDF's PNG writer for ~15-25 % larger files, and Pillow releases the GIL while it
compresses (benchmarks/raster_encoding.py has the figures). The thumbnail is made
by downscaling the pixmap already rendered, never by rendering again.

A page's pixel count is bounded by ``Limits.max_page_pixels``: a larger page (an
8400 pt poster, a 35000 px scan) is rendered at the highest dpi that fits, and the
result says ``downscaled: true``.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

import pymupdf
from PIL import Image

from ..events import CancelToken, ProgressCallback, no_progress
from ._atomic import write_bytes_atomic
from ._pages import each_page
from .options import PipelineOptions

__all__ = ["fit_dpi", "render_pages"]

_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_MIN_DPI = 1.0


def fit_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int) -> tuple[float, bool]:
    """The dpi to render a page at so that it holds at most ``max_pixels`` pixels.

    Args:
        width_pt: page width in points.
        height_pt: page height in points.
        dpi: the wanted resolution.
        max_pixels: the pixel budget.

    Returns:
        ``(dpi, downscaled)``: the wanted dpi when it fits, else the largest dpi
        (to 1/100) whose rounded-up pixel size fits, and ``True``.
    """

    def pixels(d: float) -> int:
        return math.ceil(width_pt * d / 72) * math.ceil(height_pt * d / 72)

    if pixels(dpi) <= max_pixels:
        return dpi, False
    # Start from the exact ratio, then step down for the rounding of each side.
    fitted = math.floor(dpi * math.sqrt(max_pixels / pixels(dpi)) * 100) / 100
    while fitted > _MIN_DPI and pixels(fitted) > max_pixels:
        fitted = math.floor(fitted * 99) / 100
    return max(fitted, _MIN_DPI), True


def render_pages(
    pdf_path: str | os.PathLike[str],
    pages: Sequence[int],
    *,
    password: str | None = None,
    options: PipelineOptions,
    out_dir: str | os.PathLike[str],
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[dict[str, Any]]:
    """Render pages to image files and thumbnails.

    Args:
        pdf_path: the PDF file.
        pages: 0-based page indexes.
        password: the user password, if the file needs one.
        options: ``dpi``, ``thumb_px``, ``image_format``, ``png_compress_level``,
            ``jpeg_quality`` and ``limits.max_page_pixels`` are used.
        out_dir: job folder; writes ``pages/0001.<ext>`` and ``thumbs/0001.png``.
        progress: receives ``StepProgress("raster", done, total, ...)`` per page.
        cancel: checked before each page.

    Returns:
        One ``{"file", "thumb", "dpi", "width", "height", "downscaled"}`` per page,
        paths relative to ``out_dir``.

    Raises:
        InputError: the file cannot be opened.
        Cancelled: cancellation was requested.
        ValueError: a page index is out of range.
    """
    out = Path(out_dir)
    return each_page(
        pdf_path, pages, lambda doc, index: _render_page(doc[index], index + 1, options, out),
        password=password, limits=options.limits, step="raster", verb="Rendering",
        progress=progress, cancel=cancel,
    )  # fmt: skip


def _render_page(
    page: pymupdf.Page, number: int, options: PipelineOptions, out: Path
) -> dict[str, Any]:
    rect = page.rect
    dpi, downscaled = fit_dpi(rect.width, rect.height, options.dpi, options.limits.max_page_pixels)
    zoom = dpi / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    # No copy: Pillow reads MuPDF's sample buffer, which lives as long as ``pix``.
    image = Image.frombuffer(
        "RGB", (pix.width, pix.height), pix.samples_mv, "raw", "RGB", pix.stride, 1
    )
    ext = _EXTENSIONS[options.image_format]
    file = f"pages/{number:04d}.{ext}"
    thumb = f"thumbs/{number:04d}.png"
    write_bytes_atomic(out / file, partial(_encode, image, options=options))
    small = _thumbnail(image, options.thumb_px)
    write_bytes_atomic(out / thumb, partial(_encode_png, small, level=options.png_compress_level))
    width, height = pix.width, pix.height
    return {
        "file": file,
        "thumb": thumb,
        "dpi": round(dpi, 2),
        "width": width,
        "height": height,
        "downscaled": downscaled,
    }


def _encode_png(image: Image.Image, stream: IO[bytes], *, level: int) -> None:
    image.save(stream, "PNG", compress_level=level)


def _encode(image: Image.Image, stream: IO[bytes], *, options: PipelineOptions) -> None:
    if options.image_format == "png":
        image.save(stream, "PNG", compress_level=options.png_compress_level)
    elif options.image_format == "jpeg":
        image.save(stream, "JPEG", quality=options.jpeg_quality)
    else:  # WebP is lossy here too and shares the JPEG quality setting
        image.save(stream, "WEBP", quality=options.jpeg_quality)


def _thumbnail(image: Image.Image, long_side: int) -> Image.Image:
    """Downscale so the long side is ``long_side`` px (never upscale)."""
    scale = long_side / max(image.width, image.height)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # reducing_gap: a cheap box reduction first, then bilinear on the last 2x step
    # (8.5 ms per A4 page at 150 dpi, vs 21 ms for Lanczos with reducing_gap=3).
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
