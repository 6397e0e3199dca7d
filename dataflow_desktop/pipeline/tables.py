"""Table detection on one page: cells, header, CSV and Markdown.

PyMuPDF's ``page.find_tables()`` was measured on the corpus and is not used: it
rebuilds the page's character list in Python and tests every character against
every cell (120-450 ms on a page *without* a table, 0.3-0.7 s on a table page, and
3-5 s on the IRS 1040 form page, PyMuPDF 1.28). Instead:

1. Cheap gates (:mod:`._table_regions`, ~0.5 ms on a text page) find candidate
   regions: clusters of visible rules (from the vector blocks the text pass already
   collected) with text in 2+ of their rows, and runs of 3+ text rows made of 3+
   short, widely spaced cells. Regions holding form fields are skipped: a form's
   grid is a layout, not a data table.
2. Readers (:mod:`._table_readers`) fill cells: a ruled grid from its rules and
   the words (merged cells keep their text top-left, like camelot's lattice output);
   everything else from word positions (stream).
3. Checks reject noise (cells of marks such as dot leaders or chart glyphs) and send
   a grid whose reading loses words, repeats them (nested frames), or merges whole
   rows into one cell (zebra shading) to the word-position reader instead.
"""

# (PyMuPDF ships py.typed but leaves most functions unannotated.)

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymupdf

from ._atomic import write_bytes_atomic
from ._table_readers import lattice_table, stream_table
from ._table_regions import (
    IDENTITY,
    Box,
    Matrix,
    Region,
    TextLine,
    overlap,
    page_words,
    ruled_regions,
    transform_box,
    unruled_regions,
    words_in,
)

__all__ = ["detect_tables", "table_csv", "table_markdown"]

_NUMERIC = re.compile(r"^[\s(+\-–]*[$€£¥%]?\s*[\d.,\s]+%?\)?$")


def detect_tables(
    page: pymupdf.Page,
    lines: Sequence[TextLine],
    vectors: Sequence[dict[str, Any]],
    matrix: Matrix,
    *,
    page_number: int,
    out_dir: Path,
) -> list[dict[str, Any]]:
    """Find the tables of ``page`` and write each as ``tables/p0001-t1.csv``.

    Tables are read in the space where their text runs left to right: the visible
    page, or the unrotated page for a table set sideways on a rotated page (the
    FBI NICS sheet is typeset landscape on a ``/Rotate 90`` portrait page).

    Args:
        page: the page.
        lines: the page's text lines in the *unrotated* space, with their direction.
        vectors: the vector blocks (type 3) of ``get_text("dict")`` with
            ``TEXT_COLLECT_VECTORS`` (unrotated space).
        matrix: ``page.rotation_matrix`` (unrotated to visible space).
        page_number: 1-based page number, for ids and file names.
        out_dir: the job folder; CSV files go to ``out_dir/tables``.

    Returns:
        Table dicts of the PAGE contract: id, bbox (visible space), rows, cols,
        header, cells, csv. ``cells`` holds every row, the header row included;
        ``header`` repeats the first row when it looks like one.
    """
    space, work_lines = _reading_space(lines, matrix)
    area = abs(page.rect.width * page.rect.height)
    ruled = ruled_regions(vectors, space, area, work_lines)
    taken = [region.box for region in ruled]
    unruled = [
        Region(box, "text")
        for box in unruled_regions(work_lines)
        if not any(overlap(box, t) for t in taken)
    ]
    regions = [*ruled, *unruled]
    if not regions:
        return []
    fields = _form_field_centres(page, space)
    regions = [r for r in regions if sum(_inside(r.box, x, y) for x, y in fields) < 2]
    words = page_words(page, space)
    found: list[tuple[Box, list[list[str]]]] = []
    for region in regions:
        inside = words_in(words, region.box)
        if region.kind == "lines":
            cells = _clean_cells(lattice_table(region.rules, inside))
            if _plausible(cells, strict=False) and _healthy(cells, region.box, work_lines):
                found.append((region.box, cells))
                continue
        # Unruled tables, booktabs, and grids whose rules do not delimit the cells
        # (zebra shading rules only every other row).
        cells = _clean_cells(stream_table(inside))
        if _plausible(cells, strict=True) and _healthy(cells, region.box, work_lines):
            found.append((region.box, cells))
    to_visible = matrix if space != matrix else IDENTITY
    placed = [(transform_box(box, to_visible), cells) for box, cells in found]
    placed.sort(key=lambda item: (round(item[0][1]), item[0][0]))
    result = []
    for number, (bbox, cells) in enumerate(placed, start=1):
        csv_name = f"tables/p{page_number:04d}-t{number}.csv"
        write_bytes_atomic(out_dir / csv_name, table_csv(cells).encode("utf-8"))
        result.append(
            {
                "id": f"p{page_number}-t{number}",
                "bbox": [round(v, 2) or 0.0 for v in bbox],
                "rows": len(cells),
                "cols": len(cells[0]),
                "header": _header(cells),
                "cells": cells,
                "csv": csv_name,
            }
        )
    return result


def _horizontal(direction: tuple[float, float]) -> bool:
    return direction[0] > 0.95 and abs(direction[1]) < 0.05


