"""report.html: one self-contained, printable HTML file describing a processed PDF.

No external resource of any kind: CSS is inline, thumbnails are ``data:`` URIs, and a
Content-Security-Policy forbids scripts and remote loads, because the text comes from
untrusted PDFs. Every piece of document text goes through ``html.escape``. Only
http(s)/mailto links of the document become clickable. No timestamp is written, so
equal inputs give equal reports.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..events import CancelToken, ProgressCallback, StepProgress
from ._jsonio import atomic_text
from ._reading import Item, ReadingState, iter_page_items
from ._report_document import document_sections, esc, plural
from ._report_style import CSS
from ._textruns import Run, safe_uri, unligature
from .model import PageSource, iter_pages

__all__ = ["write_report"]

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
_HEADING_TAG = {1: "h4", 2: "h5", 3: "h6"}
_MAX_THUMB_BYTES = 2 * 1024 * 1024  # a thumbnail is ~10-50 KB; anything huge is not one


def _thumb(out_dir: Path, raster: object) -> str | None:
    """The thumbnail as a data: URI, if it is a known image type inside ``out_dir``."""
    rel = raster.get("thumb") if isinstance(raster, Mapping) else None
    if not isinstance(rel, str) or not rel:
        return None
    root = out_dir.resolve()
    file = (root / rel).resolve()
    mime = _MIME.get(file.suffix.lower())
    # A result.json is data: its relative paths must not reach outside the job folder.
    if mime is None or not file.is_relative_to(root) or not file.is_file():
        return None
    if file.stat().st_size > _MAX_THUMB_BYTES:
        return None
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def _inline(runs: tuple[Run, ...]) -> str:
    parts: list[str] = []
    for run in runs:
        text = esc(run.text)
        if run.mono:
            text = f"<code>{text}</code>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.uri is not None:
            text = f'<a href="{esc(run.uri)}" rel="noopener noreferrer">{text}</a>'
        parts.append(" " + text if run.space else text)
    return "".join(parts)


def _cell(value: object) -> str:
    return esc(unligature(str(value))) if value is not None else ""


def _table(table: Mapping[str, Any]) -> str:
    rows = [[_cell(c) for c in row] for row in table.get("cells") or ()]
    header = table.get("header")
    head = [_cell(c) for c in header] if header is not None else []
    if head and rows and rows[0] == head:
        rows = rows[1:]
    thead = "<thead><tr>" + "".join(f"<th scope=col>{c}</th>" for c in head) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    note = f"Table {esc(table.get('id', ''))} · {esc(table.get('csv') or '')}"
    return (
        f'<figure class="table-wrap"><table>{thead if head else ""}<tbody>{body}</tbody></table>'
        f"<figcaption>{note}</figcaption></figure>\n"
    )


def _item(item: Item) -> str:
    if item.kind == "paragraph":
        return f"<p>{_inline(item.runs)}</p>\n"
    if item.kind == "heading":
        tag = _HEADING_TAG.get(item.level, "h6")
        return f"<{tag}>{_inline(item.runs)}</{tag}>\n"
    if item.kind == "code":
        return f"<pre><code>{esc(item.text)}</code></pre>\n"
    if item.kind == "caption":
        return f'<p class="caption">{_inline(item.runs)}</p>\n'
    if item.kind == "list_item":
        bullet = "•" if item.level == 0 else "◦"
        mark = bullet if item.marker == "-" else esc(item.marker)
        depth = min(item.level, 5)
        return f'<li class="d{depth}"><span class="mk">{mark}</span>{_inline(item.runs)}</li>\n'
    if item.kind == "table" and item.obj is not None:
        return _table(item.obj)
    if item.kind == "image" and item.obj is not None:
        image = item.obj
        size = f"{esc(image.get('width', '?'))}×{esc(image.get('height', '?'))} px"
        where = esc(image.get("file") or f"not extracted ({image.get('skipped') or 'no file'})")
        return f'<p class="note">Image {esc(image.get("id", ""))}: {size}, {where}</p>\n'
    return ""


def _links(links: list[Mapping[str, Any]]) -> str:
    rows: list[str] = []
    for link in links:
        if "page" in link:
            target = esc(link["page"])
            rows.append(f'<li><a href="#page-{target}">Go to page {target}</a></li>')
        elif (uri := safe_uri(link.get("uri"))) is not None:
            rows.append(f'<li><a href="{esc(uri)}" rel="noopener noreferrer">{esc(uri)}</a></li>')
        else:  # javascript:, file: and friends are shown, never made clickable
            rows.append(f"<li><code>{esc(link.get('uri', ''))}</code></li>")
    return f'<h4 class="small">Links</h4><ul class="links">{"".join(rows)}</ul>\n' if rows else ""


def _page(page: Mapping[str, Any], out_dir: Path, lang: str, state: ReadingState) -> str:
    number = esc(page.get("number", "?"))
    tables, images = page.get("tables") or [], page.get("images") or []
    links = page.get("links") or []
    facts = [
        f"{float(page.get('width') or 0):.0f} × {float(page.get('height') or 0):.0f} pt",
        f"rotation {esc(page.get('rotation', 0))}°",
        f"text: {esc(page.get('text_source', 'none'))}",
        plural(len(tables), "table"),
        plural(len(images), "image"),
        plural(len(links), "link"),
    ]
    thumb = _thumb(out_dir, page.get("raster"))
    figure = (
        f'<img src="{thumb}" alt="Page {number}">'
        if thumb
        else '<div class="nothumb">No preview</div>'
    )
    content: list[str] = []
    in_list = False
    for item in iter_page_items(page, state):
        if (item.kind == "list_item") != in_list:
            content.append('<ul class="items">\n' if not in_list else "</ul>\n")
            in_list = not in_list
        content.append(_item(item))
    if in_list:
        content.append("</ul>\n")
    text = "".join(content) or '<p class="note">No text on this page.</p>\n'
    lang_attr = f' lang="{esc(lang)}"' if lang else ""
    return (
        f'<article class="page" id="page-{number}"><h3>Page {number}</h3>'
        f'<p class="meta">{" · ".join(facts)}</p>\n'
        f'<div class="page-grid"><figure class="thumb">{figure}</figure>'
        f'<div class="content"{lang_attr}>\n{text}{_links(links)}</div></div></article>\n'
    )


def write_report(
    path: str | os.PathLike[str],
    header: Mapping[str, Any],
    pages: PageSource,
    out_dir: str | os.PathLike[str],
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write report.html page by page, atomically.

    Args:
        path: the HTML file to write.
        header: the result header (``source``, ``document``, ``warnings``, ``analysis``).
        pages: PAGE mappings, as an iterable or a zero-argument callable returning one.
        out_dir: the job folder that ``raster.thumb`` paths are relative to; thumbnails
            found there are embedded, missing ones shown as "No preview".
        cancel: checked before each page; on cancellation the old file is kept.
        progress: told ``("report", pages written, document pages)`` after each page.

    Returns:
        The number of pages written.
    """
    root = Path(out_dir)
    document = header.get("document") or {}
    metadata = document.get("metadata") or {}
    name = str((header.get("source") or {}).get("name") or "document.pdf")
    title = str(metadata.get("title") or "").strip() or name
    analysis = header.get("analysis") if isinstance(header.get("analysis"), Mapping) else {}
    lang = str((analysis or {}).get("language") or "")
    total = int(document.get("pages") or 0)
    sections, nav = document_sections(header)
    links = "".join(f'<li><a href="#{a}">{esc(label)}</a></li>' for a, label in nav)
    count = 0
    state = ReadingState()
    with atomic_text(path) as out:
        out.write(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            f'<meta name="generator" content="DataFlow Desktop {esc(__version__)}">\n'
            f"<title>{esc(title)} — DataFlow report</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n"
            f'<main>\n<header class="report"><h1>{esc(title)}</h1><p class="sub">{esc(name)} · '
            f"{plural(total, 'page')}</p></header>\n"
            f'<nav aria-label="Contents"><ul>{links}</ul></nav>\n{sections}'
            '<section id="pages"><h2>Pages</h2>\n'
        )
        for page in iter_pages(pages):
            if cancel is not None:
                cancel.check()
            out.write(_page(page, root, lang, state))
            count += 1
            if progress is not None:
                progress(StepProgress("report", count, max(total, count), "Writing report.html"))
        out.write(
            f"</section>\n</main>\n<footer><p>Generated by DataFlow Desktop {esc(__version__)}.</p>"
            "</footer>\n</body>\n</html>\n"
        )
    return count
