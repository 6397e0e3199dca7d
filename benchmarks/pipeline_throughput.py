"""Throughput of extraction + raster against the raw PyMuPDF baseline (one process).

Baseline, per page: ``get_text("dict")`` (without image bytes) dumped to a JSON file,
then a 150 dpi RGB render written as PNG, either by MuPDF (``pix.save``) or by Pillow
at ``compress_level=1`` (the encoder the pipeline uses, so the comparison isolates the
pipeline's own overhead). Pipeline: ``extract_pages`` + ``render_pages`` over the same
pages, page dicts dumped as JSON lines. Runs are interleaved and repeated; medians
of CPU time are reported because the machine is shared (pages/s = pages per CPU
second of one process; the job pool runs one such process per core).

Usage::

    python benchmarks/pipeline_throughput.py [PDF ...] [--pages 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pymupdf
from PIL import Image

from dataflow_desktop.pipeline.extraction import extract_pages
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.pipeline.raster import render_pages

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus"
DEFAULT_PDFS = [
    CORPUS / "manypages-pymupdf-mupdf-explored.pdf",
    CORPUS / "multicolumn-pdfjs-tracemonkey.pdf",
    CORPUS / "scanned-ocr-layer-pypdf-siege-of-vicksburg.pdf",
]
_FLAGS = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES


def baseline(pdf: Path, pages: list[int], out: Path, *, pillow: bool) -> None:
    """Raw PyMuPDF: dict to JSON and a 150 dpi PNG per page."""
    doc = pymupdf.open(pdf)
    for i in pages:
        page = doc[i]
        (out / f"b{i}.json").write_text(json.dumps(page.get_text("dict", flags=_FLAGS)))
        pix = page.get_pixmap(dpi=150, alpha=False)
        if pillow:
            image = Image.frombuffer(
                "RGB", (pix.width, pix.height), pix.samples_mv, "raw", "RGB", pix.stride, 1
            )
            image.save(out / f"b{i}.png", "PNG", compress_level=1)
        else:
            pix.save(out / f"b{i}.png")
    doc.close()


def pipeline(pdf: Path, pages: list[int], out: Path) -> None:
    """The pipeline's extraction and raster steps, as a job runs them."""
    options = PipelineOptions()
    result = extract_pages(pdf, pages, options=options, out_dir=out)
    with (out / "pages.jsonl").open("w", encoding="utf-8") as stream:
        for page in result:
            stream.write(json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n")
    render_pages(pdf, pages, options=options, out_dir=out)


def timed(run: Callable[[Path], None]) -> float:
    """CPU seconds one run takes, in a fresh output folder.

    CPU time of this (single-threaded) process rather than wall time: on a shared
    machine, waiting for a core would otherwise dominate the differences measured.
    """
    with tempfile.TemporaryDirectory() as tmp:
        start = time.process_time()
        run(Path(tmp))
        return time.process_time() - start


def cpu_ms_per_page(pdf: Path, pages: list[int], repeat: int, **options: Any) -> float:
    """Best-of-``repeat`` CPU milliseconds per page of extract_pages with ``options``."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            start = time.process_time()
            extract_pages(pdf, pages, options=PipelineOptions(**options), out_dir=tmp)
            best = min(best, time.process_time() - start)
    return best / len(pages) * 1000


def costs(pdfs: list[Path], count: int, repeat: int) -> None:
    """Extraction CPU cost per page: text only, + tables, + images."""
    print("\n| file | text+layout ms/page | + tables | + images |")
    print("|---|---:|---:|---:|")
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            pages = list(range(min(count, doc.page_count)))
        base = cpu_ms_per_page(pdf, pages, repeat, extract_tables=False, extract_images=False)
        tables = cpu_ms_per_page(pdf, pages, repeat, extract_tables=True, extract_images=False)
        both = cpu_ms_per_page(pdf, pages, repeat)
        print(f"| {pdf.name} | {base:.1f} | {tables - base:+.1f} | {both - tables:+.1f} |")


def main() -> None:
    """Print pages/s of each variant and the pipeline/baseline ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        "| file | pages | baseline MuPDF PNG p/s | baseline Pillow PNG p/s | pipeline p/s "
        "| vs MuPDF PNG | vs Pillow PNG |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for pdf in args.pdfs:
        with pymupdf.open(pdf) as doc:
            pages = list(range(min(args.pages, doc.page_count)))
        runs: dict[str, list[float]] = {"mupdf": [], "pillow": [], "pipeline": []}
        variants = {
            "mupdf": partial(baseline, pdf, pages, pillow=False),
            "pillow": partial(baseline, pdf, pages, pillow=True),
            "pipeline": partial(pipeline, pdf, pages),
        }
        for _ in range(args.repeat):  # interleaved, so load changes hit all variants
            for name, run in variants.items():
                runs[name].append(timed(run))
        rate = {k: len(pages) / statistics.median(v) for k, v in runs.items()}
        print(
            f"| {pdf.name} | {len(pages)} | {rate['mupdf']:.1f} | {rate['pillow']:.1f} "
            f"| {rate['pipeline']:.1f} | {rate['pipeline'] / rate['mupdf']:.2f} "
            f"| {rate['pipeline'] / rate['pillow']:.2f} |"
        )
    costs(args.pdfs, args.pages, args.repeat)


if __name__ == "__main__":
    main()
