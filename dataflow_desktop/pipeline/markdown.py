"""document.md: the extracted document as Markdown a person (or an LLM) reads well.

Headings by relative font size, paragraphs with line-end hyphens removed, nested
lists, GitHub tables (their text not repeated as paragraphs), images as links to the
extracted files, running headers/footers and page numbers dropped, and a YAML front
matter. Works on the PAGE dicts only (no PDF access), so it costs string work alone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from ..events import CancelToken, ProgressCallback, StepProgress
from ._jsonio import atomic_binary, atomic_text, dumps
from ._reading import Item, ReadingState, iter_page_items
from ._textruns import Run, plain_text, unligature
from .model import PageSource, iter_pages

__all__ = [
    "ReadingState",
    "front_matter",
    "join_markdown",
    "markdown_body_pages",
    "page_markdown",
    "write_markdown",
]

# Backslash-escape what would otherwise turn text into emphasis, code or raw HTML
# (a regex substitution: several times faster than str.translate on long paragraphs).
_ESCAPE = re.compile(r"([\\*`<])")
_LINK_TEXT = str.maketrans({"[": "\\[", "]": "\\]"})
_CELL = str.maketrans({"|": "\\|"})
_BLOCK_START = frozenset("#-+>=|")
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_EMPHASIS = {(True, False): "**", (False, True): "*", (True, True): "***"}
# YAML double-quoted scalars are JSON strings, except that YAML 1.1 readers take these
# for line breaks.
_YAML_BREAKS = str.maketrans({"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"})


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _target(url: str) -> str:
    """A link destination; angle brackets let it hold spaces and parentheses."""
    return f"<{url}>" if any(c in url for c in " ()<>") else url


def _yaml(value: str) -> str:
    return dumps(value).translate(_YAML_BREAKS)


def _inline(runs: tuple[Run, ...] | list[Run], styled: bool = True) -> str:
    parts: list[str] = []
    for run in runs:
        if run.space:
            parts.append(" ")
        if run.mono:
            # Nothing is escaped inside a code span; a backtick needs a longer fence.
            text = f"`` {run.text} ``" if "`" in run.text else f"`{run.text}`"
        else:
            text = _escape(run.text)
        if run.uri is not None:
            text = f"[{text.translate(_LINK_TEXT)}]({_target(run.uri)})"
        # No emphasis around symbols alone ("*∗*" reads worse than "∗").
        if styled and (run.bold or run.italic) and not run.mono and _has_word(run.text):
            mark = _EMPHASIS[run.bold, run.italic]
            text = f"{mark}{text}{mark}"
        parts.append(text)
    return "".join(parts)


def _paragraph(runs: tuple[Run, ...]) -> str:
    text = _inline(runs)
    # A paragraph must not start like a heading, quote, list or table row.
    if text[:1] in _BLOCK_START:
        return "\\" + text
    if text[:1].isdigit() and (match := _ORDERED_START.match(text)):
        return f"{match[1]}\\{match[2]}{text[match.end() :]}"
    return text


def _cell(value: object) -> str:
    return _escape(unligature(" ".join(str(value).split()))).translate(_CELL) if value else ""


def _table(table: Mapping[str, Any]) -> str:
    """A GitHub table; the first row stands in for a missing header row."""
    rows = [[_cell(c) for c in row] for row in table.get("cells") or ()]
    header = table.get("header")
    if header is not None:
        head = [_cell(c) for c in header]
        body = rows[1:] if rows and rows[0] == head else rows
    elif rows:
        head, body = rows[0], rows[1:]
    else:
        return ""
    width = max(len(head), *(len(row) for row in body), 1)
    lines = ["| " + " | ".join(head + [""] * (width - len(head))) + " |"]
    lines.append("|" + " --- |" * width)
    lines.extend("| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in body)
    return "\n".join(lines)


def _image(image: Mapping[str, Any], number: int) -> str:
    ident = str(image.get("id") or "")
    index = ident.rpartition("-i")[2] if "-i" in ident else "?"
    alt = f"image p{number}-{index}"
    file = image.get("file")
    if file:
        return f"![{alt}]({_target(str(file))})"
    # Keeps the reader's place without showing a broken image.
    return f"<!-- {alt} not extracted: {image.get('skipped') or 'no file'} -->"


def _render(item: Item, number: int, indents: list[str]) -> str:
    kind = item.kind
    if kind == "paragraph":
        return _paragraph(item.runs)
    if kind == "list_item":
        depth = min(item.level, len(indents) - 1)
        indent = indents[depth]
        indents[depth + 1 :] = [indent + " " * (len(item.marker) + 1)]
        return f"{indent}{item.marker} {_inline(item.runs)}"
    if kind == "heading":
        return "#" * item.level + " " + _escape(plain_text(item.runs))
    if kind == "code":
        fence = "~~~~" if "```" in item.text else "```"
        return f"{fence}\n{item.text}\n{fence}"
    if kind == "caption":
        return f"*{_inline(item.runs, styled=False)}*"
    if kind == "table" and item.obj is not None:
        return _table(item.obj)
    if kind == "image" and item.obj is not None:
        return _image(item.obj, number)
    return ""


def page_markdown(page: Mapping[str, Any], state: ReadingState | None = None) -> str:
    """Render one PAGE as Markdown.

    Args:
        page: a PAGE mapping (see docs/ARCHITECTURE.md).
        state: one per document, passed to every page in order, so that a page with
            headings only sizes them against the body text of the pages before.

    Returns:
        The page's Markdown, ending with a newline, or ``""`` for a page with nothing
        to show.
    """
    number = int(page.get("number") or 0)
    parts: list[str] = []
    # indents[d]: the column where list depth d's text starts (CommonMark nesting).
    indents: list[str] = [""]
    previous = ""
    for item in iter_page_items(page, state):
        text = _render(item, number, indents)
        if not text:
            continue
        if parts:
            # List items of one list sit on consecutive lines; everything else is
            # separated by a blank line.
            both_list = previous == item.kind == "list_item"
            parts.append("\n" if both_list else "\n\n")
        if item.kind != "list_item":
            indents[:] = [""]
        parts.append(text)
        previous = item.kind
    return "".join(parts) + "\n" if parts else ""


def front_matter(header: Mapping[str, Any]) -> str:
    """The YAML front matter: title, author, pages, source, sha256, analysis facts.

    Args:
        header: the result header (``source``, ``document``, optional ``analysis``).

    Returns:
        The front matter block, ``---`` to ``---``, with a trailing blank line.
    """
    source = header.get("source") or {}
    document = header.get("document") or {}
    metadata = document.get("metadata") or {}
    name = str(source.get("name") or "")
    title = str(metadata.get("title") or "").strip() or os.path.splitext(name)[0]
    lines = [
        "---",
        f"title: {_yaml(title)}",
        f"author: {_yaml(str(metadata.get('author') or '').strip())}",
        f"pages: {int(document.get('pages') or 0)}",
        f"source: {_yaml(name)}",
        f"sha256: {_yaml(str(source.get('sha256') or ''))}",
    ]
    analysis = header.get("analysis") or {}
    if analysis.get("language"):
        lines.append(f"language: {_yaml(str(analysis['language']))}")
    if analysis.get("doc_type"):
        lines.append(f"type: {_yaml(str(analysis['doc_type']))}")
    if analysis.get("keywords"):
        lines.append("keywords: [" + ", ".join(_yaml(str(k)) for k in analysis["keywords"]) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def write_markdown(
    path: str | os.PathLike[str],
    header: Mapping[str, Any],
    pages: PageSource,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write document.md page by page, atomically.

    Each page starts with an invisible ``<!-- page N -->`` comment so text can be
    traced back to its page. Image links are relative to the job folder, where
    document.md lives beside ``images/``.

    Args:
        path: the Markdown file to write.
        header: the result header (see :func:`front_matter`).
        pages: PAGE mappings, as an iterable or a zero-argument callable returning one.
        cancel: checked before each page; on cancellation the old file is kept.
        progress: told ``("report", pages written, document pages)`` after each page.

    Returns:
        The number of pages written.
    """
    total = int((header.get("document") or {}).get("pages") or 0)
    with atomic_text(path) as out:
        out.write(front_matter(header))
        return _write_pages(out, pages, total, cancel, progress)


