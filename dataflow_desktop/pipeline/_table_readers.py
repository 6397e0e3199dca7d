"""Table cell readers: ruled ("lattice") grids from their rules, others ("stream") from words.

Lattice: ``page.find_tables()`` finds the same grids, but its cell text extraction tests
every character against every cell and its header search calls ``get_textbox`` per
column, both in Python: 1.5-4 s for one full-page table or tax form with PyMuPDF
1.28 (tables-camelot-column-span-1.pdf, form-pdfjs-irs-f1040-2010-prefilled.pdf).
The rules are already known from the ruled gate, so the grid comes for free:

* grid lines are the distinct positions of the horizontal and vertical rules;
* a cell border that no rule covers (for at least half its length) is a merged
  cell: the cells on both sides join, and the text goes to the top-left one (as
  camelot's lattice output does);
* each word goes to the cell holding its centre.

Stream (unruled tables, booktabs, zebra shading): see :func:`stream_table`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from ._table_regions import Box, TextLine, cells_of, rows_of

__all__ = ["lattice_table", "stream_table"]

_SNAP = 1.5  # rules closer than this are one grid line
# Between words of one cell: a space is ~0.25-0.35 em; cells are further apart.
_WORD_GAP = 0.6
_MAX_CELLS = 20_000  # a denser "grid" is a hatch pattern or a chart


def _grid_lines(
    members: Sequence[tuple[Box, bool]], horizontal: bool
) -> list[tuple[float, list[tuple[float, float]]]]:
    """Snapped rule positions with the pieces (start, end) drawn along each."""
    raw = sorted(
        (
            ((b[1] + b[3]) / 2, (b[0], b[2])) if horizontal else ((b[0] + b[2]) / 2, (b[1], b[3]))
            for b, is_h in members
            if is_h == horizontal
        ),
        key=lambda item: item[0],
    )
    lines: list[tuple[float, list[tuple[float, float]]]] = []
    for pos, piece in raw:
        if lines and pos - lines[-1][0] <= _SNAP:
            lines[-1][1].append(piece)
        else:
            lines.append((pos, [piece]))
    return lines


def _covered(pieces: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether rule pieces cover at least half of the border from ``a`` to ``b``."""
    total = 0.0
    cursor = a
    for piece_start, piece_end in sorted(pieces):
        start, end = max(piece_start, cursor), min(piece_end, b)
        if end > start:
            total += end - start
            cursor = end
    return total >= 0.5 * (b - a)


def lattice_table(
    members: Sequence[tuple[Box, bool]], words: Sequence[TextLine]
) -> list[list[str]]:
    """Cells of the ruled table drawn by ``members`` (rules as ``(box, horizontal)``).

    Args:
        members: the rules of one cluster, in the reading space.
        words: the words inside the cluster, in the same space.

    Returns:
        Rows of cell texts (merged cells hold their text in the top-left position);
        empty when the rules do not make a grid.
    """
    h_lines = _grid_lines(members, True)
    v_lines = _grid_lines(members, False)
    ys = [pos for pos, _ in h_lines]
    xs = [pos for pos, _ in v_lines]
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 1 or rows * cols > _MAX_CELLS:
        return []
    parent = list(range(rows * cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        # The smaller index (top-left in row-major order) stays the anchor.
        parent[max(ra, rb)] = min(ra, rb)

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not _covered(v_lines[j + 1][1], ys[i], ys[i + 1]):
                join(i * cols + j, i * cols + j + 1)
            if i + 1 < rows and not _covered(h_lines[i + 1][1], xs[j], xs[j + 1]):
                join(i * cols + j, (i + 1) * cols + j)
    texts: dict[int, list[TextLine]] = {}
    for word in words:
        cx = (word.bbox[0] + word.bbox[2]) / 2
        cy = (word.bbox[1] + word.bbox[3]) / 2
        i = bisect.bisect_right(ys, cy) - 1
        j = bisect.bisect_right(xs, cx) - 1
        if 0 <= i < rows and 0 <= j < cols:
            texts.setdefault(find(i * cols + j), []).append(word)
    grid = [[""] * cols for _ in range(rows)]
    for anchor, cell_words in texts.items():
        text = " ".join(w.text for row in rows_of(cell_words) for w in row)
        grid[anchor // cols][anchor % cols] = text
    return grid


def stream_table(words: Sequence[TextLine]) -> list[list[str]]:
    """Cells of an unruled (or rules-only) table, read from the positions of its words.

    find_tables' text strategy cuts words in two on such tables (its column borders
    come from every word edge), so columns are taken from the rows that have the
    most common number of cells, and each word group joins the column it overlaps.
    """
    rows = [cells_of(row, _WORD_GAP) for row in rows_of(words)]
    counts = Counter(len(r) for r in rows if len(r) >= 2)
    if not counts:
        return []
    mode = counts.most_common(1)[0][0]
    columns: list[list[float]] = []
    for row in rows:
        if len(row) != mode:
            continue
        for cell in row:
            x0, x1 = cell[0].bbox[0], cell[-1].bbox[2]
            for col in columns:
                if x0 <= col[1] and col[0] <= x1:
                    col[0], col[1] = min(col[0], x0), max(col[1], x1)
                    break
            else:
                columns.append([x0, x1])
    columns.sort()
    table = []
    for row in rows:
        out = [""] * len(columns)
        for cell in row:
            x0, x1 = cell[0].bbox[0], cell[-1].bbox[2]

            def fit(j: int, x0: float = x0, x1: float = x1) -> float:
                # Overlap with the column; cells between columns go to the nearest.
                return min(columns[j][1], x1) - max(columns[j][0], x0)

            best = max(range(len(columns)), key=fit)
            out[best] = f"{out[best]} {' '.join(w.text for w in cell)}".strip()
        table.append(out)
    return table
