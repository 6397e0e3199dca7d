"""The "limit": raw PyMuPDF work on all cores, with the pipeline's own image encoding.

Per page: ``get_text("dict")`` (no image bytes) written as JSON, and a render at the
pipeline's dpi encoded exactly as the pipeline encodes it (format, compression),
plus the thumbnail. Pages are handed out in chunks to a spawn process pool.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pymupdf
from PIL import Image

from dataflow_desktop.pipeline.options import PipelineOptions

_FLAGS = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES


def _work(pdf: str, pages: list[int], out: str, options: PipelineOptions) -> int:
    doc = pymupdf.open(pdf)
    outdir = Path(out)
    for pno in pages:
        page = doc[pno]
        data = page.get_text("dict", flags=_FLAGS)
        (outdir / f"{pno:05d}.json").write_text(json.dumps(data, default=str))
        pix = page.get_pixmap(dpi=options.dpi)
        img = Image.frombuffer("RGB", (pix.width, pix.height), pix.samples, "raw", "RGB", 0, 1)
        if options.image_format == "png":
            img.save(outdir / f"{pno:05d}.png", "PNG", compress_level=options.png_compress_level)
        else:
            img.save(outdir / f"{pno:05d}.{options.image_format}", quality=options.jpeg_quality)
        img.thumbnail((options.thumb_px, options.thumb_px))
        img.save(outdir / f"t{pno:05d}.png", "PNG", compress_level=options.png_compress_level)
    return len(pages)


def run_limit(
    pdf: Path, out: Path, *, workers: int, options: PipelineOptions, chunk: int = 8
) -> float:
    """Process every page of ``pdf``; returns wall seconds (pool start-up excluded)."""
    out.mkdir(parents=True, exist_ok=True)
    count = pymupdf.open(pdf).page_count
    chunks = [list(range(i, min(i + chunk, count))) for i in range(0, count, chunk)]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        list(pool.map(abs, range(workers)))  # warm the workers up before timing
        start = time.perf_counter()
        futures = [pool.submit(_work, str(pdf), c, str(out), options) for c in chunks]
        done = sum(f.result() for f in futures)
        elapsed = time.perf_counter() - start
    assert done == count
    return elapsed
