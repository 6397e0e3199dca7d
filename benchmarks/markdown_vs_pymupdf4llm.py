"""Markdown speed and output: our pipeline vs ``pymupdf4llm.to_markdown``.

Ours = ``extraction.extract_pages`` (text, links and tables; no image files, as
pymupdf4llm writes none by default) + ``markdown.page_markdown`` per page. Also timed:
text only (``extract_tables=False``), and ``page_markdown`` alone on the extracted
pages. pymupdf4llm 1.28.2 is timed in its two modes: "layout" (its default when
pymupdf-layout is installed: an ONNX layout model) and "legacy" (``use_layout(False)``,
rule-based, ``find_tables`` per page).

Each engine runs in a fresh process (pymupdf4llm's import switches PyMuPDF's layout
hook on globally), imports excluded from the timing. Prints pages per wall second and
per CPU second with our speed-up over each engine, and writes, for each PDF, every
engine's full Markdown plus ``side_by_side.html`` (sample pages, ours beside
pymupdf4llm legacy) into ``--out``.

Usage::

    python benchmarks/markdown_vs_pymupdf4llm.py --out .bench/markdown [--layout-pages 40]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_FILES = [
    CORPUS / "manypages-pymupdf-mupdf-explored.pdf",
    CORPUS / "multicolumn-pdfjs-tracemonkey.pdf",
    CORPUS / "multicolumn-sample-files-latex-2col.pdf",
]
ENGINES = ("ours", "ours-text", "p4l-legacy", "p4l-layout")


def _ours(pdf: Path, pages: list[int], *, tables: bool) -> dict[str, Any]:
    from dataflow_desktop.pipeline.extraction import extract_pages
    from dataflow_desktop.pipeline.markdown import ReadingState, page_markdown
    from dataflow_desktop.pipeline.options import PipelineOptions

    options = PipelineOptions(extract_images=False, extract_tables=tables)
    with tempfile.TemporaryDirectory() as scratch:
        start, cpu = time.perf_counter(), time.process_time()
        extracted = extract_pages(pdf, pages, options=options, out_dir=scratch)
        middle, cpu_middle = time.perf_counter(), time.process_time()
        state = ReadingState()
        chunks = [page_markdown(page, state) for page in extracted]
        end, cpu_end = time.perf_counter(), time.process_time()
    return {
        "seconds": end - start,
        "cpu": cpu_end - cpu,
        "render_seconds": end - middle,
        "render_cpu": cpu_end - cpu_middle,
        "markdown": "\n".join(chunks),
        "chunks": [chunks[n] for n in _samples(len(chunks))],
    }


def _pymupdf4llm(pdf: Path, pages: list[int], *, layout: bool) -> dict[str, Any]:
    import pymupdf4llm  # type: ignore[import-untyped]

    pymupdf4llm.use_layout(layout)
    start, cpu = time.perf_counter(), time.process_time()
    text = pymupdf4llm.to_markdown(str(pdf), pages=pages)  # the call people make
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # Per-page chunks of the sample pages for the side-by-side file (not timed).
    sample = [n for n in _samples(len(pages)) if n in pages]
    chunks = pymupdf4llm.to_markdown(str(pdf), pages=sample, page_chunks=True)
    return {"seconds": seconds, "cpu": cpu, "markdown": text, "chunks": [c["text"] for c in chunks]}


def _samples(count: int) -> list[int]:
    """Page indexes shown side by side: the first two, then spread over the document."""
    return sorted({n for n in (0, 1, count // 4, count // 2, (3 * count) // 4) if n < count})


def _worker(engine: str, pdf: Path, pages: list[int], out: Path) -> None:
    if engine.startswith("ours"):
        result = _ours(pdf, pages, tables=engine == "ours")
    else:
        result = _pymupdf4llm(pdf, pages, layout=engine == "p4l-layout")
    # A file, not stdout: pymupdf4llm prints to stdout in layout mode.
    out.write_text(json.dumps(result, ensure_ascii=False), "utf-8")


def _run(engine: str, pdf: Path, pages: list[int]) -> dict[str, Any]:
    handle, name = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    result_file = Path(name)
    command = [sys.executable, __file__, "--worker", engine, str(pdf), "--pages", json.dumps(pages)]
    command += ["--out", str(result_file)]
    # The worker imports dataflow_desktop from this checkout, installed or not.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    try:
        if done.returncode:
            raise SystemExit(f"{engine} failed on {pdf.name}:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(result_file.read_text("utf-8"))
    finally:
        result_file.unlink()
    return result


def _page_count(pdf: Path) -> int:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return int(doc.page_count)


def _side_by_side(
    path: Path, title: str, left: list[str], right: list[str], pages: list[int]
) -> None:
    rows = "".join(
        f"<tr><th colspan=2>Page {n + 1}</th></tr><tr><td><pre>{html.escape(a)}</pre></td>"
        f"<td><pre>{html.escape(b)}</pre></td></tr>"
        for n, a, b in zip(pages, left, right, strict=False)
    )
    path.write_text(
        f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
        "<style>body{font:13px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse;"
        "table-layout:fixed;width:100%}td,th{border:1px solid #ccc;vertical-align:top;padding:6px}"
        "pre{white-space:pre-wrap;margin:0;font:12px ui-monospace,monospace}</style>"
        f"<h1>{html.escape(title)}</h1><table><tr><th>DataFlow (extract_pages + page_markdown)"
        f"</th><th>pymupdf4llm (legacy mode)</th></tr>{rows}</table>",
        "utf-8",
    )


def main() -> None:
    """Run every engine on every PDF, print the table, write the samples."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--out", type=Path, required=False, help="folder for the Markdown samples")
    parser.add_argument(
        "--layout-pages", type=int, default=40, help="page cap for p4l-layout (slow)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.pdfs[0], json.loads(args.pages), args.out)
        return
    if args.out is None:
        parser.error("--out is required")
    args.out.mkdir(parents=True, exist_ok=True)
    # CPU seconds as well as wall time: the ratio on CPU time is the fairer one on a busy
    # machine (and counts every thread of pymupdf4llm's ONNX runtime).
    heads = (("pages", 5), ("pages/s", 8), ("ratio", 6), ("p/cpu-s", 8), ("ratio", 6))
    print(f"{'file':40} {'engine':10} " + " ".join(f"{h:>{w}}" for h, w in heads))
    for pdf in args.pdfs:
        count = _page_count(pdf)
        results: dict[str, dict[str, Any]] = {}
        for engine in ENGINES:
            cap = args.layout_pages if engine == "p4l-layout" else count
            pages = list(range(min(count, cap)))
            result = results[engine] = _run(engine, pdf, pages)
            result["wall_rate"] = len(pages) / result["seconds"]
            result["cpu_rate"] = len(pages) / max(result["cpu"], 1e-9)
            (args.out / f"{pdf.stem}.{engine}.md").write_text(result["markdown"], "utf-8")
            ours = results["ours"]
            wall = f"{ours['wall_rate'] / result['wall_rate']:5.1f}x"
            cpu = f"{ours['cpu_rate'] / result['cpu_rate']:5.1f}x"
            print(
                f"{pdf.name[:40]:40} {engine:10} {len(pages):5d} {result['wall_rate']:8.1f} "
                f"{wall if engine != 'ours' else '':>6} {result['cpu_rate']:8.1f} "
                f"{cpu if engine != 'ours' else '':>6}"
            )
        md = results["ours"]
        print(
            f"{'':40} {'md only':10} {count:5d} {count / md['render_seconds']:8.1f} {'':6} "
            f"{count / max(md['render_cpu'], 1e-9):8.1f}   (page_markdown alone)"
        )
        _side_by_side(
            args.out / f"{pdf.stem}.side_by_side.html",
            pdf.name,
            results["ours"]["chunks"],
            results["p4l-legacy"]["chunks"],
            _samples(count),
        )


if __name__ == "__main__":
    main()
