"""What a reader sees on a page: PAGE dict in, headings/paragraphs/lists/tables/images out.

Shared by the Markdown writer and the HTML report so both drop the same running
headers, place tables and images at the same spot and join lines the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ._textruns import (
    BULLETS,
    Run,
    block_spans,
    body_size,
    code_text,
    has_leaders,
    heading_level,
    is_open,
    is_page_number,
    join_paragraphs,
    line_runs,
    line_text,
    list_marker,
    safe_uri,
)

__all__ = ["Item", "ReadingState", "iter_page_items"]

_TOL = 3.0  # points of slack for "same indent" and "inside a table"
_HOLDABLE = ("image", "caption")  # may wait until a cut paragraph is whole again
_MAX_HELD = 3
_DEFAULT_BODY = 11.0  # points: the usual body size, for a first page without body text


class ReadingState:
    """What earlier pages tell about later ones: the body font size seen last.

    A page holding headings only (a title or part page) has no body text of its own
    to size its headings against.
    """

    __slots__ = ("body",)

    def __init__(self) -> None:
        self.body = 0.0


class Item(NamedTuple):
    """One thing to render: heading, paragraph, list_item, caption, code, table or image.

    ``level`` is the heading level (1-3) or the list depth (0 = top). ``marker`` is a
    list item's marker: ``"-"`` or an ordinal such as ``"3."``. ``text`` is a code
    block's text (lines kept). ``obj`` is the table or image mapping. ``size`` is a
    paragraph's font size.
    """

    kind: str
    runs: tuple[Run, ...] = ()
    level: int = 0
    marker: str = ""
    text: str = ""
    obj: Mapping[str, Any] | None = None
    size: float = 0.0


def _inside(inner: Sequence[float], outer: Sequence[float]) -> bool:
    return (
        inner[0] >= outer[0] - _TOL
        and inner[1] >= outer[1] - _TOL
        and inner[2] <= outer[2] + _TOL
        and inner[3] <= outer[3] + _TOL
    )


def _overlaps(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _block_items(
    block: Mapping[str, Any], body: float, links: list[Any], stack: list[float]
) -> Iterator[Item]:
    """The items of one kept text block; ``stack`` holds the x0 of open list levels."""
    role = block.get("role") or "paragraph"
    lines: Sequence[Mapping[str, Any]] = block.get("lines") or ()
    if role in ("heading", "caption"):
        if runs := line_runs(lines, links):
            stack.clear()
            yield Item(role, tuple(runs), heading_level(block, body) if role == "heading" else 0)
        return
    if (code := code_text(block)) is not None:
        stack.clear()
        yield Item("code", text=code)
        return
    # Each bullet starts an item; table-of-contents rows (dot leaders) stay rows. MuPDF
    # cuts a row at its wide gaps ("5.8" | "Summary" | ". . ." | "18"), so the pieces
    # of one row are put back together.
    texts = [line_text(line) for line in lines]
    leaders = len(lines) > 1 and sum(map(has_leaders, texts)) >= 2
    groups: list[list[Mapping[str, Any]]] = []
    for line, text in zip(lines, texts, strict=True):
        new_row = leaders and not (groups and _same_row(groups[-1][-1]["bbox"], line["bbox"]))
        if not groups or new_row or text.lstrip()[:1] in BULLETS:
            groups.append([line])
        else:
            groups[-1].append(line)
    for group in groups:
        runs = line_runs(group, links)
        if not runs:
            continue
        found = list_marker(runs, numbered=role == "list_item")
        if found is None and role != "list_item":
            stack.clear()
            size = next((s.get("size") for ln in group for s in ln.get("spans", ())), 0.0)
            yield Item("paragraph", tuple(runs), size=float(size or 0.0))
            continue
        marker, item_runs = found if found is not None else ("-", tuple(runs))
        x0 = float(group[0].get("bbox", block["bbox"])[0])
        while stack and x0 < stack[-1] - _TOL:
            stack.pop()
        if stack and x0 <= stack[-1] + _TOL:
            stack.pop()
        stack.append(x0)
        if item_runs:
            yield Item("list_item", item_runs, len(stack) - 1, marker)


def _anchor(obj: Mapping[str, Any], kept: list[tuple[Mapping[str, Any], int]]) -> int:
    """Index of the first kept block below the object's top that overlaps it sideways."""
    x0, y0, x1, _ = obj["bbox"]
    for index, (block, table) in enumerate(kept):
        bx0, by0, bx1, _ = block["bbox"]
        if table < 0 and by0 >= y0 - _TOL and bx0 < x1 and bx1 > x0:
            return index
    return len(kept)


def _keep(
    block: Mapping[str, Any], tables: list[Mapping[str, Any]]
) -> tuple[Mapping[str, Any], int]:
    """The block without its lines inside tables, and the table it lies in (or -1)."""
    for index, table in enumerate(tables):
        if _inside(block["bbox"], table["bbox"]):
            return block, index
    hits = [i for i, t in enumerate(tables) if _overlaps(block["bbox"], t["bbox"])]
    if not hits:
        return block, -1
    # A caption merged with a header row: keep the caption lines only.
    boxes = [tables[i]["bbox"] for i in hits]
    lines = [ln for ln in block.get("lines", ()) if not any(_inside(ln["bbox"], b) for b in boxes)]
    if not lines:
        return block, hits[0]
    return {**block, "lines": lines}, -1


