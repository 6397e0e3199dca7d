"""A realistic synthetic result document (header + PAGE dicts) for the writer tests.

Built by hand rather than from a PDF so the writers are tested without PyMuPDF and
every feature (headings, hyphenation, nested lists, tables, images, links, running
headers, page numbers) is present on purpose.
"""

from __future__ import annotations

import hashlib
from typing import Any

from dataflow_desktop.pipeline.options import PipelineOptions

PAGE_W = 595.28
PAGE_H = 841.89


def span(
    text: str,
    x0: float,
    y0: float,
    *,
    size: float = 11.0,
    bold: bool = False,
    italic: bool = False,
    font: str = "Times-Roman",
) -> dict[str, Any]:
    """A span whose width is estimated from its length (half an em per character)."""
    x1 = x0 + len(text) * size * 0.5
    return {
        "text": text,
        "bbox": [x0, y0, x1, y0 + size * 1.2],
        "font": font,
        "size": size,
        "bold": bold,
        "italic": italic,
        "color": "#000000",
    }


def line(*spans: dict[str, Any]) -> dict[str, Any]:
    """A horizontal line holding ``spans``."""
    return {
        "bbox": [
            min(s["bbox"][0] for s in spans),
            min(s["bbox"][1] for s in spans),
            max(s["bbox"][2] for s in spans),
            max(s["bbox"][3] for s in spans),
        ],
        "dir": [1.0, 0.0],
        "spans": list(spans),
    }


def block(
    page: int, index: int, role: str, lines: list[dict[str, Any]], column: int = 0
) -> dict[str, Any]:
    """A text block around ``lines``."""
    return {
        "id": f"p{page}-b{index}",
        "kind": "text",
        "bbox": [
            min(ln["bbox"][0] for ln in lines),
            min(ln["bbox"][1] for ln in lines),
            max(ln["bbox"][2] for ln in lines),
            max(ln["bbox"][3] for ln in lines),
        ],
        "column": column,
        "role": role,
        "lines": lines,
    }


def simple_block(
    page: int,
    index: int,
    role: str,
    texts: list[str],
    at: tuple[float, float],
    *,
    size: float = 11.0,
    bold: bool = False,
) -> dict[str, Any]:
    """A block of one-span lines, 1.2 em apart, starting at ``at`` (x0, y0)."""
    x0, y0 = at
    lines = [
        line(span(t, x0, y0 + i * size * 1.2, size=size, bold=bold)) for i, t in enumerate(texts)
    ]
    return block(page, index, role, lines)


def make_page(number: int) -> dict[str, Any]:
    """One page with every feature the writers handle."""
    n = number
    blocks = [
        simple_block(n, 0, "header", ["ACME Corp — Annual report 2024"], (72, 30), size=9),
        simple_block(n, 1, "heading", [f"{n}. Introduction"], (72, 80), size=18, bold=True),
        simple_block(
            n,
            2,
            "paragraph",
            ["This is an exam-", "ple of text that wraps", "over lines."],
            (72, 120),
        ),
        block(
            n,
            3,
            "paragraph",
            [
                line(
                    span("Some ", 72, 170),
                    span("bold", 99.5, 170, bold=True),
                    span(" words and a ", 121.5, 170),
                    span("link", 193, 170),
                    span(".", 215, 170),
                )
            ],
        ),
        simple_block(n, 4, "list_item", ["• First point"], (80, 200)),
        simple_block(n, 5, "list_item", ["◦ Nested point"], (100, 215)),
        simple_block(n, 6, "list_item", ["• Second point"], (80, 230)),
        simple_block(n, 7, "heading", ["Results"], (72, 260), size=13, bold=True),
        # Two blocks inside the table: the table's own text, not to be repeated.
        simple_block(n, 8, "paragraph", ["Region Revenue"], (80, 290)),
        simple_block(n, 9, "paragraph", ["North 1|200"], (80, 305)),
        simple_block(n, 10, "paragraph", ["Tricky <script>alert(1)</script> & co"], (72, 360)),
        simple_block(n, 11, "caption", ["Figure 1: the chart"], (72, 560), size=9),
        simple_block(n, 12, "footer", ["Confidential"], (72, 800), size=8),
        simple_block(n, 13, "paragraph", [str(n)], (290, 815), size=9),
    ]
    text = "\n\n".join(
        "\n".join("".join(s["text"] for s in ln["spans"]) for ln in b["lines"]) for b in blocks
    )
    return {
        "number": n,
        "width": PAGE_W,
        "height": PAGE_H,
        "rotation": 0,
        "text_source": "native",
        "text": text,
        "blocks": blocks,
        "tables": [
            {
                "id": f"p{n}-t1",
                "bbox": [76.0, 285.0, 400.0, 330.0],
                "rows": 2,
                "cols": 2,
                "header": ["Region", "Revenue"],
                "cells": [["Region", "Revenue"], ["North", "1|200"]],
                "csv": f"tables/p{n:04d}-t1.csv",
            }
        ],
        "images": [
            {
                "id": f"p{n}-i1",
                "bbox": [72.0, 400.0, 372.0, 550.0],
                "width": 800,
                "height": 400,
                "xref": 12,
                "file": f"images/p{n:04d}-1.png",
                "skipped": None,
            }
        ],
        "links": [
            {"bbox": [190.0, 168.0, 216.0, 184.0], "uri": "https://example.org/report?a=1&b=2"},
            {"bbox": [72.0, 360.0, 120.0, 375.0], "uri": "javascript:alert(1)"},
            {"bbox": [72.0, 80.0, 200.0, 100.0], "page": 1},
        ],
        "raster": {
            "file": f"pages/{n:04d}.png",
            "thumb": f"thumbs/{n:04d}.png",
            "dpi": 150,
            "width": 1240,
            "height": 1754,
            "downscaled": False,
        },
    }


def make_header(pages: int = 2, *, analysis: dict[str, Any] | None = None) -> dict[str, Any]:
    """A result header for a document of ``pages`` pages."""
    return {
        "schema": 1,
        "source": {
            "name": "rapport annuel.pdf",
            "sha256": hashlib.sha256(b"synthetic").hexdigest(),
            "bytes": 183204,
        },
        "options": PipelineOptions().to_dict(),
        "document": {
            "pages": pages,
            "pdf_version": "1.7",
            "encrypted": False,
            "repaired": True,
            "metadata": {
                "title": "Annual report: <2024>",
                "author": 'Zoë "Q" Durand',
                "subject": "",
                "keywords": "",
                "creator": "Writer",
                "producer": "LibreOffice 7.6",
                "creation_date": "2024-01-01T10:00:00+00:00",
                "modification_date": None,
            },
            "toc": [
                {"level": 1, "title": "Introduction", "page": 1},
                {"level": 2, "title": "Results", "page": 2},
            ],
            "form_fields": [{"name": "nom", "type": "text", "value": "Dupont", "page": 1}],
            "embedded_files": [
                {"name": "factur-x.xml", "size": 1200, "description": "invoice data"}
            ],
            "text_layer": [True] * pages,
        },
        "warnings": [{"code": "repaired", "message": "The file was repaired.", "page": None}],
        "analysis": analysis,
    }