def _reading_space(lines: Sequence[TextLine], m: Matrix) -> tuple[Matrix, list[TextLine]]:
    """The space to read tables in (identity: unrotated; ``m``: visible) and its lines."""
    raw = [line for line in lines if _horizontal(line.dir)]
    if m == IDENTITY:
        return m, raw
    visible = []
    for line in lines:
        dx, dy = line.dir
        turned = (m[0] * dx + m[2] * dy, m[1] * dx + m[3] * dy)
        if _horizontal(turned):
            visible.append(TextLine(transform_box(line.bbox, m), line.text, line.size, turned))
    if sum(len(ln.text) for ln in raw) > sum(len(ln.text) for ln in visible):
        return IDENTITY, raw
    return m, visible


def _inside(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _form_field_centres(page: pymupdf.Page, space: Matrix) -> list[tuple[float, float]]:
    """Centres of the page's form widgets in ``space``, read from their /Rect.

    ``page.widgets()`` builds a Widget object per field (0.2-0.4 s for the 120
    fields of an IRS form page); reading each annotation's /Rect costs ~0.2 ms.
    """
    xrefs = [xref for xref, kind, _ in page.annot_xrefs() if kind == pymupdf.mupdf.PDF_ANNOT_WIDGET]
    if not xrefs:
        return []
    to_raw = tuple(page.transformation_matrix)  # PDF user space to unrotated page space
    centres = []
    for xref in xrefs:
        kind, value = page.parent.xref_get_key(xref, "Rect")
        if kind != "array":
            continue
        try:
            x0, y0, x1, y1 = (float(v) for v in value.strip("[]").split())
        except ValueError:  # a malformed /Rect
            continue
        rect = transform_box(transform_box((x0, y0, x1, y1), to_raw), space)
        centres.append(((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2))
    return centres


def table_csv(cells: Sequence[Sequence[str]]) -> str:
    """The cells as CSV text (RFC 4180 quoting, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(cells)
    return buffer.getvalue()


def table_markdown(cells: Sequence[Sequence[str]], header: Sequence[str] | None = None) -> str:
    """The table as a GitHub-flavoured Markdown table (pipes escaped).

    Args:
        cells: all rows, header row included.
        header: the header row if detected; otherwise an empty header is emitted,
            since Markdown tables cannot exist without one.
    """
    if not cells:
        return ""

    def row(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    width = len(cells[0])
    body = list(cells[1:]) if header is not None else list(cells)
    head = list(header) if header is not None else [""] * width
    lines = [row(head), "|" + "---|" * width, *(row(r) for r in body)]
    return "\n".join(lines) + "\n"


def _header(cells: list[list[str]]) -> list[str] | None:
    first = [c for c in cells[0] if c]
    if len(cells) < 2 or not first:
        return None
    numeric = sum(1 for c in first if _NUMERIC.match(c))
    return None if numeric * 2 >= len(first) else cells[0]


def _clean_cells(raw: Sequence[Sequence[str | None]]) -> list[list[str]]:
    """Collapse whitespace, then drop rows and columns that are empty everywhere."""
    rows = [[" ".join((cell or "").split()) for cell in row] for row in raw]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    keep = [j for j in range(len(rows[0])) if any(row[j] for row in rows)]
    return [[row[j] for j in keep] for row in rows]


def _plausible(cells: list[list[str]], *, strict: bool) -> bool:
    """Enough filled cells, and cells of words or numbers rather than marks.

    Charts with garbled label fonts give cells like ``%#"``, and forms give
    dot-leader cells (``. . .``); neither is a data table.
    """
    if len(cells) < 2 or not cells[0] or len(cells[0]) < 2:
        return False
    filled = [cell for row in cells for cell in row if cell]
    if len(filled) < 3 or len(filled) < (0.4 if strict else 0.2) * len(cells) * len(cells[0]):
        return False
    marks = sum(1 for cell in filled if not any(ch.isalnum() for ch in cell))
    return marks <= 0.2 * len(filled)


def _healthy(cells: list[list[str]], bbox: Box, lines: Sequence[TextLine]) -> bool:
    """The grid holds the words of its area once each, and no cell swallowed the table."""
    sizes = [len(cell) for row in cells for cell in row]
    if len(sizes) > 4 and max(sizes) > 0.5 * sum(sizes):
        return False
    # Many rows with one filled cell in a wide grid: unruled rows merged into one cell
    # (zebra shading gives rules around every other row only).
    single = sum(1 for row in cells if sum(1 for cell in row if cell) == 1)
    if len(cells[0]) >= 3 and single >= 3 and single > 0.25 * len(cells):
        return False
    got = Counter(word for row in cells for cell in row for word in cell.split())
    area: Counter[str] = Counter()
    for line in lines:
        x = (line.bbox[0] + line.bbox[2]) / 2
        y = (line.bbox[1] + line.bbox[3]) / 2
        if bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]:
            area.update(line.text.split())
    if not area:
        return bool(got)
    common = sum((got & area).values())
    # Lost rows (coverage) or nested frames that repeat the text (duplicates).
    return common >= 0.85 * sum(area.values()) and sum(got.values()) <= 1.15 * common + 2
