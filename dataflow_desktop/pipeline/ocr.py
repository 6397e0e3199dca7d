"""The ``ocr`` step: recognise the text of scanned pages with Tesseract.

Each page is rendered in grayscale (300 dpi by default, lowered to respect
``limits.max_page_pixels``), recognised by one of the engines of
:mod:`._ocr_engines`, straightened when it was scanned sideways or upside down
(:mod:`._ocr_orientation`), and returned as a PAGE-compatible partial whose blocks,
lines and spans (one span per word) carry bboxes in the visible page space, as
:mod:`.extraction` gives native text, so the viewer, Markdown and analysis treat both
alike. Pages are read in batches of up to :data:`BATCH_PAGES` (within a pixel budget,
:mod:`._ocr_batch`): one engine start per batch, whose language data loading is a
quarter of a page's reading. Engine choice and measurements: docs/OCR.md.
"""

# PyMuPDF ships no types for its callables (same as extraction.py).
# mypy: disallow-untyped-calls=False
from __future__ import annotations

import os
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

import pymupdf

from ..errors import DataflowError, ErrorCode
from ..events import CancelToken, ProgressCallback, no_progress
from ._ocr_batch import BATCH_PAGES, Reading, Readings, ocr_dpi
from ._ocr_engines import MupdfEngine, OcrEngine, TesseractCliEngine
from ._ocr_geometry import build_blocks
from ._ocr_orientation import straighten
from ._pages import each_page
from ._tessdata import find_tessdata, parse_languages, tesseract_binary
from .options import OcrMode, PipelineOptions

# BATCH_PAGES and ocr_dpi live with the batching but are part of this step's API.
__all__ = ["BATCH_PAGES", "apply_ocr", "needs_ocr", "ocr_dpi", "ocr_pages", "select_engine"]


