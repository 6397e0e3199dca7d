"""Recognised words → PAGE blocks, lines and spans in visible page coordinates.

Engines answer boxes in pixels of the straightened image. Blocks are ordered and given
roles by :func:`.layout.reading_order` in that upright space (where columns are
vertical), then every box and direction is mapped back to the page as displayed, the
space of :mod:`.extraction`'s native text and of the rendered raster.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from ._ocr_engines import Word
from .layout import LayoutBlock, reading_order

__all__ = ["build_blocks", "unturn_box", "unturn_dir"]

Box = tuple[float, float, float, float]

# Tesseract's line box runs from the tallest ascender to the lowest descender, about
# 1.2x the font size for Latin text (measured on 9-14 pt DejaVu and Times pages).
_LINE_HEIGHT_PER_POINT = 1.2


def _r(value: float) -> float:
    return round(value, 2) + 0.0


def unturn_box(box: Box, turn: int, size: tuple[int, int]) -> Box:
    """Map a box of the image turned ``turn``° clockwise back to the original image.

    Args:
        box: ``(x0, y0, x1, y1)`` in the turned image.
        turn: 0, 90, 180 or 270 (clockwise turn that was applied).
        size: ``(width, height)`` of the original image.

    Returns:
        The box in the original image.
    """
    width, height = size
    x0, y0, x1, y1 = box
    if turn == 90:  # turned (x, y) = (H - y, x)
        corners = ((y0, height - x0), (y1, height - x1))
    elif turn == 180:
        corners = ((width - x0, height - y0), (width - x1, height - y1))
    elif turn == 270:  # turned (x, y) = (y, W - x)
        corners = ((width - y0, x0), (width - y1, x1))
    else:
        return box
    (ax, ay), (bx, by) = corners
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def unturn_dir(turn: int) -> list[float]:
    """The writing direction in the original image of text upright after ``turn``."""
    return {0: [1.0, 0.0], 90: [0.0, -1.0], 180: [-1.0, 0.0], 270: [0.0, 1.0]}[turn]


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def build_blocks(
    words: Sequence[Word], *, number: int, turn: int, size: tuple[int, int], zoom: float
) -> tuple[list[dict[str, Any]], str]:
    """Group words into PAGE blocks in reading order.

    Args:
        words: engine output for the image turned ``turn``° clockwise.
        number: the 1-based page number (for block ids).
        turn: the clockwise turn that straightened the page image.
        size: ``(width, height)`` in pixels of the image *before* the turn.
        zoom: pixels per point of the rendering.

    Returns:
        The PAGE ``blocks`` and the page ``text`` (lines joined by newlines, blocks by
        blank lines).
    """
    grouped: dict[int, dict[int, list[Word]]] = {}
    for word in words:
        grouped.setdefault(word.block, {}).setdefault(word.line, []).append(word)
    width, height = size
    upright_w, upright_h = (height, width) if turn in (90, 270) else (width, height)

    def page_box(box: Box) -> list[float]:
        x0, y0, x1, y1 = unturn_box(box, turn, size)
        return [_r(x0 / zoom), _r(y0 / zoom), _r(x1 / zoom), _r(y1 / zoom)]

    direction = unturn_dir(turn)
    raw_blocks: list[tuple[list[dict[str, Any]], str]] = []
    layout: list[LayoutBlock] = []
    for lines in grouped.values():
        out_lines: list[dict[str, Any]] = []
        texts: list[str] = []
        line_boxes: list[Box] = []
        sizes: list[float] = []
        for line_words in lines.values():
            box = _union([w.box for w in line_words])
            point_size = _r((box[3] - box[1]) / zoom / _LINE_HEIGHT_PER_POINT)
            spans = [
                {
                    "text": w.text,
                    "bbox": page_box(w.box),
                    "font": "",
                    "size": point_size,
                    "bold": False,
                    "italic": False,
                    "color": "#000000",
                    "confidence": None if w.confidence is None else round(w.confidence, 2),
                }
                for w in line_words
            ]
            out_lines.append({"bbox": page_box(box), "dir": direction, "spans": spans})
            texts.append(" ".join(w.text for w in line_words))
            line_boxes.append(box)
            sizes.append(point_size)
        upright = _union(line_boxes)
        text = "\n".join(texts)
        raw_blocks.append((out_lines, text))
        layout.append(
            LayoutBlock(
                bbox=(upright[0] / zoom, upright[1] / zoom, upright[2] / zoom, upright[3] / zoom),
                first_line=texts[0],
                lines=len(texts),
                chars=sum(len(t.replace(" ", "")) for t in texts),
                size=statistics.median(sizes),
                bold=False,
            )
        )
    placements = reading_order(layout, upright_w / zoom, upright_h / zoom)
    blocks: list[dict[str, Any]] = []
    texts_out: list[str] = []
    for k, place in enumerate(placements):
        out_lines, text = raw_blocks[place.index]
        box = _union(
            [(ln["bbox"][0], ln["bbox"][1], ln["bbox"][2], ln["bbox"][3]) for ln in out_lines]
        )
        blocks.append(
            {
                "id": f"p{number}-b{k}",
                "kind": "text",
                "bbox": list(box),
                "column": place.column,
                "role": place.role,
                "lines": out_lines,
            }
        )
        texts_out.append(text)
    return blocks, "\n\n".join(texts_out)
