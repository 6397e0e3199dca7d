"""Which OCR engine: accuracy and speed on generated and real scans.

Engines:

* ``tesseract``: the ``tesseract`` program (TSV output, word confidences, OSD);
* ``mupdf``: MuPDF's built-in Tesseract (``Page.get_textpage_ocr``);
* ``rapidocr``: rapidocr-onnxruntime (PP-OCR models shipped in its wheel), when it can
  be imported (it is not a project dependency: ``pip install --target DIR
  rapidocr-onnxruntime opencv-python-headless shapely pyclipper`` and put DIR on
  PYTHONPATH). Rendered at 150 dpi, its best resolution (RECIPES.md §8).

Pages: French and English pages typeset from known text and rendered to image-only
PDFs (``tests/resources/make_scans.py``: clean; skewed 1.5° with blur and speckle;
upside down; sideways) and the corpus scans (the LinnSequencer brochure has a reference
text; Huckleberry Finn and the service bulletin have none, so only confidence and
time are reported).

Accuracy is 1 - CER (and 1 - WER) after whitespace normalisation, by rapidfuzz's
Levenshtein distance. Time is CPU seconds per page read alone (this process plus
child processes such as ``tesseract``), which other load on the machine does not
inflate. Throughput is the wall pages/s of a 2-process pool over a PDF, two ways:
one page per task (``single``), and chunks of up to ``BATCH_PAGES`` pages per task as
the job runner plans them (``chunked``: one engine start per chunk, at least two
chunks per worker), with the CPU seconds per page of each run. Two PDFs: the four
generated upright pages (FR/EN, clean/noisy) four times over (16 pages, a typical
scanned letter or invoice run), and the eight upright pages (generated and corpus,
whose dense brochure and bulletin pages cost 3-5 CPU-s each). Not for rapidocr.

Usage::

    .venv/bin/python benchmarks/ocr_engines.py [--engines tesseract,mupdf,rapidocr]
        [--dpis 300,200] [--json benchmarks/results/ocr_engines.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pymupdf
from rapidfuzz.distance import Levenshtein

from dataflow_desktop.pipeline.ocr import BATCH_PAGES, ocr_pages
from dataflow_desktop.pipeline.options import PipelineOptions

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DATAFLOW_CORPUS", ROOT.parent / "shared" / "corpus"))


def _load_make_scans() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_scans", ROOT / "tests" / "resources" / "make_scans.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_scans"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Case:
    """One page to recognise; ``truth`` is None when there is no reference text."""

    name: str
    pdf: str
    page: int
    truth: str | None
    upright: bool


@dataclass
class Row:
    """One measurement."""

    engine: str
    dpi: int
    case: str
    char_accuracy: float | None
    word_accuracy: float | None
    confidence: float | None
    rotation_corrected: int | None
    cpu_s: float
    wall_s: float


def _norm(text: str) -> str:
    return " ".join(text.split())


def char_accuracy(truth: str, text: str) -> float:
    """1 - CER after whitespace normalisation (may be negative for garbage)."""
    ref = _norm(truth)
    return 1.0 - Levenshtein.distance(ref, _norm(text)) / max(1, len(ref))


def word_accuracy(truth: str, text: str) -> float:
    """1 - WER after whitespace normalisation."""
    ref = truth.split()
    return 1.0 - Levenshtein.distance(ref, text.split()) / max(1, len(ref))


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def make_cases(folder: Path) -> list[Case]:
    """Generate the synthetic scans into ``folder`` and list them with the corpus scans."""
    scans = _load_make_scans()
    variants: dict[str, dict[str, Any]] = {
        "clean": {},
        "noisy": {"skew": 1.5, "noise": 0.01, "seed": 7},
        "upside-down": {"turn": 180},
        "sideways": {"turn": 90},
    }
    cases = []
    for lang, text in scans.SAMPLES.items():
        for variant, kwargs in variants.items():
            pdf = folder / f"{lang}-{variant}.pdf"
            truth = scans.make_scan_pdf(pdf, text, **kwargs)
            upright = "turn" not in kwargs
            cases.append(Case(f"gen-{lang}-{variant}", str(pdf), 0, truth, upright))
    linn = CORPUS / "scanned-ocrmypdf-linn-brochure.pdf"
    if linn.is_file():
        truth = linn.with_suffix(".txt").read_text(encoding="utf-8")
        cases.append(Case("linn-brochure", str(linn), 0, truth, True))
        cases.append(
            Case(
                "huckfinn-p22", str(CORPUS / "scanned-ocrmypdf-huckfinn-c02-22.pdf"), 0, None, True
            )
        )
        bulletin = str(CORPUS / "scanned-pdfminer-175-service-bulletin.pdf")
        cases += [Case(f"bulletin-p{i + 1}", bulletin, i, None, True) for i in range(2)]
    return cases


def _pipeline_run(case: Case, engine: str, dpi: int) -> tuple[str, float | None, int | None]:
    options = PipelineOptions(ocr_engine=engine, ocr_dpi=dpi)  # type: ignore[arg-type]
    [page] = ocr_pages(case.pdf, [case.page], options=options, out_dir=tempfile.gettempdir())
    info = page["ocr"]
    return page["text"], info["confidence"], info["rotation_corrected"]


_RAPID: Any = None


def _rapid_run(case: Case, engine: str, dpi: int) -> tuple[str, float | None, int | None]:
    global _RAPID  # one model load per process, as an app would do  # noqa: PLW0603
    if _RAPID is None:
        from rapidocr_onnxruntime import RapidOCR

        _RAPID = RapidOCR()
    with pymupdf.open(case.pdf) as doc:
        png = doc[case.page].get_pixmap(dpi=150).tobytes("png")
    result, _ = _RAPID(png)
    lines = result or []
    text = "\n".join(line[1] for line in lines)
    scores = [float(line[2]) for line in lines]
    return text, (sum(scores) / len(scores) if scores else None), None


def measure(case: Case, engine: str, dpi: int) -> Row:
    """Recognise one case with one engine and score it."""
    run: Callable[[Case, str, int], tuple[str, float | None, int | None]] = (
        _rapid_run if engine == "rapidocr" else _pipeline_run
    )
    cpu, wall = _cpu(), time.perf_counter()
    text, confidence, turned = run(case, engine, dpi)
    cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    return Row(
        engine,
        150 if engine == "rapidocr" else dpi,
        case.name,
        None if case.truth is None else round(char_accuracy(case.truth, text), 4),
        None if case.truth is None else round(word_accuracy(case.truth, text), 4),
        None if confidence is None else round(confidence, 3),
        turned,
        round(cpu, 2),
        round(wall, 2),
    )


def _pool_job(args: tuple[str, list[int], str, int]) -> float:
    """OCR some pages of a PDF in a pool worker; returns the CPU seconds it took."""
    pdf, pages, engine, dpi = args
    options = PipelineOptions(ocr_engine=engine, ocr_dpi=dpi)  # type: ignore[arg-type]
    cpu = _cpu()
    ocr_pages(pdf, pages, options=options, out_dir=tempfile.gettempdir())
    return _cpu() - cpu


def _one_pdf(cases: list[Case], path: Path) -> str:
    """The cases' pages in one PDF, as a scanned document reaches the job runner."""
    with pymupdf.open() as doc:
        for case in cases:
            with pymupdf.open(case.pdf) as source:
                doc.insert_pdf(source, from_page=case.page, to_page=case.page)
        doc.save(path)
    return str(path)


