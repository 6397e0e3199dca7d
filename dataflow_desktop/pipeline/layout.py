"""Reading order and roles of a page's text blocks.

MuPDF returns blocks in content-stream order, which for multi-column pages is often
not the order a person reads. We order blocks ourselves (``get_text(sort=True)`` is
8-15x slower and only sorts by position, RECIPES.md §10):

1. Running headers and footers (short blocks alone in the top or bottom margin) are
   taken out first; they go first and last.
2. The rest is cut recursively. A *gutter* is a vertical strip, free of blocks over a
   tall run, with substantial text on both sides. Blocks above and below the run
   (full-width titles, figures spanning both columns) form their own regions; blocks
   beside the run are split into left and right parts, each ordered recursively, so
   the order is: top band, then columns left to right (each top to bottom), then the
   bottom band. Nested cuts handle three columns and column runs interrupted by
   full-width blocks.
3. A region without a gutter is read top to bottom, left to right.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["LayoutBlock", "Placement", "Role", "reading_order"]

Role = Literal["heading", "paragraph", "list_item", "caption", "header", "footer"]
Box = tuple[float, float, float, float]

_MARGIN = 0.09  # share of the page height that counts as top/bottom margin
_MIN_GUTTER = 6.0  # points on a letter/A4 page; narrower gaps are word or cell spacing
_MAX_BLOCKS_FOR_CUTS = 400  # beyond this (dense forms, charts) cuts cost too much
_HEADING_RATIO = 1.18
_LIST_PREFIX = re.compile(
    r"^\s*(?:[•◦▪▫●○■□‣⁃∙·\-–—*➢►✓]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivxlc]{1,5}[.)])\s+\S"
)
_CAPTION_PREFIX = re.compile(
    r"^\s*(?:fig(?:ure|\.)?|table|tableau|abbildung|tabelle|tabla|chart|graph|plate|"
    r"listing|exhibit|photo|illustration|scheme)\s*[\dIVXivx]+[.:\s]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LayoutBlock:
    """What the ordering needs to know about one text block (visible page space)."""

    bbox: Box
    first_line: str
    lines: int
    chars: int
    size: float  # dominant font size, weighted by characters
    bold: bool  # most characters are bold


@dataclass(frozen=True, slots=True)
class Placement:
    """Block ``index`` (into the input list) in reading order, with column and role."""

    index: int
    column: int
    role: Role


def reading_order(blocks: Sequence[LayoutBlock], width: float, height: float) -> list[Placement]:
    """Order blocks for reading and give each a column index and a role.

    Args:
        blocks: text blocks with bboxes in the visible (rotated) page space.
        width: page width in points.
        height: page height in points.

    Returns:
        One placement per block, in reading order. Full-width blocks, headers and
        footers are in column 0.
    """
    if not blocks:
        return []
    body_size = _body_size(blocks)
    margins = _margin_roles(blocks, height, body_size)
    body = [i for i in range(len(blocks)) if i not in margins]
    ordered: list[tuple[int, int]] = []
    if len(body) > _MAX_BLOCKS_FOR_CUTS:
        ordered = [(i, 0) for i in sorted(body, key=lambda i: _yx(blocks[i].bbox))]
    else:
        # Gutters scale with the page: 6 pt on A4/letter, wider on posters.
        _cut(blocks, body, 0, ordered, min_gutter=max(_MIN_GUTTER, width / 100))
    headers = sorted(
        (i for i, r in margins.items() if r == "header"), key=lambda i: _yx(blocks[i].bbox)
    )
    footers = sorted(
        (i for i, r in margins.items() if r == "footer"), key=lambda i: _yx(blocks[i].bbox)
    )
    result = [Placement(i, 0, "header") for i in headers]
    result += [Placement(i, col, _role(blocks[i], body_size)) for i, col in ordered]
    result += [Placement(i, 0, "footer") for i in footers]
    return result


def _yx(box: Box) -> tuple[float, float]:
    # Round y so that blocks on one visual line (baselines differing by a fraction of
    # a point) are ordered left to right.
    return (round(box[1] / 2.0), box[0])


def _body_size(blocks: Sequence[LayoutBlock]) -> float:
    sizes: Counter[float] = Counter()
    for block in blocks:
        sizes[round(block.size, 1)] += block.chars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _margin_roles(
    blocks: Sequence[LayoutBlock], height: float, body_size: float
) -> dict[int, Role]:
    """Headers and footers: short blocks in a margin, or isolated at the top/bottom."""
    roles: dict[int, Role] = {}
    if len(blocks) < 3:
        return roles  # too little text to call anything a running header
    # The two topmost tops and two lowest bottoms give "all the others" in O(1).
    tops = sorted((b.bbox[1], i) for i, b in enumerate(blocks))[:2]
    bottoms = sorted((-b.bbox[3], i) for i, b in enumerate(blocks))[:2]
    gap = body_size * 1.2
    for i, block in enumerate(blocks):
        _, y0, _, y1 = block.bbox
        if block.lines > 2 or block.chars > 100 or block.size > body_size * 1.05:
            continue
        next_top = tops[1][0] if tops[0][1] == i else tops[0][0]
        prev_bottom = -(bottoms[1][0] if bottoms[0][1] == i else bottoms[0][0])
        alone_on_top = tops[0][1] == i and next_top >= y1 + gap and y1 < height * 0.15
        alone_below = bottoms[0][1] == i and prev_bottom <= y0 - gap and y0 > height * 0.7
        if y1 <= height * _MARGIN or alone_on_top:
            roles[i] = "header"
        elif y0 >= height * (1 - _MARGIN) or alone_below:
            roles[i] = "footer"
    return roles


def _cut(
    blocks: Sequence[LayoutBlock],
    region: list[int],
    column: int,
    out: list[tuple[int, int]],
    *,
    min_gutter: float,
) -> int:
    """Append ``region`` in reading order to ``out``; return the number of columns used."""
    gutter = _find_gutter(blocks, region, min_gutter)
    if gutter is None:
        out.extend((i, column) for i in sorted(region, key=lambda i: _yx(blocks[i].bbox)))
        return 1
    gx, run_top, run_bottom = gutter
    above, left, right, below = [], [], [], []
    for i in region:
        x0, y0, x1, y1 = blocks[i].bbox
        centre_y = (y0 + y1) / 2
        if y1 <= run_top or (y0 < run_top and centre_y < run_top):
            above.append(i)
        elif y0 >= run_bottom or (y1 > run_bottom and centre_y > run_bottom):
            below.append(i)
        elif (x0 + x1) / 2 < gx:
            left.append(i)
        else:
            right.append(i)
    columns = 1
    if above:
        columns = max(columns, _cut(blocks, above, column, out, min_gutter=min_gutter))
    used_left = _cut(blocks, left, column, out, min_gutter=min_gutter)
    used_right = _cut(blocks, right, column + used_left, out, min_gutter=min_gutter)
    columns = max(columns, used_left + used_right)
    if below:
        columns = max(columns, _cut(blocks, below, column, out, min_gutter=min_gutter))
    return columns


def _find_gutter(
    blocks: Sequence[LayoutBlock], region: list[int], min_gutter: float
) -> tuple[float, float, float] | None:
    """The best column gutter of ``region``: (x, run top, run bottom), or ``None``.

    Candidate strips lie between consecutive block edges. For each, the longest
    vertical run free of blocks is measured; the strip qualifies when the run is
    tall and both sides hold real columns (several lines, reasonably wide) beside it.
    """
    if len(region) < 2:
        return None
    boxes = [blocks[i].bbox for i in region]
    top = min(b[1] for b in boxes)
    bottom = max(b[3] for b in boxes)
    left_edge = min(b[0] for b in boxes)
    right_edge = max(b[2] for b in boxes)
    span = bottom - top
    content_width = right_edge - left_edge
    heights = sorted(
        (b[3] - b[1]) / max(1, blocks[i].lines) for i, b in zip(region, boxes, strict=True)
    )
    line_h = max(1.0, heights[len(heights) // 2])
    min_run = max(4 * line_h, 0.2 * span)
    # Candidate strips run from a block's right edge to the nearest left edge at least
    # a gutter's width further right; blocks inside the strip (a page number in the
    # gutter) only shorten its free run instead of hiding the gutter.
    lefts = sorted({b[0] for b in boxes})
    strips = set()
    for right in {b[2] for b in boxes}:
        nxt = next((x for x in lefts if x >= right + min_gutter), None)
        if nxt is not None and nxt < right_edge:
            strips.add((right, nxt))
    best: tuple[float, float, float, float] | None = None  # (score, x, top, bottom)
    for a, b in sorted(strips):
        covering = sorted((y0, y1) for x0, y0, x1, y1 in boxes if x0 < b and x1 > a)
        run_top, run_bottom = _longest_free_run(covering, top, bottom)
        if run_bottom - run_top < min_run:
            continue
        sides = _side_stats(blocks, region, (a, b), (run_top, run_bottom))
        if sides is None:
            continue
        lines_left, lines_right, width_left, width_right = sides
        if min(lines_left, lines_right) < 3:
            continue
        if min(width_left, width_right) < 0.18 * content_width:
            continue
        # The tallest free run wins (a full-height gutter beats a wider strip that a
        # bullet or a figure protrudes into); width only breaks ties.
        score = round(run_bottom - run_top) + min(b - a, 50.0) / 100
        if best is None or score > best[0]:
            best = (score, (a + b) / 2, run_top, run_bottom)
    return None if best is None else best[1:]


def _longest_free_run(
    covering: list[tuple[float, float]], top: float, bottom: float
) -> tuple[float, float]:
    """The tallest interval in [top, bottom] that no (sorted) covering interval touches."""
    best = (top, top)
    cursor = top
    for y0, y1 in covering:
        if y0 - cursor > best[1] - best[0]:
            best = (cursor, y0)
        cursor = max(cursor, y1)
    if bottom - cursor > best[1] - best[0]:
        best = (cursor, bottom)
    return best


def _side_stats(
    blocks: Sequence[LayoutBlock],
    region: list[int],
    strip: tuple[float, float],
    run: tuple[float, float],
) -> tuple[int, int, float, float] | None:
    """Lines and widest block on each side of ``strip`` beside ``run``; None if crossed."""
    a, b = strip
    run_top, run_bottom = run
    lines = [0, 0]
    widths = [0.0, 0.0]
    for i in region:
        x0, y0, x1, y1 = blocks[i].bbox
        if y1 <= run_top or y0 >= run_bottom:
            continue
        side = 0 if x1 <= a + 0.5 else 1 if x0 >= b - 0.5 else -1
        if side < 0:
            return None  # a block crosses the strip inside the run: not a gutter
        lines[side] += blocks[i].lines
        widths[side] = max(widths[side], x1 - x0)
    return lines[0], lines[1], widths[0], widths[1]


def _role(block: LayoutBlock, body_size: float) -> Role:
    text = block.first_line.strip()
    if _CAPTION_PREFIX.match(text):
        return "caption"
    short = block.lines <= 3 and block.chars <= 160
    if short and block.size >= body_size * _HEADING_RATIO:
        return "heading"
    if short and block.bold and block.lines <= 2 and not text.endswith((".", ",", ";", ":")):
        return "heading"
    if _LIST_PREFIX.match(text):
        return "list_item"
    return "paragraph"
