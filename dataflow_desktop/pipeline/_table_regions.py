"""Cheap table gates (where may a table be?) and the geometry the readers share.

Used by :mod:`.tables`. Everything works in one "reading space" chosen by the
caller (the visible page, or the unrotated page for sideways tables): MuPDF reports
vectors and words in the unrotated space, so they are mapped through a matrix first.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]

_RULE_THICKNESS = 3.0  # a filled rect thinner than this is a rule
_MIN_RULE = 6.0  # shorter marks are dots, ticks or glyph parts
_JOIN = 2.5  # rules closer than this belong to the same grid
_SNAP = 1.5  # rules this close in position are one line
_MIN_TABULAR_ROWS = 3
_MIN_TABULAR_CELLS = 3
_MAX_CELL_WORDS = 6
_CELL_GAP = 1.5  # font sizes between cells in the unruled gate


IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class TextLine:
    """A text line (or a word): box, text, font size and writing direction."""

    bbox: Box
    text: str
    size: float
    dir: tuple[float, float] = (1.0, 0.0)


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate table area: ``kind`` "lines" (a ruled grid) or "text" (read from words)."""

    box: Box
    kind: str
    rules: tuple[tuple[Box, bool], ...] = ()


def transform(x: float, y: float, m: Matrix) -> tuple[float, float]:
    """Map a point through a PyMuPDF-style matrix ``(a, b, c, d, e, f)``."""
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def transform_box(box: Sequence[float], m: Matrix) -> Box:
    """Map a box through ``m`` and normalise it."""
    ax, ay = transform(box[0], box[1], m)
    bx, by = transform(box[2], box[3], m)
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def grow(box: Box, d: float) -> Box:
    """``box`` enlarged by ``d`` on every side."""
    return (box[0] - d, box[1] - d, box[2] + d, box[3] + d)


def union(a: Box, b: Box) -> Box:
    """The smallest box holding ``a`` and ``b``."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def overlap(a: Box, b: Box) -> bool:
    """Whether the boxes touch or intersect."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _visible(vector: dict[str, Any]) -> bool:
    """Paint a reader sees: not transparent, not white (Word puts white boxes behind lines)."""
    color = int(vector.get("color") or 0)
    channels = (color >> 16 & 0xFF, color >> 8 & 0xFF, color & 0xFF)
    return int(vector.get("alpha", 255)) > 0 and min(channels) < 0xF2


def _segments(
    vectors: Sequence[dict[str, Any]], m: Matrix, page_area: float
) -> list[tuple[Box, bool]]:
    """Visible axis-parallel rules as ``(box, horizontal)``; boxes add their 4 edges.

    ``vectors`` are the ``get_text("dict")`` blocks of type 3 that
    ``TEXT_COLLECT_VECTORS`` adds: MuPDF splits rectilinear paths into one entry per
    line or rectangle (``isrect``), so rules come with the text extraction instead of
    another pass over the content (``get_cdrawings()``: 1-17 ms a page, 70 ms on a chart).
    """
    segments: list[tuple[Box, bool]] = []
    for vector in vectors:
        if not vector.get("isrect") or not _visible(vector):
            continue  # curves are not rules
        box = transform_box(vector["bbox"], m)
        w, h = box[2] - box[0], box[3] - box[1]
        if w > _RULE_THICKNESS and h > _RULE_THICKNESS:
            # A cell frame (stroked) or shading (filled), not a page background.
            if w * h < 0.5 * page_area:
                x0, y0, x1, y1 = box
                segments += [((x0, y0, x1, y0), True), ((x0, y1, x1, y1), True)]
                segments += [((x0, y0, x0, y1), False), ((x1, y0, x1, y1), False)]
        elif max(w, h) >= _MIN_RULE:  # shorter marks are dots, ticks or glyph parts
            segments.append((box, w >= h))
    return segments


def _clusters(segments: list[tuple[Box, bool]]) -> list[tuple[Box, list[tuple[Box, bool]]]]:
    """Group rules that touch (within ``_JOIN``) into clusters."""
    clusters: list[list[Any]] = []  # [bbox, members]
    for box, horizontal in segments:
        grown = grow(box, _JOIN)
        for cluster in clusters:
            if overlap(grown, cluster[0]):
                cluster[0] = union(cluster[0], box)
                cluster[1].append((box, horizontal))
                break
        else:
            clusters.append([box, [(box, horizontal)]])
    merged = True
    while merged:  # first-fit joining may leave clusters that touch each other
        merged = False
        for i, a in enumerate(clusters):
            for b in clusters[i + 1 :]:
                if overlap(grow(a[0], _JOIN), b[0]):
                    a[0] = union(a[0], b[0])
                    a[1].extend(b[1])
                    clusters.remove(b)
                    merged = True
                    break
            if merged:
                break
    return [(c[0], c[1]) for c in clusters]