def throughput(
    cases: list[Case], engine: str, dpi: int, folder: Path, workers: int = 2
) -> dict[str, float]:
    """Wall pages/s of a ``workers``-process spawn pool over ``cases`` (pool warmed up).

    ``single``: a page per task; ``chunked``: chunks as ``StepRunner.ocr`` plans them
    (up to ``BATCH_PAGES``, at least two per worker), and the CPU s/page of each.
    """
    pdf = _one_pdf(cases, folder / f"throughput-{engine}-{dpi}-{len(cases)}.pdf")
    count = len(cases)
    size = max(1, min(BATCH_PAGES, -(-count // (2 * workers))))
    plans = {
        "single": [[i] for i in range(count)],
        "chunked": [list(range(a, min(a + size, count))) for a in range(0, count, size)],
    }
    context = multiprocessing.get_context("spawn")
    speeds: dict[str, float] = {}
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        list(pool.map(_pool_job, [(pdf, [0], engine, dpi)] * workers))  # imports, model load
        for name, plan in plans.items():
            start = time.perf_counter()
            cpu = sum(pool.map(_pool_job, [(pdf, pages, engine, dpi) for pages in plan]))
            speeds[f"pages_per_s_{name}"] = round(count / (time.perf_counter() - start), 2)
            speeds[f"cpu_s_per_page_{name}"] = round(cpu / count, 2)
    return speeds


def _available(engine: str) -> bool:
    if engine == "rapidocr":
        return importlib.util.find_spec("rapidocr_onnxruntime") is not None
    return True


def _table(rows: list[Row]) -> str:
    head = "| engine | dpi | page | char acc | word acc | confidence | turn | CPU s |\n"
    head += "|---|---|---|---|---|---|---|---|\n"
    fmt = lambda v: "–" if v is None else str(v)  # noqa: E731
    return head + "\n".join(
        f"| {r.engine} | {r.dpi} | {r.case} | {fmt(r.char_accuracy)} | {fmt(r.word_accuracy)} "
        f"| {fmt(r.confidence)} | {fmt(r.rotation_corrected)} | {r.cpu_s} |"
        for r in rows
    )


def main() -> int:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="tesseract,mupdf,rapidocr")
    parser.add_argument("--dpis", default="300,200")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if _available(e)]
    dpis = [int(d) for d in args.dpis.split(",")]
    rows: list[Row] = []
    speeds: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = make_cases(Path(tmp))
        for engine in engines:
            for dpi in dpis if engine != "rapidocr" else dpis[:1]:
                chosen = cases if engine != "rapidocr" else [c for c in cases if c.upright]
                rows += [measure(case, engine, dpi) for case in chosen]
                if not args.no_throughput and engine != "rapidocr":
                    upright = [c for c in cases if c.upright]
                    generated = [c for c in upright if c.name.startswith("gen-")] * 4
                    speeds[f"{engine}@{dpi}"] = {
                        **{f"generated_{k}": v for k, v in
                           throughput(generated, engine, dpi, Path(tmp)).items()},
                        **{f"upright_{k}": v for k, v in
                           throughput(upright, engine, dpi, Path(tmp)).items()},
                    }  # fmt: skip
    print(_table(rows))
    summary = []
    for engine in engines:
        for dpi in sorted({r.dpi for r in rows if r.engine == engine}, reverse=True):
            mine = [r for r in rows if r.engine == engine and r.dpi == dpi]
            gen = [
                r.char_accuracy
                for r in mine
                if r.case.startswith("gen-") and r.char_accuracy is not None
            ]
            upright = [r.cpu_s for r in mine if "upside" not in r.case and "sideways" not in r.case]
            turned = [r.cpu_s for r in mine if "upside" in r.case or "sideways" in r.case]
            linn = next((r.char_accuracy for r in mine if r.case == "linn-brochure"), None)
            summary.append(
                {
                    "engine": engine,
                    "dpi": dpi,
                    "generated_char_acc_min": min(gen) if gen else None,
                    "generated_char_acc_mean": round(sum(gen) / len(gen), 4) if gen else None,
                    "linn_char_acc": linn,
                    "cpu_s_per_upright_page": round(sum(upright) / len(upright), 2)
                    if upright
                    else None,
                    "cpu_s_per_turned_page": round(sum(turned) / len(turned), 2)
                    if turned
                    else None,
                    "pool2": speeds.get(f"{engine}@{dpi}", {}),
                }
            )
    print(
        "\n| engine | dpi | generated char acc (min / mean) | linn char acc "
        "| CPU s/page upright | CPU s/page turned | 2-process pages/s single / chunked: "
        "generated x16 | upright x8 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for s in summary:
        pool2 = s["pool2"]
        generated, upright = (
            " / ".join(str(pool2.get(f"{set_}_pages_per_s_{way}")) for way in ("single", "chunked"))
            for set_ in ("generated", "upright")
        )
        print(
            f"| {s['engine']} | {s['dpi']} "
            f"| {s['generated_char_acc_min']} / {s['generated_char_acc_mean']} "
            f"| {s['linn_char_acc']} | {s['cpu_s_per_upright_page']} "
            f"| {s['cpu_s_per_turned_page']} | {generated} | {upright} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rows": [asdict(r) for r in rows], "summary": summary}
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