def needs_ocr(page: Mapping[str, Any] | bool, mode: OcrMode) -> bool:
    """Decide whether a page is OCRed.

    Args:
        page: the page's entry of ``document.text_layer`` (True when it has usable
            native text), or its PAGE dict from extraction (``text_source`` ``"none"``
            means no usable text).
        mode: ``"auto"`` OCRs only pages without usable text, ``"always"`` every page,
            ``"never"`` none.

    Returns:
        Whether :func:`ocr_pages` should process the page.

    Raises:
        ValueError: ``mode`` is not one of the three modes.
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    if mode != "auto":
        raise ValueError(f"unknown OCR mode {mode!r}")
    if isinstance(page, bool):
        return not page
    return page.get("text_source") in (None, "none") or not str(page.get("text", "")).strip()


def select_engine(options: PipelineOptions) -> OcrEngine:
    """Build the OCR engine ``options`` ask for, with its language data located.

    ``ocr_engine="auto"`` takes the ``tesseract`` program when it is installed (word
    confidences, orientation detection) and MuPDF's built-in Tesseract otherwise.

    Raises:
        DataflowError: ``OCR_UNAVAILABLE`` when language data or the program is missing,
            or the language setting is not valid.
    """
    try:
        languages = parse_languages(options.ocr_languages)
    except ValueError as exc:
        raise DataflowError(
            f"The OCR language setting {options.ocr_languages!r} is not valid: use Tesseract "
            "language names joined by '+', such as 'eng+fra'.",
            code=ErrorCode.OCR_UNAVAILABLE,
        ) from exc
    tessdata = find_tessdata(languages)
    binary = tesseract_binary()
    if options.ocr_engine == "mupdf" or (options.ocr_engine == "auto" and binary is None):
        return MupdfEngine(tessdata, languages)
    if binary is None:
        raise DataflowError(
            "The tesseract program is not installed. Install it (Debian/Ubuntu: apt install "
            "tesseract-ocr) or choose the built-in OCR engine in the settings.",
            code=ErrorCode.OCR_UNAVAILABLE,
        )
    return TesseractCliEngine(binary, tessdata, languages)


def ocr_pages(
    pdf_path: str | os.PathLike[str],
    pages: Sequence[int],
    *,
    password: str | None = None,
    options: PipelineOptions,
    out_dir: str | os.PathLike[str],
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[dict[str, Any]]:
    """OCR the given pages into PAGE-compatible partials.

    Args:
        pdf_path: the PDF file.
        pages: 0-based page indexes (typically those :func:`needs_ocr` chose).
        password: the user password, if the file needs one.
        options: ``ocr_languages``, ``ocr_engine``, ``ocr_dpi`` and ``limits`` are used.
        out_dir: the job folder; OCR writes no file today (kept for the common
            step signature).
        progress: receives ``StepProgress("ocr", done, total, ...)`` after each page.
        cancel: checked before each page.

    Returns:
        Per page, in the order of ``pages``: ``number``, ``width``, ``height``,
        ``rotation``, ``text_source`` (``"ocr"``, or ``"none"`` when nothing was
        recognised), ``text``, ``blocks`` (spans are words with a ``confidence``), and
        ``ocr``: ``{"engine", "languages", "dpi", "confidence", "rotation_corrected",
        "downscaled"}``. Merge one into its extracted page with :func:`apply_ocr`.

    Raises:
        DataflowError: ``OCR_UNAVAILABLE`` (language data or program missing),
            ``PAGE_FAILED`` / ``WORKER_TIMEOUT`` (the engine failed on a page).
        InputError: the file cannot be opened.
        Cancelled: cancellation was requested.
    """
    del out_dir  # nothing to write: OCR results live in the PAGE dicts
    if not pages:
        return []
    engine = select_engine(options)
    languages = list(parse_languages(options.ocr_languages))
    readings: Readings | None = None

    def work(doc: pymupdf.Document, index: int) -> dict[str, Any]:
        nonlocal readings
        if readings is None:  # batches several pages per engine run: needs the open doc
            readings = Readings(doc, pages, engine, options)
        return _ocr_page(doc[index], index + 1, engine, languages, readings.take(index))

    return each_page(
        pdf_path, pages, work, password=password, limits=options.limits, step="ocr",
        verb="Recognising text on", progress=progress, cancel=cancel,
    )  # fmt: skip


def apply_ocr(page: Mapping[str, Any], partial: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``page`` (from extraction) with the text of an OCR ``partial`` in place.

    Tables, images, links and raster of ``page`` are kept; ``text_source``, ``text``,
    ``blocks`` and ``ocr`` come from ``partial``.
    """
    if page.get("number") != partial.get("number"):
        raise ValueError(f"OCR of page {partial.get('number')} given for page {page.get('number')}")
    merged = dict(page)
    for key in ("text_source", "text", "blocks", "ocr"):
        merged[key] = partial[key]
    return merged


def _ocr_page(
    page: pymupdf.Page,
    number: int,
    engine: OcrEngine,
    languages: list[str],
    reading: Reading,
) -> dict[str, Any]:
    width, height = page.rect.width, page.rect.height
    image, dpi, downscaled = reading.image, reading.dpi, reading.downscaled
    turn, words = straighten(engine, image, dpi, reading.axis, reading.words)
    blocks, text = build_blocks(words, number=number, turn=turn, size=image.size, zoom=dpi / 72.0)
    confidences = [w.confidence for w in words if w.confidence is not None]
    return {
        "number": number,
        "width": round(width, 2),
        "height": round(height, 2),
        "rotation": page.rotation,
        "text_source": "ocr" if text.strip() else "none",
        "text": text,
        "blocks": blocks,
        "ocr": {
            "engine": engine.name,
            "languages": languages,
            "dpi": dpi,
            "confidence": round(statistics.fmean(confidences), 3) if confidences else None,
            "rotation_corrected": turn,
            "downscaled": downscaled,
        },
    }