def markdown_body_pages(
    path: str | os.PathLike[str], pages: Iterable[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    """Yield ``pages`` unchanged while writing document.md without its front matter.

    So one reading of the pages serves another consumer (the analysis) and the
    Markdown, which :func:`join_markdown` completes once the front matter (which
    shows the analysis) is known. The file is written atomically when the last page
    has been consumed; a consumer that stops early leaves no file.
    """
    state = ReadingState()
    with atomic_text(path) as out:
        for page in pages:
            out.write(_section(page, state))
            yield page


def join_markdown(
    path: str | os.PathLike[str], header: Mapping[str, Any], body: str | os.PathLike[str]
) -> None:
    """Write document.md from ``header``'s front matter and a :func:`markdown_body_pages` file.

    The bytes are those :func:`write_markdown` writes for the same header and pages.
    """
    with atomic_binary(path) as out, open(body, "rb") as pages:
        out.write(front_matter(header).encode("utf-8"))
        shutil.copyfileobj(pages, out)


def _write_pages(
    out: IO[str],
    pages: PageSource,
    total: int,
    cancel: CancelToken | None,
    progress: ProgressCallback | None,
) -> int:
    count = 0
    state = ReadingState()
    for page in iter_pages(pages):
        if cancel is not None:
            cancel.check()
        out.write(_section(page, state))
        count += 1
        if progress is not None:
            progress(StepProgress("report", count, max(total, count), "Writing document.md"))
    return count


def _section(page: Mapping[str, Any], state: ReadingState) -> str:
    """One page of document.md: its marker comment, then its Markdown."""
    body = page_markdown(page, state)
    return f"<!-- page {int(page.get('number') or 0)} -->\n\n{body}\n"
