"""Build a job's result folder with PyMuPDF directly (independent of pipeline/ and jobs/).

Used to test the viewer on a known document: one box per text block, tables, page
images and a document.md with page markers, laid out like a real job's folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pymupdf

from dataflow_desktop.pipeline.result import write_result_json
from dataflow_desktop.storage.keys import new_job_id

DPI = 100


def make_pdf(path: Path) -> Path:
    """A two-page PDF: headings, paragraphs and a ruled 3×3 table on page 1."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), "Facture n° 2024-001", fontsize=18)
    page.insert_textbox(
        pymupdf.Rect(72, 110, 520, 170),
        "Société Exemple, 12 rue des Fleurs, 75001 Paris. Montant à régler avant le 30 juin.",
        fontsize=11,
    )
    x0, y0, w, h = 72, 220, 150, 24
    for row in range(4):
        page.draw_line((x0, y0 + row * h), (x0 + 3 * w, y0 + row * h))
    for col in range(4):
        page.draw_line((x0 + col * w, y0), (x0 + col * w, y0 + 3 * h))
    cells = [["Article", "Quantité", "Prix"], ["Stylo", "3", "4,50"], ["Cahier", "2", "7,00"]]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            page.insert_text((x0 + c * w + 6, y0 + r * h + 16), value, fontsize=10)
    page.insert_text((72, 400), "Merci de votre confiance.", fontsize=11)
    page2 = doc.new_page()
    page2.insert_text((72, 80), "Conditions générales", fontsize=16)
    page2.insert_text((72, 120), "Paiement à 30 jours.", fontsize=11)
    doc.save(path)
    doc.close()
    return path


def _blocks(page: pymupdf.Page, number: int) -> list[dict[str, Any]]:
    data = page.get_text("dict", flags=pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES)
    blocks = []
    for i, block in enumerate(b for b in data["blocks"] if b["type"] == 0):
        lines = [
            {
                "bbox": list(line["bbox"]),
                "dir": list(line["dir"]),
                "spans": [
                    {
                        "text": s["text"],
                        "bbox": list(s["bbox"]),
                        "font": s["font"],
                        "size": s["size"],
                        "bold": False,
                        "italic": False,
                        "color": "#000000",
                    }
                    for s in line["spans"]
                ],
            }
            for line in block["lines"]
        ]
        blocks.append({"id": f"p{number}-b{i}", "kind": "text", "bbox": list(block["bbox"]),
                       "column": 0, "role": "paragraph", "lines": lines})  # fmt: skip
    return blocks


def build_job_folder(pdf: Path, storage_root: Path, env: str = "dev") -> tuple[str, Path]:
    """Write ``<storage_root>/<env>/jobs/<id>/`` for ``pdf``; returns ``(job_id, folder)``."""
    job_id = new_job_id()
    folder = storage_root / env / "jobs" / job_id
    (folder / "pages").mkdir(parents=True)
    (folder / "thumbs").mkdir()
    (folder / "tables").mkdir()
    data = pdf.read_bytes()
    doc = pymupdf.open(pdf)
    pages: list[dict[str, Any]] = []
    markdown = ["---\ntitle: test\n---\n\n"]
    for index, page in enumerate(doc):
        number = index + 1
        pix = page.get_pixmap(dpi=DPI)
        pix.save(folder / "pages" / f"{number:04d}.png")
        thumb = page.get_pixmap(matrix=pymupdf.Matrix(0.25, 0.25))
        thumb.save(folder / "thumbs" / f"{number:04d}.png")
        tables = []
        for t, found in enumerate(page.find_tables().tables, start=1):
            cells = [[c or "" for c in row] for row in found.extract()]
            csv_name = f"tables/p{number:04d}-t{t}.csv"
            (folder / csv_name).write_text("\n".join(",".join(r) for r in cells), encoding="utf-8")
            tables.append({"id": f"p{number}-t{t}", "bbox": list(found.bbox), "rows": len(cells),
                           "cols": len(cells[0]) if cells else 0, "header": cells[0],
                           "cells": cells, "csv": csv_name})  # fmt: skip
        text = page.get_text("text")
        pages.append({
            "number": number, "width": page.rect.width, "height": page.rect.height,
            "rotation": 0, "text_source": "native", "text": text,
            "blocks": _blocks(page, number), "tables": tables, "images": [], "links": [],
            "raster": {"file": f"pages/{number:04d}.png", "thumb": f"thumbs/{number:04d}.png",
                       "dpi": DPI, "width": pix.width, "height": pix.height,
                       "downscaled": False},
        })  # fmt: skip
        markdown.append(f"<!-- page {number} -->\n\n# Page {number}\n\n{text}\n")
    header = {
        "schema": 1,
        "source": {"name": pdf.name, "sha256": hashlib.sha256(data).hexdigest(),
                   "bytes": len(data)},
        "options": {"dpi": DPI},
        "document": {
            "pages": doc.page_count, "pdf_version": "1.7", "encrypted": False,
            "repaired": False,
            "metadata": {"title": "Facture", "author": "Test", "subject": "", "keywords": "",
                         "creator": "", "producer": "PyMuPDF", "creation_date": None,
                         "modification_date": None},
            "toc": [], "form_fields": [{"name": "nom", "type": "text", "value": "Dupont",
                                        "page": 1}],
            "embedded_files": [], "text_layer": [True] * doc.page_count,
        },
        "warnings": [{"code": "repaired", "message": "The file was repaired.", "page": None}],
        "analysis": None,
    }  # fmt: skip
    doc.close()
    write_result_json(folder / "result.json", header, pages)
    (folder / "document.md").write_text("".join(markdown), encoding="utf-8")
    (folder / "report.html").write_text("<html><body>report</body></html>", encoding="utf-8")
    (folder / "source.pdf").write_bytes(data)
    return job_id, folder
