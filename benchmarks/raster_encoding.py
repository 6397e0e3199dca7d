"""Compare page-image encoders for the raster step (documents the default choice).

Renders the first N pages of a PDF at 150 dpi RGB once, then times each encoder on
the same pixmaps: MuPDF's own ``pixmap.tobytes("png")``, Pillow PNG at
``compress_level`` 1/3/6, Pillow ``optimize=True``, JPEG q85 and WebP q85 (Pillow's
default WebP method 4). Prints pages/s (encoding only, and render + encode) and
the mean bytes per page. Times are CPU times of this process (``time.process_time``),
so a busy shared machine skews them less than wall-clock times would.

Usage::

    python benchmarks/raster_encoding.py [PDF] [--pages 60] [--dpi 150]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf
from PIL import Image

DEFAULT_PDF = (
    Path(__file__).resolve().parents[2] / "shared/corpus/manypages-pymupdf-mupdf-explored.pdf"
)


def _pillow(fmt: str, **params: object) -> Callable[[pymupdf.Pixmap], bytes]:
    def encode(pix: pymupdf.Pixmap) -> bytes:
        image = Image.frombuffer(
            "RGB", (pix.width, pix.height), pix.samples_mv, "raw", "RGB", pix.stride, 1
        )
        buffer = io.BytesIO()
        image.save(buffer, fmt, **params)
        return buffer.getvalue()

    return encode


ENCODERS: dict[str, Callable[[pymupdf.Pixmap], bytes]] = {
    "mupdf tobytes('png')": lambda pix: pix.tobytes("png"),
    "pillow png level 1": _pillow("PNG", compress_level=1),
    "pillow png level 3": _pillow("PNG", compress_level=3),
    "pillow png level 6": _pillow("PNG", compress_level=6),
    "pillow png optimize": _pillow("PNG", optimize=True),
    "pillow jpeg q85": _pillow("JPEG", quality=85),
    "pillow webp q85": _pillow("WEBP", quality=85),
}


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()

    doc = pymupdf.open(args.pdf)
    count = min(args.pages, doc.page_count)
    start = time.process_time()
    pixmaps = [doc[i].get_pixmap(dpi=args.dpi, alpha=False) for i in range(count)]
    render_s = (time.process_time() - start) / count
    width, height = pixmaps[0].width, pixmaps[0].height
    print(f"{args.pdf.name}: {count} pages, {width}x{height} px RGB at {args.dpi} dpi")
    print(f"render only: {1 / render_s:.1f} pages/s ({render_s * 1000:.1f} ms/page)\n")
    print("| encoder | encode pages/s | render+encode pages/s | ms/page | KiB/page |")
    print("|---|---:|---:|---:|---:|")
    for name, encode in ENCODERS.items():
        sizes = []
        start = time.process_time()
        for pix in pixmaps:
            sizes.append(len(encode(pix)))
        encode_s = (time.process_time() - start) / count
        print(
            f"| {name} | {1 / encode_s:.1f} | {1 / (render_s + encode_s):.1f} "
            f"| {encode_s * 1000:.1f} | {statistics.mean(sizes) / 1024:.1f} |"
        )


if __name__ == "__main__":
    main()
