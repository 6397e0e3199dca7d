"""Rendering the pages to OCR, and reading them several per engine run.

Starting the engine loads its language data, a quarter of a page's reading: pages are
rendered and read by :class:`Readings` in batches of up to :data:`BATCH_PAGES` (within
a pixel budget), one ``engine.recognize_many`` call per batch and resolution.
"""

# PyMuPDF ships no types for its callables (same as extraction.py).
# mypy: disallow-untyped-calls=False
from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import pymupdf
from PIL import Image

from ._ocr_engines import OcrEngine, Word
from ._ocr_orientation import text_axis
from .options import PipelineOptions

__all__ = ["BATCH_PAGES", "Reading", "Readings", "ocr_dpi"]

_MIN_DPI = 36
# Pages per engine start. Four A4 pages amortise the language data well (measured
# 1.4 instead of 1.8 CPU-s per clean page) and keep a pool task short enough (~6 s)
# for cancellation; the pixel budget bounds the images held at once (~35 MB).
BATCH_PAGES = 4
_BATCH_PIXELS = 36_000_000


def ocr_dpi(width: float, height: float, dpi: int, max_pixels: int) -> tuple[int, bool]:
    """The resolution to OCR a ``width`` x ``height`` pt page at, within ``max_pixels``.

    Returns:
        ``(dpi, downscaled)``: the wanted dpi, or a lower one when the page would exceed
        the pixel budget (never below 36 dpi: the budget wins over legibility).
    """
    area_in2 = max(width, 1.0) * max(height, 1.0) / (72.0 * 72.0)
    if dpi * dpi * area_in2 <= max_pixels:
        return dpi, False
    return max(_MIN_DPI, int((max_pixels / area_in2) ** 0.5)), True


def _render(page: pymupdf.Page, dpi: int) -> Image.Image:
    """The page as displayed (its /Rotate applied), grayscale, at ``dpi``."""
    zoom = dpi / 72.0
    pixmap = page.get_pixmap(
        matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False
    )
    return Image.frombytes(
        "L", (pixmap.width, pixmap.height), pixmap.samples, "raw", "L", pixmap.stride
    )


@dataclass(slots=True)
class Reading:
    """A page rendered for OCR, its text axis, and its first reading (None: not read)."""

    image: Image.Image
    dpi: int
    downscaled: bool
    axis: str
    words: list[Word] | None


class Readings:
    """Renders the pages of ``ocr_pages`` and reads them a batch at a time.

    :meth:`take` is called for the pages in their order; it prepares the next batch
    when the previous one is used up: up to
    :data:`BATCH_PAGES` pages within :data:`_BATCH_PIXELS`, read by one
    ``engine.recognize_many`` call. Sideways pages are not read there: they are turned
    before any reading (:func:`~._ocr_orientation.straighten`).
    """

    def __init__(
        self,
        doc: pymupdf.Document,
        pages: Sequence[int],
        engine: OcrEngine,
        options: PipelineOptions,
    ) -> None:
        self._doc = doc
        self._pages = list(pages)
        self._engine = engine
        self._options = options
        self._ready: deque[tuple[int, Reading]] = deque()
        self._next = 0  # position in ``pages`` of the first page not prepared

    def take(self, index: int) -> Reading:
        """The reading of page ``index`` (0-based), the next one of ``pages``."""
        if not self._ready:
            self._prepare()
        prepared, reading = self._ready.popleft()
        if prepared != index:
            raise ValueError(f"page {index} asked for out of order (next: {prepared})")
        return reading

    def _prepare(self) -> None:
        batch: list[tuple[int, Reading]] = []
        pixels = 0
        limits = self._options.limits
        while self._next < len(self._pages) and len(batch) < BATCH_PAGES:
            index = self._pages[self._next]
            page = self._doc[index]
            dpi, downscaled = ocr_dpi(
                page.rect.width, page.rect.height, self._options.ocr_dpi, limits.max_page_pixels
            )
            area = page.rect.width * page.rect.height * (dpi / 72.0) ** 2
            if batch and pixels + area > _BATCH_PIXELS:
                break
            image = _render(page, dpi)
            batch.append((index, Reading(image, dpi, downscaled, text_axis(image, dpi), None)))
            pixels += area
            self._next += 1
        # One engine call per resolution: every page of a call shares its dpi.
        for dpi in dict.fromkeys(reading.dpi for _, reading in batch):
            upright = [r for _, r in batch if r.dpi == dpi and r.axis != "vertical"]
            words = self._engine.recognize_many([r.image for r in upright], dpi)
            for reading, found in zip(upright, words, strict=True):
                reading.words = found
        self._ready.extend(batch)
