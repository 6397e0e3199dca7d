"""Per-page extraction: text blocks in reading order, tables, images and links.

One ``get_text("dict")`` per page, without ``TEXT_PRESERVE_IMAGES`` (image bytes in
the dict make scanned pages ~30x slower) and without ``sort=True`` (8-15x slower;
:mod:`.layout` orders blocks instead), RECIPES.md §10; with ``TEXT_COLLECT_VECTORS``
so the table gate gets the page's rules from the same pass. MuPDF gives text, image
and vector coordinates in the *unrotated* page space; they are mapped here to the
visible space of ``page.rect`` (links already are in it), so a rotated page reads
like its rendering. Neighbouring spans of one style are merged.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymupdf

from ..events import CancelToken, ProgressCallback, no_progress
from ._page_media import page_images, page_links
from ._pages import each_page
from ._table_regions import IDENTITY, Matrix, TextLine
from .layout import LayoutBlock, reading_order
from .options import PipelineOptions
from .preflight import TEXT_FLAGS, text_is_usable
from .tables import detect_tables

__all__ = ["extract_pages"]

_BOLD = pymupdf.TEXT_FONT_BOLD
_ITALIC = pymupdf.TEXT_FONT_ITALIC
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC_NAMES = ("italic", "oblique")


def extract_pages(
    pdf_path: str | os.PathLike[str],
    pages: Sequence[int],
    *,
    password: str | None = None,
    options: PipelineOptions,
    out_dir: str | os.PathLike[str],
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[dict[str, Any]]:
    """Extract the given pages into PAGE dicts (without ``raster``).

    Args:
        pdf_path: the PDF file.
        pages: 0-based page indexes, in the order wanted.
        password: the user password, if the file needs one.
        options: pipeline options (images, tables, limits).
        out_dir: job folder; ``images/`` and ``tables/`` files are written there.
        progress: receives ``StepProgress("extraction", done, total, ...)`` per page.
        cancel: checked before each page.

    Returns:
        One PAGE dict per requested page, in the order of ``pages``.

    Raises:
        InputError: the file cannot be opened (see :func:`.preflight.open_document`).
        Cancelled: cancellation was requested.
        ValueError: a page index is out of range (a caller bug).
    """
    out = Path(out_dir)
    return each_page(
        pdf_path, pages, lambda doc, index: _extract_page(doc, index, options, out),
        password=password, limits=options.limits, step="extraction", verb="Extracting",
        progress=progress, cancel=cancel,
    )  # fmt: skip


def _r(value: float) -> float:
    # "or 0.0" turns -0.0 into 0.0 so equal layouts serialise identically.
    return round(value, 2) or 0.0


def _box(bbox: Sequence[float], m: Matrix) -> list[float]:
    x0, y0, x1, y1 = bbox[:4]
    if m == IDENTITY:  # unrotated pages, the common case: skip the arithmetic
        return [round(x0, 2) or 0.0, round(y0, 2) or 0.0, round(x1, 2) or 0.0, round(y1, 2) or 0.0]
    ax, ay = m[0] * x0 + m[2] * y0 + m[4], m[1] * x0 + m[3] * y0 + m[5]
    bx, by = m[0] * x1 + m[2] * y1 + m[4], m[1] * x1 + m[3] * y1 + m[5]
    return [_r(min(ax, bx)), _r(min(ay, by)), _r(max(ax, bx)), _r(max(ay, by))]


def _extract_page(
    doc: pymupdf.Document, index: int, options: PipelineOptions, out: Path
) -> dict[str, Any]:
    page = doc[index]
    number = index + 1
    rm = page.rotation_matrix
    m: Matrix = (rm.a, rm.b, rm.c, rm.d, rm.e, rm.f)
    # Vectors come with the text pass: the table gate needs the page's rules.
    raw = page.get_text("dict", flags=TEXT_FLAGS | pymupdf.TEXT_COLLECT_VECTORS)
    blocks, layout_blocks, table_lines = _text_blocks(raw["blocks"], m)
    placements = reading_order(layout_blocks, page.rect.width, page.rect.height)
    ordered = []
    texts = []
    for k, place in enumerate(placements):
        block = blocks[place.index]
        ordered.append(
            {
                "id": f"p{number}-b{k}",
                "kind": "text",
                "bbox": block["bbox"],
                "column": place.column,
                "role": place.role,
                "lines": block["lines"],
            }
        )
        texts.append(block["text"])
    text = "\n\n".join(texts)
    images = page_images(doc, page, number, m, options=options, out=out)
    links = page_links(doc, page)
    tables = []
    if options.extract_tables:
        vectors = [block for block in raw["blocks"] if block["type"] == 3]
        tables = detect_tables(page, table_lines, vectors, m, page_number=number, out_dir=out)
    return {
        "number": number,
        "width": _r(page.rect.width),
        "height": _r(page.rect.height),
        "rotation": page.rotation,
        "text_source": "native" if text_is_usable(text) else "none",
        "text": text,
        "blocks": ordered,
        "tables": tables,
        "images": images,
        "links": links,
    }


class _Styles:
    """Per-page cache of font-name and colour decoding (spans repeat a few styles)."""

    def __init__(self) -> None:
        self.fonts: dict[tuple[str, int], tuple[bool, bool]] = {}
        self.colors: dict[int, str] = {}

    def font(self, font: str, flags: int) -> tuple[bool, bool]:
        key = (font, flags)
        style = self.fonts.get(key)
        if style is None:
            lower = font.lower()
            bold = bool(flags & _BOLD) or any(n in lower for n in _BOLD_NAMES)
            italic = bool(flags & _ITALIC) or any(n in lower for n in _ITALIC_NAMES)
            style = self.fonts[key] = (bold, italic)
        return style

    def color(self, value: int) -> str:
        text = self.colors.get(value)
        if text is None:
            text = self.colors[value] = f"#{value & 0xFFFFFF:06x}"
        return text


def _merged_spans(
    raw_spans: list[dict[str, Any]], m: Matrix, styles: _Styles
) -> list[dict[str, Any]]:
    """Spans of one line, neighbours of identical style merged.

    MuPDF starts a new span at every synthesised space (pdfTeX output gives one span
    per word), which would triple the output for no information.
    """
    runs: list[list[Any]] = []  # [font, size, flags, color, text, x0, y0, x1, y1]
    for span in raw_spans:
        text = span["text"]
        if not text:
            continue
        x0, y0, x1, y1 = span["bbox"]
        key = (span["font"], span["size"], span["flags"], span["color"])
        if runs and tuple(runs[-1][:4]) == key:
            run = runs[-1]
            run[4] += text
            run[5], run[6] = min(run[5], x0), min(run[6], y0)
            run[7], run[8] = max(run[7], x1), max(run[8], y1)
        else:
            runs.append([*key, text, x0, y0, x1, y1])
    spans = []
    for font, size, flags, color, text, x0, y0, x1, y1 in runs:
        bold, italic = styles.font(font, flags)
        spans.append(
            {
                "text": text,
                "bbox": _box((x0, y0, x1, y1), m),
                "font": font,
                "size": round(size, 2),
                "bold": bold,
                "italic": italic,
                "color": styles.color(color),
            }
        )
    return spans


def _text_blocks(
    raw_blocks: list[dict[str, Any]], m: Matrix
) -> tuple[list[dict[str, Any]], list[LayoutBlock], list[TextLine]]:
    """Convert MuPDF's text blocks; skip empty ones. Also build layout and table inputs."""
    blocks: list[dict[str, Any]] = []
    layout: list[LayoutBlock] = []
    table_lines: list[TextLine] = []
    styles = _Styles()
    for raw in raw_blocks:
        if raw["type"] != 0:
            continue
        lines = []
        line_texts = []
        sizes: Counter[float] = Counter()
        bold_chars = 0
        for raw_line in raw["lines"]:
            spans = _merged_spans(raw_line["spans"], m, styles)
            if not spans:
                continue
            dx, dy = raw_line["dir"]
            direction = [_r(m[0] * dx + m[2] * dy), _r(m[1] * dx + m[3] * dy)]
            bbox = _box(raw_line["bbox"], m)
            lines.append({"bbox": bbox, "dir": direction, "spans": spans})
            line_text = "".join(s["text"] for s in spans).rstrip()
            line_texts.append(line_text)
            # Unrotated coordinates: tables may be read in that space (sideways tables).
            x0, y0, x1, y1 = raw_line["bbox"]
            table_lines.append(TextLine((x0, y0, x1, y1), line_text, spans[0]["size"], (dx, dy)))
            for s in spans:
                n = len(s["text"]) - s["text"].count(" ")
                sizes[s["size"]] += n
                bold_chars += n if s["bold"] else 0
        text = "\n".join(line_texts)
        chars = sum(sizes.values())
        if not chars:
            continue  # whitespace-only blocks carry nothing a reader needs
        bbox = _box(raw["bbox"], m)
        blocks.append({"bbox": bbox, "lines": lines, "text": text})
        first = next((t for t in line_texts if t.strip()), "")
        layout.append(
            LayoutBlock(
                bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
                first_line=first,
                lines=len(lines),
                chars=chars,
                size=sizes.most_common(1)[0][0],
                bold=bold_chars >= 0.6 * chars,
            )
        )
    return blocks, layout, table_lines
