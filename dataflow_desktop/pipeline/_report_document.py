"""The report's document-level sections, everything before the pages.

File facts, metadata, warnings, analysis, outline, form fields and attachments. Every
value taken from the document goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from ._jsonio import dumps

__all__ = [
    "document_sections",
    "esc",
    "grid_table",
    "human_size",
    "kv_table",
    "plural",
    "value_html",
]


def esc(value: object) -> str:
    """``str(value)`` escaped for HTML text and attribute values."""
    return escape(str(value), quote=True)


def plural(count: int, word: str) -> str:
    """``"1 table"``, ``"3 tables"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def human_size(count: object) -> str:
    """A byte count for people: ``"1200 bytes"``, ``"178.9 KB"``."""
    value = float(count) if isinstance(count, int | float) else 0.0
    if value < 1024:
        return f"{int(value)} bytes"
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


def value_html(value: object) -> str:
    """A metadata or form value as escaped HTML (booleans as Yes/No, lists joined)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(esc(v) for v in value)
    return esc(value if isinstance(value, str | int | float) else dumps(value))


def kv_table(rows: list[tuple[str, str]]) -> str:
    """A two-column key/value table; values are HTML already."""
    body = "".join(f"<tr><th scope=row>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="kv">{body}</table>\n'


def grid_table(heads: tuple[str, ...], rows: list[list[str]]) -> str:
    """A table with a header row; cells are HTML already."""
    head = "".join(f"<th scope=col>{esc(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>\n"
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>\n'


def _facts(header: Mapping[str, Any]) -> str:
    source = header.get("source") or {}
    document = header.get("document") or {}
    metadata = document.get("metadata") or {}
    layer = document.get("text_layer") or []
    facts = kv_table(
        [
            ("File", esc(source.get("name", ""))),
            ("Size", human_size(source.get("bytes", 0))),
            ("SHA-256", f"<code>{esc(source.get('sha256', ''))}</code>"),
            ("Pages", esc(document.get("pages", 0))),
            ("PDF version", esc(document.get("pdf_version", ""))),
            ("Encrypted", value_html(bool(document.get("encrypted")))),
            ("Repaired", value_html(bool(document.get("repaired")))),
            ("Pages with a text layer", f"{sum(map(bool, layer))} of {len(layer)}"),
        ]
    )
    # Empty metadata fields are noise in a report: only filled ones are listed.
    filled = [(k.replace("_", " ").capitalize(), value_html(v)) for k, v in metadata.items() if v]
    meta = kv_table(filled) if filled else '<p class="note">No metadata.</p>\n'
    return _section("document", "Document", facts + "<h3>Metadata</h3>" + meta)


def _warnings(warnings: list[Mapping[str, Any]]) -> str:
    if not warnings:
        return _section("warnings", "Warnings", '<p class="note">No warnings.</p>')
    items = []
    for warning in warnings:
        page = warning.get("page")
        where = f' <a href="#page-{esc(page)}">(page {esc(page)})</a>' if page else ""
        code, message = esc(warning.get("code", "")), esc(warning.get("message", ""))
        items.append(f"<li><code>{code}</code> {message}{where}</li>")
    return _section("warnings", "Warnings", f'<ul class="warnings">{"".join(items)}</ul>')


def _analysis(analysis: Mapping[str, Any]) -> str:
    chips = "".join(f'<span class="chip">{esc(k)}</span>' for k in analysis.get("keywords") or ())
    rows = [
        ("Language", esc(analysis.get("language", ""))),
        ("Type", esc(analysis.get("doc_type", ""))),
        ("Keywords", chips),
    ]
    body = kv_table(rows)
    if analysis.get("summary"):
        body += f"<h3>Summary</h3><p>{esc(analysis['summary'])}</p>"
    fields = analysis.get("fields") or {}
    if fields:
        cells = [[esc(k), value_html(v)] for k, v in fields.items()]
        body += "<h3>Fields</h3>" + grid_table(("Field", "Value"), cells)
    return _section("analysis", "Analysis", body)


def _outline(toc: list[Mapping[str, Any]]) -> str:
    items = []
    for entry in toc:
        level = min(max(int(entry.get("level") or 1), 1), 6)
        title, page = esc(entry.get("title", "")), int(entry.get("page") or 0)
        if page >= 1:  # -1 / 0: the entry points nowhere in this document
            title = f'<a href="#page-{page}">{title}</a> <span class="pg">{page}</span>'
        items.append(f'<li class="lvl{level}">{title}</li>')
    return _section("outline", "Outline", f'<ul class="outline">{"".join(items)}</ul>')


def document_sections(header: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """Render the sections that come before the pages.

    Args:
        header: the result header.

    Returns:
        The sections' HTML, and the ``(anchor, label)`` pairs for the navigation bar.
    """
    document = header.get("document") or {}
    parts = [_facts(header), _warnings(header.get("warnings") or [])]
    nav = [("document", "Document"), ("warnings", "Warnings")]
    analysis = header.get("analysis")
    if isinstance(analysis, Mapping) and analysis:
        parts.append(_analysis(analysis))
        nav.append(("analysis", "Analysis"))
    if toc := document.get("toc"):
        parts.append(_outline(toc))
        nav.append(("outline", "Outline"))
    if fields := document.get("form_fields"):
        cells = [
            [
                esc(f.get("name", "")),
                esc(f.get("type", "")),
                value_html(f.get("value")),
                esc(f.get("page", "")),
            ]
            for f in fields
        ]
        table = grid_table(("Name", "Type", "Value", "Page"), cells)
        parts.append(_section("form-fields", "Form fields", table))
        nav.append(("form-fields", "Form fields"))
    if files := document.get("embedded_files"):
        cells = [
            [esc(f.get("name", "")), human_size(f.get("size", 0)), esc(f.get("description", ""))]
            for f in files
        ]
        table = grid_table(("Name", "Size", "Description"), cells)
        parts.append(_section("attachments", "Attachments", table))
        nav.append(("attachments", "Attachments"))
    nav.append(("pages", "Pages"))
    return "".join(parts), nav
