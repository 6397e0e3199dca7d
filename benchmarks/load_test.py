"""Load: 200 small PDFs dropped at once plus the corpus's 285-page book, through JobService.

Every job must complete. Reported: total time, and peak RSS of the app process and of
its worker processes (``ru_maxrss`` of this process and of its reaped children, so
the workers are counted once the pool is shut down). The window's event-loop stall
figure under load is measured by ``benchmarks/ui_responsiveness.py``.

    .venv/bin/python benchmarks/load_test.py [--small 200] [--json]

The small PDFs are generated (one page of text each, unique so none is a duplicate);
OCR is off so the figure is about the job machinery, not Tesseract.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dataflow_desktop.config import Settings, default_workers  # noqa: E402
from dataflow_desktop.jobs import JobService  # noqa: E402

BOOK = "manypages-pymupdf-mupdf-explored.pdf"


def _small_pdfs(folder: Path, count: int) -> list[Path]:
    import pymupdf

    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        doc = pymupdf.open()
        page = doc.new_page()
        page.insert_text((72, 72), f"Invoice {index:04d}\nTotal due: {index * 3.5:.2f} EUR")
        path = folder / f"small-{index:04d}.pdf"
        doc.save(path)
        doc.close()
        paths.append(path)
    return paths


def _corpus() -> Path:
    override = os.environ.get("DATAFLOW_CORPUS")
    return Path(override) if override else ROOT.parent / "shared" / "corpus"


def main() -> int:
    """Run the load once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200, help="how many small PDFs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    book = _corpus() / BOOK
    with tempfile.TemporaryDirectory(prefix="dataflow-load-") as tmp:
        root = Path(tmp)
        inputs = [*_small_pdfs(root / "in", args.small), book]
        settings = Settings(home=root / "home", workers=default_workers(), ocr="never")
        started = time.monotonic()
        with JobService(settings) as service:
            submitted = service.submit(inputs)
            ids = [s.job_id for s in submitted if s.job_id]
            service.wait(ids)
            statuses = [service.get(job_id).status for job_id in ids]
        seconds = time.monotonic() - started
    figures = {
        "jobs": len(ids),
        "succeeded": statuses.count("success"),
        "seconds": round(seconds, 1),
        "workers": settings.workers,
        "peak_rss_app_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_worker_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{figures['succeeded']}/{figures['jobs']} jobs succeeded in "
              f"{figures['seconds']} s on {figures['workers']} workers; peak RSS: app "
              f"{figures['peak_rss_app_mib']} MiB, largest worker "
              f"{figures['peak_rss_worker_mib']} MiB")  # fmt: skip
    return 0 if figures["succeeded"] == figures["jobs"] == args.small + 1 else 1


if __name__ == "__main__":
    sys.exit(main())
