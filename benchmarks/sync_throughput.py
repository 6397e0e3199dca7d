"""Upload throughput of the sync engine against plain boto3, to one local SeaweedFS.

Two workloads, each uploaded by both sides in the same run (rounds interleaved,
order alternated, medians reported; the machine is shared and SeaweedFS runs on it):

* **pages**: ``--files`` page images of about ``--file-kb`` KB each (random bytes by
  default — incompressible, so the wire carries exactly that — or real PNGs rendered
  from the corpus book with ``--source book``);
* **big**: one file of ``--big-mb`` MB.

*raw* is boto3 with its transfer manager and default ``TransferConfig`` (10 threads,
8 MB parts): ``upload_file`` for the big file, and for the pages one transfer manager
with every file submitted (what ``upload_file`` does, without a file-by-file wait).
*sync* is :meth:`SyncEngine.push` of one job (listing, plan, SQLite log, upload,
verification of every object, through :class:`S3Storage`). The sha256 of each file is
known beforehand, as it is in the job's ``outputs`` rows (computed when the file was
stored); the time to compute them is printed separately.

Usage::

    python benchmarks/sync_throughput.py [--files 1000] [--file-kb 200] [--big-mb 200]
                                         [--repeat 3] [--source random|book]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _seaweed import seaweedfs
from boto3.s3.transfer import TransferConfig, create_transfer_manager

from dataflow_desktop.jobs._synclog import SqliteSyncLog
from dataflow_desktop.jobs.store import JobStore
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.storage.keys import job_key, job_prefix, new_job_id
from dataflow_desktop.storage.s3 import S3Storage
from dataflow_desktop.sync.engine import SyncEngine, SyncRequest
from dataflow_desktop.sync.planner import LocalFile

BUCKET = "bench-sync"
MB = 1_000_000
RESULTS = Path(__file__).resolve().parent / "results" / "sync_throughput.json"


def make_pages(folder: Path, count: int, size: int, source: str) -> list[Path]:
    """``count`` page images of about ``size`` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{n + 1:04d}.png" for n in range(count)]
    if source == "book":
        import pymupdf
        from _docs import BOOK

        doc = pymupdf.open(BOOK)
        for n, path in enumerate(paths):  # 285 pages, cycled; a small shift keeps them unique
            pix = doc[n % doc.page_count].get_pixmap(dpi=120 + n // doc.page_count)
            path.write_bytes(pix.tobytes("png"))
        return paths
    rng = random.Random(1)
    for path in paths:
        path.write_bytes(rng.randbytes(size))
    return paths


def make_big(path: Path, size: int) -> Path:
    rng = random.Random(2)
    with path.open("wb") as out:
        left = size
        while left:
            chunk = min(left, 8 * MB)
            out.write(rng.randbytes(chunk))
            left -= chunk
    return path


def hashed(files: list[tuple[str, Path]]) -> tuple[list[tuple[str, Path, int, str]], float]:
    """``(name, path, size, sha256)`` of each file and the seconds hashing took."""
    started = time.perf_counter()
    out = []
    for name, path in files:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        out.append((name, path, path.stat().st_size, digest.hexdigest()))
    return out, time.perf_counter() - started


class Bench:
    """The two uploaders over one server."""

    def __init__(self, server: Any, home: Path) -> None:
        self.client = server.client()
        self.storage = S3Storage(
            server.endpoint,
            BUCKET,
            access_key_id=server.admin.access_key_id,
            secret_access_key=server.admin.secret_access_key,
            region=server.region,
        )
        self.store = JobStore(home / "dataflow.sqlite3")
        self.log = SqliteSyncLog(self.store)
        self.round = 0

    def raw(self, files: list[tuple[str, Path, int, str]]) -> None:
        """boto3's transfer manager, default configuration."""
        self.round += 1
        config = TransferConfig()
        if len(files) == 1:
            _, path, _, _ = files[0]
            self.client.upload_file(str(path), BUCKET, f"raw/{self.round}/big", Config=config)
            return
        with create_transfer_manager(self.client, config) as manager:
            futures = [
                manager.upload(str(path), BUCKET, f"raw/{self.round}/{name}")
                for name, path, _, _ in files
            ]
            for future in futures:
                future.result()

    def sync(self, files: list[tuple[str, Path, int, str]]) -> None:
        """The sync engine: one new job per run, so every file is sent."""
        job_id = new_job_id()
        self.store.create_job(
            job_id=job_id,
            source_name="bench.pdf",
            source_path=None,
            sha256="0" * 64,
            size=0,
            options=PipelineOptions(),
            env="dev",
        )
        local = tuple(
            LocalFile(job_key("dev", job_id, name), size, sha, path)
            for name, path, size, sha in files
        )
        engine = SyncEngine(self.storage, self.log, remote_name="bench")
        report = engine.push(SyncRequest(job_id, local, (job_prefix("dev", job_id),)))
        if not report.complete or len(report.uploaded) != len(local):
            raise RuntimeError(f"the sync did not upload every file: {report}")


def timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds (every thread) of ``run``."""
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    return wall, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--file-kb", type=int, default=200)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--source", choices=("random", "book"), default="random")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        root = Path(tmp)
        pages = make_pages(root / "pages", args.files, args.file_kb * 1000, args.source)
        big = make_big(root / "bundle.zip", args.big_mb * MB)
        small_files, small_hash = hashed([(f"pages/{p.name}", p) for p in pages])
        big_files, big_hash = hashed([("bundle.zip", big)])
        sizes = {"pages": sum(f[2] for f in small_files), "big": big_files[0][2]}
        with seaweedfs(root / "seaweedfs") as server:
            server.create_bucket(BUCKET)
            bench = Bench(server, root / "home")
            bench.raw(small_files[:20])  # warm both paths (connections, imports)
            bench.sync(small_files[:20])
            names = ("raw pages", "sync pages", "raw big", "sync big")
            times: dict[str, list[float]] = {k: [] for k in names}
            cpu: dict[str, list[float]] = {k: [] for k in names}
            for r in range(args.repeat):
                order = ("raw", "sync") if r % 2 == 0 else ("sync", "raw")
                for workload, files in (("pages", small_files), ("big", big_files)):
                    for side in order:
                        run = bench.raw if side == "raw" else bench.sync
                        seconds, used = timed(lambda run=run, files=files: run(files))
                        times[f"{side} {workload}"].append(seconds)
                        cpu[f"{side} {workload}"].append(used)
                        rate = sizes[workload] / MB / seconds
                        load = os.getloadavg()[0]
                        print(
                            f"round {r + 1}: {side:4} {workload:5} {seconds:6.2f} s "
                            f"{rate:7.1f} MB/s  client CPU {used:5.2f} s  load {load:.1f}",
                            flush=True,
                        )
    report: dict[str, Any] = {
        "load_average_end": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "files": args.files,
        "file_kb": args.file_kb,
        "big_mb": args.big_mb,
        "repeat": args.repeat,
        "source": args.source,
        "hash_seconds": {"pages": round(small_hash, 3), "big": round(big_hash, 3)},
    }
    print()
    for workload in ("pages", "big"):
        raw_s, sync_s = times[f"raw {workload}"], times[f"sync {workload}"]
        raw_rate = sizes[workload] / MB / statistics.median(raw_s)
        sync_rate = sizes[workload] / MB / statistics.median(sync_s)
        ratio = sync_rate / raw_rate
        # Each round's raw and sync ran back to back: their ratio cancels slow drifts of load.
        paired = statistics.median(r / s for r, s in zip(raw_s, sync_s, strict=True))
        raw_cpu = statistics.median(cpu[f"raw {workload}"])
        sync_cpu = statistics.median(cpu[f"sync {workload}"])
        report[workload] = {
            "bytes": sizes[workload],
            "raw_s": raw_s,
            "sync_s": sync_s,
            "raw_MBps": round(raw_rate, 2),
            "sync_MBps": round(sync_rate, 2),
            "ratio": round(ratio, 3),
            "paired_ratio": round(paired, 3),
            "raw_cpu_s": round(raw_cpu, 2),
            "sync_cpu_s": round(sync_cpu, 2),
        }
        verdict = "meets" if ratio >= 0.9 else "BELOW"
        print(
            f"{workload:5}  raw {raw_rate:7.1f} MB/s   sync {sync_rate:7.1f} MB/s   "
            f"ratio {ratio:.2f} (paired {paired:.2f}; {verdict} the 0.9 target)   "
            f"client CPU raw {raw_cpu:.2f} s, sync {sync_cpu:.2f} s"
        )
    print(
        f"sha256 of the files (done when a job stores them): pages {small_hash:.2f} s, "
        f"big {big_hash:.2f} s"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
