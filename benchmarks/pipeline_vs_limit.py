"""The whole pipeline (OCR off) against the raw-PyMuPDF limit, on all cores, same run.

For each document (the corpus's 285-page book and a generated 1,000-page PDF):

* limit: ``get_text("dict")`` + render at the pipeline's dpi + the pipeline's own image
  encoding, pages handed out to a warm spawn pool of one process per core;
* pipeline: a real job through :class:`JobService` (init, extraction, raster, report with
  result.json, document.md, report.html and bundle.zip, files committed to storage), pool
  warmed up by a first small job, timed from submit to success.

The 1,000-page job also runs alone in a child process so that its peak RSS (the app
process, and the largest worker) is measured without the limit's numbers mixed in.

Usage: ``python benchmarks/pipeline_vs_limit.py [--workers N] [--repeat N] [--json OUT]``

With ``--repeat N`` each side runs N times, alternating, and its fastest run counts; the
ratio of each pair of runs is printed too, to show the machine's own noise, with their
median: a pair runs back to back, so a slow spell of the machine hits both of its sides,
and the median is not moved by one lucky run of either side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _baseline import run_limit
from _docs import BOOK, make_thousand_pages

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import JobService
from dataflow_desktop.pipeline.options import PipelineOptions

SAMPLE = Path(__file__).resolve().parents[1] / "dataflow_desktop/resources/samples"
OPTIONS = PipelineOptions(ocr="never")


def run_pipeline(pdf: Path, home: Path, workers: int) -> tuple[float, int]:
    """Seconds from submit to success for one job, and its page count."""
    settings = Settings(home=home, workers=workers, concurrent_jobs=1, ocr="never")
    with JobService(settings) as service:
        warm = service.submit([SAMPLE / "facture-exemple.pdf"], options=OPTIONS, force=True)
        service.wait([s.job_id for s in warm if s.job_id])
        start = time.perf_counter()
        subs = service.submit([pdf], options=OPTIONS, force=True)
        job_id = subs[0].job_id
        assert job_id is not None, subs
        service.wait([job_id])
        elapsed = time.perf_counter() - start
        job = service.get(job_id)
        assert job.status == "success", (job.status, job.error_code, job.error_message)
        return elapsed, int(job.pages or 0)


def _memory_child(pdf: str, home: str, workers: int) -> None:
    run_pipeline(Path(pdf), Path(home), workers)
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"app_peak_mb": round(self_mb), "worker_peak_mb": round(child_mb)}))


def measure_memory(pdf: Path, workers: int) -> dict[str, int]:
    """Peak RSS of the app process and of the largest worker, in a fresh process."""
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(pdf), home, str(workers)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    data: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    data["bound_mb"] = data["app_peak_mb"] + workers * data["worker_peak_mb"]
    return data


def main() -> None:
    """Run every measurement and print a table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each")
    parser.add_argument("--memory-child", nargs=3, metavar=("PDF", "HOME", "WORKERS"))
    args = parser.parse_args()
    if args.memory_child:
        pdf, home, workers = args.memory_child
        _memory_child(pdf, home, int(workers))
        return
    docs = [BOOK, make_thousand_pages()]
    rows = []
    for pdf in docs:
        limits, pipes = [], []
        for _ in range(args.repeat):  # alternated, so a burst of other load hits both
            with tempfile.TemporaryDirectory() as tmp:
                limits.append(
                    run_limit(pdf, Path(tmp) / "limit", workers=args.workers, options=OPTIONS)
                )
                seconds, pages = run_pipeline(pdf, Path(tmp) / "home", args.workers)
                pipes.append(seconds)
        limit_s, pipe_s = min(limits), min(pipes)
        # Each run's limit over the pipeline run right after it: how much the machine's
        # own noise moves the ratio.
        pairs = [a / b for a, b in zip(limits, pipes, strict=True)]
        rows.append(
            {
                "document": pdf.name,
                "pages": pages,
                "limit_pages_s": round(pages / limit_s, 1),
                "pipeline_pages_s": round(pages / pipe_s, 1),
                "ratio": round(limit_s / pipe_s, 2),
                "pair_ratios": [round(ratio, 2) for ratio in pairs],
                "median_pair_ratio": round(statistics.median(pairs), 2),
            }
        )
    memory = measure_memory(docs[1], args.workers)
    print(
        f"{'document':42} {'pages':>5} {'limit p/s':>10} {'pipeline p/s':>13} {'ratio':>6}"
        "  run by run (median)"
    )
    for r in rows:
        print(
            f"{r['document']:42} {r['pages']:>5} {r['limit_pages_s']:>10} "
            f"{r['pipeline_pages_s']:>13} {r['ratio']:>6}  {r['pair_ratios']} "
            f"({r['median_pair_ratio']})"
        )
    print(
        f"peak RSS on {docs[1].name}: app {memory['app_peak_mb']} MB, largest worker "
        f"{memory['worker_peak_mb']} MB, upper bound app + {args.workers} workers "
        f"{memory['bound_mb']} MB"
    )
    if args.json:
        args.json.write_text(json.dumps({"throughput": rows, "memory": memory}, indent=2))


if __name__ == "__main__":
    main()