def _final(item: Item) -> Item:
    """A one-line code block (an e-mail, a command) reads better as inline code."""
    if item.kind == "code" and "\n" not in item.text:
        run = Run(item.text.strip(), False, False, True, None, False)
        return Item("paragraph", (run,))
    return item


def _merged(items: Iterable[Item]) -> Iterator[Item]:
    """Re-join paragraphs cut by a column or block break, and adjacent code blocks.

    While a paragraph is open (cut mid-sentence), a footnote (smaller text), an image
    or a caption found before its continuation waits and follows the whole paragraph.
    """
    pending: Item | None = None
    held: list[Item] = []
    for item in items:
        if pending is not None:
            if pending.kind == item.kind == "code":
                pending = pending._replace(text=pending.text + "\n" + item.text)
                continue
            if pending.kind == "paragraph" and is_open(pending.runs):
                if item.kind == "paragraph" and abs(item.size - pending.size) < 0.5:
                    if runs := join_paragraphs(pending.runs, item.runs):
                        pending = pending._replace(runs=runs)
                        continue
                elif len(held) < _MAX_HELD and (
                    item.kind in _HOLDABLE
                    or (item.kind == "paragraph" and item.size < pending.size)
                ):
                    held.append(item)
                    continue
            yield _final(pending)
            yield from held
            held = []
        pending = item
    if pending is not None:
        yield _final(pending)
    yield from held


def _continues(upper: Mapping[str, Any], lower: Mapping[str, Any], body: float) -> bool:
    """Whether heading block ``lower`` is the next line of heading block ``upper``."""
    size = max((float(s.get("size") or 0.0) for s in block_spans(lower)), default=0.0)
    gap = lower["bbox"][1] - upper["bbox"][3]
    return (
        -_TOL <= gap <= 0.8 * size
        and upper["bbox"][0] < lower["bbox"][2]
        and lower["bbox"][0] < upper["bbox"][2]
        and heading_level(upper, body) == heading_level(lower, body)
    )


def _join_headings(
    kept: list[tuple[Mapping[str, Any], int]], body: float
) -> list[tuple[Mapping[str, Any], int]]:
    """Merge a heading set on several lines that the extraction split into blocks."""
    out: list[tuple[Mapping[str, Any], int]] = []
    for block, table in kept:
        if out and table < 0 and out[-1][1] < 0 and block.get("role") == "heading":
            upper = out[-1][0]
            if upper.get("role") == "heading" and _continues(upper, block, body):
                a, b = upper["bbox"], block["bbox"]
                box = [min(a[0], b[0]), a[1], max(a[2], b[2]), b[3]]
                lines = [*upper.get("lines", ()), *block.get("lines", ())]
                out[-1] = ({**upper, "bbox": box, "lines": lines}, -1)
                continue
        out.append((block, table))
    return out


def _same_row(upper: Sequence[float], lower: Sequence[float]) -> bool:
    """Whether line box ``lower`` sits on the printed row of ``upper``, to its right."""
    overlap = min(upper[3], lower[3]) - max(upper[1], lower[1])
    height = min(upper[3] - upper[1], lower[3] - lower[1])
    return height > 0 and overlap >= 0.6 * height and lower[0] >= upper[2] - _TOL


def _items(page: Mapping[str, Any], state: ReadingState | None) -> Iterator[Item]:
    height = float(page.get("height") or 0.0)
    tables: list[Mapping[str, Any]] = list(page.get("tables") or ())
    blocks = [b for b in page.get("blocks") or () if b.get("kind", "text") == "text"]
    links = [
        (*link["bbox"], uri)
        for link in page.get("links") or ()
        if (uri := safe_uri(link.get("uri"))) is not None
    ]
    body = body_size(blocks)
    if body and state is not None:
        state.body = body
    body = body or (state.body if state is not None else 0.0) or _DEFAULT_BODY
    kept = [
        _keep(block, tables)
        for block in blocks
        if block.get("role") not in ("header", "footer") and not is_page_number(block, height)
    ]
    kept = _join_headings(kept, body)
    anchored = {table for _, table in kept if table >= 0}
    others = [("table", t) for i, t in enumerate(tables) if i not in anchored]
    others += [("image", image) for image in page.get("images") or ()]
    floating: dict[int, list[Item]] = {}
    for kind, obj in sorted(others, key=lambda pair: (pair[1]["bbox"][1], pair[1]["bbox"][0])):
        floating.setdefault(_anchor(obj, kept), []).append(Item(kind, obj=obj))
    stack: list[float] = []
    emitted: set[int] = set()
    for index, (block, table) in enumerate(kept):
        if index in floating:
            stack.clear()
            yield from floating[index]
        if table < 0:
            yield from _block_items(block, body, links, stack)
        elif table not in emitted:
            emitted.add(table)
            stack.clear()
            yield Item("table", obj=tables[table])
    yield from floating.get(len(kept), ())


def iter_page_items(page: Mapping[str, Any], state: ReadingState | None = None) -> Iterator[Item]:
    """Yield what a reader should see on ``page``, in reading order.

    Blocks are taken in the order the layout step gave them. Running headers, footers
    and page numbers are dropped. Text inside a table is not repeated: the table is
    yielded where its first such block was. Tables without such a block, and images,
    come before the first block below them in the same column. Blocks set in a code
    font become code items with their lines kept.

    Args:
        page: a PAGE mapping.
        state: shared by the pages of one document, in page order (optional).

    Returns:
        An iterator of :class:`Item` objects.
    """
    return _merged(_items(page, state))