def _long_positions(
    members: list[tuple[Box, bool]], horizontal: bool, extent: float
) -> list[float]:
    """Positions of rules (snapped) whose pieces together cover 60 % of ``extent``."""
    pieces: dict[float, list[tuple[float, float]]] = {}
    for box, is_h in members:
        if is_h != horizontal:
            continue
        pos = (box[1] + box[3]) / 2 if horizontal else (box[0] + box[2]) / 2
        start, end = (box[0], box[2]) if horizontal else (box[1], box[3])
        key = next((k for k in pieces if abs(k - pos) <= _SNAP), pos)
        pieces.setdefault(key, []).append((start, end))
    positions = []
    for pos, spans in pieces.items():
        covered, cursor = 0.0, float("-inf")
        for start, end in sorted(spans):
            covered += max(0.0, end - max(start, cursor))
            cursor = max(cursor, end)
        if covered >= 0.6 * extent:
            positions.append(pos)
    return sorted(positions)


def _bands(value: float, cuts: list[float]) -> int:
    return sum(1 for cut in cuts if cut < value)


def ruled_regions(
    vectors: Sequence[dict[str, Any]], m: Matrix, page_area: float, lines: Sequence[TextLine]
) -> list[Region]:
    """Rule clusters that look like a table: ruled grids, or rules between rows only.

    A table needs 3+ long horizontal rules with text in at least two of the rows
    they make, which rules out frames and most diagrams. It is a grid ("lines") when
    long vertical rules also split its text into 2+ columns, else its cells are read
    from word positions ("text": booktabs, zebra shading, frames around a table).
    """
    regions: list[Region] = []
    for box, members in _clusters(_segments(vectors, m, page_area)):
        width, height = box[2] - box[0], box[3] - box[1]
        if width < 30 or height < 12:
            continue
        rows = _long_positions(members, True, width)
        cols = _long_positions(members, False, height)
        inside = [
            ((ln.bbox[0] + ln.bbox[2]) / 2, (ln.bbox[1] + ln.bbox[3]) / 2)
            for ln in lines
            if box[0] <= (ln.bbox[0] + ln.bbox[2]) / 2 <= box[2]
            and box[1] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= box[3]
        ]
        if len(rows) < 3 or len(inside) < 3 or len({_bands(y, rows) for _, y in inside}) < 2:
            continue
        if len({_bands(x, cols) for x, _ in inside}) >= 2:
            regions.append(Region(box, "lines", tuple(members)))
        else:  # rules between rows only (booktabs, zebra shading): read the words
            regions.append(Region(box, "text"))
    return regions


def page_words(page: pymupdf.Page, m: Matrix) -> list[TextLine]:
    """The page's words mapped through ``m`` (``size`` holds the word height).

    Called only for pages where a gate found a region: it is another text pass.
    """
    words = []
    for x0, y0, x1, y1, text, *_ in page.get_text("words"):
        box = transform_box((x0, y0, x1, y1), m)
        words.append(TextLine(box, text, box[3] - box[1]))
    return words


def words_in(words: Sequence[TextLine], region: Box) -> list[TextLine]:
    """Whole words whose centre lies in ``region`` (a clip would cut words in two)."""
    x0, y0, x1, y1 = grow(region, 1.0)
    return [
        w
        for w in words
        if x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 and y0 <= (w.bbox[1] + w.bbox[3]) / 2 <= y1
    ]


def rows_of(items: Sequence[TextLine]) -> list[list[TextLine]]:
    """Group text items into rows by vertical centre (each row sorted left to right)."""
    rows: list[list[TextLine]] = []
    for item in sorted(items, key=lambda it: ((it.bbox[1] + it.bbox[3]) / 2, it.bbox[0])):
        centre = (item.bbox[1] + item.bbox[3]) / 2
        if rows:
            last = rows[-1][0].bbox
            if abs(centre - (last[1] + last[3]) / 2) <= 0.4 * (last[3] - last[1]):
                rows[-1].append(item)
                continue
        rows.append([item])
    return [sorted(row, key=lambda it: it.bbox[0]) for row in rows]


def cells_of(row: list[TextLine], factor: float) -> list[list[TextLine]]:
    """Split a row where the gap between items is wider than ``factor`` font sizes."""
    cells: list[list[TextLine]] = [[row[0]]]
    for item in row[1:]:
        if item.bbox[0] - cells[-1][-1].bbox[2] < factor * max(item.size, 1.0):
            cells[-1].append(item)
        else:
            cells.append([item])
    return cells


def unruled_regions(lines: Sequence[TextLine]) -> list[Box]:
    """Runs of 3+ rows made of 3+ short, widely spaced cells (prose has long cells)."""
    regions: list[Box] = []
    run: list[list[TextLine]] = []
    misses = 0
    for row in [*rows_of(lines), []]:
        cells = cells_of(row, _CELL_GAP) if row else []
        words = [sum(len(it.text.split()) for it in cell) for cell in cells]
        # One-character cells everywhere is a grid of glyphs (vertical CJK text).
        tiny = sum(1 for cell in cells if sum(len(it.text.strip()) for it in cell) <= 1)
        if (
            len(cells) >= _MIN_TABULAR_CELLS
            and max(words) <= _MAX_CELL_WORDS
            and tiny * 2 <= len(cells)
        ):
            run.append(row)
            misses = 0
            continue
        misses += 1
        if run and misses <= 2 and row and max(words, default=0) <= _MAX_CELL_WORDS:
            continue  # multi-line header cells or a wrapped cell interrupt a table
        if len(run) >= _MIN_TABULAR_ROWS:
            region = run[0][0].bbox
            for item in (it for r in run for it in r):
                region = union(region, item.bbox)
            regions.append(region)
        run, misses = [], 0
    return regions
