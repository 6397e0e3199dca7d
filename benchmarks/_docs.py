"""Benchmark documents: the corpus's 285-page book and a generated 1,000-page PDF."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"
CORPUS = Path(os.environ.get("DATAFLOW_CORPUS", ROOT.parent / "shared" / "corpus"))
BOOK = CORPUS / "manypages-pymupdf-mupdf-explored.pdf"

_WORDS = (
    "data",
    "extraction",
    "layout",
    "table",
    "invoice",
    "contract",
    "report",
    "page",
    "text",
    "column",
    "document",
    "analysis",
    "total",
    "amount",
    "date",
    "reference",
    "client",
    "supplier",
    "order",
    "delivery",
    "payment",
    "terms",
    "facture",
    "contrat",
    "rapport",
    "montant",
    "échéance",
    "règlement",
    "société",
    "adresse",
    "numéro",
    "période",
)


def _paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_thousand_pages(path: Path | None = None, pages: int = 1000) -> Path:
    """A seeded text PDF: headings, paragraphs, lists, and a ruled table every 10 pages."""
    path = path or CACHE / f"generated-{pages}p.pdf"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1000)
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((60, 70), f"Section {n + 1}: {_paragraph(rng, 4)}", fontsize=16)
        y = 100.0
        for _ in range(4):
            box = pymupdf.Rect(60, y, 535, y + 120)
            page.insert_textbox(box, _paragraph(rng, 70), fontsize=10)
            y += 130
        for i in range(3):
            page.insert_text((70, y + i * 14), f"• {_paragraph(rng, 6)}", fontsize=10)
        if n % 10 == 0:
            top = y + 60
            for r in range(5):
                for c in range(4):
                    page.insert_text((64 + c * 118, top + r * 18 + 13), f"r{r}c{c}", fontsize=9)
            for r in range(6):
                page.draw_line((60, top + r * 18), (532, top + r * 18), width=0.5)
            for c in range(5):
                page.draw_line((60 + c * 118, top), (60 + c * 118, top + 90), width=0.5)
        page.insert_text((290, 815), str(n + 1), fontsize=8)
    doc.save(path, garbage=3, deflate=True)
    return path
