"""A page seen as visual rows of text, with a way back from characters to bboxes.

Field extraction reads *rows*: every text line of the page that sits at the same
height, left to right, joined by tabs. A label and its value are often separate
blocks ("Total TTC" in one column, "2 460,00 €" in the next), which reading order puts
far apart but a row puts side by side. Each character of a row maps back to the span
it came from, so a match gets the bbox of the spans it covers. Lines written in
another direction (rotated text, turned scans) are grouped in their own frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PageView", "Row", "sentences", "tokens"]

Box = tuple[float, float, float, float]

_SEPARATOR = "\t"  # between lines of one row: no field pattern crosses a tab
_SAME_ROW = 0.5  # vertical overlap, as a share of the smaller line height
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*[^\W\d_]|[^\W\d_]", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«“(]?[A-ZÀ-ÖØ-Þ0-9])")


@dataclass(slots=True)
class Row:
    """One visual row: its text and, per span, the character range and bbox."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    horizontal: bool = True  # left-to-right text: spans can be cut by character share

    def segments(self) -> list[tuple[int, int]]:
        """Character ranges of the row's lines (the tab-separated parts), left to right."""
        out = []
        start = 0
        for part in self.text.split(_SEPARATOR):
            out.append((start, start + len(part)))
            start += len(part) + 1
        return out

    def left(self, start: int, end: int) -> float | None:
        """The x0 of ``text[start:end]``, or None without geometry."""
        box = self.bbox(start, end)
        return box[0] if box else None

    def bbox(self, start: int, end: int) -> list[float] | None:
        """Bbox of ``text[start:end]``: the spans it covers, cut to the covered characters.

        A span only partly covered (native spans are often whole lines) is cut in
        proportion to the characters covered, which is close for proportional fonts
        and exact enough to highlight a value in the viewer.
        """
        hits: list[Box] = []
        for s, e, box in zip(self.starts, self.ends, self.boxes, strict=True):
            if s >= end or e <= start:
                continue
            x0, y0, x1, y1 = box
            if self.horizontal and (start > s or end < e):
                width = (x1 - x0) / max(1, e - s)
                x0, x1 = x0 + width * max(0, start - s), x0 + width * (min(end, e) - s)
            hits.append((x0, y0, x1, y1))
        if not hits:
            return None
        return [
            round(min(b[0] for b in hits), 2),
            round(min(b[1] for b in hits), 2),
            round(max(b[2] for b in hits), 2),
            round(max(b[3] for b in hits), 2),
        ]


@dataclass(slots=True)
class _Line:
    text: str
    spans: list[tuple[int, int, Box]]  # (start, end, bbox) within text
    along: float  # position along the writing direction
    top: float  # extent across it
    bottom: float
    frame: tuple[float, float]


def _box(value: Any) -> Box:
    x0, y0, x1, y1 = (float(v) for v in value[:4])
    return (x0, y0, x1, y1)


def _line(raw: Mapping[str, Any]) -> _Line | None:
    text = ""
    spans: list[tuple[int, int, Box]] = []
    previous: Box | None = None
    for span in raw.get("spans", ()):
        piece = str(span.get("text", ""))
        if not piece:
            continue
        box = _box(span.get("bbox", (0, 0, 0, 0)))
        # OCR spans are words without spaces; native spans carry their own. Add a space
        # where neither side has one and the glyphs are apart.
        if text and not text[-1].isspace() and not piece[0].isspace() and previous is not None:
            size = float(span.get("size") or (box[3] - box[1]) or 10.0)
            if "confidence" in span or box[0] - previous[2] > 0.15 * size:
                text += " "
        spans.append((len(text), len(text) + len(piece), box))
        text += piece
        previous = box
    if not text.strip():
        return None
    dx, dy = (float(v) for v in raw.get("dir", (1.0, 0.0)))
    x0, y0, x1, y1 = _box(raw.get("bbox") or spans[0][2])
    # Coordinates in the line's own frame: "along" follows the writing direction.
    alongs = (x0 * dx + y0 * dy, x1 * dx + y1 * dy)
    across = (-x0 * dy + y0 * dx, -x1 * dy + y1 * dx)
    return _Line(text, spans, min(alongs), min(across), max(across), (round(dx, 1), round(dy, 1)))


class PageView:
    """Text of one PAGE dict for analysis: reading-order text and visual rows.

    Attributes:
        number: 1-based page number.
        text: the page text in reading order (``page["text"]``).
        rows: visual rows, top to bottom.
        headings: text of blocks whose role is ``heading``.
    """

    def __init__(self, page: Mapping[str, Any]) -> None:
        self.number = int(page.get("number", 0))
        self.text = str(page.get("text", ""))
        self.headings: list[str] = []
        lines: list[_Line] = []
        for block in page.get("blocks", ()):
            block_lines = [ln for ln in map(_line, block.get("lines", ())) if ln is not None]
            lines += block_lines
            if block.get("role") == "heading":
                self.headings.append(" ".join(ln.text.strip() for ln in block_lines))
        self.rows = _rows(lines) if lines else _plain_rows(self.text)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def _rows(lines: Sequence[_Line]) -> list[Row]:
    groups: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.frame, (ln.top + ln.bottom) / 2)):
        for group in reversed(groups[-4:]):
            ref = group[0]
            if ref.frame != line.frame:
                continue
            overlap = min(ref.bottom, line.bottom) - max(ref.top, line.top)
            height = min(ref.bottom - ref.top, line.bottom - line.top)
            if height > 0 and overlap >= _SAME_ROW * height:
                group.append(line)
                break
        else:
            groups.append([line])
    rows = []
    for group in groups:
        row = Row(horizontal=group[0].frame == (1.0, 0.0))
        for line in sorted(group, key=lambda ln: ln.along):
            if row.text:
                row.text += _SEPARATOR
            base = len(row.text)
            for start, end, box in line.spans:
                row.starts.append(base + start)
                row.ends.append(base + end)
                row.boxes.append(box)
            row.text += line.text
        rows.append(row)
    return rows


def _plain_rows(text: str) -> list[Row]:
    """Rows for a page without blocks (no geometry: every bbox is None)."""
    return [Row(text=line) for line in text.splitlines() if line.strip()]


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit: dates, amounts and most identifiers need one, and
    most rows of prose have none, so the finders skip those rows at once."""
    return _DIGIT.search(text) is not None


def tokens(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters, inner apostrophes and hyphens)."""
    return [word.lower() for word in _WORD.findall(text)]


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (block and line breaks end sentences too)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        # A line break continues the sentence only before a lower-case word; otherwise
        # the lines are separate statements (address lines, labels, table rows).
        units: list[str] = []
        for raw in paragraph.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            if units and line[0].islower() and not units[-1].endswith((".", "!", "?", ":")):
                units[-1] += " " + line
            else:
                units.append(line)
        for unit in units:
            out += [s.strip() for s in _SENTENCE_END.split(unit) if s.strip()]
    return out
